"""The programme's workflow: every state change of an application is one function here.

State machine of `Application.status`:

    draft ──submit──▶ submitted ──pass_preliminary_review──▶ creation ──submit_evaluation_report──▶ acceptance
      ▲                 │   │                                   (stage assessments,                    │
      └─ returned ◀─────┘   └─reject─▶ rejected                  public credit record 3.2)             │
         (resubmit)                                                     record_decision ◀── expert scoring
                                                                          ├─▶ accepted
                                                                          └─▶ not_accepted
    (draft/submitted/returned/creation) ──withdraw──▶ withdrawn

Each function takes keyword-only arguments, checks role and object access, runs in one
transaction, re-reads the row with select_for_update() and checks the current state (so of
two concurrent calls exactly one wins), writes an audit entry and queues emails (sent after commit).
"""

import datetime
from collections.abc import Iterable, Mapping

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import is_active_member
from portal.accounts.roles import Role, has_role
from portal.core.audit import record
from portal.core.mail import queue_email
from portal.organisations.models import organisation_for

from . import access
from .eligibility import Problem, completeness_problems, eligibility_problems, not_accepted_in_campaign
from .models import (
    Application,
    ApplicationEvent,
    AssessmentFinding,
    Campaign,
    EvidenceFile,
    ExpertAssignment,
    PublicCreditRecord,
    Rating,
    RatingLevel,
    ReviewRound,
    ScoreSheet,
    StageAssessment,
    StandardItem,
    items_of,
)

S = Application.Status


class ShowcaseError(Exception):
    """A refused transition, with a message for the user (and the detailed problems, if any)."""

    def __init__(self, message, problems: list[Problem] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.problems = problems or []


class NotFound(ShowcaseError):
    """The actor may not see the object at all (views answer 404)."""


def _require_role(user, *roles):
    if not has_role(user, *roles):
        raise PermissionError(_("You do not have the role required for this action."))


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _check_status(obj, allowed, message=None):
    if obj.status not in allowed:
        raise ShowcaseError(message or _("This application is no longer in a state that allows this action (now: %(status)s).")
                            % {"status": obj.get_status_display()})


def _event(application, kind, message="", *, user=None, public=True, when=None):
    return ApplicationEvent.objects.create(
        application=application, kind=kind, message=message, public=public, actor=user,
        created_at=when or timezone.now(),
    )


def _applicant_emails(application) -> list[str]:
    emails = [application.contact_email, getattr(application.created_by, "email", "")]
    return list(dict.fromkeys(e for e in emails if e))


def _role_emails(role) -> list[str]:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(groups__name=str(role), is_active=True).values_list("email", flat=True).distinct()
    )


def _agency_emails(application) -> list[str]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(groups__name=str(Role.AGENCY), is_active=True)
    if application.campaign.agency_id:
        users = users.filter(organisation_link__organisation_id=application.campaign.agency_id)
    return list(users.values_list("email", flat=True).distinct())


def _notify(to, subject, template, **context):
    if to:
        queue_email(to=to, subject=subject, template=f"showcase/email/{template}.txt", context=context)


def _require_firm(user, application):
    org = organisation_for(user)
    if org is None or org.pk != application.organisation_id:
        raise NotFound(_("Application not found."))


def _require_agency(user, application):
    _require_role(user, Role.AGENCY)
    campaign = Campaign.objects.get(pk=application.campaign_id)  # the appointed agency as it is now
    if not access.is_agency_for(user, campaign):
        raise NotFound(_("Application not found."))


# ---------------------------------------------------------------- applicant


