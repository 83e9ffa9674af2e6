"""Shared test fixtures: the real seed release from ../shared, data folders, factories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pressroom.workflow.roles import Role
from tests.workflow.factories import department, person

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("PRESSROOM_SHARED_DIR", REPO_ROOT.parent / "shared"))
SEED_FILE = SHARED_DIR / "seeds" / "000_794770668342d17e.txt"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_shared_file(path: Path) -> Path:
    """The real archive files live outside the project: skip without them, but fail in CI."""
    if not path.exists():
        reason = f"{path} is missing (the real release lives in ../shared, not in this project)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture
def seed_path() -> Path:
    return require_shared_file(SEED_FILE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded photos of a test go to its own folder, never the developer's data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache(settings):
    """Each test starts with an empty response cache: it files pages under save times,
    and frozen clocks give different tests the same ones."""
    from django.core.cache import cache

    from pressroom.publiccache.generation import forget_generation

    if "LocMemCache" in settings.CACHES["default"]["BACKEND"]:
        cache.clear()
    forget_generation()  # read from another test's database, at another test's clock


# People in every role, shared by the desk, workflow, media and API tests.
@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sample_department(db):
    return department()


@pytest.fixture
def other_department(db):
    return department("other", "Other Sample Bureau", "其他樣本局")


@pytest.fixture
def people(sample_department, other_department):
    """One person per role in the sample department, and a writer and approver elsewhere."""
    return {
        "writer": person("wanda", Role.WRITER, sample_department),
        "approver": person("arthur", Role.APPROVER, sample_department),
        "editor": person("edith", Role.EDITOR, None),
        "admin": person("adam", Role.ADMIN, None),
        "other_writer": person("oscar", Role.WRITER, other_department),
        "other_approver": person("olga", Role.APPROVER, other_department),
    }
