"""The JSON lines backup: the whole archive as text, one release per line, and back, losslessly.

Shape: a first line `{"pressroom_backup": 1}`, then one object per release (sorted by
reference): reference, kind, state, origin (desk or import; inferred when missing, see
`records.ReleaseRecord.origin_of`), issue instant (UTC, ISO 8601), issue_time_stated,
department and categories (code/slug and names: created on restore if missing), correction and
withdrawal fields, the written versions (en, zh-Hant: title, body blocks, source reference and
digest) and photos (position, image path, size, caption and alt text per written language).

Simplified Chinese is not in the backup: it is derived from zh-Hant whenever that is saved.

Image files are not in the backup either: a photo carries its file's path relative to
MEDIA_ROOT, so back up the media folder alongside (e.g. `rsync -a $PRESSROOM_DATA_DIR/media/`)
and restore it first. A restore points the photo at that path again without reading the file,
once it has checked that it is a file of the media folder. Paths are random
(pressroom.media.names); one of the older form (`photos/<year>/<reference>/01.jpg`, from a
backup written before) gets a random name as it is restored, its file and renditions renamed.

A restore trusts a backup no more than the desk trusts a browser: every field is checked
(`pressroom.importer.records`), a bad record fails alone with its line number, and a record
never changes a release the desk owns (as a wire file never does).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Prefetch

from pressroom.importer.records import RecordProblem, ReleaseRecord, checked
from pressroom.importer.results import ImportResult, ImportStatus, belongs_to_the_desk
from pressroom.media import names
from pressroom.media.models import Photo, PhotoText
from pressroom.media.photos import remove_photo_text
from pressroom.releases import services
from pressroom.releases.languages import WRITTEN_LANGUAGES
from pressroom.releases.models import Category, Department, Release, ReleaseVersion
from pressroom.workflow.audit import record_import_change

FORMAT_VERSION = 1
HEADER = {"pressroom_backup": FORMAT_VERSION}
_WRITTEN = [language.value for language in WRITTEN_LANGUAGES]

logger = logging.getLogger(__name__)


# Export ---------------------------------------------------------------------------------------


def backup_queryset():
    """Every release with all it needs prefetched, in a stable order."""
    return (
        Release.objects.order_by("reference")
        .select_related("department")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("slug")),
            Prefetch("versions", queryset=ReleaseVersion.objects.filter(language__in=_WRITTEN)),
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
    return value.astimezone(dt.UTC).isoformat() if value else None


_RELEASE_FIELDS = (
    "id", "reference", "kind", "state", "origin", "issue_instant", "issue_time_stated",
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
            release_id, department_code = row[0], row[7]
            yield _record(
                fields=dict(zip(_RELEASE_FIELDS[1:7], row[1:7])),
                department={"code": department_code, "name_en": row[8], "name_zh_hant": row[9]}
                if department_code is not None
                else None,
                changes=dict(zip(_RELEASE_FIELDS[10:], row[10:])),
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
        .values_list("release_id", "language", "title", "body", "source_reference", "source_digest")
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
            "origin": release.origin,
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
            {
                "slug": category.slug,
                "name_en": category.name_en,
                "name_zh_hant": category.name_zh_hant,
            }
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
        "origin": fields["origin"],
        "issue_instant": _instant(fields["issue_instant"]),
        "issue_time_stated": fields["issue_time_stated"],
        "department": department,
        "categories": categories,
        "correction_note": changes["correction_note"],
        "corrected_at": _instant(changes["corrected_at"]),
        "withdrawal_reason": changes["withdrawal_reason"],
        "withdrawn_at": _instant(changes["withdrawn_at"]),
        "versions": {language: versions[language] for language in _WRITTEN if language in versions},
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
    """One result per release line; a bad line fails alone, in its own savepoint, whatever
    is wrong with it, and the lines before and after it are restored."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield ImportResult(name, ImportStatus.FAILED, error=f"not UTF-8: {error}")
        return
    # A record holds both written languages, each as large as a wire file may be.
    record_max = 2 * settings.PRESSROOM_IMPORT_MAX_BYTES
    # Only "\n" ends a JSON line: str.splitlines() also splits at U+2028 and the like, which
    # JSON writes as they are inside strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            if len(line) > record_max:
                raise RecordProblem(
                    f"the line is {len(line):,} characters long; a record may be at most "
                    f"{record_max:,} (twice PRESSROOM_IMPORT_MAX_BYTES)"
                )
            record = json.loads(line)
            if isinstance(record, dict) and "pressroom_backup" in record:
                _check_header(record)
                continue
            with transaction.atomic():
                status, release = restore_record(record, f"{name} line {number}")
        except json.JSONDecodeError as error:
            yield ImportResult(
                name,
                ImportStatus.FAILED,
                line=number,
                error=f"not JSON: {error.msg} at column {error.colno}",
            )
            continue
        except RecursionError:
            yield ImportResult(
                name,
                ImportStatus.FAILED,
                line=number,
                error="not a backup record: JSON nested too deeply",
            )
            continue
        except RecordProblem as problem:
            yield ImportResult(name, ImportStatus.FAILED, line=number, error=str(problem))
            continue
        except (DatabaseError, ValueError) as error:
            # Rolled back with its savepoint: what the checks did not foresee fails alone too.
            logger.debug("restoring %s line %s failed", name, number, exc_info=True)
            yield ImportResult(
                name, ImportStatus.FAILED, line=number, error=f"{type(error).__name__}: {error}"
            )
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


