"""Writing a release's content: the one path every writer (importer, demo, desk, API) takes.

Each function keeps the derived parts in step (zh-Hans versions and captions follow zh-Hant
through the models' save), so no caller has to remember them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.db import transaction

from pressroom.media.models import Photo, PhotoText
from pressroom.releases.chinese import to_simplified
from pressroom.releases.languages import WRITTEN_LANGUAGES, Language
from pressroom.releases.models import Release, ReleaseVersion, simplify_block
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


# Bulk loads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewContent:
    """One written language of a release made in the same bulk load: text and captions."""

    release: Release
    language: str
    title: str
    body: Sequence[Block]
    source_reference: str = ""
    source_digest: str = ""
    captions: Sequence[str] = ()


def create_content_in_bulk(contents: Sequence[NewContent]) -> list[ReleaseVersion]:
    """Store versions and captions of saved releases that have none yet, in a few queries.

    For archive loads (the importer's batches), where one query per row costs more than the
    text. The same rules as the one-by-one functions: zh-Hans versions and captions are derived
    from zh-Hant here, alt texts start from captions. No save() runs and no signal is sent, so
    the caller indexes the returned written versions for search. Each release must be new: no
    versions, no photos yet. Returns the written versions (not the derived zh-Hans ones).
    """
    for content in contents:
        _written_language(content.language)
    written = [_new_version(content) for content in contents]
    derived = [
        _simplified_copy(version) for version in written if version.language == Language.ZH_HANT
    ]
    ReleaseVersion.objects.bulk_create(written + derived)
    _create_captions_in_bulk([content for content in contents if content.captions])
    return written


def _new_version(content: NewContent) -> ReleaseVersion:
    return ReleaseVersion(
        release=content.release,
        language=content.language,
        title=content.title,
        body=[block.to_dict() for block in content.body],
        source_reference=content.source_reference,
        source_digest=content.source_digest,
    )


def _simplified_copy(traditional: ReleaseVersion) -> ReleaseVersion:
    # The same derivation as ReleaseVersion.save (derive_simplified_version), unsaved.
    return ReleaseVersion(
        release=traditional.release,
        language=Language.ZH_HANS,
        title=to_simplified(traditional.title),
        body=[simplify_block(block) for block in traditional.body],
        source_reference=traditional.source_reference,
        source_digest="",
    )


def _create_captions_in_bulk(contents: Sequence[NewContent]) -> None:
    """Photos 1..n of each release (awaiting their images) and each language's texts."""
    counts: dict[int, int] = {}
    releases: dict[int, Release] = {}
    for content in contents:
        releases[content.release.pk] = content.release
        counts[content.release.pk] = max(counts.get(content.release.pk, 0), len(content.captions))
    photos = Photo.objects.bulk_create(
        Photo(release=releases[pk], position=position)
        for pk, count in counts.items()
        for position in range(1, count + 1)
    )
    by_position = {(photo.release_id, photo.position): photo for photo in photos}
    texts = []
    for content in contents:
        for position, caption in enumerate(content.captions, start=1):
            photo = by_position[(content.release.pk, position)]
            alt = _alt_from_caption(caption)
            texts.append(
                PhotoText(photo=photo, language=content.language, caption=caption, alt_text=alt)
            )
            if content.language == Language.ZH_HANT:
                # As PhotoText.save derives them.
                texts.append(
                    PhotoText(
                        photo=photo,
                        language=Language.ZH_HANS,
                        caption=to_simplified(caption),
                        alt_text=to_simplified(alt),
                    )
                )
    PhotoText.objects.bulk_create(texts)
