"""Photos of releases not yet public, for those who may see them before everyone else.

Two routes beside the public one (pressroom.media.views), each deciding who asks with the
check its pages use: `/desk/media/<name>` for people who may open the release on the desk (and
administrators, who may view photos in the admin), `/desk/shared/<token>/media/<name>` for
holders of a preview link of that release. Whatever the reason for a refusal (not signed in,
another department, a link expired or of another release, no such file) the answer is the same
"not found", so a name teaches nothing. Answers are `Cache-Control: private, no-store`.
"""

from __future__ import annotations

from django.views.decorators.http import require_safe

from pressroom.desk.access import may_see_photos
from pressroom.desk.previews import find_active
from pressroom.media import access
from pressroom.media.models import Photo
from pressroom.media.views import send_privately


@require_safe
def desk_media(request, name: str):
    found = access.find(name)
    if found is not None and not may_see_photos(request.user, found.photo.release):
        found = None
    return send_privately(request, found)


@require_safe
def shared_media(request, token: str, name: str):
    link = find_active(token)
    found = access.find(name, Photo.objects.filter(release_id=link.release_id)) if link else None
    return send_privately(request, found)
