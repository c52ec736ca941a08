"""Public notices (公示): publishing, and the scheduled job that opens and closes them to the minute and
awards the units nothing holds back. Table: `showcase.awards.workflows.NOTICES`."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.cache import invalidate_public_pages
from portal.core.workflow import WorkflowError
from showcase.domain import notify
from showcase.models import Application

from ..models import Notice, NoticeEntry, Objection, Revocation
from ..workflows import NOTICES
from .titles import acceptance_round, award_if_clear


def to_minute(value: datetime.datetime) -> datetime.datetime:
    return value.replace(second=0, microsecond=0)


def default_end(starts_at: datetime.datetime) -> datetime.datetime:
    """A notice lasts `notice_days` days to the minute (7 days: Monday 09:30 → next Monday 09:30)."""
    from ..models import rules

    return to_minute(starts_at) + datetime.timedelta(days=rules().notice_days)


def noticeable_applications():
    """Accepted applications not yet in a notice and not excluded (what the secretariat can publish)."""
    return (Application.objects.filter(status=Application.Status.ACCEPTED, notice_entry__isnull=True)
            .exclude(revocations__isnull=False)
            .select_related("organisation", "campaign"))


def publish_notice(*, applications: Iterable[Application], user, title: str, starts_at: datetime.datetime,
                   ends_at: datetime.datetime | None = None, body: str = "", request=None,
                   now: datetime.datetime | None = None) -> Notice:
    """The secretariat publishes a notice of one or several accepted units."""
    NOTICES.check_actor(user, Notice(), NOTICES["publish"])
    now = now or timezone.now()
    title = title.strip()
    pks = sorted({a.pk for a in applications})
    if not title:
        raise WorkflowError(_("Give the notice a title."))
    if not pks:
        raise WorkflowError(_("Choose at least one accepted unit for the notice."))
    starts_at = to_minute(starts_at)
    ends_at = to_minute(ends_at) if ends_at else default_end(starts_at)
    if starts_at < to_minute(now) - datetime.timedelta(minutes=5):
        raise WorkflowError(_("The notice cannot start in the past."))
    with transaction.atomic():
        locked = list(Application.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        if len(locked) != len(pks):
            raise WorkflowError(_("Some of the chosen applications no longer exist."))
        entries = []
        for index, application in enumerate(locked):
            if application.status != Application.Status.ACCEPTED:
                raise WorkflowError(_("%(unit)s has not been accepted.") % {"unit": application.unit_name})
            if NoticeEntry.objects.filter(application=application).exists():
                raise WorkflowError(_("%(unit)s is already in a notice.") % {"unit": application.unit_name})
            if Revocation.objects.filter(application=application).exists():
                raise WorkflowError(_("%(unit)s was excluded from the programme.") % {"unit": application.unit_name})
            accepted = acceptance_round(application)
            if accepted is None:
                raise WorkflowError(_("%(unit)s has no recorded acceptance date.") % {"unit": application.unit_name})
            org = application.organisation
            entries.append(NoticeEntry(application=application, unit_name=application.unit_name or org.name,
                                       credit_code=application.credit_code or org.credit_code,
                                       region_name=org.region_name, accepted_on=accepted.decided_on,
                                       sort_order=index))
        notice = Notice(title=title, body=body.strip(), starts_at=starts_at, ends_at=ends_at, published_at=now,
                        published_by=user)
        NOTICES.create(notice, "publish", user=user, request=request,
                       data={"applications": pks, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
        for entry in entries:
            entry.notice = notice
        NoticeEntry.objects.bulk_create(entries)
        invalidate_public_pages()
    if starts_at <= now:
        open_notice(notice, now)
    return notice


def open_notice(notice: Notice, now) -> Notice | None:
    """Record that a notice has opened and tell its units (once: None when it was already opened)."""

    def change(current):
        current.opened_at = now

    def emails(current):
        for entry in current.entries.select_related("application__organisation", "application__campaign"):
            notify.send(notify.unit(entry.application), _("Public notice of your unit: %(title)s") % {
                "title": current.title}, "awards/email/notice_opened.txt", notice=current, entry=entry)
        invalidate_public_pages()

    try:
        return NOTICES.transition(notice, "open", user=None, change=change, notify=emails,
                                  data={"at": now.isoformat()})
    except WorkflowError:  # opened already (by another server, or closed by now)
        return None


def close_notice(notice: Notice, now) -> tuple[Notice | None, list[str]]:
    """Record that a notice has ended; award its units without objections (held ones wait)."""
    lines, held = [], []

    def change(current):
        if current.opened_at is None:
            current.opened_at = current.starts_at
        current.closed_at = now
        for entry in current.entries.select_related("application__organisation", "application__campaign"):
            outcome = award_if_clear(entry, user=None, now=now)
            lines.append(f"{entry.unit_name}: {outcome}")
            if outcome == "held":
                held.append(entry)

    def emails(current):
        if held:
            notify.send(notify.secretariat(), _("Notice ended with open objections: %(title)s") % {
                "title": current.title}, "awards/email/notice_held.txt", notice=current, entries=held)
        invalidate_public_pages()

    try:
        closed = NOTICES.transition(notice, "close", user=None, change=change, notify=emails,
                                    data={"at": now.isoformat(), "held": [e.pk for e in held]})
    except WorkflowError:  # closed already
        return None, []
    return closed, lines


def process_notices(*, now: datetime.datetime, dry_run: bool = False):
    """The scheduled step: open notices whose start has come, close those whose end has passed
    (to the minute), and award units whose last objection has been dismissed since. Idempotent."""
    due_open = Notice.objects.published().filter(status=Notice.Status.PUBLISHED, starts_at__lte=now, ends_at__gt=now)
    for notice in due_open.order_by("starts_at"):
        if dry_run:
            yield f"would open notice {notice.pk} {notice.title}"
        elif open_notice(notice, now):
            yield f"opened notice {notice.pk} {notice.title}"
    due_close = Notice.objects.published().exclude(status=Notice.Status.CLOSED).filter(ends_at__lte=now)
    for notice in due_close.order_by("ends_at"):
        if dry_run:
            yield f"would close notice {notice.pk} {notice.title}"
            continue
        closed, lines = close_notice(notice, now)
        if closed:
            yield f"closed notice {notice.pk} {notice.title}: " + "; ".join(lines)
    # entries of ended notices left without a title once their objections are all dismissed
    waiting = (NoticeEntry.objects.filter(notice__status=Notice.Status.CLOSED, title__isnull=True)
               .exclude(objections__status__in=[Objection.Status.OPEN, Objection.Status.UPHELD])
               .exclude(application__revocations__isnull=False))
    for entry in waiting.select_related("notice"):
        if dry_run:
            yield f"would award {entry.unit_name}"
            continue
        with transaction.atomic():
            locked = NoticeEntry.objects.select_for_update(skip_locked=True).filter(pk=entry.pk).first()
            if locked is not None and award_if_clear(locked, user=None, now=now) == "awarded":
                yield f"awarded {entry.unit_name}"


def entry_state(entry, *, has_title: bool, objection_statuses, now=None) -> str:
    """awarded / not_awarded / held / in_notice / upcoming / pending (for display)."""
    now = now or timezone.now()
    if has_title:
        return "awarded"
    statuses = set(objection_statuses)
    if Objection.Status.UPHELD in statuses:
        return "not_awarded"
    phase = entry.notice.phase(now)
    if phase == Notice.Phase.UPCOMING:
        return "upcoming"
    if phase == Notice.Phase.OPEN:
        return "in_notice"
    if Objection.Status.OPEN in statuses:
        return "held"
    return "pending"


ENTRY_STATE_LABELS = {
    "awarded": gettext_lazy("Awarded"),
    "not_awarded": gettext_lazy("Not awarded (objection upheld)"),
    "held": gettext_lazy("Held: objection under investigation"),
    "in_notice": gettext_lazy("In public notice"),
    "upcoming": gettext_lazy("Notice not started"),
    "pending": gettext_lazy("Awaiting award"),
}
