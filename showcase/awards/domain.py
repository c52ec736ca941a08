"""Workflow of the titles (stages 5–8): every state change is one function here.

    accepted application ──publish_notice──▶ NoticeEntry (notice upcoming → open → ended, by its times)
        during the notice: submit_objection ──▶ Objection(open) ──decide_objection──▶ dismissed | upheld
        notice ended (process_notices / award_entry): no open or upheld objection ──▶ Title (certificate, plaque)
    Title: valid ─(90 days left)─▶ expiring ─▶ expired        (derived: models.title_status)
           start_re_review (agency's tracking evaluation) ──▶ under re-review (a showcase ReviewRound, kind re_review)
           decide_re_review / apply_decided_re_reviews ──▶ renewed from the decision date | not renewed
           revoke ──▶ revoked + announcement + ParticipationBan (three years)

Each function takes keyword-only arguments, checks the actor's role, runs in one transaction, re-reads
the rows it changes with select_for_update() and checks their state (of two concurrent calls exactly one
wins), writes an audit entry and queues emails (sent after commit). Scheduled steps take `now`/`today`
so that they can be run for any day and tested to the minute.
"""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.roles import Role, has_role
from portal.core.audit import record
from portal.core.cache import invalidate_public_pages
from portal.core.mail import queue_email
from portal.organisations.models import organisation_for
from showcase import access as showcase_access
from showcase import domain as showcase_domain
from showcase.models import Application, ApplicationEvent, ParticipationBan, ReviewRound, add_years

from . import objection_limits
from .models import (
    ExpiryReminder,
    Notice,
    NoticeEntry,
    Objection,
    ReReviewOutcome,
    Revocation,
    Title,
    TitleStatus,
    open_re_review_rounds,
    rules,
    title_status,
)


class AwardsError(Exception):
    """A refused step, with a message for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class NotFound(AwardsError):
    """The actor may not see the object (views answer 404)."""


def _require_role(user, *roles):
    if not has_role(user, *roles):
        raise PermissionError(_("You do not have the role required for this action."))


def _lock(model, pk, **related):
    qs = model.objects.select_for_update()
    if related.get("select_related"):
        qs = qs.select_related(*related["select_related"])
    return qs.get(pk=pk)


def _users_emails(qs) -> list[str]:
    return [e for e in qs.filter(is_active=True).values_list("email", flat=True).distinct() if e]


def unit_emails(application) -> list[str]:
    """The unit's addresses: the application's contact, the organisation and its users."""
    from django.contrib.auth import get_user_model

    org = application.organisation
    users = get_user_model().objects.filter(organisation_link__organisation_id=org.pk)
    emails = [application.contact_email, org.email, *_users_emails(users)]
    return list(dict.fromkeys(e for e in emails if e))


def agency_emails(application) -> list[str]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(groups__name=str(Role.AGENCY))
    if application.campaign.agency_id:
        users = users.filter(organisation_link__organisation_id=application.campaign.agency_id)
    return _users_emails(users)


def secretariat_emails() -> list[str]:
    from django.contrib.auth import get_user_model

    return _users_emails(get_user_model().objects.filter(groups__name=str(Role.SECRETARIAT)))


def _notify(to, subject, template, **context):
    to = [t for t in to if t]
    if to:
        queue_email(to=to, subject=subject, template=f"awards/email/{template}.txt", context=context)


def acceptance_round(application):
    """The decided, accepted initial review round of an application (its date starts the validity)."""
    return (ReviewRound.objects.filter(application=application, kind=ReviewRound.Kind.INITIAL,
                                       result=ReviewRound.Result.ACCEPTED)
            .order_by("-number").first())


def term_for(start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(valid from, last valid day) of a term starting on `start` (Civil Code art. 201–202 via add_years)."""
    return start, add_years(start, rules().validity_years)


def ban_end(start: datetime.date) -> datetime.date:
    return add_years(start, rules().ban_years)


def to_minute(value: datetime.datetime) -> datetime.datetime:
    return value.replace(second=0, microsecond=0)


