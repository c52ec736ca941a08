"""Chinese full-text search over the articles with Wagtail's database search.

Wagtail's index tokenises a run of Chinese characters as one word (see ../shared/NOTES.md),
so an article is indexed through ``ArticlePage.search_tokens``: its title, subtitle,
authors, source and text segmented by jieba (``cut_for_search``) and joined by spaces.
A query is segmented the same way and reduced to its finest words (all of which must
match), so 信用修复 looks for 信用 AND 修复 on SQLite and PostgreSQL alike.

Results whose title contains the query (or all of its words) come first, then the
backend's relevance order. A one-character query, which jieba cannot make a word of,
falls back to a substring match.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

# Terms of the association's field jieba does not know; keeps segmentation stable.
DOMAIN_WORDS = [
    "信用浙江", "信义金", "村民说事", "五类主体", "信用修复", "失信惩戒", "守信激励", "信用县", "放管服",
    "信用中国", "营商环境", "信用示范会员单位", "社会信用体系", "公共信用", "信用监管", "数博会", "信易贷",
]

_jieba = None
_lock = threading.Lock()
_WORD = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def segmenter():
    """jieba, initialised once per process on first use, with its log kept quiet."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                for word in DOMAIN_WORDS:
                    jieba.add_word(word)
                _jieba = jieba
    return _jieba


def _is_word(token: str) -> bool:
    return bool(token.strip()) and bool(_WORD.search(token))


@functools.lru_cache(maxsize=512)
def tokens_for_index(text: str) -> str:
    """Space-joined search tokens of ``text`` (words and their sub-words).

    Cached: the index asks for the same article's tokens several times per save.
    """
    return " ".join(t.lower() for t in segmenter().cut_for_search(text) if _is_word(t))


def query_terms(query: str) -> list[str]:
    """The finest words of a query, deduplicated, in order (信用修复 → [信用, 修复])."""
    tokens = [t.lower() for t in segmenter().cut_for_search(query) if _is_word(t)]
    finest = [t for t in tokens if not any(o != t and o in t for o in tokens)]
    seen: dict[str, None] = {}
    for token in finest:
        seen.setdefault(token, None)
    return list(seen)


