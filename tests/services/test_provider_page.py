"""A provider's page lists its services with their names, categories and fees (issue #14, axe `link-name`: the
rows held empty links, because the site header's navigation variable `items` replaced the page's own)."""

import re

from django.urls import reverse


def test_provider_page_rows_name_each_service_its_category_and_fee(client, audit_item):
    provider = audit_item.provider
    body = client.get(reverse("services:provider", args=[provider.pk])).content.decode()
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", body, re.S)
    assert len(rows) == provider.items.filter(is_active=True).count() == 3
    assert '<a href=""' not in body
    assert (f'<a href="{audit_item.get_absolute_url()}">审计、验资</a></td><td><a href="'
            f'{audit_item.category.get_absolute_url()}">{audit_item.category.name}</a></td>'
            f"<td>1560 元起，按资产总额的 0.39‰ 计收") in body
