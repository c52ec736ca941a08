"""The applicant's steps: start a draft, fill in the form, sign the commitment, add evidence, submit, withdraw.

Every step goes through `showcase.workflows.APPLICATIONS` (permission, row lock, state, guard, timeline,
audit, emails after commit). Errors a unit can fix raise `WorkflowError`; another unit's application is
`NotFound`; the wrong role `PermissionDenied`.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.numbering import formatted, highest_suffix
from portal.core.workflow import WorkflowError
from portal.organisations.membership import is_active_member
from portal.organisations.models import organisation_for

from ..models import (
    Application,
    Campaign,
    EvidenceFile,
    ReviewRound,
    Standard,
    StandardItem,
    SubmittedForm,
    items_of,
)
from ..workflows import APPLICATIONS
from . import notify

S = Application.Status
ONE_OPEN = _("The unit already has an application in progress; only one may be open at a time.")


def create_application(*, campaign: Campaign, user, request=None) -> Application:
    """Start a draft for the user's organisation, prefilled from the organisation."""
    organisation = organisation_for(user)
    if organisation is None:
        raise WorkflowError(_("Register your unit first: an application is made for an organisation."))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        application = Application(
            campaign=campaign, organisation=organisation, created_by=user,
            unit_name=organisation.name, credit_code=organisation.credit_code,
            legal_representative=organisation.legal_representative, established_on=organisation.established_on,
            registered_address=organisation.registered_address, contact_person=organisation.contact_person,
            contact_phone=organisation.phone, contact_email=organisation.email,
            commitment_text=campaign.commitment_text,
        )
        try:
            APPLICATIONS.create(application, "create", user=user, request=request, data={"campaign": campaign.year})
        except IntegrityError as exc:  # a concurrent draft of the same unit won the unique index
            raise WorkflowError(str(ONE_OPEN)) from exc
    return application


FORM_FIELDS = (
    "legal_representative", "registered_address", "contact_person", "contact_phone", "contact_email",
    "is_independent_legal_person", "main_business", "staff_count", "revenue_year1", "revenue_year2",
    "revenue_year3", "credit_department", "summary", "honours",
)


def save_form(*, application: Application, user, fields: dict, licence=None, request=None) -> Application:
    """Save the 申报表 (and a new business-licence copy) while the application may be edited."""

    def change(current):
        for name in FORM_FIELDS:
            if name in fields:
                setattr(current, name, fields[name])
        if licence is not None:
            if current.licence:
                current.licence.delete(save=False)
            current.licence_name = (getattr(licence, "name", "") or "licence")[:200]
            current.licence.save(current.licence_name, licence, save=False)

    return APPLICATIONS.transition(application, "edit", user=user, request=request, change=change,
                                   data={"licence": bool(licence)})


def accept_commitment(*, application: Application, user, signer: str, signer_title: str, request=None) -> Application:
    """The applicant signs the credit commitment (name, title, time-stamped acceptance)."""
    signer, signer_title = signer.strip(), signer_title.strip()
    if not signer or not signer_title:
        raise WorkflowError(_("Give the name and title of the person signing the commitment."))

    def change(current):
        current.commitment_signer, current.commitment_signer_title = signer, signer_title
        current.commitment_text = current.campaign.commitment_text
        current.commitment_accepted_at = timezone.now()

    return APPLICATIONS.transition(application, "commit", user=user, request=request, change=change,
                                   data={"signer": signer, "title": signer_title})


def add_evidence(*, application: Application, item: StandardItem, user, upload, note: str = "",
                 request=None) -> EvidenceFile:
    """A file for one item of the campaign's standard (not for items the agency enters)."""
    added = []

    def change(current):
        if item.group.standard_id != current.campaign.standard_id:
            raise WorkflowError(_("This item does not belong to the campaign's standard."))
        if item.entered_by_agency:
            raise WorkflowError(_("Item %(code)s is looked up and entered by the agency.") % {"code": item.code})
        evidence = EvidenceFile(application=current, item=item, note=note.strip(), uploaded_by=user,
                                original_name=(getattr(upload, "name", "") or "file")[:200])
        evidence.file.save(evidence.original_name, upload, save=False)
        evidence.save()
        added.append(evidence)

    APPLICATIONS.transition(application, "add_evidence", user=user, request=request, change=change, save=False,
                            data={"item": item.code, "file": (getattr(upload, "name", "") or "file")[:200]})
    return added[0]