def create_application(*, campaign: Campaign, user, request=None) -> Application:
    """Start a draft for the user's organisation, prefilled from the organisation."""
    org = organisation_for(user)
    if org is None:
        raise ShowcaseError(_("Register your unit first: an application is made for an organisation."))
    with transaction.atomic():
        campaign = _lock(Campaign, campaign.pk)
        if not campaign.accepts_applications():
            raise ShowcaseError(_("The campaign %(campaign)s does not accept applications now.") % {"campaign": campaign.title})
        if Application.objects.filter(organisation=org, status__in=Application.OPEN_STATUSES).exists():
            raise ShowcaseError(_("The unit already has an application in progress; only one may be open at a time."))
        refusal = not_accepted_in_campaign(Application(organisation=org, campaign=campaign), timezone.localdate())
        if refusal:
            raise ShowcaseError(refusal)
        application = Application(
            campaign=campaign, organisation=org, created_by=user,
            unit_name=org.name, credit_code=org.credit_code, legal_representative=org.legal_representative,
            established_on=org.established_on, registered_address=org.registered_address,
            contact_person=org.contact_person, contact_phone=org.phone, contact_email=org.email,
            commitment_text=campaign.commitment_text,
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:
            raise ShowcaseError(_("The unit already has an application in progress; only one may be open at a time.")) from exc
        _event(application, ApplicationEvent.Kind.CREATED, user=user, public=True)
        record(application, "showcase.application.create", user=user, request=request, data={"campaign": campaign.year})
    return application


def accept_commitment(*, application: Application, user, signer: str, signer_title: str, request=None) -> Application:
    """The applicant signs the credit commitment (name, title, time-stamped acceptance)."""
    _require_firm(user, application)
    signer, signer_title = signer.strip(), signer_title.strip()
    if not signer or not signer_title:
        raise ShowcaseError(_("Give the name and title of the person signing the commitment."))
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, Application.EDITABLE_STATUSES)
        application.commitment_signer = signer
        application.commitment_signer_title = signer_title
        application.commitment_text = application.campaign.commitment_text
        application.commitment_accepted_at = timezone.now()
        application.save(update_fields=["commitment_signer", "commitment_signer_title", "commitment_text",
                                        "commitment_accepted_at", "updated_at"])
        record(application, "showcase.application.commit", user=user, request=request,
               data={"signer": signer, "title": signer_title})
    return application


def add_evidence(*, application: Application, item: StandardItem, user, upload, note: str = "", request=None) -> EvidenceFile:
    _require_firm(user, application)
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, Application.EVIDENCE_STATUSES,
                      _("Evidence can be changed only while the application is a draft, returned, or in creation."))
        if item.group.standard_id != application.campaign.standard_id:
            raise ShowcaseError(_("This item does not belong to the campaign's standard."))
        if item.entered_by_agency:
            raise ShowcaseError(_("Item %(code)s is looked up and entered by the agency.") % {"code": item.code})
        evidence = EvidenceFile(application=application, item=item, note=note.strip(), uploaded_by=user,
                                original_name=(getattr(upload, "name", "") or "file")[:200])
        evidence.file.save(evidence.original_name, upload, save=False)
        evidence.save()
        record(application, "showcase.evidence.add", user=user, request=request,
               data={"item": item.code, "file": evidence.original_name})
    return evidence


def remove_evidence(*, evidence: EvidenceFile, user, request=None) -> Application:
    application = evidence.application
    _require_firm(user, application)
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, Application.EVIDENCE_STATUSES,
                      _("Evidence can be changed only while the application is a draft, returned, or in creation."))
        evidence = EvidenceFile.objects.select_related("item").get(pk=evidence.pk, application=application)
        record(application, "showcase.evidence.remove", user=user, request=request,
               data={"item": evidence.item.code, "file": evidence.original_name})
        evidence.file.delete(save=False)
        evidence.delete()
    return application


