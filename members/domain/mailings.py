"""Mailings to members: who is in a segment, the message as each recipient gets it, sending in batches.

Segments are code (`SEGMENTS`): all member units, one tier, units in arrears, applicants, credit
demonstration units (answered by the programme through the `mailing_segment_units` hook: this app does
not know the programme), registrants of an event, individual members. A unit is reached at its own
address and at the addresses of the people who act for it; each address gets its own email, with a
one-click unsubscribe link (a signed token) in non-essential mailings. Every email ends with the
association's identity (name, address, phone, website).

Sending is throttled through the outbox: `send_mailing` records every recipient and queues the first
batch; `queue_next_batches` (the scheduled job) queues the next batch of each mailing being sent, and
finishes it when none is left.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail import hooks

from portal.core.mail import queue_email
from portal.organisations.models import Organisation

from ..models import (
    DuesItem,
    IndividualMember,
    Mailing,
    MailingOptOut,
    MailingRecipient,
    Membership,
    MembershipApplication,
)
from ..workflows import MAILINGS
from .common import rules

OPT_OUT_SALT = "members.mailing.opt-out"
# fn(segment key) -> organisation ids or None: processes above this app answer for their own segments
SEGMENT_HOOK = "mailing_segment_units"
S = Mailing.Segment


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str


# ------------------------------------------------------------------------------------------ segments


def _units(organisation_ids) -> list[Recipient]:
    """Each unit's own address and its people's (active accounts), one recipient per address."""
    found: dict[str, Recipient] = {}
    organisations = Organisation.objects.filter(pk__in=list(organisation_ids)).prefetch_related("users").order_by("name")
    for org in organisations:
        for address in [org.email, *(u.email for u in org.users.all() if u.is_active)]:
            key = (address or "").strip().lower()
            if key and key not in found:
                found[key] = Recipient(key, org.name)
    return list(found.values())


def _current_members():
    return Membership.objects.filter(status=Membership.Status.ACTIVE)


def segment_units(mailing: Mailing):
    """The organisation ids of a unit segment (None for a segment of people)."""
    segment = mailing.segment
    if segment == S.MEMBERS:
        return _current_members().values_list("organisation_id", flat=True)
    if segment == S.TIER:
        return _current_members().filter(tier_id=mailing.tier_id).values_list("organisation_id", flat=True)
    if segment == S.ARREARS:
        current = rules().dues_year_of(timezone.localdate())
        late = DuesItem.objects.filter(membership=OuterRef("pk"), year__lt=current).exclude(status=DuesItem.Status.PAID)
        return (Membership.objects.filter(status__in=[Membership.Status.ACTIVE, Membership.Status.LAPSED])
                .filter(Exists(late)).values_list("organisation_id", flat=True))
    if segment == S.APPLICANTS:
        return MembershipApplication.objects.filter(status__in=[MembershipApplication.Status.SUBMITTED,
                                                                MembershipApplication.Status.RETURNED]
                                                    ).values_list("organisation_id", flat=True)
    if segment == S.EVENT:
        from portal.services.models import EventRegistration

        return EventRegistration.objects.filter(event_id=mailing.event_id).values_list("organisation_id", flat=True)
    if segment == S.DEMONSTRATION:
        ids = set()
        for answer in hooks.get_hooks(SEGMENT_HOOK):
            ids |= set(answer(segment) or ())
        return ids
    return None


def recipients_for(mailing: Mailing) -> list[Recipient]:
    """The addresses the mailing would go to now (before opt-outs)."""
    if mailing.segment == S.INDIVIDUALS:
        people = IndividualMember.objects.filter(status=IndividualMember.Status.ACTIVE).exclude(email="")
        seen, found = set(), []
        for person in people.order_by("member_number"):
            if person.email.lower() not in seen:
                seen.add(person.email.lower())
                found.append(Recipient(person.email.lower(), person.name))
        return found
    ids = segment_units(mailing)
    if mailing.segment == S.EVENT:  # the people who registered, besides their units' addresses
        from portal.services.models import EventRegistration

        found = {r.email: r for r in _units(ids or [])}
        for registration in EventRegistration.objects.filter(event_id=mailing.event_id).select_related(
                "registered_by", "organisation"):
            email = (registration.registered_by.email or "").lower()
            if email and registration.registered_by.is_active:
                found.setdefault(email, Recipient(email, registration.organisation.name))
        return list(found.values())
    return _units(ids or [])


def opted_out(addresses) -> set[str]:
    return set(MailingOptOut.objects.filter(email__in=list(addresses)).values_list("email", flat=True))


def preview(mailing: Mailing) -> list[tuple[Recipient, bool]]:
    """(recipient, skipped because opted out) for the preview screen."""
    recipients = recipients_for(mailing)
    skipped = opted_out(r.email for r in recipients) if not mailing.is_essential else set()
    return [(r, r.email in skipped) for r in recipients]


# ------------------------------------------------------------------------------------------ opt-out


def opt_out_token(email: str) -> str:
    return signing.dumps(email.strip().lower(), salt=OPT_OUT_SALT)


def email_from_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        return None


def set_opt_out(*, email: str, opt_out: bool, request=None) -> None:
    """Opt out of (or back into) non-essential mailings; the one-click link and the account page call it."""
    from portal.core.audit import record

    email = email.strip().lower()
    if opt_out:
        row, created = MailingOptOut.objects.get_or_create(email=email)
        if created:
            record(row, "members.mailing.opt_out", request=request, data={"email": email})
        return
    row = MailingOptOut.objects.filter(email=email).first()
    if row is not None:
        record(row, "members.mailing.opt_in", request=request, data={"email": email})
        row.delete()


def is_opted_out(email: str) -> bool:
    return MailingOptOut.objects.filter(email=(email or "").strip().lower()).exists()


# ------------------------------------------------------------------------------------------ the message


def _absolute(html: str) -> str:
    base = settings.SITE_URL.rstrip("/")
    return re.sub(r'(href|src)="/', lambda m: f'{m.group(1)}="{base}/', html)


def rendered(mailing: Mailing, *, email: str, name: str = "") -> tuple[str, str]:
    """(text, html) of the mailing as `email` (of the member `name`) gets it: greeting, message, attachments,
    the association's identity, unsubscribe link."""
    from wagtail.rich_text import expand_db_html

    from portal.core.models import AssociationContact

    html_message = _absolute(expand_db_html(mailing.body))
    base = settings.SITE_URL.rstrip("/")
    attachments = [(a.document.title, base + a.document.url) for a in mailing.attachments.select_related("document")]
    unsubscribe = None if mailing.is_essential else base + reverse("members:unsubscribe", args=[opt_out_token(email)])
    context = {"mailing": mailing, "message_html": html_message, "attachments": attachments,
               "association": AssociationContact.load(), "unsubscribe": unsubscribe, "site_url": base,
               "greeting_name": name}
    text_message = re.sub(r"\n{3,}", "\n\n", strip_tags(re.sub(r"</(p|h2|h3|li)>|<br\s*/?>", "\n", html_message)))
    text = render_to_string("members/email/mailing.txt", {**context, "message_text": text_message.strip()})
    html = render_to_string("members/email/mailing.html", context)
    return text, html


