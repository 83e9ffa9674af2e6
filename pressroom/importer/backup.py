"""The JSON lines backup: the whole archive as text, one release per line, and back, losslessly.

Shape: a first line `{"pressroom_backup": 1}`, then one object per release (sorted by
reference): reference, kind, state, issue instant (UTC, ISO 8601), issue_time_stated,
department and categories (code/slug and names: created on restore if missing), correction and
withdrawal fields, the written versions (en, zh-Hant: title, body blocks, source reference and
digest) and photos (position, image path, size, caption and alt text per written language).

Simplified Chinese is not in the backup: it is derived from zh-Hant whenever that is saved.

Image files are not in the backup either: a photo carries its file's path relative to
MEDIA_ROOT, so back up the media folder alongside (e.g. `rsync -a $PRESSROOM_DATA_DIR/media/`).
A restore points the photo at that path again without reading the file. Paths are random
(pressroom.media.names); one of the older form (`photos/<year>/<reference>/01.jpg`, from a
backup written before) gets a random name as it is restored, its file and renditions renamed
when they are in the media folder: restore the media folder first for such a backup.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch

from pressroom.importer.results import ImportResult, ImportStatus
from pressroom.media import names
from pressroom.media.models import Photo, PhotoText
from pressroom.releases import services
from pressroom.releases.languages import WRITTEN_LANGUAGES
from pressroom.releases.models import (
    Category,
    Department,
    Release,
    ReleaseKind,
    ReleaseState,
    ReleaseVersion,
)
from pressroom.wire.model import Block

FORMAT_VERSION = 1
HEADER = {"pressroom_backup": FORMAT_VERSION}
_WRITTEN = [language.value for language in WRITTEN_LANGUAGES]


class RecordProblem(ValueError):
    """A backup line that cannot be restored, with the field at fault."""


# Export ---------------------------------------------------------------------------------------


def backup_queryset():
    """Every release with all it needs prefetched, in a stable order."""
    return (
        Release.objects.order_by("reference")
        .select_related("department")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("slug")),
            Prefetch(
                "versions", queryset=ReleaseVersion.objects.filter(language__in=_WRITTEN)
            ),
            Prefetch(
                "photos",
                queryset=Photo.objects.order_by("position").prefetch_related(
                    Prefetch("texts", queryset=PhotoText.objects.filter(language__in=_WRITTEN))
                ),
            ),
        )
    )


def backup_lines(queryset=None, chunk_size: int = 500) -> Iterator[str]:
    """The backup line by line (no newlines): constant memory whatever the archive's size.

    Without a queryset, the whole archive is read as plain rows, `chunk_size` releases at a
    time (five queries per chunk, none per release, no model instances): an archive export
    is bound by serialising, not by the ORM. A queryset (one release) goes the model way.
    """
    yield json.dumps(HEADER)
    if queryset is None:
        for record in _archive_records(chunk_size):
            yield json.dumps(record, ensure_ascii=False, sort_keys=True)
        return
    for release in queryset.iterator(chunk_size=chunk_size):
        yield json.dumps(release_record(release), ensure_ascii=False, sort_keys=True)


def _instant(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat() if value else None


_RELEASE_FIELDS = (
    "id", "reference", "kind", "state", "issue_instant", "issue_time_stated",
    "department__code", "department__name_en", "department__name_zh_hant",
    "correction_note", "corrected_at", "withdrawal_reason", "withdrawn_at",
)  # fmt: skip


def _archive_records(chunk_size: int) -> Iterator[dict]:
    """Every release's record, in reference order, read in chunks by reference (keyset)."""
    last_reference = ""
    while True:
        rows = list(
            Release.objects.filter(reference__gt=last_reference)
            .order_by("reference")
            .values_list(*_RELEASE_FIELDS)[:chunk_size]
        )
        if not rows:
            return
        last_reference = rows[-1][1]
        ids = [row[0] for row in rows]
        categories = _categories_of(ids)
        versions = _versions_of(ids)
        photos = _photos_of(ids)
        for row in rows:
            release_id, department_code = row[0], row[6]
            yield _record(
                fields=dict(zip(_RELEASE_FIELDS[1:6], row[1:6])),
                department={"code": department_code, "name_en": row[7], "name_zh_hant": row[8]}
                if department_code is not None
                else None,
                changes=dict(zip(_RELEASE_FIELDS[9:], row[9:])),
                categories=categories.get(release_id, []),
                versions=versions.get(release_id, {}),
                photos=photos.get(release_id, []),
            )


