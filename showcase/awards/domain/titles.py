"""Titles: the award after the notice, the plaque, validity (re-review and renewal, expiry reminders).
Table: `showcase.awards.workflows.TITLES`; the re-review itself is a showcase review round (复核)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.cache import invalidate_public_pages
from portal.core.numbering import formatted, highest_suffix
from portal.core.workflow import WorkflowError
from showcase.domain import notify, open_review_round, record_decision
from showcase.models import Application, ApplicationEvent, EvidenceFile, ReviewRound, Standard, add_years

from ..guards import award_holdup
from ..models import Certificate, ExpiryReminder, NoticeEntry, ReReviewOutcome, Title, open_re_review_rounds, rules
from ..workflows import TITLES


def acceptance_round(application):
    """The decided, accepted initial review round of an application (its date starts the validity)."""
    return (ReviewRound.objects.filter(application=application, kind=ReviewRound.Kind.INITIAL,
                                       result=ReviewRound.Result.ACCEPTED)
            .order_by("-number").first())


def term_for(start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(valid from, last valid day) of a term starting on `start` (Civil Code art. 201–202 via add_years)."""
    return start, add_years(start, rules().validity_years)


def certificate_number(year: int) -> str:
    """XYSF-<year>-<nnn>: one sequence per year of award."""
    prefix = f"XYSF-{year}-"
    return formatted(f"awards.title.{year}", prefix + "{n:03d}",
                     floor=lambda: highest_suffix(Title.objects.all(), "certificate_number", prefix))


# ---------------------------------------------------------------- award


def issue_certificate(title: Title) -> Certificate:
    """Render the honour certificate of the title's current term once and archive it (call in the step's
    transaction); downloads serve the archived file, so it never changes after issue."""
    from django.core.files.base import ContentFile

    from ..certificate import certificate_pdf

    certificate = Certificate(title=title, unit_name=title.unit_name, valid_from=title.valid_from,
                              valid_until=title.valid_until)
    certificate.pdf.save(f"{title.certificate_number}-{title.valid_from:%Y%m%d}.pdf",
                         ContentFile(certificate_pdf(title)), save=False)
    certificate.save()
    return certificate


def current_certificate(title: Title) -> Certificate:
    """The certificate last issued (one is issued, once, for titles awarded before certificates were archived)."""
    certificate = title.certificates.first()
    if certificate is None:
        with transaction.atomic():
            locked = Title.objects.select_for_update().get(pk=title.pk)
            certificate = locked.certificates.first() or issue_certificate(locked)
    return certificate


def award_if_clear(entry: NoticeEntry, *, user, now) -> str:
    """Award the entry's unit if the notice has ended and nothing holds it; returns "awarded" or the holdup."""
    holdup = award_holdup(entry, now)
    if holdup:
        return holdup
    application = Application.objects.select_related("organisation", "campaign").get(pk=entry.application_id)
    valid_from, valid_until = term_for(entry.accepted_on)
    title = Title(application=application, organisation=application.organisation, entry=entry,
                  unit_name=entry.unit_name, accepted_on=entry.accepted_on, valid_from=valid_from,
                  valid_until=valid_until, awarded_at=now, awarded_by=user)

    def emails(title):
        notify.send(notify.unit(application), _("Your unit is a credit demonstration member unit"),
                    "awards/email/awarded.txt", title=title)
        invalidate_public_pages()

    with transaction.atomic():
        title.certificate_number = certificate_number(timezone.localtime(now).year)
        TITLES.create(title, "award", user=user, notify=emails,
                      data={"certificate": title.certificate_number, "valid_until": valid_until.isoformat()})
        issue_certificate(title)
        ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.NOTE, actor=user, created_at=now,
            message=_("Awarded the title of credit demonstration member unit, certificate %(number)s, valid "
                      "%(start)s to %(end)s.") % {"number": title.certificate_number, "start": valid_from.isoformat(),
                                                   "end": valid_until.isoformat()},
        )
    return "awarded"


def award_entry(*, entry: NoticeEntry, user, request=None, now=None) -> Title:
    """The secretariat awards a unit whose notice has ended without a pending objection (before the job does)."""
    now = now or timezone.now()
    title = Title(application_id=entry.application_id, organisation_id=entry.application.organisation_id, entry=entry,
                  awarded_at=now)
    TITLES.check_actor(user, title, TITLES["award"])
    with transaction.atomic():
        entry = NoticeEntry.objects.select_for_update().select_related("notice").get(pk=entry.pk)
        outcome = award_if_clear(entry, user=user, now=now)
        if outcome != "awarded":
            from ..guards import HOLDUPS

            raise WorkflowError(HOLDUPS[outcome])
    return Title.objects.get(entry=entry)


