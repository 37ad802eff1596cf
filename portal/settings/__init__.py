"""Settings for KejinLink, read from the environment.

With no variables set this is the embedded default: SQLite, eager Celery,
console email, local-memory cache and a local media folder. ``DATABASE_URL``
and ``REDIS_URL`` switch to PostgreSQL and Redis. ``portal.settings.production``
builds on this module for deployments.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from portal.settings.helpers import env_bool, env_list, logging_config, private_storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-change-me-kejinlink-0123456789"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "ecosystem.core",
    "ecosystem.accounts",
    "ecosystem.zones",
    "ecosystem.registries",
    "ecosystem.enterprises",
    "ecosystem.financing",
    "ecosystem.chains",
    "ecosystem.funds",
    "ecosystem.insights",
    "ecosystem.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ecosystem.core.middleware.HostileInputMiddleware",
    "ecosystem.core.middleware.DatabaseBusyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ecosystem.accounts.middleware.StaffMFAMiddleware",
    "ecosystem.core.middleware.RoleMismatchMiddleware",
]

# Content-Security-Policy: scripts and styles come only from our own static files; no inline
# <script>, no on*= handlers, no style="" attributes (templates are checked by a test). The
# offline Swagger UI relaxes style-src for itself only (see portal/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ecosystem.accounts.context_processors.roles",
                "ecosystem.funds.context_processors.funds_nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)  # core/prepared.py; docs/deploy.md
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
#: PostgreSQL JIT-compiles a statement whose cost *estimate* passes ``jit_above_cost``,
#: which nationally a capped count or a scoped union does while it runs in a few hundred
#: milliseconds at most: ``EXPLAIN ANALYZE`` of a relationship manager's search count
#: showed 25 ms of compiling in 285 (docs/performance.md, session 17). Off for the
#: portal's connections unless ``DB_JIT=on`` (an analytics worker may want it).
DB_JIT = env_bool("DB_JIT", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not DB_JIT:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
#: After a web process's first request, the objects loading the portal left alive are
#: moved out of the garbage collector's reach (``core.gc_freeze``, docs/deploy.md).
GC_FREEZE = env_bool("GC_FREEZE", True)
#: Date-times read from PostgreSQL are parsed by psycopg's C code, not Django's Python
#: loader (``core.fast_datetimes``; the same values, tested).
FAST_DATETIMES = env_bool("FAST_DATETIMES", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")


def _redis_db(url: str, db: int) -> str:
    """The same Redis server, another database number (the cache never shares Celery's)."""
    base, _, last = url.rstrip("/").rpartition("/")
    return f"{base}/{db}" if last.isdigit() else f"{url.rstrip('/')}/{db}"


#: Seconds a call to Redis may wait to connect and for an answer (cache, broker, results):
#: with Redis down or black-holed, no request waits on it for more than a few seconds.
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "1"))
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "2"))

