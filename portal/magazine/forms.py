from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .importer.parser import IssueFormatError, parse_issue

MAX_BYTES = 5 * 1024 * 1024


def decode_upload(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor GB18030 text."))


class IssueUploadForm(forms.Form):
    file = forms.FileField(label=_("Issue text (.txt)"), help_text=_("Plain text of a back issue, UTF-8 or GB18030."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".txt"):
            raise ValidationError(_("Please upload a .txt file."))
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        text = decode_upload(upload.read())
        try:
            self.parsed = parse_issue(text, source_name=upload.name)
        except IssueFormatError as exc:
            raise ValidationError(str(exc)) from exc
        self.text = text
        return upload
