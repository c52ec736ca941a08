"""Turn a parsed back issue into Wagtail pages: the one importer service.

``import_issue(parsed, publish=..., user=...)`` runs in one transaction: either the whole
issue (issue page, columns, authors, article pages, their revisions and search index
entries) is written, or nothing is. Re-importing the same issue (same year and number,
or same cumulative number) updates its pages instead of adding a second copy: the issue
is matched first, then each article by its normalised contents title. Without
``publish`` the changes are saved as drafts (new revisions) for editors to review.

Printed pages: the text gives only some of them (see ``ContentsEntry.start_page``). Editors
enter the others in the import preview (``pages``, keyed by the article's position in the
contents; what they enter is kept as entered, empty included) or later on the issue. Without an
entry a re-import keeps the pages already stored where the text knows none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.html import escape

from portal.core import audit
from portal.core.site import ensure_site_tree

from ..models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    Column,
    IssueBoardRole,
    IssuePage,
    MagazineArchivePage,
    month_date,
)
from ..publishing import publishing_as
from ..search import deferred_indexing
from ..site_address import align_site
from .parser import ParsedArticle, ParsedIssue, match_key, parse_issue

ARCHIVE_SLUG = "magazine"
ARCHIVE_TITLE = "信用浙江"
WORKFLOW_NAME = "期刊审校"


@dataclass
class ArticlePlan:
    parsed: ParsedArticle
    existing_id: int | None = None


@dataclass
class ImportPlan:
    """What an import would do; shown by ``--dry-run`` and the admin preview."""

    parsed: ParsedIssue
    issue_id: int | None
    articles: list[ArticlePlan]
    stale: list[str] = field(default_factory=list)  # titles of existing articles absent from this file

    @property
    def label(self) -> str:
        return f"{self.parsed.year}年第{self.parsed.number}期"

    @property
    def new_articles(self) -> int:
        return sum(1 for a in self.articles if a.existing_id is None)

    @property
    def updated_articles(self) -> int:
        return len(self.articles) - self.new_articles


@dataclass
class ImportResult:
    issue: IssuePage
    plan: ImportPlan
    created: bool
    published: bool


def ensure_archive() -> MagazineArchivePage:
    """The live archive page ``/magazine/`` under the home page, with the review workflow (idempotent)."""
    archive = MagazineArchivePage.objects.first()
    if archive is None:
        home = ensure_site_tree()
        align_site()  # a new site tree starts with Wagtail's placeholder address (localhost:80)
        archive = MagazineArchivePage(
            title=ARCHIVE_TITLE,
            slug=ARCHIVE_SLUG,
            seo_title="《信用浙江》期刊",
            intro="<p>《信用浙江》是浙江省信用协会主办的内部资料，刊载信用体系建设的政策、研究、地方实践与协会动态。</p>",
        )
        home.add_child(instance=archive)
        archive.save_revision().publish()
    assign_workflow(archive)
    return archive


def assign_workflow(page) -> None:
    from wagtail.models import Workflow, WorkflowPage

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is not None and not WorkflowPage.objects.filter(page=page).exists():
        WorkflowPage.objects.create(page=page, workflow=workflow)


def find_issue(parsed: ParsedIssue) -> IssuePage | None:
    issue = IssuePage.objects.filter(year=parsed.year, number=parsed.number).first()
    if issue is None and parsed.cumulative_number:
        issue = IssuePage.objects.filter(cumulative_number=parsed.cumulative_number).first()
    return issue


def plan_import(parsed: ParsedIssue) -> ImportPlan:
    """Match the parsed issue and its articles against what is already stored (read-only)."""
    issue = find_issue(parsed)
    existing: dict[str, int] = {}
    if issue is not None:
        existing = dict(ArticlePage.objects.child_of(issue).exclude(import_key="").values_list("import_key", "pk"))
    articles = [ArticlePlan(a, existing.pop(match_key(a.title), None)) for a in parsed.articles]
    stale = []
    if existing:
        stale = list(ArticlePage.objects.filter(pk__in=existing.values()).order_by("path").values_list("title", flat=True))
    return ImportPlan(parsed=parsed, issue_id=issue.pk if issue else None, articles=articles, stale=stale)


#: Printed pages entered by an editor: the article's contents position → (start, end).
PageEntries = dict[int, tuple[int | None, int | None]]


def import_text(text: str, *, source_name: str = "", publish: bool = False, user=None, request=None) -> ImportResult:
    """Parse and import; raises ``IssueFormatError`` (nothing written) when the text is malformed."""
    return import_issue(parse_issue(text, source_name=source_name), publish=publish, user=user, request=request)


@transaction.atomic
def import_issue(
    parsed: ParsedIssue,
    *,
    publish: bool = False,
    user=None,
    request=None,
    pages: PageEntries | None = None,
    pdf_page_offset: int | None = None,
) -> ImportResult:
    with deferred_indexing():
        return _import_issue(
            parsed, publish=publish, user=user, request=request, pages=pages or {}, pdf_page_offset=pdf_page_offset
        )


def _import_issue(
    parsed: ParsedIssue, *, publish: bool, user, request, pages: PageEntries, pdf_page_offset: int | None
) -> ImportResult:
    plan = plan_import(parsed)
    archive = ensure_archive()
    columns = _columns(parsed)
    authors = _AuthorCache()

    created = plan.issue_id is None
    if created:
        issue = IssuePage(live=False, **_issue_fields(parsed))
        issue.board = _board(parsed)
        if pdf_page_offset is not None:
            issue.pdf_page_offset = pdf_page_offset
        archive.add_child(instance=issue)
    else:
        stored = IssuePage.objects.get(pk=plan.issue_id)
        issue = stored.get_latest_revision_as_object()
        fields = _issue_fields(parsed)
        fields.pop("slug")  # keep its address
        for name, value in fields.items():
            setattr(issue, name, value)
        issue.board = _board(parsed)
        if pdf_page_offset is not None:
            issue.pdf_page_offset = pdf_page_offset
    revision = issue.save_revision(user=user, log_action=True)

    used_slugs = set(ArticlePage.objects.child_of(issue).values_list("slug", flat=True))
    for item in plan.articles:
        art = item.parsed
        if item.existing_id is None:
            page = ArticlePage(live=False, slug=_free_slug(f"{art.order + 1:02d}", used_slugs))
            _fill_article(page, art, columns, authors, pages.get(art.order))
            IssuePage.objects.get(pk=issue.pk).add_child(instance=page)  # fresh tree fields for treebeard
        else:
            page = ArticlePage.objects.get(pk=item.existing_id).get_latest_revision_as_object()
            _fill_article(page, art, columns, authors, pages.get(art.order))
        page.save_revision(user=user, log_action=True)

    if publish:  # last: the issue takes its articles live with it (portal.magazine.publishing)
        with publishing_as(user):
            revision.publish(user=user)

    audit.record(
        issue,
        "magazine.issue.import",
        user=user,
        request=request,
        data={
            "source": parsed.source_name,
            "created": created,
            "published": publish,
            "articles_new": plan.new_articles,
            "articles_updated": plan.updated_articles,
            "unplaced": len(parsed.unplaced),
        },
    )
    return ImportResult(issue=IssuePage.objects.get(pk=issue.pk), plan=plan, created=created, published=publish)


# --------------------------------------------------------------------------- helpers


def _issue_fields(parsed: ParsedIssue) -> dict:
    m = parsed.masthead
    year, month = parsed.publication or (parsed.year, 1)
    label = f"{parsed.year}年第{parsed.number}期"
    return {
        "title": label,
        "draft_title": label,
        "slug": f"{parsed.year}-{parsed.number}",
        "seo_title": f"《信用浙江》{label}",
        "year": parsed.year,
        "number": parsed.number,
        "cumulative_number": parsed.cumulative_number,
        "publication_date": month_date(year, month),
        "sponsor": m.sponsor,
        "address": m.address,
        "postcode": m.postcode,
        "phone": m.phone,
        "fax": m.fax,
        "website": m.website,
        "email": m.email,
        "permit_number": m.permit_number,
        "printer": m.printer,
        "circulation_note": m.circulation_note or "内部资料 免费交流",
    }


def _board(parsed: ParsedIssue) -> list[IssueBoardRole]:
    return [
        IssueBoardRole(role=role, names="、".join(names), sort_order=i)
        for i, (role, names) in enumerate(parsed.masthead.board)
    ]


def _columns(parsed: ParsedIssue) -> dict[str, Column]:
    existing = {c.name_zh: c for c in Column.objects.filter(name_zh__in=[c.name_zh for c in parsed.columns])}
    for pc in parsed.columns:
        column = existing.get(pc.name_zh)
        if column is None:
            existing[pc.name_zh] = Column.objects.create(
                name_zh=pc.name_zh, name_en=pc.name_en, order=pc.order, is_cover_page=pc.is_cover_page
            )
        elif pc.name_en and not column.name_en:
            column.name_en = pc.name_en
            column.save(update_fields=["name_en"])
    return existing


class _AuthorCache:
    def __init__(self) -> None:
        self.by_name: dict[str, Author] = {}

    def get(self, name: str, is_organisation: bool) -> Author:
        if name not in self.by_name:
            author = Author.objects.filter(name=name).order_by("pk").first()
            if author is None:
                author = Author.objects.create(name=name, is_organisation=is_organisation)
            self.by_name[name] = author
        return self.by_name[name]


def _free_slug(slug: str, used: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


def _fill_article(
    page: ArticlePage,
    art: ParsedArticle,
    columns: dict[str, Column],
    authors: _AuthorCache,
    entered: tuple[int | None, int | None] | None = None,
) -> None:
    page.title = page.draft_title = art.title[:255]
    page.subtitle = art.subtitle[:255]
    page.column = columns.get(art.column)
    page.source = art.source[:255]
    if entered is not None:
        page.start_page, page.end_page = entered
    elif art.start_page is not None and art.start_page != page.start_page:
        page.start_page, page.end_page = art.start_page, None  # the text knows better; the old end may not fit
    page.editors_note = art.editors_note
    page.import_key = match_key(art.title)[:255]
    page.body = body_blocks(art.body)
    credits = [(a.name, a.is_organisation, a.note) for a in art.authors]
    if not credits and art.byline_org:
        credits = [(art.byline_org, True, "")]
    page.article_authors = [
        ArticleAuthor(author=authors.get(name[:100], is_org), note=note[:255], sort_order=i)
        for i, (name, is_org, note) in enumerate(credits)
    ]
    page.refresh_derived()


def body_blocks(blocks) -> list[dict]:
    """Parser blocks → raw StreamField data for ``ArticleBodyBlock``."""
    out = []
    for kind, value in blocks:
        if kind == "paragraph":
            out.append({"type": "paragraph", "value": f"<p>{escape(value)}</p>"})
        elif kind == "heading":
            level = min(max(int(value.get("level", 1)), 1), 3) + 1
            out.append({"type": "heading", "value": {"level": str(level), "text": value["text"]}})
        elif kind == "table":
            rows = [list(r) for r in value.get("rows", [])]
            width = max((len(r) for r in rows), default=0)
            rows = [r + [""] * (width - len(r)) for r in rows]
            out.append({
                "type": "table",
                "value": {
                    "data": rows,
                    "first_row_is_table_header": bool(value.get("header")),
                    "first_col_is_header": False,
                    "table_caption": "",
                },
            })
        elif kind == "list":
            out.append({"type": "list", "value": [str(v) for v in value]})
        elif kind == "quote":
            out.append({"type": "quote", "value": str(value)})
    return out