if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: with Redis unreachable, every call is a miss (ecosystem.core.cache).
            "BACKEND": "ecosystem.core.cache.FailOpenRedisCache",
            "LOCATION": os.environ.get("REDIS_CACHE_URL") or _redis_db(REDIS_URL, 1),
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kejinlink"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the login, verification is mandatory, staff roles never come from sign-up.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[KejinLink] "
ACCOUNT_ADAPTER = "ecosystem.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # "key" is the account and the client address (AccountAdapter): never a lockout.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
#: Behind a reverse proxy: how many proxies of ours append to X-Forwarded-For (allauth's
#: rate limits take the address that many from the right; a limit of our own must use
#: the account adapter's ``get_client_ip``), or the header a trusted proxy sets to the
#: client address. 0 and unset: REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "KejinLink"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
#: Evidence and imports: never served directly, only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "media" / "private"))
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
#: A list's upload (32 MB: ~290,000 CSV or 1,000,000 XLSX rows as the bench builds them),
#: unpacked size, PDF pages, rows per sheet, and size read inline (larger: by the worker).
LIST_UPLOAD_MAX_BYTES = int(os.environ.get("LIST_UPLOAD_MAX_BYTES", str(32 * 1024 * 1024)))
LIST_UNZIPPED_MAX_BYTES = int(os.environ.get("LIST_UNZIPPED_MAX_BYTES", str(400 * 1024 * 1024)))
LIST_PDF_MAX_PAGES = int(os.environ.get("LIST_PDF_MAX_PAGES", "300"))
LIST_MAX_ROWS = int(os.environ.get("LIST_MAX_ROWS", "1000000"))
LIST_INLINE_READ_BYTES = int(os.environ.get("LIST_INLINE_READ_BYTES", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440


#: Where evidence and uploaded lists live: empty for the local private folder, or an
#: ``s3://`` URL for object storage shared by many hosts (docs/deploy.md, "Many hosts").
STORAGE_URL = os.environ.get("STORAGE_URL", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": private_storage_from_url(STORAGE_URL),
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "KejinLink <noreply@kejinlink.local>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ecosystem.accounts.api.authentication.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "ecosystem.accounts.api.permissions.StaffHasSecondFactor",
        "ecosystem.accounts.api.permissions.TokenScope",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "ecosystem.core.api.pagination.CappedCountPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ecosystem.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KejinLink API",
    "DESCRIPTION": "Zones, program registries and banks serving technology-driven SMEs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Two models name a choice field "kind": give each its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "ImportRowKindEnum": "ecosystem.registries.models.ImportRowError.Kind",
        "KindEnum": "ecosystem.enterprises.models.claims.Evidence.Kind",
        "TargetUnitEnum": "ecosystem.financing.models.products.TargetUnit",
        "FinancingNeedPurposeEnum": "ecosystem.enterprises.models.figures.FinancingNeed.Purpose",
        "CollateralEnum": "ecosystem.enterprises.models.figures.FinancingNeed.Collateral",
    },
}

# Celery: eager in the embedded default, Redis as broker and result backend otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# A dead Redis fails a send within seconds (the outbox keeps the task for the sweeper)
# instead of retrying for 20 s. The worker's own consumer connection keeps retrying.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_DEFAULT_QUEUE", "default")
from portal.settings.schedule import CELERY_BEAT_SCHEDULE, CELERY_TASK_ROUTES  # noqa: E402, F401

CELERY_TIMEZONE = TIME_ZONE

INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "7"))
#: Open leads without any change for this many days expire (the enterprise is told).
LEAD_STALE_DAYS = int(os.environ.get("LEAD_STALE_DAYS", "30"))
#: Working hours of a working day (Beijing time), the clock of the banks' response and
#: decision targets (``ecosystem.core.worktime``).
WORKING_DAY_START = os.environ.get("WORKING_DAY_START", "09:00")
WORKING_DAY_END = os.environ.get("WORKING_DAY_END", "17:30")
STAFF_SESSION_AGE = int(os.environ.get("STAFF_SESSION_AGE", str(8 * 3600)))
#: Seconds without a request after which a staff session ends (on top of STAFF_SESSION_AGE).
STAFF_IDLE_TIMEOUT = int(os.environ.get("STAFF_IDLE_TIMEOUT", str(30 * 60)))
#: Staff API tokens (docs/api.md): a new token's lifetime in days unless chosen, the most
#: that may be chosen, and how often (seconds) its last-used time is written.
STAFF_TOKEN_DEFAULT_DAYS = int(os.environ.get("STAFF_TOKEN_DEFAULT_DAYS", "30"))
STAFF_TOKEN_MAX_DAYS = int(os.environ.get("STAFF_TOKEN_MAX_DAYS", "90"))
STAFF_TOKEN_TOUCH_SECONDS = 60
#: Seconds a second-factor check counts as fresh for creating or revoking a token.
STAFF_TOKEN_TOTP_FRESH_SECONDS = int(os.environ.get("STAFF_TOKEN_TOTP_FRESH_SECONDS", "300"))

# Every handler masks emails, credit codes and phone numbers (portal.settings.helpers).
LOGGING = logging_config(os.environ.get("LOG_LEVEL", "INFO"))

# Keep the label lazily translated for the admin site header.
ADMIN_SITE_HEADER = _("KejinLink administration")
