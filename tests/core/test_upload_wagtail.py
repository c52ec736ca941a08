"""Issue #12: Wagtail documents and images get the same content checks as private uploads.

An editor could upload a JavaScript PDF and an HTML file named `.pdf`, and /documents/N/ served both
inline. Uploads here go through the Wagtail admin as an editor (single and multiple upload views).
"""

import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from . import pdf_samples as samples

Document = get_document_model()
Image = get_image_model()

JS_PDF = samples.text_pdf(OpenAction=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png(size=(40, 30), fmt="PNG") -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def ooxml(kind: str, *, macros: bool = False, main: bool = True) -> bytes:
    part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                         '.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                         '</Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        if main:
            archive.writestr(part, '<?xml version="1.0"?><document>正文</document>')
        if macros:
            archive.writestr(part.split("/")[0] + "/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "会员单位"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def root_collection(db):
    return Collection.get_first_root_node()


def add_document(client, name, data, collection):
    return client.post("/admin/documents/add/", {"title": name, "collection": collection.pk,
                                                 "file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("name", "data"),
    [("script.pdf", JS_PDF), ("page.pdf", HTML),
     ("hidden.pdf", samples.object_stream_pdf(samples.HIDDEN_JAVASCRIPT, stream_filter="ASCII85Decode")),
     ("notes.txt", b"minutes\n<script>alert(1)</script>\n"), ("list.csv", b"name,url\nx,javascript:alert(1)\n"),
     ("page.txt", HTML), ("binary.txt", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
     ("report.docx", HTML), ("report.docx", ooxml("docx", macros=True)), ("report.docx", ooxml("docx", main=False)),
     ("sheet.xlsx", ooxml("docx")), ("sheet.xlsx", b"PK\x03\x04" + b"\x00" * 60), ("report.docx", JS_PDF),
     ("report.html.pdf", samples.text_pdf())],
    ids=["js-pdf", "html-as-pdf", "objstm-ascii85-js", "txt-script", "csv-javascript-url", "html-as-txt",
         "exe-as-txt", "html-as-docx", "docx-macros", "docx-without-document", "docx-as-xlsx", "broken-zip",
         "pdf-as-docx", "double-extension"],
)
def test_editor_cannot_upload_active_or_disguised_documents(client_for, editor, root_collection, name, data):
    response = add_document(client_for(editor), name, data, root_collection)
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [("notice.pdf", samples.text_pdf()), ("scan.pdf", samples.scan_pdf(pages=1, width=620, height=877)),
     ("会议纪要.txt", "2026年理事会会议纪要\r\n一、审议事项\r\n".encode()),
     ("名单.csv", "单位,地区\n浙江诚信科技有限公司,杭州\n".encode("gb18030")),
     ("名单-utf8.csv", "\ufeff单位,地区\n示范单位,宁波\n".encode()),
     ("report.docx", ooxml("docx")), ("fees.xlsx", xlsx())],
    ids=["pdf", "scan", "txt", "csv-gb18030", "csv-utf8-bom", "docx", "xlsx"],
)
def test_editor_uploads_genuine_documents(client_for, editor, root_collection, name, data):
    response = add_document(client_for(editor), name, data, root_collection)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert Document.objects.get().title == name


def test_multiple_upload_refuses_a_javascript_pdf(client_for, editor, root_collection):
    client = client_for(editor)
    response = client.post("/admin/documents/multiple/add/",
                           {"collection": root_collection.pk, "files[]": SimpleUploadedFile("a.pdf", JS_PDF)})
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert not Document.objects.exists()


def test_replacing_a_document_file_is_checked_too(client_for, editor, root_collection):
    client = client_for(editor)
    assert add_document(client, "notice.pdf", samples.text_pdf(), root_collection).status_code == 302
    document = Document.objects.get()
    response = client.post(f"/admin/documents/edit/{document.pk}/", {
        "title": "notice", "collection": root_collection.pk, "file": SimpleUploadedFile("notice.pdf", HTML)})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    document.refresh_from_db()
    assert document.file.read().startswith(b"%PDF")
    response = client.post(f"/admin/documents/edit/{document.pk}/", {"title": "通知", "collection": root_collection.pk})
    assert response.status_code == 302  # editing the title alone keeps the stored file and needs no new check


def test_documents_are_served_as_attachments_with_safe_headers(client_for, editor, root_collection, client):
    assert add_document(client_for(editor), "notice.pdf", samples.text_pdf(), root_collection).status_code == 302
    document = Document.objects.get()
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_text_documents_are_attachments_too(client_for, editor, root_collection, client):
    assert add_document(client_for(editor), "notes.txt", "纪要\n".encode(), root_collection).status_code == 302
    response = client.get(Document.objects.get().url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def add_image(client, name, data, collection):
    return client.post("/admin/images/add/", {"title": name, "collection": collection.pk,
                                              "file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("name", "data"),
    [("photo.png", png() + b"<script>alert(1)</script>"), ("photo.png", HTML), ("photo.jpg", png()),
     ("photo.png", png()[:-30]), ("photo.svg.png", png()), ("logo.gif", png(fmt="GIF") + b"<html><body>"),
     ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 100 + b"\xff\xd9")],
    ids=["png-script-tail", "html-as-png", "png-as-jpg", "truncated-png", "double-extension", "gif-html-tail",
         "fake-jpeg"],
)
def test_editor_cannot_upload_disguised_or_broken_images(client_for, editor, root_collection, name, data):
    response = add_image(client_for(editor), name, data, root_collection)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Image.objects.exists()


@pytest.mark.parametrize(("name", "data"), [("photo.png", png()), ("photo.jpg", png(fmt="JPEG")),
                                            ("logo.gif", png(fmt="GIF")), ("banner.webp", png(fmt="WEBP"))],
                         ids=["png", "jpg", "gif", "webp"])
def test_editor_uploads_genuine_images(client_for, editor, root_collection, name, data):
    response = add_image(client_for(editor), name, data, root_collection)
    assert response.status_code == 302
    assert Image.objects.get().title == name


def test_image_decompression_bomb_is_refused(client_for, editor, root_collection, settings):
    settings.PORTAL_IMAGE_MAX_PIXELS = 1000
    response = add_image(client_for(editor), "wide.png", png(size=(100, 100)), root_collection)
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_multiple_image_upload_refuses_html(client_for, editor, root_collection):
    response = client_for(editor).post("/admin/images/multiple/add/", {
        "collection": root_collection.pk, "files[]": SimpleUploadedFile("x.png", png() + HTML)})
    assert response.json()["success"] is False
    assert not Image.objects.exists()
