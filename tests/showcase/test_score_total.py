"""The expert sees the running total while rating, before submitting locks the sheet (issue #14.13): the page
shows the total of the saved draft (computed by the server) and carries what static/js/showcase.js needs to
update it on every click; the panel's 分歧 column says what it counts."""

import html
import json
import re
from decimal import Decimal

from django.urls import reverse

from .conftest import score


def _running_total(body: str) -> str:
    """The text of the running-total line, as a person reads it."""
    html = re.search(r"<p[^>]*data-running-total[^>]*>(.*?)</p>", body, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_saved_draft_shows_its_total_on_the_page(client_for, assigned, experts, items, levels):
    expert = experts[0]
    assignment = assigned.assignments.get(expert=expert)
    client = client_for(expert)
    url = reverse("showcase_admin:score", args=[assignment.pk])
    client.get(reverse("showcase_admin:declare", args=[assignment.pk]))
    client.post(reverse("showcase_admin:declare", args=[assignment.pk]), {"answer": "no"})
    data = {"action": "save", "overall_comment": ""}
    full, half = levels["符合"], levels["基本符合"]
    for item in items[:3]:  # 1.1, 1.2, 1.3: 6 points each
        data[f"level_{item.pk}"] = full.pk
    data[f"level_{items[3].pk}"] = half.pk  # 1.4 half of 6
    data[f"comment_{items[3].pk}"] = "捐赠记录不全"
    response = client.post(url, data, follow=True)
    body = response.content.decode()
    said = [str(m) for m in response.context["messages"]]
    assert said == ["草稿已保存。当前合计 21 分（已评 4/13 项）。"]
    assert _running_total(body) == "当前合计 21 分（已评 4/13 项）"
    assignment.refresh_from_db()
    assert assignment.sheet.total is None  # the recorded total is the submitted one


def test_score_page_carries_weights_and_fractions_for_the_script(client_for, assigned, experts, items, levels):
    expert = experts[0]
    score(assigned, expert, items, levels, submit=False)
    assignment = assigned.assignments.get(expert=expert)
    body = client_for(expert).get(reverse("showcase_admin:score", args=[assignment.pk])).content.decode()
    fractions = json.loads(html.unescape(re.search(r"data-level-fractions='([^']+)'", body).group(1)))
    assert fractions == {str(lv.pk): float(lv.fraction) for lv in levels.values()}
    weights = [Decimal(w) for w in re.findall(r'<tr id="item-\d+" data-weight="([\d.]+)"', body)]
    assert sum(weights) == Decimal("100") and len(weights) == 13
    assert 'src="/static/js/showcase.js"' in body
    assert "<script>" not in body.split('id="main"')[-1]  # no inline script (CSP)
    assert _running_total(body) == "当前合计 100 分（已评 13/13 项）"
    assert '<strong data-total>100</strong>' in body and '<span data-rated>13</span>' in body


def test_panel_explains_the_spread_column(client_for, assigned, experts, items, levels, secretariat):
    for expert in experts[:3]:
        score(assigned, expert, items, levels)
    body = client_for(secretariat).get(reverse("showcase_admin:application",
                                               args=[assigned.application_id])).content.decode()
    assert "分歧：各位专家对该条目所评等级相差的档数" in body
    assert f"相差 {assigned.standard.divergence_levels} 档及以上的条目标为“意见分歧”" in body
