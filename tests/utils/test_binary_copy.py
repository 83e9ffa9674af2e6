"""Bulk rows by COPY in the binary format (PostgreSQL), and the same rows through insert_rows on
either database."""

from __future__ import annotations

import datetime as dt
import json

import psycopg
import pytest
from django.db import connection

from pressroom.releases.models import Release, ReleaseKind, ReleaseState, ReleaseVersion
from pressroom.releases.services import insert_rows
from pressroom.utils.binary_copy import Binary, Encoded, column_types, copy_rows

pytestmark = pytest.mark.django_db

HONG_KONG = dt.timezone(dt.timedelta(hours=8))


def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("COPY in the binary format is PostgreSQL's")


@pytest.fixture
def scratch_table():
    """A table of every column type the bulk loads write, dropped with the test's transaction."""
    _postgresql()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE copy_scratch (id bigint, small smallint, flag boolean, name varchar(20),"
            " note text, at timestamptz, body jsonb, vector tsvector, missing bigint)"
        )
    return "copy_scratch"


def _vector_binary(text: str) -> Binary:
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute("SELECT to_tsvector('english', %s)", [text], binary=True)
        return Binary(cursor.fetchone()[0])


def test_every_column_type_arrives_as_given(scratch_table):
    at = dt.datetime(2023, 11, 3, 16, 0, tzinfo=HONG_KONG)
    body = json.dumps([{"kind": "paragraph", "text": 'Sample: tabs\tand "quotes" \\ kept'}])
    vector = _vector_binary("Sample gardens open on Sunday")
    names = ["id", "small", "flag", "name", "note", "at", "body", "vector", "missing"]
    row = (7, 2023, True, "P2023110300001", "line one\nline two", at, Encoded(body), vector, None)

    with connection.cursor() as cursor:
        copy_rows(cursor.cursor, scratch_table, names, [row], given=["vector"])
        cursor.execute(
            "SELECT id, small, flag, name, note, at, body::text, vector::text, missing"
            " FROM copy_scratch"
        )
        stored = cursor.fetchone()

    assert stored[:6] == row[:6]
    # jsonb: the JSON text once (a list), never a JSON string holding it.
    assert json.loads(stored[6]) == json.loads(body)
    assert stored[7] == "'garden':2 'open':3 'sampl':1 'sunday':5"
    assert stored[8] is None


def test_a_given_column_refuses_a_value_not_in_binary_form(scratch_table):
    with connection.cursor() as cursor, pytest.raises(Exception, match="must be Binary"):
        copy_rows(cursor.cursor, scratch_table, ["id", "vector"], [(1, "'garden':1")],
                  given=["vector"])  # fmt: skip


def test_an_unknown_column_is_named(scratch_table):
    with connection.cursor() as cursor, pytest.raises(ValueError, match="no column colour"):
        column_types(cursor.cursor, scratch_table, ["id", "colour"])


def test_insert_rows_stores_what_the_orm_reads_back():
    """The same rows on SQLite (executemany) and PostgreSQL (binary COPY)."""
    instant = dt.datetime(2023, 11, 3, 8, 0, tzinfo=dt.UTC)
    published, kind = ReleaseState.PUBLISHED, ReleaseKind.PRESS_RELEASE
    insert_rows(
        Release,
        ["reference", "kind", "state", "issue_instant", "issue_time_stated", "department"],
        [("P2023110300001", kind, published, instant, False, None)],
    )
    release = Release.objects.get(reference="P2023110300001")
    body = [{"kind": "paragraph", "text": "Sample paragraph, 香港"}]
    insert_rows(
        ReleaseVersion,
        ["release", "language", "title", "body", "source_reference", "source_digest"],
        [(release.pk, "en", "Sample title", Encoded(json.dumps(body)), "", "d" * 64)],
    )

    assert (release.issue_instant, release.issue_time_stated, release.state) == (
        instant,
        False,
        ReleaseState.PUBLISHED,
    )
    assert release.created_at is not None and release.correction_note == ""
    version = release.versions.get()
    assert (version.title, version.body, version.source_digest) == ("Sample title", body, "d" * 64)


@pytest.mark.parametrize(
    ("column", "value"),
    [("small", 70_000), ("small", -32_769), ("whole", 2**31), ("id", 2**63), ("small", "2023")],
)
def test_a_value_its_column_cannot_hold_is_refused_not_wrapped(scratch_table, column, value):
    """The driver's binary smallint and integer keep only the low bits (70000 as 4464)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE copy_scratch ADD COLUMN whole integer")
        row = {"id": 1, "small": 1, "whole": 1, column: value}
        names = list(row)
        with pytest.raises(ValueError, match=f"copy_scratch: cannot write the row .*{value}"):
            copy_rows(cursor.cursor, scratch_table, names, [list(row.values())])


def test_the_edges_of_each_integer_type_are_kept(scratch_table):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE copy_scratch ADD COLUMN whole integer")
        rows = [(-(2**63), -(2**15), -(2**31)), (2**63 - 1, 2**15 - 1, 2**31 - 1)]
        copy_rows(cursor.cursor, scratch_table, ["id", "small", "whole"], rows)
        cursor.execute("SELECT id, small, whole FROM copy_scratch ORDER BY id")
        assert cursor.fetchall() == rows
