"""Writing the synthetic archive and its index fast: bulk inserts per chunk, no signals.

The archive rows (releases, versions, categories) go in with bulk_create; the index rows are
written with executemany straight into `search_document` and `search_fts`, after the same
analysis live indexing uses. Only the index part is counted as index build time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from bench.search import words
from bench.search.generate import Generator, SyntheticRelease
from pressroom.releases.models import (
    HONG_KONG,
    Category,
    Department,
    Release,
    ReleaseState,
    ReleaseVersion,
)
from pressroom.search.analysis import index_text

CHUNK = 5_000


@dataclass
class BuildTimes:
    documents: int = 0
    archive_seconds: float = 0.0
    index_seconds: float = 0.0
    optimize_seconds: float = 0.0


def build_archive(size: int, seed: int) -> BuildTimes:
    if connection.vendor != "sqlite":
        raise SystemExit("the benchmark loads SQLite; unset DATABASE_URL")
    departments = _departments()
    categories = _categories()
    generator = Generator(seed)
    times = BuildTimes()
    releases = generator.releases(size)
    started = time.monotonic()
    while chunk := list(itertools.islice(releases, CHUNK)):
        with transaction.atomic():
            mark = time.monotonic()
            _write_archive(chunk, departments, categories)
            times.archive_seconds += time.monotonic() - mark
            mark = time.monotonic()
            _write_index(chunk, departments)
            times.index_seconds += time.monotonic() - mark
        times.documents += len(chunk)
        done = times.documents
        if done % 100_000 == 0 or done == size:
            print(f"  {done:>9,} written, {time.monotonic() - started:7.1f} s", flush=True)
    mark = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        cursor.execute("ANALYZE")
    times.optimize_seconds = time.monotonic() - mark
    return times


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


def _write_archive(chunk: list[SyntheticRelease], departments, categories) -> None:
    Release.objects.bulk_create(
        [
            Release(
                pk=_release_id(item),
                reference=_reference(item),
                state=ReleaseState.PUBLISHED,
                issue_instant=item.issue_instant,
                department_id=departments[item.department],
            )
            for item in chunk
        ]
    )
    ReleaseVersion.objects.bulk_create(
        [
            ReleaseVersion(
                release_id=_release_id(item),
                language=item.language,
                title=item.title,
                body=[{"kind": "paragraph", "text": text} for text in item.body],
            )
            for item in chunk
        ]
    )
    through = Release.categories.through
    through.objects.bulk_create(
        [through(release_id=_release_id(item), category_id=categories[item.category]) for item in chunk]
    )


def _write_index(chunk: list[SyntheticRelease], departments) -> None:
    adapt = connection.ops.adapt_datetimefield_value
    documents, texts = [], []
    for item in chunk:
        document_id = _release_id(item)
        year = timezone.localtime(item.issue_instant, HONG_KONG).year
        documents.append(
            (
                document_id,
                document_id,
                item.language,
                _reference(item),
                ReleaseState.PUBLISHED.value,
                adapt(item.issue_instant),
                year,
                departments[item.department],
            )
        )
        texts.append((document_id, index_text(item.title), index_text("\n".join(item.body))))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_document (id, release_id, language, reference, state, "
            "issue_instant, issue_year, department_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            documents,
        )
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)", texts
        )


def table_sizes() -> dict:
    """Bytes used by the index (FTS5 shadow tables, search_document and its indexes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"
        )
        by_name = dict(cursor.fetchall())
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        page_size = cursor.fetchone()[0]
    fts = sum(size for name, size in by_name.items() if name.startswith("search_fts"))
    documents = sum(
        size
        for name, size in by_name.items()
        if name.startswith("search_document") or name.startswith("sqlite_autoindex_search_document")
        or name in ("search_one_per_language", "search_document_instant")
        or "search_document" in name
    )
    return {"fts": fts, "documents": documents, "index": fts + documents, "file": pages * page_size}


