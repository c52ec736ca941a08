"""The member directory's queries do not grow with the number of members (issue #16): counts per tier
are remembered until membership data changes, a page is read by seeking along the (status, tier, member
number) index, and the whole listing is a fragment for every visitor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Membership, MembershipTier

from .test_directory import URL, bulk_members


def queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def tier_pk(db):
    return MembershipTier.objects.order_by("order", "pk").first().pk


def test_cold_directory_runs_as_many_queries_for_200_members_as_for_10(client, tier_pk):
    bulk_members(10)
    client.get(URL)  # content types, site
    small = {"first": queries(client, {}), "tier": queries(client, {"tier": tier_pk}),
             "search": queries(client, {"q": "批量", "region": "3301"})}
    bulk_members_more(190)
    large = {"first": queries(client, {}), "tier": queries(client, {"tier": tier_pk, "page": "2"}),
             "search": queries(client, {"q": "批量", "region": "3301"})}
    assert large["tier"] == small["tier"] and large["search"] <= small["search"]
    assert large["first"] <= small["first"] <= 10  # one seek per tier the page spans, at most the tiers


def bulk_members_more(n):
    """n more members numbered after the first ones (bulk_members numbers from 0)."""
    import datetime

    from portal.organisations.models import Organisation
    from tests.conftest import make_credit_code

    tiers = list(MembershipTier.objects.all())
    start = Membership.objects.count()
    orgs = Organisation.objects.bulk_create([Organisation(
        name=f"批量测试{i:05d}有限公司", credit_code=make_credit_code("330106", f"MB{i:07d}"),
        legal_representative="张三", established_on=datetime.date(2010, 1, 1), registered_address="地址",
        contact_person="李四", phone="0571-1", email=f"m{i}@example.com", region_code="330106",
        region_name="浙江省 杭州市 西湖区") for i in range(start, start + n)])
    Membership.objects.bulk_create([Membership(
        organisation=o, tier=tiers[i % len(tiers)], member_number=f"ZJXY-2030-{start + i:04d}",
        started_on=datetime.date(2030, 5, 1)) for i, o in enumerate(orgs)])


def test_pages_follow_tier_order_then_member_number_across_tiers(client, db):
    bulk_members(130)
    tiers = list(MembershipTier.objects.order_by("order", "pk"))
    expected = list(Membership.objects.filter(status="active").order_by("tier__order", "tier__pk", "member_number")
                    .values_list("member_number", flat=True))
    seen = []
    for page in (1, 2, 3):
        response = client.get(URL, {"page": page})
        seen += [m.member_number for m in response.context["page_obj"].object_list]
        assert all(m.tier in tiers for m in response.context["page_obj"].object_list)
    assert seen == expected
    assert response.context["page_obj"].paginator.count == 130


def test_with_fragments_a_repeated_directory_page_runs_no_query(client, db, fragment_cache, django_assert_num_queries):
    bulk_members(60)
    first = client.get(URL, {"page": "2"})
    with django_assert_num_queries(0):
        second = client.get(URL, {"page": "2"})
    assert second.content == first.content


def test_a_new_member_shows_at_once_with_fragments(client, db, fragment_cache, django_capture_on_commit_callbacks):
    bulk_members(3)
    assert "共 3 家会员单位" in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        bulk_members_more(1)
        Membership.objects.order_by("-pk").first().save()  # what a council admission does (post_save)
    assert "共 4 家会员单位" in client.get(URL).content.decode()
