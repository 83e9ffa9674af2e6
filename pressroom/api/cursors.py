"""Opaque cursors: a position in an ordered listing, given out by the API and taken back.

A cursor is URL-safe base64 of a small JSON list; clients must treat it as opaque. Anything
that does not decode to the expected shape is refused with a clear message (422), never a 500:
a client can write any JSON into one, so every value is checked as strictly as a parameter
(instants within the archive's span, texts short and on one line: a NUL is an error on
PostgreSQL, year 1 an overflow).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from ninja.errors import HttpError

from pressroom.releases import limits

# The longest text part of a cursor (a reference is at most 32 characters).
TEXT_MAX_CHARS = 64


def encode(*parts) -> str:
    values = [part.isoformat() if isinstance(part, dt.datetime) else part for part in parts]
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, shape: tuple[type, ...]) -> list:
    """The cursor's values, checked against `shape` (dt.datetime parts are parsed back)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(shape):
            raise ValueError("wrong shape")
        parsed = []
        for value, kind in zip(values, shape):
            if kind is dt.datetime:
                value = dt.datetime.fromisoformat(value)
                if value.tzinfo is None or not limits.in_span(value):
                    raise ValueError("naive instant, or outside the archive's span")
            elif kind is str:
                limits.single_line("cursor", value, TEXT_MAX_CHARS)
            elif not isinstance(value, kind) or isinstance(value, bool):
                raise ValueError("wrong type")
            parsed.append(value)
        return parsed
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise HttpError(
            422, "cursor: not a cursor this API gave out (pass next_cursor as is)"
        ) from None
