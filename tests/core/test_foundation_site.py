"""The site shell: home page, navigation, footer settings, language, verify page, roles."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail import hooks
from wagtail.models import GroupPagePermission

from portal.accounts.roles import Role
from portal.core.models import AssociationContact, HomePage


def test_home_page_is_chinese_with_navigation_and_footer(client, home_page, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    for label in ("信用浙江", "入会与会员", "会员服务", "信用示范会员单位"):
        assert label in html
    assert "浙江省信用协会成立于2008年12月" in html
    # footer contact data comes from the site settings (masthead defaults)
    assert "杭州市环城西路33-2号" in html and "（0571）87056850" in html and "zj_xyxh@126.com" in html
    assert 'role="banner"' in html and 'id="main"' in html and 'role="contentinfo"' in html


def test_footer_follows_site_settings(client, home_page):
    contact = AssociationContact.load()
    contact.phone = "0571-12345678"
    contact.save()
    assert "0571-12345678" in client.get("/").content.decode()


def test_browser_language_is_ignored_until_visitor_switches(client, home_page):
    assert "协会简介" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "About the association" in html


def test_ensure_site_tree_is_idempotent(home_page):
    from portal.core.site import ensure_site_tree

    assert ensure_site_tree().pk == home_page.pk
    assert HomePage.objects.count() == 1
    assert home_page.get_site().root_page_id == home_page.pk


def test_roles_exist_with_admin_access_and_page_permissions(db):
    access_admin = Permission.objects.get(codename="access_admin")
    for role in Role:
        group = Group.objects.get(name=str(role))
        assert access_admin in group.permissions.all()
    chief = set(GroupPagePermission.objects.filter(group__name=str(Role.CHIEF_EDITOR)).values_list("permission__codename", flat=True))
    editor = set(GroupPagePermission.objects.filter(group__name=str(Role.EDITOR)).values_list("permission__codename", flat=True))
    assert "publish_page" in chief
    assert editor == {"add_page", "change_page"}  # editors submit for review, never publish


def test_verify_unknown_certificate_is_404_and_says_so(client, home_page):
    response = client.get("/verify/ZJXY-0000-0000/")
    assert response.status_code == 404
    assert "未颁发编号为“ZJXY-0000-0000”的证书" in response.content.decode()


def test_verify_asks_registered_verifiers(client, home_page):
    def verifier(number):
        if number == "T-1":
            return {"kind": "会员证", "number": number, "holder": "甲公司", "status": "valid", "status_label": "有效"}
        return None

    with hooks.register_temporarily("register_certificate_verifier", verifier):
        response = client.get("/verify/t-1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲公司" in html and "有效" in html


@pytest.mark.parametrize("path", ["/sitemap.xml", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_public_pages_answer(client, home_page, path):
    assert client.get(path).status_code == 200
