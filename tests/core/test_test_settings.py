"""The test settings' temp media: each test process removes its own when it ends."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MAKE_UPLOAD = (
    "import os, sys, django; django.setup(); from django.conf import settings; from pathlib import Path; "
    "private = Path(settings.PRIVATE_MEDIA_ROOT); private.mkdir(parents=True); "
    "(private / 'licence.png').write_bytes(b'x'); print(private.parent); "
)


def run(code: str, tmp_path) -> list[str]:
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.test", "TMPDIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_test_process_removes_its_temp_media_when_it_ends(tmp_path):
    """Every test process used to leave its temp dir, uploads included, in /tmp (933 on this machine)."""
    made = Path(run(MAKE_UPLOAD, tmp_path)[0])
    assert made.parent == tmp_path and made.name.startswith("portal-tests-")
    assert not made.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_forked_child_leaves_its_parents_temp_media_in_place(tmp_path):
    """A forked child inherits the exit hook; the directory is still the parent's, in use."""
    code = MAKE_UPLOAD + (
        "sys.stdout.flush(); pid = os.fork()\n"
        "if pid == 0:\n    sys.exit(0)\n"
        "os.waitpid(pid, 0); print(private.exists())"
    )
    made, still_there = run(code, tmp_path)
    assert still_there == "True"
    assert not Path(made).exists()
