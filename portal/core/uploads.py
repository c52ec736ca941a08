"""Private uploads: validation by content and permission-checked serving.

Uploaded files (application letters, licences, evidence, minutes) are stored in
the "private" storage, which has no public URL. Views check that the user may
see the record, then call `serve_private_file`.
"""

import mimetypes
import re
import uuid
from pathlib import PurePath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

# Kinds a user may upload, keyed by the canonical extension.
KINDS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
}
DOCUMENT_KINDS = ("pdf", "jpg", "png")
EXTENSION_ALIASES = {"jpeg": "jpg"}
# Markup or script anywhere in the first bytes means a disguised payload.
_ACTIVE_CONTENT = re.compile(rb"<\s*(script|html|svg|iframe|object|embed|body|\?xml)|javascript:", re.I)


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@deconstructible
class PrivateUploadTo:
    """upload_to callable: `<prefix>/<yyyy>/<random>.<ext>`; the original name is kept on the model."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        from django.utils import timezone

        ext = PurePath(filename).suffix.lower().lstrip(".")
        ext = EXTENSION_ALIASES.get(ext, ext)
        return f"{self.prefix}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix


def sniff(head: bytes) -> str | None:
    """Canonical extension of the content, from its magic bytes (None if unknown)."""
    kind = filetype.guess(head)
    if kind is None:
        return None
    return EXTENSION_ALIASES.get(kind.extension, kind.extension)


def validate_upload(upload, *, kinds=DOCUMENT_KINDS, max_bytes: int | None = None) -> str:
    """Check an uploaded file; return its canonical extension or raise ValidationError.

    The type comes from the content, not the name: the extension must agree with
    the content, a name may carry only one extension, and markup/script payloads
    are refused even inside an allowed container.
    """
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = PurePath(upload.name or "").name
    suffixes = [s.lower().lstrip(".") for s in PurePath(name).suffixes]
    allowed = ", ".join(k.upper() for k in kinds)
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}, code="too_large"
        )
    if len(suffixes) != 1:
        raise ValidationError(_("The file name must have exactly one extension (%(allowed)s).") % {"allowed": allowed}, code="extension")
    ext = EXTENSION_ALIASES.get(suffixes[0], suffixes[0])
    if ext not in kinds:
        raise ValidationError(_("Only %(allowed)s files are accepted.") % {"allowed": allowed}, code="extension")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    actual = sniff(head)
    if actual != ext:
        raise ValidationError(
            _("The content of the file is not a real %(ext)s file.") % {"ext": ext.upper()}, code="content"
        )
    if _ACTIVE_CONTENT.search(head):
        raise ValidationError(_("The file contains active content and was refused."), code="active")
    return ext


class PrivateFileField(forms.FileField):
    """A form field that runs `validate_upload` (type from content, size limit)."""

    def __init__(self, *args, kinds=DOCUMENT_KINDS, max_bytes=None, **kwargs):
        self.kinds = kinds
        self.max_bytes = max_bytes
        kwargs.setdefault(
            "help_text",
            _("%(kinds)s, at most %(mb)s MB.")
            % {"kinds": "/".join(k.upper() for k in kinds), "mb": (max_bytes or settings.UPLOAD_MAX_BYTES) // 2**20},
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{k}" for k in kinds))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "size") and value is not initial:
            validate_upload(value, kinds=self.kinds, max_bytes=self.max_bytes)
        return value


def serve_private_file(fieldfile, *, download_name: str | None = None, inline: bool = False) -> FileResponse:
    """Stream a private file with safe headers. Call only after checking permission."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = download_name or PurePath(fieldfile.name).name
    content_type = mimetypes.guess_type(fieldfile.name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
