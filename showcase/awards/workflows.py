"""The titles' processes as tables (see `portal.core.workflow`): public notices, objections, titles.

    Notice (公示):   published ──open (job, at its start)──▶ open ──close (job, at its end)──▶ closed
    Objection (异议): open ──dismiss──▶ dismissed / ──uphold──▶ upheld (the secretariat, with findings)
    Title:           awarded (after the notice; plaque, re-review, renewal, reminders) ──revoke──▶ revoked

A title's validity (valid / expiring / under re-review / expired) is derived from its dates and the
re-review rounds (`models.title_status`); the guards below read it.
"""

from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import Role
from portal.core.workflow import ANYONE, NEW, SYSTEM, HasRole, Predicate, Transition, Workflow
from portal.organisations.actors import ForTheUnit, recused_from_unit
from showcase import access

from . import guards
from .models import Notice, Objection, Title

N = Notice.Status
O = Objection.Status  # noqa: E741
T = Title.Standing

SECRETARIAT = HasRole(Role.SECRETARIAT)
AGENCY = Predicate(lambda user, title: access.is_agency_for(user, title.application.campaign),
                   _("the campaign's agency"))
UNIT = ForTheUnit(label=_("the unit itself"))

NOTICES = Workflow(
    "awards.notice",
    Notice,
    label=_("public notice"),
    transitions=[
        Transition("publish", _("Publish the notice"), source=[NEW], target=N.PUBLISHED, actors=[SECRETARIAT],
                   guard=guards.notice_publishable, style="primary"),
        Transition("open", _("Open the notice"), source=[N.PUBLISHED], target=N.OPEN, actors=[SYSTEM]),
        Transition("close", _("Close the notice"), source=[N.PUBLISHED, N.OPEN], target=N.CLOSED, actors=[SYSTEM]),
    ],
)


OBJECTIONS = Workflow(
    "awards.objection",
    Objection,
    label=_("objection"),
    transitions=[
        Transition("submit", _("File an objection"), source=[NEW], target=O.OPEN, actors=[ANYONE]),
        Transition("confirm", _("Confirm with the emailed code"), source=[O.OPEN, O.DISMISSED, O.UPHELD],
                   target=None, actors=[ANYONE]),
        Transition("dismiss", _("Dismiss the objection"), source=[O.OPEN], target=O.DISMISSED, actors=[SECRETARIAT],
                   wrong_state_message=_("This objection has already been decided.")),
        Transition("uphold", _("Uphold the objection"), source=[O.OPEN], target=O.UPHELD, actors=[SECRETARIAT],
                   style="danger", wrong_state_message=_("This objection has already been decided.")),
    ],
)


def _sees_title(user, title) -> bool:
    return SECRETARIAT.permits(user, title) or AGENCY.permits(user, title) or UNIT.permits(user, title)


TITLES = Workflow(
    "awards.title",
    Title,
    label=_("demonstration unit title"),
    state_field="standing",
    states=Title.Standing,
    visible=_sees_title,
    recused=recused_from_unit(),  # nobody who acts for the unit re-reviews, renews or revokes its title
    transitions=[
        Transition("award", _("Award the title"), source=[NEW], target=T.AWARDED, actors=[SYSTEM, SECRETARIAT],
                   guard=guards.may_be_awarded, style="primary"),
        Transition("plaque", _("Record the plaque as issued"), source=[T.AWARDED], target=None,
                   actors=[SECRETARIAT], guard=guards.plaque_not_issued,
                   wrong_state_message=_("This title has been revoked.")),
        Transition("re_review", _("Open the re-review"), source=[T.AWARDED], target=None,
                   actors=[AGENCY, SECRETARIAT], guard=guards.due_for_re_review,
                   wrong_state_message=_("This title has been revoked.")),
        Transition("renew", _("Renew after a passed re-review"), source=[T.AWARDED], target=None,
                   actors=[SECRETARIAT]),
        Transition("not_renew", _("Record a failed re-review"), source=[T.AWARDED], target=None,
                   actors=[SECRETARIAT]),
        Transition("remind", _("Remind of the expiry"), source=[T.AWARDED], target=None, actors=[SYSTEM]),
        Transition("revoke", _("Revoke the title"), source=[T.AWARDED], target=T.REVOKED, actors=[SECRETARIAT],
                   style="danger", wrong_state_message=_("This unit's title has already been revoked.")),
    ],
)
