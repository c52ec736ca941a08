"""The agency's steps: preliminary review, the creation phase (stage assessments, item 3.2) and the
creation evaluation report that opens the acceptance review."""

import datetime
from collections.abc import Mapping

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.numbering import next_number
from portal.core.workflow import WorkflowError

from ..models import (
    Application,
    AssessmentFinding,
    PublicCreditRecord,
    ReviewRound,
    StageAssessment,
    Standard,
    StandardItem,
)
from ..workflows import APPLICATIONS, ROUNDS
from . import notify


def pass_preliminary_review(*, application: Application, user, not_credit_agency: bool = False, message: str = "",
                            request=None) -> Application:
    """The agency admits the application to the creation phase.

    Being a credit service agency is the unit's own declaration (its unit type): the agency confirms
    it is not one (`not_credit_agency`), and the conditions are checked again (guard).
    """
    message = message.strip()
    if not not_credit_agency:
        raise WorkflowError(_("Confirm that you have checked that the unit is not a credit service agency "
                              "(those are rated under the star-rating scheme)."))

    def change(current):
        current.preliminary_passed_at = timezone.now()
        current.returned_missing = ""

    def emails(current):
        notify.send(notify.applicant(current), _("Application %(number)s passed the preliminary review") % {
            "number": current.number}, "showcase/email/preliminary_passed.txt", application=current, message=message)

    return APPLICATIONS.transition(application, "pass_preliminary", user=user, request=request, note=message,
                                   change=change, notify=emails, data={"not_credit_agency": True})


def _with_reason(application, action, *, user, text, field, required, subject, template, request):
    """A preliminary-review step that must say why (returned: what is missing; rejected: the reason)."""
    text = text.strip()
    if not text:
        raise WorkflowError(required)

    def change(current):
        setattr(current, field, text)

    def emails(current):
        notify.send(notify.applicant(current), subject % {"number": current.number}, template, application=current,
                    missing=text, reason=text)

    return APPLICATIONS.transition(application, action, user=user, request=request, note=text, change=change,
                                   notify=emails)


def return_for_completion(*, application: Application, user, missing: str, request=None) -> Application:
    return _with_reason(application, "return", user=user, text=missing, field="returned_missing", request=request,
                        required=_("List what is missing, so that the unit can complete its application."),
                        subject=_("Application %(number)s: please complete your materials"),
                        template="showcase/email/returned.txt")


def reject_application(*, application: Application, user, reason: str, request=None) -> Application:
    return _with_reason(application, "reject", user=user, text=reason, field="rejection_reason", request=request,
                        required=_("Give the reason for the rejection."),
                        subject=_("Application %(number)s was not admitted"),
                        template="showcase/email/rejected.txt")


def record_stage_assessment(*, application: Application, user, assessed_on: datetime.date, advice: str,
                            findings: Mapping[int, str], request=None) -> StageAssessment:
    """The agency's stage assessment: findings per item ({item id: text}) and improvement advice."""
    advice = advice.strip()
    findings = {k: v.strip() for k, v in findings.items() if v and v.strip()}
    if not advice:
        raise WorkflowError(_("Give the improvement advice."))
    if assessed_on > timezone.localdate():
        raise WorkflowError(_("The assessment date cannot be in the future."))
    made = []

    def change(current):
        valid = set(StandardItem.objects.filter(group__standard_id=current.campaign.standard_id,
                                                pk__in=findings).values_list("pk", flat=True))
        assessment = StageAssessment.objects.create(application=current, assessed_on=assessed_on, advice=advice,
                                                    created_by=user)
        AssessmentFinding.objects.bulk_create(
            AssessmentFinding(assessment=assessment, item_id=pk, finding=text) for pk, text in findings.items()
            if pk in valid)
        made.append(assessment)

    def emails(current):
        notify.send(notify.applicant(current), _("Application %(number)s: stage assessment") % {
            "number": current.number}, "showcase/email/assessment.txt", application=current, assessment=made[0])

    APPLICATIONS.transition(
        application, "assess", user=user, request=request, change=change, notify=emails, save=False,
        note=_("Stage assessment of %(date)s: %(advice)s") % {"date": assessed_on.isoformat(), "advice": advice},
        data={"assessed_on": assessed_on.isoformat(), "items": sorted(findings)},
    )
    return made[0]


def enter_public_credit_record(*, application: Application, user, result: str, looked_up_on: datetime.date,
                               request=None) -> PublicCreditRecord:
    """Item 3.2, looked up by the agency in the public credit information system."""
    result = result.strip()
    if not result:
        raise WorkflowError(_("Give the public credit score or grade."))
    if looked_up_on > timezone.localdate():
        raise WorkflowError(_("The look-up date cannot be in the future."))
    item = (StandardItem.objects.filter(group__standard_id=application.campaign.standard_id, entered_by_agency=True)
            .order_by("sort_order").first())
    if item is None:
        raise WorkflowError(_("The campaign's standard has no item entered by the agency."))
    made = []

    def change(current):
        made.append(PublicCreditRecord.objects.create(application=current, item=item, result=result,
                                                      looked_up_on=looked_up_on, entered_by=user))

    APPLICATIONS.transition(
        application, "enter_public_credit", user=user, request=request, change=change, save=False,
        note=_("%(code)s %(title)s: %(result)s (looked up %(date)s)") % {
            "code": item.code, "title": item.title, "result": result, "date": looked_up_on.isoformat()},
        data={"result": result, "looked_up_on": looked_up_on.isoformat()},
    )
    return made[0]


def open_review_round(*, application: Application, user, kind: str, report, report_name: str, summary: str = "",
                      standard: Standard | None = None, request=None) -> ReviewRound:
    """Open a panel review round on a report (the acceptance review and, later, the re-review).

    Call inside the caller's transaction with the application row locked.
    """
    number = next_number(f"showcase.round.{application.pk}",
                         floor=lambda: application.rounds.aggregate(m=Max("number"))["m"] or 0)
    review_round = ReviewRound(application=application, kind=kind, number=number,
                               standard=standard or application.campaign.standard, opened_by=user,
                               report_name=report_name[:200], report_summary=summary.strip())
    review_round.report.save(report_name or "report.pdf", report, save=False)
    return ROUNDS.create(review_round, "open", user=user, request=request,
                         data={"application": application.pk, "kind": kind, "number": number})


def submit_evaluation_report(*, application: Application, user, report, report_name: str, summary: str = "",
                             request=None) -> ReviewRound:
    """The agency's 创建评估报告 ends the creation phase and opens the acceptance review."""
    opened = []

    def change(current):
        opened.append(open_review_round(application=current, user=user, kind=ReviewRound.Kind.INITIAL,
                                        report=report, report_name=report_name, summary=summary, request=request))

    def emails(current):
        notify.send(notify.secretariat(), _("Application %(number)s is ready for the acceptance review") % {
            "number": current.number}, "showcase/email/ready_for_acceptance.txt", application=current)
        notify.send(notify.applicant(current), _("Application %(number)s: creation evaluation report issued") % {
            "number": current.number}, "showcase/email/report.txt", application=current)

    APPLICATIONS.transition(application, "report", user=user, request=request, change=change, notify=emails,
                            note=summary.strip())
    return opened[0]
