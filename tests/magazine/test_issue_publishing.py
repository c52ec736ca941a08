"""An issue goes live with its articles, whichever way it is published (#14.1).

The chief editor approves the review task from the dashboard's "Awaiting your review" panel (the POST its
button sends), publishes from the page editor, schedules a go-live date, or uses "publish the issue with its
articles": in every case the issue is never live while its articles are drafts.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowState

from portal.magazine.domain import PUBLISH_ISSUE, publish_issue_with_articles
from portal.magazine.importer.build import import_text
from portal.magazine.models import ArticlePage, IssuePage

from .conftest import needs_seed, shifted_text

pytestmark = needs_seed

ARTICLES = 23


@pytest.fixture
def draft_issue(archive, editor):
    """2019年第4期 imported as drafts by the editor (the issue and its 23 articles)."""
    result = import_text(shifted_text(2019, 4, 45), source_name="2019-4.txt", user=editor)
    issue = result.issue
    assert not issue.live and ArticlePage.objects.child_of(issue).filter(live=False).count() == ARTICLES
    return issue


def submitted(issue, editor) -> WorkflowState:
    """The editor submits the issue to 期刊审校 (what the page editor's "submit" does)."""
    return issue.get_workflow().start(issue, editor)


def dashboard_approve_url(client, issue) -> str:
    """The URL the 批准 button of the dashboard's "等待你的审查" panel posts to."""
    html = client.get("/admin/").content.decode()
    urls = re.findall(r'data-workflow-action-url="(/admin/pages/workflow/action/(\d+)/approve/\d+/)"', html)
    return next(url for url, page_id in urls if int(page_id) == issue.pk)


def live_articles(issue) -> int:
    return ArticlePage.objects.child_of(issue).filter(live=True, has_unpublished_changes=False).count()


def test_dashboard_approval_publishes_the_issue_with_all_its_articles(client_for, editor, chief_editor, draft_issue):
    state = submitted(draft_issue, editor)
    client = client_for(chief_editor)
    url = dashboard_approve_url(client, draft_issue)
    response = client.post(url, {"next": "/admin/"})
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    issue = IssuePage.objects.get(pk=draft_issue.pk)
    assert issue.live and not issue.has_unpublished_changes
    assert live_articles(issue) == ARTICLES
    # Each article's publication is the chief editor's, in its own history.
    article_ids = set(ArticlePage.objects.child_of(issue).values_list("pk", flat=True))
    entries = PageLogEntry.objects.filter(action="wagtail.publish", page_id__in=article_ids)
    assert entries.count() == ARTICLES and set(entries.values_list("user_id", flat=True)) == {chief_editor.pk}
    # The home page's "latest issue" panel lists its articles.
    client.logout()
    page = client.get("/").content.decode()
    assert "2019年第4期" in page and "李克强总理在浙江考察" in page


def test_editor_cannot_approve_and_nothing_goes_live(client_for, editor, chief_editor, draft_issue):
    state = submitted(draft_issue, editor)
    url = dashboard_approve_url(client_for(chief_editor), draft_issue)
    response = client_for(editor).post(url, {"next": "/admin/"})
    assert response.status_code in (302, 403)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not IssuePage.objects.get(pk=draft_issue.pk).live and live_articles(draft_issue) == 0


def test_requesting_changes_publishes_nothing(client_for, editor, chief_editor, draft_issue):
    state = submitted(draft_issue, editor)
    task_state = state.current_task_state
    response = client_for(chief_editor).post(
        f"/admin/pages/workflow/action/{draft_issue.pk}/reject/{task_state.pk}/", {"comment": "请补全页码"}
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not IssuePage.objects.get(pk=draft_issue.pk).live and live_articles(draft_issue) == 0


def test_publishing_the_issue_page_itself_publishes_its_articles(chief_editor, draft_issue):
    """The page editor's own 发布 button (a plain publish of the issue's revision)."""
    draft_issue.get_latest_revision().publish(user=chief_editor)
    assert IssuePage.objects.get(pk=draft_issue.pk).live and live_articles(draft_issue) == ARTICLES


def test_live_issue_publishes_draft_changes_but_not_an_article_taken_offline(chief_editor, editor, draft_issue):
    draft_issue.get_latest_revision().publish(user=chief_editor)
    first, second = ArticlePage.objects.child_of(draft_issue).order_by("path")[:2]
    second.unpublish(user=chief_editor)  # withdrawn on purpose
    draft = first.get_latest_revision_as_object()
    draft.subtitle = "修订后的副题"
    draft.save_revision(user=editor)
    issue = IssuePage.objects.get(pk=draft_issue.pk).get_latest_revision_as_object()
    issue.sponsor = "浙江省信用协会（修订）"
    issue.save_revision(user=editor).publish(user=chief_editor)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.live and first.subtitle == "修订后的副题" and not first.has_unpublished_changes
    assert not second.live


def schedule(issue, editor, when) -> None:
    draft = IssuePage.objects.get(pk=issue.pk).get_latest_revision_as_object()
    draft.go_live_at = when
    draft.save_revision(user=editor)


def time_passes(page) -> None:
    """Make the scheduled revision due now (as if its go-live time had come)."""
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision = page.revisions.get(approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()


def test_scheduled_approval_publishes_the_articles_when_the_issue_goes_live(
    client_for, editor, chief_editor, draft_issue
):
    schedule(draft_issue, editor, timezone.now() + datetime.timedelta(days=3))
    submitted(draft_issue, editor)
    client = client_for(chief_editor)
    client.post(dashboard_approve_url(client, draft_issue), {"next": "/admin/"})
    issue = IssuePage.objects.get(pk=draft_issue.pk)
    assert not issue.live and issue.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert live_articles(issue) == 0  # nothing goes live before the issue
    time_passes(issue)
    call_command("publish_scheduled", verbosity=0)
    assert IssuePage.objects.get(pk=issue.pk).live and live_articles(issue) == ARTICLES


def test_publish_issue_action_with_a_go_live_date_schedules_the_articles_with_the_issue(
    client_for, editor, chief_editor, draft_issue
):
    schedule(draft_issue, editor, timezone.now() + datetime.timedelta(days=3))
    response = client_for(chief_editor).post(f"/admin/magazine/issue/{draft_issue.pk}/publish/", follow=True)
    assert "定时发布" in response.content.decode()
    issue = IssuePage.objects.get(pk=draft_issue.pk)
    assert not issue.live and live_articles(issue) == 0
    time_passes(issue)
    call_command("publish_scheduled", verbosity=0)
    assert IssuePage.objects.get(pk=issue.pk).live and live_articles(issue) == ARTICLES


def test_an_article_scheduled_later_goes_live_with_its_issue(chief_editor, editor, draft_issue):
    article = ArticlePage.objects.child_of(draft_issue).order_by("path").first()
    draft = article.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + datetime.timedelta(days=30)
    draft.save_revision(user=editor)
    publish_issue_with_articles(issue=draft_issue, user=chief_editor)
    assert live_articles(draft_issue) == ARTICLES
    assert PageLogEntry.objects.get(action=PUBLISH_ISSUE).data["articles"] == ARTICLES
