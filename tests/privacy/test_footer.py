"""The footer of every public page: the filing numbers (when set), the policies and my personal information."""

import pytest
from django.core.exceptions import ValidationError

from portal.core.models import AssociationContact

ICP = '<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">浙ICP备12345678号-1</a>'
PSB = ('<a href="https://beian.mps.gov.cn/#/query/webSearch?code=33010602000001" target="_blank" rel="noopener">'
       "浙公网安备33010602000001号</a>")
PUBLIC_PAGES = ["/", "/members/", "/services/", "/showcase/notices/", "/showcase/units/", "/search/?q=信用",
                "/privacy-policy/", "/accounts/login/"]


def _set(icp="浙ICP备12345678号-1", psb="浙公网安备33010602000001号"):
    filing = AssociationContact.load()
    filing.icp_number, filing.public_security_number = icp, psb
    filing.full_clean()
    filing.save()


def _contact_form():
    contact = AssociationContact.load()
    return {f: getattr(contact, f) for f in ("name", "address", "postcode", "phone", "fax", "email", "website")}


def _footer(client, path="/"):
    html = client.get(path).content.decode()
    return html[html.index('<footer class="site-footer"'):html.index("</footer>")]


def test_filing_numbers_are_in_the_footer_of_every_public_page(client, documents):
    _set()
    for path in PUBLIC_PAGES:
        footer = _footer(client, path)
        assert ICP in footer and PSB in footer, path


def test_no_filing_number_is_shown_while_none_is_set(client, documents):
    footer = _footer(client)
    assert "beian" not in footer and "备" not in footer


def test_only_the_number_that_is_set(client, documents):
    _set(psb="")
    footer = _footer(client)
    assert ICP in footer and "beian.mps.gov.cn" not in footer


def test_footer_links_the_policies_and_my_personal_information(client, documents):
    footer = _footer(client)
    assert '<a href="/account/privacy/documents/privacy/">隐私政策</a>' in footer
    assert '<a href="/account/privacy/documents/terms/">用户协议</a>' in footer
    assert '<a href="/account/privacy/">我的个人信息</a>' in footer
    assert client.get("/account/privacy/documents/privacy/")["Location"] == "/privacy-policy/"
    assert client.get("/account/privacy/documents/terms/")["Location"] == "/user-agreement/"
    assert client.get("/account/privacy/documents/other/").status_code == 404


def test_the_footers_links_and_numbers_cost_no_query(client, home_page):
    """The links need no lookup, and the numbers come with the contact data the footer reads anyway."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.privacy.demo import ensure_documents

    def count():
        client.get("/members/")  # warm what is remembered per process
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/members/").status_code == 200
        return len(queries)

    before = count()
    ensure_documents()
    _set()
    assert count() == before


def test_the_secretariat_sets_the_numbers_and_cached_pages_follow(documents, fragment_cache, settings, client_for,
                                                                  secretariat, django_capture_on_commit_callbacks):
    from django.test import Client

    from portal.privacy.consent import record_consent

    record_consent(context="signup", user=secretariat)
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    visitor = Client()
    assert "ICP备" not in _footer(visitor)
    assert visitor.get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(f"/admin/settings/core/associationcontact/{AssociationContact.load().pk}/", {
            **_contact_form(), "icp_number": "浙ICP备12345678号-1",
            "public_security_number": "浙公网安备33010602000001号"})
    assert response.status_code == 302
    assert AssociationContact.load().icp_number == "浙ICP备12345678号-1"
    response = visitor.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert ICP in response.content.decode() and PSB in response.content.decode()


@pytest.mark.parametrize("field,value", [
    ("icp_number", "ICP 12345"), ("icp_number", "浙ICP备号"), ("public_security_number", "浙公网安备123号"),
])
def test_malformed_numbers_are_refused(db, field, value):
    filing = AssociationContact(**{field: value})
    with pytest.raises(ValidationError) as info:
        filing.full_clean()
    assert field in info.value.message_dict
