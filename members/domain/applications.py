"""Applications to join (入会申请): the unit drafts and submits; reviewers return it for more material.

The council's decision (admit or reject) is in `members.domain.admission`.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.roles import Role
from portal.core.workflow import WorkflowError

from ..models import MembershipApplication
from ..workflows import APPLICATIONS
from .common import email_roles, email_unit

# What the unit edits in a draft (the form's fields and the uploads' display names).
EDITABLE = (
    "tier", "accepts_charter", "statement", "application_letter", "application_letter_name", "business_licence",
    "business_licence_name",
)


def save_application_draft(*, application: MembershipApplication, user, request=None) -> MembershipApplication:
    """Start the unit's application, or save changes to its draft (or to an application returned to it)."""
    if application.pk is None:
        application.created_by = user
        try:
            with transaction.atomic():
                return APPLICATIONS.create(application, "create", user=user, request=request,
                                           data={"tier": application.tier_id})
        except IntegrityError as exc:  # the partial unique constraint: a concurrent second draft
            raise WorkflowError(_("Your organisation already has an open application.")) from exc

    def change(current):
        for name in EDITABLE:
            setattr(current, name, getattr(application, name))

    return APPLICATIONS.transition(application, "save", user=user, request=request, change=change,
                                   data={"tier": application.tier_id})


def submit_application(*, application: MembershipApplication, user, request=None) -> MembershipApplication:
    """The unit sends its application to the council; the unit and the reviewers are told."""

    def change(current):
        current.submitted_at = timezone.now()

    def notify(current):
        current = MembershipApplication.objects.select_related("organisation", "tier").get(pk=current.pk)
        email_unit(current.organisation, _("Membership application received"),
                   "members/email/application_submitted.txt", {"application": current})
        email_roles((Role.COUNCIL, Role.SECRETARIAT),
                    _("New membership application: %(name)s") % {"name": current.organisation.name},
                    "members/email/application_for_review.txt", {"application": current})

    return APPLICATIONS.transition(application, "submit", user=user, request=request, change=change, notify=notify,
                                   data={"tier": application.tier_id})


def return_application(*, application: MembershipApplication, user, message: str, request=None) -> MembershipApplication:
    """Send an application back for more material (council or secretariat)."""
    message = (message or "").strip()
    if not message:
        raise WorkflowError(_("Tell the applicant what is missing."))

    def change(current):
        current.decision_note = message

    def notify(current):
        current = MembershipApplication.objects.select_related("organisation", "tier").get(pk=current.pk)
        email_unit(current.organisation, _("Your membership application needs more material"),
                   "members/email/application_returned.txt", {"application": current})

    return APPLICATIONS.transition(application, "return", user=user, request=request, note=message, change=change,
                                   notify=notify, data={"message": message})