def _next_number(campaign) -> str:
    prefix = f"SF{campaign.year}"
    last = (Application.objects.filter(campaign=campaign, number__startswith=prefix)
            .aggregate(m=Max("number"))["m"])
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def submit_application(*, application: Application, user, request=None, on_date: datetime.date | None = None) -> Application:
    """Submit (or resubmit after a return): eligibility and completeness checked, the form archived as PDF."""
    from .documents import application_form_pdf

    _require_firm(user, application)
    on_date = on_date or timezone.localdate()
    with transaction.atomic():
        campaign = _lock(Campaign, application.campaign_id)  # serialises numbering within the campaign
        application = _lock(Application, application.pk)
        application.campaign = campaign
        _check_status(application, Application.EDITABLE_STATUSES)
        resubmission = application.status == S.RETURNED
        problems = eligibility_problems(application, on_date)
        if resubmission:  # a returned application stays in its campaign even after the deadline
            problems = [p for p in problems if p.code != "campaign"]
        problems += completeness_problems(application)
        if problems:
            raise ShowcaseError(_("The application cannot be submitted yet."), problems)
        application.status = S.SUBMITTED
        application.submitted_at = timezone.now()
        application.is_member = is_active_member(application.organisation)
        application.number = application.number or _next_number(campaign)
        counts = dict(
            EvidenceFile.objects.filter(application=application).values_list("item_id").annotate(n=Count("pk"))
        )
        evidence_counts = {f"{i.code} {i.title}": counts.get(i.pk, 0) for i in items_of(campaign.standard)
                           if not i.entered_by_agency}
        data = application_form_pdf(application, evidence_counts)
        if application.form_pdf:
            application.form_pdf.delete(save=False)
        application.form_pdf.save(f"{application.number}.pdf", ContentFile(data), save=False)
        application.returned_missing = application.returned_missing if not resubmission else application.returned_missing
        application.save()
        _event(application, ApplicationEvent.Kind.SUBMITTED,
               _("Resubmitted after completion.") if resubmission else "", user=user)
        record(application, "showcase.application.submit", user=user, request=request,
               data={"number": application.number, "resubmission": resubmission})
        _notify(_applicant_emails(application), _("Application %(number)s received") % {"number": application.number},
                "submitted", application=application)
        _notify(_agency_emails(application), _("New application %(number)s for preliminary review") % {
            "number": application.number}, "for_review", application=application)
    return application


def withdraw_application(*, application: Application, user, request=None) -> Application:
    _require_firm(user, application)
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, (S.DRAFT, S.SUBMITTED, S.RETURNED, S.CREATION))
        application.status = S.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        _event(application, ApplicationEvent.Kind.WITHDRAWN, user=user)
        record(application, "showcase.application.withdraw", user=user, request=request)
    return application


# ---------------------------------------------------------------- agency: preliminary review and creation


def pass_preliminary_review(*, application: Application, user, message: str = "", request=None) -> Application:
    _require_agency(user, application)
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, (S.SUBMITTED,))
        application.status = S.CREATION
        application.preliminary_passed_at = timezone.now()
        application.returned_missing = ""
        application.save(update_fields=["status", "preliminary_passed_at", "returned_missing", "updated_at"])
        _event(application, ApplicationEvent.Kind.PRELIMINARY_PASSED, message.strip(), user=user)
        record(application, "showcase.application.preliminary_pass", user=user, request=request)
        _notify(_applicant_emails(application), _("Application %(number)s passed the preliminary review") % {
            "number": application.number}, "preliminary_passed", application=application, message=message)
    return application


def return_for_completion(*, application: Application, user, missing: str, request=None) -> Application:
    _require_agency(user, application)
    missing = missing.strip()
    if not missing:
        raise ShowcaseError(_("List what is missing, so that the unit can complete its application."))
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, (S.SUBMITTED,))
        application.status = S.RETURNED
        application.returned_missing = missing
        application.save(update_fields=["status", "returned_missing", "updated_at"])
        _event(application, ApplicationEvent.Kind.RETURNED, missing, user=user)
        record(application, "showcase.application.return", user=user, request=request, data={"missing": missing})
        _notify(_applicant_emails(application), _("Application %(number)s: please complete your materials") % {
            "number": application.number}, "returned", application=application, missing=missing)
    return application


def reject_application(*, application: Application, user, reason: str, request=None) -> Application:
    _require_agency(user, application)
    reason = reason.strip()
    if not reason:
        raise ShowcaseError(_("Give the reason for the rejection."))
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, (S.SUBMITTED,))
        application.status = S.REJECTED
        application.rejection_reason = reason
        application.save(update_fields=["status", "rejection_reason", "updated_at"])
        _event(application, ApplicationEvent.Kind.REJECTED, reason, user=user)
        record(application, "showcase.application.reject", user=user, request=request, data={"reason": reason})
        _notify(_applicant_emails(application), _("Application %(number)s was not admitted") % {
            "number": application.number}, "rejected", application=application, reason=reason)
    return application


