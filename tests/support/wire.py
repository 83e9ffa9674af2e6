"""The wire format's fixture files (tests/wire/fixtures): fictional releases, one per variation
in the format notes."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "wire" / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")
