"""GET /api/v1/changes: published, corrected and withdrawn events, in order, none missed or
repeated when a client keeps passing the cursor it was given."""

from __future__ import annotations

import datetime as dt

import pytest

from pressroom.releases.models import ReleaseState
from tests.support.clock import hong_kong
from tests.support.factories import make_release

pytestmark = pytest.mark.django_db

SECONDS = dt.timedelta(seconds=1)


def events(answer) -> list[tuple[str, str]]:
    return [(event["event"], event["reference"]) for event in answer["events"]]


def test_events_since_an_instant_in_order(client, clock):
    first = make_release(hong_kong(2023, 11, 3, 9, 0))
    second = make_release(hong_kong(2023, 11, 3, 10, 0))
    second.state = ReleaseState.CORRECTED
    second.corrected_at = hong_kong(2023, 11, 3, 11, 0)
    second.correction_note = "Sample: a date was wrong."
    second.save()
    first.state = ReleaseState.WITHDRAWN
    first.withdrawn_at = hong_kong(2023, 11, 3, 12, 0)
    first.save()
    answer = client.get("/api/v1/changes?since=2023-11-03T08:00:00%2B08:00").json()
    assert events(answer) == [
        ("published", first.reference),
        ("published", second.reference),
        ("corrected", second.reference),
        ("withdrawn", first.reference),
    ]
    assert answer["events"][2]["at"] == "2023-11-03T11:00:00+08:00"
    assert answer["has_more"] is False
    # Strictly after `since`; a naive instant is Hong Kong time.
    later = client.get("/api/v1/changes?since=2023-11-03T10:00:00").json()
    assert events(later) == [("corrected", second.reference), ("withdrawn", first.reference)]


def test_polling_with_the_cursor_misses_nothing_and_repeats_nothing(client, clock):
    start = hong_kong(2023, 11, 3, 17, 0)
    for minute in range(5):
        make_release(start + dt.timedelta(minutes=minute), reference=f"P202311030{minute:04d}")
    # Two at the same second: the reference orders them.
    due = hong_kong(2023, 11, 3, 18, 30)
    make_release(due, reference="P2023110309998", state=ReleaseState.SCHEDULED)
    make_release(due, reference="P2023110309999", state=ReleaseState.SCHEDULED)
    seen = []
    answer = client.get("/api/v1/changes?since=2023-11-03T16:00:00%2B08:00&limit=2").json()
    seen += events(answer)
    while answer["has_more"]:
        answer = client.get(f"/api/v1/changes?cursor={answer['next_cursor']}&limit=2").json()
        seen += events(answer)
    assert len(seen) == 5
    cursor = answer["next_cursor"]
    # Nothing new: the same cursor comes back, nothing is repeated.
    answer = client.get(f"/api/v1/changes?cursor={cursor}").json()
    assert answer["events"] == [] and answer["next_cursor"] == cursor
    # The scheduled pair appears once its instant has settled, never before it is due.
    clock.move_to(due - SECONDS, tick=False)
    assert client.get(f"/api/v1/changes?cursor={cursor}").json()["events"] == []
    clock.move_to(due + 5 * SECONDS, tick=False)
    answer = client.get(f"/api/v1/changes?cursor={cursor}").json()
    assert events(answer) == [("published", "P2023110309998"), ("published", "P2023110309999")]
    seen += events(answer)
    assert len(set(seen)) == len(seen) == 7


def test_a_release_withdrawn_before_its_instant_shows_both_at_it(client, clock):
    due = hong_kong(2023, 11, 3, 18, 10)
    release = make_release(
        due, state=ReleaseState.WITHDRAWN, withdrawn_at=hong_kong(2023, 11, 3, 17, 0)
    )
    clock.move_to(due + 10 * SECONDS, tick=False)
    answer = client.get("/api/v1/changes?since=2023-11-03T18:00:00%2B08:00").json()
    assert events(answer) == [("published", release.reference), ("withdrawn", release.reference)]
    assert {event["at"] for event in answer["events"]} == {"2023-11-03T18:10:00+08:00"}


def test_without_since_polling_starts_now(client, clock):
    make_release(hong_kong(2023, 11, 3, 17, 0))
    answer = client.get("/api/v1/changes").json()
    assert answer["events"] == [] and answer["has_more"] is False
    release = make_release(hong_kong(2023, 11, 3, 18, 1))
    clock.move_to(hong_kong(2023, 11, 3, 18, 5), tick=False)
    later = client.get(f"/api/v1/changes?cursor={answer['next_cursor']}").json()
    assert events(later) == [("published", release.reference)]


def test_bad_cursors_and_instants_are_422(client, clock):
    assert client.get("/api/v1/changes?cursor=WzFd").status_code == 422
    assert client.get("/api/v1/changes?since=soon").status_code == 422