def record_stage_assessment(*, application: Application, user, assessed_on: datetime.date, advice: str,
                            findings: Mapping[int, str], request=None) -> StageAssessment:
    """The agency's stage assessment: findings per item ({item id: text}) and improvement advice."""
    _require_agency(user, application)
    advice = advice.strip()
    findings = {k: v.strip() for k, v in findings.items() if v and v.strip()}
    if not advice:
        raise ShowcaseError(_("Give the improvement advice."))
    if assessed_on > timezone.localdate():
        raise ShowcaseError(_("The assessment date cannot be in the future."))
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, (S.CREATION,))
        valid = set(StandardItem.objects.filter(group__standard_id=application.campaign.standard_id,
                                                pk__in=findings).values_list("pk", flat=True))
        assessment = StageAssessment.objects.create(application=application, assessed_on=assessed_on,
                                                    advice=advice, created_by=user)
        AssessmentFinding.objects.bulk_create(
            AssessmentFinding(assessment=assessment, item_id=pk, finding=text) for pk, text in findings.items() if pk in valid
        )
        _event(application, ApplicationEvent.Kind.ASSESSMENT,
               _("Stage assessment of %(date)s: %(advice)s") % {"date": assessed_on.isoformat(), "advice": advice},
               user=user)
        record(assessment, "showcase.assessment.create", user=user, request=request,
               data={"application": application.pk, "items": sorted(valid)})
        _notify(_applicant_emails(application), _("Application %(number)s: stage assessment") % {
            "number": application.number}, "assessment", application=application, assessment=assessment)
    return assessment


def enter_public_credit_record(*, application: Application, user, result: str, looked_up_on: datetime.date,
                               request=None) -> PublicCreditRecord:
    """Item 3.2, looked up by the agency in the public credit information system."""
    _require_agency(user, application)
    result = result.strip()
    if not result:
        raise ShowcaseError(_("Give the public credit score or grade."))
    if looked_up_on > timezone.localdate():
        raise ShowcaseError(_("The look-up date cannot be in the future."))
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, (S.CREATION, S.ACCEPTANCE))
        item = StandardItem.objects.filter(group__standard_id=application.campaign.standard_id,
                                           entered_by_agency=True).order_by("sort_order").first()
        if item is None:
            raise ShowcaseError(_("The campaign's standard has no item entered by the agency."))
        if application.status == S.ACCEPTANCE and Rating.objects.filter(
                sheet__assignment__round__application=application).exists():
            raise ShowcaseError(_("Experts have started scoring; the public credit record can no longer change."))
        entry = PublicCreditRecord.objects.create(application=application, item=item, result=result,
                                                  looked_up_on=looked_up_on, entered_by=user)
        _event(application, ApplicationEvent.Kind.PUBLIC_CREDIT,
               _("%(code)s %(title)s: %(result)s (looked up %(date)s)") % {
                   "code": item.code, "title": item.title, "result": result, "date": looked_up_on.isoformat()},
               user=user)
        record(entry, "showcase.public_credit.enter", user=user, request=request,
               data={"application": application.pk, "result": result, "looked_up_on": looked_up_on.isoformat()})
    return entry


def open_review_round(*, application: Application, user, kind: str, report, report_name: str,
                      summary: str = "", request=None) -> ReviewRound:
    """Open a panel review round on a report (used for the acceptance review and, later, the re-review).

    Call inside the caller's transaction with the application row locked.
    """
    number = (application.rounds.aggregate(m=Max("number"))["m"] or 0) + 1
    review_round = ReviewRound(application=application, kind=kind, number=number,
                               standard=application.campaign.standard, opened_by=user,
                               report_name=report_name[:200], report_summary=summary.strip())
    review_round.report.save(report_name or "report.pdf", report, save=False)
    review_round.save()
    record(review_round, "showcase.round.open", user=user, request=request,
           data={"application": application.pk, "kind": kind, "number": number})
    return review_round


