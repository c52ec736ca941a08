from decimal import Decimal

import pytest
from django.urls import reverse

from portal.services.models import Provider, ServiceCategory, ServiceItem

CATALOGUE = reverse("services:catalogue")


def test_categories_loaded_by_migration(db):
    assert list(ServiceCategory.objects.values_list("number", "name")) == [
        (1, "展示企业（单位）诚信建设成果"),
        (2, "提供企业信用服务"),
        (3, "提升企业经营管理能力"),
        (4, "辅导企业进行税务筹划"),
        (5, "宣传辅导政府有关企业优惠、扶持政策"),
        (6, "提供企业认证评价服务"),
        (7, "提供企业法律咨询服务"),
        (8, "开展企业信用修复咨询"),
    ]
    assert ServiceCategory.objects.get(number=6).description.startswith("为会员单位提供专业、权威")


def test_catalogue_lists_every_seed_fee(client, seed_providers):
    html = client.get(CATALOGUE).content.decode()
    for text in ("5000–100000 元/年", "4500–12000 元", "1560 元起，按资产总额的 0.39‰ 计收",
                 "2000 元起，按涉案金额的 5% 计收", "自行协商"):
        assert text in html
    assert "14 项服务" in html


def test_catalogue_filters_by_category(client, seed_providers):
    response = client.get(CATALOGUE, {"category": "credit-repair"})
    names = [item.name for item in response.context["page"].object_list]
    assert names == ["提供信用修复培训服务", "可为信用修复申请人出具信用报告"]
    assert response.context["current_category"].number == 8
    assert "<h1>开展企业信用修复咨询</h1>" in response.content.decode()


def test_catalogue_filters_by_provider_and_fee_kind(client, seed_providers):
    provider = seed_providers["浙江久丰律师事务所"]
    response = client.get(CATALOGUE, {"provider": provider.pk})
    assert {i.provider_id for i in response.context["page"].object_list} == {provider.pk}
    response = client.get(CATALOGUE, {"fee": "minimum_rate"})
    assert response.context["page"].paginator.count == 6


@pytest.mark.parametrize(("q", "count"), [("信用修复", 2), ("律师", 3), ("认证", 1), ("审计", 2), ("不存在的服务", 0)])
def test_catalogue_search_matches_chinese_substrings(client, seed_providers, q, count):
    response = client.get(CATALOGUE, {"q": q})
    assert response.context["page"].paginator.count == count


def test_catalogue_search_without_results_says_so(client, seed_providers):
    html = client.get(CATALOGUE, {"q": "不存在的服务"}).content.decode()
    assert "没有符合条件的服务项目" in html


def test_catalogue_unknown_category_shows_error_not_500(client, seed_providers):
    response = client.get(CATALOGUE, {"category": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors["category"]


def test_catalogue_empty_state(client, db):
    assert "暂无服务项目" in client.get(CATALOGUE).content.decode()


def test_catalogue_hides_unlisted_items_and_providers(client, seed_providers):
    Provider.objects.filter(name="浙江汇信科技有限公司").update(is_active=False)
    ServiceItem.objects.filter(name="常年法律顾问").update(is_active=False)
    assert client.get(CATALOGUE).context["page"].paginator.count == 10


@pytest.fixture
def big_catalogue(db):
    """50 providers × 6 items = 300 items, spread over the eight categories."""
    categories = list(ServiceCategory.objects.all())
    providers = Provider.objects.bulk_create(
        [Provider(name=f"服务机构{n:02d}", contact_person="联系人", phone="0571-1234567") for n in range(50)]
    )
    ServiceItem.objects.bulk_create(
        [
            ServiceItem(
                provider=provider,
                category=categories[(p * 6 + i) % 8],
                name=f"服务项目{p:02d}-{i}",
                fee_kind="minimum_rate",
                fee_amount=Decimal("1000"),
                fee_rate=Decimal("1"),
                fee_rate_unit="permille",
                fee_base_name="资产总额",
            )
            for p, provider in enumerate(providers)
            for i in range(6)
        ]
    )
    return providers


@pytest.mark.parametrize("params", [{}, {"category": "credit", "page": "2"}, {"q": "服务项目1", "fee": "minimum_rate"}])
def test_catalogue_query_count_with_300_items(client, big_catalogue, django_assert_max_num_queries, params):
    with django_assert_max_num_queries(10):
        response = client.get(CATALOGUE, params)
    assert response.status_code == 200


def test_catalogue_query_count_logged_in(client_for, big_catalogue, firm_a_user, django_assert_max_num_queries):
    client = client_for(firm_a_user)
    with django_assert_max_num_queries(10):
        response = client.get(CATALOGUE)
    assert response.context["page"].paginator.count == 300
    assert len(response.context["page"].object_list) == 20


def test_provider_pages_query_count(client, big_catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert client.get(reverse("services:providers"), {"page": "3"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("services:provider", args=[big_catalogue[0].pk])).status_code == 200


def test_provider_contact_hidden_from_anonymous(client, seed_providers):
    provider = seed_providers["浙江久丰律师事务所"]
    html = client.get(provider.get_absolute_url()).content.decode()
    assert "13325819032" not in html
    assert "登录</a>后可查看联系人和联系电话" in html


def test_provider_contact_shown_to_logged_in_user(client_for, firm_a_user, seed_providers):
    provider = seed_providers["浙江久丰律师事务所"]
    html = client_for(firm_a_user).get(provider.get_absolute_url()).content.decode()
    assert "13325819032" in html and "李辉" in html


def test_item_contact_hidden_from_anonymous(client, audit_item):
    html = client.get(audit_item.get_absolute_url()).content.decode()
    assert "13735538458" not in html


def test_unlisted_provider_and_item_answer_404(client, seed_providers, audit_item):
    ServiceItem.objects.filter(pk=audit_item.pk).update(is_active=False)
    assert client.get(audit_item.get_absolute_url()).status_code == 404
    Provider.objects.filter(pk=audit_item.provider_id).update(is_active=False)
    assert client.get(reverse("services:provider", args=[audit_item.provider_id])).status_code == 404
