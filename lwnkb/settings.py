"""lwnkb settings: everything a deployment changes comes from ``LWNKB_*`` variables.

With nothing set, lwnkb runs on an embedded default (SQLite and a search
index under ``var/``, Celery tasks run inline). Production differs only by
environment; docs/configuration.md describes every variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from lwnkb.env import (
    env_bool,
    env_choice,
    env_cron,
    env_float,
    env_int,
    env_list,
    env_path,
    env_rate,
    env_str,
    env_url,
)

# Lets admin and generic views be subscripted at runtime, as the type stubs expect.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
DATA_DIR = env_path("DATA_DIR", BASE_DIR / "var")
INDEX_DIR = env_path("INDEX_DIR", DATA_DIR / "index")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "LWNKB_SECRET_KEY must be set when LWNKB_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    # A fixed key is acceptable only for local development, where DEBUG is on.
    SECRET_KEY = "lwnkb-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "articles",
]

MIDDLEWARE = [
    # Outermost, so every answer carries CSP, Permissions-Policy and X-Frame-Options:
    # also /static/ (WhiteNoise answers before anything below it) and redirects.
    "lwnkb.security.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer on its own, so preflights and redirects get CORS.
    "corsheaders.middleware.CorsMiddleware",
    # JSON errors under /api/ for every answer below it (unmatched routes, 500s, the
    # input guards), and before CommonMiddleware's APPEND_SLASH redirect.
    "lwnkb.api_errors.ApiErrorMiddleware",
    # gunicorn serves /static/ itself in production (collected by the Dockerfile).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lwnkb.security.LoginRateLimitMiddleware",
    "lwnkb.request_limits.RequestSizeLimitMiddleware",
    # After the size limit: it may read a JSON body to measure its depth.
    "lwnkb.bad_input.BadInputMiddleware",
    # Innermost, so they see the user DRF authenticated and the view's own headers.
    "lwnkb.throttling.RateLimitHeadersMiddleware",
    "articles.api.caching.ApiValidatorsMiddleware",
]

ROOT_URLCONF = "lwnkb.urls"
WSGI_APPLICATION = "lwnkb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
_SQLITE_DEFAULT = DATA_DIR / "lwnkb.sqlite3"
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{_SQLITE_DEFAULT}",
    schemes=("sqlite", "postgres", "postgresql"),
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create the folder holding its file; the embedded default must just work.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A covering index's INCLUDE columns (the hardware list's) serve PostgreSQL's
    # index-only counts; SQLite builds the index without them, which is all it needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL compiles a query to machine code once its estimated cost passes
    # jit_above_cost. At full size the paywall subqueries' estimates (thousands of
    # locked articles guessed, none found) carry sub-millisecond page queries past it:
    # the hardware list's categories spent 13 ms compiling for 1 ms of work, and only
    # at full size. Off unless LWNKB_DATABASE_JIT=true (docs/configuration.md).
    if not env_bool("DATABASE_JIT", False):
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
    # Lets concurrent test runs (several checkouts, CI beside a developer) not collide.
    if _test_db_name := env_str("TEST_DATABASE_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": _test_db_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_path("STATIC_ROOT", DATA_DIR / "static")
# In development, serve straight from the app folders; production serves STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Cache and login rate limit ----------------------------------------------------
# Shared by the login limit and API throttling; use Redis when several processes serve.
CACHE_URL = env_url("CACHE_URL", "locmem://", schemes=("locmem", "redis", "rediss"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lwnkb"}
        if CACHE_URL.startswith("locmem")
        else {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    )
}
LOGIN_RATE_LIMIT = env_int("LOGIN_RATE_LIMIT", 10, minimum=1)
LOGIN_RATE_WINDOW = env_int("LOGIN_RATE_WINDOW", 300, minimum=1)
# Every password form, by view name (DRF's browsable-API login, should it be mounted).
LOGIN_RATE_LIMIT_VIEWS = frozenset({"admin:login", "rest_framework:login"})

# --- Celery ------------------------------------------------------------------
BROKER_URL = env_url("BROKER_URL", "", schemes=("redis", "rediss", "amqp", "memory"))
CELERY_BROKER_URL = BROKER_URL or "memory://"
# Without a broker the embedded default runs tasks inline, so `make run` needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("TASK_TIME_LIMIT", 600, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = max(5, CELERY_TASK_TIME_LIMIT - 30)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fixup closes the database connection before and after every task
# unless this is set, so each task paid for a new PostgreSQL backend: its fork, its
# catalog caches and the tally triggers compiled again (about 40 of a link task's 80 ms
# at scale 0.01). Set, the fixup closes them only every this many tasks, and
# ``lwnkb.celery`` applies ``CONN_MAX_AGE`` and the health checks between tasks
# instead, as Django does between requests.
CELERY_DB_REUSE_MAX = 1000
# A worker killed mid-task never acknowledges its message (acks late); Redis hands the
# message to another worker once it has gone unacknowledged this long. Keep it longer
# than a task normally runs, or a slow task is delivered twice (harmless but wasted:
# tasks are idempotent, and an index rebuild holds the index lock).
BROKER_VISIBILITY_TIMEOUT = env_int("BROKER_VISIBILITY_TIMEOUT", 3600, minimum=2)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    # Look for such messages ten times per timeout, at least every 10 s (kombu's
    # throttled default looks every 100 s, which would dwarf a short timeout).
    "unacked_restore_interval": max(1, min(10, BROKER_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    # A broker that vanishes without closing the connection (failover, a dropped NAT
    # entry) must fail a publish, not hang the web request making it.
    "socket_connect_timeout": 5,
    "socket_timeout": 30,
}
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ROUTES = {"articles.tasks.index_*": {"queue": "index"}}
# Periodic work. Change a schedule with a five-field cron expression in the
# environment (minute hour day-of-month month day-of-week), e.g.
# LWNKB_SCHEDULE_NEW_EDITION="30 20 * * thu"; an empty value disables the entry.
CELERY_BEAT_SCHEDULE = {
    name: {"task": task, "schedule": schedule}
    for name, task, schedule in (
        # LWN publishes the weekly edition on Thursdays (UTC evening in practice).
        (
            "import-new-edition",
            "articles.tasks.import_current_edition",
            env_cron("SCHEDULE_NEW_EDITION", "15 22 * * thu"),
        ),
        # The home page, for items posted between editions, and their own pages.
        (
            "import-front-page",
            "articles.tasks.import_front_page",
            env_cron("SCHEDULE_FRONT_PAGE", "5 */6 * * *"),
        ),
        (
            "refresh-recent-comments",
            "articles.tasks.refresh_recent_comments",
            env_cron("SCHEDULE_REFRESH_COMMENTS", "40 3 * * *"),
        ),
        # Follow-ups a broker outage held back, and imports a killed worker left running.
        (
            "sweep-imports",
            "articles.tasks.sweep_imports",
            env_cron("SCHEDULE_SWEEP_IMPORTS", "*/10 * * * *"),
        ),
    )
    if schedule is not None
}

# --- Fetching from lwn.net -----------------------------------------------------
# Only for tests and mirrors: the fetcher accepts lwn.net and this base URL's host.
LWN_BASE_URL = env_url("LWN_BASE_URL", "https://lwn.net", schemes=("https", "http")).rstrip("/")
LWN_USER_AGENT = env_str(
    "USER_AGENT", "lwnkb/0.1 (self-hosted LWN archive; +https://github.com/lwnkb/lwnkb)"
)
LWN_REQUEST_INTERVAL = env_float("FETCH_INTERVAL", 1.0, minimum=0.0)
# Never logged, never stored in the database: read only by the fetcher.
LWN_COOKIE = env_str("LWN_COOKIE")
FETCH_CACHE_DIR = env_path("FETCH_CACHE_DIR", DATA_DIR / "http-cache")
# Cached pages not fetched or revalidated for this many days are removed (once a day,
# by whichever fetcher starts first); comments are refreshed for three weeks.
FETCH_CACHE_DAYS = env_int("FETCH_CACHE_DAYS", 90, minimum=1)

# --- Search ------------------------------------------------------------------
SEARCH_BACKEND = env_choice("SEARCH_BACKEND", "whoosh", choices=("whoosh", "postgres"))
# How long an index writer waits for the index lock before the task retries later.
SEARCH_LOCK_TIMEOUT = env_float("SEARCH_LOCK_TIMEOUT", 10.0, minimum=0.0)
# Memory the index writer may use for its posting pool before spilling to disk, and
# how many processes a rebuild indexes with: 0 chooses (the machine's cores, at most
# four, for a rebuild of 5,000 documents or more; one process below that).
SEARCH_WRITER_MB = env_int("SEARCH_WRITER_MB", 128, minimum=16, maximum=4096)
SEARCH_WRITER_PROCS = env_int("SEARCH_WRITER_PROCS", 0, minimum=0, maximum=16)

# --- REST framework ------------------------------------------------------------
# Per client address (anonymous) and per account; an empty value switches one off.
API_RATE_ANON = env_rate("API_RATE_ANON", "60/min")
API_RATE_USER = env_rate("API_RATE_USER", "600/min")
# Seconds an anonymous API answer is reused from Django's cache (above); 0 is off.
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 0 if DEBUG else 5, minimum=0, maximum=3600)
# Seconds any cache may keep an answer that is the same for every anonymous reader (API
# GETs without credentials, feeds): Cache-Control: public, max-age=N. 0 is no-cache.
PUBLIC_MAX_AGE = env_int("PUBLIC_MAX_AGE", 0 if DEBUG else 60, minimum=0, maximum=86_400)
# CORS (django-cors-headers): other sites' scripts may read anonymous GETs under /api/,
# never with credentials. "*" is any origin; an empty value switches CORS off.
CORS_ORIGINS = (
    env_list("CORS_ALLOWED_ORIGINS", ["*"]) if env_str("CORS_ALLOWED_ORIGINS", "*") else []
)
CORS_ALLOW_ALL_ORIGINS = CORS_ORIGINS == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else CORS_ORIGINS
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
# No Authorization: a token sent from another site's script is not what CORS is for here.
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = (
    "ETag",
    "Last-Modified",
    "Link",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
)
REST_FRAMEWORK = {
    # Documents the error answers (400/401/403/404/429) of every operation.
    "DEFAULT_SCHEMA_CLASS": "articles.api.errors.ErrorSchema",
    # One error shape: {"detail", "code", "errors"}.
    "EXCEPTION_HANDLER": "articles.api.errors.api_exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Tokens for tools and scripts; the session for someone logged in to the site.
    # Token first, so an anonymous write is answered 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "lwnkb.throttling.AnonThrottle",
        "lwnkb.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_RATE_ANON, "user": API_RATE_USER},
}
SPECTACULAR_SETTINGS = {
    # Swagger UI served from this site (no CDN) and without inline script, for the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "lwnkb API",
    "DESCRIPTION": "A self-hosted, searchable and cross-linked archive of LWN.net weekly editions.",
    "VERSION": "1",
    # Separate request and response components, so read-only fields are not asked for.
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind"; name each choice set instead of numbering them.
    "ENUM_NAME_OVERRIDES": {
        "ArticleKindEnum": "articles.models.ArticleKind",
        "EntityKindEnum": "articles.models.EntityKind",
        "ImportKindEnum": "articles.api.actions.IMPORT_KINDS",
    },
}
# Only for `make bench`: /bench/floor/ answers a fixed JSON body, the throughput floor
# the API is measured against. Off everywhere else.
BENCH_FLOOR = env_bool("BENCH_FLOOR", False)

# --- Limits on hostile input ----------------------------------------------------------
# The largest page lwnkb imports, from a file, lwn.net or a task; LWN's biggest one-page
# editions are about 1 MB.
MAX_PAGE_BYTES = env_int("MAX_PAGE_BYTES", 20 * 1024 * 1024, minimum=1024)
# Seconds the parser may spend on one page before its import fails (0: no limit). A
# damaged page can make it quadratic (see articles/services/parse_limits.py).
PARSE_TIME_LIMIT = env_float("PARSE_TIME_LIMIT", 60.0, minimum=0.0)
# The largest request body read (admin forms, API JSON); larger ones are answered 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 2_621_440, minimum=1024)

# --- Logging -------------------------------------------------------------------
LOG_LEVEL = env_choice(
    "LOG_LEVEL", "info", choices=("debug", "info", "warning", "error", "critical")
).upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"lwnkb": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}

# --- Production hardening ----------------------------------------------------------
if not DEBUG:
    # Behind a TLS-terminating proxy, trust its X-Forwarded-Proto (see docs/deployment.md).
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# Sample pages `make run` loads into an empty archive (our own LWN-format fixtures).
SAMPLES_DIR = env_path("SAMPLES_DIR", BASE_DIR / "tests" / "fixtures" / "lwn")