def restore_record(data: object, source: str = "") -> tuple[ImportStatus, Release]:
    """Make the database hold exactly this record's release (call inside a transaction).

    Every field is checked first (`records.checked`). A release the desk owns is never
    changed (the same record again is "unchanged"); a change to an archive release writes a
    revision and an audit entry naming `source` ("<file> line <n>")."""
    record = checked(data)
    existing = backup_queryset().filter(reference=record.reference).first()
    if existing is not None:
        if release_record(existing) == {**data, "origin": record.origin_of()}:
            return ImportStatus.UNCHANGED, existing
        if not existing.is_archive_release:
            raise RecordProblem(belongs_to_the_desk(record.reference, existing))
    _check_references_are_free(record, existing)
    release = existing or Release(reference=record.reference)
    _restore_fields(release, record)
    release.save()
    release.categories.set(_categories(record))
    _restore_versions(release, record, data["versions"])
    _restore_photos(release, record)
    if existing is not None:
        record_import_change(release, "restore", f"restored from {source}")
    return (ImportStatus.UPDATED if existing else ImportStatus.IMPORTED), release


def _check_references_are_free(record: ReleaseRecord, existing: Release | None) -> None:
    """A record's references are no other release's: claiming one (a desk release's among
    them) would make a later import of that reference find two releases."""
    carried = {
        version.source_reference: f"versions.{language}.source_reference"
        for language, version in record.versions.items()
        if version.source_reference
    }
    wanted = {record.reference: "reference", **carried}
    others = Release.objects.by_references(list(wanted)).prefetch_related("versions")
    if existing is not None:
        others = others.exclude(pk=existing.pk)
    for other in others:
        for reference, field in wanted.items():
            if other.reference == reference or any(
                version.source_reference == reference for version in other.versions.all()
            ):
                if not other.is_archive_release:
                    raise RecordProblem(f"{field}: {belongs_to_the_desk(reference, other)}")
                raise RecordProblem(f"{field}: {reference} is release {other.reference}'s")


def _restore_fields(release: Release, record: ReleaseRecord) -> None:
    release.kind = record.kind
    release.state = record.state
    release.origin = record.origin_of()
    release.issue_instant = record.issue_instant
    release.issue_time_stated = record.issue_time_stated
    release.correction_note = record.correction_note
    release.corrected_at = record.corrected_at
    release.withdrawal_reason = record.withdrawal_reason
    release.withdrawn_at = record.withdrawn_at
    release.department = _department(record.department) if record.department else None


def _names(named) -> dict:
    return {"name_en": named.name_en, "name_zh_hant": named.name_zh_hant}


def _department(department) -> Department:
    found, _ = Department.objects.get_or_create(code=department.code, defaults=_names(department))
    return found


def _categories(record: ReleaseRecord) -> list[Category]:
    return [
        Category.objects.get_or_create(slug=category.slug, defaults=_names(category))[0]
        for category in record.categories
    ]


def _restore_versions(release: Release, record: ReleaseRecord, raw: dict) -> None:
    for language, version in record.versions.items():
        services.write_version(
            release,
            language,
            title=version.title,
            # The stored body is exactly the backup's (checked: a block's own keys only), not
            # a re-serialisation that could differ; zh-Hans is derived from the same.
            body=raw[language]["body"],
            source_reference=version.source_reference,
            source_digest=version.source_digest,
        )
    for language in _WRITTEN:
        if language not in record.versions:
            services.remove_version(release, language)


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


def _restore_photos(release: Release, record: ReleaseRecord) -> None:
    texts: dict[str, dict[int, tuple[str, str]]] = {language: {} for language in _WRITTEN}
    for data in record.photos:
        photo, _ = Photo.objects.get_or_create(release=release, position=data.position)
        photo.image.name = _restored_image(photo, data.image)
        photo.width = data.width
        photo.height = data.height
        photo.save()
        for language in _WRITTEN:
            text = data.texts.get(language)
            if text is not None:
                texts[language][data.position] = (text.caption, text.alt_text)
            else:
                remove_photo_text(photo, language)
    for language, by_position in texts.items():
        services.write_photo_texts(release, language, by_position)
    release.photos.exclude(position__in=[data.position for data in record.photos]).delete()
