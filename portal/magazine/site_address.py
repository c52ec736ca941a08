"""The Wagtail Site's address follows ``settings.SITE_URL``.

Wagtail builds absolute page addresses (the sitemap's, ``full_url``) from the Site record's
hostname and port; its placeholder ``localhost:80`` made ``sitemap.xml`` list
``http://localhost/…``. No model imports here: the data migration uses it with its historical
model.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


def site_address() -> tuple[str, int]:
    """(hostname, port) of ``settings.SITE_URL``."""
    parts = urlsplit(settings.SITE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def align_site(site_model=None) -> bool:
    """Give the default Wagtail Site the host and port of ``settings.SITE_URL``; True when changed.

    ``site_model`` is the historical model in a migration. Another Site already holding that
    address is left alone (logged), since hostname and port are unique together.
    """
    if site_model is None:
        from wagtail.models import Site as site_model
    hostname, port = site_address()
    site = site_model.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    if site_model.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        logger.warning(
            "Another Site already uses %s:%s; the default Site keeps %s:%s", hostname, port, site.hostname, site.port
        )
        return False
    site.hostname, site.port = hostname, port
    site.save()
    return True
