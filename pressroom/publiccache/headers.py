"""The caching headers of public answers: lifetimes, validators and 304s, by the clock.

Functions, as django.utils.cache is to Django's cache middleware. Every public answer gets a
lifetime that ends at the generation's next change (`Freshness`): `Cache-Control: s-maxage`
for shared caches (browsers revalidate, see `public_cache_directives`) and `X-Accel-Expires`
for nginx, an ETag (a digest of the bytes sent, so exact) and a Last-Modified (the latest
change the database records: an issue instant that has passed, any release saved, the start
of the Hong Kong day); clients that send both validators are judged by the ETag (RFC 9110
13.2.2).

The headers are the contract between the layers: nginx reads X-Accel-Expires and
Cache-Control, the in-process copies (`handler`) make CLOCK_HEADERS again for each answer with
`clock_headers`, and the middleware adds X-Accel-Expires to public answers that carry none.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

# The headers of a public page that the clock, not the page, decides.
CLOCK_HEADERS = ("Cache-Control", "Last-Modified", "X-Accel-Expires")


def cache_directives(cache_control: str) -> dict[str, str]:
    """A Cache-Control header's directives, by lower-case name ("" for one without a value)."""
    return dict(
        part.strip().lower().partition("=")[::2]
        for part in cache_control.split(",")
        if part.strip()
    )


def shared_max_age(cache_control: str) -> int:
    """How long a shared cache may keep an answer with this Cache-Control: its s-maxage, else
    its max-age (RFC 9111 5.2.2.10), else 0."""
    directives = cache_directives(cache_control)
    for name in ("s-maxage", "max-age"):
        if directives.get(name, "").isdigit():
            return int(directives[name])
    return 0


def public_cache_directives(max_age: int) -> dict:
    """The Cache-Control of a public answer that may be kept `max_age` seconds, as keyword
    arguments for Django's patch_cache_control.

    The lifetime goes to shared caches (s-maxage: nginx's micro-cache, a CDN in front of it)
    and browsers are told to revalidate every time (max-age=0, must-revalidate). A browser
    keeps its copy from the moment it receives it, and a shared cache sends no Age header: a
    browser handed a copy that has already spent part of its lifetime in the cache would keep
    it past the instant it ends. Revalidating is cheap: the ETag makes it a 304 from the cache.
    Saying both in the app's own header, as HTTP means them, spares nginx from rewriting the
    header on every hit (and a directly-served app answers the same way).

    A cached page also allows stale-while-revalidate (PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS):
    when nginx's copy runs out, the first reader's request fetches the new one and the readers
    who arrive meanwhile get the previous copy, instead of all of them going to the app at once.
    nginx serves a stale copy only while that fetch is under way, and at most this many seconds
    past the copy's end. A stale copy can only be late, never early: it was made before the
    instant, so it holds nothing that was not public then. Browsers may not use it
    (must-revalidate).
    """
    if not max_age:
        return {"public": True, "max_age": 0}
    directives: dict = {"public": True, "max_age": 0, "must_revalidate": True, "s_maxage": max_age}
    stale = settings.PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS
    if stale:
        directives["stale_while_revalidate"] = stale
    return directives


def public_cache_control(max_age: int) -> str:
    """public_cache_directives as the header patch_cache_control writes on a fresh response."""
    return ", ".join(
        name.replace("_", "-") if value is True else f"{name.replace('_', '-')}={value}"
        for name, value in public_cache_directives(max_age).items()
    )


def accel_expires(expires_at: float, microcache_seconds: int) -> str | None:
    """X-Accel-Expires for an answer fresh until `expires_at` (a Unix time): the last whole
    second nginx may keep it, within `microcache_seconds` from now. None when that second has
    passed already: the answer may not be kept even to the end of the current second.

    nginx keeps an answer for at most PRESSROOM_MICROCACHE_SECONDS: a release scheduled (or
    corrected, or withdrawn) after a page was rendered, for a moment before the page's lifetime
    runs out, would otherwise stay hidden behind it. The value names an absolute second ("@S"),
    not a count: nginx counts relative seconds from its own whole-second clock, which can carry
    a copy up to a second past the instant meant; with "@S" nginx keeps the copy while its
    clock reads S or less, i.e. until S + 1, never past the lifetime. It also covers the last
    second before an instant, which Cache-Control's whole seconds cannot (s-maxage 0 there)."""
    now = time.time()
    last_second = math.floor(min(expires_at, now + microcache_seconds)) - 1
    return f"@{last_second}" if last_second >= math.floor(now) else None


def put_before_cache_control(response, name: str, value: str) -> None:
    """Set a header so that it comes before Cache-Control (which moves to the end): nginx 1.22
    (Debian 12) reads upstream headers in order, and a max-age=0 read first makes an answer
    uncacheable whatever X-Accel-Expires says after it; read first, X-Accel-Expires decides."""
    control = response.headers.get("Cache-Control")
    if control is not None:
        del response.headers["Cache-Control"]
    response.headers[name] = value
    if control is not None:
        response.headers["Cache-Control"] = control


def _set_lifetime(response, freshness) -> None:
    patch_cache_control(response, **public_cache_directives(freshness.max_age))
    expires = accel_expires(freshness.expires_at, settings.PRESSROOM_MICROCACHE_SECONDS)
    if expires is not None:
        put_before_cache_control(response, "X-Accel-Expires", expires)
    elif "X-Accel-Expires" in response.headers:
        del response.headers["X-Accel-Expires"]


def finish_public_response(response, freshness):
    """The headers every public answer carries: its lifetime (Cache-Control, X-Accel-Expires)
    and, on a 200, its validators."""
    _set_lifetime(response, freshness)
    if response.status_code != 200 or response.streaming:
        return response
    if not getattr(response, "is_rendered", True):
        response.render()  # a TemplateResponse (the sitemap views): the ETag needs the bytes
    if not response.has_header("ETag"):  # a copy from the response cache keeps its digest
        set_response_etag(response)
    # One Last-Modified for every public answer (a feed's own newest entry date is replaced):
    # the value a client sends back in If-Modified-Since is then judged against the same clock.
    response.headers["Last-Modified"] = freshness.last_modified_header
    return response


def clock_headers(freshness) -> list[tuple[str, str]]:
    """CLOCK_HEADERS at `freshness.now` for a cached 200 page, in the order the way through
    Django sends them (finish_public_response puts X-Accel-Expires before Cache-Control): the
    in-process copies send these after the page's other headers. Tests compare both ways."""
    headers = [("Last-Modified", freshness.last_modified_header)]
    expires = accel_expires(freshness.expires_at, settings.PRESSROOM_MICROCACHE_SECONDS)
    if expires is not None:
        headers.append(("X-Accel-Expires", expires))
    headers.append(("Cache-Control", public_cache_control(freshness.max_age)))
    return headers


def conditional_answer(request, response, freshness):
    """A 304 when the client's validators still match the 200 `response`, else `response`."""
    if response.status_code != 200 or response.streaming:
        return response
    last_modified = math.floor(freshness.last_modified.timestamp())
    conditional = get_conditional_response(
        request, etag=response.headers["ETag"], last_modified=last_modified, response=response
    )
    if conditional is not response:
        # A 304 repeats the lifetime, so a cache refreshes its copy's lifetime too.
        _set_lifetime(conditional, freshness)
    return conditional
