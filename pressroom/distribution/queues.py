"""What the task queue itself can say about a queued task, beyond django-tasks' status."""

from __future__ import annotations


def in_rq_queue(task_result) -> bool:
    """Whether an RQ job is still in its queue's list, waiting for a worker.

    django-tasks reports READY from the job's status, which RQ changes only once a worker has
    moved the job off the queue (into the queue's intermediate list) and begun it; a worker
    killed in between leaves it READY and in no queue (see dispatcher.QueuedBatch)."""
    import django_rq

    queue = django_rq.get_queue(task_result.task.queue_name)
    return queue.connection.lpos(queue.key, task_result.id) is not None