def _categories_of(release_ids: list[int]) -> dict[int, list[dict]]:
    through = Release.categories.through
    found: dict[int, list[dict]] = {}
    rows = (
        through.objects.filter(release_id__in=release_ids)
        .order_by("category__slug")
        .values_list("release_id", "category__slug", "category__name_en", "category__name_zh_hant")
    )
    for release_id, slug, name_en, name_zh_hant in rows:
        found.setdefault(release_id, []).append(
            {"slug": slug, "name_en": name_en, "name_zh_hant": name_zh_hant}
        )
    return found


def _versions_of(release_ids: list[int]) -> dict[int, dict[str, dict]]:
    found: dict[int, dict[str, dict]] = {}
    # order_by(): without the model's ordering, which joins releases to sort for nothing.
    rows = (
        ReleaseVersion.objects.filter(release_id__in=release_ids, language__in=_WRITTEN)
        .order_by()
        .values_list(
            "release_id", "language", "title", "body", "source_reference", "source_digest"
        )
    )
    for release_id, language, title, body, source_reference, source_digest in rows:
        found.setdefault(release_id, {})[language] = {
            "title": title,
            "body": body,
            "source_reference": source_reference,
            "source_digest": source_digest,
        }
    return found


def _photos_of(release_ids: list[int]) -> dict[int, list[dict]]:
    texts: dict[int, dict[str, dict]] = {}
    text_rows = (
        PhotoText.objects.filter(photo__release_id__in=release_ids, language__in=_WRITTEN)
        .order_by()
        .values_list("photo_id", "language", "caption", "alt_text")
    )
    for photo_id, language, caption, alt_text in text_rows:
        texts.setdefault(photo_id, {})[language] = {"caption": caption, "alt_text": alt_text}
    found: dict[int, list[dict]] = {}
    rows = (
        Photo.objects.filter(release_id__in=release_ids)
        .order_by("position")
        .values_list("id", "release_id", "position", "image", "width", "height")
    )
    for photo_id, release_id, position, image, width, height in rows:
        found.setdefault(release_id, []).append(
            _photo_fields(position, image, width, height, texts.get(photo_id, {}))
        )
    return found


def release_record(release: Release) -> dict:
    """One release's record, from a release with `backup_queryset`'s prefetches."""
    department = release.department
    return _record(
        fields={
            "reference": release.reference,
            "kind": release.kind,
            "state": release.state,
            "issue_instant": release.issue_instant,
            "issue_time_stated": release.issue_time_stated,
        },
        department={
            "code": department.code,
            "name_en": department.name_en,
            "name_zh_hant": department.name_zh_hant,
        }
        if department
        else None,
        changes={
            "correction_note": release.correction_note,
            "corrected_at": release.corrected_at,
            "withdrawal_reason": release.withdrawal_reason,
            "withdrawn_at": release.withdrawn_at,
        },
        categories=[
            {"slug": category.slug, "name_en": category.name_en,
             "name_zh_hant": category.name_zh_hant}
            for category in sorted(release.categories.all(), key=lambda c: c.slug)
        ],
        versions={
            version.language: {
                "title": version.title,
                "body": version.body,
                "source_reference": version.source_reference,
                "source_digest": version.source_digest,
            }
            for version in release.versions.all()
        },
        photos=[_photo_record(photo) for photo in release.photos.all()],
    )


