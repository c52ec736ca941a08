#!/usr/bin/env python
"""Translation catalogues, one per area, so that each area's strings live beside its code.

    python scripts/i18n.py extract [AREA ...]   # update <area>/locale/zh_Hans/LC_MESSAGES/django.po (needs GNU gettext)
    python scripts/i18n.py compile              # .po -> .mo for every catalogue (pure Python, polib)
    python scripts/i18n.py check                # fail if any catalogue has untranslated or fuzzy entries

Msgids are English; zh_Hans is the complete catalogue (the site's default language).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANG = "zh_Hans"
# area -> (code directory holding locale/, template directories)
AREAS = {
    "core": ("portal/core", ["portal/accounts", "templates/core", "templates/accounts", "templates/allauth",
                             "templates/account", "templates/mfa", "templates/wagtailadmin", "templates/*.html"]),
    "magazine": ("portal/magazine", ["templates/magazine"]),
    "services": ("portal/services", ["templates/services"]),
    "members": ("members", ["templates/members"]),
    "showcase": ("showcase", ["templates/showcase"]),
    "awards": ("showcase/awards", ["templates/awards"]),
}
# sub-apps with their own catalogue, left out of their parent's extraction
NESTED = {"showcase": ["awards"]}


def po_path(area: str) -> Path:
    return ROOT / AREAS[area][0] / "locale" / LANG / "LC_MESSAGES" / "django.po"


def extract(area: str) -> None:
    code_dir, extra = AREAS[area]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "src").symlink_to(ROOT / code_dir)
        for i, pattern in enumerate(extra):
            for j, path in enumerate(sorted(ROOT.glob(pattern))):
                (tmp / f"x{i}_{j}_{path.name}").symlink_to(path)
        target = tmp / "locale" / LANG / "LC_MESSAGES"
        target.mkdir(parents=True)
        existing = po_path(area)
        if existing.exists():
            shutil.copy(existing, target / "django.po")
        cmd = [sys.executable, "-m", "django", "makemessages", "-l", LANG, "--symlinks", "--no-obsolete",
               "-e", "html,txt,py", "-i", "src/locale", "-i", "src/migrations", "-i", "locale"]
        for nested in NESTED.get(area, []):
            cmd += ["-i", f"src/{nested}"]
        env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "PYTHONPATH": str(ROOT)}
        subprocess.run(cmd, cwd=tmp, check=True, env=env, stdout=subprocess.DEVNULL)
        existing.parent.mkdir(parents=True, exist_ok=True)
        po = polib.pofile(str(target / "django.po"))
        po.metadata_is_fuzzy = False
        po.metadata.update({"Language": LANG, "Content-Type": "text/plain; charset=UTF-8"})
        for entry in po:  # file references point into the temp dir: make them repo-relative
            entry.occurrences = []
        po.save(str(existing))
    print(f"{area}: {existing.relative_to(ROOT)} ({len(polib.pofile(str(existing)).untranslated_entries())} untranslated)")


def compile_all() -> None:
    for area in AREAS:
        path = po_path(area)
        if path.exists():
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def check() -> int:
    problems = 0
    for area in AREAS:
        path = po_path(area)
        if not path.exists():
            continue
        po = polib.pofile(str(path))
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            problems += 1
            print(f"{path.relative_to(ROOT)}: untranslated or fuzzy: {entry.msgid!r}")
    return 1 if problems else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["compile"]
    if command == "extract":
        for area in args or AREAS:
            extract(area)
    elif command == "compile":
        compile_all()
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
