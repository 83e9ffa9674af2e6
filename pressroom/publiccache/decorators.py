"""`public_cache`: the decorator every public read view wears (site pages, feeds, sitemaps,
API reads), as django.views.decorators.cache is to django.utils.cache."""

from __future__ import annotations

import functools

from django.core.handlers.exception import response_for_exception
from django.http import Http404

from pressroom.publiccache import headers, responses
from pressroom.publiccache.generation import current_freshness
from pressroom.publiccache.policy import SHARED_METHODS


def public_cache(view=None, *, cache_response: bool = False):
    """Decorate a public read view with caching by the clock (`headers`): a lifetime that ends
    at the generation's next change, validators, 304s.

    The clock is read before the view runs: anything the view shows is then at least as new as
    that instant, so a lifetime computed from it can only be too short, never too long. A 404
    (e.g. a release not yet due) gets the same capped lifetime, so no cache keeps "not found"
    past the second it appears.

    `cache_response=True` also keeps the page in the response cache (`responses`) for as long
    as its generation lasts, rendered once per process at a time (single-flight), so the next
    request for it is answered without rendering. Only for views whose bytes depend on the URL
    and the releases alone (not on the user, the session, a search index or a form token).
    """
    if view is None:
        return functools.partial(public_cache, cache_response=cache_response)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SHARED_METHODS:
            return view(request, *args, **kwargs)
        freshness = current_freshness()
        if not cache_response:
            response = render(request, freshness, *args, **kwargs)
            return headers.conditional_answer(request, response, freshness)
        page = responses.get(request, freshness)
        if page is not None:
            response = headers.finish_public_response(page.response(), freshness)
        else:
            response = responses.single_flight(
                request, freshness, lambda: render(request, freshness, *args, **kwargs)
            )
            # A waiter's copy of the leader's page carries the view's headers only.
            response = headers.finish_public_response(response, freshness)
        return headers.conditional_answer(request, response, freshness)

    # Read by the local response cache before Django (`handler`), as Django's own view
    # decorators mark a view for its middleware (csrf_exempt, login_not_required).
    wrapped.cache_response = cache_response

    def render(request, freshness, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as error:
            response = response_for_exception(request, error)
        response = headers.finish_public_response(response, freshness)
        if cache_response:
            responses.store(request, response, freshness)
        return response

    return wrapped
