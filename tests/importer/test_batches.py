"""Bulk is an option of the one import path: new releases stored together (`use_bulk`, as the
`import` command does) must end up exactly as files written one at a time store them."""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connection

from pressroom.importer.documents import prepare_all
from pressroom.importer.services import Assignments, Importer
from pressroom.media.models import PhotoText
from pressroom.releases.models import (
    Category,
    Department,
    ReferenceCounter,
    Release,
    ReleaseVersion,
)
from pressroom.search import SearchQuery, search
from pressroom.search.models import SearchDocument
from tests.support.importer import CHINESE, ENGLISH, FIXTURES, run_import

pytestmark = pytest.mark.django_db


def _stored() -> dict:
    """Everything an import stores, without row ids (which differ between two imports)."""
    versions = ReleaseVersion.objects.values_list(
        "release__reference", "language", "title", "body", "source_reference", "source_digest"
    )
    texts = PhotoText.objects.values_list(
        "photo__release__reference",
        "photo__position",
        "photo__image",
        "language",
        "caption",
        "alt_text",
    )
    releases = Release.objects.values_list(
        "reference", "kind", "state", "issue_instant", "issue_time_stated", "department_id"
    )
    documents = SearchDocument.objects.values_list(
        "reference", "language", "state", "issue_instant", "issue_year", "department_id"
    )
    return {
        "releases": sorted(releases),
        "versions": sorted(versions, key=repr),
        "photo texts": sorted(texts),
        "search documents": sorted(documents),
        "indexed text": _indexed_text(),
    }


def _indexed_text() -> list[tuple]:
    """What the backend keeps of each document's text: the tsvector, or the FTS5 row."""
    if connection.vendor == "postgresql":
        sql = "SELECT reference, language, vector::text FROM search_document"
    else:
        sql = (
            "SELECT d.reference, d.language, f.title, f.body, f.tags "
            "FROM search_fts f JOIN search_document d ON d.id = f.rowid"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall())


def _found(query: str | SearchQuery) -> list[tuple[str, str]]:
    results = search(SearchQuery(text=query) if isinstance(query, str) else query)
    return sorted((hit.reference, hit.language) for hit in results.hits)


def _archive(tmp_path):
    """English, Chinese (a pair, with captions), a pop-up's release and the tree, as files."""
    folder = tmp_path / "archive"
    for name in ("pair", "tree", "big5"):
        shutil.copytree(FIXTURES / name, folder / name)
    return folder


def test_a_batch_stores_exactly_what_file_by_file_imports_store(tmp_path):
    archive = _archive(tmp_path)
    together = run_import(archive)
    assert together.statuses == ["imported"] * 6
    stored_together = _stored()
    found_together = (_found("garden"), _found("閱讀花園"), _found("阅读"))
    assert found_together[0] and found_together[1] and found_together[1] == found_together[2]

    Release.objects.all().delete()
    ReferenceCounter.objects.all().delete()  # so the page without a reference gets the same
    # Every file written at once, one by one: the reference behaviour.
    importer = Importer(use_bulk=False)
    one_by_one = [importer.import_file(path) for path in sorted(archive.rglob("*.txt"))]

    assert [[result.status.value for result in results] for results in one_by_one] == [
        ["imported"]
    ] * 6
    assert _stored() == stored_together
    assert (_found("garden"), _found("閱讀花園"), _found("阅读")) == found_together


def test_assigned_department_and_category_are_stored_and_searchable_as_one_by_one(tmp_path):
    archive = _archive(tmp_path)
    department = Department.objects.create(
        code="SAMPLE", name_en="Sample Department", name_zh_hant="樣本署"
    )
    category = Category.objects.create(slug="sample", name_en="Sample", name_zh_hant="樣本")
    filtered = SearchQuery(text="garden", department="SAMPLE", category="sample")

    run_import(archive, "--department", "SAMPLE", "--category", "sample")
    stored_together = _stored()
    categories_together = sorted(Release.objects.values_list("reference", "categories__slug"))
    found_together = _found(filtered)
    assert found_together

    Release.objects.all().delete()
    ReferenceCounter.objects.all().delete()
    importer = Importer(Assignments(department, category), use_bulk=False)
    for path in sorted(archive.rglob("*.txt")):
        importer.import_file(path)

    assert _stored() == stored_together
    assert sorted(Release.objects.values_list("reference", "categories__slug")) == (
        categories_together
    )
    assert _found(filtered) == found_together


def test_a_pair_in_one_batch_is_one_release_in_either_order(tmp_path):
    # Files are read in path order: English first when its folder sorts first.
    shutil.copy(ENGLISH, (tmp_path / "a").mkdir() or tmp_path / "a")
    shutil.copy(CHINESE, (tmp_path / "b").mkdir() or tmp_path / "b")

    run = run_import(tmp_path)

    assert run.statuses == ["imported", "imported"]
    release = Release.objects.get()
    assert release.reference == ENGLISH.stem
    assert release.languages() == ["en", "zh-Hant", "zh-Hans"]
    assert release.version("zh-Hant").source_reference == CHINESE.stem
    assert {record["reference"] for record in run.records} == {ENGLISH.stem}
    assert _found("閱讀花園") == [(ENGLISH.stem, "zh-Hant")]