def record_plaque(*, title: Title, user, issued_on: datetime.date, note: str = "", request=None) -> Title:
    """The plaque (牌匾) was handed over: date and by whom."""
    if issued_on > timezone.localdate():
        raise WorkflowError(_("The issue date cannot be in the future."))

    def change(current):
        if issued_on < timezone.localtime(current.awarded_at).date():
            raise WorkflowError(_("The plaque cannot be issued before the title was awarded."))
        current.plaque_issued_on, current.plaque_issued_by, current.plaque_note = issued_on, user, note.strip()[:200]

    return TITLES.transition(title, "plaque", user=user, request=request, change=change,
                             data={"issued_on": issued_on.isoformat()})


# ---------------------------------------------------------------- validity: re-review and reminders


def status_of(title: Title, today: datetime.date | None = None) -> str:
    return title.status_on(today or timezone.localdate())


def start_re_review(*, title: Title, user, report, report_name: str, summary: str = "", request=None) -> ReviewRound:
    """The agency's tracking evaluation (跟踪评估) opens a re-review round (复核) on the title's application,
    against the standard version in force (recorded on the round), with the unit's updated evidence.

    The round uses the showcase scoring machinery: the secretariat assigns experts, they score, the
    secretariat records the decision (`decide_re_review`).
    """
    if not report:
        raise WorkflowError(_("Upload the tracking evaluation report."))
    opened = []

    def change(current):
        application = Application.objects.select_for_update().get(pk=current.application_id)
        review_round = open_review_round(application=application, user=user, kind=ReviewRound.Kind.RE_REVIEW,
                                         report=report, report_name=report_name, summary=summary,
                                         standard=Standard.in_force(), request=request)
        # the unit's updated evidence (given against the standard in force) is what this round examines
        EvidenceFile.objects.filter(application=application, purpose=EvidenceFile.Purpose.TRACKING, round=None,
                                    item__group__standard=review_round.standard).update(round=review_round)
        opened.append(review_round)
        ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.NOTE, actor=user,
            message=_("Tracking evaluation report issued; the review panel re-reviews the title."))

    def emails(current):
        notify.send(notify.secretariat(), _("Re-review to organise: %(unit)s") % {"unit": current.unit_name},
                    "awards/email/re_review_opened.txt", title=current, review_round=opened[0])
        invalidate_public_pages()

    TITLES.transition(title, "re_review", user=user, request=request, change=change, notify=emails, save=False)
    return opened[0]


def apply_re_review_outcome(review_round: ReviewRound, *, user, request=None) -> ReReviewOutcome | None:
    """What a decided re-review does to the title: renewed from the decision date, or not (once per round)."""
    title = Title.objects.filter(application_id=review_round.application_id).first()
    if title is None or ReReviewOutcome.objects.filter(review_round=review_round).exists():
        return None
    renewed = review_round.result == ReviewRound.Result.ACCEPTED
    made = []

    def change(current):
        outcome = ReReviewOutcome(title=current, review_round=review_round, renewed=renewed,
                                  previous_valid_from=current.valid_from, previous_valid_until=current.valid_until,
                                  recorded_by=user)
        if renewed:
            outcome.valid_from, outcome.valid_until = term_for(review_round.decided_on)
            current.valid_from, current.valid_until = outcome.valid_from, outcome.valid_until
            issue_certificate(current)  # a new certificate for the new term; the first stays on file
        outcome.save()
        made.append(outcome)

    def emails(current):
        application = Application.objects.select_related("organisation", "campaign").get(pk=current.application_id)
        notify.send(notify.unit(application), _("Re-review of your title: %(result)s") % {
            "result": review_round.get_result_display()}, "awards/email/re_review_decided.txt", title=current,
            outcome=made[0])
        invalidate_public_pages()

    TITLES.transition(title, "renew" if renewed else "not_renew", user=user, request=request, change=change,
                      notify=emails, data={"round": review_round.pk})
    return made[0]


