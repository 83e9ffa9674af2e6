"""Django settings for Pressroom. Values that vary by deployment come from `pressroom.conf`."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from pressroom import conf

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR: Path = conf.read("PRESSROOM_DATA_DIR")
DEBUG: bool = conf.read("PRESSROOM_DEBUG")


def _secret_key() -> str:
    configured = conf.read("PRESSROOM_SECRET_KEY")
    if configured:
        return configured
    # A local or demo install keeps a generated key next to its database, so sessions survive
    # restarts without anyone having to invent a secret.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = conf.read("PRESSROOM_ALLOWED_HOSTS")
PRESSROOM_BASE_URL: str = conf.read("PRESSROOM_BASE_URL").rstrip("/")
conf.check_retired()
PRESSROOM_MEDIA_SENDER: str = conf.read("PRESSROOM_MEDIA_SENDER")
PRESSROOM_WEB_WORKERS: int = conf.read("PRESSROOM_WEB_WORKERS")
PRESSROOM_TRUSTED_PROXIES: list = conf.read("PRESSROOM_TRUSTED_PROXIES")
PRESSROOM_METRICS_TOKEN: str | None = conf.read("PRESSROOM_METRICS_TOKEN")
PRESSROOM_FOUR_EYES: bool = conf.read("PRESSROOM_FOUR_EYES")
PRESSROOM_WEBHOOK_ALLOW_PRIVATE: bool = conf.read("PRESSROOM_WEBHOOK_ALLOW_PRIVATE")
PRESSROOM_IMPORT_MAX_BYTES: int = conf.read("PRESSROOM_IMPORT_MAX_BYTES")
# Empty BACKEND: chosen by the database (pressroom.search.backends.BY_VENDOR).
PRESSROOM_SEARCH = {"BACKEND": conf.read("PRESSROOM_SEARCH_BACKEND") or ""}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "pressroom.core",
    "pressroom.releases",
    "pressroom.media",
    "pressroom.importer",
    "pressroom.site",
    "pressroom.search",
    "pressroom.workflow",
    "pressroom.desk",
    "pressroom.api",
    "pressroom.distribution",
    # Public HTTP caching: generation key, response cache, the share policy (signals of releases).
    "pressroom.publiccache",
    "django_tasks",
    "django_tasks_db",
    # Throttles failed log-ins (by user name and address); see AXES_* below.
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pressroom.security.SecurityHeadersMiddleware",
    # Inside the middleware that adds headers, so the API's JSON errors carry them too; nothing
    # before it reads a request body.
    "pressroom.api.middleware.JsonErrorsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The largest request body (the API's JSON, the desk's forms; photo files have their own limit,
# PRESSROOM_UPLOAD_MAX_BYTES): room for a release at every text limit of
# pressroom.releases.limits in both written languages, as a form encodes Chinese (nine bytes a
# character) or JSON escapes it (six). docs/api.md promises it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

ROOT_URLCONF = "pressroom.urls"
WSGI_APPLICATION = "pressroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


# WAL lets the site read while the importer or the worker writes.
_SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def _databases() -> dict:
    url = conf.read("DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if database["ENGINE"] == "django.db.backends.sqlite3":
            # A sqlite:/// URL (a test's worker process pointed at the test database file).
            database.update(OPTIONS=dict(_SQLITE_OPTIONS), CONN_MAX_AGE=0)
        return {"default": database}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "pressroom.sqlite3",
            "OPTIONS": dict(_SQLITE_OPTIONS),
            # Tests get a database file, not memory, so a worker started as its own process
            # (tests/distribution) can open the same database.
            "TEST": {"NAME": str(DATA_DIR / "test-pressroom.sqlite3")},
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文"), ("zh-hans", "简体中文")]
# Stored instants are UTC; everything shown to people is Hong Kong time.
TIME_ZONE = "Asia/Hong_Kong"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves app static files through its finders, but warns at every start when the
# collectstatic folder does not exist yet; an empty one costs nothing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files from the app folders without collectstatic in the embedded default.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
# https deployments set PRESSROOM_SECURE_COOKIES so session and CSRF cookies never travel in clear.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = conf.read("PRESSROOM_SECURE_COOKIES")
# A desk session ends after a working day without activity.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
LOGIN_URL = "/desk/login/"
LOGIN_REDIRECT_URL = "/desk/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed log-ins for one user name from one address lock that pair out for 15 minutes:
# the pair, so that nobody can lock a user out from another address. The address is the
# client's behind a trusted proxy (PRESSROOM_TRUSTED_PROXIES), not nginx's.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "pressroom.utils.client.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "desk/locked_out.html"
AXES_VERBOSE = False
PRESSROOM_UPLOAD_MAX_BYTES: int = conf.read("PRESSROOM_UPLOAD_MAX_BYTES")
PRESSROOM_UPLOAD_MAX_PIXELS: int = conf.read("PRESSROOM_UPLOAD_MAX_PIXELS")
FILE_UPLOAD_PERMISSIONS = 0o644
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "pressroom": {"handlers": ["console"], "level": conf.read("PRESSROOM_LOG_LEVEL")},
    },
}

# Distribution: the task queue (django-tasks), e-mail over SMTP, the worker.
REDIS_URL: str | None = conf.read("REDIS_URL")
PRESSROOM_TASKS_BACKEND: str = conf.read("PRESSROOM_TASKS_BACKEND") or (
    "rq" if REDIS_URL else "database"
)
if PRESSROOM_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PRESSROOM_WORKER_THREADS: int = conf.read("PRESSROOM_WORKER_THREADS")
PRESSROOM_WORKER_DATABASE_WAIT_SECONDS: int = conf.read("PRESSROOM_WORKER_DATABASE_WAIT_SECONDS")
PRESSROOM_TASK_RESULTS_KEEP_DAYS: int = conf.read("PRESSROOM_TASK_RESULTS_KEEP_DAYS")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST: str = conf.read("EMAIL_HOST")
EMAIL_PORT: int = conf.read("EMAIL_PORT")
EMAIL_HOST_USER: str = conf.read("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD: str = conf.read("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS: bool = conf.read("EMAIL_USE_TLS")
EMAIL_USE_SSL: bool = conf.read("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL: str = conf.read("DEFAULT_FROM_EMAIL")
# Delivery channels, the Django way: a dotted BACKEND per channel (tests swap in locmem).
PRESSROOM_DISTRIBUTION_CHANNELS = {
    "email": {"BACKEND": "pressroom.distribution.channels.email.EmailChannel"},
    "webhook": {"BACKEND": "pressroom.distribution.channels.webhook.WebhookChannel"},
}
# Retries: attempt n waits RETRY_BASE_SECONDS * 2**(n-1), at most RETRY_CAP_SECONDS; after
# MAX_ATTEMPTS failures a delivery is a dead letter (shown on the desk with "retry").
PRESSROOM_DELIVERY_RETRY = {"BASE_SECONDS": 30, "CAP_SECONDS": 3600, "MAX_ATTEMPTS": 8}

# Operations (pressroom.ops): /healthz, /metrics and the cache.
INSTALLED_APPS.append("pressroom.ops")
# First, so that the latency it records covers every other middleware (WhiteNoise included).
MIDDLEWARE.insert(0, "pressroom.ops.middleware.RequestMetricsMiddleware")
MIDDLEWARE.insert(1, "pressroom.publiccache.middleware.SharedCacheMiddleware")
MIDDLEWARE.insert(2, "pressroom.ops.middleware.WaitForDatabaseMiddleware")
PRESSROOM_DATABASE_WAIT_MS: int = conf.read("PRESSROOM_DATABASE_WAIT_MS")
PRESSROOM_STALE_IF_ERROR: bool = conf.read("PRESSROOM_STALE_IF_ERROR")
PRESSROOM_MICROCACHE_SECONDS: int = conf.read("PRESSROOM_MICROCACHE_SECONDS")
PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS: int = conf.read(
    "PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS"
)
PRESSROOM_GENERATION_REREAD_MS: int = conf.read("PRESSROOM_GENERATION_REREAD_MS")
PRESSROOM_LOCAL_CACHE_MB: int = conf.read("PRESSROOM_LOCAL_CACHE_MB")
# prometheus_client reads this when it is first imported: every web worker writes its samples
# to files here and /metrics sums them (`pressroom serve` empties the folder when it starts).
PRESSROOM_METRICS_DIR = DATA_DIR / "metrics"
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(PRESSROOM_METRICS_DIR))
Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
PRESSROOM_EXPECT_WORKER: bool = conf.read("PRESSROOM_EXPECT_WORKER")
PRESSROOM_CACHE_URL: str | None = conf.read("PRESSROOM_CACHE_URL") or REDIS_URL
# Shared by every web worker when Redis is configured: the response cache's pages
# (pressroom.publiccache.responses), throttling counters, anything cached.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": PRESSROOM_CACHE_URL,
            "KEY_PREFIX": "pressroom",
        }
        if PRESSROOM_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