def test_the_same_reference_twice_in_a_batch_is_imported_then_updated(tmp_path):
    first, second = tmp_path / "a" / ENGLISH.name, tmp_path / "b" / ENGLISH.name
    first.parent.mkdir()
    second.parent.mkdir()
    shutil.copy(ENGLISH, first)
    second.write_text(ENGLISH.read_text().replace("Sample:", "Sample (revised):", 1))

    run = run_import(tmp_path)

    assert run.statuses == ["imported", "updated"]
    release = Release.objects.get()
    assert release.version("en").title.startswith("Sample (revised):")
    assert SearchDocument.objects.filter(release=release).count() == 1


@pytest.fixture
def refused_title():
    """A database that refuses one title: a real failure in the middle of a batch's inserts."""
    word = "Refused"
    if connection.vendor == "sqlite":
        create = [
            "CREATE TRIGGER refuse_title BEFORE INSERT ON releases_releaseversion "
            f"WHEN NEW.title LIKE '%{word}%' BEGIN SELECT RAISE(ABORT, 'title refused'); END"
        ]
        drop = ["DROP TRIGGER refuse_title"]
    else:
        create = [
            "CREATE FUNCTION refuse_title() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.title LIKE '%%{word}%%' THEN RAISE EXCEPTION 'title refused'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_title BEFORE INSERT OR UPDATE ON releases_releaseversion "
            "FOR EACH ROW EXECUTE FUNCTION refuse_title()",
        ]
        drop = [
            "DROP TRIGGER refuse_title ON releases_releaseversion",
            "DROP FUNCTION refuse_title",
        ]
    with connection.cursor() as cursor:
        for statement in create:
            cursor.execute(statement)
    yield word
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)


def test_a_file_the_database_refuses_fails_alone_and_leaves_nothing(tmp_path, refused_title):
    archive = _archive(tmp_path)
    page = archive / "tree" / "2024" / "03" / "15" / "P2024031500420.txt"
    page.write_text(page.read_text().replace("Sample:", f"Sample {refused_title}:", 1))

    run = run_import(archive)

    failed = run.by_file(page.name)
    assert failed["status"] == "failed"
    assert "title refused" in failed["error"]
    assert run.statuses.count("imported") == 5
    assert not Release.objects.by_reference("P2024031500420").exists()
    assert not SearchDocument.objects.filter(reference="P2024031500420").exists()
    # The pair in the same batch is still one release with both languages.
    assert Release.objects.by_reference(ENGLISH.stem).get().languages() == [
        "en",
        "zh-Hant",
        "zh-Hans",
    ]


def test_batches_parsed_ahead_by_other_processes_store_what_one_batch_stores(tmp_path, monkeypatch):
    # Two files a batch: the archive's six pages make three batches, read and parsed by the
    # worker processes while the batch before is stored, and taken back in file order.
    archive = _archive(tmp_path)
    in_one = run_import(archive)
    stored_in_one = _stored()
    Release.objects.all().delete()
    ReferenceCounter.objects.all().delete()
    monkeypatch.setattr("pressroom.importer.services.BATCH_SIZE", 2)

    in_three = run_import(archive)

    assert in_three.statuses == ["imported"] * 6
    assert in_three.records == in_one.records
    assert _stored() == stored_in_one
    assert run_import(archive).statuses == ["unchanged"] * 6


def test_each_result_of_a_batch_names_its_release_page(tmp_path):
    # Several releases of one day in one batch: each record's url is its own page's address.
    archive = tmp_path / "day"
    archive.mkdir()
    english = (FIXTURES / "pair" / "P2024031500412.txt").read_text()
    for serial in range(500, 505):
        page = english.replace("Sample: Sample Department", f"Sample {serial}: Department")
        (archive / f"P20240315{serial:05d}.txt").write_text(page)

    run = run_import(archive)

    assert run.statuses == ["imported"] * 5
    for record in run.records:
        release = Release.objects.by_reference(record["reference"]).get()
        assert record["url"] == release.get_absolute_url("en")
        assert record["reference"] in record["url"]


def test_postgresql_plans_a_growing_import_from_fresh_statistics(tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's plans do not depend on table statistics")
    monkeypatch.setattr("pressroom.importer.services._Statistics.FIRST", 1)

    run_import(_archive(tmp_path))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s",
            [ReleaseVersion._meta.db_table],
        )
        assert cursor.fetchone()[0] > 0  # -1 or 0 until the table is analysed


