"""PostgreSQL's vectors made in Python (`pressroom.search.backends.tsvector`): what PostgreSQL
reads from them, their limits, and the migration that made the old ones again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from pressroom.search.analysis import index_terms
from pressroom.search.backends import tsvector
from pressroom.utils.binary_copy import Binary, copy_rows
from pressroom.wire.model import Block, BlockKind
from tests.support.clock import NOW
from tests.support.factories import make_release

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the tsvector backend's own vectors")


def _read_back(vector: bytes) -> str:
    """The vector as PostgreSQL reads its binary form (through COPY, as the importer sends it),
    in tsvector's text form."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE vectors (vector tsvector)")
        copy_rows(cursor.cursor, "vectors", ["vector"], [[Binary(vector)]], given=["vector"])
        cursor.execute("SELECT vector::text FROM vectors")
        (text,) = cursor.fetchone()
        cursor.execute("DROP TABLE vectors")
    return text


def _literal_read(literal: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(%s AS tsvector)::text", [literal])
        return cursor.fetchone()[0]


def test_the_binary_form_and_the_literal_say_the_same():
    title, body = "Sample: garden opens", "The garden opens daily. Gardens, gardening; 3.5% more."
    text = _read_back(tsvector.binary(title, body))
    assert text == _literal_read(tsvector.text(title, body))
    assert "'garden':2A,5B,8B,9B" in text  # title first, weight A; the body numbered on
    assert "'3':10B" in text and "'the':4B" in text  # digits kept, no stop words dropped


def test_any_text_gives_a_vector_postgresql_accepts():
    """to_tsvector's limits: a word over 2,047 bytes is left out, a lexeme keeps its first 256
    positions, and words past position 16,383 are all recorded there."""
    long_word = "x" * 3000
    body = " ".join(["repeat"] * 300 + [long_word] + ["filler"] * 17_000 + ["last"])
    text = _read_back(tsvector.binary("Sample", body))
    assert long_word not in text
    repeat = next(part for part in text.split(" 'filler'")[0].split(" ") if "'repeat'" in part)
    assert repeat.count(",") == 255  # 256 positions
    assert "'last':16383B" in text
    assert text == _literal_read(tsvector.text("Sample", body))


@pytest.mark.parametrize(
    "body",
    [
        " ".join(["repeat"] * 300 + ["other"] * 10),  # a short text: the quick way
        "x" * 2100 + " short words",  # a word too long: the word-by-word way
        " ".join(["filler"] * 16_400 + ["repeat"]),  # past the last position: word by word
    ],
)
def test_the_quick_way_and_the_word_by_word_way_agree(body):
    """Nearly every text takes the quick way (`positions`); those near a limit go word by word.
    Both give the same vector for the texts the quick way takes, within every limit."""
    title_terms, body_terms = index_terms("Sample title"), index_terms(body)
    assert tsvector.positions("Sample title", body) == tsvector._positions_with_limits(
        title_terms, body_terms
    )
    assert all(
        len(at) <= tsvector.POSITIONS_KEPT
        for at in tsvector.positions("Sample title", body).values()
    )


@pytest.mark.django_db(transaction=True)
def test_migration_0006_makes_the_old_vectors_again_from_the_index_terms(time_machine):
    from django.db.migrations.executor import MigrationExecutor

    time_machine.move_to(NOW, tick=False)
    release = make_release(NOW - dt.timedelta(hours=1), title="Sample: notice",
                           body=(Block(BlockKind.PARAGRAPH, text="At www.sample.gov.hk."),))  # fmt: skip

    def vectors() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT vector::text FROM search_document WHERE release_id = %s ORDER BY language",
                [release.pk],
            )
            return [text for (text,) in cursor.fetchall()]

    made_here = vectors()
    assert "'gov'" in made_here[0]
    try:
        MigrationExecutor(connection).migrate([("search", "0005_document_rowid")])
        assert "'www.sample.gov.hk'" in vectors()[0]  # as to_tsvector reads it
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert vectors() == made_here
