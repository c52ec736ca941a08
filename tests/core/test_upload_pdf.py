"""Issue #12, items 2–4: the PDF check parses with qpdf (pikepdf) in a bounded child process.

Each attack of the issue is performed here on a file built in code (tests/core/pdf_samples.py).
No timings are asserted (figures are in `make bench`): a slow check shows up as a refusal with the
"too complex" reason, since the check is killed at its deadline.
"""

import subprocess

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal.core.uploads import PrivateFileField, validate_upload
from tests.pdfs import javascript_actions

from . import pdf_samples as samples


def refusal(data: bytes, name: str = "file.pdf") -> ValidationError:
    """The refusal, its message in English (the Chinese catalogue is checked in one test below)."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            validate_upload(SimpleUploadedFile(name, data))
        exc.value.message = str(exc.value.message)
    return exc.value


def accepted(data: bytes, name: str = "file.pdf") -> bool:
    return validate_upload(SimpleUploadedFile(name, data)) == "pdf"


# --- item 2: a file of `stream` lines without `endstream` ---------------------------------------------


def test_stream_lines_without_endstream_are_refused_as_not_a_pdf():
    # 56 KB took 4.6 s with the old byte scanner, which then accepted the file.
    error = refusal(samples.stream_lines_pdf(56 * 1024))
    assert error.code == "pdf_unreadable"
    assert "not a readable PDF" in error.message


def test_a_check_that_runs_out_of_cpu_time_is_killed_and_refused(monkeypatch):
    # Objects that open a stream and never end it make qpdf search for `endstream` from each of
    # them (quadratic: about 2 s of CPU for 1 MB); the child is killed when its CPU time is up.
    monkeypatch.setattr("portal.core.uploads.pdf.CPU_SECONDS", 0.4)
    error = refusal(samples.open_streams_pdf(1024 * 1024))
    assert error.code == "pdf_too_complex"
    assert "too large or too complex" in error.message


def test_a_check_that_never_finishes_is_killed_at_the_wall_clock_limit(monkeypatch):
    monkeypatch.setattr("portal.core.uploads.pdf.WALL_SECONDS", 0.01)
    assert refusal(samples.text_pdf()).code == "pdf_too_complex"


def test_a_check_that_needs_too_much_memory_is_refused(monkeypatch):
    monkeypatch.setattr("portal.core.uploads.pdf.MEMORY_BYTES", 64 * 1024 * 1024)
    assert refusal(samples.big_array_pdf(8 * 1024 * 1024)).code == "pdf_too_complex"


def test_too_many_objects_are_refused_before_walking_them(monkeypatch):
    monkeypatch.setattr("portal.core.uploads.pdf.MAX_OBJECTS", 500)
    data = samples.many_objects_pdf(40_000)
    assert refusal(data).code == "pdf_too_complex"
    monkeypatch.setattr("portal.core.uploads.pdf.MAX_OBJECTS", 5_000)
    assert accepted(data)


def test_deep_nesting_is_refused_as_unreadable():
    assert refusal(samples.deep_nesting_pdf(200_000)).code == "pdf_unreadable"


def test_the_check_runs_in_a_child_process_with_limits(monkeypatch):
    from portal.core.uploads import pdf

    seen = {}
    real_run = subprocess.run

    def spy(args, **kwargs):
        seen["args"], seen["timeout"] = args, kwargs.get("timeout")
        return real_run(args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "run", spy)
    assert accepted(samples.text_pdf())
    assert seen["args"][1:3] == ["-I", pdf.WORKER]
    assert seen["args"][4:] == [str(pdf.CPU_SECONDS), str(pdf.MEMORY_BYTES), str(pdf.MAX_OBJECTS)]
    assert seen["timeout"] == pdf.WALL_SECONDS


# --- item 3: active content hidden in object streams --------------------------------------------------


@pytest.mark.parametrize("stream_filter", ["ASCIIHexDecode", "ASCII85Decode", "FlateDecode"])
@pytest.mark.parametrize("decode_parms", [b"<< /Foo 1 >>", b""], ids=["odd-parms", "no-parms"])
def test_javascript_catalog_inside_an_object_stream_is_refused(stream_filter, decode_parms):
    data = samples.object_stream_pdf(samples.HIDDEN_JAVASCRIPT, stream_filter=stream_filter,
                                     decode_parms=decode_parms)
    error = refusal(data)
    if decode_parms and stream_filter != "FlateDecode":
        # qpdf will not decode an ASCII filter given parameters it does not take (poppler will).
        assert error.code == "pdf_unreadable"
    else:
        assert error.code == "pdf_active"
        assert "JavaScript" in error.message


def test_the_object_stream_sample_is_a_real_attack_for_a_reader():
    """The sample is what the issue describes: a real reader (PDFium, Chrome's) finds the hidden script."""
    data = samples.object_stream_pdf(samples.HIDDEN_JAVASCRIPT)
    assert any("app.alert('issue 12')" in script for script in javascript_actions(data))


def test_names_hidden_in_an_unreadable_object_stream_are_refused():
    """The catalog is readable, but the object it names lives where qpdf cannot look; a viewer
    that decodes the stream would find a JavaScript name tree there."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /Names 5 0 R >>", **{k: v for k, v in
               samples.HIDDEN_JAVASCRIPT.items() if k in (2, 3, 4)}, 5: b"<< /JavaScript 6 0 R >>",
               6: b"<< /Names [(run) 4 0 R] >>"}
    data = samples.object_stream_pdf(objects, stream_filter="ASCIIHexDecode", decode_parms=b"<< /Foo 1 >>")
    assert refusal(data).code == "pdf_unreadable"


def test_form_field_refuses_the_object_stream_attack():
    field = PrivateFileField(kinds=("pdf",))
    for stream_filter in ("ASCIIHexDecode", "ASCII85Decode"):
        data = samples.object_stream_pdf(samples.HIDDEN_JAVASCRIPT, stream_filter=stream_filter)
        with pytest.raises(ValidationError):
            field.clean(SimpleUploadedFile("evidence.pdf", data))


@pytest.mark.parametrize(
    ("catalog", "reason"),
    [
        ({"OpenAction": pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.com/"))},
         "by itself"),
        ({"OpenAction": pikepdf.Dictionary(S=pikepdf.Name.Named, N=pikepdf.Name.Print)}, "by itself"),
        ({"AA": pikepdf.Dictionary(WC=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([0])))},
         "by itself"),
        ({"OpenAction": pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(" JaVa\tScript:alert(1)"))},
         "JavaScript"),
        ({"Outlines": pikepdf.Dictionary(A=pikepdf.Dictionary(S=pikepdf.Name.URI,
                                                              URI=pikepdf.String("javascript:alert(1)")))},
         "JavaScript"),
        ({"Names": pikepdf.Dictionary(EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array()))}, "embedded"),
        ({"OpenAction": pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))}, "programs"),
        ({"OpenAction": pikepdf.Dictionary(S=pikepdf.Name.GoToE, D=pikepdf.Array([0]))}, "programs"),
        ({"AcroForm": pikepdf.Dictionary(XFA=pikepdf.Array(), Fields=pikepdf.Array())}, "XFA"),
        ({"Outlines": pikepdf.Dictionary(A=pikepdf.Dictionary(S=pikepdf.Name.SubmitForm))}, "submit"),
        ({"Outlines": pikepdf.Dictionary(A=pikepdf.Dictionary(S=pikepdf.Name.ImportData))}, "submit"),
        ({"Outlines": pikepdf.Dictionary(Subtype=pikepdf.Name.RichMedia)}, "rich media"),
    ],
)
def test_actions_are_refused_with_their_reason(catalog, reason):
    error = refusal(samples.text_pdf(**catalog))
    assert error.code == "pdf_active"
    assert reason in error.message


def test_opening_at_a_page_is_not_an_active_action():
    """`/OpenAction [page /Fit]` (LaTeX's hyperref, many office suites) only says where to open."""
    pdf_file = pikepdf.open(__import__("io").BytesIO(samples.text_pdf()))
    destination = pikepdf.Array([pdf_file.pages[0].obj, pikepdf.Name.Fit])
    out = __import__("io").BytesIO()
    pdf_file.Root.OpenAction = destination
    pdf_file.save(out)
    assert accepted(out.getvalue())
    pdf_file.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=destination)
    out = __import__("io").BytesIO()
    pdf_file.save(out)
    assert accepted(out.getvalue())


def test_web_links_are_not_active_content():
    link = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://www.zjcredit.org.cn/"))
    assert accepted(samples.text_pdf(Outlines=pikepdf.Dictionary(A=link)))


def test_password_protected_pdf_is_refused_with_its_reason():
    pdf_file = pikepdf.open(__import__("io").BytesIO(samples.text_pdf()))
    out = __import__("io").BytesIO()
    pdf_file.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    error = refusal(out.getvalue())
    assert error.code == "pdf_encrypted"
    assert "password" in error.message


def test_garbage_after_the_header_is_refused_as_unreadable():
    error = refusal(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert error.code == "pdf_unreadable"


def test_reasons_are_told_in_chinese():
    with translation.override("zh-hans"):
        for data, text in ((samples.stream_lines_pdf(2000), "不是可读取的 PDF"),
                           (samples.text_pdf(OpenAction=pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                                                          JS=pikepdf.String("x"))), "JavaScript")):
            with pytest.raises(ValidationError) as exc:
                validate_upload(SimpleUploadedFile("a.pdf", data))
            assert text in str(exc.value.message)


# --- item 4: genuine scans ---------------------------------------------------------------------------


def test_three_page_300_dpi_colour_scan_is_accepted():
    """Like the refused scan of the issue: its Flate images inflate to 78 MB."""
    data = samples.scan_pdf(pages=3, ink=0.01)
    assert accepted(data, name="营业执照扫描件.pdf")


def test_scan_with_jpeg_pages_is_accepted():
    assert accepted(samples.scan_pdf(pages=2, width=1240, height=1754, jpeg_pages=1))


def bytes_like_markup_in_image_data() -> bytes:
    """A JPEG-declared image stream whose (encoded, never decoded) bytes happen to read like markup
    and like dangerous names: compressed data does this by chance now and then."""
    pdf_file = pikepdf.open(__import__("io").BytesIO(samples.text_pdf()))
    noise = b"\xff\xd8\xff\xe0" + b"\x13<svg \x8a<HTML>\x02/JS /JavaScript \x99<?php \x00" * 3 + b"\xff\xd9"
    image = pikepdf.Stream(pdf_file, noise, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=1,
                           Height=1, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8,
                           Filter=pikepdf.Name.DCTDecode)
    pdf_file.pages[0].Resources.XObject = pikepdf.Dictionary(Im0=image)
    out = __import__("io").BytesIO()
    pdf_file.save(out, compress_streams=False)
    return out.getvalue()


def test_compressed_bytes_that_read_like_markup_or_names_are_not_refused():
    data = bytes_like_markup_in_image_data()
    assert b"<svg " in data and b"/JavaScript " in data
    assert accepted(data)


@pytest.mark.parametrize("payload", [b"<svg onload=alert(1)>", b"<html><script>alert(1)</script>"])
def test_markup_outside_stream_data_is_still_refused(payload):
    data = bytes_like_markup_in_image_data()
    assert refusal(data + payload).code == "active"  # after %%EOF
    between = data.replace(b"endobj\n", b"endobj\n" + payload + b"\n", 1)
    assert refusal(between).code == "active"  # between two objects, where qpdf does not look


def test_markup_in_a_pdf_string_is_refused_even_when_hex_encoded():
    title = pikepdf.String(b"<script>alert(document.domain)</script>")
    pdf_file = pikepdf.open(__import__("io").BytesIO(samples.text_pdf()))
    pdf_file.docinfo[pikepdf.Name.Title] = title
    out = __import__("io").BytesIO()
    pdf_file.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)  # the string is compressed
    assert b"<script>" not in out.getvalue()
    assert refusal(out.getvalue()).code == "active"


def test_raw_dangerous_name_outside_any_object_is_refused():
    data = samples.text_pdf() + b"\n7 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n"
    assert refusal(data).code == "pdf_active"
