"""The one real release: parse then render gives it back, furniture and rule length aside."""

from __future__ import annotations

import datetime as dt

from pressroom.wire import BlockKind, Language, parse_bytes, render

FURNITURE = {"Go to main content", "Today's Press Releases"}


def _comparable(text: str) -> list[str]:
    """Lines without trailing white space, page furniture and the title's rule."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line not in FURNITURE]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines[:1] + lines[2:]  # the rule: the seed's is 90 '*' under 95 characters


def test_seed_parses_to_its_fields(seed_path):
    parsed = parse_bytes(seed_path.read_bytes(), seed_path)
    assert parsed.language is Language.EN
    assert parsed.title.endswith("(with photos)")
    assert len(parsed.title) == 95
    assert [block.kind for block in parsed.body] == [BlockKind.PARAGRAPH] * 7
    assert parsed.issue_date == dt.date(2023, 11, 3)
    assert parsed.issue_time == dt.time(16, 0)
    assert len(parsed.captions) == 4
    assert parsed.reference is None
    assert any("90 '*'" in warning for warning in parsed.warnings)


def test_seed_round_trips_from_title_to_captions(seed_path):
    original = seed_path.read_bytes().decode("utf-8")
    rendered = render(parse_bytes(seed_path.read_bytes(), seed_path))
    assert _comparable(rendered) == _comparable(original)
    rule = rendered.split("\n")[1]
    assert rule == "*" * 95


def test_seed_render_is_a_fixed_point(seed_path):
    rendered = render(parse_bytes(seed_path.read_bytes(), seed_path))
    reparsed = parse_bytes(rendered.encode("utf-8"))
    assert render(reparsed) == rendered
    assert reparsed.warnings == ()
