"""《信用浙江》: archive page → issue pages → article pages; columns and authors as snippets.

The page tree is ``HomePage / magazine (MagazineArchivePage) / 2019-3 (IssuePage) / 01 (ArticlePage)``.
An article keeps a few derived, non-editable fields (its issue, its authors' names, the plain
text of its body) so listings, citations and search need no extra queries; they are
recomputed whenever the page is cleaned (every save and every revision).
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.core.routing import OneQueryViewRestrictionsMixin
from portal.core.text import SingleLineModelField

from .blocks import ArticleBodyBlock

CIRCULATION_NOTE = "内部资料 免费交流"
MAGAZINE_NAME = "信用浙江"


class Column(models.Model):
    """A column (栏目) of the magazine, shared by every issue; 封二/封三 are cover pages."""

    name_zh = SingleLineModelField(_("Chinese name"), max_length=50, unique=True)
    name_en = SingleLineModelField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100, help_text=_("Position in the contents."))
    is_cover_page = models.BooleanField(_("cover page"), default=False, help_text=_("Inside front or back cover (封二/封三)."))

    panels = [FieldPanel("name_zh"), FieldPanel("name_en"), FieldRowPanel([FieldPanel("order"), FieldPanel("is_cover_page")])]

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        ordering = ["is_cover_page", "order", "name_zh"]

    def __str__(self) -> str:
        return self.name_zh


class Author(models.Model):
    """A person or an organisation credited with articles."""

    name = SingleLineModelField(_("name"), max_length=100, db_index=True)
    is_organisation = models.BooleanField(pgettext_lazy("magazine", "organisation"), default=False)
    bio = models.TextField(_("biography"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("is_organisation"), FieldPanel("bio")]

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def live_issues():
    return IssuePage.objects.live().public()


def live_articles():
    return ArticlePage.objects.live().public()


class MagazineArchivePage(RoutablePageMixin, OneQueryViewRestrictionsMixin, Page):
    """/magazine/: every issue by year, plus column and author pages as sub-routes."""

    intro = RichTextField(pgettext_lazy("magazine", "introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["magazine.IssuePage"]
    max_count = 1

    class Meta:
        verbose_name = _("magazine archive")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template caches what it renders from them ({% publiccache %}).
        context["years"] = SimpleLazyObject(self.issues_by_year)
        context["columns"] = Column.objects.filter(is_cover_page=False)
        return context

    def issues_by_year(self) -> list[tuple[int, list[IssuePage]]]:
        issues = (
            live_issues().descendant_of(self).select_related("cover").prefetch_related("cover__renditions")
            .order_by("-year", "-number")
        )
        years: dict[int, list] = {}
        for issue in issues:
            years.setdefault(issue.year, []).append(issue)
        return list(years.items())

    def get_sitemap_urls(self, request=None):
        from .sitemap import archive_sitemap_urls

        return [*super().get_sitemap_urls(request), *archive_sitemap_urls(self, request)]

    @path("column/<int:pk>/", name="column")
    def column_view(self, request, pk):
        from django.core.paginator import Paginator

        column = get_object_or_404(Column, pk=pk)
        articles = (
            live_articles().descendant_of(self).filter(column=column)
            .select_related("issue").order_by("-issue__year", "-issue__number", "path")
        )
        page_obj = Paginator(articles, 30).get_page(request.GET.get("page"))
        return self.render(
            request,
            context_overrides={"column": column, "page_obj": page_obj, "archive": self},
            template="magazine/column_page.html",
        )

    @path("author/<int:pk>/", name="author")
    def author_view(self, request, pk):
        author = get_object_or_404(Author, pk=pk)
        articles = (
            live_articles().descendant_of(self).filter(article_authors__author=author)
            .select_related("issue", "column").order_by("-issue__year", "-issue__number", "path").distinct()
        )
        return self.render(
            request,
            context_overrides={"author": author, "articles": articles, "archive": self},
            template="magazine/author_page.html",
        )


class IssuePage(OneQueryViewRestrictionsMixin, Page):
    """One issue (期) of the magazine with its masthead; its children are the articles."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number in the year"))
    cumulative_number = models.PositiveIntegerField(_("cumulative number"), null=True, blank=True)
    publication_date = models.DateField(_("publication date"), help_text=_("The month of publication (day is ignored)."))
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("PDF of the whole issue"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    sponsor = SingleLineModelField(_("sponsor"), max_length=100, blank=True)
    address = SingleLineModelField(_("address"), max_length=200, blank=True)
    postcode = SingleLineModelField(_("postcode"), max_length=10, blank=True)
    phone = SingleLineModelField(_("phone"), max_length=50, blank=True)
    fax = SingleLineModelField(_("fax"), max_length=50, blank=True)
    website = SingleLineModelField(_("website"), max_length=100, blank=True)
    email = SingleLineModelField(_("email"), max_length=100, blank=True)
    permit_number = SingleLineModelField(_("permit number (准印证号)"), max_length=100, blank=True)
    printer = SingleLineModelField(_("printer"), max_length=100, blank=True)
    circulation_note = SingleLineModelField(_("circulation note"), max_length=100, blank=True, default=CIRCULATION_NOTE)
    pdf_page_offset = models.SmallIntegerField(
        _("PDF page offset"), default=0, validators=[MinValueValidator(-99), MaxValueValidator(99)],
        help_text=_("PDF page = printed page + offset (e.g. 2 when two unnumbered pages open the PDF)."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("year"), FieldPanel("number"), FieldPanel("cumulative_number")]),
                FieldPanel("publication_date"),
                FieldPanel("cover"),
                FieldRowPanel([FieldPanel("pdf"), FieldPanel("pdf_page_offset")]),
            ],
            heading=_("Issue"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("sponsor"),
                FieldRowPanel([FieldPanel("address"), FieldPanel("postcode")]),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("fax")]),
                FieldRowPanel([FieldPanel("website"), FieldPanel("email")]),
                FieldPanel("permit_number"),
                FieldPanel("printer"),
                FieldPanel("circulation_note"),
            ],
            heading=_("Masthead"),
        ),
        InlinePanel("board", heading=_("Editorial board"), label=_("role")),
    ]
    search_fields = Page.search_fields + [index.FilterField("year"), index.FilterField("number")]
    parent_page_types = ["magazine.MagazineArchivePage"]
    subpage_types = ["magazine.ArticlePage"]

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.number}期"

    @property
    def cumulative_label(self) -> str:
        return f"总第{self.cumulative_number:03d}期" if self.cumulative_number else ""

    @property
    def publication_label(self) -> str:
        return f"{self.publication_date.year}年{self.publication_date.month}月" if self.publication_date else ""

    def clean(self):
        super().clean()
        if self.year and self.number:
            clash = IssuePage.objects.filter(year=self.year, number=self.number).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"number": _("Issue %(label)s already exists.") % {"label": self.label}})

    def articles_for_reading(self, *, preview: bool = False) -> list[ArticlePage]:
        """The issue's articles in contents order; in preview, their latest drafts."""
        children = ArticlePage.objects.child_of(self).select_related("column").order_by("path")
        if not preview:
            return contents_order(children.live().public())
        drafts = []
        for article in children:
            draft = article.get_latest_revision_as_object() if article.has_unpublished_changes else article
            draft.refresh_derived()
            drafts.append(draft)
        return contents_order(drafts)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        # Lazy: the template caches what it renders from them ({% publiccache %}; not in previews).
        articles = SimpleLazyObject(lambda: self.articles_for_reading(preview=preview))
        context["articles"] = articles
        context["sections"] = SimpleLazyObject(lambda: group_by_column(articles))
        context["board"] = SimpleLazyObject(lambda: list(self.board.all()))
        context["whole_issue"] = preview
        return context


