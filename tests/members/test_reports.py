import datetime
import io
from decimal import Decimal

from django.urls import reverse

from members import domain, reports

URL = reverse("members_admin:reports")


def test_dues_frame_by_year_and_tier(member_a, make_member, firm_b, firm_b_user, secretariat):
    make_member(firm_b, firm_b_user, tier="会员单位")
    domain.record_payment(dues_item=member_a.dues_items.get(), user=secretariat, amount=Decimal("3000"),
                          paid_on=datetime.date(2026, 4, 1), method="cash")
    frame = reports.dues_frame(today=datetime.date(2027, 2, 1))
    rows = {(r["year"], r["tier"]): r for r in frame.to_dict("records")}
    assert rows[(2026, "理事单位")]["receivable"] == 7000
    assert rows[(2026, "理事单位")]["received"] == 3000
    assert rows[(2026, "理事单位")]["arrears"] == 4000  # 2026 is an earlier dues year on 2027-02-01
    assert rows[(2026, "会员单位")]["outstanding"] == 2000
    totals = reports.dues_totals(frame).to_dict("records")
    assert totals == [{"year": 2026, "receivable": 9000.0, "received": 3000.0, "outstanding": 6000.0,
                       "arrears": 6000.0, "items": 2}]


def test_members_frame_counts_until_lapse(member_a):
    from members.models import Membership, MembershipEvent

    Membership.objects.filter(pk=member_a.pk).update(status="lapsed")
    MembershipEvent.objects.create(membership=member_a, kind="lapsed", on=datetime.date(2027, 3, 3))
    frame = reports.members_frame(today=datetime.date(2028, 6, 1))
    counts = {(r["year"], r["tier"], r["region"]): r["members"] for r in frame.to_dict("records")}
    assert counts == {(2026, "理事单位", "杭州市"): 1}


def test_reports_page_and_exports(client_for, member_a, secretariat):
    client = client_for(secretariat)
    page = client.get(URL).content.decode()
    assert "各年度会费" in page and "<svg" in page and "理事单位" in page
    csv = client.get(URL, {"export": "dues.csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "会费年度,会员类别,应收,实收,未收,欠费,笔数"
    assert "理事单位,7000.00,0.00,7000.00" in text
    members_csv = client.get(URL, {"export": "members.csv"}).content.decode("utf-8-sig")
    assert "杭州市" in members_csv
    xlsx = client.get(URL, {"export": "xlsx"})
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["会费", "会员"]
    assert book["会费"]["B2"].value == "理事单位"
    assert client.get(URL, {"export": "exe"}).status_code == 404


def test_reports_empty(client_for, council):
    page = client_for(council).get(URL).content.decode()
    assert "尚无会费记录" in page and "尚无会员" in page


def test_dashboard_panel_for_staff_only(client_for, member_a, council, editor):
    page = client_for(council).get(reverse("wagtailadmin_home")).content.decode()
    assert "members-dashboard" in page and "<svg" in page
    page = client_for(editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "members-dashboard" not in page


def test_admin_lists_render(client_for, member_a, secretariat):
    client = client_for(secretariat)
    for name in ("members_memberships:index", "members_applications:index", "members_payments:index",
                 "members_admin:inactive"):
        assert client.get(reverse(name)).status_code == 200
    listing = client.get(reverse("members_memberships:index"), {"q": member_a.member_number}).content.decode()
    assert "甲信用科技有限公司" in listing and "7,000" in listing.replace("7000", "7,000")
    export = client.get(reverse("members_memberships:index"), {"export": "csv"})
    assert export.status_code == 200
    rows = b"".join(export.streaming_content).decode("utf-8")
    assert member_a.member_number in rows and "甲信用科技有限公司" in rows
    page = client.get(reverse("members_memberships:inspect", args=[member_a.pk])).content.decode()
    assert member_a.member_number in page and "登记缴费" in page
