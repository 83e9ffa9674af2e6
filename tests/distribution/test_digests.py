"""Daily and weekly digests: one message per subscriber at 18:00 Hong Kong time, holding what
was issued since the last one, and nothing for those who take each release as it is issued."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pressroom.distribution import subscriptions
from pressroom.distribution.models import EventKind, Frequency
from pressroom.releases.models import HONG_KONG
from pressroom.workflow.actions import WithdrawRelease
from tests.support.distribution import drain, schedule

pytestmark = pytest.mark.django_db

# A Friday, so the weekly digest goes out on the same evening as the daily one.
FRIDAY = dt.date(2026, 11, 27)


def at(hour: int, minute: int = 0, day: dt.date = FRIDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HONG_KONG)


def subscriber(email: str, frequency: Frequency):
    return subscriptions.subscribe(
        subscriptions.SubscriptionRequest(email=email, frequency=frequency.value)
    )


def test_daily_and_weekly_digests_gather_the_days_releases(
    editor, sample_department, in_memory_channels
):
    subscriber("now@example.test", Frequency.IMMEDIATE)
    subscriber("daily@example.test", Frequency.DAILY)
    subscriber("weekly@example.test", Frequency.WEEKLY)
    with time_machine.travel(at(9), tick=False):
        schedule(editor, sample_department, at(10), title="Sample: morning notice")
        schedule(editor, sample_department, at(11), title="Sample: late-morning notice")
    drain(at(11))
    immediate = [s for s in in_memory_channels if s.event_kind == EventKind.ISSUED]
    assert sorted(s.recipient for s in immediate) == ["now@example.test", "now@example.test"]

    drain(at(17, 59))
    assert not [s for s in in_memory_channels if s.event_kind != EventKind.ISSUED]

    drain(at(18))
    digests = {s.recipient: s for s in in_memory_channels if s.event_kind != EventKind.ISSUED}
    assert set(digests) == {"daily@example.test", "weekly@example.test"}
    assert digests["daily@example.test"].event_kind == EventKind.DAILY_DIGEST
    assert digests["weekly@example.test"].event_kind == EventKind.WEEKLY_DIGEST
    for sent in digests.values():
        text = sent.body.body
        assert text.index("Sample: morning notice") < text.index("Sample: late-morning notice")
        assert sent.body.to == [sent.recipient]
        assert sent.body.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    drain(at(18, 30))
    assert len([s for s in in_memory_channels if s.event_kind != EventKind.ISSUED]) == 2


def test_a_day_with_nothing_issued_sends_no_digest(editor, sample_department, in_memory_channels):
    subscriber("daily@example.test", Frequency.DAILY)
    drain(at(9))
    drain(at(18, 1))
    assert [s for s in in_memory_channels if s.recipient == "daily@example.test"] == []


def test_a_release_withdrawn_before_the_digest_is_left_out_of_it(
    editor, sample_department, in_memory_channels
):
    subscriber("daily@example.test", Frequency.DAILY)
    with time_machine.travel(at(9), tick=False):
        schedule(editor, sample_department, at(10), title="Sample: notice that stands")
        withdrawn = schedule(
            editor, sample_department, at(11), title="Sample: notice issued in error"
        )
    drain(at(11))
    with time_machine.travel(at(12), tick=False):
        withdrawn.refresh_from_db()
        WithdrawRelease(withdrawn, editor, reason="Sample: issued in error").execute()
    drain(at(18))
    [digest] = [s for s in in_memory_channels if s.event_kind == EventKind.DAILY_DIGEST]
    assert "Sample: notice that stands" in digest.body.body
    assert "Sample: notice issued in error" not in digest.body.body