def submit_evaluation_report(*, application: Application, user, report, report_name: str, summary: str = "",
                             request=None) -> ReviewRound:
    """The agency's 创建评估报告 ends the creation phase and opens the acceptance review."""
    _require_agency(user, application)
    with transaction.atomic():
        application = _lock(Application, application.pk)
        _check_status(application, (S.CREATION,))
        needs_public_credit = StandardItem.objects.filter(
            group__standard_id=application.campaign.standard_id, entered_by_agency=True).exists()
        if needs_public_credit and not application.public_credit_records.exists():
            raise ShowcaseError(_("Enter the public credit record (item 3.2) before issuing the report."))
        review_round = open_review_round(application=application, user=user, kind=ReviewRound.Kind.INITIAL,
                                         report=report, report_name=report_name, summary=summary, request=request)
        application.status = S.ACCEPTANCE
        application.save(update_fields=["status", "updated_at"])
        _event(application, ApplicationEvent.Kind.REPORT, summary.strip(), user=user)
        record(application, "showcase.application.report", user=user, request=request, data={"round": review_round.pk})
        _notify(_role_emails(Role.SECRETARIAT), _("Application %(number)s is ready for the acceptance review") % {
            "number": application.number}, "ready_for_acceptance", application=application)
        _notify(_applicant_emails(application), _("Application %(number)s: creation evaluation report issued") % {
            "number": application.number}, "report", application=application)
    return review_round


# ---------------------------------------------------------------- secretariat: experts and decision


def assign_experts(*, review_round: ReviewRound, user, experts: Iterable, scoring_deadline: datetime.date,
                   request=None) -> list[ExpertAssignment]:
    """Assign experts (the round must end up with at least the standard's minimum) and set the deadline."""
    _require_role(user, Role.SECRETARIAT)
    experts = list(experts)
    if scoring_deadline < timezone.localdate():
        raise ShowcaseError(_("The scoring deadline cannot be in the past."))
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().select_related("application", "standard").get(pk=review_round.pk)
        if review_round.is_decided:
            raise ShowcaseError(_("The decision for this round is already recorded."))
        for expert in experts:
            if not has_role(expert, Role.EXPERT):
                raise ShowcaseError(_("%(name)s is not an expert of the panel.") % {"name": expert})
        existing = {a.expert_id: a for a in review_round.assignments.all()}
        conflicted = [e for e in experts if e.pk in existing and existing[e.pk].status == ExpertAssignment.Status.CONFLICT]
        if conflicted:
            raise ShowcaseError(_("%(name)s declared a conflict of interest for this application.") % {"name": conflicted[0]})
        active = {pk for pk, a in existing.items() if a.is_active}
        new = [e for e in experts if e.pk not in active]
        if len(active) + len(new) < review_round.standard.min_experts:
            raise ShowcaseError(_("Assign at least %(n)s experts (the standard's minimum).") % {
                "n": review_round.standard.min_experts})
        created = []
        for expert in new:
            if expert.pk in existing:  # previously removed: assign again
                assignment = existing[expert.pk]
                assignment.status = ExpertAssignment.Status.PENDING
                assignment.assigned_by, assignment.assigned_at, assignment.declared_at = user, timezone.now(), None
                assignment.save()
            else:
                assignment = ExpertAssignment.objects.create(round=review_round, expert=expert, assigned_by=user)
            created.append(assignment)
            _notify([expert.email], _("Assignment: acceptance review of %(unit)s") % {
                "unit": review_round.application.unit_name}, "assigned", assignment=assignment,
                review_round=review_round, deadline=scoring_deadline)
        deadline_changed = review_round.scoring_deadline != scoring_deadline
        review_round.scoring_deadline = scoring_deadline
        review_round.save(update_fields=["scoring_deadline"])
        if deadline_changed:  # a new deadline earns a new reminder
            review_round.assignments.filter(status__in=ExpertAssignment.ACTIVE_STATUSES).update(reminded_at=None)
        if created:
            _event(review_round.application, ApplicationEvent.Kind.EXPERTS,
                   _("The review panel examines the application (scoring deadline %(date)s).") % {
                       "date": scoring_deadline.isoformat()}, user=user)
        record(review_round, "showcase.round.assign", user=user, request=request,
               data={"experts": [e.pk for e in new], "deadline": scoring_deadline.isoformat()})
    return created