def _record(
    *,
    fields: dict,
    department: dict | None,
    changes: dict,
    categories: list[dict],
    versions: dict[str, dict],
    photos: list[dict],
) -> dict:
    """The one shape of a backup record, whichever way its parts were read."""
    return {
        "reference": fields["reference"],
        "kind": fields["kind"],
        "state": fields["state"],
        "issue_instant": _instant(fields["issue_instant"]),
        "issue_time_stated": fields["issue_time_stated"],
        "department": department,
        "categories": categories,
        "correction_note": changes["correction_note"],
        "corrected_at": _instant(changes["corrected_at"]),
        "withdrawal_reason": changes["withdrawal_reason"],
        "withdrawn_at": _instant(changes["withdrawn_at"]),
        "versions": {
            language: versions[language] for language in _WRITTEN if language in versions
        },
        "photos": photos,
    }


def _photo_record(photo: Photo) -> dict:
    texts = {
        text.language: {"caption": text.caption, "alt_text": text.alt_text}
        for text in photo.texts.all()
    }
    return _photo_fields(photo.position, photo.image.name, photo.width, photo.height, texts)


def _photo_fields(position, image, width, height, texts: dict[str, dict]) -> dict:
    return {
        "position": position,
        "image": image or "",
        "width": width,
        "height": height,
        "texts": {language: texts[language] for language in _WRITTEN if language in texts},
    }


# Restore --------------------------------------------------------------------------------------


def looks_like_backup(data: bytes) -> bool:
    """Wire text never starts with "{"; a backup always does."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def restore_lines(name: str, data: bytes) -> Iterator[ImportResult]:
    """One result per release line; a bad line fails alone, in its own transaction."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield ImportResult(name, ImportStatus.FAILED, error=f"not UTF-8: {error}")
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise RecordProblem("expected a JSON object")
            if "pressroom_backup" in record:
                _check_header(record)
                continue
            with transaction.atomic():
                status, release = restore_record(record)
        except json.JSONDecodeError as error:
            yield ImportResult(name, ImportStatus.FAILED, line=number,
                               error=f"not JSON: {error.msg} at column {error.colno}")
            continue
        except RecordProblem as problem:
            yield ImportResult(name, ImportStatus.FAILED, line=number, error=str(problem))
            continue
        language = release.default_language()
        yield ImportResult(
            name,
            status,
            line=number,
            reference=release.reference,
            language=language,
            url=release.get_absolute_url(language) if release.issue_instant else None,
        )


def _check_header(record: dict) -> None:
    if record.get("pressroom_backup") != FORMAT_VERSION:
        raise RecordProblem(
            f"backup format {record.get('pressroom_backup')!r} is not supported "
            f"(this Pressroom reads format {FORMAT_VERSION})"
        )


def restore_record(record: dict) -> tuple[ImportStatus, Release]:
    """Make the database hold exactly this record's release (call inside a transaction)."""
    reference = _field(record, "reference", str)
    existing = backup_queryset().filter(reference=reference).first()
    if existing is not None and release_record(existing) == record:
        return ImportStatus.UNCHANGED, existing
    release = existing or Release(reference=reference)
    _restore_fields(release, record)
    release.save()
    release.categories.set(_categories(record))
    _restore_versions(release, _field(record, "versions", dict))
    _restore_photos(release, _field(record, "photos", list))
    return (ImportStatus.UPDATED if existing else ImportStatus.IMPORTED), release


def _field(record: dict, key: str, kind: type, nullable: bool = False):
    if key not in record:
        raise RecordProblem(f"missing field {key!r}")
    value = record[key]
    if value is None and nullable:
        return None
    if not isinstance(value, kind):
        raise RecordProblem(f"field {key!r}: expected {kind.__name__}, got {value!r:.60}")
    return value


def _choice(record: dict, key: str, choices) -> str:
    value = _field(record, key, str)
    if value not in choices.values:
        raise RecordProblem(f"field {key!r}: {value!r} is not one of {', '.join(choices.values)}")
    return value


def _parse_instant(record: dict, key: str) -> dt.datetime | None:
    value = _field(record, key, str, nullable=True)
    if value is None:
        return None
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise RecordProblem(f"field {key!r}: {value!r} is not an ISO 8601 date and time") from None
    if instant.tzinfo is None:
        raise RecordProblem(f"field {key!r}: {value!r} has no UTC offset")
    return instant


