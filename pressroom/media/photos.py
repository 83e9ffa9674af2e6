"""A release's photos as rows: photos 1..n (awaiting their image files) and their captions and
alt texts in each language.

The write path (`pressroom.releases.services`) checks the texts and derives zh-Hans from
zh-Hant; the rows are stored here, in the writer's transaction (MediaConfig.ready hands
`update_photo_texts` and `create_photo_texts` to it), so a caption is stored the same way
whoever writes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from pressroom.media.models import Photo, PhotoText
from pressroom.releases import limits
from pressroom.releases.models import Release
from pressroom.releases.services import PhotoTextRow, with_derived


@transaction.atomic
def ensure_photos(release: Release, count: int) -> list[Photo]:
    """Make sure the release has photos 1..count (new ones await their image files); its
    photos in order, in two queries whatever the count."""
    limits.photos("photos", count)
    photos = list(release.photos.order_by("position"))
    present = {photo.position for photo in photos}
    missing = [position for position in range(1, count + 1) if position not in present]
    if missing:
        photos += Photo.objects.bulk_create(
            Photo(release=release, position=position) for position in missing
        )
        photos.sort(key=lambda photo: photo.position)
    return photos


def update_photo_texts(release: Release, photo_texts: Sequence[PhotoTextRow]) -> None:
    """One release's photo texts written (its missing photos among 1..n made), in a constant
    number of queries however many texts: the photos and texts are read once and written in
    bulk."""
    photos = ensure_photos(release, max(position for position, *_ in photo_texts))
    by_position = {photo.position: photo for photo in photos}
    wanted = {
        (by_position[position].pk, language): (caption, alt_text)
        for position, language, caption, alt_text in photo_texts
    }
    present = PhotoText.objects.filter(
        photo_id__in={photo_id for photo_id, _ in wanted},
        language__in={language for _, language in wanted},
    )
    changed = []
    for text in present:
        caption, alt_text = wanted.pop((text.photo_id, text.language))
        if (text.caption, text.alt_text) != (caption, alt_text):
            text.caption, text.alt_text = caption, alt_text
            changed.append(text)
    PhotoText.objects.bulk_update(changed, ["caption", "alt_text"])
    PhotoText.objects.bulk_create(
        PhotoText(photo_id=photo_id, language=language, caption=caption, alt_text=alt_text)
        for (photo_id, language), (caption, alt_text) in wanted.items()
    )


def create_photo_texts(texts: Sequence[tuple[Release, Sequence[PhotoTextRow]]]) -> None:
    """Photos 1..n of each new release (awaiting their images) and each language's texts."""
    counts: dict[int, int] = {}
    releases: dict[int, Release] = {}
    for release, photo_texts in texts:
        releases[release.pk] = release
        most = max(position for position, *_ in photo_texts)
        counts[release.pk] = max(counts.get(release.pk, 0), most)
    photos = Photo.objects.bulk_create(
        Photo(release=releases[pk], position=position)
        for pk, count in counts.items()
        for position in range(1, count + 1)
    )
    by_position = {(photo.release_id, photo.position): photo for photo in photos}
    PhotoText.objects.bulk_create(
        PhotoText(
            photo=by_position[(release.pk, position)],
            language=language,
            caption=caption,
            alt_text=alt_text,
        )
        for release, photo_texts in texts
        for position, language, caption, alt_text in photo_texts
    )


@transaction.atomic
def remove_photo_text(photo: Photo, language: str) -> None:
    """A photo's text in a written language goes, and with zh-Hant its derived twin."""
    PhotoText.objects.filter(photo=photo, language__in=with_derived(language)).delete()
