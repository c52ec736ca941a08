"""Private uploads: validation by content and permission-checked serving.

Uploaded files (application letters, licences, evidence, minutes) are stored in
the "private" storage, which has no public URL. Views check that the user may
see the record, then call `serve_private_file`.
"""

import mimetypes
import re
import unicodedata
import uuid
import zlib
from pathlib import PurePath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
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
# Markup or script anywhere in the file means a disguised payload (or a polyglot
# that a browser or another program would run as HTML/SVG/PHP).
_ACTIVE_CONTENT = re.compile(
    rb"<\s*(script|html|svg|iframe|object|embed|body|\?xml|\?php|meta|form|frameset)|javascript:|vbscript:", re.I
)
# PDF names that run code, open other programs, submit data or carry files.
_PDF_DANGEROUS_NAMES = {
    b"/js", b"/javascript", b"/launch", b"/embeddedfile", b"/embeddedfiles", b"/richmedia",
    b"/submitform", b"/importdata", b"/gotoe", b"/gotor", b"/xfa",
}
_PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9a-fA-F]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
# An inner ".abc" segment (letter first, up to 5 ASCII letters/digits) is an
# extension: "x.php.pdf", "x.pdf.exe" are refused, "2023.01 年报.pdf" is not.
_INNER_EXTENSION = re.compile(r"^[a-z][a-z0-9]{0,4}$", re.I)
_CHUNK = 1 << 20


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


def sniff(head: bytes) -> str | None:
    """Canonical extension of the content, from its magic bytes (None if unknown)."""
    kind = filetype.guess(head)
    if kind is None:
        return None
    return EXTENSION_ALIASES.get(kind.extension, kind.extension)


def _chunks(upload, overlap: int = 64):
    """The whole file in overlapping chunks (so a pattern on a boundary is still seen)."""
    upload.seek(0)
    tail = b""
    while True:
        block = upload.read(_CHUNK)
        if not block:
            break
        yield tail + block
        tail = block[-overlap:]
    upload.seek(0)


def has_active_content(upload) -> bool:
    return any(_ACTIVE_CONTENT.search(chunk) for chunk in _chunks(upload))


def _pdf_names(data: bytes) -> set[bytes]:
    names = set()
    for match in _PDF_NAME.finditer(data):
        name = _PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(0))
        names.add(name.lower())
    return names


def pdf_has_active_content(upload, *, max_inflated: int = 50 * 1024 * 1024) -> bool:
    """True if the PDF (including its Flate-compressed object streams) names
    JavaScript, launch/submit/import actions, embedded files, rich media or XFA."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if _pdf_names(data) & _PDF_DANGEROUS_NAMES:
        return True
    budget = max_inflated
    for match in _PDF_STREAM.finditer(data):
        raw = match.group(1)
        head = data[max(0, match.start() - 2048) : match.start()]
        is_object_stream = b"/objstm" in _pdf_names(head[head.rfind(b"<<") :])
        try:
            inflated = zlib.decompressobj().decompress(raw, budget)
        except zlib.error:
            if is_object_stream:
                return True  # objects we cannot read (other filters) are not trusted
            continue
        budget -= len(inflated)
        if _pdf_names(inflated) & _PDF_DANGEROUS_NAMES:
            return True
        if budget <= 0:
            return True  # a decompression bomb is refused as well
    return False


def validate_upload(upload, *, kinds=DOCUMENT_KINDS, max_bytes: int | None = None) -> str:
    """Check an uploaded file; return its canonical extension or raise ValidationError.

    The type comes from the content, not the name: the extension must agree with
    the content, a name may carry only one extension ("x.php.pdf" is refused),
    markup/script payloads anywhere in the file are refused even inside an allowed
    container, and PDFs may not carry JavaScript, actions or embedded files.
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
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    actual = sniff(head)
    if actual != ext:
        raise ValidationError(
            _("The content of the file is not a real %(ext)s file.") % {"ext": ext.upper()}, code="content"
        )
    if has_active_content(upload):
        raise ValidationError(_("The file contains active content and was refused."), code="active")
    if ext == "pdf" and pdf_has_active_content(upload):
        raise ValidationError(
            _("The PDF contains scripts, actions or embedded files and was refused."), code="pdf_active"
        )
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