def remove_assignment(*, assignment: ExpertAssignment, user, request=None) -> ExpertAssignment:
    _require_role(user, Role.SECRETARIAT)
    with transaction.atomic():
        assignment = _lock(ExpertAssignment, assignment.pk)
        if not assignment.is_active:
            raise ShowcaseError(_("This expert is no longer assigned."))
        if ScoreSheet.objects.filter(assignment=assignment, status=ScoreSheet.Status.SUBMITTED).exists():
            raise ShowcaseError(_("The expert has submitted a score sheet; reopen it first."))
        if assignment.round.is_decided:
            raise ShowcaseError(_("The decision for this round is already recorded."))
        assignment.status = ExpertAssignment.Status.REMOVED
        assignment.save(update_fields=["status"])
        record(assignment, "showcase.assignment.remove", user=user, request=request, data={"expert": assignment.expert_id})
    return assignment


def declare_conflict(*, assignment: ExpertAssignment, user, has_conflict: bool, note: str = "", request=None) -> ExpertAssignment:
    """The expert declares (before seeing anything) whether a conflict of interest exists; a conflict unassigns."""
    _require_role(user, Role.EXPERT)
    if assignment.expert_id != user.pk:
        raise NotFound(_("Assignment not found."))
    note = note.strip()
    if has_conflict and not note:
        raise ShowcaseError(_("Describe the conflict of interest briefly."))
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().select_related("round__application").get(pk=assignment.pk)
        if assignment.status != ExpertAssignment.Status.PENDING:
            raise ShowcaseError(_("You have already made your declaration for this assignment."))
        assignment.declared_at = timezone.now()
        assignment.conflict_note = note
        assignment.status = ExpertAssignment.Status.CONFLICT if has_conflict else ExpertAssignment.Status.ACTIVE
        assignment.save(update_fields=["declared_at", "conflict_note", "status"])
        record(assignment, "showcase.assignment.conflict" if has_conflict else "showcase.assignment.no_conflict",
               user=user, request=request, data={"note": note})
        if has_conflict:
            _notify(_role_emails(Role.SECRETARIAT), _("Conflict of interest declared: %(unit)s") % {
                "unit": assignment.round.application.unit_name}, "conflict", assignment=assignment)
    return assignment


