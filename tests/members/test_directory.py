import datetime

from django.urls import reverse

from members.models import Membership, MembershipTier
from portal.organisations.models import Organisation
from tests.conftest import make_credit_code

URL = reverse("members:directory")


def bulk_members(n: int):
    """n organisations with active memberships, spread over tiers, regions and years (bulk insert)."""
    tiers = list(MembershipTier.objects.all())
    divisions = [("330106", "浙江省 杭州市 西湖区"), ("330203", "浙江省 宁波市 海曙区"), ("330302", "浙江省 温州市 鹿城区")]
    orgs = []
    for i in range(n):
        division, region = divisions[i % 3]
        orgs.append(Organisation(
            name=f"批量测试{i:05d}有限公司", credit_code=make_credit_code(division, f"MA{i:07d}"),
            legal_representative="张三", established_on=datetime.date(2010, 1, 1), registered_address="地址",
            contact_person="李四", phone="0571-1", email=f"b{i}@example.com", region_code=division, region_name=region,
        ))
    orgs = Organisation.objects.bulk_create(orgs, batch_size=1000)
    Membership.objects.bulk_create([
        Membership(organisation=o, tier=tiers[i % 3], member_number=f"ZJXY-{2021 + i % 5}-{i:04d}",
                   started_on=datetime.date(2021 + i % 5, 5, 1))
        for i, o in enumerate(orgs)
    ], batch_size=1000)


def test_directory_lists_active_members_only(client, member_a, make_member, firm_b, firm_b_user):
    member_b = make_member(firm_b, firm_b_user, tier="会员单位")
    Membership.objects.filter(pk=member_b.pk).update(status="withdrawn")
    page = client.get(URL).content.decode()
    assert "甲信用科技有限公司" in page
    assert "乙贸易有限公司" not in page
    assert "理事单位" in page and "浙江省 杭州市 西湖区" in page and "2026" in page


def test_directory_search_and_filters(client, member_a, make_member, firm_b, firm_b_user, tiers):
    make_member(firm_b, firm_b_user, tier="会员单位", joined=datetime.date(2025, 6, 1))
    assert "乙贸易" not in client.get(URL, {"q": "甲信用"}).content.decode()
    assert "甲信用" in client.get(URL, {"q": member_a.member_number}).content.decode()
    page = client.get(URL, {"tier": tiers["会员单位"].pk}).content.decode()
    assert "乙贸易" in page and "甲信用" not in page
    page = client.get(URL, {"region": "3302"}).content.decode()
    assert "乙贸易" in page and "甲信用" not in page
    assert "宁波市" in page  # region filter choices come from the members' codes
    page = client.get(URL, {"year": "2025"}).content.decode()
    assert "乙贸易" in page and "甲信用" not in page


def test_directory_empty_states(client, db):
    assert "会员名录暂无内容" in client.get(URL).content.decode()


def test_directory_bad_filter_values_ignored(client, member_a):
    response = client.get(URL, {"year": "abc", "tier": "999999", "page": "x"})
    assert response.status_code == 200


def test_directory_query_count_and_pagination_with_5000_members(client, db, django_assert_max_num_queries):
    bulk_members(5000)
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"page": "3"})
    page = response.content.decode()
    assert response.context["page_obj"].paginator.count == 5000
    assert page.count("有限公司</th>") == 50
    assert "共 5000 家会员单位" in page
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"region": "3301", "q": "批量", "page": "2"})
    assert response.context["page_obj"].paginator.count == 1667


def test_the_pager_shows_the_pages_around_the_current_one_however_many_there_are(client, db):
    """Page 50 of 100 links to 48, 49, 51 and 52, the first and the last, with gaps between
    (the pager used to elide around page 1 whatever the current page: 50's neighbours were missing)."""
    import re

    bulk_members(5000)
    page = client.get(URL, {"page": "50"}).content.decode()
    pager = page[page.index('class="pagination"'):]
    pager = pager[:pager.index("</ul>")]
    linked = [int(n) for n in re.findall(r"page=(\d+)\">\d+<", pager)]
    assert linked == [1, 48, 49, 51, 52, 100]
    assert '<span aria-current="page">50</span>' in pager
    assert pager.count("…") == 2


def test_the_directory_pager_carries_its_filters_but_nothing_else(client, db, fragment_cache):
    """The listing is a fragment for every visitor: its pager keeps the filters the directory reads,
    never a parameter it does not (planted by one visitor, served to the next)."""
    def pager(html):
        start = html.index('class="pagination"')
        return html[start:html.index("</ul>", start)]

    bulk_members(120)
    planted = pager(client.get(URL, {"q": "批量", "utm_source": "spam"}).content.decode())
    assert "utm_source" not in planted
    assert 'href="?q=%E6%89%B9%E9%87%8F&amp;page=2"' in planted
    assert "utm_source" not in pager(client.get(URL, {"q": "批量"}).content.decode())


def test_a_junk_page_number_shares_page_ones_fragment(client, db, fragment_cache, django_assert_num_queries):
    """Issue #16: the listing's fragment key held the raw ``page=`` value; junk values are page 1."""
    def main(response):  # the listing (the header's language switch carries the full path on)
        html = response.content.decode()
        return html[html.index("<main"):html.index("</main>")]

    bulk_members(60)
    first = main(client.get(URL))
    for junk in ("abc", "0", "-1", "001", "9" * 30, "²"):
        with django_assert_num_queries(0):
            assert main(client.get(URL, {"page": junk})) == first, junk
    assert main(client.get(URL, {"page": "2"})) != first
