"""Eligibility (L1319–L1324, L1361, L1376) and completeness, checked when a draft starts and when it is submitted.

Each rule is a small function returning None (met) or a message for the applicant.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from wagtail import hooks

from portal.organisations.models import Organisation

from .models import Application, add_years, ban_in_force

MIN_YEARS = 3


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def registered_in_zhejiang(application, on_date):
    if not application.organisation.in_zhejiang:
        return _(
            "The unit must be registered in Zhejiang Province: its unified social credit code shows region %(region)s."
        ) % {"region": application.organisation.region_name or application.organisation.region_code or "—"}
    return None


def independent_legal_person(application, on_date):
    if not application.is_independent_legal_person:
        return _("Only units with independent legal personality may apply: please confirm this in the application form.")
    return None


def established_three_years(application, on_date):
    established = application.organisation.established_on
    eligible_from = add_years(established, MIN_YEARS)
    if on_date < eligible_from:
        return _(
            "The unit must have been operating for at least three years: established on %(established)s, "
            "it may apply from %(from)s."
        ) % {"established": established.isoformat(), "from": eligible_from.isoformat()}
    return None


def not_credit_agency(application, on_date):
    if application.organisation.unit_type == Organisation.UnitType.CREDIT_AGENCY:
        return _(
            "Credit service agencies do not take part in this programme: they are rated under the star-rating "
            "scheme for credit service agencies (浙江省信用服务机构星级评定)."
        )
    return None


def not_banned(application, on_date):
    ban = ban_in_force(application.organisation, on_date)
    if ban is not None:
        return _(
            "The unit's title was revoked (or it was excluded from the programme): it may not take part in the "
            "programme before %(until)s."
        ) % {"until": ban.ends_on.isoformat()}
    return None


def no_other_open_application(application, on_date):
    others = Application.objects.filter(
        organisation_id=application.organisation_id, status__in=Application.OPEN_STATUSES
    ).exclude(pk=application.pk)
    if others.exists():
        return _("The unit already has an application in progress; only one may be open at a time.")
    return None


def not_accepted_in_campaign(application, on_date):
    """An accepted unit goes on to the notice and the title: it does not apply again in that campaign."""
    accepted = Application.objects.filter(
        organisation_id=application.organisation_id, campaign_id=application.campaign_id,
        status=Application.Status.ACCEPTED,
    ).exclude(pk=application.pk)
    if accepted.exists():
        return _("The unit's application in the campaign %(campaign)s has been accepted: it cannot apply again in "
                 "the same campaign.") % {"campaign": application.campaign.title}
    return None


STANDING_TITLE_HOOK = "showcase_standing_title"


def no_standing_title(application, on_date):
    """Not while the unit holds a valid title or an accepted application awaits its title.

    The titles (showcase.awards) answer through the Wagtail hook `showcase_standing_title`:
    fn(application, on_date) -> a message or None.
    """
    for answer in hooks.get_hooks(STANDING_TITLE_HOOK):
        message = answer(application, on_date)
        if message:
            return message
    return None


def campaign_accepts(application, on_date):
    if not application.campaign.accepts_applications(on_date):
        return _("The campaign %(campaign)s does not accept applications now (deadline %(deadline)s).") % {
            "campaign": application.campaign.title,
            "deadline": application.campaign.deadline.isoformat(),
        }
    return None


ELIGIBILITY_RULES = [
    ("zhejiang", registered_in_zhejiang),
    ("legal_person", independent_legal_person),
    ("three_years", established_three_years),
    ("credit_agency", not_credit_agency),
    ("banned", not_banned),
    ("open_application", no_other_open_application),
    ("accepted_in_campaign", not_accepted_in_campaign),
    ("standing_title", no_standing_title),
    ("campaign", campaign_accepts),
]


def eligibility_problems(application, on_date: datetime.date) -> list[Problem]:
    problems = []
    for code, rule in ELIGIBILITY_RULES:
        message = rule(application, on_date)
        if message:
            problems.append(Problem(code, message))
    return problems


# Checked when a draft starts: the bars a unit cannot remove by completing its form (the ban, being a credit
# service agency, another application or a standing title, the campaign). The rest is checked at submission.
START_RULES = ("credit_agency", "banned", "open_application", "accepted_in_campaign", "standing_title", "campaign")
# Checked again when the agency passes the preliminary review (the unit's declarations, confirmed by the agency).
REVIEW_RULES = ("zhejiang", "legal_person", "three_years", "credit_agency", "banned", "standing_title")


def start_problems(application, on_date: datetime.date) -> list[Problem]:
    """The rules a unit must meet to start a draft."""
    return [p for p in eligibility_problems(application, on_date) if p.code in START_RULES]


def review_problems(application, on_date: datetime.date) -> list[Problem]:
    """The rules the agency checks again at the preliminary review."""
    return [p for p in eligibility_problems(application, on_date) if p.code in REVIEW_RULES]


def submission_problems(application, on_date: datetime.date | None = None) -> list[Problem]:
    """Eligibility and completeness at submission; a returned application stays in its campaign after the
    deadline (it was submitted in time)."""
    from django.utils import timezone

    problems = eligibility_problems(application, on_date or timezone.localdate())
    if application.status == Application.Status.RETURNED:
        problems = [p for p in problems if p.code != "campaign"]
    return problems + completeness_problems(application)


def completeness_problems(application) -> list[Problem]:
    """What is still missing from the application before it can be submitted."""
    problems = []
    required = [
        ("unit_name", _("unit name")),
        ("legal_representative", _("legal representative")),
        ("contact_person", _("contact person")),
        ("contact_phone", _("contact phone")),
        ("main_business", _("main business")),
        ("credit_department", _("credit-management department")),
        ("summary", _("summary of credit-management work")),
    ]
    for field, label in required:
        if not getattr(application, field):
            problems.append(Problem(f"missing_{field}", _("Please fill in: %(field)s.") % {"field": label}))
    if application.staff_count is None:
        problems.append(Problem("missing_staff_count", _("Please fill in: %(field)s.") % {"field": _("number of staff")}))
    if None in (application.revenue_year1, application.revenue_year2, application.revenue_year3):
        problems.append(Problem("missing_revenue", _("Please give the revenue of each of the last three years.")))
    if not application.commitment_accepted_at or not application.commitment_signer:
        problems.append(Problem("commitment", _("The credit commitment must be signed (name and title) and accepted.")))
    if not application.licence:
        problems.append(Problem("licence", _("Please upload a copy of the business licence.")))
    return problems
