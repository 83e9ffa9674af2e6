"""Every setting Pressroom reads from the environment, declared once with its help text.

Settings are read here and nowhere else, so that `docs/settings.md` (checked by a test) can list
them all and a wrong value fails at start-up with the setting's name, not deep inside a request.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class SettingError(ValueError):
    """An environment variable holds a value Pressroom cannot use."""


def _boolean(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SettingError(f"{name}={raw!r}: expected true or false")


def _text(name: str, raw: str) -> str:
    return raw


def _path(name: str, raw: str) -> Path:
    return Path(raw).expanduser().resolve()


def _word_list(name: str, raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r}: expected a whole number") from None
    if value <= 0:
        raise SettingError(f"{name}={raw!r}: expected a number above zero")
    return value


def _whole_number(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r}: expected a whole number") from None
    if value < 0:
        raise SettingError(f"{name}={raw!r}: expected zero or more")
    return value


def _networks(name: str, raw: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for part in _word_list(name, raw):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise SettingError(
                f"{name}={raw!r}: {part!r} is not an IP address or network (e.g. 10.0.0.0/8)"
            ) from None
    return networks


def _tasks_backend(name: str, raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"database", "rq"}:
        raise SettingError(f"{name}={raw!r}: expected database or rq")
    return value


def _media_sender(name: str, raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"app", "nginx"}:
        raise SettingError(f"{name}={raw!r}: expected app or nginx")
    return value


# Settings that are gone, with what replaces them: set, they stop the start with this message
# rather than being silently ignored.
RETIRED = {
    "PRESSROOM_SERVE_MEDIA": "PRESSROOM_SERVE_MEDIA is gone: photos are always sent through the "
    "application's decision. Set PRESSROOM_MEDIA_SENDER=nginx behind nginx (and re-render its "
    "configuration with `pressroom nginxconf`: /media/ is no longer served from the folder), "
    "or leave it unset",
    "PRESSROOM_EDGE_COPIES": "PRESSROOM_EDGE_COPIES is gone: nginx's proxy cache serves public "
    "pages, with no files written per second (docs/decisions/0008-one-public-cache.md). Remove "
    "it, and re-render the nginx configuration with `pressroom nginxconf`",
    "PRESSROOM_EPOCH_REREAD_MS": "PRESSROOM_EPOCH_REREAD_MS is now PRESSROOM_GENERATION_REREAD_MS",
    "PRESSROOM_KEPT_PAGES_MB": "PRESSROOM_KEPT_PAGES_MB is now PRESSROOM_LOCAL_CACHE_MB",
}


def check_retired(environ: dict[str, str] | None = None) -> None:
    environ = os.environ if environ is None else environ
    for name, message in RETIRED.items():
        if name in environ:
            raise SettingError(message)


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    parse: Callable[[str, str], object] = _text

    def read(self, environ: dict[str, str] | None = None) -> object:
        environ = os.environ if environ is None else environ
        raw = environ.get(self.name, self.default)
        if raw is None:
            return None
        return self.parse(self.name, raw)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "PRESSROOM_DATA_DIR",
        "var",
        "Folder for the SQLite database file and uploaded photos (relative paths are resolved "
        "from the current directory).",
        _path,
    ),
    Setting(
        "DATABASE_URL",
        None,
        "A postgres://user@host:port/name URL selects PostgreSQL; unset, Pressroom uses "
        "the SQLite file `pressroom.sqlite3` in the data folder.",
    ),
    Setting(
        "PRESSROOM_SECRET_KEY",
        None,
        "Django's secret key. Unset, a random key is made on first start and kept in the data "
        "folder (file secret_key, mode 600); set it explicitly when several servers share a site.",
    ),
    Setting(
        "PRESSROOM_DEBUG",
        "false",
        "Django debug mode: detailed error pages. Never on in production.",
        _boolean,
    ),
    Setting(
        "PRESSROOM_ALLOWED_HOSTS",
        "127.0.0.1,localhost,[::1]",
        "Comma-separated host names the site answers to.",
        _word_list,
    ),
    Setting(
        "PRESSROOM_BASE_URL",
        "http://127.0.0.1:8000",
        "The public address of the site, used for absolute links in exports, feeds and e-mail.",
    ),
    Setting(
        "PRESSROOM_MEDIA_SENDER",
        "app",
        "Who sends a photo's bytes once the application has decided that the request may have "
        "them: `app` (the application itself) or `nginx` (the application answers with "
        "X-Accel-Redirect and nginx sends the file from its internal location, as the "
        "configuration `pressroom nginxconf` renders does).",
        _media_sender,
    ),
    Setting(
        "PRESSROOM_TRUSTED_PROXIES",
        "",
        "Comma-separated addresses or networks of the proxies in front of Pressroom (e.g. "
        "127.0.0.1 for nginx on the same machine). Only a request that comes from one of them "
        "has its client address taken from X-Forwarded-For (log-in lock-out, throttling, "
        "/metrics); empty: the connection's own address, always.",
        _networks,
    ),
    Setting(
        "PRESSROOM_METRICS_TOKEN",
        None,
        "A token that lets a scraper from another machine read /metrics (sent as "
        "`Authorization: Bearer <token>`); unset, /metrics answers only requests from this "
        "machine.",
    ),
    Setting(
        "PRESSROOM_FOUR_EYES",
        "true",
        "Nobody approves a release they wrote or submitted: whoever wrote its last content "
        "revision, or submitted it, may not approve it, and whoever changed it after its "
        "approval may not schedule or publish it. Turn off for a one-person office.",
        _boolean,
    ),
    Setting(
        "PRESSROOM_WEBHOOK_ALLOW_PRIVATE",
        "false",
        "Let webhook endpoints be at loopback, private, link-local or other non-public "
        "addresses (checked when each delivery connects; redirects are never followed). Off "
        "in production; `python3 dev.py serve` and the tests turn it on.",
        _boolean,
    ),
    Setting(
        "PRESSROOM_IMPORT_MAX_BYTES",
        "2097152",
        "The largest file `pressroom import` reads as one release (wire text or page), in "
        "bytes (default 2 MB); a larger one fails with its name and size, unread. A JSON "
        "lines backup (*.jsonl) may be larger: each of its records may hold twice this.",
        _positive_int,
    ),
    Setting(
        "PRESSROOM_WEB_WORKERS",
        "2",
        "Number of worker processes `pressroom serve` starts.",
        _positive_int,
    ),
    Setting(
        "PRESSROOM_SEARCH_BACKEND",
        None,
        "Dotted path of the search backend class; unset, the database decides (SQLite FTS5 "
        "on SQLite, tsvector on PostgreSQL).",
    ),
    Setting(
        "PRESSROOM_SECURE_COOKIES",
        "false",
        "Send the session and CSRF cookies over https only; turn on for every https deployment.",
        _boolean,
    ),
    Setting(
        "PRESSROOM_UPLOAD_MAX_BYTES",
        "20971520",
        "The largest photo file the desk accepts, in bytes (default 20 MB).",
        _positive_int,
    ),
    Setting(
        "PRESSROOM_UPLOAD_MAX_PIXELS",
        "40000000",
        "The most pixels (width x height) an uploaded photo may have; larger ones, and "
        "decompression bombs, are refused before they are decoded.",
        _positive_int,
    ),
    Setting(
        "PRESSROOM_TASKS_BACKEND",
        None,
        "Task queue for distribution: `database` (django-tasks-db, the embedded default) or "
        "`rq` (django-tasks-rq on Redis at REDIS_URL); unset, `rq` when REDIS_URL is set.",
        _tasks_backend,
    ),
    Setting(
        "REDIS_URL",
        None,
        "A redis://host:port/db URL for the task queue and the worker's wake-up signal when "
        "the tasks backend is `rq`.",
    ),
    Setting(
        "PRESSROOM_WORKER_THREADS",
        "4",
        "Threads of `pressroom worker` that send deliveries (e-mail and webhooks) at once.",
        _positive_int,
    ),
    Setting(
        "PRESSROOM_WORKER_DATABASE_WAIT_SECONDS",
        "60",
        "How long `pressroom worker` waits at start for a database that does not answer yet "
        "(e.g. started with it) before it gives up.",
        _positive_int,
    ),
    Setting(
        "PRESSROOM_TASK_RESULTS_KEEP_DAYS",
        "7",
        "Days the worker keeps finished rows of the database tasks backend (one per batch sent); "
        "its housekeeping deletes older ones.",
        _positive_int,
    ),
    Setting(
        "EMAIL_HOST",
        "127.0.0.1",
        "The SMTP server that sends subscribers' e-mail.",
    ),
    Setting("EMAIL_PORT", "25", "The SMTP server's port.", _positive_int),
    Setting("EMAIL_HOST_USER", "", "User name for the SMTP server (empty: no log-in)."),
    Setting("EMAIL_HOST_PASSWORD", "", "Password for the SMTP server."),
    Setting(
        "EMAIL_USE_TLS",
        "false",
        "Use STARTTLS on the SMTP connection (usually with port 587).",
        _boolean,
    ),
    Setting(
        "EMAIL_USE_SSL",
        "false",
        "Use implicit TLS on the SMTP connection (usually port 465).",
        _boolean,
    ),
    Setting(
        "DEFAULT_FROM_EMAIL",
        "Pressroom <noreply@pressroom.invalid>",
        "The sender of subscription e-mail.",
    ),
    Setting(
        "PRESSROOM_CACHE_URL",
        None,
        "A redis://host:port/db URL for Django's cache (RedisCache), shared by every web "
        "worker; unset, REDIS_URL is used, and without either each process keeps its own "
        "in-memory cache.",
    ),
    Setting(
        "PRESSROOM_EXPECT_WORKER",
        "false",
        "A task worker belongs to this deployment: /healthz fails (503) when no worker has "
        "sent a heartbeat in the last 15 seconds.",
        _boolean,
    ),
    Setting(
        "PRESSROOM_MICROCACHE_SECONDS",
        "1",
        "The longest a front cache (the shipped nginx configuration) keeps a public page, "
        "sent as X-Accel-Expires; never past the end of the page's own lifetime (the next issue "
        "instant, to the second).",
        _positive_int,
    ),
    Setting(
        "PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS",
        "1",
        "How long past its end a front cache may still hand out a public page's previous copy, "
        "and only while it is fetching the new one (sent as stale-while-revalidate; the shipped "
        "nginx configuration does it with proxy_cache_use_stale updating): nginx then sends one "
        "request per page to the app when a copy runs out, not every reader who arrives "
        "meanwhile. A release is never shown early by it; 0: never a stale copy.",
        _whole_number,
    ),
    Setting(
        "PRESSROOM_STALE_IF_ERROR",
        "true",
        "When the application cannot answer a public page (its database away past "
        "PRESSROOM_DATABASE_WAIT_MS, every web worker gone), the shipped nginx configuration "
        "hands out the last copy it holds of that page instead of the error (proxy_cache_use_stale "
        "error timeout http_500 http_502 http_503 http_504). Such a copy was made before, so it "
        "can show a release late, never early; a page nobody asked for in ten minutes is no "
        "longer held. false: readers get the error.",
        _boolean,
    ),
    Setting(
        "PRESSROOM_DATABASE_WAIT_MS",
        "2000",
        "How long, in milliseconds, a page read that finds the database unavailable (a restart, "
        "a fail-over) waits for it, asking again every 100 ms, before the reader gets a 503 "
        "with Retry-After. Reads only; 0: the 503 at once.",
        _whole_number,
    ),
    Setting(
        "PRESSROOM_GENERATION_REREAD_MS",
        "100",
        "How often, in milliseconds, each web process reads the generation key (the newest "
        "release save, the next issue instant) again: a correction, withdrawal or schedule "
        "saved by another process shows on cached pages within this time. Issue instants and "
        "midnight are exact whatever it is; 0 reads it again for every request that finds "
        "no other thread reading it.",
        _whole_number,
    ),
    Setting(
        "PRESSROOM_LOCAL_CACHE_MB",
        "32",
        "Memory each web process gives to its local response cache: finished public pages it "
        "answers again before Django runs (pressroom.publiccache.handler); the least recently "
        "asked for go first.",
        _positive_int,
    ),
    Setting(
        "PRESSROOM_LOG_LEVEL",
        "INFO",
        "Log level for Pressroom's own loggers (DEBUG, INFO, WARNING, ERROR).",
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def read(name: str, environ: dict[str, str] | None = None):
    """The parsed value of one declared setting; an undeclared name is a programming error."""
    return _BY_NAME[name].read(environ)
