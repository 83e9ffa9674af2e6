"""Fixtures for importer tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.importer import FIXTURES


@pytest.fixture
def sample_dir(tmp_path) -> Path:
    """A writable copy of the sample files, for tests that change or add files."""
    target = tmp_path / "samples"
    shutil.copytree(FIXTURES, target)
    return target
