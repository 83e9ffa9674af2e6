"""The visibility rule is written once (pressroom.releases.visibility) and every caller asks it:
a release scheduled at t is nowhere at t - 1 s and everywhere at t."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from pressroom.media import access
from pressroom.publiccache.generation import Generation, next_issue_instant_after
from pressroom.releases import visibility
from pressroom.releases.models import Release, ReleaseState
from pressroom.search import search
from pressroom.search.query import SearchQuery
from pressroom.workflow.rules import effective_state, published_or_later
from tests.support.clock import hong_kong
from tests.support.factories import add_photos, make_release

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2] / "pressroom"
INSTANT = hong_kong(2023, 11, 3, 16, 0, 0)
BEFORE = INSTANT - dt.timedelta(seconds=1)
TITLE = "Sample: lighthouse reopens"


@pytest.fixture
def scheduled(time_machine):
    time_machine.move_to(INSTANT - dt.timedelta(hours=1), tick=False)
    release = make_release(INSTANT, title=TITLE, state=ReleaseState.SCHEDULED)
    add_photos(release, ["Sample: the lighthouse."], with_images=1)
    return release


def _in_search(release, now) -> bool:
    results = search(SearchQuery(text="lighthouse", now=now))
    return any(hit.reference == release.reference for hit in results.hits)


def _reading(now) -> Generation:
    return Generation.read(now)


# Each door, asked at an instant: does it show (or count) the release?
DOORS = {
    "the manager": lambda release, now: Release.objects.public(now).filter(pk=release.pk).exists(),
    "a relation": lambda release, now: release.photos.filter(visibility.public_at(now, "release__")).exists(),
    "a release in memory": lambda release, now: release.is_public(now),
    "search": _in_search,
    "the public-state reading": lambda release, now: _reading(now).last_issue == INSTANT,
    "media files": lambda release, now: access.public_file(release.photos.get().image.name, now) is not None,
    "the workflow's state": lambda release, now: effective_state(release, now) == ReleaseState.PUBLISHED,
    "the workflow's filter": lambda release, now: Release.objects.filter(published_or_later(now), pk=release.pk).exists(),
}  # fmt: skip


@pytest.mark.parametrize("door", DOORS)
def test_a_release_scheduled_at_t_is_nowhere_at_t_minus_one_second_and_everywhere_at_t(
    scheduled, door
):
    shows = DOORS[door]
    assert not shows(scheduled, BEFORE), f"{door} shows the release a second early"
    assert shows(scheduled, INSTANT), f"{door} does not show the release at its instant"


def test_what_is_still_to_come_is_the_rule_s_other_side(scheduled):
    assert next_issue_instant_after(BEFORE) == INSTANT
    assert _reading(BEFORE).next_issue == INSTANT
    assert Release.objects.filter(visibility.upcoming_at(BEFORE), pk=scheduled.pk).exists()
    assert next_issue_instant_after(INSTANT) is None
    assert not Release.objects.filter(visibility.upcoming_at(INSTANT), pk=scheduled.pk).exists()


def test_the_sql_form_says_what_the_orm_form_says(scheduled):
    table = connection.ops.quote_name(Release._meta.db_table)
    for now in (BEFORE, INSTANT, timezone.now()):
        condition, params = visibility.public_sql(connection.ops.adapt_datetimefield_value(now))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE {condition}", params)
            by_sql = {row[0] for row in cursor.fetchall()}
        assert by_sql == set(Release.objects.public(now).values_list("pk", flat=True)), now


# Ways of writing the rule again outside its module: an ORM lookup on the instant beside the
# states, the states themselves, or SQL comparing the instant with a parameter.
WRITTEN_AGAIN = re.compile(r"issue_instant__lte|PUBLIC_STATES|issue_instant\s*(<=|>)\s*%s")
RULE_MODULES = {"releases/visibility.py", "releases/states.py"}


def test_no_module_writes_the_rule_again():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in RULE_MODULES or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITTEN_AGAIN.search(line) and "noqa: F401" not in line:
                found.append(f"pressroom/{relative}:{number}: {line.strip()}")
    assert not found, "ask pressroom.releases.visibility instead:\n" + "\n".join(found)
