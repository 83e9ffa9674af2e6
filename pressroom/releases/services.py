"""Writing a release's content: the one path every writer (importer, demo, desk, API) takes.

Each function keeps the derived parts in step (zh-Hans versions and captions follow zh-Hant
through the models' save), so no caller has to remember them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.core.files import File
from django.db import transaction

from pressroom.media.models import Photo, PhotoText
from pressroom.releases.languages import WRITTEN_LANGUAGES, Language
from pressroom.releases.models import Release, ReleaseVersion
from pressroom.wire.model import Block


class DerivedLanguageError(ValueError):
    """Simplified Chinese is derived from Traditional Chinese; nobody writes it directly."""


def _written_language(language: str) -> Language:
    language = Language(language)
    if language not in WRITTEN_LANGUAGES:
        raise DerivedLanguageError(
            f"{language} is derived from zh-Hant and cannot be written directly"
        )
    return language


@transaction.atomic
def write_version(
    release: Release,
    language: str,
    *,
    title: str,
    body: Sequence[Block],
    source_reference: str = "",
    source_digest: str = "",
) -> ReleaseVersion:
    """Create or replace the title and body of one written language version."""
    language = _written_language(language)
    version, _ = ReleaseVersion.objects.update_or_create(
        release=release,
        language=language,
        defaults={
            "title": title,
            "body": [block.to_dict() for block in body],
            "source_reference": source_reference,
            "source_digest": source_digest,
        },
    )
    return version


@transaction.atomic
def ensure_photos(release: Release, count: int) -> list[Photo]:
    """Make sure the release has photos 1..count (new ones await their image files)."""
    existing = {photo.position: photo for photo in release.photos.prefetch_related("texts")}
    photos = []
    for position in range(1, count + 1):
        photo = existing.get(position) or Photo.objects.create(release=release, position=position)
        photos.append(photo)
    return photos


@transaction.atomic
def write_captions(
    release: Release,
    language: str,
    captions: Sequence[str],
    alt_texts: Sequence[str] | None = None,
) -> None:
    """Set one written language's captions (and alt texts) for photos 1..len(captions)."""
    language = _written_language(language)
    photos = ensure_photos(release, len(captions))
    for index, (photo, caption) in enumerate(zip(photos, captions)):
        alt_text = alt_texts[index] if alt_texts and index < len(alt_texts) else ""
        text = photo.text(language) or PhotoText(photo=photo, language=language)
        text.caption = caption
        # Alt text must say what the picture shows; a caption's first sentence is a fair start.
        text.alt_text = alt_text or _alt_from_caption(caption)
        text.save()


@transaction.atomic
def write_caption(
    release: Release, language: str, position: int, caption: str, alt_text: str | None = None
) -> None:
    """Set one photo's caption in one written language (a photo pop-up page carries one).

    Without `alt_text` the caption's start stands in; "" stores an empty alt text as given.
    """
    language = _written_language(language)
    photo = ensure_photos(release, position)[position - 1]
    text = photo.text(language) or PhotoText(photo=photo, language=language)
    text.caption = caption
    text.alt_text = _alt_from_caption(caption) if alt_text is None else alt_text
    text.save()


def attach_image(release: Release, position: int, image_file: Path) -> Photo:
    """Store an image file as photo `position` of the release (created if missing).

    The file goes through the same checks and re-encoding as a desk upload (real JPEG, PNG or
    WebP within the limits; metadata stripped; renditions made): an archive is no more trusted
    than a browser. Raises `UploadRefused` with the file's name and the reason.
    Writes into MEDIA_ROOT at once: callers inside a transaction that may roll back delete the
    new `photo.image` themselves if it does.
    """
    from pressroom.media.uploads import clean_upload, store_photo

    with image_file.open("rb") as handle:
        clean = clean_upload(File(handle, name=image_file.name))
    return store_photo(release, position, clean)


def _alt_from_caption(caption: str) -> str:
    return caption[:300]
