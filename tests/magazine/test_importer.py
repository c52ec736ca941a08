"""The importer service and `import_issue` on the seed issue and on broken input."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from wagtail.models import Page

from portal.magazine.importer.build import import_issue, import_text
from portal.magazine.importer.parser import IssueFormatError, match_key, parse_issue
from portal.magazine.models import ArticlePage, Author, Column, IssuePage
from portal.magazine.search import query_terms

from .conftest import needs_seed, seed_text, shifted_text

pytestmark = needs_seed


def test_seed_import_creates_every_contents_entry_with_body(seed):
    parsed = parse_issue(seed_text())
    articles = list(ArticlePage.objects.child_of(seed).order_by("path"))
    assert len(articles) == 23
    assert [match_key(a.title) for a in articles] == [match_key(a.title) for a in parsed.articles]
    assert all(a.live and len(a.body) > 0 and a.search_text for a in articles)
    assert (seed.title, seed.slug, seed.year, seed.number, seed.cumulative_number) == ("2019年第3期", "2019-3", 2019, 3, 44)
    assert seed.publication_date.isoformat() == "2019-06-01"
    assert seed.url_path.endswith("/magazine/2019-3/")


def test_seed_import_masthead_board_and_circulation(seed):
    assert (seed.sponsor, seed.permit_number, seed.printer) == ("浙江省信用协会", "浙内准字第0203号", "浙江民振印务有限公司")
    assert seed.circulation_note == "内部资料 免费交流"
    board = [(r.role, r.name_list()) for r in seed.board.all()]
    assert board[0] == ("编委会主任", ["杜旭亮"])
    assert ("主编", ["蒋秀东"]) in board and ("副主编", ["邵千龙", "王宁江"]) in board


def test_seed_import_columns_authors_source_and_tables(seed):
    assert list(Column.objects.filter(is_cover_page=False).values_list("name_zh", "name_en")) == [
        ("卷首语", "Preamble"), ("特别报道", "Special Reports"), ("信用应用", "Credit Application"),
        ("机构天地", "Institution World"), ("信用研究", "Credit Study"), ("市县信用", "City and County Credit"),
        ("信用动态", "Credit Trend"), ("协会动态", "Institute Trends"),
    ]
    assert set(Column.objects.filter(is_cover_page=True).values_list("name_zh", flat=True)) == {"封二", "封三"}
    research = ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究")
    credits = [(c.author.name, c.note) for c in research.article_authors.select_related("author")]
    assert credits[0] == ("陈海盛", "浙江省信用中心")
    assert [name for name, _ in credits] == ["陈海盛", "白小虎", "郭文波", "吴淑君"]
    assert research.author_names == "陈海盛、白小虎、郭文波、吴淑君"
    assert (research.column.name_zh, research.start_page) == ("信用研究", 22)
    xinyi = ArticlePage.objects.get(title__startswith="“信义金” 来了")
    assert xinyi.source == "金华市信用办供稿"
    tables = [b for a in ArticlePage.objects.all() for b in a.body if b.block_type == "table"]
    assert len(tables) == 2 and all(len(t.value["data"]) > 2 for t in tables)
    assert Author.objects.get(name="杭州市信用办").is_organisation


def test_reimport_updates_the_same_issue_instead_of_duplicating(seed):
    pages_before = Page.objects.count()
    authors_before = Author.objects.count()
    result = import_text(seed_text(), publish=True)
    assert result.issue.pk == seed.pk and not result.created
    assert result.plan.new_articles == 0 and result.plan.updated_articles == 23
    assert Page.objects.count() == pages_before
    assert Author.objects.count() == authors_before
    assert IssuePage.objects.filter(year=2019, number=3).count() == 1


def test_reimport_matched_by_cumulative_number_saves_drafts_and_keeps_live_text(seed):
    text = (
        seed_text().replace("2019年第3期", "2019年第4期")
        .replace("浙江省信用协会成立于2008年12月", "浙江省信用协会于2008年12月成立")
    )
    article = ArticlePage.objects.get(title="浙江省信用协会简介")
    result = import_text(text, publish=False)
    assert result.issue.pk == seed.pk and IssuePage.objects.count() == 1
    assert result.plan.stale == [] and result.plan.updated_articles == 23
    article.refresh_from_db()
    assert article.live and article.has_unpublished_changes
    assert "成立于2008年12月" in article.search_text  # live text unchanged until the chief editor publishes
    draft = article.get_latest_revision_as_object()
    assert "于2008年12月成立" in draft.search_text


def test_malformed_file_is_rejected_with_line_and_nothing_written(seed):
    pages, authors = Page.objects.count(), Author.objects.count()
    text = seed_text().replace("2019年第3期", "", 1).replace("总第044期", "", 1)
    with pytest.raises(IssueFormatError) as exc:
        import_text(text)
    assert str(exc.value).startswith("第 ") and "期号" in str(exc.value)
    assert (Page.objects.count(), Author.objects.count()) == (pages, authors)


def test_failure_midway_rolls_back_the_whole_issue(seed):
    pages, columns, authors = Page.objects.count(), Column.objects.count(), Author.objects.count()
    parsed = parse_issue(shifted_text(2021, 2, 52))
    parsed.articles[10].start_page = -5  # invalid: fails after the issue and ten articles were written
    with pytest.raises((ValidationError, IntegrityError)):
        import_issue(parsed, publish=True)
    assert (Page.objects.count(), Column.objects.count(), Author.objects.count()) == (pages, columns, authors)
    assert not IssuePage.objects.filter(year=2021).exists()


def test_command_dry_run_writes_nothing(seed, tmp_path, capsys):
    path = tmp_path / "2020-1.txt"
    path.write_text(shifted_text(2020, 1, 45), encoding="utf-8")
    pages = Page.objects.count()
    call_command("import_issue", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "2020年第1期" in out and "23 篇文章（新增 23，更新 0）" in out and "dry run" in out
    assert Page.objects.count() == pages


def test_command_imports_a_new_issue_as_drafts(seed, tmp_path):
    path = tmp_path / "2020-1.txt"
    path.write_text(shifted_text(2020, 1, 45), encoding="utf-8")
    call_command("import_issue", str(path))
    issue = IssuePage.objects.get(year=2020, number=1)
    assert not issue.live and issue.cumulative_number == 45
    assert ArticlePage.objects.child_of(issue).filter(live=False).count() == 23


def test_command_reports_malformed_file_in_chinese(db, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("这不是一期杂志\n只有两行\n", encoding="utf-8")
    pages = Page.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("import_issue", str(path))
    assert "bad.txt 第 " in str(exc.value)
    assert Page.objects.count() == pages


def test_command_rejects_binary_file(db, tmp_path):
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\xff\xfe\x00\x01" * 100)
    with pytest.raises(CommandError) as exc:
        call_command("import_issue", str(path))
    assert "bin.txt" in str(exc.value)


def test_query_terms_are_the_finest_words():
    assert query_terms("信用修复") == ["信用", "修复"]
    assert query_terms("  ") == []
