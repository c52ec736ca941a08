"""Printed page numbers (#14.24): only known pages are shown, cited and linked; editors enter the others
in the import preview or on the issue; a per-issue offset maps printed pages to PDF pages."""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from portal.magazine.models import ArticlePage, IssueImport, IssuePage

from .conftest import needs_seed, shifted_text

pytestmark = needs_seed


def meta(html: str) -> str:
    return re.search(r'<p class="article-meta muted">(.*?)</p>', html, re.S).group(1)


def cite(html: str) -> str:
    return re.search(r'<p class="cite__text">(.*?)</p>', html, re.S).group(1)


def test_an_article_whose_page_is_unknown_shows_cites_and_links_none(client, seed):
    pdf = Document.objects.create(title="2019-3", file=ContentFile(b"%PDF-1.4\n", name="2019-3.pdf"))
    seed.pdf = pdf
    seed.save_revision().publish()
    second = ArticlePage.objects.get(title="国办赴浙江专题调研我省信用体系建设情况")  # 特别报道, not its first
    html = client.get(second.url).content.decode()
    assert "页" not in meta(html) and "page" not in meta(html)
    assert cite(html).endswith("信用浙江, 2019(3).")
    assert f'href="{pdf.url}"' in html and "#page=" not in html
    # The contents shows each column's first page once, not on every article of the column.
    issue_html = client.get(seed.url).content.decode()
    assert issue_html.count(">P04<") == 1 and issue_html.count(">P42<") == 1 and issue_html.count(">P22<") == 1


def test_known_pages_read_without_spaces_and_cite_the_range(client, seed):
    research = ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究")
    html = client.get(research.url).content.decode()
    assert "第22页" in meta(html) and cite(html).endswith("信用浙江, 2019(3): 22.")
    research.end_page = 25
    research.save_revision().publish()
    html = client.get(research.url).content.decode()
    assert "第22–25页" in meta(html) and cite(html).endswith("信用浙江, 2019(3): 22-25.")


def test_citation_forms_by_what_is_known(db):
    issue = IssuePage(year=2019, number=3)
    assert ArticlePage(title="甲", start_page=22, end_page=25).citation(issue) == "甲[J]. 信用浙江, 2019(3): 22-25."
    assert ArticlePage(title="甲", start_page=22, end_page=22).citation(issue) == "甲[J]. 信用浙江, 2019(3): 22."
    assert ArticlePage(title="甲", start_page=22).citation(issue) == "甲[J]. 信用浙江, 2019(3): 22."
    assert ArticlePage(title="甲").citation(issue) == "甲[J]. 信用浙江, 2019(3)."


def test_pdf_link_adds_the_issue_offset(client, seed):
    pdf = Document.objects.create(title="2019-3", file=ContentFile(b"%PDF-1.4\n", name="2019-3.pdf"))
    seed.pdf, seed.pdf_page_offset = pdf, 2
    seed.save_revision().publish()
    research = ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究")
    assert f"{pdf.url}#page=24" in client.get(research.url).content.decode()
    seed.pdf_page_offset = -30  # nonsense for page 22: no page fragment rather than a wrong one
    seed.save_revision().publish()
    html = client.get(research.url).content.decode()
    assert f'href="{pdf.url}"' in html and "#page=" not in html


def test_article_rejects_an_end_before_its_start(db):
    from django.core.exceptions import ValidationError

    from portal.magazine.models import page_range_problems

    assert page_range_problems(25, 22) and page_range_problems(None, 3) and not page_range_problems(3, None)
    with pytest.raises(ValidationError):
        ArticlePage(title="甲", slug="a", start_page=25, end_page=22).clean()


# --------------------------------------------------------------------------- the import preview


def uploaded(client, text):
    file = io.BytesIO(text.encode("utf-8"))
    file.name = "2020-1.txt"
    client.post("/admin/magazine/import/", {"file": file})
    return IssueImport.objects.latest("pk")


def pages_post(initial_html: str, changes: dict[int, tuple], offset="0") -> dict:
    """The preview's form as the browser would post it, with some rows changed."""
    data = {"pdf_page_offset": offset}
    for name, value in re.findall(r'<input type="(?:hidden|number)" name="(pages-[^"]+)"[^>]*?value="([^"]*)"', initial_html):
        data[name] = value
    for row, (start, end) in changes.items():
        data[f"pages-{row}-start_page"] = "" if start is None else str(start)
        data[f"pages-{row}-end_page"] = "" if end is None else str(end)
    return data


