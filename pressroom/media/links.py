"""Addresses of photo files, one per route: each output links the route its readers may use.

- `public_url`: the public route (`/media/<name>`, pressroom.media.views), for public outputs
  only (pages, feeds, the API, e-mail), which list `public_photos(release)`: none for a
  withdrawn release, whose files are no longer sent. A release's files answer from its issue
  instant on; an embargoed webhook may carry an address that answers only from then.
- `desk_url`: the desk route (`/desk/media/<name>`), for the desk and the admin; a photo's
  `image.url` is this route too (pressroom.media.models.PhotoFile).
- `preview_url`: a shared preview's own route (`/desk/shared/<token>/media/<name>`).

`rendition` names a rendition ("thumb", "page"; the original when that one was never made) or,
as None, the original. Every function gives None while a photo awaits its image.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from pressroom.media.access import withholds_media
from pressroom.media.renditions import rendition_file


def public_photos(release) -> list:
    """The photos a public output shows of a public release."""
    return [] if withholds_media(release) else list(release.photos.all())


def public_url(photo, rendition: str | None = None) -> str | None:
    name = rendition_file(photo, rendition)
    return settings.MEDIA_URL + name if name else None


def desk_url(photo, rendition: str | None = None) -> str | None:
    name = rendition_file(photo, rendition)
    return reverse("desk:media", kwargs={"name": name}) if name else None


def preview_url(token: str, photo, rendition: str | None = None) -> str | None:
    name = rendition_file(photo, rendition)
    return reverse("desk:shared-media", kwargs={"token": token, "name": name}) if name else None