def save_score_sheet(*, assignment: ExpertAssignment, user, ratings: Mapping[int, tuple[int | None, str]],
                     overall_comment: str = "", submit: bool = False, request=None) -> ScoreSheet:
    """Save the expert's ratings ({item id: (level id or None, comment)}); with `submit`, validate and lock."""
    _require_role(user, Role.EXPERT)
    if assignment.expert_id != user.pk:
        raise NotFound(_("Assignment not found."))
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().select_related(
            "round__standard", "round__application").get(pk=assignment.pk)
        if assignment.status != ExpertAssignment.Status.ACTIVE:
            raise NotFound(_("Assignment not found."))
        review_round = assignment.round
        if review_round.is_decided:
            raise ShowcaseError(_("The decision for this round is already recorded."))
        sheet, _created = ScoreSheet.objects.get_or_create(assignment=assignment)
        if sheet.status == ScoreSheet.Status.SUBMITTED:
            raise ShowcaseError(_("This score sheet is already submitted and locked."))
        items = {i.pk: i for i in items_of(review_round.standard)}
        levels = {lv.pk: lv for lv in RatingLevel.objects.filter(standard=review_round.standard)}
        problems = []
        clean = {}
        for item_id, (level_id, comment) in ratings.items():
            item = items.get(int(item_id))
            if item is None:
                raise ShowcaseError(_("Unknown item."))
            comment = (comment or "").strip()
            level = levels.get(int(level_id)) if level_id else None
            if level_id and level is None:
                raise ShowcaseError(_("Unknown rating."))
            clean[item.pk] = (level, comment)
        if submit:
            for item in items.values():
                level, comment = clean.get(item.pk, (None, ""))
                if level is None:
                    problems.append(Problem(f"rate_{item.pk}", _("Rate item %(code)s.") % {"code": item.code}))
                elif level.comment_required and not comment:
                    problems.append(Problem(f"comment_{item.pk}", _(
                        "Item %(code)s: a comment is required when the rating is below full marks.") % {"code": item.code}))
            if problems:
                raise ShowcaseError(_("The score sheet is not complete."), problems)
        existing = {r.item_id: r for r in sheet.ratings.all()}
        to_create, to_update, to_delete = [], [], []
        for item_id, (level, comment) in clean.items():
            current = existing.get(item_id)
            if level is None:
                if current:
                    to_delete.append(current.pk)
                continue
            if current is None:
                to_create.append(Rating(sheet=sheet, item_id=item_id, level=level, comment=comment))
            elif current.level_id != level.pk or current.comment != comment:
                current.level, current.comment = level, comment
                to_update.append(current)
        Rating.objects.filter(pk__in=to_delete).delete()
        Rating.objects.bulk_create(to_create)
        Rating.objects.bulk_update(to_update, ["level", "comment"])
        sheet.overall_comment = overall_comment.strip()
        if submit:
            sheet.status = ScoreSheet.Status.SUBMITTED
            sheet.submitted_at = timezone.now()
            sheet.total = sum((items[i].weight * lv.fraction for i, (lv, _c) in clean.items() if lv), 0)
        sheet.save()
        record(sheet, "showcase.sheet.submit" if submit else "showcase.sheet.save", user=user, request=request,
               data={"round": review_round.pk, "total": str(sheet.total) if submit else None})
        if submit:
            _after_sheet_submitted(review_round, user)
    return sheet


def _after_sheet_submitted(review_round, user):
    assignments = list(review_round.assignments.filter(status__in=ExpertAssignment.ACTIVE_STATUSES)
                       .values_list("status", "sheet__status"))
    all_done = all(sheet_status == ScoreSheet.Status.SUBMITTED for _s, sheet_status in assignments)
    if all_done and len(assignments) >= review_round.standard.min_experts:
        _event(review_round.application, ApplicationEvent.Kind.SCORING_DONE, public=True)
        _notify(_role_emails(Role.SECRETARIAT), _("Scoring completed: %(unit)s") % {
            "unit": review_round.application.unit_name}, "scoring_done", review_round=review_round)


def reopen_score_sheet(*, sheet: ScoreSheet, user, reason: str, request=None) -> ScoreSheet:
    _require_role(user, Role.SECRETARIAT)
    reason = reason.strip()
    if not reason:
        raise ShowcaseError(_("Give the reason for reopening the score sheet."))
    with transaction.atomic():
        sheet = ScoreSheet.objects.select_for_update().select_related("assignment__round", "assignment__expert").get(pk=sheet.pk)
        if sheet.status != ScoreSheet.Status.SUBMITTED:
            raise ShowcaseError(_("Only a submitted score sheet can be reopened."))
        if sheet.assignment.round.is_decided:
            raise ShowcaseError(_("The decision for this round is already recorded."))
        sheet.status = ScoreSheet.Status.DRAFT
        sheet.submitted_at = None
        sheet.total = None
        sheet.reopen_count += 1
        sheet.save()
        record(sheet, "showcase.sheet.reopen", user=user, request=request, data={"reason": reason})
        _notify([sheet.assignment.expert.email], _("Your score sheet was reopened"), "sheet_reopened",
                sheet=sheet, reason=reason)
    return sheet


