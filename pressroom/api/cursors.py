"""Opaque cursors: a position in an ordered listing, given out by the API and taken back.

A cursor is URL-safe base64 of a small JSON list; clients must treat it as opaque. Anything
that does not decode to the expected shape is refused with a clear message (422), never a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from ninja.errors import HttpError


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
                if value.tzinfo is None:
                    raise ValueError("naive instant")
            elif not isinstance(value, kind) or isinstance(value, bool):
                raise ValueError("wrong type")
            parsed.append(value)
        return parsed
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise HttpError(422, "cursor: not a cursor this API gave out (pass next_cursor as is)") from None
