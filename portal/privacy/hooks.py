"""The questions privacy asks the processes, as Wagtail hooks (privacy imports none of them).

Each process registers small functions in its own `wagtail_hooks.py`:

- ``hooks.register("personal_data_sections", fn)`` — ``fn(user) -> list of {"title": str, "items": [record]}``
  where a record is a dict {label: value} (values: text, numbers, dates, None). What the process holds
  about this person, for "what we hold about you", the downloads and the staff view.
- ``hooks.register("cancellation_blockers", fn)`` — ``fn(user) -> list of str``: reasons (in the user's
  language) why the account cannot be cancelled now, e.g. an application under review.
- ``hooks.register("anonymise_personal_data", fn)`` — ``fn(user, pseudonym) -> None``: replace this person's
  personal fields in the process's rows (contact names, phones, emails) by the pseudonym or blanks, keeping
  the rows. Runs inside the cancellation's transaction, before the account itself is anonymised (so the
  user's email is still there to match on).
- ``hooks.register("retention_jobs", fn)`` — ``fn(today, dry_run, rules) -> iterable of report lines``:
  anonymise or delete what is past its period (`rules` is the `RetentionRules` setting). Idempotent: a
  second run finds nothing left to do.
- ``hooks.register("personal_data_views", fn)`` — ``fn() -> {url name: model}``: admin views that show one
  person's details (the object's pk is the URL's ``pk``); each 200 GET writes `privacy.personal_data.view`.
"""

from wagtail import hooks

SECTIONS = "personal_data_sections"
BLOCKERS = "cancellation_blockers"
ANONYMISE = "anonymise_personal_data"
RETENTION = "retention_jobs"
VIEWS = "personal_data_views"


def personal_data_sections(user) -> list[dict]:
    sections = []
    for fn in hooks.get_hooks(SECTIONS):
        sections.extend(fn(user) or [])
    return sections


def cancellation_blockers(user) -> list[str]:
    reasons: list[str] = []
    for fn in hooks.get_hooks(BLOCKERS):
        reasons.extend(str(reason) for reason in fn(user) or [])
    return reasons


def anonymise_personal_data(user, pseudonym: str) -> None:
    for fn in hooks.get_hooks(ANONYMISE):
        fn(user, pseudonym)


def personal_data_views() -> dict:
    views = {}
    for fn in hooks.get_hooks(VIEWS):
        views.update(fn() or {})
    return views
