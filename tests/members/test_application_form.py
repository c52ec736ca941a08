"""The membership form (issue #14.5, #14.6): no tier chosen for the firm, the charter and the letter's template."""

import re

from django.urls import reverse

from members.models import MembershipApplication

APPLY = reverse("members:apply")


def _tier_select(html: str) -> str:
    return re.search(r'<select name="tier".*?</select>', html, re.S).group(0)


def test_form_preselects_no_tier(client_for, firm_a, firm_a_user, tiers):
    """#14.5: the most expensive tier (副会长单位, 15,000 元/年) was preselected; now the firm must choose."""
    select = _tier_select(client_for(firm_a_user).get(APPLY).content.decode())
    assert "selected" not in select.replace('value="" selected', "")
    assert re.search(r'<option value="" selected>', select)
    assert select.index('value=""') < select.index(f'value="{tiers["副会长单位"].pk}"')


def test_form_without_tier_is_refused_with_a_message(client_for, firm_a, firm_a_user, tiers):
    response = client_for(firm_a_user).post(APPLY, {"accepts_charter": "on", "save": "1"})
    assert response.status_code == 200
    assert "请选择会员类别。" in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_tier_from_the_join_page_is_kept(client_for, firm_a, firm_a_user, tiers):
    tier = tiers["会员单位"]
    select = _tier_select(client_for(firm_a_user).get(f"{APPLY}?tier={tier.pk}").content.decode())
    assert re.search(rf'<option value="{tier.pk}" selected>', select)
