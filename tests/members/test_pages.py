"""Public pages, the firm's pages, i18n and the demo loader."""

from io import StringIO
from pathlib import Path

import polib
from django.urls import reverse

from members.models import Membership, MembershipApplication


def test_join_page_shows_tiers_rights_and_obligations(client, tiers):
    page = client.get(reverse("members:join")).content.decode()
    for text in ("副会长单位", "15,000 元", "7,000 元", "2,000 元", "会员权利", "会员义务", "协会的选举权、被选举权和表决权",
                 "按规定缴纳会费", "视为自动退会"):
        assert text in page


def test_join_page_tier_amount_follows_data(client, tiers):
    tier = tiers["会员单位"]
    tier.annual_dues = 2500
    tier.save()
    assert "2,500 元" in client.get(reverse("members:join")).content.decode()


def test_join_page_for_firm_without_organisation(client_for, make_user):
    page = client_for(make_user()).get(reverse("members:join")).content.decode()
    assert reverse("members:organisation") in page


def test_account_panel_for_firm_and_none_for_staff(client_for, member_a, firm_a_user, secretariat):
    page = client_for(firm_a_user).get(reverse("account_home")).content.decode()
    assert member_a.member_number in page
    page = client_for(secretariat).get(reverse("account_home")).content.decode()
    assert member_a.member_number not in page


def test_membership_page_for_non_member(client_for, firm_b, firm_b_user):
    page = client_for(firm_b_user).get(reverse("members:membership")).content.decode()
    assert "贵单位尚未入会" in page


def test_join_page_in_english_after_language_switch(client, tiers):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("members:join")).content.decode()
    assert "Members' rights" in page
    assert "Membership tiers and annual dues" in page


def test_catalogue_complete():
    po = polib.pofile(str(Path(__file__).resolve().parents[2] / "members/locale/zh_Hans/LC_MESSAGES/django.po"))
    assert po.untranslated_entries() == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_demo_loader_idempotent(db):
    from members.demo import load_membership_demo
    from portal.core.demo import Demo
    from portal.core.site import ensure_site_tree

    ensure_site_tree()
    demo = Demo(stdout=StringIO())
    load_membership_demo(demo)
    counts = (Membership.objects.count(), MembershipApplication.objects.count())
    load_membership_demo(demo)
    assert (Membership.objects.count(), MembershipApplication.objects.count()) == counts
    assert counts == (6, 7)
    tiers = set(Membership.objects.values_list("tier__name", flat=True))
    assert tiers == {"副会长单位", "理事单位", "会员单位"}
    assert MembershipApplication.objects.filter(status="submitted").count() == 1
    from django.db.models import F

    from members.models import DuesItem

    assert DuesItem.objects.filter(paid__lt=F("amount")).exists()
