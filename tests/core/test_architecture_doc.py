from pathlib import Path

from scripts.workflows import START, render, updated

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_process_tables_match_the_workflow_tables():
    text = README.read_text(encoding="utf-8")
    assert START in text
    assert updated(text, render()) == text, "run: python scripts/workflows.py"
