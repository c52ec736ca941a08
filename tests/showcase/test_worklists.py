"""Each role lands on its worklist (issue #14.10): the admin dashboard lists what the person can act on now, from
the process tables — the agency's applications awaiting the preliminary review, the experts' score sheets by
deadline (open work apart from finished work), the secretariat's rounds to staff and to decide."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from portal.accounts.roles import Role
from showcase import domain

from .conftest import fill, pdf_file, score, to_acceptance


def _panel(body: str, heading: str) -> str:
    """The worklist section under `heading` on the dashboard ("" when there is none)."""
    match = re.search(rf'<h3 class="portal-worklist__heading"[^>]*>{re.escape(heading)}（\d+）</h3>(.*?)(?=<h3 |</section>)',
                      body, re.S)
    return match.group(1) if match else ""


def _rows(section: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr(?: class=\"[^\"]*\")?>(.*?)</tr>", section.split("</thead>")[-1], re.S)]


def test_agency_lands_on_applications_awaiting_its_preliminary_review(client_for, submitted, agency, make_user,
                                                                      make_organisation, campaign):
    body = client_for(agency).get("/admin/").content.decode()
    section = _panel(body, "待初审")
    assert _rows(section) == [f"{submitted.number} {submitted.unit_name} {timezone.localtime(submitted.submitted_at):%Y-%m-%d} "
                              f"{(timezone.localtime(submitted.submitted_at) + datetime.timedelta(days=campaign.preliminary_review_days)):%Y-%m-%d}"]
    assert reverse("showcase_admin:application", args=[submitted.pk]) in section
    # another agency (the campaign names this one's organisation) sees nothing of it
    campaign.agency = make_organisation(users=[agency], name="评估机构甲")
    campaign.save()
    other = make_user(Role.AGENCY, email="other-agency@example.com")
    make_organisation(users=[other], name="评估机构乙")
    assert _rows(_panel(client_for(agency).get("/admin/").content.decode(), "待初审")) != []
    assert _rows(_panel(client_for(other).get("/admin/").content.decode(), "待初审")) == []
    # once passed, it leaves the list and waits for the report
    domain.pass_preliminary_review(application=submitted, user=agency, not_credit_agency=True)
    body = client_for(agency).get("/admin/").content.decode()
    assert _rows(_panel(body, "待初审")) == []
    assert submitted.number in _panel(body, "创建中：待出具创建评估报告")


def test_expert_lands_on_open_score_sheets_by_deadline_apart_from_finished_ones(
        client_for, assigned, experts, items, levels, secretariat, make_organisation, firm_b, firm_b_user, agency,
        campaign):
    # a second application whose deadline comes first
    second = fill(domain.create_application(campaign=campaign, user=firm_b_user))
    domain.accept_commitment(application=second, user=firm_b_user, signer="李四", signer_title="总经理")
    domain.add_evidence(application=second, item=items[0], user=firm_b_user, upload=pdf_file(), note="")
    domain.submit_application(application=second, user=firm_b_user)
    second.refresh_from_db()
    round2 = to_acceptance(second, agency)
    domain.assign_experts(review_round=round2, user=secretariat, experts=experts[:3],
                          scoring_deadline=timezone.localdate() + datetime.timedelta(days=2))
    expert = experts[0]
    body = client_for(expert).get("/admin/").content.decode()
    open_rows = _rows(_panel(body, "待评分"))
    assert [row.split()[0] for row in open_rows] == [second.number, assigned.application.number]  # by deadline
    assert "待声明利益冲突" in open_rows[0]
    assert _rows(_panel(body, "已提交")) == []
    score(assigned, expert, items, levels)
    body = client_for(expert).get("/admin/").content.decode()
    assert [row.split()[0] for row in _rows(_panel(body, "待评分"))] == [second.number]
    finished = _rows(_panel(body, "已提交"))
    assert len(finished) == 1 and finished[0].startswith(assigned.application.number) and "100" in finished[0]
    assert reverse("showcase_admin:score", args=[assigned.assignments.get(expert=expert).pk]) in body


def test_secretariat_lands_on_rounds_to_staff_and_to_decide(client_for, review_round, secretariat, experts, items,
                                                            levels):
    client = client_for(secretariat)
    number = review_round.application.number
    assert number in _panel(client.get("/admin/").content.decode(), "待分配评审专家")
    domain.assign_experts(review_round=review_round, user=secretariat, experts=experts[:3],
                          scoring_deadline=timezone.localdate() + datetime.timedelta(days=7))
    body = client.get("/admin/").content.decode()
    assert number not in _panel(body, "待分配评审专家")
    assert number not in _panel(body, "待作出验收结论")
    for expert in experts[:3]:
        score(review_round, expert, items, levels)
    section = _panel(client.get("/admin/").content.decode(), "待作出验收结论")
    assert number in section
    assert reverse("showcase_admin:application", args=[review_round.application_id]) in section


def test_worklists_stay_off_other_roles_dashboards(client_for, submitted, editor, experts):
    for user in (editor, experts[0]):
        body = client_for(user).get("/admin/").content.decode()
        assert "待初审" not in body and "待分配评审专家" not in body
