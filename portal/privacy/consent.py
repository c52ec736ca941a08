"""Consent to the privacy policy and the user agreement: which versions are current, who agreed to which.

- Sign-up and public forms record consent with `record_consent` (the form field is `forms.ConsentField`).
- At every login (`check_at_login`, on Django's `user_logged_in`) the person's latest agreed versions are
  compared with the current ones; if a document has a newer version, the session remembers it and
  `ConsentMiddleware` sends the person to the consent page until they agree (or log out). Checking at login,
  not on every request, costs no query per request and does not interrupt someone in the middle of work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.core.audit import client_address
from portal.core.cache import public_memo

from .models import Consent, DocumentKind, LegalDocumentPage

SESSION_KEY = "privacy_consent_due"
ALL_KINDS = (DocumentKind.TERMS, DocumentKind.PRIVACY)


@dataclass(frozen=True)
class Document:
    """The current (live) version of a policy document, as remembered between requests."""

    kind: str
    title: str
    version: int
    effective_date: object
    change_summary: str
    url: str
    page_id: int
    revision_id: int | None


def current_documents(request=None) -> dict[str, Document]:
    """{kind: Document} of the live documents (one query; remembered until public data changes)."""

    def load():
        pages = LegalDocumentPage.objects.live().order_by("pk")
        found = {}
        for page in pages:
            found.setdefault(page.kind, Document(
                kind=page.kind, title=page.title, version=page.version, effective_date=page.effective_date,
                change_summary=page.change_summary, url=page.get_url() or page.url_path,
                page_id=page.pk, revision_id=page.live_revision_id,
            ))
        return found

    return public_memo(request, "privacy:documents", load)


def documents_for(kinds, request=None) -> list[Document]:
    current = current_documents(request)
    return [current[kind] for kind in kinds if kind in current]


def record_consent(*, kinds=ALL_KINDS, context: str, request=None, user=None, subject=None) -> list[Consent]:
    """Record that `user` (or the person behind `subject`, e.g. an objection) agreed to the current version
    of each document in `kinds` now. Documents not published are skipped (there is nothing to agree to)."""
    if user is None and subject is None:
        raise ValueError("record_consent needs a user or a subject")
    address = client_address(request) or None
    rows = [
        Consent(user=user, subject=subject, kind=doc.kind, version=doc.version, revision_id=doc.revision_id,
                context=context, ip=address)
        for doc in documents_for(kinds, request)
    ]
    return Consent.objects.bulk_create(rows)


def agreed_versions(user) -> dict[str, int]:
    """{kind: highest version agreed} for a user (one query)."""
    rows = Consent.objects.filter(user=user).values("kind").annotate(version=Max("version"))
    return {row["kind"]: row["version"] for row in rows}


def due_kinds(user, request=None) -> list[str]:
    """The documents whose current version this user has not agreed to (never, or an older version)."""
    current = current_documents(request)
    if not current:
        return []
    agreed = agreed_versions(user)
    return [kind for kind in ALL_KINDS if kind in current and agreed.get(kind, 0) < current[kind].version]


def check_at_login(sender, request, user, **kwargs):
    """`user_logged_in`: remember in the session which documents the person must agree to first."""
    if request is None or not hasattr(request, "session"):
        return
    due = due_kinds(user, request)
    if due:
        request.session[SESSION_KEY] = due
    else:
        request.session.pop(SESSION_KEY, None)


# ------------------------------------------------------------------------------------ the checkbox label


def _link(doc: Document) -> SafeString:
    return format_html('<a href="{}" target="_blank" rel="noopener">《{}》</a>', doc.url, doc.title)


def _name(kind) -> str:
    return f"《{DocumentKind(kind).label}》"


def consent_label(kinds=ALL_KINDS, request=None, documents=None) -> SafeString:
    """"I have read and agree to 《用户协议》 and 《隐私政策》", each linked to its current text."""
    current = {d.kind: d for d in documents} if documents is not None else current_documents(request)
    parts = [_link(current[k]) if k in current else _name(k) for k in kinds]
    if len(parts) == 1:
        return format_html(_("I have read and agree to the {document}"), document=parts[0])
    joined = mark_safe(_(" and ").join(parts))  # the parts are escaped by format_html
    return format_html(_("I have read and agree to the {document}"), document=joined)



def forget_consent_addresses(model, ids) -> int:
    """Clear the network address on the consents recorded with these rows (e.g. anonymised objections)."""
    from django.contrib.contenttypes.models import ContentType

    ids = list(ids)
    if not ids:
        return 0
    subject_type = ContentType.objects.get_for_model(model)
    return Consent.objects.filter(subject_type=subject_type, subject_id__in=ids).exclude(ip=None).update(ip=None)