class IssueBoardRole(Orderable):
    """One line of the editorial board in printed order: a role and its people."""

    page = ParentalKey(IssuePage, on_delete=models.CASCADE, related_name="board")
    role = SingleLineModelField(_("role"), max_length=50)
    names = models.TextField(_("names"), help_text=_("Separated by 、 or spaces."))

    panels = [FieldPanel("role"), FieldPanel("names")]

    class Meta(Orderable.Meta):
        verbose_name = _("editorial board role")

    def name_list(self) -> list[str]:
        return [n for n in re.split(r"[、，,\s]+", self.names) if n]


def page_link(pk: int, title: str, url_path: str) -> Page:
    """A page as a link needs it ({% pageurl %} and its title), from plain row values: loaded the
    way the ORM loads rows (`Model.from_db`), so no field defaults are computed."""
    return Page.from_db(None, ["id", "title", "url_path"], [pk, title, url_path])


def column_position(column: Column | None) -> tuple:
    """Where a column's articles stand in an issue's contents: by column order, cover pages
    (封二/封三) after the columns, articles without a column last."""
    if column is None:
        return column_rank(None, None)
    return column_rank(column.order, column.is_cover_page)


def column_rank(order: int | None, is_cover_page: bool | None) -> tuple:
    """`column_position` from a column's order and cover flag (None: no column)."""
    if order is None:
        return (True, True, 0)
    return (False, bool(is_cover_page), order)


def contents_order(articles) -> list:
    """An issue's articles as its contents lists them (the issue page, previous/next): by column,
    then in their order within the column (tree order)."""
    return sorted(articles, key=lambda a: (column_position(a.column), a.path))


