"""Local development: DEBUG on, console email, SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import SECRET_KEY as _BASE_SECRET_KEY
from .base import env_bool

DEBUG = True
SECRET_KEY = _BASE_SECRET_KEY or "dev-only-not-secret-0f6c2a7e9b"
INTERNAL_IPS = ["127.0.0.1"]
# The printed demo accounts log straight into the admin without an authenticator.
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", False)

# Serve static files from the app/finder directories without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
