"""A batch taken from the queue by a sender that dies before adopting it is handed back by the
worker that claimed it and sent once, not left to its ten-minute lease (bench/faults found it:
a task worker killed at an issue instant took that instant's batch with it).

The dead sender is a real django-tasks-db task row taken the way django-tasks-db's worker takes
it (DBTaskResult.claim), after which its process would have been killed: nothing runs it. The
dispatcher's clock is the test's (`later`), so "a moment after" and "LOST_BATCH_SECONDS later"
are exactly that on any machine."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressroom.distribution import claims, sending
from pressroom.distribution import dispatcher as dispatcher_module
from pressroom.distribution.dispatcher import LOST_BATCH_SECONDS, Dispatcher
from pressroom.distribution.endpoints import register
from pressroom.distribution.models import Delivery, DeliveryStatus
from pressroom.distribution.queues import in_rq_queue
from pressroom.distribution.tasks import deliver_batch
from pressroom.distribution.wakeup import WakeSource
from tests.support.clock import ManualClock
from tests.support.distribution import redis_url_for_tests, schedule, soon

pytestmark = pytest.mark.django_db

WORKER = "claiming-worker"


@pytest.fixture
def later(time_machine, monkeypatch):
    """later(): LOST_BATCH_SECONDS and a moment on, on the dispatcher's clock and the wall
    clock, which stand still in between."""
    clock = ManualClock(wall=time_machine).install(monkeypatch, dispatcher_module)

    def move_on() -> None:
        clock.advance(LOST_BATCH_SECONDS + 0.1)

    return move_on


@pytest.fixture
def due_webhook(settings, editor, sample_department, in_memory_channels, time_machine, later):
    """One webhook delivery due now and a dispatcher that queues real django-tasks-db tasks."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    register("http://127.0.0.1:9/hook")
    release = schedule(editor, sample_department, soon(30))
    time_machine.move_to(release.issue_instant, tick=False)
    worker = Dispatcher(
        WORKER, lambda ids, channel, not_before: deliver_batch.enqueue(ids, WORKER), WakeSource()
    )
    while worker.step():
        pass
    return worker, in_memory_channels


def the_delivery() -> Delivery:
    return Delivery.objects.get()


def test_a_batch_whose_sender_died_before_adopting_it_is_handed_back_and_sent_once(
    due_webhook, later
):
    worker, sent = due_webhook
    queued = DBTaskResult.objects.get()
    queued.claim("sender-that-dies")  # taken from the queue; its process is then killed
    worker.recover_lost_batches()
    assert the_delivery().status == DeliveryStatus.SENDING  # a moment after: not yet
    later()
    worker.housekeeping(timezone.now())
    assert the_delivery().status == DeliveryStatus.PENDING and the_delivery().claimed_by == ""

    # Claimed again and queued again; a living sender sends it.
    while worker.step():
        pass
    again = DBTaskResult.objects.exclude(pk=queued.pk).get()
    sending.send_claimed(*again.args_kwargs["args"])
    assert the_delivery().status == DeliveryStatus.SENT
    # The first sender, had it only been slow, finds nothing left to adopt: one message, once.
    sending.send_claimed(*queued.args_kwargs["args"])
    assert len(sent) == 1


def test_a_batch_still_waiting_in_the_queue_is_waited_for(due_webhook, later):
    worker, sent = due_webhook
    later()
    worker.recover_lost_batches()
    assert the_delivery().status == DeliveryStatus.SENDING and the_delivery().claimed_by == WORKER
    queued = DBTaskResult.objects.get()
    sending.send_claimed(*queued.args_kwargs["args"])
    assert the_delivery().status == DeliveryStatus.SENT and len(sent) == 1
    worker.recover_lost_batches()
    assert worker._queued == []  # adopted and sent: forgotten


def test_a_batch_its_sender_adopted_is_never_handed_back(due_webhook, later):
    """Adopted by a sender (which then died): its own silence is what takes it back."""
    worker, sent = due_webhook
    queued = DBTaskResult.objects.get()
    queued.claim("sender")
    ids, claimed_by = queued.args_kwargs["args"]
    claims.this_worker = "adopting-sender"
    try:
        assert claims.adopt(ids, claimed_by, timezone.now()) == ids
    finally:
        claims.this_worker = None
    later()
    worker.recover_lost_batches()
    delivery = the_delivery()
    assert delivery.status == DeliveryStatus.SENDING and delivery.claimed_by == "adopting-sender"


def test_a_batch_whose_task_is_gone_from_the_queue_is_handed_back(due_webhook, later):
    """The queue no longer knows the task (its row deleted, an RQ result expired): lost."""
    worker, sent = due_webhook
    DBTaskResult.objects.all().delete()
    later()
    worker.recover_lost_batches()
    assert the_delivery().status == DeliveryStatus.PENDING


@pytest.fixture
def rq_queue(settings):
    """The RQ tasks backend on a Redis database of this test process, emptied before and after."""
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": redis_url_for_tests()}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


@pytest.fixture
def due_webhook_on_rq(rq_queue, editor, sample_department, in_memory_channels, time_machine, later):
    register("http://127.0.0.1:9/hook")
    release = schedule(editor, sample_department, soon(30))
    time_machine.move_to(release.issue_instant, tick=False)
    worker = Dispatcher(WORKER, lambda ids, channel, not_before: deliver_batch.enqueue(ids, WORKER), WakeSource(),
                        in_queue=in_rq_queue)  # fmt: skip
    while worker.step():
        pass
    return worker, rq_queue


def test_an_rq_job_taken_off_its_queue_by_a_worker_that_died_is_handed_back(
    due_webhook_on_rq, later
):
    from rq import Queue

    worker, queue = due_webhook_on_rq
    (batch,) = worker._queued
    assert in_rq_queue(batch.task)
    # An RQ worker's dequeue (off the queue into its intermediate list); then it is killed,
    # before it marks the job started: the job still says "queued".
    taken = Queue.dequeue_any([queue], timeout=None, connection=queue.connection)
    assert taken is not None and taken[0].id == batch.task.id
    assert not in_rq_queue(batch.task)
    later()
    worker.recover_lost_batches()
    assert the_delivery().status == DeliveryStatus.SENDING  # just seen off the queue: a moment
    later()
    worker.recover_lost_batches()
    assert the_delivery().status == DeliveryStatus.PENDING and the_delivery().claimed_by == ""


def test_an_rq_job_still_in_its_queue_is_waited_for(due_webhook_on_rq, later):
    worker, queue = due_webhook_on_rq
    later()
    worker.recover_lost_batches()
    later()
    worker.recover_lost_batches()
    assert the_delivery().status == DeliveryStatus.SENDING and the_delivery().claimed_by == WORKER
    assert len(worker._queued) == 1 and in_rq_queue(worker._queued[0].task)