def record_decision(*, review_round: ReviewRound, user, result: str, decided_on: datetime.date, note: str = "",
                    request=None) -> ReviewRound:
    """The secretariat records the panel's decision and its date (the acceptance date starts the validity)."""
    from .scoring import aggregate_round

    _require_role(user, Role.SECRETARIAT)
    if result not in ReviewRound.Result.values:
        raise ShowcaseError(_("Choose accepted or not accepted."))
    if decided_on > timezone.localdate():
        raise ShowcaseError(_("The decision date cannot be in the future."))
    note = note.strip()
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().select_related("application", "standard").get(pk=review_round.pk)
        application = _lock(Application, review_round.application_id)
        if review_round.is_decided:
            raise ShowcaseError(_("The decision for this round is already recorded."))
        if review_round.kind == ReviewRound.Kind.INITIAL:
            _check_status(application, (S.ACCEPTANCE,))
        pending = review_round.assignments.filter(status__in=ExpertAssignment.ACTIVE_STATUSES).exclude(
            sheet__status=ScoreSheet.Status.SUBMITTED)
        if pending.exists():
            raise ShowcaseError(_("Some assigned experts have not submitted their score sheets yet."))
        agg = aggregate_round(review_round)
        if not agg.enough_experts:
            raise ShowcaseError(_("At least %(n)s experts must have scored before a decision.") % {
                "n": review_round.standard.min_experts})
        if decided_on < timezone.localtime(review_round.opened_at).date():
            raise ShowcaseError(_("The decision date cannot be before the review opened."))
        proposed = ReviewRound.Result.ACCEPTED if agg.proposed_pass else ReviewRound.Result.NOT_ACCEPTED
        if result != proposed and not note:
            raise ShowcaseError(_("The decision differs from the standard's proposed result: give the reason."))
        review_round.result = result
        review_round.decided_on = decided_on
        review_round.decided_by = user
        review_round.decision_note = note
        review_round.save(update_fields=["result", "decided_on", "decided_by", "decision_note"])
        if review_round.kind == ReviewRound.Kind.INITIAL:
            application.status = S.ACCEPTED if result == ReviewRound.Result.ACCEPTED else S.NOT_ACCEPTED
            application.save(update_fields=["status", "updated_at"])
        label = ReviewRound.Result(result).label
        _event(application, ApplicationEvent.Kind.DECIDED,
               _("%(result)s on %(date)s.") % {"result": label, "date": decided_on.isoformat()}, user=user)
        record(review_round, "showcase.round.decide", user=user, request=request,
               data={"result": result, "decided_on": decided_on.isoformat(), "mean": str(agg.mean_total),
                     "proposed": proposed})
        _notify(_applicant_emails(application), _("Application %(number)s: acceptance decision") % {
            "number": application.number}, "decided", application=application, review_round=review_round)
    return review_round


# ---------------------------------------------------------------- scheduled job


def send_scoring_reminders(*, today: datetime.date, dry_run: bool = False):
    """Remind experts whose sheet is not submitted `campaign.reminder_days` before the scoring deadline (once)."""
    candidates = (
        ExpertAssignment.objects.filter(
            status__in=ExpertAssignment.ACTIVE_STATUSES, reminded_at__isnull=True,
            round__result="", round__scoring_deadline__gte=today,
        )
        .exclude(sheet__status=ScoreSheet.Status.SUBMITTED)
        .select_related("round__application__campaign", "expert")
    )
    due = [a for a in candidates
           if a.round.scoring_deadline - datetime.timedelta(days=a.round.application.campaign.reminder_days) <= today]
    for candidate in due:
        if dry_run:
            yield f"would remind {candidate.expert.email} ({candidate.round})"
            continue
        with transaction.atomic():
            assignment = (ExpertAssignment.objects.select_for_update(skip_locked=True)
                          .filter(pk=candidate.pk, reminded_at__isnull=True).first())
            if assignment is None:  # another server took it
                continue
            assignment.reminded_at = timezone.now()
            assignment.save(update_fields=["reminded_at"])
            _notify([candidate.expert.email], _("Reminder: scoring deadline %(date)s") % {
                "date": candidate.round.scoring_deadline.isoformat()}, "reminder", assignment=candidate,
                review_round=candidate.round)
        yield f"reminded {candidate.expert.email} ({candidate.round})"
