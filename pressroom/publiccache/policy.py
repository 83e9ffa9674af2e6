"""The share policy: may a shared cache keep this answer and hand it to someone else?

One rule, asked by every layer that shares answers: the response cache and single-flight
(`responses`), the in-process copies before Django (`handler`), the X-Accel-Expires that lets
nginx keep an answer (`middleware`), and the nginx configuration (`pressroom nginxconf`
renders `nginx_bypass` and `SHARED_METHODS`), which must decide from the request alone before
it asks the app.

It has two halves, as Django's cache middleware has (django.utils.cache): who asks
(`request_may_share`: an anonymous GET or HEAD, no credentials) and what was answered
(`response_may_share`: public for shared caches, and nothing personal read or set on the way).
What a layer keeps beyond that is the layer's own choice, never a wider one: the response cache
keeps only 200 pages of GET requests, nginx keeps 404s a second too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.conf import settings

from pressroom.publiccache.headers import cache_directives

SHARED_METHODS = ("GET", "HEAD")
# Request headers (as request.META and a WSGI environ name them) that carry credentials.
CREDENTIAL_HEADERS = ("HTTP_AUTHORIZATION",)
# Directives of Cache-Control that keep an answer out of shared caches (RFC 9111 5.2.2).
_NOT_SHARED_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})


def personal_cookies() -> tuple[str, ...]:
    """Cookies that make a request someone's own: the session's (SESSION_COOKIE_NAME).

    The CSRF cookie (CSRF_COOKIE_NAME) is not among them: a visitor who once opened the desk's
    log-in form keeps it, and the public pages they read are everyone's. A page that puts a
    form token in its bytes reads the cookie, which the response half sees
    (CSRF_COOKIE_NEEDS_UPDATE, and Django's `Vary: Cookie`)."""
    return (settings.SESSION_COOKIE_NAME,)


def request_may_share(meta: Mapping[str, str]) -> bool:
    """The request half, from `request.META` or a WSGI environ (they use the same keys): a GET
    or HEAD with no credentials and no session cookie. The Cookie header is read as raw text,
    on the safe side: any cookie whose name or value contains the session cookie's name counts
    as one (no shared answer to someone signed in, at the cost of a rendering at most)."""
    if meta.get("REQUEST_METHOD") not in SHARED_METHODS:
        return False
    if any(header in meta for header in CREDENTIAL_HEADERS):
        return False
    cookies = meta.get("HTTP_COOKIE", "")
    return not any(name in cookies for name in personal_cookies())


def response_may_share(request, response) -> bool:
    """The response half: a Cache-Control that allows shared caches (`public`, none of
    private, no-store, no-cache), no cookie set, no Vary, and no session or form token read
    while the answer was made (Django would add `Vary: Cookie` on the way out)."""
    directives = cache_directives(response.headers.get("Cache-Control", ""))
    if "public" not in directives or directives.keys() & _NOT_SHARED_DIRECTIVES:
        return False
    if response.cookies or "Set-Cookie" in response.headers or "Vary" in response.headers:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.accessed)


def may_share(request, response) -> bool:
    """Whether a shared cache may keep `response` to `request` and answer others with it."""
    return request_may_share(request.META) and response_may_share(request, response)


_NGINX_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def nginx_bypass() -> str:
    """The request half as nginx reads it: variables that are all empty exactly when a request
    may be given a shared copy (the cookies of `personal_cookies`, the headers of
    `CREDENTIAL_HEADERS`), for the `map` in front of proxy_cache_bypass and proxy_no_cache.
    nginx reads a cookie only by a name of letters, digits and underscores: another name is an
    error here rather than a configuration that shares a signed-in page."""
    variables = []
    for cookie in personal_cookies():
        if not _NGINX_NAME.match(cookie):
            raise ValueError(f"nginx cannot read a cookie named {cookie!r} (SESSION_COOKIE_NAME)")
        variables.append(f"$cookie_{cookie}")
    variables += [f"$http_{header.removeprefix('HTTP_').lower()}" for header in CREDENTIAL_HEADERS]
    return "".join(variables)