def decide_re_review(*, review_round: ReviewRound, user, decided_on: datetime.date, note: str = "",
                     result: str | None = None, request=None) -> ReReviewOutcome:
    """The secretariat records the panel's re-review decision from the title's page. The same function as on
    the programme's page (`showcase.domain.record_decision`), whose hook applies the outcome at once."""
    if review_round.kind != ReviewRound.Kind.RE_REVIEW:
        raise WorkflowError(_("This is not a re-review round."))
    with transaction.atomic():
        review_round = record_decision(review_round=review_round, user=user, result=result, decided_on=decided_on,
                                       note=note, request=request)
        outcome = ReReviewOutcome.objects.filter(review_round=review_round).first()
        if outcome is None:
            raise WorkflowError(_("This re-review has no title to renew."))
    return outcome


def on_round_decided(review_round: ReviewRound, *, user, request=None) -> None:
    """`showcase_round_decided`: a decided re-review renews the title (or records that it was not renewed)."""
    if review_round.kind == ReviewRound.Kind.RE_REVIEW:
        apply_re_review_outcome(review_round, user=user, request=request)


def send_expiry_reminders(*, today: datetime.date, dry_run: bool = False):
    """Tell the unit and the agency 90 and 30 days before the end of the term, once each (recorded)."""
    offsets = sorted(rules().reminder_days())
    horizon = today + datetime.timedelta(days=max(offsets))
    titles = (Title.objects.filter(valid_until__gte=today, valid_until__lte=horizon, standing=Title.Standing.AWARDED)
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

        def change(current, offset=offset):
            ExpiryReminder.objects.create(title=current, term_until=current.valid_until, days_before=offset)

        def emails(current, days_left=days_left):
            application = current.application
            notify.send(notify.unit(application) + notify.agency(application),
                        _("Title %(number)s expires on %(date)s") % {
                            "number": current.certificate_number, "date": current.valid_until.isoformat()},
                        "awards/email/expiry_reminder.txt", title=current, days_left=days_left)

        try:
            TITLES.transition(title, "remind", user=None, change=change, notify=emails, save=False,
                              data={"days_before": offset})
        except IntegrityError:
            continue  # another server sent it
        yield f"reminded {title.certificate_number} ({offset} days before {title.valid_until})"


# ---------------------------------------------------------------- eligibility (answered for showcase)


def standing_title(application, on_date: datetime.date) -> str | None:
    """Why the unit may not start or submit another application (issue #13.9), or None.

    It holds a title that has not expired or been revoked (it renews through the re-review), or an
    accepted application awaits its notice and title (no upheld objection, not excluded).
    """
    from ..models import Objection, TitleStatus

    organisation_id = application.organisation_id
    for title in Title.objects.with_status(on_date).filter(organisation_id=organisation_id):
        if title.status not in (TitleStatus.EXPIRED, TitleStatus.REVOKED):
            return _("The unit holds the title of credit demonstration member unit (certificate %(number)s, valid "
                     "until %(until)s): it renews the title through the re-review, and may apply again only once "
                     "the title has expired.") % {"number": title.certificate_number,
                                                   "until": title.valid_until.isoformat()}
    awaiting = (Application.objects.filter(organisation_id=organisation_id, status=Application.Status.ACCEPTED,
                                           title__isnull=True)
                .exclude(pk=application.pk)
                .exclude(notice_entry__objections__status=Objection.Status.UPHELD))
    accepted = awaiting.select_related("campaign").first()
    if accepted is not None:
        return _("The unit's application %(number)s has already been accepted and awaits its public notice and "
                 "title: no other application may be made meanwhile.") % {"number": accepted.number}
    return None


def tracking_problems(application) -> list:
    """Why the unit may not add tracking evidence now (`showcase_tracking_open`): the title must be due."""
    from showcase.models import Rating

    from ..models import TitleStatus

    title = Title.objects.filter(application=application).first()
    if title is None or title.standing == Title.Standing.REVOKED:
        return [_("The unit holds no title to re-review.")]
    status = title.status_on(timezone.localdate())
    if status == TitleStatus.VALID:
        return [_("Evidence for the tracking evaluation is given when the title is about to expire (from %(days)s "
                  "days before %(end)s).") % {"days": rules().expiring_days(), "end": title.valid_until.isoformat()}]
    if Rating.objects.filter(sheet__assignment__round__application=application,
                             sheet__assignment__round__status=ReviewRound.Status.OPEN,
                             sheet__assignment__round__kind=ReviewRound.Kind.RE_REVIEW).exists():
        return [_("The experts have started scoring the re-review; the evidence can no longer change.")]
    return []
