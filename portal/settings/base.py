"""Settings shared by every environment.

Everything that differs between machines comes from the environment; see README
("Configuration"). dev/test/production import from here and override.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SHARED_DIR = Path(os.environ.get("PORTAL_SHARED_DIR", BASE_DIR.parent / "shared"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours first so our templates and translations win.
    "portal.accounts",
    "portal.core",
    "portal.organisations",
    "portal.privacy",
    "portal.magazine",
    "portal.services",
    "members",
    "showcase",
    "showcase.awards",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise and the page cache, so that every response carries it.
    "portal.core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole-response cache for anonymous GETs (see portal/core/cache.py), outside CSP, sessions and
    # the locale: a hit is answered here, with the headers those added when the page was stored.
    "portal.core.cache.AnonymousPageCacheMiddleware",
    # django-csp with a relaxed script-src under /admin/ only; see portal/core/security.py.
    "portal.core.security.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.core.middleware.ChineseFirstLocaleMiddleware",
    # The Wagtail Site from the cache instead of a query per request; see portal/core/routing.py.
    "portal.core.routing.CachedSiteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses oversized bodies from Content-Length alone; before CSRF reads the body.
    "portal.core.request_limits.RequestSizeLimitMiddleware",
    "portal.core.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.AdminAccessMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL, else a SQLite file in the project (ignored by git).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server and run_due_jobs share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
# PostgreSQL that hangs must not hang requests (README "Operations"): libpq gives up connecting
# after DB_CONNECT_TIMEOUT s, the server cancels a statement (or lock wait) after
# DB_STATEMENT_TIMEOUT ms, and portal.core.postgres cuts any round trip the server leaves
# unanswered for DB_CLIENT_TIMEOUT s, then skips the database for DB_RETRY_SECONDS (503 pages).
# 0 turns a timeout off; manage.py does so for the statement timeout (and so the client deadline)
# unless DB_STATEMENT_TIMEOUT is set: migrations, imports and backups may run long statements.
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "3"))
DB_STATEMENT_TIMEOUT = int(os.environ.get("DB_STATEMENT_TIMEOUT", "5000"))
DB_CLIENT_TIMEOUT = float(os.environ.get("DB_CLIENT_TIMEOUT", DB_STATEMENT_TIMEOUT / 1000 + 2 if DB_STATEMENT_TIMEOUT else 0))
DB_RETRY_SECONDS = float(os.environ.get("DB_RETRY_SECONDS", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "portal.core.postgres"
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    if DB_CONNECT_TIMEOUT:
        _pg_options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    if os.environ.get("DB_SERVER_SIDE_BINDING", "1") != "0":
        # Parameters bound by the server, so psycopg prepares the statements a connection repeats
        # (parsed and planned once, not on every request: a few % more cold-page throughput,
        # README "Benchmarks"). DB_SERVER_SIDE_BINDING=0 behind a transaction-pooling proxy
        # (PgBouncer's transaction mode cannot keep prepared statements).
        _pg_options["server_side_binding"] = True
        _pg_options["prepare_threshold"] = 5  # psycopg's own default (Django turns preparing off)
    if DB_STATEMENT_TIMEOUT:
        _pg_options["options"] = f"{_pg_options.get('options', '')} -c statement_timeout={DB_STATEMENT_TIMEOUT}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# allauth's backend only (it extends ModelBackend, so permissions are unchanged): nothing
# authenticates by username, and logins go through allauth's flow (issue #12.1).
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private uploads (application letters, licences, evidence) never live under
# MEDIA_URL: they are served only by permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "portal.core.uploads.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# Request size limits (README "Security"; portal/core/request_limits.py). Bodies are refused
# from their Content-Length before being read: anonymous visitors send at most one file (an
# objection's evidence), logged-in users two (a membership application).
PORTAL_MAX_ANONYMOUS_REQUEST_BYTES = UPLOAD_MAX_BYTES + 1024 * 1024
PORTAL_MAX_REQUEST_BYTES = 2 * UPLOAD_MAX_BYTES + 1024 * 1024
# The non-file part of a body (form fields, the page editor's JSON), held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = UPLOAD_MAX_BYTES
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "docx", "xlsx", "csv"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Documents and images get the content checks of private uploads (portal/core/uploads), and
# documents are always downloaded, never shown inline in the site's origin.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.core.uploads.wagtail_forms.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.core.uploads.wagtail_forms.ImageForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024

# Cache: local memory unless CACHE_URL (redis://...) is set. Redis sits behind
# portal.core.resilient_cache: refused or hung, it costs each process one short socket timeout
# per CACHE_RETRY_SECONDS and pages are served uncached meanwhile (README "Operations").
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHE_SOCKET_TIMEOUT = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.5"))
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "5"))


def redis_caches(url: str) -> dict:
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.retry import Retry

    return {
        "default": {
            "BACKEND": "portal.core.resilient_cache.ResilientCache",
            "LOCATION": url,
            "OPTIONS": {
                "BACKEND": "django_redis.cache.RedisCache",
                "OPTIONS": {
                    "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                    "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                    # A pooled connection Redis closed (it restarted) is retried once on a new one;
                    # a timeout (Redis hung) is not retried.
                    "CONNECTION_POOL_KWARGS": {"retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,))},
                },
                "RETRY_AFTER": CACHE_RETRY_SECONDS,
                # Login rate limits and used TOTP codes: kept per process while Redis is away.
                "LOCAL_FALLBACK_PREFIXES": ["allauth:rl:", "allauth.mfa.totp.used"],
            },
        }
    }


def local_caches() -> dict:
    """One server without Redis (e.g. SQLite, `make run`'s database, in production): Django's
    DatabaseCache, shared by every worker of the server (and by servers sharing a PostgreSQL
    database), so pages, fragments, invalidations and login rate limits hold across workers. Its
    table comes with `migrate` (core migration 0007). Chosen over FileBasedCache: reads cost the
    same here (~0.3 ms for a page and its versions), writes a third (it lists no directory).
    """
    return {"default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PORTAL_LOCAL_CACHE_ENTRIES", "20000")), "CULL_FREQUENCY": 4},
    }}


if CACHE_URL.startswith("redis"):
    CACHES = redis_caches(CACHE_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}

# Email: console in dev; SMTP settings from the environment in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "浙江省信用协会 <noreply@zjxyxh.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds a mail server may take per exchange (connect, each reply) before a send fails and the
# email stays queued for the retry (portal/core/mail.py).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Send emails after commit on a background thread of the process (production), so a slow or
# unreachable mail server never delays a request; inline elsewhere (tests see them at once).
PORTAL_EMAIL_IN_BACKGROUND = env_bool("PORTAL_EMAIL_IN_BACKGROUND", False)

# Wagtail.
WAGTAIL_SITE_NAME = "浙江省信用协会"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No third-party avatar requests (staff email hashes would go to gravatar.com).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_PASSWORD_RESET_ENABLED = False  # password reset goes through allauth

# django-allauth: email login, mandatory verification, rate limits.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "【浙江省信用协会】"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
ACCOUNT_RATE_LIMITS = {
    # Failed logins: 10 a minute per address; 5 per 5 minutes and 20 an hour per address and
    # account (the "key" is both, see portal.accounts.adapter), so a stranger locks only their
    # own address out of someone's account; and 60 an hour per account over all addresses.
    "login_failed": "10/m/ip,5/300s/key,20/h/key",
    "login_failed_account": "60/h/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "portal.accounts.adapter.PortalAccountAdapter"
FORM_RENDERER = "portal.core.forms.PortalFormRenderer"  # required-field marker, full-width label colon (#14.18)
ACCOUNT_USER_DISPLAY = "portal.accounts.display.user_display"  # the name or the address, never the username
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "浙江省信用协会"
# Staff roles (portal.accounts.roles.MFA_ROLES) must set up TOTP before using the
# admin or any role-only view; dev and test settings turn this off.
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", True)

# Whole-response cache of public pages for anonymous visitors (seconds; 0 = off).
# Invalidate with portal.core.cache.invalidate_public_pages(); see docs/CONVENTIONS.md "Caching".
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "300"))
# Fragments of public pages ({% publiccache %}) and the Wagtail Site lookup, for every visitor,
# until public data changes (seconds; 0 = off). See portal/core/cache.py and portal/core/routing.py.
PORTAL_FRAGMENT_CACHE_SECONDS = int(os.environ.get("PORTAL_FRAGMENT_CACHE_SECONDS", "3600"))

# Reverse proxies whose X-Forwarded-For we believe (CIDR networks, comma-separated; default
# none: the client is REMOTE_ADDR). See portal/core/network.py and README "Security".
PORTAL_TRUSTED_PROXIES = env_list("PORTAL_TRUSTED_PROXIES")

# Security headers that hold in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
# Browser features no page of the portal uses (portal.core.security.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    **{feature: [] for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "encrypted-media",
        "geolocation", "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment",
        "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )},
    "fullscreen": ["self"],
}
# Content-Security-Policy without inline scripts (django-csp 4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Wagtail's admin uses inline styles; our own pages do not need them. Under
        # /admin/ only, script-src also allows 'unsafe-inline' (portal.core.security).
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# PDFs: an embedded TrueType CJK font; see portal/core/pdf.py.
PDF_CJK_FONT_PATH = os.environ.get("PDF_CJK_FONT_PATH", "")
PDF_CJK_FONT_SEARCH = env_bool("PDF_CJK_FONT_SEARCH", True)  # 0: only PDF_CJK_FONT_PATH (test a font-less machine)

# The real 2019-3 issue the demo imports (never copied into the repository).
DEMO_ISSUE_PATH = Path(
    os.environ.get("DEMO_ISSUE_PATH", SHARED_DIR / "seeds" / "000_fe858ee6685ef5a2.txt")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "portal": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "jieba": {"level": "WARNING"},
    },
}

# Django 6 behaviour now: URL form fields assume https.
FORMS_URLFIELD_ASSUME_HTTPS = True

# Personal information (portal.privacy): the consent box on sign-up, the re-consent check after login
# and the log of staff views of a person's details. See README "Personal information".
ACCOUNT_SIGNUP_FORM_CLASS = "portal.privacy.forms.SignupConsentForm"
MIDDLEWARE += [
    "portal.privacy.middleware.ConsentMiddleware",
    "portal.privacy.middleware.PersonalDataAccessLogMiddleware",
]
