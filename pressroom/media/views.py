"""The public media route, and how every media route sends a file it has decided to send.

`/media/<name>` answers a file only when anyone may have it at that instant
(pressroom.media.access). Every cache, browsers and shared caches alike, must ask again before
each use (`Cache-Control: public, no-cache`): a withdrawal comes at an unplanned moment, and a
copy kept for any time at all could outlive it. Asking again is cheap (a 304 for a file that is
still public, from its validator) and a cache revalidating a withdrawn photo is told "not
found", never "still good". "Not found" is a small plain answer, the same for every reason.

How the bytes go out is PRESSROOM_MEDIA_SENDER's choice: `app` sends them from here (with a
strong validator made from the file's modification time and size, answering If-None-Match and
If-Modified-Since with 304); `nginx` answers with an empty body and `X-Accel-Redirect:
/internal-media/<name>`, and nginx sends the file from its `internal` location (which no client
can ask for), with its own validator of the same form, after the application decided.
"""

from __future__ import annotations

import math
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseNotFound
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from pressroom.media.access import MediaFile, public_file

# nginx's internal location for media files (pressroom/ops/templates/ops/nginx.conf).
INTERNAL_URL = "/internal-media/"
PRIVATE = "private, no-store"


def not_found() -> HttpResponse:
    return HttpResponseNotFound(b"Not found\n", content_type="text/plain; charset=utf-8")


def send(request, media_file: MediaFile) -> HttpResponse:
    """The file, or "not found" when it is not in the media folder (a photo whose file was
    lost, a rendition never made)."""
    path = Path(settings.MEDIA_ROOT) / media_file.name
    try:
        stat = path.stat()
    except OSError:
        return not_found()
    if settings.PRESSROOM_MEDIA_SENDER == "nginx":
        response = HttpResponse(content_type=media_file.content_type)
        response["X-Accel-Redirect"] = INTERNAL_URL + media_file.name
        return response
    # nginx's own form of ETag, so that a copy keeps its validator when the sender changes.
    modified = math.floor(stat.st_mtime)
    etag = f'"{modified:x}-{stat.st_size:x}"'
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = FileResponse(path.open("rb"), content_type=media_file.content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    return response


@require_safe
def public_media(request, name: str):
    """A photo file, while its release shows it (see the module docstring)."""
    found = public_file(name, timezone.now())
    response = send(request, found) if found is not None else not_found()
    patch_cache_control(response, public=True, no_cache=True)
    return response


def send_privately(request, media_file: MediaFile | None) -> HttpResponse:
    """For the desk's routes: the file (or "not found"), kept by nobody."""
    response = send(request, media_file) if media_file is not None else not_found()
    response["Cache-Control"] = PRIVATE
    return response
