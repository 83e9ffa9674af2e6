"""Property-based: for any release in canonical shape, render -> parse gives it back, so
render -> parse -> render is stable. English, Traditional and Simplified Chinese, weather."""

from __future__ import annotations

from hypothesis import given, settings

from pressroom.wire import ParsedRelease, parse, render
from tests.support.strategies import chinese_releases, english_releases, weather_bulletins


def assert_round_trip(release: ParsedRelease) -> None:
    canonical = render(release)
    reparsed = parse(canonical, source="generated.txt")
    assert reparsed == release
    assert render(reparsed) == canonical


@settings(max_examples=300, deadline=None)
@given(english_releases())
def test_english_round_trip(release):
    assert_round_trip(release)


@settings(max_examples=200, deadline=None)
@given(chinese_releases())
def test_chinese_round_trip(release):
    assert_round_trip(release)


@settings(max_examples=100, deadline=None)
@given(weather_bulletins())
def test_weather_round_trip(release):
    assert_round_trip(release)


@settings(max_examples=100, deadline=None)
@given(english_releases())
def test_canonical_render_reads_back_without_warnings(release):
    """The canonical form is one the parser finds nothing odd in (rule length, weekday, ...)."""
    warnings = parse(render(release)).warnings
    assert all("issue time is unknown" in warning for warning in warnings)
