"""Public search view and the admin views (import a back issue, publish an issue with its articles)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accounts.roles import Role, has_role
from portal.core import audit

from .domain import NothingToPublish, publish_issue_with_articles
from .forms import IssueUploadForm
from .importer.build import ensure_archive, import_issue, plan_import
from .importer.parser import IssueFormatError, parse_issue
from .models import ArticlePage, Column, IssueImport, IssuePage, MagazineArchivePage
from .search import highlight, search_articles

RESULTS_PER_PAGE = 10


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _needles(text: str, query: str, terms: list[str]) -> list[str]:
    """Mark the whole query where the text has it, else each of its words."""
    return [query] if query.lower() in text.lower() else terms


class SearchResultsPage:
    """One page of search results, computed when the template first asks (the template caches
    the rendered results with {% publiccache %}, so a repeated search runs no query)."""

    def __init__(self, query: str, year: int | None, column_id: int | None, page_number):
        self.query, self.year, self.column_id, self.page_number = query, year, column_id, page_number

    @cached_property
    def outcome(self):
        return search_articles(self.query, year=self.year, column_id=self.column_id)

    @property
    def total(self) -> int:
        return len(self.outcome.ids)

    @cached_property
    def page_obj(self):
        return Paginator(self.outcome.ids, RESULTS_PER_PAGE).get_page(self.page_number)

    @cached_property
    def results(self) -> list[dict]:
        ids = list(self.page_obj.object_list)
        by_id = ArticlePage.objects.select_related("issue", "column").in_bulk(ids)
        results = []
        for article in filter(None, map(by_id.get, ids)):
            results.append({
                "article": article,
                "title": highlight(article.title, _needles(article.title, self.query, self.outcome.terms), length=300),
                "snippet": highlight(article.search_text, _needles(article.search_text, self.query, self.outcome.terms)),
            })
        return results


def search(request):
    query = request.GET.get("q", "").strip()
    year, column_id = _int(request.GET.get("year")), _int(request.GET.get("column"))
    page_number = request.GET.get("page")
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "search_query": query,
        "search": SearchResultsPage(query, year, column_id, page_number),
        "fragment_key": [query, year, column_id, page_number],
        "years": IssuePage.objects.live().order_by("-year").values_list("year", flat=True).distinct(),
        "columns": Column.objects.filter(is_cover_page=False),
        "year": year,
        "column_id": column_id,
        "querystring": params.urlencode(),
    }
    return TemplateResponse(request, "magazine/search.html", context)


# --------------------------------------------------------------------------- admin


def _admin_header(title: str) -> dict:
    return {"page_title": title, "header_title": title, "header_icon": "doc-full"}


def _require_editor(request):
    if not has_role(request.user, Role.EDITOR, Role.CHIEF_EDITOR):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require_editor(request)
    form = IssueUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = IssueImport.objects.create(filename=form.cleaned_data["file"].name[:255], text=form.text, uploaded_by=request.user)
        return redirect("magazine_admin:import_preview", pk=upload.pk)
    recent = IssueImport.objects.select_related("issue", "uploaded_by")[:10]
    return TemplateResponse(request, "magazine/admin/import_upload.html", {
        "form": form, "recent": recent, **_admin_header(_("Import an issue"))})


def _own_import(request, pk) -> IssueImport:
    upload = get_object_or_404(IssueImport, pk=pk)
    if upload.uploaded_by_id != request.user.pk and not has_role(request.user, Role.CHIEF_EDITOR):
        audit.refused(request, upload)
        raise PermissionDenied
    return upload


@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    _require_editor(request)
    upload = _own_import(request, pk)
    try:
        parsed = parse_issue(upload.text, source_name=upload.filename)
    except IssueFormatError as exc:  # stored text parsed once already; kept for safety
        messages.error(request, str(exc))
        return redirect("magazine_admin:import")
    plan = plan_import(parsed)
    if request.method == "POST":
        if upload.created_at is not None:
            messages.warning(request, _("These pages were already created."))
        else:
            archive = ensure_archive()
            if not archive.permissions_for_user(request.user).can_add_subpage():
                raise PermissionDenied
            with transaction.atomic():
                upload = IssueImport.objects.select_for_update().get(pk=upload.pk)
                if upload.created_at is None:
                    result = import_issue(parsed, publish=False, user=request.user, request=request)
                    upload.issue, upload.created_at = result.issue, timezone.now()
                    upload.save(update_fields=["issue", "created_at"])
                    messages.success(
                        request,
                        _("%(issue)s saved as drafts: %(new)d new and %(updated)d updated articles. Submit it for review when ready.")
                        % {"issue": result.issue.title, "new": plan.new_articles, "updated": plan.updated_articles},
                    )
        return redirect("wagtailadmin_explore", upload.issue_id)
    columns = {c.name_zh: c for c in parsed.columns}
    rows = [(columns.get(item.parsed.column), item) for item in plan.articles]
    context = {"upload": upload, "parsed": parsed, "plan": plan, "rows": rows,
               "existing_issue": IssuePage.objects.filter(pk=plan.issue_id).first(),
               **_admin_header(_("Import preview: %(file)s") % {"file": upload.filename})}
    return TemplateResponse(request, "magazine/admin/import_preview.html", context)


@require_http_methods(["GET", "POST"])
def publish_issue(request, pk):
    issue = get_object_or_404(IssuePage, pk=pk)
    if not has_role(request.user, Role.CHIEF_EDITOR):
        audit.refused(request, issue, reason="not chief editor")
        raise PermissionDenied
    articles = list(ArticlePage.objects.child_of(issue).order_by("path").select_related("column"))
    if request.method == "POST":
        try:
            result = publish_issue_with_articles(issue=issue, user=request.user, request=request)
        except NothingToPublish as exc:
            messages.warning(request, str(exc))
        else:
            if result.scheduled_for:
                messages.success(request, _(
                    "%(issue)s is scheduled to go live at %(when)s; its %(n)d draft articles go live with it."
                ) % {"issue": issue.title, "when": date_format(localtime(result.scheduled_for), "DATETIME_FORMAT"),
                     "n": result.waiting})
            else:
                messages.success(request, _("Published %(issue)s with its articles (%(n)d pages).") % {
                    "issue": issue.title, "n": len(result.published)})
        return redirect("wagtailadmin_explore", issue.pk)
    return TemplateResponse(request, "magazine/admin/publish_issue.html", {
        "issue": issue, "articles": articles, **_admin_header(_("Publish %(issue)s") % {"issue": issue.title})})


def archive_admin_url() -> str:
    archive = MagazineArchivePage.objects.first()
    return reverse("wagtailadmin_explore", args=[archive.pk]) if archive else reverse("wagtailadmin_home")
