import io
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from portal.core import uploads
from portal.core.checks import check_private_storage
from portal.core.uploads import (
    PrivateFileField,
    PrivateUploadTo,
    private_storage,
    safe_download_name,
    serve_private_file,
    validate_upload,
)


def _image(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (180, 20, 20)).save(out, fmt)
    return out.getvalue()


# Real images (Pillow decodes every upload now; hand-made byte strings that only looked like a PNG
# or a JPEG to the magic-byte sniffer are refused as damaged).
PNG = _image("PNG")
JPEG = _image("JPEG")


def make_pdf(extra_objects: bytes = b"", catalog_extra: bytes = b"") -> bytes:
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
        + extra_objects + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data)


def refused_code(name: str, data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload(name, data), **kwargs)
    return exc.value.code


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [("licence.pdf", make_pdf(), "pdf"), ("Seal.PNG", PNG, "png"), ("photo.jpeg", JPEG, "jpg"),
     ("photo.jpg", JPEG, "jpg"), ("2023.01 年度报告.pdf", make_pdf(), "pdf")],
)
def test_real_files_are_accepted(name, data, kind):
    assert validate_upload(upload(name, data)) == kind


def test_generated_certificate_pdf_is_accepted():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(100, 700, "certificate")
    c.save()
    assert validate_upload(upload("cert.pdf", buffer.getvalue())) == "pdf"


def test_empty_file_is_refused():
    assert refused_code("a.pdf", b"") == "empty"


def test_file_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert refused_code("a.pdf", make_pdf() + b"%" * 1024) == "too_large"
    assert refused_code("a.png", PNG, max_bytes=10) == "too_large"


def test_default_limit_is_ten_megabytes():
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    assert refused_code("a.pdf", make_pdf() + b" " * (10 * 1024 * 1024)) == "too_large"


@pytest.mark.parametrize(
    "name", ["evil.php.pdf", "evil.pdf.exe", "evil.html.png", "evil.svg.png", "invoice.pdf.", ".pdf", "noext",
             "evil.pdf\x00.exe", "a.js.jpg"]
)
def test_double_or_missing_extensions_are_refused(name):
    assert refused_code(name, make_pdf() if "pdf" in name else PNG) == "extension"


@pytest.mark.parametrize("name", ["a.exe", "a.html", "a.svg", "a.gif", "a.docx"])
def test_other_extensions_are_refused(name):
    assert refused_code(name, PNG) == "extension"


def test_kinds_restrict_the_allowed_types():
    assert refused_code("a.png", PNG, kinds=("pdf",)) == "extension"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("fake.pdf", b"<html><script>alert(1)</script></html>"),
        ("fake.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("fake.jpg", b"GIF89a" + b"\x00" * 20),
        ("fake.pdf", PNG),
        ("fake.png", make_pdf()),
        ("fake.jpg", b"MZ\x90\x00" + b"\x00" * 100),
        ("fake.pdf", b"   %PDF-1.4 not at the start"),
    ],
)
def test_content_must_match_the_extension(name, data):
    assert refused_code(name, data) == "content"


@pytest.mark.parametrize(
    "payload",
    [b"<script>alert(1)</script>", b"<svg onload=alert(1)>", b"<html><body>x</body></html>", b"<?php system($_GET[c]);",
     b"<iframe src=//evil>", b"javascript:alert(1)", b"< SCRIPT >", b"<?xml version='1.0'?><svg/>"],
)
def test_markup_inside_an_image_is_refused(payload):
    assert refused_code("photo.png", PNG + payload) == "active"
    assert refused_code("photo.jpg", JPEG[:40] + payload + JPEG_TAIL) == "active"


JPEG_TAIL = b"\xff\xd9"


def test_markup_far_into_a_file_and_across_chunks_is_refused(monkeypatch):
    monkeypatch.setattr(uploads.content, "_CHUNK", 4096)
    data = PNG + b"\x00" * (4096 - len(PNG) - 4) + b"<script>"  # straddles the chunk boundary
    assert refused_code("photo.png", data) == "active"
    assert refused_code("photo.png", PNG + b"\x00" * 200_000 + b"<html>") == "active"


def test_html_pdf_polyglot_is_refused():
    polyglot = make_pdf(b"4 0 obj\n(<html><script>alert(document.domain)</script>)\nendobj\n")
    assert refused_code("poly.pdf", polyglot) == "active"


@pytest.mark.parametrize(
    ("extra", "catalog"),
    [
        (b"4 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n", b"/OpenAction 4 0 R "),
        (b"4 0 obj\n<< /Type /Action /S /Launch /F (cmd.exe) >>\nendobj\n", b"/OpenAction 4 0 R "),
        (b"", b"/Names << /JavaScript 5 0 R >> "),
        (b"4 0 obj\n<< /S /J#61vaScript /J#53 (x) >>\nendobj\n", b""),  # hex-escaped names
        (b"4 0 obj\n<< /Type /EmbeddedFile >>\nstream\nMZ\nendstream\nendobj\n", b""),
        (b"4 0 obj\n<< /S /SubmitForm /F (http://evil) >>\nendobj\n", b""),
        (b"", b"/AcroForm << /XFA 6 0 R >> "),
    ],
)
def test_pdf_with_scripts_actions_or_attachments_is_refused(extra, catalog):
    assert refused_code("a.pdf", make_pdf(extra, catalog)) == "pdf_active"


