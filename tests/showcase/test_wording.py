"""Words on the programme's pages name the right thing (issue #14.9): the firm's acceptance-result table is not
headed with the preliminary review's 初审结果, and the experts' pages call the application by the applying unit,
not by the stage 申报推荐."""

import re

from django.urls import reverse
from django.utils import timezone

from showcase import domain

from .conftest import score


def _table_headings(body: str, marker: str) -> list[str]:
    """The column headings of the table that follows `marker` in the page."""
    table = body[body.index(marker):]
    table = table[:table.index("</thead>")]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]


def test_acceptance_result_table_is_not_headed_preliminary_review(client_for, assigned, experts, items, levels,
                                                                   secretariat, firm_a_user):
    for expert in experts[:3]:
        score(assigned, expert, items, levels)
    domain.record_decision(review_round=assigned, user=secretariat, result="accepted",
                           decided_on=timezone.localdate(assigned.opened_at))  # the local day
    body = client_for(firm_a_user).get(reverse("showcase:detail", args=[assigned.application_id])).content.decode()
    headings = _table_headings(body, "验收评审结果")
    assert headings == ["验收项目", "评定结果", "分值", "评审意见"]
    assert "初审结果" not in body


def test_expert_pages_name_the_applying_unit_not_the_stage(client_for, assigned, experts, items, levels):
    expert = experts[0]
    score(assigned, expert, items, levels, submit=False)
    client = client_for(expert)
    assignment = assigned.assignments.get(expert=expert)
    tasks = client.get(reverse("showcase_admin:my_assignments")).content.decode()
    sheet = client.get(reverse("showcase_admin:score", args=[assignment.pk])).content.decode()
    assert "申报推荐" not in tasks and "申报推荐" not in sheet
    assert "<th scope=\"col\">申报单位</th>" in tasks
    assert "<dt>申报单位</dt>" in sheet
