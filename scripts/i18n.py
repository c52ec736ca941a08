#!/usr/bin/env python
"""Translation catalogues, one per area, so that each area's strings live beside its code.

    python scripts/i18n.py extract [AREA ...]   # update <area>/locale/zh_Hans/LC_MESSAGES/django.po (needs GNU gettext)
    python scripts/i18n.py compile              # .po -> .mo for every catalogue (pure Python, polib)
    python scripts/i18n.py check                # fail if any catalogue has untranslated or fuzzy entries
    python scripts/i18n.py conflicts            # fail if a msgid is translated differently in two catalogues
    python scripts/i18n.py upstream             # fail if we translate a Django/Wagtail msgid differently from them
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
                             "templates/privacy", "templates/includes", "templates/*.html"]),
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


# Our catalogues come first in INSTALLED_APPS, so a msgid (without context) that we translate replaces Django's
# and Wagtail's own translation in *their* pages too: the pagination's "Pages" → 分页 renamed Wagtail's 页面
# menu. `upstream` refuses that; a word that is deliberately ours everywhere is listed here with the reason.
# Area words that should not reach the admin get a context instead (pgettext / {% trans ... context ... %}).
UPSTREAM_PACKAGES = ("django", "wagtail")
UPSTREAM_DIFFERENCES_ALLOWED = {
    ":": "form labels end with a full-width colon in Chinese (#14.18); Wagtail's admin labels carry no suffix",
    "Email": "电子邮箱 is the portal's word for an email address everywhere (allauth's pages too)",
    "email address": "电子邮箱 is the portal's word for an email address everywhere (allauth's pages too)",
    "Remove": "移除 (take an item off a list, e.g. an evidence file) reads better than 删除 there",
    "Site": "网站 is the portal's word for the public site; Wagtail's 站点 only names the Sites setting",
    "form submission": "our FormSubmission model (core); Wagtail's forms app is not used for it",
    "form submissions": "our FormSubmission model (core); Wagtail's forms app is not used for it",
    "Account": "账户 across the portal (allauth's word too); Wagtail's 帐号 is a variant spelling",
    "Admin": "the header link to the staff back office reads 管理后台",
    "Log out": "退出 is what Chinese sites say; 注销 also means cancelling the account (portal.privacy)",
    "Name": "姓名 for a person's name on our forms; Wagtail's 名字 reads the same in its snippets",
    "Page not found": "our own 404 page (templates/404.html) says 页面不存在, plainer than Django's 页面没有找到",
    "Last login": "最近登录 (our user list) is the same meaning as Wagtail's 上次登录",
    "Document": "文件 is the association's word for uploaded files (members, showcase evidence)",
    "document": "文件 is the association's word for uploaded files (members, showcase evidence)",
    "Documents": "文件 is the association's word for uploaded files; also names Wagtail's documents menu",
    "Action": "操作 (what a reviewer does) is clearer than Django's 动作 and Wagtail's 行为",
    "Actions": "操作 (what a reviewer does) is clearer than Wagtail's 动作",
    "Completed at": "完成时间 reads better than 完成于 in our tables; same meaning",
    "Breadcrumb": "当前位置 is what Chinese sites call the breadcrumb trail; same landmark",
    "Published": "出版日期 for magazine issues; TODO(magazine): context 'magazine' so Wagtail keeps 已发布",
    "Number": "编号 (document numbers) in our tables; Wagtail's 数字 is only in form builder fields",
    "Submitted": "提交时间 in our tables, where the column holds a date",
    "Summary": "汇总 for the services and dues summaries",
    "Enter a number.": "请输入数字。 with full-width punctuation, same meaning as Django's",
    "description": "简介 for catalogue and tier descriptions",
    "In progress": "办理中 (a request being handled); same meaning as Wagtail's 进行中",
    "requested by": "申请人 for service requests",
    "History": "办理记录 for a request's history; TODO(services): context 'services'",
    "Show": "查看 on our links; same meaning as Wagtail's 显示",
    "Reject": "驳回 is the association's word for refusing an application",
    "Rejected": "驳回 is the association's word for refusing an application",
    "Filter": "筛选 for list filters; Wagtail's 过滤器 only in its image filters",
    "Timeline": "进程 for an application's timeline",
    "Not started": "未开始, same meaning as Wagtail's 未启动",
    "comment": "评语 for an expert's comment on a score",
}


def upstream_translations() -> dict[str, set[str]]:
    """msgid -> its zh_Hans translations in the installed Django and Wagtail (no context, no plural)."""
    import importlib

    found = defaultdict(set)
    for name in UPSTREAM_PACKAGES:
        base = Path(importlib.import_module(name).__file__).parent
        for path in sorted(base.glob(f"**/locale/{LANG}/LC_MESSAGES/django.mo")):
            for entry in polib.mofile(str(path)):
                if entry.msgid and entry.msgstr and not entry.msgctxt and not entry.msgid_plural:
                    found[entry.msgid].add(entry.msgstr)
    return found


def upstream_differences() -> dict[str, dict[str, object]]:
    """msgid -> {area: our translation, "upstream": theirs} for every msgid we translate differently from
    Django or Wagtail, not allowed in UPSTREAM_DIFFERENCES_ALLOWED."""
    upstream = upstream_translations()
    found = {}
    for area in AREAS:
        path = po_path(area)
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            if entry.msgctxt or entry.msgid_plural or "fuzzy" in entry.flags:
                continue
            theirs = upstream.get(entry.msgid)
            if theirs and entry.msgstr not in theirs and entry.msgid not in UPSTREAM_DIFFERENCES_ALLOWED:
                found.setdefault(entry.msgid, {"upstream": theirs})[area] = entry.msgstr
    return found


def report_upstream_differences() -> int:
    found = upstream_differences()
    for msgid, by_area in sorted(found.items()):
        ours = ", ".join(f"{area} {text}" for area, text in by_area.items() if area != "upstream")
        print(f"{msgid!r}: {ours}; Django/Wagtail: {'/'.join(sorted(by_area['upstream']))}")
    if found:
        print(f"{len(found)} msgid(s) would replace Django's or Wagtail's own translation in their pages: give ours "
              "a context (pgettext / {% trans ... context ... %}), or list it in UPSTREAM_DIFFERENCES_ALLOWED with why.")
    return 1 if found else 0


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
    elif command == "upstream":
        sys.exit(report_upstream_differences())
    else:
        sys.exit(__doc__)
