"""Private uploads: validation by content and permission-checked serving.

Uploaded files (application letters, licences, evidence, minutes) are stored in
the "private" storage, which has no public URL. Views check that the user may
see the record, then call `serve_private_file`.
"""

import mimetypes
import re
import unicodedata
import uuid
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from .content import (
    EXTENSION_ALIASES,
    IMAGE_KINDS,
    OFFICE_MAIN_PART,
    TEXT_KINDS,
    check_image,
    check_office,
    check_text,
    has_markup,
    not_a_real,
    sniff,
)
from .pdf import check_pdf

# Kinds of private uploads (application letters, licences, evidence, minutes).
DOCUMENT_KINDS = ("pdf", "jpg", "png")
# An inner ".abc" segment (letter first, up to 5 ASCII letters/digits) is an
# extension: "x.php.pdf", "x.pdf.exe" are refused, "2023.01 年报.pdf" is not.
_INNER_EXTENSION = re.compile(r"^[a-z][a-z0-9]{0,4}$", re.I)


class NoPublicURL(AttributeError, ValueError):
    """Private files have no URL (an AttributeError so that widgets asking
    `getattr(file, "url", False)` show no link instead of crashing)."""


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage without URLs: Django would otherwise fall back to
    MEDIA_URL for `base_url=None` and hand out /media/... links to private files."""

    def url(self, name):
        raise NoPublicURL("Private files have no public URL; serve them with serve_private_file().")


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def private_files():
    """The private storage for `FileField(storage=private_files)`.

    A callable, so that migrations record this function's path rather than one
    machine's storage location.
    """
    return storages["private"]


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


def check_content(upload, ext: str) -> None:
    """The content must be what the extension says, and carry nothing a browser or viewer would run."""
    if ext in TEXT_KINDS:
        check_text(upload, ext)
        return
    if ext in OFFICE_MAIN_PART:
        check_office(upload, ext)
        return
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if sniff(head) != ext:
        raise not_a_real(ext)
    if ext == "pdf":
        check_pdf(upload)  # markup too, outside stream data (compressed bytes match by chance)
        return
    if has_markup(upload):
        raise ValidationError(_("The file contains active content and was refused."), code="active")
    if ext in IMAGE_KINDS:
        check_image(upload, ext)


def validate_upload(upload, *, kinds=DOCUMENT_KINDS, max_bytes: int | None = None) -> str:
    """Check an uploaded file; return its canonical extension or raise ValidationError.

    The type comes from the content, not the name: the extension must agree with
    the content, a name may carry only one extension ("x.php.pdf" is refused),
    markup/script payloads are refused even inside an allowed container, images
    must decode, and PDFs are parsed (portal.core.uploads.pdf) and may not carry
    JavaScript, actions that run by themselves, or embedded files.
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
    if not suffixes or any(_INNER_EXTENSION.match(s) for s in suffixes[:-1]):
        raise ValidationError(_("The file name must have exactly one extension (%(allowed)s).") % {"allowed": allowed}, code="extension")
    ext = EXTENSION_ALIASES.get(suffixes[-1], suffixes[-1])
    if ext not in kinds:
        raise ValidationError(_("Only %(allowed)s files are accepted.") % {"allowed": allowed}, code="extension")
    check_content(upload, ext)
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


def safe_download_name(name: str) -> str:
    """A file name fit for Content-Disposition: no path, no control or
    bidirectional-override characters (which disguise "gpj.exe" as "exe.jpg")."""
    name = PurePath(str(name).replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
    return name.strip(" .") or "download"


def serve_private_file(fieldfile, *, download_name: str | None = None, inline: bool = False) -> FileResponse:
    """Stream a private file with safe headers. Call only after checking permission."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = safe_download_name(download_name or PurePath(fieldfile.name).name)
    content_type = mimetypes.guess_type(fieldfile.name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
