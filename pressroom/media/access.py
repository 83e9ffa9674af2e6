"""Which file a request names, and whether the public may have it: a media file follows its release.

A photo's files (the original and every rendition) are public exactly while its release is
public (`Release.objects.public(now)`, the one visibility rule) and not withdrawn: a withdrawn
release keeps its page, with the notice, but its photos stop being sent. Nothing else counts:
not the name (random, see pressroom.media.names, but a name can be passed on), not who asks.
A draft's photo, a scheduled release's before its instant, a withdrawn one's and a name nobody
stored all get the same "not found".

The desk and preview links reach unpublished photos through their own routes (pressroom.desk
.media), which find the file here and decide who asks with the desk's own permission checks.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass

from django.db.models import QuerySet

from pressroom.media import names
from pressroom.media.models import Photo
from pressroom.releases.models import Release, ReleaseState

# Releases that are public and yet whose media files are no longer sent.
MEDIA_WITHHELD = (ReleaseState.WITHDRAWN,)


@dataclass(frozen=True)
class MediaFile:
    """One stored file (an original or a rendition) and the photo it belongs to."""

    photo: Photo
    name: str

    @property
    def content_type(self) -> str:
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"


def find(name: str, photos: QuerySet | None = None) -> MediaFile | None:
    """The file `name` names among `photos` (every photo by default), with its photo and
    release; None for a name of any other form (so no path outside the photos) or unknown."""
    candidates = names.originals_of(name)
    if not candidates:
        return None
    photos = Photo.objects.all() if photos is None else photos
    photo = photos.filter(image__in=candidates).select_related("release").first()
    return MediaFile(photo, name) if photo is not None else None


def releases_showing_media(now: dt.datetime) -> QuerySet:
    """Releases whose photos anyone may have at `now`."""
    return Release.objects.public(now).exclude(state__in=MEDIA_WITHHELD)


def public_file(name: str, now: dt.datetime) -> MediaFile | None:
    """The file, when anyone may have it at `now`; else None, whatever the reason."""
    return find(name, Photo.objects.filter(release__in=releases_showing_media(now)))


def withholds_media(release: Release) -> bool:
    """Whether a public release's photos are no longer shown nor sent (it was withdrawn)."""
    return release.state in MEDIA_WITHHELD
