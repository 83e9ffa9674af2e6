"""Tell nginx's micro-cache what it may keep: X-Accel-Expires on every shared public answer.

nginx never passes X-Accel-Expires on, so browsers and caches beyond nginx see only the app's
own Cache-Control. Views wearing `public_cache` already carry it, exact to the next change
(`headers.finish_public_response`); any other public answer is given one from its whole seconds
of s-maxage. An answer that says `public` but that the share policy refuses (a session read on
the way, a cookie set, a request with credentials) gets `X-Accel-Expires: 0`: nginx keeps none.
"""

from __future__ import annotations

import time

from django.conf import settings

from pressroom.publiccache import policy
from pressroom.publiccache.headers import (
    accel_expires,
    cache_directives,
    put_before_cache_control,
    shared_max_age,
)


class SharedCacheMiddleware:
    """Outside every middleware that adds headers or cookies (second in MIDDLEWARE, after the
    request metrics), so the policy sees the answer as it leaves."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = settings.PRESSROOM_MICROCACHE_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        control = response.headers.get("Cache-Control", "")
        if not policy.may_share(request, response):
            if "public" in cache_directives(control):
                put_before_cache_control(response, "X-Accel-Expires", "0")
            return response
        if "X-Accel-Expires" in response.headers:
            return response
        lifetime = shared_max_age(control)
        expires = accel_expires(time.time() + lifetime, self.seconds) if lifetime else None
        if expires is not None:
            put_before_cache_control(response, "X-Accel-Expires", expires)
        return response
