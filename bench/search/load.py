"""Writing the synthetic archive and its index fast: worker processes, raw executemany.

Worker processes generate chunks of releases (each chunk from its own seeded stream, so the
archive is the same however many workers) and analyse their text with the same code live
indexing uses (`index_text`, `document_key`, `filter_tags`); the main process writes each
chunk's rows with executemany in one transaction. Only the writing of `search_document` and
`search_fts` rows is counted as index build time (the analysis, done in parallel, is reported
apart as CPU time).

For speed the bench database is written without a journal and without syncs; it is a
throwaway file, rebuilt on any failure.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from bench.search import words
from bench.search.generate import CHUNK, Generator, SyntheticRelease
from pressroom.releases.models import (
    HONG_KONG,
    Category,
    Department,
    Release,
    ReleaseState,
    ReleaseVersion,
)
from pressroom.search.analysis import index_text
from pressroom.search.keys import document_key, filter_tags

WORKERS = 2


@dataclass
class BuildTimes:
    documents: int = 0
    archive_seconds: float = 0.0
    index_seconds: float = 0.0
    analysis_cpu_seconds: float = 0.0
    optimize_seconds: float = 0.0
    wall_seconds: float = 0.0


@dataclass
class Chunk:
    """One chunk's rows, ready for executemany."""

    releases: list[tuple]
    versions: list[tuple]
    categories: list[tuple]
    documents: list[tuple]
    texts: list[tuple]
    analysis_seconds: float


# Set in the parent before the workers fork, read by them.
_GENERATOR: Generator | None = None
_IDS: tuple[list[int], list[int]] = ([], [])


def build_archive(size: int, seed: int) -> BuildTimes:
    global _GENERATOR, _IDS
    _IDS = (_departments(), _categories())
    _GENERATOR = Generator(seed)
    writer = RowWriter()
    times = BuildTimes()
    started = time.monotonic()
    _fast_unsafe_writes()
    firsts = [(first, min(CHUNK, size - first)) for first in range(0, size, CHUNK)]
    with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
        for chunk in pool.imap(_make_chunk, firsts):
            with transaction.atomic():
                mark = time.monotonic()
                writer.archive(chunk)
                times.archive_seconds += time.monotonic() - mark
                mark = time.monotonic()
                writer.index(chunk)
                times.index_seconds += time.monotonic() - mark
            times.analysis_cpu_seconds += chunk.analysis_seconds
            times.documents += len(chunk.documents)
            done = times.documents
            if done % 100_000 == 0 or done == size:
                print(f"  {done:>9,} written, {time.monotonic() - started:7.1f} s", flush=True)
    mark = time.monotonic()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute(POSTGRES_INDEX)
            cursor.execute("VACUUM ANALYZE")
    times.optimize_seconds = time.monotonic() - mark
    times.wall_seconds = time.monotonic() - started
    _safe_writes()
    return times


# PostgreSQL: the GIN index is dropped while loading and made once at the end (faster than
# keeping it up to date row by row); its making is counted as the "optimize" step.
POSTGRES_INDEX = "CREATE INDEX search_document_vector ON search_document USING gin (vector)"


def _fast_unsafe_writes() -> None:
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("DROP INDEX IF EXISTS search_document_vector")
            return
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-1000000")


def _safe_writes() -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")


def _departments() -> list[int]:
    ids = []
    for code, name_en, name_zh in words.DEPARTMENTS:
        department, _ = Department.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_zh_hant": name_zh}
        )
        ids.append(department.pk)
    return ids


def _categories() -> list[int]:
    ids = []
    for slug, name_en, name_zh in words.CATEGORIES:
        category, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_zh_hant": name_zh}
        )
        ids.append(category.pk)
    return ids


def _release_id(item: SyntheticRelease) -> int:
    return item.number + 1


def _reference(item: SyntheticRelease) -> str:
    day = timezone.localtime(item.issue_instant, HONG_KONG).date()
    return f"P{day:%Y%m%d}{item.number % 100_000:05d}{item.number // 100_000:02d}"


def _make_chunk(first_and_count: tuple[int, int]) -> Chunk:
    """In a worker: one chunk's archive and index rows."""
    first, count = first_and_count
    departments, categories = _IDS
    adapt = connection.ops.adapt_datetimefield_value
    body_field = ReleaseVersion._meta.get_field("body")
    chunk = Chunk([], [], [], [], [], 0.0)
    for item in _GENERATOR.releases(count, first):
        release_id = _release_id(item)
        reference = _reference(item)
        instant = adapt(item.issue_instant)
        department_id = departments[item.department]
        category_id = categories[item.category]
        body = [{"kind": "paragraph", "text": text} for text in item.body]
        chunk.releases.append(
            (release_id, reference, ReleaseState.PUBLISHED.value, instant, department_id)
        )
        chunk.versions.append(
            (release_id, item.language, item.title, body_field.get_db_prep_save(body, connection))
        )
        chunk.categories.append((release_id, category_id))
        started = time.process_time()
        key = document_key(item.issue_instant, release_id, item.language)
        year = timezone.localtime(item.issue_instant, HONG_KONG).year
        chunk.documents.append(
            (
                key,
                release_id,
                item.language,
                reference,
                ReleaseState.PUBLISHED.value,
                instant,
                year,
                department_id,
            )
        )
        chunk.texts.append(
            (
                key,
                index_text(item.title),
                index_text("\n".join(item.body)),
                filter_tags(department_id, [category_id]),
            )
        )
        chunk.analysis_seconds += time.process_time() - started
    return chunk


