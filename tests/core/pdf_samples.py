"""PDF files built in code for the upload checks: genuine-looking scans and the attacks of issue #12.

Used by tests/core/test_upload_pdf.py and by bench/uploads.py (10 MB versions). Everything is
deterministic (seeded noise), so a failure reproduces.
"""

import base64
import io
import random
import zlib

import pikepdf


def scan_pdf(*, pages: int = 3, width: int = 2480, height: int = 3508, ink: float = 0.04, seed: int = 12,
             jpeg_pages: int = 0) -> bytes:
    """A scanner's PDF: one full-page 8-bit RGB image per page (300 dpi A4 by default).

    A page is white paper with sparse grain, lines of "text" (dark noise) on `ink` of the rows, and is
    Flate-compressed like many scanners do: 3 pages decompress to 3 × 26 MB (issue #12, item 4: a
    103 KB scan whose images inflate to 78 MB). The last `jpeg_pages` pages are JPEG (DCTDecode)
    instead, as other scanners write them. Objects go into object streams, as recent writers do.
    """
    rng = random.Random(seed)
    row_bytes = width * 3
    papers = []
    for _ in range(8):
        row = bytearray(b"\xff" * row_bytes)
        for _ in range(row_bytes // 200):
            row[rng.randrange(row_bytes)] = rng.randrange(200, 255)
        papers.append(bytes(row))
    pool = rng.randbytes(row_bytes * 4)
    pdf = pikepdf.new()
    for number in range(pages):
        rows = []
        for _ in range(height):
            paper = papers[rng.randrange(8)]
            if rng.random() < ink:
                start = rng.randrange(0, row_bytes // 2) // 3 * 3
                length = rng.randrange(row_bytes // 8, row_bytes // 2) // 3 * 3
                offset = rng.randrange(0, len(pool) - length)
                rows.append(paper[:start] + pool[offset : offset + length] + paper[start + length :])
            else:
                rows.append(paper)
        raw = b"".join(rows)
        if number >= pages - jpeg_pages:
            from PIL import Image

            out = io.BytesIO()
            Image.frombytes("RGB", (width, height), raw).save(out, "JPEG", quality=75)
            data, image_filter = out.getvalue(), pikepdf.Name.DCTDecode
        else:
            data, image_filter = zlib.compress(raw, 6), pikepdf.Name.FlateDecode
        image = pikepdf.Stream(
            pdf, data, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=width, Height=height,
            ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8, Filter=image_filter,
        )
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pikepdf.Stream(pdf, b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    pdf.docinfo[pikepdf.Name.Producer] = "Scanner firmware 2.1"
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def text_pdf(**catalog) -> bytes:
    """A one-page PDF with a line of text (pikepdf), catalog entries given as pikepdf objects."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pikepdf.Stream(pdf, b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET")
    for key, value in catalog.items():
        pdf.Root[pikepdf.Name("/" + key)] = pdf.make_indirect(value) if isinstance(value, pikepdf.Dictionary) else value
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _encode(data: bytes, stream_filter: str) -> bytes:
    if stream_filter == "ASCIIHexDecode":
        return data.hex().upper().encode() + b">"
    if stream_filter == "ASCII85Decode":
        return base64.a85encode(data) + b"~>"
    if stream_filter == "FlateDecode":
        return zlib.compress(data)
    raise ValueError(stream_filter)


def object_stream_pdf(objects: dict[int, bytes], *, stream_filter: str = "ASCIIHexDecode",
                      decode_parms: bytes = b"<< /Foo 1 >>") -> bytes:
    """A PDF 1.5 whose objects all live in one object stream (`/Type /ObjStm`) encoded with
    `stream_filter`, found through a cross-reference stream; object 1 must be the catalog.

    Written byte by byte, so the file is exactly what an attacker would send (issue #12, item 3).
    """
    numbers = sorted(objects)
    body, offsets = b"", []
    for number in numbers:
        offsets.append(len(body))
        body += objects[number] + b"\n"
    header = b" ".join(b"%d %d" % (n, off) for n, off in zip(numbers, offsets, strict=True)) + b"\n"
    decoded = header + body
    encoded = _encode(decoded, stream_filter)
    objstm = max(numbers) + 1
    xref_number = objstm + 1
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objstm_offset = len(out)
    parms = b" /DecodeParms " + decode_parms if decode_parms else b""
    out += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /%s%s /Length %d >>\nstream\n"
            % (objstm, len(numbers), len(header), stream_filter.encode(), parms, len(encoded)))
    out += encoded + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    size = xref_number + 1
    rows = []
    for number in range(size):
        if number in objects:
            rows.append(bytes([2]) + objstm.to_bytes(4, "big") + numbers.index(number).to_bytes(2, "big"))
        elif number == objstm:
            rows.append(bytes([1]) + objstm_offset.to_bytes(4, "big") + b"\x00\x00")
        elif number == xref_number:
            rows.append(bytes([1]) + xref_offset.to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(bytes([0]) + b"\x00\x00\x00\x00" + b"\xff\xff")
    xref = b"".join(rows)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % (xref_number, size, len(xref)))
    out += xref + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


HIDDEN_JAVASCRIPT = {
    1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /Names << /JavaScript 5 0 R >> >>",
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    4: b"<< /Type /Action /S /JavaScript /JS (app.alert('issue 12')) >>",
    5: b"<< /Names [(run) 4 0 R] >>",
}


def classic_pdf(objects: dict[int, bytes], *, tail: bytes = b"") -> bytes:
    """A PDF with a classic cross-reference table; object 1 must be the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref_offset = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_offset)
    return bytes(out) + tail


PAGE_OBJECTS = {
    1: b"<< /Type /Catalog /Pages 2 0 R >>",
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
}


def stream_lines_pdf(size: int) -> bytes:
    """`stream` lines without any `endstream` (the quadratic case of issue #12, item 2)."""
    head = b"%PDF-1.4\n"
    return head + b"stream\n" * ((size - len(head)) // 7)


def open_streams_pdf(size: int) -> bytes:
    """Objects that open a stream with a huge /Length and never end it: a reader that searches
    for `endstream` from each of them reads to the end of the file every time."""
    head = b"%PDF-1.4\n"
    out, number = [head], 1
    total = len(head)
    while True:
        chunk = b"%d 0 obj\n<< /Length 99999999 >>\nstream\n" % number
        if total + len(chunk) > size:
            return b"".join(out)
        out.append(chunk)
        total += len(chunk)
        number += 1


def many_objects_pdf(size: int, count: int | None = None) -> bytes:
    """As many small indirect objects as fit in `size` bytes (or `count` objects padded with numbers
    to fill it), with a valid cross-reference table."""
    objects = dict(PAGE_OBJECTS)
    budget = size - 400
    padding = b""
    if count:
        padding = b" /P [" + b"0 " * max(0, (budget // count - 60) // 2) + b"]"
    number, used = 4, 0
    while not count or number < count + 4:
        obj = b"<< /A [%d /B (c)]%s >>" % (number, padding)
        cost = len(b"%d 0 obj\n\nendobj\n" % number) + len(obj) + 20  # the object and its xref line
        if used + cost > budget:
            break
        objects[number] = obj
        used += cost
        number += 1
    return classic_pdf(objects)


def big_array_pdf(size: int) -> bytes:
    """One array of millions of numbers (one object, millions of elements)."""
    objects = dict(PAGE_OBJECTS)
    objects[4] = b"[" + b"0 " * ((size - 400) // 2) + b"]"
    return classic_pdf(objects)


def deep_nesting_pdf(size: int) -> bytes:
    """Arrays nested millions deep."""
    objects = dict(PAGE_OBJECTS)
    depth = (size - 400) // 2
    objects[4] = b"[" * depth + b"]" * depth
    return classic_pdf(objects)
