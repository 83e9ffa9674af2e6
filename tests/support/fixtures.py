"""The fixtures tests in several folders share, as a pytest plugin (tests/conftest.py registers
it): a stopped clock, the real seed release, departments and people in every role."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from pressroom.workflow.roles import Role
from tests.support.clock import NOW
from tests.support.environment import SEED_FILE, require_shared_file
from tests.support.factories import department, person

# Hypothesis's default deadline fails an example that runs slowly on a busy machine: a
# wall-time assertion. Properties are about results, so no example has a deadline.
hypothesis_settings.register_profile("pressroom", deadline=None)
hypothesis_settings.load_profile("pressroom")


@pytest.fixture
def clock(time_machine):
    """The clock stopped at NOW (18:00 HKT on Friday, 3 November 2023); tests move it with
    clock.move_to(...) or clock.shift(...)."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def seed_path() -> Path:
    return require_shared_file(SEED_FILE)


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


@pytest.fixture
def editor(db):
    """A duty editor (edith, as in `people`)."""
    return person("edith", Role.EDITOR, None)