def group_by_column(articles) -> list[tuple[Column | None, list]]:
    """[(column, [articles…])] in contents order (see ``contents_order``)."""
    groups: dict[int | None, tuple[Column | None, list]] = {}
    for article in contents_order(articles):
        groups.setdefault(article.column_id, (article.column, []))[1].append(article)
    return list(groups.values())


def body_plain_text(body) -> str:
    """The plain text of a body StreamField (paragraphs, headings, tables, lists, quotes)."""
    parts: list[str] = []
    for block in body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(strip_tags(value.source if hasattr(value, "source") else str(value)))
        elif kind == "heading":
            parts.append(value["text"])
        elif kind == "table":
            for row in (value or {}).get("data") or []:
                parts.append(" ".join(c for c in row if c))
        elif kind == "list":
            parts.extend(str(v) for v in value)
        elif kind == "quote":
            parts.append(str(value))
        elif kind == "image" and value.get("caption"):
            parts.append(value["caption"])
    return "\n".join(p.strip() for p in parts if p and p.strip())


class ArticlePage(OneQueryViewRestrictionsMixin, Page):
    """An article of an issue."""

    issue = models.ForeignKey(
        IssuePage, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="articles",
        verbose_name=_("issue"),
    )
    column = models.ForeignKey(
        Column, verbose_name=_("column"), null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    subtitle = SingleLineModelField(_("subtitle"), max_length=255, blank=True)
    source = SingleLineModelField(_("source"), max_length=255, blank=True, help_text=_("e.g. 金华市信用办供稿"))
    start_page = models.PositiveSmallIntegerField(
        _("start page"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(999)],
        help_text=_("As printed; leave empty until known."),
    )
    end_page = models.PositiveSmallIntegerField(
        _("end page"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(999)],
        help_text=_("Last printed page; leave empty until known."),
    )
    editors_note = models.TextField(_("editor's note"), blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    # Derived on clean (see refresh_derived); not edited directly.
    author_names = models.CharField(_("authors"), max_length=500, blank=True, editable=False)
    search_text = models.TextField(_("plain text"), blank=True, editable=False)
    import_key = models.CharField(max_length=255, blank=True, editable=False, db_index=True)

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldRowPanel([FieldPanel("column"), FieldPanel("start_page"), FieldPanel("end_page")]),
        InlinePanel("article_authors", heading=_("Authors"), label=_("author")),
        FieldPanel("source"),
        FieldPanel("editors_note"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("search_tokens"),
        index.FilterField("issue"),
        index.FilterField("column"),
    ]
    parent_page_types = ["magazine.IssuePage"]
    subpage_types: list[str] = []
    search_auto_update = False  # indexed by portal.magazine.search.article_saved (skips bookkeeping saves)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    # -- derived fields
    def refresh_derived(self) -> None:
        names = [a.author.name for a in self.article_authors.all() if a.author_id]
        self.author_names = "、".join(names)[:500]
        text = body_plain_text(self.body)
        self.search_text = f"{self.editors_note}\n{text}".strip() if self.editors_note else text

    def clean(self):
        super().clean()
        problems = page_range_problems(self.start_page, self.end_page)
        if problems:
            raise ValidationError({"end_page": problems})
        if self.path:
            parent = self.get_parent()
            if parent is not None and parent.specific_class is IssuePage:
                self.issue_id = parent.pk
        self.refresh_derived()

    @property
    def search_tokens(self) -> str:
        from .search import tokens_for_index

        return tokens_for_index(" ".join([self.title, self.subtitle, self.author_names, self.source, self.search_text]))

    # -- reading helpers
    @cached_property
    def author_list(self) -> list[str]:
        return [n for n in self.author_names.split("、") if n]

    def summary(self, length: int = 90) -> str:
        return Truncator(self.search_text.replace("\n", " ")).chars(length)

    @property
    def pages_label(self) -> str:
        """The printed pages: ``22-25``, ``22`` (start only, or one page), or "" when unknown."""
        if not self.start_page:
            return ""
        if self.end_page and self.end_page > self.start_page:
            return f"{self.start_page}-{self.end_page}"
        return str(self.start_page)

    def citation(self, issue: IssuePage | None = None) -> str:
        """GB/T 7714 reference: ``陈海盛, 白小虎, 郭文波, 等. 题名[J]. 信用浙江, 2019(3): 22-25.``

        The pages are given as far as they are known, and left out when the start page is not.
        """
        issue = issue or self.issue
        names = self.author_list
        authors = ", ".join(names[:3]) + (", 等" if len(names) > 3 else "")
        title = f"{self.title}: {self.subtitle}" if self.subtitle else self.title
        head = f"{authors}. {title}[J]" if authors else f"{title}[J]"
        where = f"{MAGAZINE_NAME}, {issue.year}({issue.number})" if issue else MAGAZINE_NAME
        pages = f": {self.pages_label}" if self.pages_label else ""
        return f"{head}. {where}{pages}."

    def pdf_url(self, issue: IssuePage | None = None) -> str:
        """The issue's PDF, opened at the article's first page (printed page + the issue's offset) when known."""
        issue = issue or self.issue
        if not issue or not issue.pdf_id:
            return ""
        pdf_page = self.start_page + issue.pdf_page_offset if self.start_page else 0
        return issue.pdf.url + (f"#page={pdf_page}" if pdf_page >= 1 else "")

    @cached_property
    def magazine_archive(self) -> MagazineArchivePage | None:
        return MagazineArchivePage.objects.ancestor_of(self).first()

    @cached_property
    def neighbours(self) -> tuple[Page | None, Page | None]:
        """The previous and next live articles of the issue, in contents order: one query of plain
        rows (read on every view, see portal.magazine.rendering), as pages with what a link needs."""
        if not self.issue_id:
            return None, None
        # Siblings share the article's view restrictions (inherited from the issue), so no .public().
        rows = (
            ArticlePage.objects.sibling_of(self).live().order_by()
            .values_list("pk", "title", "url_path", "path", "column__order", "column__is_cover_page")
        )
        siblings = sorted(rows, key=lambda r: (column_rank(r[4], r[5]), r[3]))  # as contents_order
        ids = [row[0] for row in siblings]
        if self.pk not in ids:
            return None, None
        i = ids.index(self.pk)

        before = page_link(*siblings[i - 1][:3]) if i > 0 else None
        after = page_link(*siblings[i + 1][:3]) if i + 1 < len(siblings) else None
        return before, after

    def get_context(self, request, *args, **kwargs):
        """Everything but the page itself is lazy: the template caches the article's main part
        ({% publiccache %}), so a cached render needs none of these queries."""
        context = super().get_context(request, *args, **kwargs)
        context.update(citation=self.citation, pdf_url=self.pdf_url)  # methods: called by the template
        return context

    @cached_property
    def credits(self) -> list[ArticleAuthor]:
        """The printed author lines (author and affiliation) in order."""
        return list(self.article_authors.select_related("author"))


class ArticleAuthor(Orderable):
    """An author of an article in printed order, with the affiliation or footnote printed there."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="credits")
    note = SingleLineModelField(_("affiliation or footnote"), max_length=255, blank=True)

    panels = [FieldPanel("author"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("article author")


class IssueImport(models.Model):
    """An uploaded back-issue text awaiting (or done with) the admin's "create as drafts" step."""

    filename = SingleLineModelField(_("file name"), max_length=255)
    text = models.TextField(_("text"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    issue = models.ForeignKey(
        IssuePage, verbose_name=_("issue"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("pages created at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issue import")
        verbose_name_plural = _("issue imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename


def article_moved(sender, instance, parent_page_after, **kwargs) -> None:
    """post_page_move: the article's issue follows its new parent (Wagtail saves a moved page as a
    plain Page, so `ArticlePage.clean` does not run)."""
    ArticlePage.objects.filter(pk=instance.pk).exclude(issue_id=parent_page_after.pk).update(issue_id=parent_page_after.pk)


def page_range_problems(start: int | None, end: int | None) -> list[str]:
    """What is wrong with a printed page range (both ends optional)."""
    if end is not None and start is None:
        return [_("Enter the start page as well.")]
    if start is not None and end is not None and end < start:
        return [_("The end page comes before the start page.")]
    return []


def month_date(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


class RenderedArticle(models.Model):
    """The rendered main part of a live article (breadcrumb, head, authors, body, citation) in
    one language, stored when first shown after its publication (portal.magazine.rendering).

    Served only while its ``stamp`` matches what it was rendered from as far as the article's own
    row tells (its published revision, URL, issue, column and authors, the language, the site, the
    templates and translations); dropped when its issue or a page it links to is published,
    unpublished, moved or deleted, or an image it shows, a column, an author, a document or a site
    changes."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="renderings",
                                verbose_name=_("article"))
    language = models.CharField(_("language"), max_length=16)
    stamp = models.CharField(max_length=64)
    html = models.TextField()
    # " page:12 image:5 " — what the body links to or shows (see rendering.body_dependencies).
    depends_on = models.TextField(blank=True)
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rendered article")
        verbose_name_plural = _("rendered articles")
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="rendered_article_per_language")]

    def __str__(self) -> str:
        return f"{self.article_id} ({self.language})"
