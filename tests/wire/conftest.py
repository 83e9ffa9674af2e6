"""Fixtures for the wire tests; the files themselves are read through tests/support/wire.py."""

from __future__ import annotations

import pytest

from tests.support.wire import fixture_text


@pytest.fixture
def read_fixture():
    return fixture_text
