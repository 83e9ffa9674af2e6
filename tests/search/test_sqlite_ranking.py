"""The SQLite backend's cost guards for ranking: cached document frequencies decide when bm25
is asked for. Skipped on PostgreSQL, whose ts_rank counts nothing."""

from __future__ import annotations

import pytest
from django.db import connection

from pressroom.search import SearchQuery, search
from pressroom.search.backends import get_backend, sqlite_fts5
from tests.support.clock import NOW, hong_kong
from tests.support.factories import body, make_release

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 backend's own guards"),
]


@pytest.fixture(autouse=True)
def fresh_frequencies():
    sqlite_fts5._FREQUENCIES.clear()
    yield
    sqlite_fts5._FREQUENCIES.clear()


def test_document_frequencies_are_counted_as_the_index_reads_words_up_to_a_bound(clock):
    make_release(NOW, title="Sample: exhibition", title_zh="樣本：政府新聞")
    make_release(NOW, title="Sample: Exhibitions", title_zh=None)
    make_release(NOW, title="Sample: exhibited", title_zh=None)
    backend = get_backend()
    assert backend.documents_holding("exhibiting", 10) == 3
    # Query tokens arrive folded to Simplified, as the index holds them.
    assert backend.documents_holding("新闻", 10) == 1
    assert backend.documents_holding("新聞", 10) == 0
    assert backend.documents_holding("absent", 10) == 0
    # Past the bound, `most + 1`; a lower bound cached is read again for a larger bound.
    assert backend.documents_holding("sample", 1) == 2
    assert backend.documents_holding("sample", 0) == 1
    assert backend.documents_holding("sample", 10) == 3


def test_common_words_rank_by_title_then_newer_without_bm25(clock, settings):
    older = make_release(hong_kong(2023, 1, 1), title="Sample: lantern", title_zh=None)
    newer = make_release(hong_kong(2023, 2, 1), title="Sample: lantern", title_zh=None)
    repeated = make_release(
        hong_kong(2022, 1, 1), title="Sample: lantern lantern lantern", title_zh=None
    )
    first = search(SearchQuery(text="lantern")).hits[0]
    assert first.reference == repeated.reference
    # Counted as too common for bm25: the title tier, then newer first.
    settings.PRESSROOM_SEARCH = {"OPTIONS": {"bm25_max_documents": 2}}
    assert [hit.reference for hit in search(SearchQuery(text="lantern")).hits] == [
        newer.reference,
        older.reference,
        repeated.reference,
    ]


@pytest.mark.parametrize(
    "index_from, rows_per_document",
    [(500, 1), (0, 4), (0, 0)],
    ids=["stored titles", "the index", "the index given up"],
)
def test_both_ways_of_finding_words_in_titles_agree(
    clock, monkeypatch, index_from, rows_per_document
):
    monkeypatch.setattr(sqlite_fts5, "INDEX_TITLES_FROM", index_from)
    monkeypatch.setattr(sqlite_fts5, "TITLE_ROWS_PER_DOCUMENT", rows_per_document)
    both = make_release(hong_kong(2019, 1, 1), title="Sample: ferry piers", title_zh=None)
    one = make_release(
        hong_kong(2021, 1, 1), title="Sample: ferries", body=body("On the pier."), title_zh=None
    )
    neither = make_release(
        hong_kong(2023, 1, 1), title="Sample: notice", body=body("Ferry and pier."), title_zh=None
    )
    results = search(SearchQuery(text="ferry pier"))
    assert [hit.reference for hit in results.hits] == [
        both.reference,
        one.reference,
        neither.reference,
    ]
    assert [int(hit.score) for hit in results.hits] == [2, 1, 0]


def test_titles_kept_beside_the_documents_follow_corrections_and_are_filled_by_migration(clock):
    """`search_document.title` is the indexed (analysed) title, as FTS5 holds it: written with
    the text, rewritten by a correction, and filled from FTS5 by migration 0004."""
    import importlib
    from types import SimpleNamespace

    from pressroom.releases.languages import Language
    from pressroom.releases.services import write_version

    release = make_release(NOW, title="Sample: harbour lanterns", title_zh="樣本：維港花燈")

    def titles() -> dict[str, tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.language, d.title, c.c0 FROM search_document d "
                "JOIN search_fts_content c ON c.id = d.id WHERE d.release_id = %s",
                [release.pk],
            )
            return {language: (kept, indexed) for language, kept, indexed in cursor.fetchall()}

    kept = titles()
    assert set(kept) == {"en", "zh-Hant"}
    assert all(title == indexed and title for title, indexed in kept.values())
    assert "harbour" in kept["en"][0]

    version = release.versions.get(language=Language.EN)
    write_version(release, Language.EN, title="Sample: harbour fireworks", body=version.body)
    assert "fireworks" in titles()["en"][0]
    assert titles()["en"][0] == titles()["en"][1]

    migration = importlib.import_module("pressroom.search.migrations.0004_document_titles")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE search_document SET title = ''")
        # The part of a schema editor the migration uses (a real one cannot open inside the
        # test's transaction on SQLite).
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.fill_titles(None, editor)
    assert titles() == {language: (indexed, indexed) for language, (_, indexed) in titles().items()}
    assert all(title for title, _ in titles().values())


def test_a_documents_id_is_its_rowid_so_look_ups_by_id_read_one_b_tree(clock):
    release = make_release(NOW, title="Sample: ferry piers", title_zh="樣本：渡輪碼頭")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, rowid FROM search_document WHERE release_id = %s", [release.pk])
        rows = cursor.fetchall()
        assert len(rows) == 2 and all(key == rowid for key, rowid in rows)
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT title FROM search_document WHERE id = %s", [rows[0][0]]
        )
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "INTEGER PRIMARY KEY" in plan, plan
    # The delete trigger came through the rebuild: a document's text goes with its row.
    release.delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_fts WHERE rowid IN (%s, %s)", [rows[0][0], rows[1][0]]
        )
        assert cursor.fetchone()[0] == 0
