from django.core.management import call_command
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.accounts.roles import Role, has_role
from portal.core.audit import register_actions

from . import admin_urls
from .demo import load_demo_issue
from .domain import PUBLISH_ISSUE, SET_PAGES
from .models import ArticlePage, Author, Column, IssuePage


class ColumnViewSet(SnippetViewSet):
    model = Column
    icon = "list-ul"
    menu_label = _("Columns")
    list_display = ["name_zh", "name_en", "order", "is_cover_page"]
    list_filter = ["is_cover_page"]
    search_fields = ["name_zh", "name_en"]
    ordering = ["is_cover_page", "order"]


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    list_display = ["name", "is_organisation"]
    list_filter = ["is_organisation"]
    search_fields = ["name", "bio"]


class MagazineSnippets(SnippetViewSetGroup):
    items = (ColumnViewSet, AuthorViewSet)
    menu_icon = "doc-full"
    menu_label = _("Magazine")
    menu_name = "magazine"
    menu_order = 250


register_snippet(MagazineSnippets)


@hooks.register("register_admin_urls")
def magazine_admin_urls():
    return [path("magazine/", include(admin_urls, namespace="magazine_admin"))]


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.EDITOR, Role.CHIEF_EDITOR)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return EditorMenuItem(_("Import an issue"), reverse("magazine_admin:import"), icon_name="upload", order=260)


@hooks.register("register_page_header_buttons")
def issue_buttons(page, user, view_name, next_url=None):
    if page.specific_class is not IssuePage:
        return
    if has_role(user, Role.EDITOR, Role.CHIEF_EDITOR):
        yield Button(
            _("Printed pages of the articles"),
            reverse("magazine_admin:issue_pages", args=[page.pk]),
            icon_name="list-ol",
            priority=35,
        )
    if has_role(user, Role.CHIEF_EDITOR):
        yield Button(
            _("Publish issue with its articles"),
            reverse("magazine_admin:publish_issue", args=[page.pk]),
            icon_name="upload",
            priority=40,
        )


@hooks.register("register_log_actions")
def magazine_log_actions(actions):
    register_actions(actions, {
        PUBLISH_ISSUE: (_("Publish issue with articles"), _("Published the issue with its articles")),
        "magazine.issue.import": (_("Import issue"), _("Imported the issue from a text file")),
        SET_PAGES: (_("Enter printed pages"), _("Entered the printed pages of the issue's articles")),
    })


@hooks.register("register_demo_loader", order=40)
def magazine_demo(demo):
    load_demo_issue(demo)


def publish_scheduled_pages(today, dry_run):
    """Wagtail's own `publish_scheduled` (go-live and expiry of pages), run with the other due jobs."""
    from io import StringIO

    out = StringIO()
    call_command("publish_scheduled", dryrun=dry_run, stdout=out)
    for line in out.getvalue().splitlines():
        if line.strip() and "Nothing" not in line:
            yield line.strip()


publish_scheduled_pages.job_name = "magazine.publish_scheduled"
hooks.register("register_due_jobs", publish_scheduled_pages, order=40)


@hooks.register("register_home_panel")
def latest_issue_panel(request):
    # Two queries: the magazine is public, so view restrictions are not looked up here.
    issue = IssuePage.objects.live().order_by("-year", "-number").first()
    if issue is None:
        return None
    articles = list(
        ArticlePage.objects.live().filter(issue=issue, column__is_cover_page=False)
        .select_related("column").order_by("path")[:5]
    )
    return {"template": "magazine/home_panel.html", "order": 10, "issue": issue, "articles": articles}
