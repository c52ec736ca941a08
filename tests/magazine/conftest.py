"""Magazine fixtures: the seed issue imported once per test module (rolled back afterwards)."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

needs_seed = pytest.mark.skipif(
    not settings.DEMO_ISSUE_PATH.is_file(), reason=f"seed issue not found at {settings.DEMO_ISSUE_PATH}"
)


def seed_text() -> str:
    return settings.DEMO_ISSUE_PATH.read_text(encoding="utf-8")


def shifted_text(year: int, number: int, cumulative: int) -> str:
    """The seed issue relabelled as another issue (same articles)."""
    return (
        seed_text()
        .replace("2019年第3期", f"{year}年第{number}期")
        .replace("总第044期", f"总第{cumulative:03d}期")
        .replace("出版日期：2019年6月", f"出版日期：{year}年6月")
    )


@pytest.fixture(scope="module")
def seed_issue(django_db_setup, django_db_blocker):
    """The seed imported and published; shared by a module's tests, rolled back at its end."""
    if not settings.DEMO_ISSUE_PATH.is_file():
        pytest.skip("seed issue not found")
    from portal.core.site import ensure_site_tree
    from portal.magazine.importer.build import import_text

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_site_tree()
            result = import_text(seed_text(), source_name="seed.txt", publish=True)
            yield result.issue
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()  # Wagtail caches site root paths


@pytest.fixture
def seed(seed_issue, db):
    """The seed issue (fresh from the database) inside a test's own transaction."""
    from portal.magazine.models import IssuePage

    return IssuePage.objects.get(pk=seed_issue.pk)


@pytest.fixture
def archive(db, home_page):
    from portal.magazine.importer.build import ensure_archive

    return ensure_archive()


@pytest.fixture
def make_issue(archive):
    """A small published issue made directly with pages: make_issue(year, number, articles=3)."""
    from portal.magazine.models import ArticleAuthor, ArticlePage, Author, Column, IssuePage

    column, _ = Column.objects.get_or_create(name_zh="信用研究", defaults={"name_en": "Credit Study", "order": 5})
    author, _ = Author.objects.get_or_create(name="测试作者")

    def make(year, number, articles=3):
        issue = IssuePage(
            title=f"{year}年第{number}期", slug=f"{year}-{number}", year=year, number=number,
            cumulative_number=year * 10 + number, publication_date=datetime.date(year, 6, 1), sponsor="浙江省信用协会",
        )
        archive.add_child(instance=issue)
        issue.save_revision().publish()
        parent = issue
        for i in range(articles):
            page = ArticlePage(
                title=f"{year}年第{number}期文章{i + 1}", slug=f"{i + 1:02d}", column=column, start_page=i + 1,
                body=[{"type": "paragraph", "value": f"<p>正文{i}：小微企业信用修复。</p>"}],
            )
            page.article_authors = [ArticleAuthor(author=author, note="浙江省信用中心")]
            parent = IssuePage.objects.get(pk=issue.pk)
            parent.add_child(instance=page)
            page.save_revision().publish()
        return IssuePage.objects.get(pk=issue.pk)

    return make
