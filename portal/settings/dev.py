"""Local development: DEBUG on, console email, SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import SECRET_KEY as _BASE_SECRET_KEY

DEBUG = True
SECRET_KEY = _BASE_SECRET_KEY or "dev-only-not-secret-0f6c2a7e9b"
INTERNAL_IPS = ["127.0.0.1"]
