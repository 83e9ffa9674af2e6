"""Read operations answer HEAD as well as GET, as HTTP expects of any resource that answers GET.

A monitor or link checker asks HEAD for the status and headers (ETag, Last-Modified,
Content-Length) without the body. django-ninja takes the methods an operation answers as a
list; HEAD runs the same view as GET (through the same `public_cache`, so the headers are the
same), and the server leaves out the body (Django's test client, runserver, granian and nginx
all do). The HEAD twin stays out of the OpenAPI document: an operation id must be unique there,
and HEAD of a GET is implied.
"""

from __future__ import annotations

from ninja import Router
from ninja.constants import NOT_SET


def get_and_head(router: Router, path: str, **options):
    """`router.get(path, **options)` that answers HEAD too."""

    def register(view):
        router.get(path, **options)(view)
        router.add_api_operation(
            path,
            ["HEAD"],
            view,
            response=options.get("response", NOT_SET),
            auth=options.get("auth", NOT_SET),
            include_in_schema=False,
        )
        return view

    return register
