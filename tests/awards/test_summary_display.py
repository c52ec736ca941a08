"""The annual summary reads as a person expects (issue #14.23): no "-0.0" days, and every chart label whole."""

import datetime
import re

from django.urls import reverse

from showcase.awards import summary

from .conftest import at


def test_a_stage_of_no_time_reads_zero_not_minus_zero(client_for, secretariat, firm_a, make_accepted, publish):
    # the decision was recorded at 15:00 and the notice published from 14:00 the same day (as entered)
    app = make_accepted(firm_a, datetime.date(2024, 11, 20))
    publish([app], at(2024, 11, 20, 14, 0), ends_at=at(2024, 11, 28, 14, 0))
    stage = {s["key"]: s for s in summary.compute(2024).stages}["to_notice"]
    assert (stage["mean"], stage["median"]) == (0.0, 0.0)
    assert str(stage["median"]) == "0.0"
    page = client_for(secretariat).get(reverse("awards_admin:summary"), {"year": 2024}).content.decode()
    assert "-0.0" not in page
    xlsx = client_for(secretariat).get(reverse("awards_admin:summary_xlsx"), {"year": 2024})
    import io

    import pandas as pd

    stages = pd.read_excel(io.BytesIO(xlsx.content), sheet_name="各阶段用时")
    assert list(stages.loc[stages["阶段"] == "验收至公示", "中位天数"]) == [0.0]
    assert "-0" not in stages.to_csv()


def test_chart_labels_are_whole_and_inside_the_chart(firm_a, make_accepted, campaign):
    make_accepted(firm_a)
    data = summary.compute(2024)
    svg = str(summary.charts(data)["items"])
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    labels = [(float(x), anchor, text) for x, anchor, text in
              re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="(start|end)"[^>]*>([^<]*)</text>', svg)]
    titles = [i["title"] for i in data.items]
    for title in titles:  # the whole title, not its first ten characters
        assert any(title in text for _x, _a, text in labels), title
    for x, anchor, text in labels:
        # a CJK character is at most one em (12 px) wide, a Latin one at most 0.6 em
        needed = sum(12 if ord(ch) > 0x2E80 else 7.2 for ch in text)
        left, right = (x - needed, x) if anchor == "end" else (x, x + needed)
        assert left >= 0 and right <= width, (text, left, right, width)
