"""Issue #12.9: only editors and the chief editor act on the magazine's pages; the secretariat does not."""

import pytest
from wagtail.models import GroupPagePermission, Page

from portal.accounts.roles import Role


@pytest.fixture
def issue(make_issue):
    return make_issue(2019, 3, articles=1)


def test_secretariat_cannot_unpublish_the_magazine(client_for, secretariat, issue):
    article = issue.get_children().get()
    for page in (issue, article):
        response = client_for(secretariat).post(f"/admin/pages/{page.pk}/unpublish/")
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response["Location"] == "/admin/"
        assert Page.objects.get(pk=page.pk).live


def test_secretariat_cannot_edit_add_or_publish_magazine_pages(client_for, secretariat, issue):
    for page in (issue.get_parent(), issue, issue.get_children().get()):
        perms = page.permissions_for_user(secretariat)
        assert not (perms.can_edit() or perms.can_add_subpage() or perms.can_publish() or perms.can_unpublish())
    response = client_for(secretariat).get(f"/admin/pages/{issue.pk}/edit/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_secretariat_holds_no_page_permission_at_all(db):
    assert not GroupPagePermission.objects.filter(group__name=str(Role.SECRETARIAT)).exists()


def test_chief_editor_still_unpublishes_and_editor_still_edits(client_for, chief_editor, editor, issue):
    article = issue.get_children().get()
    assert article.permissions_for_user(editor).can_edit()
    assert not article.permissions_for_user(editor).can_unpublish()
    response = client_for(chief_editor).post(f"/admin/pages/{article.pk}/unpublish/")
    assert response.status_code == 302
    assert not Page.objects.get(pk=article.pk).live
