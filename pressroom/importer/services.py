"""Importing releases: files in, one ImportResult per file (per record for backups).

Each file is read, decoded and parsed before anything touches the database. Files are stored
in batches of BATCH_SIZE per transaction (`pressroom.importer.batch`): new releases of a batch
are written together in a few queries, the rest one file at a time in a savepoint of its own,
so a failed file leaves nothing behind and costs no other file. Content goes through
`pressroom.releases.services`, the one path every writer takes.

Idempotence: a release document's digest (its parsed content and the bytes of its image files)
is stored in `ReleaseVersion.source_digest`; the same digest again means "unchanged".
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection, transaction

from pressroom.importer import backup
from pressroom.importer.batch import Batch
from pressroom.importer.documents import (  # noqa: F401 (parse_wire is the desk's too)
    FileProblem,
    Prepared,
    content_digest,
    desk_owned,
    issue_instant,
    keeps_written_text,
    parse_wire,
    prepare,
    prepared_batches,
    release_kind,
    written_language,
)
from pressroom.importer.pairing import place_document
from pressroom.importer.results import ImportResult, ImportStatus
from pressroom.importer.sources import ImageFinder, collect_files
from pressroom.media.uploads import UploadRefused
from pressroom.releases import limits, services
from pressroom.releases.models import (
    Category,
    Department,
    Release,
    ReleaseOrigin,
    ReleaseState,
    ReleaseVersion,
    allocate_reference,
)
from pressroom.search.models import SearchDocument
from pressroom.wire.model import PageKind, ParsedRelease
from pressroom.workflow.audit import record_import_change

logger = logging.getLogger(__name__)

# Files per committed batch: committing every file costs more than parsing it, and a batch's
# new releases are written in a few queries instead of a dozen per file.
BATCH_SIZE = 200
# Allocations between two collections of the youngest objects (Python's default is 700).
YOUNG_COLLECTION_THRESHOLD = 50_000


@contextmanager
def fewer_collections():
    """For a process that imports (the `import` command; the collector is the process's):
    an archive load makes millions of short-lived objects and next to no reference cycles,
    so the cycle collector's passes cost more than they free: the full ones walk everything
    already loaded (Django, the list of files), about a sixth of an import's time. What exists
    is frozen out of its reach and young objects are collected less often; both undone after.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


class _Statistics:
    """PostgreSQL plans a batch's look-ups (which of its references are stored already) from
    the tables' statistics. A load that grows the tables from nothing leaves them describing
    empty tables, and each look-up becomes a scan of the whole table (35 ms a batch at 100,000
    versions, and growing). So the tables an import writes are analysed again each time they
    have doubled since they were last described: a handful of ANALYZEs per import, whatever
    its size (each samples a fixed number of rows, yet costs 0.4 s at 100,000 documents, so a
    load into tables already holding as many rows as it brings need not pay for any). The
    size they were described at is the versions table's row estimate (pg_class.reltuples;
    none for a table never analysed). SQLite's plans do not depend on them."""

    FIRST = 1000
    MODELS = (Release, ReleaseVersion, SearchDocument)

    def __init__(self) -> None:
        self.files = 0
        self.described = 0  # rows the statistics described as the import began
        self.next_analysis: int | None = None  # files written when the next ANALYZE is due

    def written(self, files: int) -> None:
        if connection.vendor != "postgresql":
            return
        if self.next_analysis is None:
            self.described = self._described_rows()
            self.next_analysis = max(self.FIRST, self.described)
        self.files += files
        if self.files < self.next_analysis:
            return
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in self.MODELS)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
        self.next_analysis = 2 * self.files + self.described  # the tables doubled again

    def _described_rows(self) -> int:
        """The rows the statistics say the versions table holds (0 when never analysed)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [connection.ops.quote_name(ReleaseVersion._meta.db_table)],
            )
            row = cursor.fetchone()
        return max(0, int(row[0])) if row else 0


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
        statistics = _Statistics()
        for batch, prepared in prepared_batches(files, BATCH_SIZE):
            with transaction.atomic():
                results = self._import_batch(batch, prepared, on_file)
            statistics.written(len(batch))
            yield from results

    def _dry_run(self, files: list[Path], on_file) -> Iterator[ImportResult]:
        results: list[ImportResult] = []
        try:
            with transaction.atomic():
                for batch, prepared in prepared_batches(files, BATCH_SIZE):
                    results.extend(self._import_batch(batch, prepared, on_file))
                raise _DryRunRollback
        except _DryRunRollback:
            pass
        yield from results

    def _import_batch(
        self, files: list[Path], prepared: list[Prepared], on_file
    ) -> list[ImportResult]:
        """One batch, inside the caller's transaction; results in file order."""
        per_file = Batch(self, prepared).store()
        results: list[ImportResult] = []
        for path, file_results in zip(files, per_file):
            results.extend(file_results)
            on_file(path)
        return results

    def import_file(self, path: Path) -> list[ImportResult]:
        """All results of one file: one for wire text, one per record for a backup."""
        return self.store_prepared(prepare(path))

    def store_prepared(self, item: Prepared) -> list[ImportResult]:
        """Store one read file by itself (each document in a savepoint of its own)."""
        name = str(item.path)
        if item.problem is not None:
            return [ImportResult(name, ImportStatus.FAILED, error=item.problem)]
        if item.backup_data is not None:
            return list(backup.restore_lines(name, item.backup_data))
        return [self.store_parsed(item.path, item.parsed)]

    def store_parsed(self, path: Path, parsed: ParsedRelease) -> ImportResult:
        name = str(path)
        self.image_notes = []
        try:
            with transaction.atomic(), self._cleanup_images_on_failure() as written:
                if parsed.kind == PageKind.PHOTO:
                    status, release = self._store_popup(path, parsed, written)
                else:
                    status, release = self._store_release(path, parsed, written)
                if status is ImportStatus.UPDATED:
                    record_import_change(release, "import", f"imported from {name}")
        except FileProblem as problem:
            return ImportResult(name, ImportStatus.FAILED, error=str(problem))
        except (DatabaseError, ValueError, OSError) as error:
            # Rolled back with its savepoint; the other files go on.
            logger.debug("importing %s failed", name, exc_info=True)
            return ImportResult(name, ImportStatus.FAILED, error=f"{type(error).__name__}: {error}")
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
        language = written_language(parsed)
        reference = parsed.reference
        images = self.images.for_release(path, reference)
        if max(images, default=0) > limits.PHOTOS_MAX:
            raise FileProblem(
                f"photos: an image file for photo {max(images)} beside it; a release has at "
                f"most {limits.PHOTOS_MAX} photos"
            )
        digest = content_digest(parsed, images)
        instant = issue_instant(parsed)
        kind = release_kind(parsed)
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

        if release is not None and not release.is_archive_release:
            raise desk_owned(reference or release.reference, release)
        if release is None:
            release = Release.objects.create(
                reference=reference or allocate_reference(parsed.issue_date),
                kind=kind,
                state=ReleaseState.PUBLISHED,
                origin=ReleaseOrigin.IMPORT,
                issue_instant=instant,
                issue_time_stated=time_stated,
            )
            status = ImportStatus.IMPORTED
        elif own_version is not None and keeps_written_text(
            own_version.source_digest, parsed, digest
        ):
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
        language = written_language(parsed)
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
        if not release.is_archive_release:
            raise desk_owned(reference, release)
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