def test_postgresql_tables_described_at_their_size_are_not_analysed_again(tmp_path, monkeypatch):
    """A load into tables whose statistics already describe as many rows as it brings pays for
    no ANALYZE (each samples the tables, 0.4 s at 100,000 documents)."""
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's plans do not depend on table statistics")
    monkeypatch.setattr("pressroom.importer.services._Statistics.FIRST", 1)
    run_import(_archive(tmp_path))  # described: analysed as the import went
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    shutil.copy(FIXTURES / "popups" / "P2024031900318.txt", smaller)

    with CaptureQueriesContext(connection) as first_load:
        run_import(tmp_path / "archive", smaller)
    with CaptureQueriesContext(connection) as into_empty:
        ReleaseVersion.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ReleaseVersion._meta.db_table}")
        run_import(smaller)

    def analyses(captured):
        return [query for query in captured.captured_queries if query["sql"].startswith("ANALYZE")]

    assert analyses(first_load) == []
    assert len(analyses(into_empty)) == 2  # ours above, and the import's own (tables empty)


def _written_pages(archive) -> list:
    return [item for item in prepare_all(sorted(archive.rglob("*.txt"))) if item.stored]


@pytest.fixture
def postgresql_ahead():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 works out nothing ahead")


def test_postgresql_vectors_made_ahead_are_those_the_writer_makes(tmp_path, postgresql_ahead):
    """The parse workers' binary vectors are what PostgreSQL reads from the literal a single
    write casts (tsvector.text): the binary encoder and the literal agree, lexeme by lexeme."""
    import psycopg

    from pressroom.importer.documents import prepare_all_ahead
    from pressroom.search.backends import tsvector

    archive = _archive(tmp_path)
    ahead = [item for item in prepare_all_ahead(sorted(archive.rglob("*.txt"))) if item.stored]

    assert len(ahead) == len(_written_pages(archive)) >= 4
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        for item in ahead:
            literal = tsvector.text(item.stored.search.title, item.stored.search.body)
            cursor.execute("SELECT CAST(%s AS tsvector)", [literal], binary=True)
            assert item.stored.search.ahead == cursor.fetchone()[0], item.path
    assert any(b"garden" in item.stored.search.ahead for item in ahead)


def test_postgresql_parse_workers_make_the_vectors(tmp_path, monkeypatch, postgresql_ahead):
    # Each worker process notes what it answered in a file (they are forked: the patched
    # method goes with them); the writer then inserts documents without rewriting any.
    from pressroom.search.backends.postgres import PostgresBackend

    notes = tmp_path / "answered"
    answer = PostgresBackend.analyse_ahead

    def noting(self, texts):
        answers = answer(self, texts)
        with notes.open("a") as out:
            out.write(f"{os.getpid()} {len(answers or [])}\n")
        return answers

    monkeypatch.setattr(PostgresBackend, "analyse_ahead", noting)
    monkeypatch.setattr("pressroom.importer.services.BATCH_SIZE", 2)
    archive = _archive(tmp_path)

    assert run_import(archive).statuses == ["imported"] * 6

    lines = [line.split() for line in notes.read_text().splitlines()]
    assert {pid for pid, _ in lines} - {str(os.getpid())}, "answered in other processes"
    assert sum(int(count) for _, count in lines) == len(_written_pages(archive))
    assert _found("garden") and _found("閱讀花園")


def _a_day_across_batches(tmp_path, serials: range):
    """The sample pair (Chinese 0411, English 0412, both 16:30) among English releases of the
    same day at other minutes, one file per serial."""
    import datetime as dt
    import random

    from bench.wire_files import sample_release
    from pressroom.wire import render

    folder = tmp_path / "day"
    folder.mkdir()
    rng = random.Random(20240315)
    for serial in serials:
        if serial in (411, 412):
            shutil.copy(CHINESE if serial == 411 else ENGLISH, folder)
            continue
        parsed = sample_release(rng, dt.date(2024, 3, 15), dt.time(9, serial % 60), serial)
        (folder / f"{parsed.reference}.txt").write_text(render(parsed), encoding="utf-8")
    return folder


def test_pages_after_a_batch_edge_or_a_write_at_once_stay_in_bulk(tmp_path, monkeypatch):
    """A day's releases rarely end at a batch's edge. The first page of a batch whose neighbour
    the batch before stored, and the pages after a write at once, are stored in bulk: only the
    English page joining its Chinese partner, stored in the batch before, is written at once.
    And the result is what file-by-file imports store."""
    from pressroom.importer import services
    from pressroom.importer.batch import Batch

    folder = _a_day_across_batches(tmp_path, range(400, 430))
    # 0400..0411 in the first batch, 0412 (the English partner) first in the second.
    monkeypatch.setattr(services, "BATCH_SIZE", 12)
    alone: list[str] = []
    at_once = Batch._at_once

    def counted(batch, item, *args):
        alone.append(item.path.name)
        return at_once(batch, item, *args)

    monkeypatch.setattr(Batch, "_at_once", counted)
    run = run_import(folder)

    assert run.statuses == ["imported"] * 30
    assert alone == [ENGLISH.name]
    pair = Release.objects.get(reference=CHINESE.stem)
    assert pair.languages() == ["en", "zh-Hant", "zh-Hans"]
    assert Release.objects.count() == 29
    stored_in_batches = _stored()

    Release.objects.all().delete()
    importer = Importer(use_bulk=False)
    for path in sorted(folder.iterdir()):
        importer.import_file(path)
    assert _stored() == stored_in_batches
