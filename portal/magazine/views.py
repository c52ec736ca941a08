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
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accounts.roles import Role, has_role
from portal.core import audit
from portal.core.cache import kept_query, requested_page
from portal.core.routing import with_site
from portal.core.workflow_views import run_step

from .domain import NothingToPublish, publish_issue_with_articles, set_printed_pages
from .forms import IssueArticlePagesForm, IssueUploadForm, PdfOffsetForm, article_pages_formset
from .importer.build import ensure_archive, import_issue, plan_import
from .importer.parser import IssueFormatError, parse_issue
from .models import ArticlePage, Column, IssueImport, IssuePage, MagazineArchivePage, contents_order, page_link
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

    def __init__(self, query: str, year: int | None, column_id: int | None, page_number: int):
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
        """The page's hits as the list shows them: plain rows (one query), each with a page to link to."""
        ids = list(self.page_obj.object_list)
        rows = ArticlePage.objects.filter(pk__in=ids).values_list(
            "pk", "title", "url_path", "search_text", "author_names", "column__name_zh", "issue__title")
        by_id = {row[0]: row for row in rows}
        results = []
        for pk, title, url_path, text, authors, column, issue in filter(None, map(by_id.get, ids)):
            results.append({
                "page": page_link(pk, title, url_path),
                "title": highlight(title, _needles(title, self.query, self.outcome.terms), length=300),
                "snippet": highlight(text, _needles(text, self.query, self.outcome.terms)),
                "column": column, "issue": issue, "authors": authors,
            })
        return results


@with_site
def search(request):
    query = request.GET.get("q", "").strip()
    year, column_id = _int(request.GET.get("year")), _int(request.GET.get("column"))
    page_number = requested_page(request)
    kept = kept_query(request)  # what the pager's links carry on
    context = {
        "search_query": query,
        "search": SearchResultsPage(query, year, column_id, page_number),
        "fragment_key": [kept, page_number],
        "years": IssuePage.objects.live().order_by("-year").values_list("year", flat=True).distinct(),
        "columns": Column.objects.filter(is_cover_page=False),
        "year": year,
        "column_id": column_id,
        "query": kept,
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
    existing_issue = IssuePage.objects.filter(pk=plan.issue_id).first()
    # The page fields are optional in a POST: without them the pages the text gives are used.
    post = request.POST if request.method == "POST" else {}
    pages = article_pages_formset(
        len(plan.articles), data=post if "pages-TOTAL_FORMS" in post else None, initial=_known_pages(plan)
    )
    offset = PdfOffsetForm(
        post if "pdf_page_offset" in post else None,
        initial={"pdf_page_offset": existing_issue.pdf_page_offset if existing_issue else 0},
    )
    if request.method == "POST" and upload.created_at is not None:
        messages.warning(request, _("These pages were already created."))
        return redirect("wagtailadmin_explore", upload.issue_id)
    if request.method == "POST" and _valid_or_unbound(pages) and _valid_or_unbound(offset):
        archive = ensure_archive()
        if not archive.permissions_for_user(request.user).can_add_subpage():
            raise PermissionDenied
        with transaction.atomic():
            upload = IssueImport.objects.select_for_update().get(pk=upload.pk)
            if upload.created_at is None:
                entered = {}
                if pages.is_bound:
                    entered = {item.parsed.order: form.entered for item, form in zip(plan.articles, pages, strict=True)}
                result = import_issue(
                    parsed, publish=False, user=request.user, request=request, pages=entered,
                    pdf_page_offset=offset.cleaned_data["pdf_page_offset"] if offset.is_bound else None,
                )
                upload.issue, upload.created_at = result.issue, timezone.now()
                upload.save(update_fields=["issue", "created_at"])
                messages.success(
                    request,
                    _("%(issue)s saved as drafts: %(new)d new and %(updated)d updated articles. Submit it for review when ready.")
                    % {"issue": result.issue.title, "new": plan.new_articles, "updated": plan.updated_articles},
                )
        return redirect("wagtailadmin_explore", upload.issue_id)
    columns = {c.name_zh: c for c in parsed.columns}
    rows = [(columns.get(item.parsed.column), item, form) for item, form in zip(plan.articles, pages, strict=False)]
    context = {"upload": upload, "parsed": parsed, "plan": plan, "rows": rows, "pages": pages, "offset": offset,
               "existing_issue": existing_issue,
               **_admin_header(_("Import preview: %(file)s") % {"file": upload.filename})}
    return TemplateResponse(request, "magazine/admin/import_preview.html", context)


def _valid_or_unbound(form) -> bool:
    return not form.is_bound or form.is_valid()


def _known_pages(plan) -> list[dict]:
    """Initial pages of the preview: what the text gives, else what is stored for the article."""
    stored = {
        pk: (start, end)
        for pk, start, end in ArticlePage.objects.filter(
            pk__in=[a.existing_id for a in plan.articles if a.existing_id]
        ).values_list("pk", "start_page", "end_page")
    }
    initial = []
    for item in plan.articles:
        start, end = stored.get(item.existing_id, (None, None))
        if item.parsed.start_page is not None and item.parsed.start_page != start:
            start, end = item.parsed.start_page, None
        initial.append({"start_page": start, "end_page": end})
    return initial


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


@require_http_methods(["GET", "POST"])
def issue_pages(request, pk):
    """The printed pages of every article of an issue, and its PDF offset, on one form (saved as drafts)."""
    _require_editor(request)
    issue = get_object_or_404(IssuePage, pk=pk)
    if not issue.permissions_for_user(request.user).can_edit():
        audit.refused(request, issue, reason="cannot edit the issue")
        raise PermissionDenied
    articles = [
        a.get_latest_revision_as_object() if a.has_unpublished_changes else a
        for a in ArticlePage.objects.child_of(issue).select_related("column")
    ]
    articles = contents_order(articles)
    draft_issue = issue.get_latest_revision_as_object() if issue.has_unpublished_changes else issue
    data = request.POST if request.method == "POST" else None
    pages = article_pages_formset(
        len(articles), data=data, form=IssueArticlePagesForm,
        initial=[{"article": a.pk, "start_page": a.start_page, "end_page": a.end_page} for a in articles],
    )
    offset = PdfOffsetForm(data, initial={"pdf_page_offset": draft_issue.pdf_page_offset})
    if request.method == "POST" and pages.is_valid() and offset.is_valid():
        entered = {form.cleaned_data["article"]: form.entered for form in pages}
        changed = run_step(
            request, set_printed_pages, issue=issue, user=request.user, request=request, pages=entered,
            pdf_page_offset=offset.cleaned_data["pdf_page_offset"],
        )
        if changed is not None:
            if changed:
                messages.success(request, _(
                    "Pages saved as drafts (%(n)d pages changed). They go live with the issue's next publication."
                ) % {"n": len(changed)})
            else:
                messages.info(request, _("No page number changed."))
            return redirect("wagtailadmin_explore", issue.pk)
    return TemplateResponse(request, "magazine/admin/issue_pages.html", {
        "issue": issue, "rows": list(zip(articles, pages, strict=False)), "pages": pages, "offset": offset,
        **_admin_header(_("Printed pages of %(issue)s") % {"issue": issue.title})})


def archive_admin_url() -> str:
    archive = MagazineArchivePage.objects.first()
    return reverse("wagtailadmin_explore", args=[archive.pk]) if archive else reverse("wagtailadmin_home")
