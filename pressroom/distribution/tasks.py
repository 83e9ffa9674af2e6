"""The distribution tasks, on Django's tasks API (django-tasks: the database or RQ backend).

`deliver_batch` sends deliveries the dispatcher has claimed (`deliver_mail_batch` the same, for
e-mail: on the database backend its own sending threads run it, so mail never waits in the
queue behind newsroom batches, nor they behind mail); `send_confirmation` sends a double
opt-in link. The worker (`pressroom worker`) runs them; see dispatcher.py for when.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.db import DatabaseError, InterfaceError, close_old_connections
from django_tasks import task

from pressroom.distribution import sending
from pressroom.distribution.formatters.email import confirmation_message

# How long a batch keeps trying through a database outage before it fails (its claims then go
# back to pending when their lease ends).
DATABASE_PATIENCE_SECONDS = 60.0


def batch_instant(not_before: dt.datetime | None) -> str | None:
    """A batch's instant as its task's argument (task arguments must be JSON)."""
    return not_before.isoformat() if not_before else None


def send_batch(
    delivery_ids: list[int], claimed_by: str, not_before: str | None = None
) -> dict[str, int]:
    """`sending.send_claimed`, outliving a database restart.

    A task runs outside Django's request cycle, so nothing else closes a connection the
    database dropped: without this, every later batch of an RQ worker failed on "the connection
    is closed" (measured in bench/faults: 25 of 32 releases' webhooks held back). Each try
    starts with `close_old_connections()`; a try that fails on the database is made again with
    the same deliveries (same idempotency keys) once it answers.
    """
    from pressroom.distribution.outages import DatabaseOutage

    outage = DatabaseOutage(threading.Event())
    deadline = time.monotonic() + DATABASE_PATIENCE_SECONDS
    while True:
        close_old_connections()
        try:
            counts = sending.send_claimed(delivery_ids, claimed_by, not_before)
            outage.over()
            return counts
        except (DatabaseError, InterfaceError) as error:
            if time.monotonic() >= deadline:
                raise
            outage.wait(error)


@task()
def deliver_batch(
    delivery_ids: list[int], claimed_by: str, not_before: str | None = None
) -> dict[str, int]:
    return send_batch(delivery_ids, claimed_by, not_before)


@task()
def deliver_mail_batch(
    delivery_ids: list[int], claimed_by: str, not_before: str | None = None
) -> dict[str, int]:
    return send_batch(delivery_ids, claimed_by, not_before)


@task()
def send_confirmation(email: str, language: str, link: str) -> None:
    confirmation_message(email, language, link).send(fail_silently=False)
