"""The charter the firm accepts and the application letter's template (issue #14.6)."""

from io import StringIO

import pytest
from django.urls import reverse

APPLY = reverse("members:apply")


@pytest.fixture
def demo_charter(db, home_page):
    """What the demo loader publishes: the 章程 page under the home page and the 入会申请书模板 document."""
    from members.demo import publish_charter_and_template
    from portal.core.demo import Demo

    return publish_charter_and_template(Demo(stdout=StringIO()))


def test_application_form_links_the_charter_and_the_letter_template(client_for, firm_a, firm_a_user, demo_charter):
    """#14.6: the form asked for a signed 入会申请书 with no template, and for accepting a charter it never showed."""
    from members.models import MembershipRules

    rules = MembershipRules.load()
    page = client_for(firm_a_user).get(APPLY).content.decode()
    assert rules.charter_page.url in page
    assert "《浙江省信用协会章程》" in page
    assert rules.application_template.url in page
    assert "下载入会申请书模板" in page


def test_demo_publishes_the_charter_page_with_the_seed_text(demo_charter):
    from portal.core.models import HomePage, StandardPage

    page = StandardPage.objects.get(slug="charter")
    assert page.live
    assert page.get_parent().specific.__class__ is HomePage
    assert "承认和拥护本协会章程" in page.body  # the seed's 入会须知 (L1416)
    assert "本协会的宗旨是" in page.body  # the seed's 协会简介
    assert "摘录" in page.body  # clearly marked: not the full charter


def test_demo_publishes_the_letter_template_as_a_pdf_document(demo_charter):
    from members.models import MembershipRules

    document = MembershipRules.load().application_template
    assert document.title == "入会申请书模板"
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_publishing_twice_changes_nothing(demo_charter):
    from wagtail.documents import get_document_model

    from members.demo import publish_charter_and_template
    from portal.core.demo import Demo
    from portal.core.models import StandardPage

    publish_charter_and_template(Demo(stdout=StringIO()))
    assert StandardPage.objects.filter(slug="charter").count() == 1
    assert get_document_model().objects.filter(title="入会申请书模板").count() == 1


def test_form_without_a_published_charter_still_works(client_for, firm_a, firm_a_user, tiers):
    page = client_for(firm_a_user).get(APPLY).content.decode()
    assert "我单位承认和拥护" in page
    assert "下载入会申请书模板" not in page
