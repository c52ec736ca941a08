"""Each eligibility rule, with its Chinese message."""

import datetime

import pytest
from django.utils import translation

from portal.organisations.models import Organisation
from showcase.eligibility import eligibility_problems
from showcase.models import Application, ParticipationBan, add_years, is_banned


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def codes(application, on_date=None):
    return [p.code for p in eligibility_problems(application, on_date or datetime.date.today())]


def make(campaign, org, **fields):
    fields.setdefault("is_independent_legal_person", True)
    return Application(campaign=campaign, organisation=org, **fields)


def test_eligible_unit_has_no_problems(campaign, firm_a):
    assert codes(make(campaign, firm_a)) == []


def test_outside_zhejiang_is_refused(campaign, make_organisation):
    org = make_organisation(division="110105")  # Beijing Chaoyang
    problems = eligibility_problems(make(campaign, org), datetime.date.today())
    assert [p.code for p in problems] == ["zhejiang"]
    assert "浙江" in problems[0].message


def test_not_independent_legal_person_is_refused(campaign, firm_a):
    problems = eligibility_problems(make(campaign, firm_a, is_independent_legal_person=False), datetime.date.today())
    assert [p.code for p in problems] == ["legal_person"]
    assert "独立法人" in problems[0].message


@pytest.mark.parametrize(("established", "on_date", "eligible"), [
    (datetime.date(2016, 6, 1), datetime.date(2019, 5, 31), False),
    (datetime.date(2016, 6, 1), datetime.date(2019, 6, 1), True),
    (datetime.date(2016, 2, 29), datetime.date(2019, 2, 27), False),
    (datetime.date(2016, 2, 29), datetime.date(2019, 2, 28), True),
    (datetime.date(2017, 2, 28), datetime.date(2020, 2, 27), False),
    (datetime.date(2017, 2, 28), datetime.date(2020, 2, 28), True),
])
def test_three_years_of_operation(campaign, make_organisation, established, on_date, eligible):
    org = make_organisation(established_on=established)
    result = [p for p in eligibility_problems(make(campaign, org), on_date) if p.code == "three_years"]
    assert (not result) is eligible
    if result:
        assert "三年" in result[0].message


def test_add_years_maps_leap_day_to_28_february():
    assert add_years(datetime.date(2016, 2, 29), 3) == datetime.date(2019, 2, 28)
    assert add_years(datetime.date(2016, 2, 29), 4) == datetime.date(2020, 2, 29)


def test_credit_agency_is_pointed_to_star_rating(campaign, make_organisation):
    org = make_organisation(unit_type=Organisation.UnitType.CREDIT_AGENCY)
    problems = eligibility_problems(make(campaign, org), datetime.date.today())
    assert [p.code for p in problems] == ["credit_agency"]
    assert "星级评定" in problems[0].message


def test_banned_unit_is_refused_until_the_ban_ends(campaign, firm_a):
    ParticipationBan.objects.create(organisation=firm_a, starts_on=datetime.date(2024, 3, 1),
                                    ends_on=datetime.date(2027, 3, 1), reason="弄虚作假")
    assert is_banned(firm_a, datetime.date(2027, 2, 28)) is True
    assert is_banned(firm_a, datetime.date(2027, 3, 1)) is False
    problems = [p for p in eligibility_problems(make(campaign, firm_a), datetime.date(2026, 1, 1))
                if p.code != "campaign"]
    assert [p.code for p in problems] == ["banned"]
    assert "2027-03-01" in problems[0].message


def test_lifted_ban_does_not_block(campaign, firm_a):
    ParticipationBan.objects.create(organisation=firm_a, starts_on=datetime.date(2024, 3, 1),
                                    ends_on=datetime.date(2027, 3, 1), reason="x", lifted_on=datetime.date(2025, 1, 1))
    assert is_banned(firm_a, datetime.date(2026, 1, 1)) is False


def test_the_ban_length_comes_from_the_rules(db):
    assert ParticipationBan.end_for(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)  # default: 3 years


def test_other_open_application_is_refused(campaign, firm_a, firm_a_user):
    Application.objects.create(campaign=campaign, organisation=firm_a, created_by=firm_a_user,
                               status=Application.Status.CREATION)
    problems = eligibility_problems(make(campaign, firm_a), datetime.date.today())
    assert [p.code for p in problems] == ["open_application"]
    assert "申报" in problems[0].message


def test_closed_campaign_is_refused(campaign, firm_a):
    campaign.rolling = False
    campaign.deadline = datetime.date.today() - datetime.timedelta(days=1)
    assert codes(make(campaign, firm_a)) == ["campaign"]
