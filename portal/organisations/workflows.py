"""The registered-details change process as a table (see `portal.core.workflow`).

    (new) ─request (the unit, with the new licence)─▶ submitted ─approve─▶ approved (name / code changed)
                                                          ├──reject──▶ rejected
                                                          └──withdraw (the unit)──▶ withdrawn
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import Role, has_role
from portal.core.workflow import NEW, HasRole, Transition, Workflow

from .actors import ForTheUnit, recused_from_unit
from .models import Organisation, RegisteredDetailsChange

S = RegisteredDetailsChange.Status
UNIT = ForTheUnit(label=_("the unit itself"))
SECRETARIAT = HasRole(Role.SECRETARIAT)


def _visible(user, change) -> bool:
    return UNIT.permits(user, change) or has_role(user, Role.SECRETARIAT, Role.COUNCIL)


def something_changes(change):
    """The new name or credit code differs from the registered one, the licence is attached, none is pending."""
    problems = []
    if not change.new_name and not change.new_credit_code:
        problems.append(gettext("Enter the new registered name or the new credit code."))
    elif change.name_after == change.old_name and change.credit_code_after == change.old_credit_code:
        problems.append(gettext("The new details are the same as the registered ones."))
    if not change.licence:
        problems.append(gettext("Attach the new business licence."))
    if change.new_credit_code and Organisation.objects.filter(credit_code=change.new_credit_code).exclude(
            pk=change.organisation_id).exists():
        problems.append(gettext("Another unit is registered with this credit code."))
    if RegisteredDetailsChange.objects.filter(organisation_id=change.organisation_id, status=S.SUBMITTED).exclude(
            pk=change.pk).exists():
        problems.append(gettext("A change of registered details is already waiting for review."))
    return problems


DETAILS_CHANGES = Workflow(
    "organisations.details_change",
    RegisteredDetailsChange,
    label=_("registered details change"),
    visible=_visible,
    recused=recused_from_unit(),
    transitions=[
        Transition("request", _("Request a change of registered details"), source=[NEW], target=S.SUBMITTED,
                   actors=[UNIT], guard=something_changes),
        Transition("approve", _("Approve the change"), source=[S.SUBMITTED], target=S.APPROVED, actors=[SECRETARIAT],
                   style="primary", wrong_state_message=_("This request has already been decided.")),
        Transition("reject", _("Reject the change"), source=[S.SUBMITTED], target=S.REJECTED, actors=[SECRETARIAT],
                   style="danger", wrong_state_message=_("This request has already been decided.")),
        Transition("withdraw", _("Withdraw the request"), source=[S.SUBMITTED], target=S.WITHDRAWN, actors=[UNIT],
                   wrong_state_message=_("This request has already been decided.")),
    ],
)
