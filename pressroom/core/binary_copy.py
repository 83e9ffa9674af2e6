"""Rows into a PostgreSQL table by COPY in the binary format.

For bulk loads (`pressroom.releases.services.insert_rows`). In the text format the server parses
every value back from text: a search document's vector (some 2 KB of lexemes and positions)
costs it three times as much to read as in its own binary form (60 us a row against 20,
measured 2026-12-02). In the binary format each value goes in its column type's own
representation, which the column types, read from the catalogue, decide: psycopg's binary
dumpers for the ordinary types, and two of ours:

- `Encoded` text for a jsonb column: JSON already encoded, sent as it is (jsonb's binary form
  is a version byte and the JSON text), never encoded again as a JSON string;
- `Binary` values: already in their column type's binary form (what a query made in binary
  returns, e.g. a tsvector), sent as they are.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence

from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.types.json import JsonbBinaryDumper


class Encoded(str):
    """A value already in its stored form (e.g. JSON text): written as it is."""


class Binary(bytes):
    """A value already in its column type's binary form (PostgreSQL's send/receive format)."""


class _EncodedJsonbDumper(JsonbBinaryDumper):
    """jsonb: `Encoded` JSON text as it is; anything else (Django's Jsonb wrappers) as usual."""

    def dump(self, obj):
        if isinstance(obj, Encoded):
            return b"\x01" + obj.encode()
        return super().dump(obj)


def _as_given(oid: int) -> type[Dumper]:
    """A dumper for a column of type `oid` whose values are `Binary` already."""

    def dump(self, obj):
        if not isinstance(obj, bytes):
            kind = type(obj).__name__
            raise TypeError(f"a value for a column of type {oid} must be Binary, not {kind}")
        return obj

    return type(f"AsGiven{oid}", (Dumper,), {"format": Format.BINARY, "oid": oid, "dump": dump})


# Column types by table, per database connection (a table's columns keep their types for the
# life of a connection; a test database made again comes with connections of its own).
_column_types: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def column_types(cursor, table: str, names: Sequence[str]) -> list[int]:
    """The type oid of each named column of `table`, from the catalogue (once per connection)."""
    known = _column_types.setdefault(cursor.connection, {})
    if table not in known:
        cursor.execute(
            "SELECT attname, atttypid::int FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [f'"{table}"'],
        )
        known[table] = dict(cursor.fetchall())
    types = known[table]
    missing = [name for name in names if name not in types]
    if missing:
        raise ValueError(f"{table} has no column {', '.join(missing)}")
    return [types[name] for name in names]


def copy_rows(cursor, table: str, names: Sequence[str], rows: Iterable[Sequence],
              given: Sequence[str] = ()) -> None:  # fmt: skip
    """COPY `rows` (values of the columns `names`, in that order) into `table`, in the binary
    format. `cursor` is a psycopg cursor; `given` names the columns whose values are `Binary`.
    """
    types = column_types(cursor, table, names)
    adapters = cursor.adapters  # this cursor's own: nothing registered here leaks out
    adapters.register_dumper(Encoded, _EncodedJsonbDumper)
    for name, oid in zip(names, types):
        if name in given:
            adapters.register_dumper(Binary, _as_given(oid))
    quoted = ", ".join(f'"{name}"' for name in names)
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN (FORMAT BINARY)') as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)
