"""Several evidence files in one upload, filed under the item chosen, which stays chosen for the next upload
(issue #14.11): before, one file per request and the selector jumped back to 1.1."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from showcase.models import EvidenceFile

from .conftest import upload
from .test_double_submit import _token


def _selected_item(body: str) -> str:
    select = re.search(r'<select name="item".*?</select>', body, re.S).group(0)
    return re.findall(r'<option value="(\d+)" selected>', select)


def test_three_files_at_once_go_under_the_chosen_item_which_stays_chosen(client_for, draft, firm_a_user, items):
    client = client_for(firm_a_user)
    url = reverse("showcase:evidence", args=[draft.pk])
    item = items[2]  # 1.3, not the first item
    files = [upload("网站公示截图.pdf"), upload("媒体报道.pdf"), upload("典型案例.pdf")]
    response = client.post(url, {"_once": _token(client, url), "item": item.pk, "file": files, "note": "对外公开"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?item={item.pk}#upload"
    stored = EvidenceFile.objects.filter(application=draft).order_by("pk")
    assert [(e.item_id, e.original_name, e.note) for e in stored] == [
        (item.pk, "网站公示截图.pdf", "对外公开"), (item.pk, "媒体报道.pdf", "对外公开"), (item.pk, "典型案例.pdf", "对外公开")]
    page = client.get(response["Location"])
    assert _selected_item(page.content.decode()) == [str(item.pk)]
    assert [str(m) for m in page.context["messages"]] == ["已向第 1.3 项添加 3 个文件：网站公示截图.pdf、媒体报道.pdf、典型案例.pdf。"]
    assert 'type="file" name="file" multiple' in page.content.decode()


def test_the_same_upload_posted_twice_is_stored_once(client_for, draft, firm_a_user, items):
    client = client_for(firm_a_user)
    url = reverse("showcase:evidence", args=[draft.pk])
    token = _token(client, url)
    for _attempt in range(2):
        response = client.post(url, {"_once": token, "item": items[1].pk, "file": [upload("a.pdf"), upload("b.pdf")],
                                     "note": ""})
        assert response.status_code == 302
    assert EvidenceFile.objects.filter(application=draft).count() == 2


def test_one_bad_file_stores_none_names_it_and_keeps_the_item(client_for, draft, firm_a_user, items):
    client = client_for(firm_a_user)
    url = reverse("showcase:evidence", args=[draft.pk])
    bad = SimpleUploadedFile("扫描件.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(url, {"_once": _token(client, url), "item": items[4].pk,
                                 "file": [upload("承诺书.pdf"), bad], "note": ""})
    assert response.status_code == 200
    assert EvidenceFile.objects.filter(application=draft).count() == 0
    body = response.content.decode()
    assert "扫描件.pdf：" in body
    assert _selected_item(body) == [str(items[4].pk)]


def test_no_file_chosen_is_an_error(client_for, draft, firm_a_user, items):
    client = client_for(firm_a_user)
    url = reverse("showcase:evidence", args=[draft.pk])
    response = client.post(url, {"_once": _token(client, url), "item": items[0].pk, "note": ""})
    assert response.status_code == 200
    assert EvidenceFile.objects.filter(application=draft).count() == 0
