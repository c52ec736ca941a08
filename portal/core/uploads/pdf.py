"""The PDF check of uploads: qpdf (pikepdf) parses the file in a child process with limits.

Why a child process, not a thread or a plain call: qpdf is C++ and holds the GIL while it parses,
and some damaged files make its repair code search to the end of the file from every object
(quadratic: about 2 s of CPU for 1 MB of such objects), while a 10 MB file of small objects or
one huge array needs hundreds of MB. The web worker cannot interrupt qpdf, but it can kill a
child: `pdf_worker.py` runs under `python -I` with a CPU timer of CPU_SECONDS (it dies by SIGPROF
when the timer runs out; CPU time, so a busy machine does not refuse a genuine file that only
waited for a core) and an address-space limit of MEMORY_BYTES above what the interpreter and
pikepdf need; WALL_SECONDS is the backstop for a child that never gets to run. MAX_OBJECTS
refuses a file by the size of its cross-reference table, before qpdf parses a single object.

Starting the child costs about 0.1 s (interpreter and pikepdf), which a check of a genuine 10 MB
scan includes; `make bench` (bench/uploads.py) measures both kinds of files.
"""

import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

WORKER = str(Path(__file__).with_name("pdf_worker.py"))
CPU_SECONDS = 0.6
WALL_SECONDS = 10.0
MEMORY_BYTES = 384 * 1024 * 1024
# Genuine documents: a scan has tens of objects, a 300-page report a few thousand, a large tagged
# (accessible) report some tens of thousands.
MAX_OBJECTS = 50_000

MESSAGES = {
    "script": (_("The PDF contains JavaScript and was refused."), "pdf_active"),
    "external": (
        _("The PDF contains actions that start programs, submit or import data, or open other files, "
          "and was refused."),
        "pdf_active",
    ),
    "attachment": (_("The PDF contains embedded files and was refused."), "pdf_active"),
    "interactive": (_("The PDF contains rich media or an XFA form and was refused."), "pdf_active"),
    "auto_action": (
        _("The PDF runs an action by itself when it is opened or viewed (other than opening at a page) "
          "and was refused."),
        "pdf_active",
    ),
    "markup": (_("The file contains active content and was refused."), "active"),
    "unreadable": (
        _("The file is not a readable PDF: it is damaged or built in a way that cannot be checked. "
          "Save it again as PDF (for example with “Print to PDF”) and upload it again."),
        "pdf_unreadable",
    ),
    "encrypted": (
        _("The PDF is protected by a password. Remove the password and upload it again."),
        "pdf_encrypted",
    ),
    "too_complex": (
        _("The PDF is too large or too complex to check. Save it again as a simpler PDF "
          "(for example with “Print to PDF”) and upload it again."),
        "pdf_too_complex",
    ),
}


def inspect_pdf(path: str) -> tuple[str, str]:
    """Run the worker on a file; (verdict, detail). Never raises for a bad file."""
    args = [sys.executable, "-I", WORKER, path, str(CPU_SECONDS), str(MEMORY_BYTES), str(MAX_OBJECTS)]
    try:
        done = subprocess.run(args, capture_output=True, timeout=WALL_SECONDS, stdin=subprocess.DEVNULL,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        return "too_complex", "wall clock"
    try:
        result = json.loads(done.stdout.decode().strip().splitlines()[-1])
        return result["verdict"], result.get("detail", "")
    except (ValueError, IndexError, KeyError, UnicodeDecodeError):
        pass
    if done.returncode < 0:  # killed before its verdict: SIGPROF (CPU time), or out of memory
        return "too_complex", f"signal {-done.returncode}"
    logger.error("PDF check failed (exit %s): %s", done.returncode, done.stderr.decode(errors="replace")[-2000:])
    return "unreadable", "worker failed"


def check_pdf(upload) -> None:
    """Raise ValidationError (with the reason) unless the uploaded PDF passes the check."""
    path = getattr(upload, "temporary_file_path", None)
    if path:
        verdict, detail = inspect_pdf(path())
    else:
        with tempfile.NamedTemporaryFile(prefix="portal-pdf-", suffix=".pdf") as copy:
            upload.seek(0)
            for chunk in iter(lambda: upload.read(1 << 20), b""):
                copy.write(chunk)
            copy.flush()
            upload.seek(0)
            verdict, detail = inspect_pdf(copy.name)
    if verdict == "ok":
        return
    message, code = MESSAGES.get(verdict, MESSAGES["unreadable"])
    logger.info("PDF upload refused: %s (%s)", verdict, detail)
    raise ValidationError(message, code=code)
