"""The titles' staff lists are generic viewsets: the derived status filters, search and export work."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_titles_list_filters_by_derived_status_and_exports(client_for, secretariat, firm_a, firm_b, awarded):
    expired = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=3 * 365))
    valid = awarded(firm_b, timezone.localdate() - datetime.timedelta(days=30))
    client = client_for(secretariat)
    url = reverse("awards_titles:index")
    page = client.get(url, {"status": "expired"}).content.decode()
    assert expired.certificate_number in page and valid.certificate_number not in page
    assert reverse("awards_admin:title", args=[expired.pk]) in page
    assert valid.certificate_number in client.get(url, {"q": valid.unit_name}).content.decode()
    export = b"".join(client.get(url, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert expired.certificate_number in export and "expired" in export
