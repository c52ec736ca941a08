"""Objections (异议) during a public notice: filed by the public, decided by the secretariat.
Table: `showcase.awards.workflows.OBJECTIONS`."""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit import record
from portal.core.cache import invalidate_public_pages
from portal.core.numbering import formatted, highest_suffix
from portal.core.workflow import WorkflowError
from showcase.domain import notify

from ..models import NoticeEntry, Objection, rules
from ..workflows import OBJECTIONS
from .titles import award_if_clear


def objection_number(year: int) -> str:
    """YY-<year>-<nnnn>: the acknowledgement number, one sequence per year."""
    prefix = f"YY-{year}-"
    return formatted(f"awards.objection.{year}", prefix + "{n:04d}",
                     floor=lambda: highest_suffix(Objection.objects.all(), "number", prefix))


def _window_count(key: str, timeout: int) -> int:
    return int(cache.get(key) or 0)


def _bump(key: str, timeout: int) -> None:
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout)


def submit_objection(*, entry: NoticeEntry, name: str, relationship: str, content: str, phone: str = "",
                     email: str = "", evidence=None, client_address: str = "", request=None,
                     now: datetime.datetime | None = None) -> Objection:
    """A member of the public files an objection during the notice; returns it with its acknowledgement number.

    Limits (ShowcaseRules): a few per client address and notice per hour, and a ceiling per notice per day.
    """
    now = now or timezone.now()
    name, content, phone, email = name.strip(), content.strip(), phone.strip(), email.strip()
    if not name or not content:
        raise WorkflowError(_("Give your name and the content of the objection."))
    if not phone and not email:
        raise WorkflowError(_("Give a phone number or an email address so that we can contact you."))
    if relationship not in Objection.Relationship.values:
        raise WorkflowError(_("Choose your relationship to the unit."))
    notice = entry.notice
    if notice.published_at is None or now < notice.starts_at:
        raise WorkflowError(_("The public notice has not started yet; objections are accepted from %(start)s.") % {
            "start": timezone.localtime(notice.starts_at).strftime("%Y-%m-%d %H:%M")})
    if now >= notice.ends_at:
        raise WorkflowError(_("The public notice ended on %(end)s; objections are no longer accepted.") % {
            "end": timezone.localtime(notice.ends_at).strftime("%Y-%m-%d %H:%M")})
    config = rules()
    address = client_address or "unknown"
    address_key = f"awards:objection:address:{notice.pk}:{address}"
    day_key = f"awards:objection:notice:{notice.pk}:{timezone.localtime(now).date().isoformat()}"
    if _window_count(address_key, 3600) >= config.objections_per_address_hour:
        raise WorkflowError(_("Too many objections from your network address for this notice: please try again in "
                              "an hour, or contact the secretariat by phone."))
    if _window_count(day_key, 86400) >= config.objections_per_notice_day:
        raise WorkflowError(_("This notice has received the maximum number of online objections for today: please "
                              "try again tomorrow, or contact the secretariat by phone."))
    year = timezone.localtime(now).year
    with transaction.atomic():
        entry = NoticeEntry.objects.select_for_update().select_related("notice", "application__organisation").get(
            pk=entry.pk)
        objection = Objection(entry=entry, number=objection_number(year), name=name[:50], phone=phone[:30],
                              email=email, relationship=relationship, content=content, submitted_at=now,
                              client_address=client_address or None)
        if evidence is not None:
            objection.evidence_name = (getattr(evidence, "name", "") or "evidence")[:200]
            objection.evidence.save(objection.evidence_name, evidence, save=False)
        objection.save()
        record(objection, "awards.objection.submit", request=request,
               data={"number": objection.number, "entry": entry.pk, "relationship": relationship})
        if email:
            notify.send([email], _("Objection %(number)s received") % {"number": objection.number},
                        "awards/email/objection_received.txt", objection=objection, entry=entry)
        notify.send(notify.secretariat(), _("New objection %(number)s: %(unit)s") % {
            "number": objection.number, "unit": entry.unit_name}, "awards/email/objection_new.txt",
            objection=objection, entry=entry)
    _bump(address_key, 3600)
    _bump(day_key, 86400)
    return objection


OUTCOMES = {Objection.Status.DISMISSED: "dismiss", Objection.Status.UPHELD: "uphold"}


def decide_objection(*, objection: Objection, user, outcome: str, reason: str, request=None,
                     now: datetime.datetime | None = None) -> Objection:
    """The secretariat records its findings: dismissed (the unit may be awarded) or upheld (not awarded)."""
    now = now or timezone.now()
    reason = reason.strip()
    if outcome not in OUTCOMES:
        raise WorkflowError(_("Choose dismissed or upheld."))
    if not reason:
        raise WorkflowError(_("Give the findings and reasons; they are sent to the objector."))
    entries = []

    def change(current):
        entries.append(NoticeEntry.objects.select_for_update().select_related(
            "notice", "application__organisation").get(pk=current.entry_id))
        current.reason, current.decided_at, current.decided_by = reason, now, user

    def after(current):
        entry = entries[0]
        if current.email:
            notify.send([current.email], _("Objection %(number)s: result") % {"number": current.number},
                        "awards/email/objection_decided.txt", objection=current, entry=entry)
        if current.status == Objection.Status.UPHELD:
            notify.send(notify.unit(entry.application), _("Public notice of your unit: objection upheld"),
                        "awards/email/objection_upheld.txt", objection=current, entry=entry)
            invalidate_public_pages()
        elif entry.notice.ends_at <= now:
            award_if_clear(entry, user=user, now=now)

    return OBJECTIONS.transition(objection, OUTCOMES[outcome], user=user, request=request, note=reason,
                                 change=change, notify=after, data={"number": objection.number})
