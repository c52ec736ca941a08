"""Issue #12.10: a double click (or a client retry) on a create form of the programme creates one record."""

import re

from django.urls import reverse

from showcase.models import Application, EvidenceFile

from .conftest import upload


def _token(client, url) -> str:
    return re.search(r'name="_once" value="([0-9a-f]{32})"', client.get(url).content.decode()).group(1)


def test_starting_an_application_twice_creates_one_draft(client_for, campaign, firm_a, firm_a_user):
    client = client_for(firm_a_user)
    token = _token(client, reverse("showcase:apply"))
    first = client.post(reverse("showcase:apply"), {"_once": token})
    second = client.post(reverse("showcase:apply"), {"_once": token})
    application = Application.objects.get(organisation=firm_a)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("showcase:edit", args=[application.pk])


def test_an_evidence_upload_posted_twice_is_stored_once(client_for, draft, firm_a_user, items):
    client = client_for(firm_a_user)
    url = reverse("showcase:evidence", args=[draft.pk])
    token = _token(client, url)
    for _attempt in range(2):
        response = client.post(url, {"_once": token, "item": items[0].pk, "file": upload("培训记录.pdf"), "note": ""})
        assert response.status_code == 302
    assert EvidenceFile.objects.filter(application=draft).count() == 1
    assert "此表单已经提交过，未重复提交。" in client.get(url).content.decode()