# ------------------------------------------------------------------------------------------ sending


def create_mailing(*, mailing: Mailing, user, request=None) -> Mailing:
    """A draft (the admin's form saved through the table)."""
    mailing.created_by = user
    return MAILINGS.create(mailing, "draft", user=user, request=request, data={"subject": mailing.subject})


def _queue_batch(mailing: Mailing, *, size: int) -> int:
    """Queue the next `size` waiting recipients (locked: two runs never queue the same one)."""
    waiting = list(MailingRecipient.objects.select_for_update(skip_locked=True)
                   .filter(mailing=mailing, status=MailingRecipient.Status.WAITING).order_by("pk")[:size])
    now = timezone.now()
    for recipient in waiting:
        text, html = rendered(mailing, email=recipient.email, name=recipient.name)
        recipient.outbound = queue_email(to=[recipient.email], subject=mailing.subject, body=text, html_body=html)
        recipient.status, recipient.queued_at = MailingRecipient.Status.QUEUED, now
        recipient.save(update_fields=["outbound", "status", "queued_at"])
    return len(waiting)


def send_mailing(*, mailing: Mailing, user, request=None) -> Mailing:
    """Record every recipient (opted-out addresses skipped for non-essential mailings), queue the first batch."""

    def change(current):
        current.sent_by, current.sent_at = user, timezone.now()
        recipients = recipients_for(current)
        skipped = opted_out(r.email for r in recipients) if not current.is_essential else set()
        MailingRecipient.objects.bulk_create([
            MailingRecipient(mailing=current, email=r.email, name=r.name[:200],
                             status=MailingRecipient.Status.OPTED_OUT if r.email in skipped
                             else MailingRecipient.Status.WAITING)
            for r in recipients
        ])

    mailing = MAILINGS.transition(mailing, "send", user=user, request=request, change=change,
                                  data={"segment": mailing.segment, "kind": mailing.kind})
    with transaction.atomic():
        _queue_batch(mailing, size=mailing.batch_size)
    _finish_if_done(mailing)
    return mailing


def _finish_if_done(mailing: Mailing) -> bool:
    if mailing.recipients.filter(status=MailingRecipient.Status.WAITING).exists():
        return False

    def change(current):
        current.finished_at = timezone.now()

    MAILINGS.transition(mailing, "finish", user=None, change=change)
    return True


def queue_next_batches(*, today: datetime.date | None = None, dry_run: bool = False):
    """The scheduled job: each mailing being sent queues its next batch; one with none left is finished."""
    for mailing in Mailing.objects.filter(status=Mailing.Status.SENDING).order_by("pk"):
        waiting = mailing.recipients.filter(status=MailingRecipient.Status.WAITING).count()
        if dry_run:
            if waiting:
                yield f"mailing {mailing.pk}: would queue {min(waiting, mailing.batch_size)} of {waiting}"
            continue
        with transaction.atomic():
            queued = _queue_batch(mailing, size=mailing.batch_size)
        if queued:
            yield f"mailing {mailing.pk}: queued {queued} email(s)"
        if _finish_if_done(mailing):
            yield f"mailing {mailing.pk}: every email queued"


def log(mailing: Mailing):
    """Recipients with what became of their email (the outbox row's status and last error)."""
    return mailing.recipients.select_related("outbound").order_by("pk")