def _restore_fields(release: Release, record: dict) -> None:
    release.kind = _choice(record, "kind", ReleaseKind)
    release.state = _choice(record, "state", ReleaseState)
    release.issue_instant = _parse_instant(record, "issue_instant")
    release.issue_time_stated = _field(record, "issue_time_stated", bool)
    release.correction_note = _field(record, "correction_note", str)
    release.corrected_at = _parse_instant(record, "corrected_at")
    release.withdrawal_reason = _field(record, "withdrawal_reason", str)
    release.withdrawn_at = _parse_instant(record, "withdrawn_at")
    department = _field(record, "department", dict, nullable=True)
    release.department = _department(department) if department else None


def _names(data: dict, key: str) -> dict:
    return {
        "name_en": _field(data, "name_en", str),
        "name_zh_hant": _field(data, "name_zh_hant", str),
    }


def _department(data: dict) -> Department:
    department, _ = Department.objects.get_or_create(
        code=_field(data, "code", str), defaults=_names(data, "department")
    )
    return department


def _categories(record: dict) -> list[Category]:
    categories = []
    for data in _field(record, "categories", list):
        if not isinstance(data, dict):
            raise RecordProblem("field 'categories': expected objects")
        category, _ = Category.objects.get_or_create(
            slug=_field(data, "slug", str), defaults=_names(data, "category")
        )
        categories.append(category)
    return categories


def _restore_versions(release: Release, versions: dict) -> None:
    unknown = set(versions) - set(_WRITTEN)
    if unknown:
        raise RecordProblem(
            f"field 'versions': {', '.join(sorted(unknown))} cannot be restored "
            "(only en and zh-Hant are written; zh-Hans is derived)"
        )
    for language, data in versions.items():
        try:
            body = [Block.from_dict(block) for block in _field(data, "body", list)]
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            raise RecordProblem(f"versions.{language}.body: bad block ({error})") from None
        services.write_version(
            release,
            language,
            title=_field(data, "title", str),
            body=body,
            source_reference=_field(data, "source_reference", str),
            source_digest=_field(data, "source_digest", str),
        )
        # The stored body is exactly the backup's, not a re-serialisation that could differ.
        ReleaseVersion.objects.filter(release=release, language=language).update(
            body=data["body"]
        )
    gone = [language for language in _WRITTEN if language not in versions]
    if "zh-Hant" in gone:
        gone.append("zh-Hans")
    release.versions.filter(language__in=gone).delete()


def _restored_image(photo: Photo, name: str) -> str:
    """The image name to store for a backup's `name`. A backup written before file names were
    random names its files the old way: they get random names (pressroom.media.names.adopt).
    Restored again, its old name finds no file, and the photo keeps the one it was given."""
    try:
        restored = names.adopt(name, Path(settings.MEDIA_ROOT))
    except ValueError as error:
        raise RecordProblem(f"photo {photo.position}: {error}") from None
    if restored and not names.is_random(restored) and names.is_random(photo.image.name or ""):
        return photo.image.name
    return restored


def _restore_photos(release: Release, photos: list) -> None:
    positions = []
    for data in photos:
        if not isinstance(data, dict):
            raise RecordProblem("field 'photos': expected objects")
        position = _field(data, "position", int)
        positions.append(position)
        photo, _ = Photo.objects.get_or_create(release=release, position=position)
        photo.image.name = _restored_image(photo, _field(data, "image", str))
        photo.width = _field(data, "width", int, nullable=True)
        photo.height = _field(data, "height", int, nullable=True)
        photo.save()
        texts = _field(data, "texts", dict)
        for language, text in texts.items():
            if language not in _WRITTEN:
                raise RecordProblem(f"photo {position}: {language} captions are derived")
            services.write_caption(
                release,
                language,
                position,
                _field(text, "caption", str),
                alt_text=_field(text, "alt_text", str),
            )
        missing = [language for language in _WRITTEN if language not in texts]
        if "zh-Hant" in missing:
            missing.append("zh-Hans")
        photo.texts.filter(language__in=missing).delete()
    release.photos.exclude(position__in=positions).delete()
