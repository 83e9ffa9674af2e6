"""`pressroom worker`: distribute releases at their issue instant (e-mail and webhooks).

On the database tasks backend (the default) one process does everything: the dispatcher
(dispatcher.py), PRESSROOM_WORKER_THREADS sending threads and a lane of MAIL_THREADS threads
that send only e-mail (runner.py). On the `rq` backend
the dispatcher runs in a thread and the process is an RQ worker; start more processes, on more
machines, to send more. Stops cleanly on Ctrl-C or SIGTERM, handing unsent claims back.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError, connection

from pressroom.distribution import claims, wakeup
from pressroom.distribution.dispatcher import Dispatcher, new_worker_id
from pressroom.distribution.models import Channel
from pressroom.distribution.outages import DatabaseOutage
from pressroom.distribution.tasks import batch_instant

logger = logging.getLogger("pressroom.distribution")
SWITCH_INTERVAL_SECONDS = 0.0005
# The mail lane on the database backend: threads that run only mail batches, each batch over
# channels.email.CONNECTIONS kept-open SMTP sessions.
MAIL_THREADS = 3


def warm_up() -> None:
    """Load now what the first message would otherwise load at the issue instant: the URL
    configuration (every app's routes, django-ninja's schemas), the templates and the
    channels. Without this the first webhook left noticeably after its instant."""
    from django.template.loader import get_template
    from django.urls import reverse

    from pressroom.distribution.channels import get_channel

    reverse("site:home")
    for name in ("release.html", "digest.html"):
        get_template(f"distribution/email/{name}")
    for channel in settings.PRESSROOM_DISTRIBUTION_CHANNELS:
        get_channel(channel).warm_up()


def wait_for_database(stderr, patience: float | None = None) -> None:
    """Return once the database accepts a connection; give up with a CommandError after
    `patience` seconds (PRESSROOM_WORKER_DATABASE_WAIT_SECONDS)."""
    patience = settings.PRESSROOM_WORKER_DATABASE_WAIT_SECONDS if patience is None else patience
    deadline = time.monotonic() + patience
    outage = DatabaseOutage(threading.Event())
    while True:
        try:
            connection.ensure_connection()
            outage.over()
            return
        except (DatabaseError, InterfaceError) as error:
            if time.monotonic() >= deadline:
                raise CommandError(
                    f"the database did not answer within {patience:g} s "
                    f"({connection.settings_dict.get('NAME')}): {str(error).strip()}"
                ) from error
            if outage.started is None:
                stderr.write(f"Waiting for the database: {str(error).strip()}")
            outage.wait(error)


def in_flight_limits(
    batch_sizes: dict[str, int], threads: int, mail_threads: int = 0
) -> dict[str, int]:
    """Deliveries claimed and not yet recorded, per channel: two batches per thread of the
    channel's lane (one running, one ready to start). In one shared first-in-first-out lane
    (RQ) slow mail batches filled every sending thread while newsroom batches waited behind
    them (seconds without a webhook going out), so there mail gets at most half the
    threads."""
    mail_batches = mail_threads * 2 if mail_threads else max(1, threads // 2)
    return {
        Channel.WEBHOOK: batch_sizes[Channel.WEBHOOK] * threads * 2,
        Channel.EMAIL: batch_sizes[Channel.EMAIL] * mail_batches,
    }


class Command(BaseCommand):
    help = (
        "Distribute releases to e-mail subscribers and newsroom webhooks at their issue "
        "instant. Runs until stopped (Ctrl-C). Tasks backend: PRESSROOM_TASKS_BACKEND "
        f"(now {settings.PRESSROOM_TASKS_BACKEND})."
    )
    # Checked in handle(), once the database answers: a worker started with (or just before)
    # its database server waits for it instead of exiting.
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.PRESSROOM_WORKER_THREADS,
            help="sending threads on the database backend (default: PRESSROOM_WORKER_THREADS, "
            f"now {settings.PRESSROOM_WORKER_THREADS})",
        )
        parser.add_argument(
            "--batch-size", type=int, default=100, help="webhooks per task (default 100)"
        )
        parser.add_argument(
            "--mail-batch-size", type=int, default=200, help="e-mails per task (default 200)"
        )
        parser.add_argument(
            "--mail-threads", type=int, default=MAIL_THREADS,
            help=f"threads that send only e-mail, on the database backend (default {MAIL_THREADS})",
        )  # fmt: skip

    def handle(
        self, *args, threads, batch_size, mail_batch_size, mail_threads, verbosity=1, **options
    ):
        if min(threads, batch_size, mail_batch_size, mail_threads) < 1:
            raise CommandError(
                "--threads, --batch-size, --mail-batch-size and --mail-threads must be at least 1"
            )
        self.mail_threads = mail_threads
        wait_for_database(self.stderr)
        self.check_migrations()
        batch_sizes = {Channel.WEBHOOK: batch_size, Channel.EMAIL: mail_batch_size}
        if verbosity >= 1:
            logging.getLogger("pressroom").setLevel(logging.INFO)
        warm_up()
        # Many threads wait on sockets here (senders, their POSTs and SMTP connections); at the
        # default 5 ms GIL switch interval a thread back from a socket or a query waits behind
        # each busy one, and the dispatcher crawled at the instant (measured with py-spy).
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        worker_id = new_worker_id()
        claims.this_worker = worker_id
        stop = threading.Event()
        self.stdout.write(
            f"Pressroom worker {worker_id} ({settings.PRESSROOM_TASKS_BACKEND} tasks backend, "
            f"{connection.vendor} database). Press Ctrl-C to stop."
        )
        self.stdout.flush()
        if settings.PRESSROOM_TASKS_BACKEND == "rq":
            self._run_with_rq(worker_id, stop, batch_sizes)
        else:
            self._run_with_database(worker_id, stop, threads, batch_sizes)

    def _run_with_database(self, worker_id, stop, threads, batch_sizes):
        from pressroom.distribution.runner import DatabaseTaskRunner
        from pressroom.distribution.tasks import deliver_batch, deliver_mail_batch

        bell, mail_bell = wakeup.LocalBell(), wakeup.LocalBell()
        runner = DatabaseTaskRunner(worker_id, threads, bell, stop, mail_threads=self.mail_threads,
                                    mail_bell=mail_bell)  # fmt: skip

        def enqueue(ids: list[int], channel: str, not_before):
            """Queue a batch and wake its lane; the task's result handle, for the dispatcher."""
            task, lane = (
                (deliver_mail_batch, mail_bell)
                if channel == Channel.EMAIL
                else (deliver_batch, bell)
            )
            queued = task.enqueue(ids, worker_id, batch_instant(not_before))
            lane.ring()
            return queued

        def ring_both() -> None:
            bell.ring()
            mail_bell.ring()

        def request_stop(signum, frame):
            stop.set()
            ring_both()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        wake = wakeup.wake_source()
        dispatcher = Dispatcher(
            worker_id, enqueue, wake, batch_size=batch_sizes,
            max_outstanding=in_flight_limits(batch_sizes, threads, self.mail_threads), on_wake=ring_both,
        )  # fmt: skip
        runner.start()
        try:
            dispatcher.run(stop)
        finally:
            stop.set()
            ring_both()
            runner.join(timeout=30)
            wake.close()
            claims.sign_off(worker_id)
            self.stdout.write("Pressroom worker stopped.")

    def _run_with_rq(self, worker_id, stop, batch_sizes):
        import django_rq
        from rq.worker import SimpleWorker

        from pressroom.distribution.queues import in_rq_queue
        from pressroom.distribution.tasks import deliver_batch

        wake = wakeup.wake_source()
        dispatcher = Dispatcher(
            worker_id, lambda ids, channel, not_before: deliver_batch.enqueue(ids, worker_id, batch_instant(not_before)), wake,
            batch_size=batch_sizes, max_outstanding=in_flight_limits(batch_sizes, 4),
            in_queue=in_rq_queue,
        )  # fmt: skip
        thread = threading.Thread(
            target=dispatcher.run, args=(stop,), name="dispatcher", daemon=True
        )
        thread.start()
        try:
            # django-tasks-rq's Job class runs the Task objects its backend enqueued.
            rq_worker = django_rq.get_worker(
                "default", worker_class=SimpleWorker, job_class="django_tasks_rq.backend.Job"
            )
            rq_worker.work(with_scheduler=False)  # batches are enqueued when due
        finally:
            stop.set()
            thread.join(timeout=5)
            wake.close()
            claims.sign_off(worker_id)
            self.stdout.write("Pressroom worker stopped.")
