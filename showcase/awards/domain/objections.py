"""Objections (异议) during a public notice: filed by the public, decided by the secretariat.
Table: `showcase.awards.workflows.OBJECTIONS`."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.cache import invalidate_public_pages
from portal.core.numbering import formatted, highest_suffix
from portal.core.workflow import WorkflowError
from showcase.domain import notify

from .. import objection_limits
from ..models import Notice, NoticeEntry, Objection, rules
from ..workflows import OBJECTIONS
from .titles import award_if_clear


def objection_number(year: int) -> str:
    """YY-<year>-<nnnn>: the acknowledgement number, one sequence per year."""
    prefix = f"YY-{year}-"
    return formatted(f"awards.objection.{year}", prefix + "{n:04d}",
                     floor=lambda: highest_suffix(Objection.objects.all(), "number", prefix))


def check_objection_limits(*, notice: Notice, client_address: str = "", now: datetime.datetime | None = None) -> None:
    """The cheap checks of a public objection (before its upload is read): raises WorkflowError.

    Per client address and notice, a few an hour and a day; per notice and day, a ceiling of
    *confirmed* objections (see showcase/awards/objection_limits.py).
    """
    now = now or timezone.now()
    config = rules()
    if objection_limits.address_limit_reached(notice=notice, address=client_address, rules=config, now=now):
        raise WorkflowError(_("Too many objections from your network address for this notice: please try again "
                              "later, or contact the secretariat by phone."))
    if objection_limits.confirmed_today(notice, now) >= config.objections_per_notice_day:
        raise WorkflowError(_("This notice has received the maximum number of online objections for today: please "
                              "try again tomorrow, or contact the secretariat by phone."))


def submit_objection(*, entry: NoticeEntry, name: str, relationship: str, content: str, phone: str = "",
                     email: str = "", evidence=None, client_address: str = "", request=None,
                     now: datetime.datetime | None = None) -> Objection:
    """A member of the public files an objection during the notice; returns it with its acknowledgement number.

    It is recorded at once (and holds the unit until the secretariat decides it). With an email
    address, a 6-digit code is sent there: `confirm_objection` marks it confirmed, and only then
    does it count toward the notice's daily ceiling and is the secretariat emailed. With a phone
    number only, the secretariat is emailed now, that it is unconfirmed.
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
    check_objection_limits(notice=notice, client_address=client_address, now=now)
    code = objection_limits.new_code() if email else ""

    def emails(objection):
        if email:
            notify.send([email], _("Objection %(number)s: your confirmation code") % {"number": objection.number},
                        "awards/email/objection_received.txt", objection=objection, entry=objection.entry, code=code)
        else:
            _tell_the_secretariat(objection)

    with transaction.atomic():
        entry = NoticeEntry.objects.select_for_update().select_related("notice", "application__organisation").get(
            pk=entry.pk)
        number = objection_number(timezone.localtime(now).year)
        objection = Objection(entry=entry, number=number, name=name[:50], phone=phone[:30], email=email,
                              relationship=relationship, content=content, submitted_at=now,
                              client_address=objection_limits.storable_address(client_address),
                              confirmation_digest=objection_limits.code_digest(number, code) if code else "")
        if evidence is not None:
            objection.evidence_name = (getattr(evidence, "name", "") or "evidence")[:200]
            objection.evidence.save(objection.evidence_name, evidence, save=False)
        OBJECTIONS.create(objection, "submit", user=None, request=request, notify=emails,
                          data={"number": number, "entry": entry.pk, "relationship": relationship})
    objection_limits.count_submission(notice=notice, address=client_address, now=now)
    return objection


def _tell_the_secretariat(objection: Objection) -> None:
    notify.send(notify.secretariat(), _("New objection %(number)s: %(unit)s") % {
        "number": objection.number, "unit": objection.entry.unit_name}, "awards/email/objection_new.txt",
        objection=objection, entry=objection.entry)


def confirm_objection(*, number: str, code: str, client_address: str = "", request=None,
                      now: datetime.datetime | None = None) -> Objection:
    """The objector types the emailed code. Wrong codes are counted; after too many the objection
    stays recorded, unconfirmed. Confirming twice is harmless. Raises WorkflowError."""
    now = now or timezone.now()
    number = (number or "").strip().upper()
    wrong = _("The acknowledgement number or the code is not right. Check them against the email.")
    locked = _("Too many wrong codes: the objection stays recorded, unconfirmed, and the secretariat will "
               "contact you.")
    if not objection_limits.confirm_attempt_allowed(client_address):
        raise WorkflowError(_("Too many attempts from your network address: please try again in an hour."))
    with transaction.atomic():
        objection = (Objection.objects.select_for_update().select_related("entry")
                     .filter(number=number).exclude(email="").first())
        if objection is None:
            raise WorkflowError(wrong)
        if objection.confirmed_at:
            return objection
        if objection.confirmation_attempts >= objection_limits.CODE_ATTEMPTS:
            raise WorkflowError(locked)
        if objection_limits.code_matches(objection, code):
            def change(current):
                current.confirmed_at = now
                current.confirmation_digest = ""

            return OBJECTIONS.transition(objection, "confirm", user=None, request=request, change=change,
                                         notify=_tell_the_secretariat, data={"number": objection.number})
        objection.confirmation_attempts += 1
        objection.save(update_fields=["confirmation_attempts"])
    # raised after the block, so that the wrong attempt stays counted
    raise WorkflowError(locked if objection.confirmation_attempts >= objection_limits.CODE_ATTEMPTS else wrong)


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
