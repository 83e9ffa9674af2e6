"""Writing a release's content: the one path every writer (importer, demo, desk, API) takes.

Each function keeps the derived parts in step (zh-Hans versions and captions follow zh-Hant
through the models' save), so no caller has to remember them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.db import connection, models, transaction
from django.utils import timezone

from pressroom.core.binary_copy import Encoded, copy_rows
from pressroom.media.models import Photo, PhotoText
from pressroom.releases import limits
from pressroom.releases.chinese import to_simplified
from pressroom.releases.languages import WRITTEN_LANGUAGES, Language
from pressroom.releases.limits import TextRefused
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
    """Create or replace the title and body of one written language version.

    Raises `TextRefused` (naming e.g. "en.title") for a text past its limit or holding
    characters its field does not take: the last guard behind every entrance's own checks.
    """
    language = _written_language(language)
    limits.single_line(f"{language}.title", title, limits.TITLE_MAX_CHARS)
    limits.body(f"{language}.body", body)
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


def write_captions(
    release: Release,
    language: str,
    captions: Sequence[str],
    alt_texts: Sequence[str] | None = None,
) -> None:
    """Set one written language's captions (and alt texts) for photos 1..len(captions).

    An alt text that is missing or empty starts from its caption."""
    alt_texts = alt_texts or ()
    texts = {
        position: (caption, (alt_texts[position - 1] if position <= len(alt_texts) else "") or None)
        for position, caption in enumerate(captions, start=1)
    }
    limits.photos(f"{language}.captions", len(captions))
    write_photo_texts(release, language, texts)


def write_caption(
    release: Release, language: str, position: int, caption: str, alt_text: str | None = None
) -> None:
    """Set one photo's caption in one written language (a photo pop-up page carries one).

    Without `alt_text` the caption's start stands in; "" stores an empty alt text as given.
    """
    write_photo_texts(release, language, {position: (caption, alt_text)})


@transaction.atomic
def write_photo_texts(
    release: Release, language: str, texts: Mapping[int, tuple[str, str | None]]
) -> None:
    """Set captions and alt texts by photo position (1-based) in one written language; the
    zh-Hans texts follow zh-Hant. An alt text of None starts from its caption.

    A constant number of queries however many texts: every text is checked first (TextRefused
    names the first bad one, nothing is written), then the photos and texts are read once and
    written in bulk.
    """
    language = _written_language(language)
    if not texts:
        return
    checked = {}
    for position, (caption, alt_text) in sorted(texts.items()):
        where = f"{language}.captions.{position}"
        if position < 1:
            raise TextRefused(where, "photos are numbered from 1")
        caption = limits.multi_line(f"{where}.caption", caption, limits.CAPTION_MAX_CHARS)
        alt_text = _alt_from_caption(caption) if alt_text is None else alt_text
        limits.single_line(f"{where}.alt_text", alt_text, limits.ALT_TEXT_MAX_CHARS)
        checked[position] = (caption, alt_text)
    photos = ensure_photos(release, max(checked))
    by_position = {photo.position: photo for photo in photos}
    wanted = {}  # (photo id, language) -> (caption, alt text)
    for position, (caption, alt_text) in checked.items():
        photo_id = by_position[position].pk
        wanted[(photo_id, language)] = (caption, alt_text)
        if language == Language.ZH_HANT:  # as PhotoText.save derives them
            wanted[(photo_id, Language.ZH_HANS)] = (to_simplified(caption), to_simplified(alt_text))
    present = PhotoText.objects.filter(
        photo_id__in={photo_id for photo_id, _ in wanted},
        language__in={text_language for _, text_language in wanted},
    )
    changed = []
    for text in present:
        caption, alt_text = wanted.pop((text.photo_id, text.language))
        if (text.caption, text.alt_text) != (caption, alt_text):
            text.caption, text.alt_text = caption, alt_text
            changed.append(text)
    PhotoText.objects.bulk_update(changed, ["caption", "alt_text"])
    PhotoText.objects.bulk_create(
        PhotoText(photo_id=photo_id, language=text_language, caption=caption, alt_text=alt_text)
        for (photo_id, text_language), (caption, alt_text) in wanted.items()
    )


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
    """A caption's start, on one line, as an alt text: alt text must say what the picture
    shows, and a caption's first sentence is a fair start."""
    return limits.one_line(caption[: 2 * limits.ALT_TEXT_MAX_CHARS]).strip()[
        : limits.ALT_TEXT_MAX_CHARS
    ]


