"""Importing releases: files in, one ImportResult per file (per record for backups).

Each file is read, decoded and parsed, and its text made ready to store (checked, zh-Hans
derived, analysed for search), before anything touches the database. Files are stored in
batches of BATCH_SIZE per transaction, every file the same way (`pressroom.importer.batch`):
with `use_bulk`, a batch's new releases are written together in a few queries and the rest at
once; without it, every file at once; a write at once is in a savepoint of its own, so a
failed file leaves nothing behind and costs no other file. Text goes through
`pressroom.releases.services`, the one path every writer takes.

Idempotence: a release document's digest (its parsed content and the bytes of its image files)
is stored in `ReleaseVersion.source_digest`; the same digest again means "unchanged".
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from pressroom.importer.batch import Batch
from pressroom.importer.documents import (  # noqa: F401 (parse_wire is the desk's too)
    FileProblem,
    Prepared,
    parse_wire,
    prepare,
    prepared_batches,
)
from pressroom.importer.results import ImportResult
from pressroom.importer.sources import ImageFinder, collect_files
from pressroom.releases.models import Category, Department, Release, ReleaseVersion
from pressroom.search.models import SearchDocument

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
    empty tables, and each look-up becomes a scan of the whole table, slower with every batch. So the tables an import writes are analysed again each time they
    have doubled since they were last described: a handful of ANALYZEs per import, whatever
    its size (each samples a fixed number of rows, yet is not free at a hundred thousand documents, so a
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

    def __bool__(self) -> bool:
        return bool(self.department or self.category)

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
    """Files in, results out. `use_bulk` (the `import` command's way) stores a batch's new
    releases together; without it every file is written at once. The same path either way
    (`pressroom.importer.batch`), and the same rows stored."""

    def __init__(
        self,
        assignments: Assignments | None = None,
        dry_run: bool = False,
        use_bulk: bool = False,
    ):
        self.assignments = assignments or Assignments()
        self.dry_run = dry_run
        self.use_bulk = use_bulk
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
        return Batch(self, [prepare(path)]).store()[0]
