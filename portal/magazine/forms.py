from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .importer.parser import IssueFormatError, parse_issue
from .models import page_range_problems

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


class ArticlePagesForm(forms.Form):
    """The printed pages of one article (both optional: leave empty until known)."""

    start_page = forms.IntegerField(label=_("Start page"), min_value=1, max_value=999, required=False)
    end_page = forms.IntegerField(label=_("End page"), min_value=1, max_value=999, required=False)

    def clean(self):
        data = super().clean()
        problems = page_range_problems(data.get("start_page"), data.get("end_page"))
        if problems:
            raise ValidationError(problems)
        return data

    @property
    def entered(self) -> tuple[int | None, int | None]:
        return self.cleaned_data.get("start_page"), self.cleaned_data.get("end_page")


class IssueArticlePagesForm(ArticlePagesForm):
    """The pages of one stored article of an issue (the issue's pages view)."""

    article = forms.IntegerField(widget=forms.HiddenInput)


def article_pages_formset(rows: int, data=None, initial=None, form=ArticlePagesForm):
    """One form per article, no more and no fewer (a stale form for another plan is refused)."""
    formset_class = forms.formset_factory(
        form, extra=0, min_num=rows, max_num=rows, validate_min=True, validate_max=True
    )
    return formset_class(data=data, initial=initial, prefix="pages")


class PdfOffsetForm(forms.Form):
    pdf_page_offset = forms.IntegerField(
        label=_("PDF page offset"),
        min_value=-99,
        max_value=99,
        initial=0,
        help_text=_("PDF page = printed page + offset (e.g. 2 when two unnumbered pages open the PDF)."),
    )