# Bulk loads ------------------------------------------------------------------------------------

# Field types whose Python values the database drivers take as they are: everything else goes
# through the field's own get_db_prep_save (dates, JSON, ...).
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    raw_columns: Sequence[str] = (),
):
    """Insert plain rows of `model` (values of the fields named by `columns`, in that order,
    then of the table's `raw_columns`, columns no field describes, in the database's own form:
    `Binary` on PostgreSQL).

    For archive loads, where bulk_create's work per field and row costs more than the database
    takes to store them: one prepared statement run over all rows (executemany) on SQLite, COPY
    in the binary format on PostgreSQL (`pressroom.core.binary_copy`). Fields not named get
    their auto_now/auto_now_add instant or their default, as bulk_create would set them. No
    save() runs, no signal is sent, primary keys are not read back. `Encoded` values are
    written as they are (e.g. JSON text for a JSON field).
    """
    fields = [model._meta.get_field(name) for name in columns]
    now = timezone.now()
    extra = []  # the same for every row: converted once
    for field in model._meta.concrete_fields:
        automatic_key = field.primary_key and field.get_internal_type().endswith("AutoField")
        if field in fields or automatic_key:
            continue
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        # get_default: the declared default, else "" or None as bulk_create would store.
        extra.append(field.get_db_prep_save(now if auto else field.get_default(), connection))
        fields.append(field)
    converters = [
        None
        if field.get_internal_type() in _PLAIN_TYPES
        else (lambda value, field=field: field.get_db_prep_save(value, connection))
        for field in fields[: len(columns)]
    ]
    converters += [None] * len(raw_columns)
    prepared = (
        [
            value if convert is None or isinstance(value, Encoded) else convert(value)
            for value, convert in zip(row, converters, strict=True)
        ]
        + extra
        for row in rows
    )
    table = model._meta.db_table
    named = [*(field.column for field in fields[: len(columns)]), *raw_columns]
    named += [field.column for field in fields[len(columns) :]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The driver's own cursor and COPY: its errors are made Django's (IntegrityError, ...).
            with connection.wrap_database_errors:
                copy_rows(cursor.cursor, table, named, prepared, given=raw_columns)
        else:
            names = ", ".join(connection.ops.quote_name(name) for name in named)
            marks = ", ".join(["%s"] * len(named))
            table = connection.ops.quote_name(table)
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(prepared))


@dataclass(frozen=True)
class NewContent:
    """One written language of a release made in the same bulk load: text and captions.

    `body_json` (the body as JSON text) and `simplified` (the zh-Hans title and body JSON of a
    zh-Hant version) may come made already, e.g. by the worker process that parsed the page;
    they are made here otherwise."""

    release: Release
    language: str
    title: str
    body: Sequence[Block]
    source_reference: str = ""
    source_digest: str = ""
    captions: Sequence[str] = ()
    body_json: str = ""
    simplified: tuple[str, str] | None = None


def create_content_in_bulk(contents: Sequence[NewContent]) -> None:
    """Store versions and captions of saved releases that have none yet, in a few queries.

    For archive loads (the importer's batches), where one query per row costs more than the
    text. The same rules as the one-by-one functions: zh-Hans versions and captions are derived
    from zh-Hant here, alt texts start from captions. No save() runs and no signal is sent, so
    the caller indexes the written versions for search. Each release must be new: no versions,
    no photos yet.
    """
    rows = []
    for content in contents:
        _written_language(content.language)
        body_json = content.body_json or json.dumps([block.to_dict() for block in content.body])
        source = (content.source_reference, content.source_digest)
        release_id = content.release.pk
        rows.append((release_id, content.language, content.title, Encoded(body_json), *source))
        if content.language == Language.ZH_HANT:
            # The same derivation as ReleaseVersion.save (derive_simplified_version).
            title, body_json = content.simplified or (
                to_simplified(content.title),
                json.dumps([simplify_block(block.to_dict()) for block in content.body]),
            )
            rows.append((release_id, Language.ZH_HANS, title, Encoded(body_json), source[0], ""))
    columns = ["release", "language", "title", "body", "source_reference", "source_digest"]
    insert_rows(ReleaseVersion, columns, rows)
    _create_captions_in_bulk([content for content in contents if content.captions])


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
