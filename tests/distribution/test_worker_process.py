"""`pressroom worker` as its own process, with a real SMTP server and a real webhook receiver,
on the test database (SQLite file or PostgreSQL, whichever this pass runs on)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from pressroom.distribution import subscriptions
from pressroom.distribution.channels import email as email_channel
from pressroom.distribution.endpoints import register
from pressroom.distribution.models import Delivery, DeliveryStatus
from pressroom.workflow.actions import CorrectRelease, WithdrawRelease
from tests.support.distribution import redis_url_for_tests, schedule
from tests.support.environment import database_url
from tests.support.receivers import SmtpSink, WebhookReceiver
from tests.support.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)
REPO = Path(__file__).resolve().parents[2]


class WorkerProcess:
    def __init__(self, smtp_port: int, data_dir: Path, threads: int = 2, batch_size: int = 10,
                 redis_url: str | None = None, mail_threads: int | None = None,
                 mail_batch_size: int | None = None):  # fmt: skip
        environment = {
            key: value for key, value in os.environ.items() if not key.startswith("REDIS")
        }
        if redis_url:
            environment["REDIS_URL"] = redis_url
        environment.update(
            DATABASE_URL=database_url(),
            PRESSROOM_DATA_DIR=str(data_dir),
            PRESSROOM_TASKS_BACKEND="rq" if redis_url else "database",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            PRESSROOM_LOG_LEVEL="WARNING",
            PRESSROOM_WEBHOOK_ALLOW_PRIVATE="true",  # the receivers are on 127.0.0.1
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pressroom", "worker", "--threads", str(threads),
             "--batch-size", str(batch_size), "--mail-batch-size", str(mail_batch_size or batch_size),
             *(["--mail-threads", str(mail_threads)] if mail_threads else [])],
            cwd=REPO, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        started = []
        while not any("Pressroom worker" in line for line in started) and len(started) < 20:
            line = self.process.stdout.readline()
            if not line:  # it exited
                break
            started.append(line)
        if not any("Pressroom worker" in line for line in started):
            self.process.kill()
            raise AssertionError("the worker did not start:\n" + "".join(started))
        self.banner = started[-1]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            output, _ = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate(timeout=5)
            output += "\n(the worker did not stop on SIGTERM within 15 s)"
        return output


@pytest.fixture
def smtp():
    with SmtpSink() as sink:
        yield sink


def wait_until_all_sent(expected: int, timeout: float) -> bool:
    def all_sent() -> bool:
        sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
        return (
            sent >= expected and not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
        )

    return wait_until(all_sent, timeout, every=0.1)


def add_endpoints(receiver: WebhookReceiver, count: int, **kwargs) -> list[str]:
    names = []
    for number in range(count):
        name = f"newsroom-{number}"
        endpoint = register(f"{receiver.base_url}/{name}", **kwargs)
        receiver.secrets[name] = endpoint.secret
        names.append(name)
    return names


def add_subscribers(count: int) -> list[str]:
    addresses = [f"reader-{number}@example.test" for number in range(count)]
    for address in addresses:
        subscriptions.subscribe(subscriptions.SubscriptionRequest(email=address))
    return addresses


@dataclass
class OneRelease:
    receiver: WebhookReceiver
    newsroom: str
    reader: str
    worker: WorkerProcess
    release: object
    all_sent: bool
    output: str


def one_release_through_a_worker(editor, department, smtp, tmp_path, redis_url=None,
                                 meanwhile=lambda: None) -> OneRelease:  # fmt: skip
    """One newsroom and one reader; a worker process; `meanwhile()` once it runs; then a
    release due a second later, until both deliveries are recorded sent (or 30 s)."""
    with WebhookReceiver() as receiver:
        [name] = add_endpoints(receiver, 1)
        [address] = add_subscribers(1)
        worker = WorkerProcess(smtp.port, tmp_path, redis_url=redis_url)
        try:
            meanwhile()
            release = schedule(editor, department, timezone.now() + dt.timedelta(seconds=1))
            all_sent = wait_until_all_sent(2, timeout=30)
        finally:
            output = worker.stop()
    return OneRelease(receiver, name, address, worker, release, all_sent, output)


def test_the_worker_delivers_at_the_instant_and_not_before(
    editor, sample_department, smtp, tmp_path
):
    with WebhookReceiver() as receiver:
        [name] = add_endpoints(receiver, 1)
        [address] = add_subscribers(1)
        worker = WorkerProcess(smtp.port, tmp_path)
        try:
            instant = timezone.now() + dt.timedelta(seconds=2)
            release = schedule(editor, sample_department, instant)
            assert receiver.inbox.wait_for(lambda inbox: inbox.arrivals, timeout=15)
            first_arrival = timezone.now()
            assert smtp.inbox.wait_for(lambda inbox: inbox.arrivals, timeout=10)
        finally:
            output = worker.stop()
    assert first_arrival >= instant, "a webhook arrived before the issue instant"
    assert receiver.inbox.rejected == []  # every signature verified
    [hook] = receiver.inbox.arrivals
    assert (hook.recipient, hook.reference) == (name, release.reference)
    assert hook.message["headlines"][0]["value"].startswith("Sample:")
    [mail] = smtp.inbox.arrivals
    message = mail.message
    assert mail.recipient == address and message["To"] == address
    assert message["Cc"] is None and message["Bcc"] is None
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and "/unsubscribe/" in unsubscribe
    assert message["Message-ID"] == f"<{mail.key}@127.0.0.1>"
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    assert "Traceback" not in output, output


def test_a_killed_worker_loses_nothing_and_doubles_nothing(editor, sample_department, tmp_path):
    releases_count, endpoints_count, subscribers_count = 2, 20, 60
    threads, mail_threads, batch_size, mail_batch_size = 2, 2, 4, 30
    # Slow receivers, so the kill lands in the middle of both lanes' batches: a newsroom takes
    # 0.3 s to answer, the mail server 0.05 s to accept each message.
    with WebhookReceiver(delay=0.3) as receiver, SmtpSink(delay=0.05) as smtp:
        names = add_endpoints(receiver, endpoints_count)
        addresses = add_subscribers(subscribers_count)
        options = dict(threads=threads, batch_size=batch_size, mail_threads=mail_threads,
                       mail_batch_size=mail_batch_size)  # fmt: skip
        worker = WorkerProcess(smtp.port, tmp_path, **options)
        try:
            instant = timezone.now() + dt.timedelta(seconds=1)
            references = [
                schedule(editor, sample_department, instant).reference
                for _ in range(releases_count)
            ]
            assert smtp.inbox.wait_for(lambda inbox: len(inbox.arrivals) >= 16, timeout=20)
        finally:
            worker.kill()
        hooks_part_way, mails_part_way = len(receiver.inbox.arrivals), len(smtp.inbox.arrivals)
        expected_hooks = {(name, reference) for name in names for reference in references}
        expected_mails = {(address, reference) for address in addresses for reference in references}
        assert hooks_part_way < len(expected_hooks), "the kill came too late to test anything"
        assert mails_part_way < mail_batch_size * mail_threads, (
            "the kill came after the first batches"
        )

        worker = WorkerProcess(smtp.port, tmp_path, **options)
        try:
            assert wait_until_all_sent(len(expected_hooks) + len(expected_mails), timeout=60)
        finally:
            worker.stop()

    # Each mail is marked sent before its SMTP session hands over the next, so the kill repeats
    # at most one mail per session (CONNECTIONS per mail thread), not the mail batches in
    # flight. Webhooks are recorded when their batch ends: at most one batch per sending thread
    # comes again. Every repeat under the delivery's own key and Message-ID.
    lanes = ((receiver.inbox, expected_hooks, threads * batch_size),
             (smtp.inbox, expected_mails, mail_threads * email_channel.CONNECTIONS))  # fmt: skip
    for inbox, expected, bound in lanes:
        keys = inbox.keys_by_delivery()
        assert set(keys) == expected  # every recipient got every release
        assert all(len(distinct) == 1 for distinct in keys.values())  # repeats share one key
        repeated = {key: count for key, count in inbox.raw_counts().items() if count > 1}
        assert sum(count - 1 for count in repeated.values()) <= bound, repeated
    message_ids = {(arrival.key, arrival.message["Message-ID"]) for arrival in smtp.inbox.arrivals}
    assert len(message_ids) == len(expected_mails)  # one Message-ID per delivery, repeats included
    assert receiver.inbox.rejected == []


def test_readers_who_got_a_release_get_its_correction_and_withdrawal(
    editor, sample_department, smtp, tmp_path
):
    readers = add_subscribers(2)
    subscriptions.subscribe(
        subscriptions.SubscriptionRequest(email="digest@example.test", frequency="daily")
    )
    worker = WorkerProcess(smtp.port, tmp_path)
    try:
        release = schedule(editor, sample_department, timezone.now() + dt.timedelta(seconds=1))
        assert smtp.inbox.wait_for(lambda inbox: len(inbox.arrivals) >= 2, timeout=20)
        release = CorrectRelease(release, editor, note="Sample: the date was wrong").execute()
        assert smtp.inbox.wait_for(lambda inbox: len(inbox.arrivals) >= 4, timeout=20)
        WithdrawRelease(release, editor, reason="Sample: issued in error").execute()
        assert smtp.inbox.wait_for(lambda inbox: len(inbox.arrivals) >= 6, timeout=20)
        of_release = Delivery.objects.filter(event__release=release)  # digests are not its
        wait_until(lambda: not of_release.exclude(status=DeliveryStatus.SENT).exists(), 10)
        assert of_release.filter(status=DeliveryStatus.SENT).count() == of_release.count() == 6
    finally:
        output = worker.stop()
    assert "Traceback" not in output, output
    mails = [arrival.message for arrival in smtp.inbox.arrivals]
    subjects = sorted((str(mail["To"]), str(mail["Subject"]).split(":")[0]) for mail in mails)
    title = mails[0]["Subject"]
    assert subjects == sorted(
        (reader, kind)
        for reader in readers
        for kind in (title.split(":")[0], "Correction", "Withdrawn")
    )  # each reader each message once; nothing to the digest reader, who never got the release
    assert sorted(smtp.inbox.raw_counts().values()) == [1] * 6  # six keys, none repeated
    for mail in mails:
        assert mail["X-Pressroom-Release"] == release.reference
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = str(mail["List-Unsubscribe"]).strip("<> ")
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        assert unsubscribe in text and unsubscribe.replace("&", "&amp;") in html  # the footer
    correction = next(mail for mail in mails if mail["Subject"].startswith("Correction: "))
    assert correction["Subject"] == f"Correction: {title}"
    assert "has been corrected" in correction.get_body(("plain",)).get_content()
    assert "Sample: the date was wrong" in correction.get_body(("plain",)).get_content()
    withdrawal = next(mail for mail in mails if mail["Subject"].startswith("Withdrawn: "))
    assert "Sample: issued in error" in withdrawal.get_body(("plain",)).get_content()
    assert "Sample: issued in error" in withdrawal.get_body(("html",)).get_content()


def test_the_rq_backend_delivers_through_redis(editor, sample_department, smtp, tmp_path):
    redis_url = redis_url_for_tests()
    run = one_release_through_a_worker(editor, sample_department, smtp, tmp_path, redis_url)
    assert run.all_sent, run.output
    assert [(hook.recipient, hook.reference) for hook in run.receiver.inbox.arrivals] == [
        (run.newsroom, run.release.reference)
    ]
    assert len(smtp.inbox.arrivals) == 1
    assert "rq tasks backend" in run.worker.banner


OTHER_CONNECTIONS = (
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {OTHER_CONNECTIONS}")
        return cursor.fetchone()[0]


def _cut_off_other_connections() -> int:
    """What a database restart does to the worker: every connection to this test database but
    the test's own is closed by the server."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(pg_terminate_backend(pid)) {OTHER_CONNECTIONS}")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("tasks_backend", ["database", "rq"])
def test_the_worker_outlives_its_database_connections_being_cut(
    editor, sample_department, smtp, tmp_path, tasks_backend
):
    if connection.vendor != "postgresql":
        pytest.skip("a database server that drops connections exists only on the PostgreSQL pass")
    redis_url = redis_url_for_tests() if tasks_backend == "rq" else None

    def cut_off_twice() -> None:
        # Once the dispatcher and its LISTEN connection are connected, and again once it has
        # begun to reconnect.
        assert wait_until(lambda: _other_connections() >= 2, timeout=20)
        assert _cut_off_other_connections() >= 2
        assert wait_until(_other_connections, timeout=20)
        _cut_off_other_connections()

    run = one_release_through_a_worker(
        editor, sample_department, smtp, tmp_path, redis_url, cut_off_twice
    )
    output, address = run.output, run.reader
    assert run.all_sent, output
    assert [(hook.recipient, hook.reference) for hook in run.receiver.inbox.arrivals] == [
        (run.newsroom, run.release.reference)
    ]
    assert [mail.recipient for mail in smtp.inbox.arrivals] == [address]
    assert "database unavailable" in output and "database back" in output, output
    assert "Exception in thread" not in output and "Traceback" not in output, output
