"""The text checks every entrance runs (pressroom.releases.limits)."""

from __future__ import annotations

import re

import pytest

from pressroom.releases import limits
from pressroom.releases.limits import TextRefused


@pytest.mark.parametrize(
    "value, what",
    [
        ("Title\nsecond line", "a line break"),
        ("Title\rBcc: x@example.org", "a line break"),
        ("Title\u2028more", "a line break"),
        ("Title\x85more", "a line break"),
        ("Tab\tinside", "U+0009"),
        ("Bell\x07", "U+0007"),
        ("NUL\x00", "U+0000"),
    ],
)
def test_a_single_line_refuses_line_breaks_and_control_characters(value, what):
    with pytest.raises(TextRefused, match=re.escape(what)) as refused:
        limits.single_line("title (English)", value, limits.TITLE_MAX_CHARS)
    assert refused.value.field == "title (English)"
    assert str(refused.value).startswith("title (English): ")


def test_a_single_line_takes_any_printable_text_up_to_its_limit():
    title = "Sample: 政府公佈 «quotes» — and emoji 📷"
    assert limits.single_line("title", title, len(title)) == title
    with pytest.raises(TextRefused, match="is 501 characters long; the limit is 500"):
        limits.single_line("title", "x" * 501, 500)


def test_a_multi_line_text_keeps_line_breaks_and_tabs_and_refuses_other_controls():
    assert limits.multi_line("body", "one\r\ntwo\rthree\tfour", 100) == "one\ntwo\nthree\tfour"
    with pytest.raises(TextRefused, match=re.escape("U+001B")):
        limits.multi_line("body", "escape \x1b[31m red", 100)
    with pytest.raises(TextRefused, match="the limit is 10"):
        limits.multi_line("body", "x" * 11, 10)


def test_lists_have_a_limit():
    limits.at_most("photos", [1] * limits.PHOTOS_MAX, limits.PHOTOS_MAX, "photos")
    with pytest.raises(TextRefused, match="has 101 photos; the limit is 100"):
        limits.at_most("photos", [1] * 101, limits.PHOTOS_MAX, "photos")
