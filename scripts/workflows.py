#!/usr/bin/env python
"""The README's process tables, generated from the workflow tables themselves (so they cannot drift).

    python scripts/workflows.py          # rewrite the part of README.md between the markers
    python scripts/workflows.py --check  # exit 1 if README.md is out of date (make lint, and a test)
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- workflows:start -->", "<!-- workflows:end -->"


def render() -> str:
    from django.utils import translation

    from portal.core.workflow import WORKFLOWS

    out = []
    with translation.override("en"):
        for name in sorted(WORKFLOWS):
            workflow = WORKFLOWS[name]
            out.append(f"#### {str(workflow.label).capitalize()} (`{name}`, `{workflow.model.__module__}."
                       f"{workflow.model.__name__}.{workflow.state_field}`)\n")
            out.append("| action | from | to | who | guard |")
            out.append("|---|---|---|---|---|")
            for row in workflow.rows():
                out.append(
                    f"| `{row['action']}` {row['label']} | {', '.join(row['from'])} | {row['to'] or '(unchanged)'} "
                    f"| {', '.join(row['who'])} | {row['guard']} |"
                )
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def updated(text: str, tables: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} … {END} section")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{tables}{END}{tail}"


def main(argv) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    text = README.read_text(encoding="utf-8")
    new = updated(text, render())
    if "--check" in argv:
        if new != text:
            print("README.md's process tables are out of date: run python scripts/workflows.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
