"""The account cancellation's steps (注销账号), as a table of the workflow core."""

from django.utils.translation import gettext_lazy as _

from portal.core.workflow import NEW, SYSTEM, Predicate, Transition, Workflow

from .hooks import cancellation_blockers
from .models import CancellationRequest

S = CancellationRequest.Status


def is_account_holder(user, obj) -> bool:
    return user is not None and user.pk == obj.user_id


def nothing_requires_keeping(obj) -> list[str]:
    """No open matter requires keeping the person's data (processes answer `cancellation_blockers`)"""
    return cancellation_blockers(obj.user)


ACCOUNT_HOLDER = Predicate(is_account_holder, _("the account holder"))

CANCELLATION = Workflow(
    "privacy.cancellation",
    CancellationRequest,
    label=_("account cancellation"),
    visible=is_account_holder,
    lock_related=["user"],
    transitions=[
        Transition("request", _("Ask to cancel the account"), source=[NEW], target=S.PENDING,
                   actors=[ACCOUNT_HOLDER]),
        Transition("complete", _("Cancel the account"), source=[S.PENDING], target=S.COMPLETED,
                   actors=[ACCOUNT_HOLDER, SYSTEM], guard=nothing_requires_keeping, style="danger",
                   wrong_state_message=_("This cancellation request is no longer pending.")),
        Transition("withdraw", _("Withdraw the request"), source=[S.PENDING], target=S.WITHDRAWN,
                   actors=[ACCOUNT_HOLDER],
                   wrong_state_message=_("This cancellation request is no longer pending.")),
    ],
)