class RowWriter:
    """INSERT statements for the rows a chunk carries; every other column gets its default.

    Columns are read from the models, so a field another part of the project adds (with a
    default) does not break the bench.
    """

    def __init__(self):
        self.release_sql, self.release_defaults = _insert(
            Release, ["id", "reference", "state", "issue_instant", "department"]
        )
        self.version_sql, self.version_defaults = _insert(
            ReleaseVersion, ["release", "language", "title", "body"]
        )
        through = Release.categories.through
        self.used_keys: set[int] = set()
        self.category_sql = (
            f"INSERT INTO {through._meta.db_table} (release_id, category_id) VALUES (%s, %s)"
        )

    def archive(self, chunk: Chunk) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                self.release_sql, [row + self.release_defaults for row in chunk.releases]
            )
            cursor.executemany(
                self.version_sql, [row + self.version_defaults for row in chunk.versions]
            )
            cursor.executemany(self.category_sql, chunk.categories)

    def index(self, chunk: Chunk) -> None:
        self._free_keys(chunk)
        if connection.vendor != "sqlite":
            self._index_postgres(chunk)
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document (id, release_id, language, reference, state, "
                "issue_instant, issue_year, department_id, title) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                # The analysed title beside the row, as SqliteFts5Backend.write_texts keeps it.
                [
                    document + (title,)
                    for document, (_, title, _, _) in zip(chunk.documents, chunk.texts)
                ],
            )
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, tags) VALUES (%s, %s, %s, %s)",
                chunk.texts,
            )

    def _index_postgres(self, chunk: Chunk) -> None:
        """The same rows with the tsvector the PostgreSQL backend's write_text makes."""
        rows = [
            document + (title, body)
            for document, (_, title, body, _) in zip(chunk.documents, chunk.texts)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document (id, release_id, language, reference, state, "
                "issue_instant, issue_year, department_id, vector) VALUES (%s, %s, %s, %s, %s, "
                "%s, %s, %s, setweight(to_tsvector('english', %s), 'A') || "
                "setweight(to_tsvector('english', %s), 'B'))",
                rows,
            )

    def _free_keys(self, chunk: Chunk) -> None:
        """Workers chose keys without seeing each other's: move the rare clash to a free slot."""
        for position, document in enumerate(chunk.documents):
            key = document[0]
            if key in self.used_keys:
                instant = document[5]
                if isinstance(instant, str):  # SQLite's UTC text
                    instant = dt.datetime.fromisoformat(instant).replace(tzinfo=dt.UTC)
                key = document_key(instant, document[1], document[2], taken=self.used_keys)
                chunk.documents[position] = (key, *document[1:])
                chunk.texts[position] = (key, *chunk.texts[position][1:])
            self.used_keys.add(key)


def _insert(model, given: list[str]) -> tuple[str, tuple]:
    """An INSERT for the `given` fields followed by every other concrete field at its default."""
    now = timezone.now()
    fields = [model._meta.get_field(name) for name in given]
    others = [
        field
        for field in model._meta.concrete_fields
        if field not in fields and not (field.primary_key and field.name not in given)
    ]
    defaults = []
    for field in others:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        defaults.append(field.get_db_prep_save(value, connection))
    columns = ", ".join(connection.ops.quote_name(field.column) for field in [*fields, *others])
    marks = ", ".join(["%s"] * (len(fields) + len(others)))
    return f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})", tuple(defaults)


def table_sizes() -> dict:
    """Bytes used by the index (FTS5 shadow tables or the GIN index, and search_document)."""
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_size('search_document_vector'), "
                "pg_total_relation_size('search_document'), pg_database_size(current_database())"
            )
            gin, documents, database = cursor.fetchone()
        return {"fts": gin, "documents": documents - gin, "index": documents, "file": database}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
        by_name = dict(cursor.fetchall())
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        page_size = cursor.fetchone()[0]
    fts = sum(size for name, size in by_name.items() if name.startswith("search_fts"))
    documents = sum(
        size
        for name, size in by_name.items()
        if name.startswith("search_document")
        or name.startswith("sqlite_autoindex_search_document")
        or name in ("search_one_per_language", "search_document_instant")
        or "search_document" in name
    )
    return {"fts": fts, "documents": documents, "index": fts + documents, "file": pages * page_size}
