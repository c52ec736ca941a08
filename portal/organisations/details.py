"""A unit's registered details (name, unified social credit code): who may change them, and how.

While nothing has vetted a unit, its users edit its details freely. Once a process has vetted them
(the unit is a member or an applicant, asked through the `registered_details_vetted` hook, or it has an
approved name on record), the name and the credit code change only through a request the secretariat
reviews with the new licence (`DETAILS_CHANGES`). An approved change updates the unit, extends the
history of its approved names (`RegisteredName`) and is announced through the `registered_details_changed`
hook (e.g. the membership re-issues its certificate), in the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.accounts.roles import Role
from portal.core import recipients
from portal.core.audit import record
from portal.core.mail import queue_email
from portal.core.workflow import WorkflowError

from .models import Organisation, RegisteredDetailsChange, RegisteredName, organisation_for
from .workflows import DETAILS_CHANGES

# fn(organisation) -> bool: a process has vetted the unit's registered details (a member, an applicant)
VETTED_HOOK = "registered_details_vetted"
# fn(organisation, change, user): an approved change took effect (inside its transaction)
CHANGED_HOOK = "registered_details_changed"
REVIEWED_FIELDS = ("name", "credit_code")


def is_vetted(organisation) -> bool:
    """Whether the unit's name and credit code change only through a reviewed request."""
    if organisation is None or organisation.pk is None:
        return False
    if RegisteredName.objects.filter(organisation_id=organisation.pk).exists():
        return True
    return any(answer(organisation) for answer in hooks.get_hooks(VETTED_HOOK))


def update_details(*, organisation: Organisation, user, changed=(), request=None) -> Organisation:
    """A unit's own users save its details; the registered name and code only while nothing vetted them."""
    own = organisation_for(user)
    if own is None or own.pk != organisation.pk:
        raise PermissionDenied
    reviewed = [f for f in changed if f in REVIEWED_FIELDS]
    if reviewed and is_vetted(Organisation.objects.get(pk=organisation.pk)):
        raise WorkflowError(_("The registered name and credit code of a member or an applicant change only through "
                              "a request the secretariat reviews."))
    with transaction.atomic():
        organisation.save()
        record(organisation, "organisations.organisation.edit", user=user, request=request,
               data={"fields": list(changed)})
    return organisation


def record_approved_details(*, organisation: Organisation, user=None, on=None) -> RegisteredName:
    """A process vetted the unit (e.g. admission): its current name and code go on record as approved."""
    current = RegisteredName.objects.filter(organisation=organisation, valid_until__isnull=True).first()
    if current is not None and (current.name, current.credit_code) == (organisation.name, organisation.credit_code):
        return current
    on = on or timezone.localdate()
    if current is not None:
        current.valid_until = on
        current.save(update_fields=["valid_until"])
    return RegisteredName.objects.create(organisation=organisation, name=organisation.name,
                                         credit_code=organisation.credit_code, valid_from=on,
                                         approved_by=user if getattr(user, "pk", None) else None)


def name_history(organisation) -> list[RegisteredName]:
    """The unit's approved names, newest first."""
    return list(RegisteredName.objects.filter(organisation=organisation).order_by("-valid_from", "-pk"))


def request_change(*, organisation: Organisation, user, new_name: str = "", new_credit_code: str = "",
                   reason: str = "", licence=None, licence_name: str = "", request=None) -> RegisteredDetailsChange:
    """The unit asks to change its registered name or credit code; the secretariat is told."""
    new_name, new_credit_code = (new_name or "").strip(), (new_credit_code or "").strip().upper()
    change = RegisteredDetailsChange(
        organisation=organisation, old_name=organisation.name, old_credit_code=organisation.credit_code,
        new_name=new_name if new_name != organisation.name else "",
        new_credit_code=new_credit_code if new_credit_code != organisation.credit_code else "",
        reason=(reason or "").strip(), licence=licence, licence_name=(licence_name or "")[:200], requested_by=user,
    )

    def notify(current):
        to = recipients.with_roles(Role.SECRETARIAT)
        if to:
            queue_email(to=to, subject=_("Change of registered details: %(name)s") % {"name": organisation.name},
                        template="core/organisations/details_change_requested.txt", context={"change": current})

    try:
        with transaction.atomic():
            return DETAILS_CHANGES.create(change, "request", user=user, request=request, notify=notify,
                                          data={"new_name": change.new_name, "new_credit_code": change.new_credit_code})
    except IntegrityError as exc:  # the partial unique constraint: a second request at the same time
        raise WorkflowError(_("A change of registered details is already waiting for review.")) from exc


def approve_change(*, change: RegisteredDetailsChange, user, note: str = "", request=None) -> RegisteredDetailsChange:
    """The secretariat approves: the unit's registered details change and their history grows."""
    today = timezone.localdate()

    def apply(current):
        organisation = Organisation.objects.select_for_update().get(pk=current.organisation_id)
        if (organisation.name, organisation.credit_code) != (current.old_name, current.old_credit_code):
            raise WorkflowError(_("The unit's registered details changed since the request: ask for a new request."))
        if not RegisteredName.objects.filter(organisation=organisation).exists():  # the details before, as approved
            RegisteredName.objects.create(organisation=organisation, name=organisation.name,
                                          credit_code=organisation.credit_code, valid_from=None)
        RegisteredName.objects.filter(organisation=organisation, valid_until__isnull=True).update(valid_until=today)
        organisation.name, organisation.credit_code = current.name_after, current.credit_code_after
        organisation.save()
        RegisteredName.objects.create(organisation=organisation, name=organisation.name,
                                      credit_code=organisation.credit_code, valid_from=today, change=current,
                                      approved_by=user)
        current.decided_by, current.decided_at, current.decision_note = user, timezone.now(), note.strip()
        for announce in hooks.get_hooks(CHANGED_HOOK):
            announce(organisation, current, user)

    return DETAILS_CHANGES.transition(change, "approve", user=user, request=request, note=note, change=apply,
                                      notify=_tell_the_unit, data={"name": change.name_after,
                                                                   "credit_code": change.credit_code_after})


def reject_change(*, change: RegisteredDetailsChange, user, reason: str, request=None) -> RegisteredDetailsChange:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the unit the reason for the rejection."))

    def decide(current):
        current.decided_by, current.decided_at, current.decision_note = user, timezone.now(), reason

    return DETAILS_CHANGES.transition(change, "reject", user=user, request=request, note=reason, change=decide,
                                      notify=_tell_the_unit)


def withdraw_change(*, change: RegisteredDetailsChange, user, request=None) -> RegisteredDetailsChange:
    return DETAILS_CHANGES.transition(change, "withdraw", user=user, request=request)


def pending_change(organisation) -> RegisteredDetailsChange | None:
    if organisation is None:
        return None
    return organisation.details_changes.filter(status=RegisteredDetailsChange.Status.SUBMITTED).first()


def _tell_the_unit(change):
    organisation = Organisation.objects.get(pk=change.organisation_id)
    to = recipients.unique([organisation.email, *recipients.of_users(organisation.users.all())])
    if to:
        queue_email(to=to, subject=_("Your change of registered details: %(status)s")
                    % {"status": change.get_status_display()},
                    template="core/organisations/details_change_decided.txt",
                    context={"change": change, "organisation": organisation})
