"""Rows into a PostgreSQL table by COPY in the binary format.

For bulk loads (`pressroom.releases.bulk.insert_rows`). In the text format the server parses
every value back from text: a search document's vector (some 2 KB of lexemes and positions)
costs it about three times as much to read as in its own binary form (docs/performance.md).
In the binary format each value goes in its column type's own representation, which the
column types, read from the catalogue, decide: psycopg's binary dumpers for the ordinary
types, and two of ours:

- `Encoded` text for a jsonb column: JSON already encoded, sent as it is (jsonb's binary form
  is a version byte and the JSON text), never encoded again as a JSON string;
- `Binary` values: already in their column type's binary form (what a query made in binary
  returns, e.g. a tsvector), sent as they are.

And one guard the text format had for free: the server no longer reads "70000" and refuses it
for a smallint, and the driver's binary dumpers of smallint and integer keep only the low bits
(70000 would arrive as 4464). Those columns get dumpers that check the range; a value that
cannot be written raises ValueError, as the server's refusal of a bad row raises DataError.
"""

from __future__ import annotations

import struct
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


def _checked_integer(oid: int, code: str) -> type[Dumper]:
    """A dumper for a smallint or integer column that refuses what the type cannot hold."""
    packer = struct.Struct(code)
    bits = packer.size * 8
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def dump(self, obj):
        if not low <= obj <= high:
            raise ValueError(f"{obj} does not fit a {bits}-bit integer column")
        return packer.pack(obj)

    return type(f"Checked{oid}", (Dumper,), {"format": Format.BINARY, "oid": oid, "dump": dump})


# smallint and integer: the driver's dumpers would wrap values that do not fit.
_CHECKED_INTEGERS = {21: _checked_integer(21, "!h"), 23: _checked_integer(23, "!i")}


def _as_given(oid: int) -> type[Dumper]:
    """A dumper for a column of type `oid` whose values are `Binary` already."""

    def dump(self, obj):
        if not isinstance(obj, bytes):
            kind = type(obj).__name__
            raise TypeError(f"a value for a column of type {oid} must be Binary, not {kind}")
        return obj

    return type(f"AsGiven{oid}", (Dumper,), {"format": Format.BINARY, "oid": oid, "dump": dump})


def column_types(cursor, table: str, names: Sequence[str]) -> list[int]:
    """The type oid of each named column of `table`, from the catalogue. Asked each time (a
    fraction of a millisecond a batch): a migration may change a table within a session."""
    cursor.execute(
        "SELECT attname, atttypid::int FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [f'"{table}"'],
    )
    types = dict(cursor.fetchall())
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
        elif oid in _CHECKED_INTEGERS:
            adapters.register_dumper(_Unused, _CHECKED_INTEGERS[oid])
    quoted = ", ".join(f'"{name}"' for name in names)
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN (FORMAT BINARY)') as copy:
        copy.set_types(types)
        for row in rows:
            try:
                copy.write_row(row)
            except (TypeError, ValueError, OverflowError, struct.error) as error:
                raise ValueError(f"{table}: cannot write the row {_shown(row)}: {error}") from None


class _Unused:
    """A class no value is: dumpers chosen by column type are registered under it."""


def _shown(row: Sequence) -> str:
    return "(" + ", ".join(repr(value)[:40] for value in row) + ")"
