"""Content checks of uploads other than PDF: images, plain text, Office (OOXML) files.

Each check reads the content, never trusts the name, and is bounded by the upload size limit
(10 MB): markup is found by one linear regular-expression pass over overlapping chunks, images are
decoded by Pillow under a pixel limit (a JPEG at 1/8 scale), Office files are opened as zip
archives without inflating any member but the small `[Content_Types].xml`.
"""

import re
import warnings
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .pdf_worker import markup_tokens

EXTENSION_ALIASES = {"jpeg": "jpg"}
IMAGE_KINDS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP", "avif": "AVIF", "heic": "HEIF"}
TEXT_KINDS = ("txt", "csv")
OFFICE_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
DEFAULT_IMAGE_MAX_PIXELS = 50_000_000  # 200 MB decoded at most (RGBA); a 50-megapixel photo
_CHUNK = 1 << 20
_OFFICE_MAX_MEMBERS = 10_000
_CONTENT_TYPES_MAX_BYTES = 1 << 20


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


def has_markup(upload) -> bool:
    """Markup or script anywhere in the file (pdf_worker.markup_tokens: one linear pass)."""
    return any(markup_tokens(chunk.lower()) for chunk in _chunks(upload))


def not_a_real(ext: str) -> ValidationError:
    return ValidationError(
        _("The content of the file is not a real %(ext)s file.") % {"ext": ext.upper()}, code="content"
    )


def check_image(upload, ext: str) -> None:
    """The image must decode (Pillow) as the format its extension names, within the pixel limit."""
    from PIL import Image

    limit = getattr(settings, "PORTAL_IMAGE_MAX_PIXELS", DEFAULT_IMAGE_MAX_PIXELS)
    if ext == "heic":
        from pillow_heif import HeifImagePlugin  # noqa: F401 - registers HEIF with Pillow, as Willow does
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[IMAGE_KINDS[ext]]) as image:
                if image.width * image.height > limit:
                    raise ValidationError(
                        _("The image is too large (at most %(mp)s megapixels).") % {"mp": limit // 1_000_000 or 1},
                        code="image_too_large",
                    )
                if image.format == "JPEG":  # decoding at 1/8 scale still reads every coded block
                    image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image is too large (at most %(mp)s megapixels).") % {"mp": limit // 1_000_000 or 1},
            code="image_too_large",
        ) from exc
    except Exception as exc:  # any decoder error means a broken or disguised image
        raise ValidationError(_("The image is damaged or cannot be read."), code="image_unreadable") from exc
    finally:
        upload.seek(0)


def check_text(upload, ext: str) -> None:
    """Plain text (UTF-8, or GB18030 as Excel writes CSV on Chinese Windows), no binary, no markup."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text) or sniff(data[:8192]):
        raise ValidationError(
            _("The file is not a plain text file (UTF-8 or GB18030)."), code="content"
        )
    if markup_tokens(text.lower().encode("utf-8")):
        raise ValidationError(_("The file contains active content and was refused."), code="active")


def check_office(upload, ext: str) -> None:
    """A real Office Open XML file (a zip with its content types and main part), without macros or
    ActiveX controls. Members are listed, not inflated (a zip bomb costs nothing here)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > _OFFICE_MAX_MEMBERS:
                raise not_a_real(ext)
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or OFFICE_MAIN_PART[ext] not in names:
                raise not_a_real(ext)
            with archive.open("[Content_Types].xml") as types:
                content_types = types.read(_CONTENT_TYPES_MAX_BYTES)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise not_a_real(ext) from exc
    finally:
        upload.seek(0)
    lowered = {name.lower() for name in names}
    if (
        b"macroenabled" in content_types.lower()
        or any(name.endswith("vbaproject.bin") or "/activex/" in name for name in lowered)
    ):
        raise ValidationError(_("The file contains macros or ActiveX controls and was refused."), code="active")
