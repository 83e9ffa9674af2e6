"""Document ids that sort in issue order (and the filter tags the index keeps beside the text).

A search document's id (and on SQLite the rowid of its FTS5 row) is

    id = seconds since 1900-01-01 UTC * SLOTS + a slot free in that second

so ids ascend with the issue instant, to the second. Full-text indexes keep their matches in id
order, so the newest N matches of a word are read straight off the index without ranking or
sorting all of them, and "issued before now" or a date range is an id range the index can seek
to. The exact conditions (on `issue_instant`) are still applied: the range only narrows.

The slot is preferably (release id * 2 + language) mod SLOTS, else the next free one in the
same second. SLOTS is small on purpose: FTS5 stores the gaps between ids of each word's matches
as varints, so ids spread wide would make the index larger.

A document whose release changes its issue instant gets a new id (see `indexing`). A release
without an instant (a draft) gets second 0, below every range a search asks for.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Container, Iterable

EPOCH = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
SLOTS = 1024
LANGUAGE_BIT = {"en": 0, "zh-Hant": 1}


class NoFreeKey(Exception):
    pass


def second_of(instant: dt.datetime | None, rounding=math.floor) -> int:
    if instant is None:
        return 0
    return max(rounding((instant - EPOCH).total_seconds()), 1)


def second_of_key(key: int) -> int:
    return key // SLOTS


def document_key(
    issue_instant: dt.datetime | None, release_id: int, language: str, taken: Container[int] = ()
) -> int:
    """The document's id: its preferred slot in its second, or the next one not `taken`."""
    base = second_of(issue_instant) * SLOTS
    preferred = (release_id * 2 + LANGUAGE_BIT[language]) % SLOTS
    for step in range(SLOTS):
        key = base + (preferred + step) % SLOTS
        if key not in taken:
            return key
    raise NoFreeKey(f"more than {SLOTS} documents issued in the same second")


def keys_of_second(issue_instant: dt.datetime | None) -> tuple[int, int]:
    """The id range [first, end) of documents issued in the same second as `issue_instant`."""
    base = second_of(issue_instant) * SLOTS
    return base, base + SLOTS


def first_key_at_or_after(instant: dt.datetime) -> int:
    """The lowest id a document issued at or after `instant` can have."""
    return second_of(instant) * SLOTS


def first_key_after(instant: dt.datetime) -> int:
    """An id above every document issued at or before `instant`."""
    return (second_of(instant) + 1) * SLOTS


def first_key_at_or_after_ceiling(instant: dt.datetime) -> int:
    """An id above every document issued strictly before `instant`."""
    return second_of(instant, math.ceil) * SLOTS


# Drafts (second 0) sort below this; every public document is at or above it.
LOWEST_DATED_KEY = SLOTS


# Filter tags: tokens of the index's `tags` column (SQLite), so the index itself narrows a
# search by department and category before any row is joined.


# FTS5's bm25 divides by the length of the whole row, tags included: padding every row to the
# same number of tags keeps equal text equally relevant (more than 3 categories add a little).
TAG_SLOTS = 4


def filter_tags(department_id: int | None, category_ids: Iterable[int]) -> str:
    tags = [department_tag(department_id or 0)]
    tags.extend(category_tag(category_id) for category_id in sorted(category_ids))
    tags.extend([category_tag(0)] * (TAG_SLOTS - len(tags)))
    return " ".join(tags)


def department_tag(department_id: int) -> str:
    return f"d{department_id}"


def category_tag(category_id: int) -> str:
    return f"c{category_id}"
