"""Every answer under /api/ is JSON, the refusals Django and django-ninja make themselves too.

The API's own handlers (`pressroom.api.app`) answer what reaches an operation. Some answers are
made before or around it, as HTML or plain text: a path no operation has (Django's 404 page),
a method the path does not take (django-ninja's 405), a failure inside Django (the 500 page).
They are rewritten here as `{"detail": "..."}` with the same status and the headers that
matter (Allow, Retry-After).

A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read, with a 413 naming
the limit: Django would raise RequestDataTooBig when the operation reads it, a 400 page.
Django judges by the Content-Length header too (a body without one is read as empty).
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _detail(request, status: int, reason: str) -> str:
    if status == 404:
        return f"no API operation at {request.path} (the operations are listed at /api/docs)"
    if status == 405:
        return f"{request.method} is not allowed at {request.path}"
    if status >= 500:
        return "the server failed to answer this request; the error is logged"
    return reason.lower()


def body_too_large(request) -> JsonResponse | None:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None  # Django reads no body for a Content-Length it cannot read
    if limit is None or length <= limit:
        return None
    detail = f"the request body is {length:,} bytes; the API takes at most {limit:,} bytes"
    return JsonResponse({"detail": detail}, status=413)


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        refusal = body_too_large(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if response.status_code < 400 or _is_json(response):
            return response
        answer = JsonResponse(
            {"detail": _detail(request, response.status_code, response.reason_phrase)},
            status=response.status_code,
        )
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
