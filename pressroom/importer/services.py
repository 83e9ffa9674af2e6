"""Importing releases: files in, one ImportResult per file (per record for backups).

Each file is read, decoded and parsed before anything touches the database; then its writes
happen in one transaction (a savepoint inside a batch), so a failed file leaves nothing behind.
Content goes through `pressroom.releases.services`, the one path every writer takes.

Idempotence: a release document's digest (its parsed content and the bytes of its image files)
is stored in `ReleaseVersion.source_digest`; the same digest again means "unchanged".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, transaction

from pressroom import wire
from pressroom.importer import backup
from pressroom.importer.pairing import place_document
from pressroom.importer.results import ImportResult, ImportStatus
from pressroom.media.uploads import UploadRefused
from pressroom.importer.sources import ImageFinder, collect_files, is_backup_name
from pressroom.releases import services
from pressroom.releases.chinese import convert_block, to_traditional
from pressroom.releases.languages import WRITTEN_LANGUAGES
from pressroom.releases.models import (
    HONG_KONG,
    Category,
    Department,
    Release,
    ReleaseKind,
    ReleaseState,
    ReleaseVersion,
    allocate_reference,
)
from pressroom.wire.model import Block, Language, PageKind, ParsedRelease, ParseError

logger = logging.getLogger(__name__)

# Files per committed batch: each file still has its own savepoint, but committing every file
# costs more than parsing it.
BATCH_SIZE = 200


class FileProblem(Exception):
    """A file that cannot be imported, with a message naming what is wrong."""


class _DryRunRollback(Exception):
    pass


@dataclass(frozen=True)
class Assignments:
    """What `--department` and `--category` ask to set on every imported release."""

    department: Department | None = None
    category: Category | None = None

    def apply(self, release: Release) -> bool:
        """Set them on the release; True if that changed anything."""
        changed = False
        if self.department and release.department_id != self.department.pk:
            release.department = self.department
            release.save(update_fields=["department", "updated_at"])
            changed = True
        if self.category and not release.categories.filter(pk=self.category.pk).exists():
            release.categories.add(self.category)
            changed = True
        return changed


class Importer:
    def __init__(self, assignments: Assignments | None = None, dry_run: bool = False):
        self.image_notes: list[str] = []  # per file: images refused, photo kept
        self.assignments = assignments or Assignments()
        self.dry_run = dry_run
        self.images = ImageFinder()

    def run(
        self, paths: Iterable[str | Path], on_file: Callable[[Path], None] | None = None
    ) -> Iterator[ImportResult]:
        """Import every file under `paths`, yielding results batch by batch."""
        yield from self.run_files(collect_files(paths), on_file)

    def run_files(
        self, files: list[Path], on_file: Callable[[Path], None] | None = None
    ) -> Iterator[ImportResult]:
        """Import `files` in order; `on_file` hears of each one as it is done (progress)."""
        on_file = on_file or (lambda path: None)
        if self.dry_run:
            yield from self._dry_run(files, on_file)
            return
        for start in range(0, len(files), BATCH_SIZE):
            results: list[ImportResult] = []
            with transaction.atomic():
                for file in files[start : start + BATCH_SIZE]:
                    results.extend(self.import_file(file))
                    on_file(file)
            yield from results

    def _dry_run(self, files: list[Path], on_file) -> Iterator[ImportResult]:
        results: list[ImportResult] = []
        try:
            with transaction.atomic():
                for file in files:
                    results.extend(self.import_file(file))
                    on_file(file)
                raise _DryRunRollback
        except _DryRunRollback:
            pass
        yield from results

    def import_file(self, path: Path) -> list[ImportResult]:
        """All results of one file: one for wire text, one per record for a backup."""
        name = str(path)
        try:
            data = read_file(path)
        except FileProblem as problem:
            return [ImportResult(name, ImportStatus.FAILED, error=str(problem))]
        if is_backup_name(path) or backup.looks_like_backup(data):
            return list(backup.restore_lines(name, data))
        return [self.import_wire(path, data)]

    def import_wire(self, path: Path, data: bytes) -> ImportResult:
        name = str(path)
        self.image_notes = []
        try:
            parsed = parse_wire(data, name)
            with transaction.atomic(), self._cleanup_images_on_failure() as written:
                if parsed.kind == PageKind.PHOTO:
                    status, release = self._store_popup(path, parsed, written)
                else:
                    status, release = self._store_release(path, parsed, written)
        except FileProblem as problem:
            return ImportResult(name, ImportStatus.FAILED, error=str(problem))
        except (DatabaseError, ValueError, OSError) as error:
            # Rolled back with its savepoint; the other files go on.
            logger.debug("importing %s failed", name, exc_info=True)
            return ImportResult(
                name, ImportStatus.FAILED, error=f"{type(error).__name__}: {error}"
            )
        language = parsed.language.value
        return ImportResult(
            name,
            status,
            reference=release.reference,
            language=language,
            url=release.get_absolute_url(language),
            warnings=tuple(parsed.warnings) + tuple(self.image_notes),
        )

    @contextmanager
    def _cleanup_images_on_failure(self):
        """Image files are written to MEDIA_ROOT at once; a rolled-back file removes them."""
        written: list = []
        try:
            yield written
        except BaseException:
            for field_file in written:
                field_file.delete(save=False)
            raise

    # Release pages -------------------------------------------------------------------------

    def _store_release(self, path: Path, parsed: ParsedRelease, written: list):
        language = _written_language(parsed)
        reference = parsed.reference
        images = self.images.for_release(path, reference)
        digest = content_digest(parsed, images)
        instant = issue_instant(parsed)
        kind = _release_kind(parsed)
        time_stated = parsed.issue_time is not None

        if reference:
            placement = place_document(reference, language, instant, time_stated, kind)
            release = placement.release
            own_version = release.version(language) if placement.is_own else None
        else:
            own_version = (
                ReleaseVersion.objects.filter(language=language, source_digest=digest)
                .select_related("release")
                .first()
            )
            release = own_version.release if own_version else None

        if release is None:
            release = Release.objects.create(
                reference=reference or allocate_reference(parsed.issue_date),
                kind=kind,
                state=ReleaseState.PUBLISHED,
                issue_instant=instant,
                issue_time_stated=time_stated,
            )
            status = ImportStatus.IMPORTED
        elif own_version is not None and _keeps_written_text(own_version, parsed, digest):
            changed = self.assignments.apply(release)
            return (ImportStatus.UPDATED if changed else ImportStatus.UNCHANGED), release
        else:
            status = ImportStatus.UPDATED if own_version else ImportStatus.IMPORTED
            _set_issue(release, instant, time_stated, kind)

        services.write_version(
            release,
            language,
            title=parsed.title,
            body=parsed.body,
            source_reference="" if reference in (None, release.reference) else reference,
            source_digest=digest,
        )
        if parsed.captions:
            services.write_captions(release, language, parsed.captions)
        if not self.dry_run:
            for position, image_file in images.items():
                self._attach(release, position, image_file, written)
        self.assignments.apply(release)
        return status, release

    def _attach(self, release: Release, position: int, image_file: Path, written: list) -> None:
        """A refused image (a GIF from 2005, a damaged file) must not cost the release its text:
        the photo keeps its caption and waits for a usable image, and the record says why."""
        try:
            written.append(services.attach_image(release, position, image_file).image)
        except UploadRefused as refused:
            self.image_notes.append(f"photo {position} left awaiting its image: {refused}")

    # Photo pop-ups ---------------------------------------------------------------------------

    def _store_popup(self, path: Path, parsed: ParsedRelease, written: list):
        language = _written_language(parsed)
        reference = parsed.reference
        if not reference:
            raise FileProblem("a photo pop-up needs its release's reference in the file name")
        if not parsed.photo_number:
            raise FileProblem("a photo pop-up needs its photo number (..._photo_<n>)")
        release = Release.objects.by_reference(reference).prefetch_related("photos__texts").first()
        if release is None:
            raise FileProblem(
                f"no release {reference} for this photo pop-up (import the release page first)"
            )
        caption = parsed.captions[0] if parsed.captions else ""
        image_file = self.images.for_popup(path)
        photo = next((p for p in release.photos.all() if p.position == parsed.photo_number), None)
        text = photo.text(language) if photo else None
        status = ImportStatus.UNCHANGED
        if text is None or text.caption != caption:
            status = ImportStatus.IMPORTED if text is None else ImportStatus.UPDATED
            services.write_caption(release, language, parsed.photo_number, caption)
        if image_file and not self.dry_run and (photo is None or photo.awaiting_image):
            self._attach(release, parsed.photo_number, image_file, written)
            status = ImportStatus.UPDATED if status is ImportStatus.UNCHANGED else status
        if self.assignments.apply(release) and status is ImportStatus.UNCHANGED:
            status = ImportStatus.UPDATED
        return status, release


# Reading and parsing ---------------------------------------------------------------------------


def read_file(path: Path) -> bytes:
    """The bytes of a file, or a FileProblem saying in plain words why they cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("is a folder, not a file") from None
    except PermissionError:
        raise FileProblem("cannot read the file: permission denied") from None
    except OSError as error:
        raise FileProblem(f"cannot read the file: {error.strerror or error}") from None
    if not data.strip():
        raise FileProblem("the file is empty")
    if b"\x00" in data[:65536]:
        raise FileProblem("binary data (NUL bytes), not wire text or a JSON lines backup")
    return data


