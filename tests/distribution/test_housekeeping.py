"""The worker's housekeeping deletes finished task rows past their retention, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pressroom.distribution import dispatcher
from pressroom.distribution.dispatcher import Dispatcher
from pressroom.distribution.tasks import deliver_batch
from pressroom.distribution.wakeup import WakeSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PRESSROOM_TASK_RESULTS_KEEP_DAYS = 7


def task_row(status: str, finished_days_ago: float | None) -> str:
    result = deliver_batch.enqueue([], "sample-worker")
    finished = (
        None if finished_days_ago is None else timezone.now() - dt.timedelta(days=finished_days_ago)
    )
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return str(result.id)


def remaining() -> set[str]:
    return {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}


def test_housekeeping_deletes_finished_rows_older_than_the_retention(database_tasks):
    old_success = task_row(TaskResultStatus.SUCCESSFUL, 8)
    old_failure = task_row(TaskResultStatus.FAILED, 30)
    recent = task_row(TaskResultStatus.SUCCESSFUL, 6)
    ready = task_row(TaskResultStatus.READY, None)
    running = task_row(TaskResultStatus.RUNNING, None)
    Dispatcher("sample-worker", lambda ids, channel, not_before: None, WakeSource()).housekeeping(
        timezone.now()
    )
    assert remaining() == {recent, ready, running}
    assert old_success not in remaining() and old_failure not in remaining()


def test_the_retention_is_a_setting(database_tasks, settings):
    settings.PRESSROOM_TASK_RESULTS_KEEP_DAYS = 1
    two_days = task_row(TaskResultStatus.SUCCESSFUL, 2)
    today = task_row(TaskResultStatus.SUCCESSFUL, 0.5)
    assert dispatcher.prune_task_results(timezone.now()) == 1
    assert remaining() == {today} and two_days not in remaining()


def test_a_backlog_goes_in_chunks_at_each_housekeeping(database_tasks, monkeypatch):
    monkeypatch.setattr(dispatcher, "PRUNE_CHUNK", 2)
    for _ in range(5):
        task_row(TaskResultStatus.SUCCESSFUL, 10)
    worker = Dispatcher("sample-worker", lambda ids, channel, not_before: None, WakeSource())
    counts = []
    for _ in range(4):
        worker.housekeeping(timezone.now())
        counts.append(len(remaining()))
    assert counts == [3, 1, 0, 0]
