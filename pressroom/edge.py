"""Edge copies: a public page written as a file for nginx to send, good to the end of one second.

Through the micro-cache alone a page cost nginx about a third more than sending a file: each
hit reads the copy's stored header block, parses the app's dozen headers again, hashes its key
and takes the cache zone's lock (bench/suite.py measured the shipped proxy at 72-80% of a static
file, and nginx's own proxy cache with nothing of Pressroom's in it at 82-88%). So when a web
process answers a shared page, it also writes the bytes it sent to

    PRESSROOM_DATA_DIR/edge/<second>/<scheme>/<host><path>index.html

where <second> is the Unix second it answered in, and the shipped nginx configuration first
tries the file for the *current* second (its own clock, `$msec`) before asking the micro-cache.
No purge and no expiry are needed: when the second ends nginx stops looking at the file, and
the micro-cache's copy, which nginx keeps to the same whole second (X-Accel-Expires), runs out
at the same moment, so the first reader of the next second goes to the app, whose answer
writes that second's file.

Why it can never show a page early: a file is written only after the app answered it, and only
when the micro-cache was told, in the same answer, that it may keep the page to the end of
that second (X-Accel-Expires: the page's lifetime, up to the next issue instant, lies beyond).
Issue instants fall on whole seconds. nginx's clock lags the real one by at most one turn of
its event loop, so a file can only ever be sent that much late.

A file carries no headers of its own: nginx sends every edge copy with `nginx_headers()`,
rendered into nginx.conf from here. So a page is written only when the headers the app sent
with it are exactly those (beside the ones nginx makes for a file: type, length, ETag,
Last-Modified), a plain HTML page; anything else (another policy, a Link header, JSON, a
feed) stays with the micro-cache.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import re
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings

from pressroom import security

logger = logging.getLogger(__name__)

EDGE_FOLDER = "edge"
HTML = "text/html; charset=utf-8"
# Made by nginx for a file, or decided here per second: not compared with edge_headers().
_REPRESENTATION = {"content-type", "content-length", "etag", "last-modified", "cache-control",
                   "x-accel-expires"}  # fmt: skip
# An edge copy may be kept by a shared cache in front (a CDN) to the end of the next second at
# most: a second late at an instant, never early. Browsers ask again each time, as for any page.
EDGE_CACHE_CONTROL = "public, max-age=0, must-revalidate, s-maxage=1"
# Addresses written as files: a path of plain segments ending in "/" (nginx's $uri is decoded
# and normalised, so "." and ".." never reach it; refusing them here keeps a file in its folder).
_PATH = re.compile(r"^(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/$")
_HOST = re.compile(r"^[a-z0-9-][a-z0-9.-]*$")
# Folders of seconds older than this many are removed by whichever process moves on first.
_KEEP_SECONDS = 3


def enabled() -> bool:
    return settings.PRESSROOM_EDGE_COPIES and settings.PRESSROOM_MICROCACHE_SECONDS > 0


def edge_root() -> Path:
    return Path(settings.DATA_DIR) / EDGE_FOLDER


def edge_headers() -> tuple[tuple[str, str], ...]:
    """The headers nginx sends with every edge copy: those the app sends with a public page
    (Django's SecurityMiddleware and clickjacking middleware, then pressroom.security)."""
    headers = []
    if settings.X_FRAME_OPTIONS:
        headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("Content-Security-Policy", security.CONTENT_SECURITY_POLICY))
    headers.append(("Permissions-Policy", security.PERMISSIONS_POLICY))
    return tuple(headers)


def nginx_headers() -> tuple[tuple[str, str], ...]:
    """What nginx adds to an edge copy: edge_headers() and its Cache-Control."""
    return (*edge_headers(), ("Cache-Control", EDGE_CACHE_CONTROL))


def kept_through(headers) -> int:
    """The last whole second the micro-cache may keep a page sent with `headers` (its
    X-Accel-Expires, "@<Unix second>"; see accel_expires), or -1 when it may not keep it."""
    for name, value in headers:
        if name.lower() == "x-accel-expires" and value.startswith("@") and value[1:].isdigit():
            return int(value[1:])
    return -1


def has_edge_headers(headers, expected: tuple[tuple[str, str], ...] | None = None) -> bool:
    """True when `headers` ((name, value) pairs a page was sent with) are an HTML page's and,
    beside the representation headers, exactly edge_headers()."""
    own = {name.lower(): value for name, value in headers if name.lower() not in _REPRESENTATION}
    types = [value for name, value in headers if name.lower() == "content-type"]
    wanted = edge_headers() if expected is None else expected
    return types == [HTML] and own == {name.lower(): value for name, value in wanted}


class EdgeCopies:
    """Writes one process's edge copies, each address at most once a second."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._second = 0
        self._written: set[str] = set()
        self._failed_once = False
        self._expected = edge_headers()

    def relative_path(self, scheme: str, host: str, path: str) -> str | None:
        """Where under a second's folder the copy of scheme://host/path goes, or None when
        the address is not one nginx looks for (see _PATH; a port is not part of $host)."""
        host = host.rsplit(":", 1)[0].lower() if not host.startswith("[") else ""
        if scheme not in ("http", "https") or not _HOST.match(host) or not _PATH.match(path):
            return None
        return f"{scheme}/{host}{path}index.html"

    def offer(self, relative: str, headers, body: bytes) -> bool:
        """Write a page just answered (with `headers`, its X-Accel-Expires among them) as this
        second's copy at `relative` (see relative_path), when the micro-cache was told it may
        keep the page to the end of this second at least and its headers are the edge copies'
        own. Returns True when a file was written. Never raises: a copy not written only
        means nginx asks the micro-cache, as it would without edge copies."""
        second = math.floor(time.time())
        if kept_through(headers) < second:
            return False  # an instant falls within this second, or the second has just ended
        with self._lock:
            if second != self._second:
                self._move_to(second)
            if relative in self._written:
                return False
            self._written.add(relative)
        if not has_edge_headers(headers, self._expected):
            return False
        try:
            self._write(self.root / str(second) / relative, body)
        except OSError as error:
            if not self._failed_once:
                self._failed_once = True
                logger.warning("edge copies not written under %s: %s", self.root, error)
            return False
        return True

    def _move_to(self, second: int) -> None:
        self._second = second
        self._written.clear()
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.root):
                if entry.name.isdigit() and int(entry.name) < second - _KEEP_SECONDS:
                    shutil.rmtree(entry.path, ignore_errors=True)

    @staticmethod
    def _write(target: Path, body: bytes) -> None:
        """Written beside its place and renamed into it: nginx sees the whole file or none."""
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            temporary.write_bytes(body)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