def parse_wire(data: bytes, name: str) -> ParsedRelease:
    try:
        parsed = wire.parse_bytes(data, source=name)
    except ParseError as error:
        where = f"line {error.line}: " if error.line is not None else ""
        raise FileProblem(f"{where}{error.reason}") from None
    except UnicodeError as error:
        raise FileProblem(f"cannot decode the text: {error}") from None
    if parsed.language is Language.ZH_HANS:
        return _traditional_from_simplified(parsed)
    return parsed


SIMPLIFIED_MARK = "s2hk:"
_FROM_SIMPLIFIED_WARNING = "only a Simplified Chinese page: its Traditional text was derived with OpenCC"


def is_from_simplified(parsed: ParsedRelease) -> bool:
    return _FROM_SIMPLIFIED_WARNING in parsed.warnings


def _traditional_from_simplified(parsed: ParsedRelease) -> ParsedRelease:
    """Some archives kept only a Simplified mirror of a Chinese release. Rather than lose it,
    keep it as the Traditional version (OpenCC s2hk), saying so; a real zh-Hant page imported
    later replaces it."""
    return dataclasses.replace(
        parsed,
        language=Language.ZH_HANT,
        title=to_traditional(parsed.title),
        body=tuple(
            Block.from_dict(convert_block(block.to_dict(), to_traditional)) for block in parsed.body
        ),
        captions=tuple(to_traditional(caption) for caption in parsed.captions),
        warnings=parsed.warnings + (_FROM_SIMPLIFIED_WARNING,),
    )


