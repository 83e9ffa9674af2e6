"""Releases moved through the real workflow for the distribution tests, and `drain`, which runs
the worker's dispatcher and sender in this process at a given clock."""

from __future__ import annotations

import datetime as dt
import os

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from pressroom.distribution import sending
from pressroom.distribution.dispatcher import Dispatcher
from pressroom.distribution.tasks import batch_instant
from pressroom.distribution.wakeup import WakeSource
from pressroom.workflow.actions import ApproveRelease, ScheduleRelease, SubmitRelease
from pressroom.workflow.roles import Role
from tests.support.environment import skip_or_fail
from tests.support.factories import draft, person

LOCMEM = {"BACKEND": "pressroom.distribution.channels.locmem.LocmemChannel"}


def schedule(editor, dept, issue_instant: dt.datetime, **content):
    """A release written and scheduled by the duty editor through the workflow, approved by a
    second duty editor (the four-eyes rule: nobody approves their own)."""
    release = draft(editor, dept, **content)
    SubmitRelease(release, editor).execute()
    ApproveRelease(release, second_editor()).execute()
    return ScheduleRelease(release, editor, issue_instant=issue_instant).execute()


def second_editor():
    return get_user_model().objects.filter(username="eve").first() or person(
        "eve", Role.EDITOR, None
    )


def soon(seconds: float = 60) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def drain(at: dt.datetime | None = None, worker_id: str = "test-worker") -> int:
    """Run the dispatcher until it has nothing due at `at`; sends in this thread. Returns the
    number of rounds that dispatched something."""

    def send_now(ids: list[int], channel: str, not_before: dt.datetime | None) -> None:
        if not_before is not None and at is not None:
            # Claimed ahead (ARM_AHEAD): the stopped clock is moved on to its instant, which
            # the sender waits for.
            with time_machine.travel(not_before, tick=False):
                sending.send_claimed(ids, worker_id, batch_instant(not_before))
            return
        sending.send_claimed(ids, worker_id, batch_instant(not_before))

    def rounds() -> int:
        dispatcher = Dispatcher(worker_id, send_now, WakeSource(), batch_size=50)
        count = 0
        while dispatcher.step():
            count += 1
        return count

    if at is None:
        return rounds()
    with time_machine.travel(at, tick=False):
        return rounds()


def redis_url_for_tests() -> str:
    """A Redis database of its own per test process (xdist workers must not share queues)."""
    import redis

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    url = f"redis://127.0.0.1:6379/{15 - int(worker.removeprefix('gw') or 0) % 2}"
    try:
        client = redis.Redis.from_url(url)
        client.ping()
    except redis.ConnectionError:
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    return url