def default_end(starts_at: datetime.datetime) -> datetime.datetime:
    """A notice lasts `notice_days` days to the minute (7 days: Monday 09:30 → next Monday 09:30)."""
    return to_minute(starts_at) + datetime.timedelta(days=rules().notice_days)


# ---------------------------------------------------------------- public notice


def noticeable_applications():
    """Accepted applications not yet in a notice and not excluded (what the secretariat can publish)."""
    return (Application.objects.filter(status=Application.Status.ACCEPTED, notice_entry__isnull=True)
            .exclude(revocations__isnull=False)
            .select_related("organisation", "campaign"))


def publish_notice(*, applications: Iterable[Application], user, title: str, starts_at: datetime.datetime,
                   ends_at: datetime.datetime | None = None, body: str = "", request=None,
                   now: datetime.datetime | None = None) -> Notice:
    """The secretariat publishes a notice of one or several accepted units."""
    _require_role(user, Role.SECRETARIAT)
    now = now or timezone.now()
    title = title.strip()
    pks = sorted({a.pk for a in applications})
    if not title:
        raise AwardsError(_("Give the notice a title."))
    if not pks:
        raise AwardsError(_("Choose at least one accepted unit for the notice."))
    starts_at = to_minute(starts_at)
    ends_at = to_minute(ends_at) if ends_at else default_end(starts_at)
    if ends_at <= starts_at:
        raise AwardsError(_("The notice must end after it starts."))
    if starts_at < to_minute(now) - datetime.timedelta(minutes=5):
        raise AwardsError(_("The notice cannot start in the past."))
    with transaction.atomic():
        locked = list(Application.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        entries = []
        for index, application in enumerate(locked):
            if application.status != Application.Status.ACCEPTED:
                raise AwardsError(_("%(unit)s has not been accepted.") % {"unit": application.unit_name})
            if NoticeEntry.objects.filter(application=application).exists():
                raise AwardsError(_("%(unit)s is already in a notice.") % {"unit": application.unit_name})
            if Revocation.objects.filter(application=application).exists():
                raise AwardsError(_("%(unit)s was excluded from the programme.") % {"unit": application.unit_name})
            accepted = acceptance_round(application)
            if accepted is None:
                raise AwardsError(_("%(unit)s has no recorded acceptance date.") % {"unit": application.unit_name})
            org = application.organisation
            entries.append(NoticeEntry(application=application, unit_name=application.unit_name or org.name,
                                       credit_code=application.credit_code or org.credit_code,
                                       region_name=org.region_name, accepted_on=accepted.decided_on,
                                       sort_order=index))
        if len(locked) != len(pks):
            raise AwardsError(_("Some of the chosen applications no longer exist."))
        notice = Notice.objects.create(title=title, body=body.strip(), starts_at=starts_at, ends_at=ends_at,
                                       published_at=now, published_by=user)
        for entry in entries:
            entry.notice = notice
        NoticeEntry.objects.bulk_create(entries)
        record(notice, "awards.notice.publish", user=user, request=request,
               data={"applications": pks, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
        invalidate_public_pages()
    if starts_at <= now:
        _open_notice(notice.pk, now)
    return notice


def _open_notice(pk, now) -> Notice | None:
    """Record that a notice has opened and tell its units (once; skipped if another server has it)."""
    with transaction.atomic():
        notice = (Notice.objects.select_for_update(skip_locked=True)
                  .filter(pk=pk, opened_at__isnull=True, published_at__isnull=False, starts_at__lte=now).first())
        if notice is None:
            return None
        notice.opened_at = now
        notice.save(update_fields=["opened_at"])
        entries = list(notice.entries.select_related("application__organisation", "application__campaign"))
        for entry in entries:
            _notify(unit_emails(entry.application), _("Public notice of your unit: %(title)s") % {"title": notice.title},
                    "notice_opened", notice=notice, entry=entry)
        record(notice, "awards.notice.open", data={"at": now.isoformat(), "units": len(entries)})
        invalidate_public_pages()
    return notice


def _close_notice(pk, now) -> tuple[Notice | None, list[str]]:
    """Record that a notice has ended; award its units without objections (held ones wait)."""
    lines = []
    with transaction.atomic():
        notice = (Notice.objects.select_for_update(skip_locked=True)
                  .filter(pk=pk, closed_at__isnull=True, published_at__isnull=False, ends_at__lte=now).first())
        if notice is None:
            return None, lines
        if notice.opened_at is None:
            notice.opened_at = notice.starts_at
        notice.closed_at = now
        notice.save(update_fields=["opened_at", "closed_at"])
        held = []
        for entry in notice.entries.select_related("application__organisation", "application__campaign"):
            outcome = _award_if_clear(entry, user=None, now=now)
            lines.append(f"{entry.unit_name}: {outcome}")
            if outcome == "held":
                held.append(entry)
        if held:
            _notify(secretariat_emails(), _("Notice ended with open objections: %(title)s") % {"title": notice.title},
                    "notice_held", notice=notice, entries=held)
        record(notice, "awards.notice.close", data={"at": now.isoformat(), "held": [e.pk for e in held]})
        invalidate_public_pages()
    return notice, lines


def process_notices(*, now: datetime.datetime, dry_run: bool = False):
    """The scheduled step: open notices whose start has come, close those whose end has passed
    (to the minute), and award units whose last objection has been dismissed since. Idempotent."""
    due_open = Notice.objects.published().filter(opened_at__isnull=True, starts_at__lte=now, ends_at__gt=now)
    for notice in due_open.order_by("starts_at"):
        if dry_run:
            yield f"would open notice {notice.pk} {notice.title}"
        elif _open_notice(notice.pk, now):
            yield f"opened notice {notice.pk} {notice.title}"
    due_close = Notice.objects.published().filter(closed_at__isnull=True, ends_at__lte=now)
    for notice in due_close.order_by("ends_at"):
        if dry_run:
            yield f"would close notice {notice.pk} {notice.title}"
            continue
        closed, lines = _close_notice(notice.pk, now)
        if closed:
            yield f"closed notice {notice.pk} {notice.title}: " + "; ".join(lines)
    # entries of ended notices left without a title once their objections are all dismissed
    waiting = (NoticeEntry.objects.filter(notice__closed_at__isnull=False, title__isnull=True)
               .exclude(objections__status__in=[Objection.Status.OPEN, Objection.Status.UPHELD])
               .exclude(application__revocations__isnull=False))
    for entry in waiting.select_related("notice"):
        if dry_run:
            yield f"would award {entry.unit_name}"
            continue
        with transaction.atomic():
            locked = NoticeEntry.objects.select_for_update(skip_locked=True).filter(pk=entry.pk).first()
            if locked is not None and _award_if_clear(locked, user=None, now=now) == "awarded":
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


# ---------------------------------------------------------------- award


def _next_number(prefix: str, model, field: str, width: int) -> str:
    last = model.objects.filter(**{f"{field}__startswith": prefix}).aggregate(m=Max(field))["m"]
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:0{width}d}"


def _create_numbered(build, prefix, model, field, width, attempts=5):
    """Create a row with the next number of a series; retry in a savepoint if another server took it."""
    for _attempt in range(attempts):
        number = _next_number(prefix, model, field, width)
        try:
            with transaction.atomic():
                return build(number)
        except IntegrityError:
            continue
    raise AwardsError(_("Could not allocate a number; please try again."))


def _award_if_clear(entry: NoticeEntry, *, user, now) -> str:
    """Award the entry's unit if the notice has ended and nothing holds it. Call with the entry locked."""
    if Title.objects.filter(Q(entry=entry) | Q(application_id=entry.application_id)).exists():
        return "already awarded"
    statuses = set(entry.objections.values_list("status", flat=True))
    if Objection.Status.UPHELD in statuses:
        return "not awarded (objection upheld)"
    if Objection.Status.OPEN in statuses:
        return "held"
    if Revocation.objects.filter(application_id=entry.application_id).exists():
        return "excluded"
    if entry.notice.ends_at > now:
        return "notice not ended"
    application = Application.objects.select_related("organisation", "campaign").get(pk=entry.application_id)
    valid_from, valid_until = term_for(entry.accepted_on)
    year = timezone.localtime(now).year

    def build(number):
        return Title.objects.create(
            application=application, organisation=application.organisation, entry=entry,
            certificate_number=number, unit_name=entry.unit_name, accepted_on=entry.accepted_on,
            valid_from=valid_from, valid_until=valid_until, awarded_at=now, awarded_by=user,
        )

    title = _create_numbered(build, f"XYSF-{year}-", Title, "certificate_number", 3)
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.NOTE, actor=user, created_at=now,
        message=_("Awarded the title of credit demonstration member unit, certificate %(number)s, valid "
                  "%(start)s to %(end)s.") % {"number": title.certificate_number, "start": valid_from.isoformat(),
                                               "end": valid_until.isoformat()},
    )
    record(title, "awards.title.award", user=user,
           data={"certificate": title.certificate_number, "valid_until": valid_until.isoformat()})
    _notify(unit_emails(application), _("Your unit is a credit demonstration member unit"), "awarded", title=title)
    invalidate_public_pages()
    return "awarded"


def award_entry(*, entry: NoticeEntry, user, request=None, now=None) -> Title:
    """The secretariat awards a unit whose notice has ended without a pending objection (before the job does)."""
    _require_role(user, Role.SECRETARIAT)
    now = now or timezone.now()
    with transaction.atomic():
        entry = _lock(NoticeEntry, entry.pk, select_related=["notice"])
        outcome = _award_if_clear(entry, user=user, now=now)
        messages = {
            "already awarded": _("This unit has already been awarded."),
            "not awarded (objection upheld)": _("An objection against this unit was upheld: it is not awarded."),
            "held": _("An objection against this unit is still under investigation."),
            "excluded": _("This unit was excluded from the programme."),
            "notice not ended": _("The public notice has not ended yet."),
        }
        if outcome != "awarded":
            raise AwardsError(messages[outcome])
        title = Title.objects.get(entry=entry)
        record(title, "awards.title.award_manual", user=user, request=request)
    return title


def record_plaque(*, title: Title, user, issued_on: datetime.date, note: str = "", request=None) -> Title:
    """The plaque (牌匾) was handed over: date and by whom."""
    _require_role(user, Role.SECRETARIAT)
    if issued_on > timezone.localdate():
        raise AwardsError(_("The issue date cannot be in the future."))
    with transaction.atomic():
        title = _lock(Title, title.pk)
        if Revocation.objects.filter(title=title).exists():
            raise AwardsError(_("This title has been revoked."))
        if title.plaque_issued_on:
            raise AwardsError(_("The plaque has already been recorded as issued."))
        if issued_on < timezone.localtime(title.awarded_at).date():
            raise AwardsError(_("The plaque cannot be issued before the title was awarded."))
        title.plaque_issued_on, title.plaque_issued_by, title.plaque_note = issued_on, user, note.strip()[:200]
        title.save(update_fields=["plaque_issued_on", "plaque_issued_by", "plaque_note"])
        record(title, "awards.title.plaque", user=user, request=request, data={"issued_on": issued_on.isoformat()})
    return title


# ---------------------------------------------------------------- objections


def check_objection_limits(*, notice: Notice, client_address: str = "", now: datetime.datetime | None = None) -> None:
    """The cheap checks of a public objection (before its upload is read): raises AwardsError.

    Per client address and notice, a few an hour and a day; per notice and day, a ceiling of
    *confirmed* objections (see showcase/awards/objection_limits.py).
    """
    now = now or timezone.now()
    config = rules()
    if objection_limits.address_limit_reached(notice=notice, address=client_address, rules=config, now=now):
        raise AwardsError(_("Too many objections from your network address for this notice: please try again "
                            "later, or contact the secretariat by phone."))
    if objection_limits.confirmed_today(notice, now) >= config.objections_per_notice_day:
        raise AwardsError(_("This notice has received the maximum number of online objections for today: please "
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
        raise AwardsError(_("Give your name and the content of the objection."))
    if not phone and not email:
        raise AwardsError(_("Give a phone number or an email address so that we can contact you."))
    if relationship not in Objection.Relationship.values:
        raise AwardsError(_("Choose your relationship to the unit."))
    notice = entry.notice
    if notice.published_at is None or now < notice.starts_at:
        raise AwardsError(_("The public notice has not started yet; objections are accepted from %(start)s.") % {
            "start": timezone.localtime(notice.starts_at).strftime("%Y-%m-%d %H:%M")})
    if now >= notice.ends_at:
        raise AwardsError(_("The public notice ended on %(end)s; objections are no longer accepted.") % {
            "end": timezone.localtime(notice.ends_at).strftime("%Y-%m-%d %H:%M")})
    check_objection_limits(notice=notice, client_address=client_address, now=now)
    year = timezone.localtime(now).year
    code = objection_limits.new_code() if email else ""
    with transaction.atomic():
        entry = _lock(NoticeEntry, entry.pk, select_related=["notice", "application__organisation"])

        def build(number):
            objection = Objection(entry=entry, number=number, name=name[:50], phone=phone[:30], email=email,
                                  relationship=relationship, content=content, submitted_at=now,
                                  client_address=objection_limits.storable_address(client_address),
                                  confirmation_digest=objection_limits.code_digest(number, code) if code else "")
            if evidence is not None:
                objection.evidence_name = (getattr(evidence, "name", "") or "evidence")[:200]
                objection.evidence.save(objection.evidence_name, evidence, save=False)
            objection.save()
            return objection

        objection = _create_numbered(build, f"YY-{year}-", Objection, "number", 4)
        record(objection, "awards.objection.submit", request=request,
               data={"number": objection.number, "entry": entry.pk, "relationship": relationship})
        if email:
            _notify([email], _("Objection %(number)s: your confirmation code") % {"number": objection.number},
                    "objection_received", objection=objection, entry=entry, code=code)
        else:
            _notify_secretariat_of(objection, entry)
    objection_limits.count_submission(notice=notice, address=client_address, now=now)
    return objection


def _notify_secretariat_of(objection: Objection, entry: NoticeEntry) -> None:
    _notify(secretariat_emails(), _("New objection %(number)s: %(unit)s") % {
        "number": objection.number, "unit": entry.unit_name}, "objection_new", objection=objection, entry=entry)


def confirm_objection(*, number: str, code: str, client_address: str = "", request=None,
                      now: datetime.datetime | None = None) -> Objection:
    """The objector types the emailed code. Wrong codes are counted; after too many the objection
    stays recorded, unconfirmed. Confirming twice is harmless. Raises AwardsError."""
    now = now or timezone.now()
    number = (number or "").strip().upper()
    wrong = _("The acknowledgement number or the code is not right. Check them against the email.")
    locked = _("Too many wrong codes: the objection stays recorded, unconfirmed, and the secretariat will "
               "contact you.")
    if not objection_limits.confirm_attempt_allowed(client_address):
        raise AwardsError(_("Too many attempts from your network address: please try again in an hour."))
    with transaction.atomic():
        objection = (Objection.objects.select_for_update().select_related("entry")
                     .filter(number=number).exclude(email="").first())
        if objection is None:
            raise AwardsError(wrong)
        if objection.confirmed_at:
            return objection
        if objection.confirmation_attempts >= objection_limits.CODE_ATTEMPTS:
            raise AwardsError(locked)
        if objection_limits.code_matches(objection, code):
            objection.confirmed_at = now
            objection.confirmation_digest = ""
            objection.save(update_fields=["confirmed_at", "confirmation_digest"])
            record(objection, "awards.objection.confirm", request=request, data={"number": objection.number})
            _notify_secretariat_of(objection, objection.entry)
            return objection
        objection.confirmation_attempts += 1
        objection.save(update_fields=["confirmation_attempts"])
    # raised after the block, so that the wrong attempt stays counted
    raise AwardsError(locked if objection.confirmation_attempts >= objection_limits.CODE_ATTEMPTS else wrong)


def decide_objection(*, objection: Objection, user, outcome: str, reason: str, request=None,
                     now: datetime.datetime | None = None) -> Objection:
    """The secretariat records its findings: dismissed (the unit may be awarded) or upheld (not awarded)."""
    _require_role(user, Role.SECRETARIAT)
    now = now or timezone.now()
    reason = reason.strip()
    if outcome not in (Objection.Status.DISMISSED, Objection.Status.UPHELD):
        raise AwardsError(_("Choose dismissed or upheld."))
    if not reason:
        raise AwardsError(_("Give the findings and reasons; they are sent to the objector."))
    with transaction.atomic():
        objection = _lock(Objection, objection.pk)
        if objection.status != Objection.Status.OPEN:
            raise AwardsError(_("This objection has already been decided (%(status)s).") % {
                "status": objection.get_status_display()})
        entry = _lock(NoticeEntry, objection.entry_id, select_related=["notice", "application__organisation"])
        objection.status, objection.reason = outcome, reason
        objection.decided_at, objection.decided_by = now, user
        objection.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        record(objection, f"awards.objection.{outcome}", user=user, request=request,
               data={"number": objection.number, "reason": reason})
        if objection.email:
            _notify([objection.email], _("Objection %(number)s: result") % {"number": objection.number},
                    "objection_decided", objection=objection, entry=entry)
        if outcome == Objection.Status.UPHELD:
            _notify(unit_emails(entry.application), _("Public notice of your unit: objection upheld"),
                    "objection_upheld", objection=objection, entry=entry)
            invalidate_public_pages()
        elif entry.notice.ends_at <= now:
            _award_if_clear(entry, user=user, now=now)
    return objection


# ---------------------------------------------------------------- validity: re-review and reminders


def status_of(title: Title, today: datetime.date | None = None) -> str:
    return title.status_on(today or timezone.localdate())


def start_re_review(*, title: Title, user, report, report_name: str, summary: str = "", request=None,
                    today: datetime.date | None = None) -> ReviewRound:
    """The agency's tracking evaluation (跟踪评估) opens a re-review round (复核) on the title's application.

    The round uses the showcase scoring machinery: the secretariat assigns experts, they score, the
    secretariat records the decision (`decide_re_review`).
    """
    today = today or timezone.localdate()
    application = title.application
    if not (has_role(user, Role.SECRETARIAT) or showcase_access.is_agency_for(user, application.campaign)):
        if has_role(user, Role.AGENCY):
            raise NotFound(_("Title not found."))
        raise PermissionError(_("You do not have the role required for this action."))
    if not report:
        raise AwardsError(_("Upload the tracking evaluation report."))
    with transaction.atomic():
        application = _lock(Application, application.pk)
        title = _lock(Title, title.pk)
        status = status_of(title, today)
        if status == TitleStatus.REVOKED:
            raise AwardsError(_("This title has been revoked."))
        if status == TitleStatus.RE_REVIEW:
            raise AwardsError(_("A re-review of this title is already open."))
        if status == TitleStatus.VALID:
            raise AwardsError(_("The tracking evaluation is made when the title is about to expire (from "
                                "%(days)s days before %(end)s).") % {"days": rules().expiring_days(),
                                                                     "end": title.valid_until.isoformat()})
        review_round = showcase_domain.open_review_round(
            application=application, user=user, kind=ReviewRound.Kind.RE_REVIEW, report=report,
            report_name=report_name, summary=summary, request=request)
        ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.NOTE, actor=user,
            message=_("Tracking evaluation report issued; the review panel re-reviews the title."))
        record(title, "awards.title.re_review", user=user, request=request, data={"round": review_round.pk})
        _notify(secretariat_emails(), _("Re-review to organise: %(unit)s") % {"unit": title.unit_name},
                "re_review_opened", title=title, review_round=review_round)
        invalidate_public_pages()
    return review_round


def _apply_outcome(review_round: ReviewRound, *, user) -> ReReviewOutcome | None:
    """Record what a decided re-review does to the title (idempotent; call inside a transaction)."""
    title = Title.objects.select_for_update().filter(application_id=review_round.application_id).first()
    if title is None or ReReviewOutcome.objects.filter(review_round=review_round).exists():
        return None
    renewed = review_round.result == ReviewRound.Result.ACCEPTED and not Revocation.objects.filter(title=title).exists()
    outcome = ReReviewOutcome(title=title, review_round=review_round, renewed=renewed,
                              previous_valid_from=title.valid_from, previous_valid_until=title.valid_until,
                              recorded_by=user)
    if renewed:
        outcome.valid_from, outcome.valid_until = term_for(review_round.decided_on)
        title.valid_from, title.valid_until = outcome.valid_from, outcome.valid_until
        title.save(update_fields=["valid_from", "valid_until"])
    outcome.save()
    record(title, "awards.title.renew" if renewed else "awards.title.not_renewed", user=user,
           data={"round": review_round.pk, "valid_until": title.valid_until.isoformat()})
    application = Application.objects.select_related("organisation", "campaign").get(pk=review_round.application_id)
    _notify(unit_emails(application), _("Re-review of your title: %(result)s") % {
        "result": review_round.get_result_display()}, "re_review_decided", title=title, outcome=outcome)
    invalidate_public_pages()
    return outcome


def decide_re_review(*, review_round: ReviewRound, user, result: str, decided_on: datetime.date, note: str = "",
                     request=None) -> ReReviewOutcome:
    """The secretariat records the panel's re-review decision (through showcase) and renews or not."""
    _require_role(user, Role.SECRETARIAT)
    if review_round.kind != ReviewRound.Kind.RE_REVIEW:
        raise AwardsError(_("This is not a re-review round."))
    with transaction.atomic():
        try:
            review_round = showcase_domain.record_decision(review_round=review_round, user=user, result=result,
                                                           decided_on=decided_on, note=note, request=request)
        except showcase_domain.ShowcaseError as exc:
            raise AwardsError(exc.message) from exc
        outcome = _apply_outcome(review_round, user=user)
        if outcome is None:
            raise AwardsError(_("This re-review has no title to renew."))
    return outcome


def apply_decided_re_reviews(*, dry_run: bool = False):
    """Scheduled: apply re-review decisions recorded on the showcase pages (idempotent)."""
    rounds = (ReviewRound.objects.filter(kind=ReviewRound.Kind.RE_REVIEW, application__title__isnull=False)
              .exclude(result="").filter(title_outcome__isnull=True))
    for review_round in rounds:
        if dry_run:
            yield f"would apply re-review {review_round.pk}"
            continue
        with transaction.atomic():
            locked = ReviewRound.objects.select_for_update(skip_locked=True).filter(pk=review_round.pk).first()
            if locked and _apply_outcome(locked, user=None):
                yield f"applied re-review {review_round.pk} ({locked.get_result_display()})"


def send_expiry_reminders(*, today: datetime.date, dry_run: bool = False):
    """Tell the unit and the agency 90 and 30 days before the end of the term, once each (recorded)."""
    config = rules()
    offsets = sorted(config.reminder_days())
    horizon = today + datetime.timedelta(days=max(offsets))
    titles = (Title.objects.filter(valid_until__gte=today, valid_until__lte=horizon, revocation__isnull=True)
              .exclude(application__in=open_re_review_rounds().values("application"))
              .select_related("application__organisation", "application__campaign"))
    for title in titles:
        days_left = (title.valid_until - today).days
        offset = next(d for d in offsets if days_left <= d)
        if ExpiryReminder.objects.filter(title=title, term_until=title.valid_until, days_before=offset).exists():
            continue
        if dry_run:
            yield f"would remind {title.certificate_number} ({offset} days)"
            continue
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(title=title, term_until=title.valid_until, days_before=offset)
                application = title.application
                _notify(unit_emails(application) + agency_emails(application),
                        _("Title %(number)s expires on %(date)s") % {
                            "number": title.certificate_number, "date": title.valid_until.isoformat()},
                        "expiry_reminder", title=title, days_left=days_left)
                record(title, "awards.title.remind", data={"days_before": offset})
        except IntegrityError:
            continue  # another server sent it
        yield f"reminded {title.certificate_number} ({offset} days before {title.valid_until})"


# ---------------------------------------------------------------- revocation


def revoke(*, application: Application, user, ground: str, facts: str, revoked_on: datetime.date, evidence=None,
           announcement: str = "", request=None) -> Revocation:
    """Cancel the unit's title (or exclude it from the programme), announce it and ban it for three years."""
    _require_role(user, Role.SECRETARIAT)
    facts = facts.strip()
    if ground not in Revocation.Ground.values:
        raise AwardsError(_("Choose one of the four grounds for revocation."))
    if not facts:
        raise AwardsError(_("Describe the facts."))
    if revoked_on > timezone.localdate():
        raise AwardsError(_("The revocation date cannot be in the future."))
    with transaction.atomic():
        application = _lock(Application, application.pk, select_related=["organisation"])
        if Revocation.objects.filter(application=application).exists():
            raise AwardsError(_("This unit's title has already been revoked."))
        title = Title.objects.select_for_update().filter(application=application).first()
        if title is None and application.status not in (Application.Status.ACCEPTED, *Application.OPEN_STATUSES):
            raise AwardsError(_("This application has no title and is no longer in the programme."))
        org = application.organisation
        ground_label = str(Revocation.Ground(ground).label)
        ban = ParticipationBan.objects.create(
            organisation=org, starts_on=revoked_on, ends_on=ban_end(revoked_on), recorded_by=user,
            reason=_("Revocation: %(ground)s. %(facts)s") % {"ground": ground_label, "facts": facts})
        if not announcement.strip():
            announcement = default_announcement(unit=application.unit_name or org.name, title=title,
                                                ground=ground_label, revoked_on=revoked_on, ban_until=ban.ends_on)
        revocation = Revocation(organisation=org, application=application, title=title, ground=ground, facts=facts,
                                revoked_on=revoked_on, unit_name=application.unit_name or org.name,
                                credit_code=application.credit_code or org.credit_code,
                                announcement=announcement.strip(), ban=ban, recorded_by=user)
        if evidence is not None:
            revocation.evidence_name = (getattr(evidence, "name", "") or "evidence")[:200]
            revocation.evidence.save(revocation.evidence_name, evidence, save=False)
        revocation.save()
        ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.NOTE, actor=user,
                                        message=_("Title revoked on %(date)s: %(ground)s.") % {
                                            "date": revoked_on.isoformat(), "ground": ground_label})
        record(revocation, "awards.title.revoke", user=user, request=request,
               data={"ground": ground, "title": title.certificate_number if title else None,
                     "ban_until": ban.ends_on.isoformat()})
        _notify(unit_emails(application), _("Revocation of the credit demonstration member unit title"),
                "revoked", revocation=revocation)
        invalidate_public_pages()
    return revocation


def default_announcement(*, unit, title, ground, revoked_on, ban_until) -> str:
    what = (_("its title of credit demonstration member unit (certificate %(number)s) is cancelled") % {
        "number": title.certificate_number}) if title else _("it is ordered to withdraw from the programme")
    return _(
        "Under article 18 of the implementing measures, %(unit)s (%(ground)s): %(what)s as of %(date)s. "
        "The unit may not take part in the programme until %(until)s, and its dishonesty is reported to the "
        "provincial public credit information platform."
    ) % {"unit": unit, "ground": ground, "what": what, "date": revoked_on.isoformat(),
         "until": ban_until.isoformat()}


# ---------------------------------------------------------------- firm access


def firm_titles(user):
    org = organisation_for(user)
    if org is None:
        return Title.objects.none()
    return Title.objects.filter(organisation=org)


__all__ = [
    "AwardsError", "NotFound", "publish_notice", "process_notices", "submit_objection", "decide_objection",
    "award_entry", "record_plaque", "start_re_review", "decide_re_review", "apply_decided_re_reviews",
    "send_expiry_reminders", "revoke", "title_status",
]
