"""Wagtail documents and images: the same content checks as private uploads.

Installed through WAGTAILDOCS_DOCUMENT_FORM_BASE and WAGTAILIMAGES_IMAGE_FORM_BASE, so every
Wagtail view that takes a file uses them: add, edit (replacing the file), the multiple uploader
and the choosers' upload tabs. An editor could otherwise put a JavaScript PDF, or an HTML page
named `.pdf`, on /documents/N/. What a file may contain, by extension, is `validate_upload`'s
business (portal.core.uploads); these forms only run it on a newly uploaded file.
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm
from wagtail.images.utils import get_allowed_image_extensions

from . import EXTENSION_ALIASES, validate_upload

# Documents may be larger than private uploads (the PDF of a whole magazine issue); the PDF check
# stays bounded by its own CPU and memory limits (portal.core.uploads.pdf).
DEFAULT_DOCUMENT_MAX_BYTES = 50 * 1024 * 1024


def _kinds(extensions) -> tuple[str, ...]:
    return tuple(dict.fromkeys(EXTENSION_ALIASES.get(ext.lower(), ext.lower()) for ext in extensions))


class _CheckedFileMixin:
    """Runs `validate_upload` on a new file before Wagtail's own field looks at it: Wagtail's image
    field opens the file first and answers some broken images with a server error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is None:  # the multiple uploader's edit form has no file field
            return
        wagtail_to_python = field.to_python

        def to_python(data):
            if isinstance(data, UploadedFile):  # not the stored file an edit without a new one keeps
                validate_upload(data, kinds=self.checked_kinds(), max_bytes=self.checked_max_bytes())
            return wagtail_to_python(data)

        field.to_python = to_python  # form fields are copies per form instance

    def checked_kinds(self) -> tuple[str, ...]:
        raise NotImplementedError

    def checked_max_bytes(self) -> int:
        raise NotImplementedError


class DocumentForm(_CheckedFileMixin, BaseDocumentForm):
    def checked_kinds(self):
        return _kinds(settings.WAGTAILDOCS_EXTENSIONS)

    def checked_max_bytes(self):
        return getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None) or DEFAULT_DOCUMENT_MAX_BYTES


class ImageForm(_CheckedFileMixin, BaseImageForm):
    def checked_kinds(self):
        return _kinds(get_allowed_image_extensions())

    def checked_max_bytes(self):
        return getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None) or settings.UPLOAD_MAX_BYTES
