"""The API: one NinjaAPI, routers by topic under /api/v1/, JSON errors for every refusal.

    /api/openapi.json   the OpenAPI 3 document        /api/docs   interactive documentation
    /api/v1/releases    list, ninjs, wire text; drafts, edits and workflow moves
    /api/v1/changes     published / corrected / withdrawn since an instant
    /api/v1/search      full-text search, hits as partial ninjs with highlighted snippets

Errors always have the shape `{"detail": "...", "errors": [...]?}` with the status that fits:
401 no or bad token, 403 the owner's role does not allow it, 404 nothing there (or not yet
due, or not on the owner's desk), 409 the release's state does not allow the move or someone
saved a newer revision, 422 the request is malformed. What Django and django-ninja answer around
the operations (no operation at a path, a method a path does not take, a body over the limit, a
500) is made JSON by `pressroom.api.middleware`.
"""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pressroom.api import changes, drafting, releases, search
from pressroom.releases.limits import TextRefused
from pressroom.workflow.errors import InvalidMove, NotPermitted, StaleEdit, WorkflowError

api = NinjaAPI(
    title="Pressroom API",
    version="1",
    description="Press releases for newsrooms and departments' own systems. See docs/api.md.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

api.add_router("/v1/releases", releases.router)
api.add_router("/v1/changes", changes.router)
api.add_router("/v1/search", search.router)


def _error(request, status: int, detail: str, errors: list | None = None):
    body = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(Http404)
def not_found(request, error):
    message = str(error) if str(error) else "not found"
    return _error(request, 404, message)


@api.exception_handler(AuthenticationError)
def unauthorised(request, error):
    response = _error(
        request,
        401,
        "send 'Authorization: Bearer <token>' with a live token (pressroom token USERNAME)",
    )
    response["WWW-Authenticate"] = 'Bearer realm="pressroom"'
    return response


@api.exception_handler(ValidationError)
def invalid(request, error):
    errors = [
        {
            "where": ".".join(str(part) for part in item.get("loc", ())),
            "message": item.get("msg", ""),
        }
        for item in error.errors
    ]
    summary = "; ".join(f"{e['where']}: {e['message']}" for e in errors) or "invalid request"
    return _error(request, 422, summary, errors)


@api.exception_handler(HttpError)
def http_error(request, error):
    return _error(request, error.status_code, str(error))


@api.exception_handler(drafting.ContentRefused)
def content_refused(request, error):
    return _error(request, 422, str(error))


@api.exception_handler(TextRefused)
def text_refused(request, error):
    """A text past its limit or with characters its field does not take, found by the workflow
    or the write path behind the schemas' own checks."""
    return _error(request, 422, str(error), [{"where": error.field, "message": error.reason}])


@api.exception_handler(WorkflowError)
def workflow_refused(request, error):
    if isinstance(error, NotPermitted):
        status = 403
    elif isinstance(error, (InvalidMove, StaleEdit)):
        status = 409
    else:
        status = 409
    return _error(request, status, str(error))