def test_pdf_with_javascript_hidden_in_compressed_object_stream_is_refused():
    hidden = zlib.compress(b"4 0 << /S /JavaScript /JS (app.alert(1)) >>")
    stream = b"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(hidden)
    assert refused_code("a.pdf", make_pdf(stream + hidden + b"\nendstream\nendobj\n")) == "pdf_active"


def test_pdf_object_stream_with_unreadable_filter_is_refused():
    stream = b"5 0 obj\n<< /Type /ObjStm /N 1 /Filter /ASCIIHexDecode >>\nstream\n2F4A53>\nendstream\nendobj\n"
    assert refused_code("a.pdf", make_pdf(stream)) == "pdf_active"


def test_pdf_with_plain_compressed_content_is_accepted():
    content = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET")
    extra = b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content
    assert validate_upload(upload("a.pdf", make_pdf(extra + b"\nendstream\nendobj\n"))) == "pdf"


def test_form_field_runs_validation_and_sets_accept():
    field = PrivateFileField(kinds=("pdf",))
    assert field.widget.attrs["accept"] == ".pdf"
    assert field.clean(upload("a.pdf", make_pdf())).name == "a.pdf"
    with pytest.raises(ValidationError):
        field.clean(upload("a.pdf", b"<html>"))


def test_upload_to_uses_random_name_and_canonical_extension():
    path = PrivateUploadTo("members/licence")(None, "../../etc/营业执照.JPEG")
    assert path.startswith("members/licence/")
    assert path.endswith(".jpg")
    assert ".." not in path
    assert "营业执照" not in path


def test_safe_download_name_strips_paths_and_control_characters():
    assert safe_download_name("../../etc/passwd") == "passwd"
    assert safe_download_name("C:\\Users\\a\\报告.pdf") == "报告.pdf"
    assert safe_download_name("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert safe_download_name("a\r\nSet-Cookie: x.pdf") == "aSet-Cookie: x.pdf"
    assert safe_download_name("...") == "download"


@pytest.fixture
def stored_pdf(db):
    name = private_storage.save("tests/serve/sample.pdf", ContentFile(make_pdf()))
    yield name
    private_storage.delete(name)


class _FieldFile:
    """Just enough of a FieldFile for serve_private_file."""

    def __init__(self, name):
        self.name = name

    def __bool__(self):
        return bool(self.name)

    def open(self, mode="rb"):
        return private_storage.open(self.name, mode)


class _FieldFileWithUrl(_FieldFile):
    @property
    def url(self):
        return private_storage.url(self.name)


def test_serve_private_file_sends_safe_headers(stored_pdf):
    response = serve_private_file(_FieldFile(stored_pdf), download_name="营业执照.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert b"".join(response.streaming_content) == make_pdf()


def test_serve_private_file_inline_keeps_the_sandbox(stored_pdf):
    response = serve_private_file(_FieldFile(stored_pdf), inline=True)
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_serve_private_file_missing_is_404(db):
    from django.http import Http404

    with pytest.raises(Http404):
        serve_private_file(_FieldFile("tests/serve/missing.pdf"))
    with pytest.raises(Http404):
        serve_private_file(_FieldFile(""))


def test_private_files_have_no_public_url_and_live_outside_media(stored_pdf):
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert Path(private_storage.path(stored_pdf)).resolve().is_relative_to(private_root)
    assert not private_root.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not Path(settings.MEDIA_ROOT).resolve().is_relative_to(private_root)
    with pytest.raises(ValueError):
        private_storage.url(stored_pdf)
    assert getattr(_FieldFileWithUrl(stored_pdf), "url", False) is False


def test_private_storage_check_passes_for_project_settings():
    assert check_private_storage() == []


def test_private_storage_check_refuses_private_root_inside_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": tmp_path / "media" / "private", "base_url": "/media/private/"}},
    }
    assert sorted(e.id for e in check_private_storage()) == ["portal.E001", "portal.E002", "portal.E005"]


def test_private_storage_check_refuses_public_s3(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "media"}},
        "private": {"BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {"location": "media", "querystring_auth": False}},
    }
    assert sorted(e.id for e in check_private_storage()) == ["portal.E003", "portal.E004"]


def test_media_is_not_served_by_django_in_production_like_settings():
    from django.urls import resolve
    from django.urls.exceptions import Resolver404

    # With DEBUG off no /media/ route exists; private files have no URL at all.
    try:
        match = resolve("/media/x.pdf")
    except Resolver404:
        return
    assert match.url_name != "serve"


def test_system_check_runs_clean():
    call_command("check", "--tag", "security")