def remove_evidence(*, evidence: EvidenceFile, user, request=None) -> Application:
    def change(current):
        current_file = EvidenceFile.objects.get(pk=evidence.pk, application=current)
        current_file.file.delete(save=False)
        current_file.delete()

    return APPLICATIONS.transition(evidence.application, "remove_evidence", user=user, request=request,
                                   change=change, save=False,
                                   data={"item": evidence.item.code, "file": evidence.original_name})


def tracking_standard(application):
    """The standard tracking evidence is given against: the open re-review's, else the version in force."""
    review_round = open_re_review(application)
    return review_round.standard if review_round else Standard.in_force()


def open_re_review(application):
    return application.rounds.filter(kind=ReviewRound.Kind.RE_REVIEW, status=ReviewRound.Status.OPEN).first()


def add_tracking_evidence(*, application: Application, item: StandardItem, user, upload, note: str = "",
                          request=None) -> EvidenceFile:
    """The unit updates its evidence for the tracking evaluation (跟踪评估) before its title's re-review, for
    an item of the standard in force; the re-review round examines it (`EvidenceFile.round`)."""
    added = []

    def change(current):
        review_round = open_re_review(current)
        standard = review_round.standard if review_round else Standard.in_force()
        if item.group.standard_id != standard.pk:
            raise WorkflowError(_("This item does not belong to the standard in force (%(version)s).") % {
                "version": standard.version})
        if item.entered_by_agency:
            raise WorkflowError(_("Item %(code)s is looked up and entered by the agency.") % {"code": item.code})
        evidence = EvidenceFile(application=current, item=item, note=note.strip(), uploaded_by=user,
                                purpose=EvidenceFile.Purpose.TRACKING, round=review_round,
                                original_name=(getattr(upload, "name", "") or "file")[:200])
        evidence.file.save(evidence.original_name, upload, save=False)
        evidence.save()
        added.append(evidence)

    APPLICATIONS.transition(application, "add_tracking_evidence", user=user, request=request, change=change,
                            save=False, data={"item": item.code, "file": (getattr(upload, "name", "") or "file")[:200]})
    return added[0]


def application_number(campaign: Campaign) -> str:
    """SF<year><nnnn>: one sequence per campaign year."""
    prefix = f"SF{campaign.year}"
    return formatted(f"showcase.application.{campaign.year}", prefix + "{n:04d}",
                     floor=lambda: highest_suffix(Application.objects.all(), "number", prefix))


def _archive_form(application, user) -> SubmittedForm:
    """The form as submitted, as a new version (earlier versions are kept as they were)."""
    from ..documents import application_form_pdf

    counts = dict(EvidenceFile.objects.filter(application=application, purpose=EvidenceFile.Purpose.APPLICATION)
                  .values_list("item_id").annotate(n=Count("pk")))
    evidence_counts = {f"{i.code} {i.title}": counts.get(i.pk, 0) for i in items_of(application.campaign.standard)
                       if not i.entered_by_agency}
    data = application_form_pdf(application, evidence_counts)
    version = (application.submitted_forms.aggregate(m=Max("version"))["m"] or 0) + 1  # the application is locked
    form = SubmittedForm(application=application, version=version, submitted_at=application.submitted_at,
                         submitted_by=user)
    form.pdf.save(f"{application.number}-{version}.pdf", ContentFile(data), save=False)
    form.save()
    return form


def submit_application(*, application: Application, user, request=None,
                       on_date: datetime.date | None = None) -> Application:
    """Submit (or resubmit after a return): eligibility and completeness checked, the form archived as PDF."""
    resubmission = application.status == S.RETURNED

    def change(current):
        current.submitted_at = timezone.now()
        current.is_member = is_active_member(current.organisation)
        current.number = current.number or application_number(current.campaign)
        _archive_form(current, user)

    def emails(current):
        notify.send(notify.applicant(current), _("Application %(number)s received") % {"number": current.number},
                    "showcase/email/submitted.txt", application=current)
        notify.send(notify.agency(current), _("New application %(number)s for preliminary review") % {
            "number": current.number}, "showcase/email/for_review.txt", application=current)

    return APPLICATIONS.transition(
        application, "submit", user=user, request=request, change=change, notify=emails,
        note=_("Resubmitted after completion.") if resubmission else "",
        data={"resubmission": resubmission},
    )


def withdraw_application(*, application: Application, user, request=None) -> Application:
    return APPLICATIONS.transition(application, "withdraw", user=user, request=request)