def highlight(text: str, needles: list[str], *, length: int = 160) -> SafeString:
    """An escaped excerpt of ``text`` around the first hit with every hit wrapped in <mark>."""
    text = re.sub(r"\s+", " ", text or "").strip()
    needles = sorted({n for n in needles if n}, key=len, reverse=True)
    if not needles:
        return mark_safe(escape(text[:length]))
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - length // 4) if first else 0
    excerpt = text[start : start + length]
    out, pos = [], 0
    for m in pattern.finditer(excerpt):
        out.append(escape(excerpt[pos : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(excerpt[pos:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)


# ---------------------------------------------------------------- index upkeep

#: Fields whose change alters an article's index entry (other saves are bookkeeping).
INDEXED_FIELDS = {"title", "subtitle", "author_names", "source", "search_text", "live", "column", "issue"}
_deferred: ContextVar[set | None] = ContextVar("magazine_deferred_index", default=None)


def article_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """post_save of ArticlePage (its ``search_auto_update`` is off): index it now or at the end of a batch.

    Saves that only touch revision bookkeeping (``save_revision``) are skipped.
    """
    if raw:
        return
    if update_fields is not None and not (set(update_fields) & INDEXED_FIELDS):
        return
    pending = _deferred.get()
    if pending is not None:
        pending.add(instance.pk)
        return
    from modelsearch import index

    index.insert_or_update_object(instance)


def article_deleted(sender, instance, **kwargs):
    from modelsearch import index

    index.remove_object(instance)


@contextmanager
def deferred_indexing():
    """Index the articles saved inside the block once, when it succeeds (used by the importer)."""
    from modelsearch import index

    from .models import ArticlePage

    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for page in ArticlePage.objects.filter(pk__in=pending):
        index.insert_or_update_object(page)
    if pending:
        refresh_planner_statistics()


def refresh_planner_statistics() -> None:
    """ANALYZE the search index table on SQLite after a batch of articles was indexed.

    Without statistics SQLite's planner loops over every index entry of the article type and
    re-runs the full-text MATCH for each (57 ms instead of 0.4 ms with 480 articles). PostgreSQL
    keeps its own statistics (autovacuum).
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wagtailsearch_indexentry")


@dataclass
class SearchOutcome:
    query: str
    terms: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # ranked
    fallback: bool = False


SEARCH_CACHE_SECONDS = 600


def search_articles(query: str, *, year: int | None = None, column_id: int | None = None) -> SearchOutcome:
    """Ranked ids of the live articles matching ``query``: title hits first, then newest issue first.

    Outcomes are cached per (query, year, column) under the magazine's data version, so
    publishing an article drops them (see portal.core.cache).
    """
    import hashlib

    from django.core.cache import cache

    from portal.core.cache import public_data_version

    query = (query or "").strip()[:100]
    if not query:
        return SearchOutcome(query=query)
    digest = hashlib.sha256(f"{query}|{year}|{column_id}".encode()).hexdigest()
    key = f"magazine:search:{public_data_version(families=('magazine',))}:{digest}"
    outcome = cache.get(key)
    if outcome is None:
        outcome = _search_articles(query, year=year, column_id=column_id)
        cache.set(key, outcome, SEARCH_CACHE_SECONDS)
    return outcome


def _search_articles(query: str, *, year: int | None, column_id: int | None) -> SearchOutcome:
    from .models import IssuePage, live_articles

    outcome = SearchOutcome(query=query)
    # newest issue first: tree paths grow with each issue added under the archive
    base = live_articles().order_by("-path")
    if column_id:
        base = base.filter(column_id=column_id)
    if year:
        base = base.filter(issue__in=list(IssuePage.objects.filter(year=year).values_list("pk", flat=True)))
    terms = query_terms(query)
    outcome.terms = terms
    if len(query) == 1 or not terms:
        outcome.fallback = True
        rows = base.filter(_substring(query)).values_list("pk", "title")
        ranked = sorted(rows, key=lambda r: query.lower() not in r[1].lower())
        outcome.ids = [pk for pk, _title in ranked]
        return outcome
    titles = dict(full_text_matches(base, terms))
    ids = list(titles)
    if not ids:
        return outcome
    position = {pk: i for i, pk in enumerate(ids)}
    lowered = query.lower()

    def title_rank(pk: int) -> int:
        title = titles.get(pk, "").lower()
        if lowered in title:
            return 0
        if all(t in title for t in terms):
            return 1
        return 2

    outcome.ids = sorted(ids, key=lambda pk: (title_rank(pk), position[pk]))
    return outcome


def full_text_matches(base, terms: list[str]) -> list[tuple[int, str]]:
    """(id, title) of the articles in ``base`` whose index entry holds every term, in ``base``'s order.

    Relevance ordering would make the database backend re-run the full-text match once per hit (a
    correlated subquery: ~3x slower on 1,150 articles), so the caller ranks title hits first, then
    recency. SQLite asks the search backend (FTS5). On PostgreSQL the backend selects each matching
    entry's whole tsvector with the row (about 8 KB an article: a common word at ten times the archive
    sent some 90 MB to the app server) and matches ``title || body``, which no index covers. The
    same match is made here on the backend's own index entries with Django's full-text lookups: the
    body holds the title's words too (``ArticlePage.search_tokens``), so ``title`` or ``body``
    matching the whole query finds the same articles through their GIN indexes (tested against the
    backend in ``test_postgresql_matches_what_the_search_backend_matches``).
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        results = base.only("id", "title").search(" ".join(terms), operator="and", order_by_relevance=False)
        return [(page.pk, page.title) for page in results]

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.postgres.search import SearchQuery
    from django.db.models import IntegerField, Q
    from django.db.models.functions import Cast
    from wagtail.search.models import IndexEntry

    # The backend's own query: every word (split as the backend splits them) quoted, all required.
    words = [w for w in re.split(r"[\s\-]+", " ".join(terms)) if w]
    raw = " & ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words)
    config = settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG")
    query = SearchQuery(raw, search_type="raw", config=config)
    entries = IndexEntry.objects.filter(
        Q(title=query) | Q(body=query), content_type=ContentType.objects.get_for_model(base.model)
    ).values_list(Cast("object_id", IntegerField()))
    return list(base.filter(pk__in=entries).values_list("pk", "title"))


def _substring(query: str):
    from django.db.models import Q

    return Q(title__icontains=query) | Q(subtitle__icontains=query) | Q(author_names__icontains=query) | Q(
        search_text__icontains=query
    )