def _written_language(parsed: ParsedRelease) -> str:
    language = parsed.language.value
    if language not in WRITTEN_LANGUAGES:
        raise FileProblem(
            f"{language} is derived from zh-Hant: import the Traditional Chinese page instead"
        )
    return language


def _release_kind(parsed: ParsedRelease) -> str:
    if parsed.kind == PageKind.WEATHER:
        return ReleaseKind.WEATHER_BULLETIN
    return ReleaseKind.PRESS_RELEASE


def issue_instant(parsed: ParsedRelease) -> dt.datetime:
    """The closing block's Hong Kong date and time as an aware instant. Without an Issued line
    the release counts as issued at the start of its day (issue_time_stated is then False)."""
    time = parsed.issue_time or dt.time(0, 0)
    return dt.datetime.combine(parsed.issue_date, time, tzinfo=HONG_KONG)


def _set_issue(release: Release, instant: dt.datetime, time_stated: bool, kind: str) -> None:
    if (release.issue_instant, release.issue_time_stated, release.kind) != (
        instant,
        time_stated,
        kind,
    ):
        release.issue_instant = instant
        release.issue_time_stated = time_stated
        release.kind = kind
        release.save(update_fields=["issue_instant", "issue_time_stated", "kind", "updated_at"])


def _keeps_written_text(version: ReleaseVersion, parsed: ParsedRelease, digest: str) -> bool:
    """Same content again, or a Simplified mirror of a page whose real Traditional text we hold."""
    if version.source_digest == digest:
        return True
    return is_from_simplified(parsed) and not version.source_digest.startswith(SIMPLIFIED_MARK)


def content_digest(parsed: ParsedRelease, images: dict[int, Path]) -> str:
    """A digest of everything a release document stores, so the same content is recognised."""
    content = {
        "language": parsed.language.value,
        "kind": parsed.kind.value,
        "title": parsed.title,
        "body": [block.to_dict() for block in parsed.body],
        "issue_date": parsed.issue_date.isoformat(),
        "issue_time": parsed.issue_time.isoformat() if parsed.issue_time else None,
        "captions": list(parsed.captions),
        "videos": list(parsed.videos),
        "images": {
            str(position): hashlib.sha256(path.read_bytes()).hexdigest()
            for position, path in images.items()
        },
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    digest = hashlib.sha256(encoded).hexdigest()
    # Text derived from a Simplified mirror is marked, so the real Traditional page replaces it.
    return SIMPLIFIED_MARK + digest[len(SIMPLIFIED_MARK):] if is_from_simplified(parsed) else digest
