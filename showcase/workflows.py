"""The programme's processes as tables (see `portal.core.workflow`): applications, review rounds,
expert assignments and score sheets. Domain functions (`showcase.domain`) take every step through
these tables; views ask them which buttons and forms to show.

Application (申报):

    draft ──submit──▶ submitted ──pass_preliminary──▶ creation ──report──▶ acceptance ──accept──▶ accepted
      ▲                 │   │                      (assess, enter_public_credit)      └──not_accept──▶ not accepted
      └── returned ◀────┘   └──reject──▶ rejected
          (resubmit)
    draft / submitted / returned / creation ──withdraw (the unit)──▶ withdrawn
    any stage up to accepted (without a title) ──exclude (the secretariat, 责令退出)──▶ excluded

Review round (验收 or 复核): open ──assign (experts, deadline)── … ──decide──▶ decided.
Expert assignment: pending ──no_conflict──▶ active / ──conflict──▶ conflict; pending/active ──remove──▶ removed.
Score sheet: draft ──submit──▶ submitted ──reopen (secretariat, with a reason)──▶ draft.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accounts.roles import Role
from portal.core.workflow import NEW, SYSTEM, HasRole, Predicate, Transition, Workflow
from portal.organisations.actors import ForTheUnit, recused_from_unit

from . import access, guards
from .models import Application, ApplicationEvent, Campaign, ExpertAssignment, ReviewRound, ScoreSheet

S = Application.Status
R = ReviewRound.Status
A = ExpertAssignment.Status
SHEET = ScoreSheet.Status
K = ApplicationEvent.Kind

UNIT = ForTheUnit(label=pgettext_lazy("showcase", "the applying unit"))
AGENCY = Predicate(lambda user, obj: access.is_agency_for(user, access.campaign_of(obj)),
                   _("the campaign's agency"))
SECRETARIAT = HasRole(Role.SECRETARIAT)
THE_EXPERT = Predicate(lambda user, obj: access.expert_id_of(obj) == getattr(user, "pk", None),
                       _("the assigned expert"))

# The application's timeline: which step writes which kind of line (steps not listed write none).
TIMELINE = {
    "create": K.CREATED, "submit": K.SUBMITTED, "withdraw": K.WITHDRAWN,
    "pass_preliminary": K.PRELIMINARY_PASSED, "return": K.RETURNED, "reject": K.REJECTED,
    "assess": K.ASSESSMENT, "enter_public_credit": K.PUBLIC_CREDIT, "report": K.REPORT,
    "assign": K.EXPERTS, "decide": K.DECIDED, "exclude": K.EXCLUDED,
}


def _timeline(obj, *, transition, previous, user, note, when):
    kind = TIMELINE.get(transition.action)
    if kind is not None:
        ApplicationEvent.objects.create(application=access.application_of(obj), kind=kind, message=note,
                                        actor=user, created_at=when)


def _visible(user, obj) -> bool:
    return access.can_read_application(user, access.application_of(obj))


# A person may hold several roles (SPEC): an expert, agency or secretariat member who acts for the applying unit
# takes no step about its application (acting for the unit itself is not affected).
RECUSED = recused_from_unit(access.unit_id_of)


EDITING = [S.DRAFT, S.RETURNED]
OPEN = list(Application.OPEN_STATUSES)
EVIDENCE = [S.DRAFT, S.RETURNED, S.CREATION]

APPLICATIONS = Workflow(
    "showcase.application",
    Application,
    label=pgettext_lazy("showcase", "application"),
    recused=RECUSED,
    visible=_visible,
    history=_timeline,
    transitions=[
        Transition("create", pgettext_lazy("showcase", "Start an application"), source=[NEW], target=S.DRAFT, actors=[UNIT],
                   guard=guards.may_start),
        Transition("edit", _("Edit the application form"), source=EDITING, target=None, actors=[UNIT],
                   history=False, wrong_state_message=_("The application form can no longer be changed.")),
        Transition("commit", _("Sign the credit commitment"), source=EDITING, target=None, actors=[UNIT],
                   history=False, wrong_state_message=_("The application form can no longer be changed.")),
        Transition("add_evidence", _("Add evidence"), source=EVIDENCE, target=None, actors=[UNIT], history=False,
                   wrong_state_message=_("Evidence can be changed only while the application is a draft, returned, "
                                         "or in creation.")),
        Transition("remove_evidence", _("Remove evidence"), source=EVIDENCE, target=None, actors=[UNIT],
                   history=False,
                   wrong_state_message=_("Evidence can be changed only while the application is a draft, returned, "
                                         "or in creation.")),
        Transition("add_tracking_evidence", _("Add evidence for the tracking evaluation"), source=[S.ACCEPTED],
                   target=None, actors=[UNIT], guard=guards.tracking_open, history=False),
        Transition("submit", _("Submit the application"), source=EDITING, target=S.SUBMITTED, actors=[UNIT],
                   guard=guards.ready_to_submit, style="primary"),
        Transition("withdraw", _("Withdraw the application"), source=[S.DRAFT, S.SUBMITTED, S.RETURNED, S.CREATION],
                   target=S.WITHDRAWN, actors=[UNIT], style="danger"),
        Transition("pass_preliminary", _("Pass the preliminary review"), source=[S.SUBMITTED], target=S.CREATION,
                   actors=[AGENCY], guard=guards.still_eligible, style="primary"),
        Transition("return", _("Return for completion"), source=[S.SUBMITTED], target=S.RETURNED, actors=[AGENCY]),
        Transition("reject", _("Reject the application"), source=[S.SUBMITTED],
                   target=S.REJECTED, actors=[AGENCY], style="danger"),
        Transition("assess", _("Record a stage assessment"), source=[S.CREATION], target=None, actors=[AGENCY]),
        Transition("enter_public_credit", _("Enter the public credit record"), source=[S.CREATION, S.ACCEPTANCE],
                   target=None, actors=[AGENCY], guard=guards.public_credit_still_open),
        Transition("report", _("Issue the creation evaluation report"), source=[S.CREATION], target=S.ACCEPTANCE,
                   actors=[AGENCY], guard=guards.public_credit_entered, style="primary"),
        Transition("accept", _("Accepted"), source=[S.ACCEPTANCE], target=S.ACCEPTED, actors=[SECRETARIAT]),
        Transition("not_accept", _("Not accepted"), source=[S.ACCEPTANCE], target=S.NOT_ACCEPTED,
                   actors=[SECRETARIAT]),
        # 责令退出 (L1361): the application ends here, whatever stage it had reached; a unit with a title has its
        # title revoked instead (showcase.awards), and both bring the ban.
        Transition("exclude", _("Exclude from the programme"), source=[*OPEN, S.ACCEPTED], target=S.EXCLUDED,
                   actors=[SECRETARIAT], style="danger",
                   wrong_state_message=_("This application is no longer in the programme (withdrawn, rejected, "
                                         "not accepted or already excluded).")),
    ],
)

ROUNDS = Workflow(
    "showcase.round",
    ReviewRound,
    label=_("review round"),
    recused=RECUSED,
    visible=_visible,
    history=_timeline,
    transitions=[
        Transition("open", _("Open the review"), source=[NEW], target=R.OPEN, actors=[AGENCY, SECRETARIAT],
                   history=False),
        Transition("assign", _("Assign experts"), source=[R.OPEN], target=None, actors=[SECRETARIAT],
                   wrong_state_message=_("The decision for this round is already recorded.")),
        Transition("decide", _("Record the decision"), source=[R.OPEN], target=R.DECIDED, actors=[SECRETARIAT],
                   guard=guards.scoring_complete, style="primary",
                   wrong_state_message=_("The decision for this round is already recorded.")),
    ],
)


def _sees_assignment(user, obj) -> bool:
    return THE_EXPERT.permits(user, obj) or SECRETARIAT.permits(user, obj)


ASSIGNMENTS = Workflow(
    "showcase.assignment",
    ExpertAssignment,
    label=_("expert assignment"),
    recused=RECUSED,
    visible=_sees_assignment,
    transitions=[
        Transition("assign", _("Assign the expert"), source=[NEW], target=A.PENDING, actors=[SECRETARIAT],
                   guard=guards.may_be_assigned),
        Transition("reassign", _("Assign the expert again"), source=[A.REMOVED], target=A.PENDING,
                   actors=[SECRETARIAT], guard=guards.may_be_assigned),
        Transition("no_conflict", _("Declare no conflict of interest"), source=[A.PENDING], target=A.ACTIVE,
                   actors=[THE_EXPERT], style="primary",
                   wrong_state_message=_("You have already made your declaration for this assignment.")),
        Transition("conflict", _("Declare a conflict of interest"), source=[A.PENDING], target=A.CONFLICT,
                   actors=[THE_EXPERT],
                   wrong_state_message=_("You have already made your declaration for this assignment.")),
        Transition("remove", _("Remove the expert"), source=[A.PENDING, A.ACTIVE], target=A.REMOVED,
                   actors=[SECRETARIAT], guard=guards.may_be_removed,
                   wrong_state_message=_("This expert is no longer assigned.")),
        Transition("remind", _("Remind of the scoring deadline"), source=[A.PENDING, A.ACTIVE], target=None,
                   actors=[SYSTEM]),
    ],
)


def _sees_sheet(user, obj) -> bool:
    """The expert while the assignment is active (declared, no conflict); the secretariat."""
    if SECRETARIAT.permits(user, obj):
        return True
    return THE_EXPERT.permits(user, obj) and obj.assignment.status == A.ACTIVE


SHEETS = Workflow(
    "showcase.sheet",
    ScoreSheet,
    label=_("score sheet"),
    recused=RECUSED,
    visible=_sees_sheet,
    transitions=[
        Transition("start", _("Start scoring"), source=[NEW], target=SHEET.DRAFT, actors=[THE_EXPERT],
                   guard=guards.round_undecided),
        Transition("save", _("Save the draft"), source=[SHEET.DRAFT], target=None, actors=[THE_EXPERT],
                   guard=guards.round_undecided,
                   wrong_state_message=_("This score sheet is already submitted and locked.")),
        Transition("submit", _("Submit the score sheet"), source=[SHEET.DRAFT], target=SHEET.SUBMITTED,
                   actors=[THE_EXPERT], guard=guards.round_undecided, style="primary",
                   wrong_state_message=_("This score sheet is already submitted and locked.")),
        Transition("reopen", _("Reopen the score sheet"), source=[SHEET.SUBMITTED], target=SHEET.DRAFT,
                   actors=[SECRETARIAT], guard=guards.round_undecided,
                   wrong_state_message=_("Only a submitted score sheet can be reopened.")),
    ],
)


# ---------------------------------------------------------------- campaigns

C = Campaign.Status


def campaign_ready(campaign) -> list:
    """An appointed agency and dates in order"""
    problems = []
    if not campaign.agency_id:
        problems.append(_("Appoint the third-party agency first: it reviews and coaches the applicants."))
    if campaign.deadline < campaign.opens_on:
        problems.append(_("The deadline cannot be before the open date."))
    return problems


# A campaign is opened and closed by the secretariat; its other fields are edited in the admin form, which never
# changes the status (`showcase.wagtail_hooks.CampaignViewSet`).
CAMPAIGNS = Workflow(
    "showcase.campaign",
    Campaign,
    label=_("campaign"),
    transitions=[
        Transition("open", _("Open for applications"), source=[C.PLANNED, C.CLOSED], target=C.OPEN,
                   actors=[SECRETARIAT], guard=campaign_ready, style="primary",
                   wrong_state_message=_("This campaign is already open.")),
        Transition("close", _("Close the campaign"), source=[C.OPEN], target=C.CLOSED, actors=[SECRETARIAT],
                   style="danger", wrong_state_message=_("This campaign is not open.")),
    ],
)
