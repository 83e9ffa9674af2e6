"""The sending side of `pressroom worker` on the database tasks backend: threads that run
django-tasks-db tasks (`deliver_batch`, `send_confirmation`) as soon as they are queued.

django-tasks-db's own `db_worker` sleeps a fixed interval between polls; here the dispatcher
rings a bell when it queues a batch, so a batch starts within a millisecond, and a short poll
still picks up tasks queued by other processes (the site's confirmation mails).

Two lanes: `threads` general threads run every task but mail batches, and `mail_threads`
threads run only mail batches (`deliver_mail_batch`). The task queue is first in, first out:
in one lane, mail batches waited behind newsroom batches (measured at full size: 200 ms in the
queue for a 360 ms batch) and, uncapped, newsroom batches behind mail.
"""

from __future__ import annotations

import logging
import threading

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
)
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from pressroom.distribution.outages import DatabaseOutage
from pressroom.distribution.wakeup import LocalBell

logger = logging.getLogger("pressroom.distribution")
POLL_SECONDS = 0.5


class DatabaseTaskRunner:
    def __init__(self, worker_id: str, threads: int, bell: LocalBell, stop: threading.Event,
                 backend_name: str = "default", mail_threads: int = 0,
                 mail_bell: LocalBell | None = None):  # fmt: skip
        self.worker_id = worker_id
        self.threads = threads
        self.mail_threads = mail_threads
        self.bell = bell
        # The mail lane's own bell: a newsroom batch queued at the instant wakes only the
        # threads that can run it.
        self.mail_bell = mail_bell or bell
        self.stop = stop
        self.backend_name = backend_name
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        from pressroom.distribution.tasks import deliver_mail_batch

        mail_path = deliver_mail_batch.module_path
        lanes = [("sender", None)] * self.threads + [("mail", mail_path)] * self.mail_threads
        bells = [self.bell] * self.threads + [self.mail_bell] * self.mail_threads
        if self.mail_threads:
            # The general lane leaves mail batches to the mail lane.
            lanes = [(name, only or ("not", mail_path)) for name, only in lanes]
        for number, ((name, only), bell) in enumerate(zip(lanes, bells)):
            thread = threading.Thread(
                target=self._loop, name=f"{name}-{number}", args=(number, only, bell), daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def join(self, timeout: float) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def _loop(self, number: int, only, bell: LocalBell) -> None:
        worker = Worker(
            queue_names=["default"], interval=0, batch=False, backend_name=self.backend_name,
            startup_delay=False, max_tasks=None, worker_id=f"{self.worker_id}/{number}",
            excluded_queue_names=[],
        )  # fmt: skip
        outage = DatabaseOutage(self.stop)
        try:
            while not self.stop.is_set():
                try:
                    task_result = self._claim(worker.worker_id, only)
                    if task_result is not None:
                        worker.run_task(task_result)
                    outage.over()
                except (DatabaseError, InterfaceError) as error:
                    # The database restarting: this thread waits for it rather than dying. A
                    # batch cut short keeps its claims until their lease ends (claims.LEASE),
                    # then goes out again under the same idempotency keys.
                    outage.wait(error)
                    continue
                if task_result is None:
                    bell.wait(POLL_SECONDS)
        finally:
            connection.close()

    def _claim(self, worker_id: str, only) -> DBTaskResult | None:
        """The oldest ready task of this thread's lane: `only` is a task path, ("not", path)
        for every task but that one, or None for any."""
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if isinstance(only, tuple):
            tasks = tasks.exclude(task_path=only[1])
        elif only:
            tasks = tasks.filter(task_path=only)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(worker_id)
                return task_result
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None
            raise
