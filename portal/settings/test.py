"""Test settings: fast hashing, in-memory email and cache, temp media."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
_TMP = Path(tempfile.mkdtemp(prefix="portal-tests-"))
_OWNER = os.getpid()


@atexit.register
def _remove_temp_media() -> None:
    """Every test process made a temp dir with its uploads and left it behind (933 of them here)."""
    if os.getpid() == _OWNER:  # a forked child inherits the hook, not the directory
        shutil.rmtree(_TMP, ignore_errors=True)


MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private"
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "portal.core.uploads.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
WAGTAILADMIN_BASE_URL = SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
# Tests that prove these rules turn them on with the `settings` fixture.
PORTAL_REQUIRE_STAFF_MFA = False
PORTAL_PAGE_CACHE_SECONDS = 0
PORTAL_FRAGMENT_CACHE_SECONDS = 0

# Serve static files from the app/finder directories without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
