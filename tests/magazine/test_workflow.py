"""Editorial workflow: admin import as an editor, review by the chief editor, publish-issue action, demo loader."""

import io

from django.core.management import call_command
from wagtail.models import Page, PageLogEntry, Workflow, WorkflowState

from portal.core.demo import Demo
from portal.magazine.demo import load_demo_issue
from portal.magazine.domain import PUBLISH_ISSUE
from portal.magazine.models import ArticlePage, IssueImport, IssuePage

from .conftest import needs_seed, shifted_text

pytestmark = needs_seed


def upload(client, text, name="2020-1.txt"):
    file = io.BytesIO(text.encode("utf-8"))
    file.name = name
    return client.post("/admin/magazine/import/", {"file": file})


def test_editor_imports_in_admin_upload_preview_create_drafts(client_for, editor, seed):
    client = client_for(editor)
    assert client.get("/admin/magazine/import/").status_code == 200
    response = upload(client, shifted_text(2020, 1, 45))
    assert response.status_code == 302
    imp = IssueImport.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "2020年第1期" in preview and "大数据时代下信用监管机制构建研究" in preview and "陈海盛" in preview
    pages = Page.objects.count()
    response = client.post(f"/admin/magazine/import/{imp.pk}/")
    assert response.status_code == 302
    issue = IssuePage.objects.get(year=2020)
    assert not issue.live and Page.objects.count() == pages + 24
    assert ArticlePage.objects.child_of(issue).filter(live=False).count() == 23
    client.post(f"/admin/magazine/import/{imp.pk}/")  # double submit creates nothing more
    assert Page.objects.count() == pages + 24


def test_admin_upload_of_malformed_file_shows_line_and_writes_nothing(client_for, editor, seed):
    client = client_for(editor)
    pages = Page.objects.count()
    response = upload(client, "随便写的\n没有目录\n", name="bad.txt")
    assert response.status_code == 200
    assert "第 " in response.content.decode() and IssueImport.objects.count() == 0
    assert Page.objects.count() == pages


def test_import_admin_refuses_other_roles(client_for, secretariat, db):
    response = client_for(secretariat).get("/admin/magazine/import/")
    assert response.status_code == 302 and response["Location"] == "/admin/"  # Wagtail turns 403 into a redirect


def test_editor_submits_chief_editor_approves_and_it_goes_live(client_for, editor, chief_editor, seed):
    assert Workflow.objects.get(name="期刊审校").workflow_pages.filter(page=seed.get_parent()).exists()
    article = ArticlePage.objects.child_of(seed).order_by("path").first()
    draft = article.get_latest_revision_as_object()
    draft.title = "“信用” 关键在用（修订）"
    draft.save_revision(user=editor)
    # An editor cannot publish …
    assert not article.permissions_for_user(editor).can_publish()
    # … but submits for moderation through the workflow of the archive.
    workflow = article.get_workflow()
    assert workflow.name == "期刊审校"
    state = workflow.start(article, editor)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    task = task_state.task.specific
    assert "approve" in [a for a, _label, _m in task.get_actions(article, chief_editor)]
    assert task.get_actions(article, editor) == []
    task.on_action(task_state, chief_editor, "approve")
    article.refresh_from_db()
    assert article.live and article.title == "“信用” 关键在用（修订）" and not article.has_unpublished_changes


def test_publish_issue_with_its_articles_in_one_action(client_for, chief_editor, editor, seed):
    for article in ArticlePage.objects.child_of(seed)[:3]:
        draft = article.get_latest_revision_as_object()
        draft.subtitle = "草稿副题"
        draft.save_revision(user=editor)
    refused = client_for(editor).post(f"/admin/magazine/issue/{seed.pk}/publish/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert ArticlePage.objects.child_of(seed).filter(subtitle="草稿副题").count() == 0
    client = client_for(chief_editor)
    assert client.get(f"/admin/magazine/issue/{seed.pk}/publish/").status_code == 200
    response = client.post(f"/admin/magazine/issue/{seed.pk}/publish/")
    assert response.status_code == 302
    assert ArticlePage.objects.child_of(seed).filter(subtitle="草稿副题", live=True).count() == 3
    assert not ArticlePage.objects.child_of(seed).filter(has_unpublished_changes=True).exists()
    entry = PageLogEntry.objects.get(action=PUBLISH_ISSUE)
    assert entry.page_id == seed.pk and entry.user_id == chief_editor.pk and entry.data["articles"] == 3
    client.post(f"/admin/magazine/issue/{seed.pk}/publish/")  # double submit: nothing left to publish
    assert PageLogEntry.objects.filter(action=PUBLISH_ISSUE).count() == 1


def test_issue_preview_renders_the_articles_drafts(rf, chief_editor, editor, seed):
    article = ArticlePage.objects.child_of(seed).order_by("path").first()
    draft = article.get_latest_revision_as_object()
    draft.body = [{"type": "paragraph", "value": "<p>只在草稿里的一句话。</p>"}]
    draft.save_revision(user=editor)
    request = rf.get("/")
    request.user = chief_editor
    response = seed.make_preview_request(request)
    html = response.render().content.decode() if hasattr(response, "render") else response.content.decode()
    assert "只在草稿里的一句话。" in html and "大数据时代下信用监管机制构建研究" in html


def test_scheduled_publishing_runs_with_the_due_jobs(seed, editor):
    import datetime

    from django.utils import timezone

    article = ArticlePage.objects.child_of(seed).order_by("path").last()
    article.unpublish()
    article = ArticlePage.objects.get(pk=article.pk)
    article.go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision = article.save_revision(user=editor)
    revision.approved_go_live_at = article.go_live_at
    revision.save()
    out = io.StringIO()
    call_command("run_due_jobs", stdout=out)
    article.refresh_from_db()
    assert article.live


def test_demo_loader_is_idempotent(seed, settings, tmp_path):
    out = io.StringIO()
    demo = Demo(stdout=out)
    pages = Page.objects.count()
    load_demo_issue(demo)
    load_demo_issue(demo)
    assert Page.objects.count() == pages
    assert out.getvalue().count("2019年第3期 already published") == 2
    settings.DEMO_ISSUE_PATH = tmp_path / "missing.txt"
    load_demo_issue(demo)
    assert "not found" in out.getvalue()
