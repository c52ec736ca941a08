"""The PDF upload check (issue #12): targets < 1 s on a 10 MB adversarial file, < 0.5 s on a real 10 MB scan.

Times `validate_upload` end to end, as a form does: the upload in a temporary file, the child
process (interpreter, pikepdf, qpdf's parse, the object walk, the raw-bytes scan) and its verdict.
The files are built by tests/core/pdf_samples.py. Prints the median and maximum wall-clock time of
N runs each, and the child's CPU time (what its limit counts; on a busy machine the wall-clock time
also includes waiting for a core).

    .venv/bin/python bench/uploads.py [--runs 5]
"""

import argparse
import logging
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import TemporaryUploadedFile  # noqa: E402

from portal.core.uploads import pdf, validate_upload  # noqa: E402
from tests.core import pdf_samples as samples  # noqa: E402

SIZE = 10 * 1024 * 1024
ADVERSARIAL_TARGET, SCAN_TARGET = 1.0, 0.5


def files():
    yield ("real scan: 5 pages A4 300 dpi colour, 3 Flate + 2 JPEG",
           samples.scan_pdf(pages=5, ink=0.25, jpeg_pages=2), SCAN_TARGET)
    yield "`stream` lines, no `endstream` (the issue's file)", samples.stream_lines_pdf(SIZE), ADVERSARIAL_TARGET
    yield "objects opening streams that never end (qpdf repair: quadratic)", samples.open_streams_pdf(SIZE), ADVERSARIAL_TARGET
    yield "165,000 small objects, valid xref (over the cap)", samples.many_objects_pdf(SIZE), ADVERSARIAL_TARGET
    yield ("49,000 objects of 200 bytes (just under the cap: all walked)", samples.many_objects_pdf(SIZE, 49_000),
           ADVERSARIAL_TARGET)
    yield "one array of 5 million numbers", samples.big_array_pdf(SIZE), ADVERSARIAL_TARGET
    yield "arrays nested 5 million deep", samples.deep_nesting_pdf(SIZE), ADVERSARIAL_TARGET


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def check(data: bytes) -> tuple[float, float, str]:
    upload = TemporaryUploadedFile("bench.pdf", "application/pdf", len(data), None)
    try:
        upload.write(data)
        upload.flush()
        upload.seek(0)
        start, cpu = time.perf_counter(), children_cpu()
        try:
            validate_upload(upload)
            verdict = "accepted"
        except ValidationError as error:
            verdict = f"refused ({error.code})"
        return time.perf_counter() - start, children_cpu() - cpu, verdict
    finally:
        upload.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("portal.core.uploads.pdf").setLevel(logging.WARNING)
    one, five, fifteen = os.getloadavg()
    print(f"limits: {pdf.CPU_SECONDS} s CPU, {pdf.MEMORY_BYTES // 2**20} MB above the interpreter, "
          f"{pdf.MAX_OBJECTS:,} objects; load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)\n")
    print("| file | size | verdict | median s | max s | child CPU s (max) | target | met? |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
    missed = []
    for label, data, target in files():
        assert len(data) <= SIZE, (label, len(data))
        runs = [check(data) for _ in range(args.runs)]
        times = [t for t, _, _ in runs]
        verdicts = sorted({v for _, _, v in runs})
        met = max(times) < target
        if not met:
            missed.append(label)
        print(f"| {label} | {len(data) / 2**20:.1f} MB | {', '.join(verdicts)} | {statistics.median(times):.2f} "
              f"| {max(times):.2f} | {max(c for _, c, _ in runs):.2f} | < {target} | {'yes' if met else 'no'} |")
    if missed:
        sys.exit(f"over target: {'; '.join(missed)}")


if __name__ == "__main__":
    main()