def test_editor_enters_pages_in_the_import_preview(client_for, editor, seed):
    client = client_for(editor)
    upload = uploaded(client, shifted_text(2020, 1, 45))
    preview = client.get(f"/admin/magazine/import/{upload.pk}/").content.decode()
    assert 'name="pages-1-start_page"' in preview and 'name="pdf_page_offset"' in preview
    # The first 特别报道 article comes with P04 from the contents; the second is empty.
    assert re.search(r'name="pages-1-start_page"[^>]*value="4"', preview)
    assert re.search(r'name="pages-2-start_page"[^>]*value=""', preview)
    response = client.post(f"/admin/magazine/import/{upload.pk}/", pages_post(preview, {1: (4, 8), 2: (9, 12)}, "2"))
    assert response.status_code == 302
    issue = IssuePage.objects.get(year=2020)
    first, second, third = ArticlePage.objects.child_of(issue).filter(column__name_zh="特别报道").order_by("path")
    assert [(a.start_page, a.end_page) for a in (first, second, third)] == [(4, 8), (9, 12), (None, None)]
    assert issue.pdf_page_offset == 2


def test_preview_refuses_an_end_before_the_start_and_creates_nothing(client_for, editor, seed):
    client = client_for(editor)
    upload = uploaded(client, shifted_text(2020, 1, 45))
    preview = client.get(f"/admin/magazine/import/{upload.pk}/").content.decode()
    response = client.post(f"/admin/magazine/import/{upload.pk}/", pages_post(preview, {2: (12, 9)}))
    assert response.status_code == 200 and "结束页不能早于起始页" in response.content.decode()
    assert not IssuePage.objects.filter(year=2020).exists()
    upload.refresh_from_db()
    assert upload.created_at is None


# --------------------------------------------------------------------------- the issue's pages


def test_editor_enters_pages_on_the_issue_as_drafts(client_for, editor, seed):
    client = client_for(editor)
    url = f"/admin/magazine/issue/{seed.pk}/pages/"
    form = client.get(url).content.decode()
    second = ArticlePage.objects.get(title="国办赴浙江专题调研我省信用体系建设情况")
    row = int(re.search(rf'name="pages-(\d+)-article" value="{second.pk}"', form).group(1))
    response = client.post(url, pages_post(form, {row: (10, 15)}, "2"))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.start_page is None and second.has_unpublished_changes  # live page unchanged: a draft
    draft = second.get_latest_revision_as_object()
    assert (draft.start_page, draft.end_page) == (10, 15)
    assert IssuePage.objects.get(pk=seed.pk).get_latest_revision_as_object().pdf_page_offset == 2


def test_issue_pages_refuse_other_roles_and_bad_ranges(client_for, editor, secretariat, seed):
    url = f"/admin/magazine/issue/{seed.pk}/pages/"
    assert client_for(secretariat).get(url)["Location"] == "/admin/"
    client = client_for(editor)
    form = client.get(url).content.decode()
    response = client.post(url, pages_post(form, {3: (15, 10)}))
    assert response.status_code == 200 and "结束页不能早于起始页" in response.content.decode()
    assert not ArticlePage.objects.child_of(seed).filter(has_unpublished_changes=True).exists()
    # An article id of another issue smuggled into the form changes nothing.
    data = pages_post(form, {3: (15, 16)})
    data["pages-3-article"] = str(seed.pk)
    response = client.post(url, data, follow=True)
    assert "不属于本期" in response.content.decode()
    assert not ArticlePage.objects.child_of(seed).filter(has_unpublished_changes=True).exists()


# --------------------------------------------------------------------------- stored data


def test_migration_forgets_the_pages_the_importer_invented(make_issue):
    issue = make_issue(2018, 1, articles=3)
    articles = list(ArticlePage.objects.child_of(issue).order_by("path"))
    for article in articles:  # what the old importer did: the column's page on every article
        article.start_page = 5
        article.save_revision().publish()
    other = make_issue(2018, 2, articles=3)  # pages entered by editors (1, 2, 3) are kept
    module = importlib.import_module("portal.magazine.migrations.0004_forget_invented_pages")
    module.forget_invented_pages(apps, None)
    assert [a.start_page for a in ArticlePage.objects.child_of(issue).order_by("path")] == [5, None, None]
    assert [a.get_latest_revision_as_object().start_page for a in ArticlePage.objects.child_of(issue).order_by("path")] == [5, None, None]
    assert [a.start_page for a in ArticlePage.objects.child_of(other).order_by("path")] == [1, 2, 3]


def test_the_issue_offers_its_pages_form_to_the_editorial_office(client_for, editor, secretariat, seed):
    link = f'href="/admin/magazine/issue/{seed.pk}/pages/"'
    assert link in client_for(editor).get(f"/admin/pages/{seed.pk}/edit/").content.decode()
    assert link in client_for(editor).get(f"/admin/pages/{seed.pk}/").content.decode()
    article = ArticlePage.objects.child_of(seed).first()  # an article page offers no issue-wide forms
    assert "/admin/magazine/issue/" not in client_for(editor).get(f"/admin/pages/{article.pk}/edit/").content.decode()
