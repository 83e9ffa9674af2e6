"""Kept public pages answered at the door: before Django builds a request, runs its middleware
or resolves a URL.

A kept page (pressroom.pagecache) still cost about half a millisecond of Python on its way
through Django: ten middleware, the URL resolver, the request and response objects, the
signals. Under a crowd that is the whole cost of a page, so each web process also keeps the
*finished* answer (status, every header, the bytes) of the pages it has answered, and answers
the same request again straight from the WSGI entry point (`FrontDoorHandler`).

What makes this safe is one invariant: the door answers a request only with what Django itself
answered to a request for the same address (scheme, host, path and query) in the same
publication epoch, and only when the request could have been given a shared copy (a GET with no
session cookie, no credentials and no validators). Every rule of the stack (allowed hosts,
redirects, security headers, visibility at the issue instant) was applied to that answer by
Django; an address Django refused or redirected is never kept, so never answered here. What the
clock changes is made again for each answer, by the same functions the way through Django uses
(`pressroom.caching.clock_headers`): the lifetime (s-maxage), Last-Modified and X-Accel-Expires.

The epoch comes from the process's publication reading (`pressroom.caching.current_state`), so a
hit asks neither the database nor Redis. Requests with validators (If-None-Match,
If-Modified-Since) go through Django, which answers 304s.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError
from django.utils import timezone

from pressroom import caching, edge, pagecache
from pressroom.ops import metrics
from pressroom.ops.middleware import route_kind

# Where the handler leaves the address for `keep` (Django rewrites PATH_INFO in the environ).
ADDRESS_KEY = "pressroom.frontdoor.address"
# Requests that bring their own validators or credentials are Django's to answer.
_NOT_SHARED = ("HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
               "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_RANGE", "HTTP_RANGE")  # fmt: skip


@dataclass(frozen=True, slots=True)
class FinishedPage:
    """A 200 as Django sent it, less the CLOCK_HEADERS, which are made again for each answer."""

    headers: tuple[tuple[str, str], ...]
    body: bytes
    route: str
    until: float  # Unix time: never answered after (the kept copy's own end)
    edge_path: str | None = None  # where its edge copies go (pressroom.edge), if anywhere

    @property
    def size(self) -> int:
        return len(self.body) + 64 * len(self.headers)


# Pages kept here are those a crowd asks for (release pages, indexes, feeds: 5 to 100 KB).
# A sitemap section (10,000 URLs, over a megabyte) is asked for by a crawler now and then;
# kept, the archive walk's ten of them at 100,000 releases filled each worker's budget, which
# they had not at 50,000 (bench/archive_walk.py at 50,000 and 100,000 releases: 119 and 125 MB
# with them kept, 125 and 124 without).
LARGEST_KEPT_PAGE = 512 * 1024


class FinishedPages:
    """The finished pages of one process, least recently answered dropped first past a
    budget in bytes (PRESSROOM_KEPT_PAGES_MB). Keys are (address, epoch): a new epoch simply
    stops finding the old pages, which age out."""

    def __init__(self, budget_bytes: int):
        self.budget = budget_bytes
        self.size = 0
        self._pages: OrderedDict[tuple[str, str], FinishedPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> FinishedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[str, str], page: FinishedPage) -> None:
        if page.size > min(self.budget // 4, LARGEST_KEPT_PAGE):
            return  # one page must not push out every other, nor a crawler's the crowd's
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= old.size
            self._pages[key] = page
            self.size += page.size
            while self.size > self.budget:
                _, dropped = self._pages.popitem(last=False)
                self.size -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._pages)


class FrontDoor:
    """Finds and keeps finished pages; `FrontDoorHandler` puts it before Django."""

    def __init__(self):
        self.pages = FinishedPages(settings.PRESSROOM_KEPT_PAGES_MB * 1024 * 1024)
        # Each answer of a page may also leave this second's file for nginx (pressroom.edge).
        self.edge = edge.EdgeCopies(edge.edge_root()) if edge.enabled() else None
        self.session_cookie = settings.SESSION_COOKIE_NAME
        # Request headers Django reads to tell the scheme and host, which name the page.
        self.address_headers = tuple(
            header
            for header, used in (
                ((settings.SECURE_PROXY_SSL_HEADER or ("",))[0], settings.SECURE_PROXY_SSL_HEADER),
                ("HTTP_X_FORWARDED_HOST", settings.USE_X_FORWARDED_HOST),
                ("HTTP_X_FORWARDED_PORT", settings.USE_X_FORWARDED_PORT),
            )
            if used
        )

    def address(self, environ: dict) -> str | None:
        """The page a request asks for, as the raw request names it, or None when the request
        may not be answered with a shared copy (see the module docstring)."""
        if environ.get("REQUEST_METHOD") != "GET" or any(h in environ for h in _NOT_SHARED):
            return None
        if self.session_cookie in environ.get("HTTP_COOKIE", ""):
            return None
        host = environ.get("HTTP_HOST")
        if not host:
            return None
        parts = [environ.get("wsgi.url_scheme", ""), host, environ.get("SCRIPT_NAME", ""),
                 environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")]  # fmt: skip
        parts.extend(environ.get(header, "") for header in self.address_headers)
        return "\n".join(parts)

    def answer(self, address: str, started: float):
        """(status, headers, body) of the finished page for `address` in the current epoch,
        or None: Django answers instead (and keeps what it answers, see `keep`)."""
        now = timezone.now()
        try:
            state = caching.current_state(now)
        except DatabaseError:
            return None  # no reading: Django's way answers (and says the database is down)
        page = self.pages.get((address, state.epoch))
        if page is None or now.timestamp() >= page.until:
            return None
        headers = [*page.headers, *caching.clock_headers(state)]
        if self.edge is not None and page.edge_path is not None:
            self.edge.offer(page.edge_path, headers, page.body)
        metrics.record(page.route, "GET", 200, time.perf_counter() - started)
        return "200 OK", headers, page.body

    def keep(self, address: str, request, response) -> None:
        """Keep Django's finished answer when its page was kept in its epoch and nothing on
        the way out made it personal (a cookie, a Vary, a session read)."""
        if not pagecache.is_shareable(request, response):
            return
        edge_path = self.leave_edge_copy(request, response)
        kept = getattr(response, "kept", None)
        if kept is None:
            return
        epoch, until = kept
        headers = tuple(
            (name, value) for name, value in response.items() if name not in caching.CLOCK_HEADERS
        )
        page = FinishedPage(headers, response.content, route_kind(request), until, edge_path)
        self.pages.put((address, epoch), page)

    def leave_edge_copy(self, request, response) -> str | None:
        """Offer a shareable page Django just answered as this second's edge copy (written when
        its X-Accel-Expires lets nginx keep it to the end of the second, kept in the page cache
        or not: the edge copy follows the micro-cache), and say where its copies go."""
        if self.edge is None or request.META.get("QUERY_STRING") or request.META.get("SCRIPT_NAME"):
            return None
        # Scheme and host as Django read them, which the address (the key) decides.
        edge_path = self.edge.relative_path(request.scheme, request.get_host(), request.path)
        if edge_path is not None:
            self.edge.offer(edge_path, list(response.items()), response.content)
        return edge_path


class FrontDoorHandler(WSGIHandler):
    """Django's WSGI handler with the front door before it (pressroom.wsgi)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.door = FrontDoor()

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        address = self.door.address(environ)
        if address is not None:
            answer = self.door.answer(address, started)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
            environ[ADDRESS_KEY] = address
        return super().__call__(environ, start_response)

    def get_response(self, request):
        response = super().get_response(request)
        address = request.META.get(ADDRESS_KEY)
        if address is not None:
            self.door.keep(address, request, response)
        return response
