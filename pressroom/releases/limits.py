"""What a release may hold: the documented limits, and the text checks every entrance runs.

The desk, the API, the admin, the importer and a restored backup all check a release's texts
here before anything is stored, so a limit is written once and says the same thing everywhere
(docs/security.md lists them). A refusal names the field and what is wrong with it.

Single-line fields (titles, captions' alt texts, names, codes) take no line breaks and no
control characters at all: a stored line break once broke every e-mail of a release (it ends
an e-mail header). Multi-line fields (bodies, captions, notes) take line breaks and tabs only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sized

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Per language version of a release.
TITLE_MAX_CHARS = 500
BODY_MAX_CHARS = 300_000  # a long speech is about 150,000 characters
BODY_MAX_BLOCKS = 5_000
# Per release.
PHOTOS_MAX = 100
CAPTION_MAX_CHARS = 2_000
ALT_TEXT_MAX_CHARS = 300
# Correction notes, withdrawal reasons, review comments.
NOTE_MAX_CHARS = 5_000
# A revision's one-line summary ("edited through the API").
SUMMARY_MAX_CHARS = 300
# Department and category names.
NAME_MAX_CHARS = 200

# Dates and instants, wherever they come in (API filters, cursors and schedules; restored
# records): the archive's span, with centuries to spare. Far from the calendar's ends too: a
# day in year 1 or 9999 cannot be converted to UTC or given a next day (an OverflowError).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)
SPAN_TEXT = f"between {FIRST_DAY} and {LAST_DAY}"

# Control characters (Unicode's Cc: C0, DEL and C1), and the line and paragraph separators that
# are not control characters but end a line all the same (str.splitlines() and some mail
# readers split on them). A regular expression finds them at C speed in a long body.
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NOT_IN_A_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")
_BREAK_RUN = re.compile(f"\\s*(?:{_NOT_IN_A_LINE.pattern}\\s*)+")


class TextRefused(ValueError):
    """A text that breaks a limit or holds characters its field does not take."""

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


def _describe(character: str) -> str:
    if character in "\r\n\x85\u2028\u2029":
        return "a line break"
    return f"a control character (U+{ord(character):04X})"


def single_line(field: str, value: str, max_chars: int) -> str:
    """`value` if it is one line of at most `max_chars` characters, else TextRefused."""
    if not isinstance(value, str):
        raise TextRefused(field, f"expected text, got {type(value).__name__}")
    bad = _NOT_IN_A_LINE.search(value)
    if bad:
        raise TextRefused(field, f"must be a single line: it holds {_describe(bad.group())}")
    if len(value) > max_chars:
        raise TextRefused(field, f"is {len(value):,} characters long; the limit is {max_chars:,}")
    return value


def one_line(value: str) -> str:
    """`value` made one line, where a line break would do harm (an e-mail header) and the text
    may predate the checks above (old rows, old imports): each run of line breaks and control
    characters, with the spaces around it, becomes one space."""
    return _BREAK_RUN.sub(" ", value).strip()


def multi_line(field: str, value: str, max_chars: int) -> str:
    """`value` with its line breaks as "\\n" if it is within `max_chars` and holds no control
    character other than line breaks and tabs, else TextRefused."""
    if not isinstance(value, str):
        raise TextRefused(field, f"expected text, got {type(value).__name__}")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    bad = _NOT_IN_A_TEXT.search(value)
    if bad:
        raise TextRefused(field, f"holds {_describe(bad.group())}")
    if len(value) > max_chars:
        raise TextRefused(field, f"is {len(value):,} characters long; the limit is {max_chars:,}")
    return value


def at_most(field: str, items: Sized, max_items: int, what: str) -> None:
    """TextRefused when `items` holds more than `max_items` `what` (e.g. "photos")."""
    if len(items) > max_items:
        raise TextRefused(field, f"has {len(items):,} {what}; the limit is {max_items:,}")


def in_span(value: dt.date | dt.datetime) -> bool:
    """Whether a day, or an instant's day in its own offset, lies within FIRST_DAY..LAST_DAY."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return FIRST_DAY <= day <= LAST_DAY


def photos(field: str, count: int) -> None:
    """TextRefused when a release would hold photos 1..`count` and that is past the limit."""
    if count > PHOTOS_MAX:
        raise TextRefused(field, f"would hold {count:,} photos; the limit is {PHOTOS_MAX:,}")


def body(field: str, blocks: Iterable) -> None:
    """TextRefused unless a body's blocks (`pressroom.wire.model.Block`) are within the
    limits and hold no control character other than line breaks and tabs.

    The characters counted are the blocks' own texts, lines and cells: the stored body. The
    wire text a person edits adds a few characters of indentation per block. One join and one
    search, whatever the number of blocks (the importer checks every page it reads)."""
    blocks = list(blocks)
    if len(blocks) > BODY_MAX_BLOCKS:
        raise TextRefused(field, f"has {len(blocks):,} blocks; the limit is {BODY_MAX_BLOCKS:,}")
    texts: list[str] = []
    total = 0
    for block in blocks:
        cells = [cell for row in block.rows for cell in row]
        texts.append(block.text)
        texts.extend(block.lines)
        texts.extend(cells)
        # A table's cells repeat its lines (kept as issued): counted once.
        total += len(block.text) + sum(map(len, block.lines or cells))
    bad = _NOT_IN_A_TEXT.search("\n".join(texts))  # a stored text has its line breaks as "\n"
    if bad:
        raise TextRefused(field, f"holds {_describe(bad.group())}")
    if total > BODY_MAX_CHARS:
        raise TextRefused(field, f"is {total:,} characters long; the limit is {BODY_MAX_CHARS:,}")


# Django validators, for model fields (the admin's forms run them) and form fields.


class _TextValidator:
    """A Django validator running one of the checks above on a field of `max_chars`."""

    check = staticmethod(single_line)

    def __init__(self, max_chars: int):
        self.max_chars = max_chars

    def __call__(self, value: str) -> None:
        try:
            self.check("this field", value, self.max_chars)
        except TextRefused as refused:
            raise ValidationError(f"This field {refused.reason}.", code="text_refused") from None

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.max_chars == self.max_chars


@deconstructible
class SingleLine(_TextValidator):
    """Validates a single-line field of at most `max_chars` characters."""

    check = staticmethod(single_line)


@deconstructible
class MultiLine(_TextValidator):
    """Validates a multi-line field of at most `max_chars` characters."""

    check = staticmethod(multi_line)
