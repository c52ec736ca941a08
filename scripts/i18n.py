#!/usr/bin/env python
"""Translation catalogues, one per area, so that each area's strings live beside its code.

    python scripts/i18n.py extract [AREA ...]   # update <area>/locale/zh_Hans/LC_MESSAGES/django.po (needs GNU gettext)
    python scripts/i18n.py compile              # .po -> .mo for every catalogue (pure Python, polib)
    python scripts/i18n.py check                # fail if any catalogue has untranslated or fuzzy entries
    python scripts/i18n.py conflicts            # fail if a msgid is translated differently in two catalogues
    python scripts/i18n.py fill [AREA ...]      # untranslated/fuzzy entries take another catalogue's translation

Msgids are English; zh_Hans is the complete catalogue (the site's default language).

Django merges every app's catalogue into one: for a (context, msgid) translated differently in two
catalogues, the app earlier in INSTALLED_APPS wins everywhere. So a generic word gets one translation in
every catalogue, and a word whose meaning depends on the area gets a context naming the area —
pgettext_lazy("showcase", "Apply") in Python, {% trans "Apply" context "showcase" %} in templates.
"""

import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANG = "zh_Hans"
# area -> (code directory holding locale/, template directories)
AREAS = {
    "core": ("portal/core", ["portal/accounts", "portal/organisations", "portal/privacy", "templates/core", "templates/accounts",
                             "templates/allauth", "templates/account", "templates/mfa", "templates/wagtailadmin",
                             "templates/privacy", "templates/*.html"]),
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


def incomplete() -> list[tuple[str, str | None, str]]:
    """(area, msgctxt, msgid) of every untranslated or fuzzy entry."""
    found = []
    for area in AREAS:
        path = po_path(area)
        if not path.exists():
            continue
        po = polib.pofile(str(path))
        found += [(area, entry.msgctxt, entry.msgid) for entry in po.untranslated_entries() + po.fuzzy_entries()]
    return found


def _translation(entry: polib.POEntry):
    return tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)) if entry.msgid_plural else entry.msgstr


def conflicts() -> dict[tuple[str | None, str], dict[str, object]]:
    """(msgctxt, msgid) -> {area: translation} for every msgid translated differently in two catalogues."""
    seen = defaultdict(dict)
    for area in AREAS:
        path = po_path(area)
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            if "fuzzy" not in entry.flags:
                seen[(entry.msgctxt, entry.msgid)][area] = _translation(entry)
    return {key: by_area for key, by_area in seen.items() if len(set(by_area.values())) > 1}


def fill(area: str) -> None:
    """Give untranslated and fuzzy entries of `area` the translation another catalogue has for the same (context, msgid),
    e.g. after code moved between areas."""
    known = {}
    for other in AREAS:
        path = po_path(other)
        if other != area and path.exists():
            for entry in polib.pofile(str(path)).translated_entries():
                if "fuzzy" not in entry.flags:
                    known.setdefault((entry.msgctxt, entry.msgid), entry)
    po = polib.pofile(str(po_path(area)))
    filled = 0
    for entry in po.untranslated_entries() + po.fuzzy_entries():
        source = known.get((entry.msgctxt, entry.msgid))
        if source is not None:
            entry.msgstr, entry.msgstr_plural = source.msgstr, dict(source.msgstr_plural)
            entry.previous_msgid = entry.previous_msgctxt = None
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    po.save()
    print(f"{area}: {filled} filled, {len(po.untranslated_entries())} untranslated")


def check() -> int:
    problems = incomplete()
    for area, msgctxt, msgid in problems:
        context = f" (context {msgctxt!r})" if msgctxt else ""
        print(f"{po_path(area).relative_to(ROOT)}: untranslated or fuzzy: {msgid!r}{context}")
    return 1 if problems else 0


def report_conflicts() -> int:
    found = conflicts()
    for (msgctxt, msgid), by_area in sorted(found.items(), key=lambda item: (item[0][1], item[0][0] or "")):
        context = f" (context {msgctxt!r})" if msgctxt else ""
        print(f"{msgid!r}{context}: " + ", ".join(f"{area} {text}" for area, text in by_area.items()))
    if found:
        print(f"{len(found)} msgid(s) translated differently across catalogues: unify the msgstr, "
              "or give the area's strings a context (pgettext / {% trans ... context ... %}).")
    return 1 if found else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["compile"]
    if command == "extract":
        for area in args or AREAS:
            extract(area)
    elif command == "fill":
        for area in args or AREAS:
            fill(area)
    elif command == "compile":
        compile_all()
    elif command == "check":
        sys.exit(check())
    elif command == "conflicts":
        sys.exit(report_conflicts())
    else:
        sys.exit(__doc__)
