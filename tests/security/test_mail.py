"""The e-mail door (issue 22, points 8 and 12), through a real SMTP server (aiosmtpd).

Point 8: a line break in a stored title stopped every e-mail of its release (BadHeaderError,
retried into dead letters). Stored text is refused with line breaks at every entrance now, but
old rows and imports from before exist: headers are built so that no stored text can break
them (line breaks and control characters become a space), and a message that still cannot be
built fails alone, not its whole batch.

Point 12: each mail is marked sent, committed, before its SMTP session hands the server the
next one, so a crash can repeat at most one mail per open session, and a repeat carries the
same Message-ID (derived from the delivery), so receivers can drop it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import connection, transaction

from pressroom.distribution import subscriptions
from pressroom.distribution.channels import email as email_channel
from pressroom.distribution.models import Delivery, DeliveryStatus, Subscription
from pressroom.releases.models import ReleaseVersion
from pressroom.workflow.actions import WithdrawRelease
from tests.support.distribution import drain, schedule, soon
from tests.support.environment import free_port
from tests.support.factories import department
from tests.support.receivers import Inbox, MailHandler, SmtpSink

BROKEN_TITLE = "Sample: budget\r\nBcc: everyone@example.test\n\x07\x1b\u2028 announced"
ONE_LINE = "Sample: budget Bcc: everyone@example.test announced"


def use_smtp_server(settings, port: int) -> None:
    settings.EMAIL_BACKEND = (
        "django.core.mail.backends.smtp.EmailBackend"  # pytest-django's is locmem
    )
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port


@pytest.fixture
def smtp(settings):
    email_channel.close_idle_sessions()  # kept sessions to another test's server
    with SmtpSink() as sink:
        use_smtp_server(settings, sink.port)
        yield sink
    email_channel.close_idle_sessions()


def subscribe(*addresses: str) -> None:
    for address in addresses:
        subscriptions.subscribe(subscriptions.SubscriptionRequest(email=address))


def store_titles(release, title: str) -> None:
    """What an import or a row from before the input checks left in the database."""
    ReleaseVersion.objects.filter(release=release).update(title=title)


@pytest.mark.django_db
def test_a_title_with_line_breaks_reaches_every_subscriber_with_a_one_line_subject(editor, smtp):
    # The last one's domain needs encoding: its message is built through Django, not the template.
    readers = ["reader-1@example.test", "reader-2@example.test", "reader-3@bücher.example"]
    subscribe(*readers)
    instant = soon(1)
    release = schedule(editor, department(), instant)
    store_titles(release, BROKEN_TITLE)
    drain(instant)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    recipients = sorted(arrival.recipient for arrival in smtp.inbox.arrivals)
    assert recipients == sorted(["reader-1@example.test", "reader-2@example.test",
                                 "reader-3@xn--bcher-kva.example"])  # fmt: skip
    for arrival in smtp.inbox.arrivals:
        message = arrival.message
        assert message["Subject"] == ONE_LINE
        assert message["Bcc"] is None and message["Cc"] is None
        assert message["X-Pressroom-Release"] == release.reference


@pytest.mark.django_db
def test_a_withdrawal_notice_of_such_a_release_has_a_one_line_subject(editor, smtp):
    subscribe("reader@example.test")
    instant = soon(1)
    release = schedule(editor, department(), instant)
    drain(instant)
    store_titles(release, BROKEN_TITLE)
    later = instant + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):  # a scheduled release is withdrawn once public
        WithdrawRelease(release, editor, reason="Sample: issued in error").execute()
    drain(later)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    subjects = [arrival.message["Subject"] for arrival in smtp.inbox.arrivals]
    assert subjects[1:] == [f"Withdrawn: {ONE_LINE}"]


@pytest.mark.django_db
def test_a_stored_address_that_breaks_a_header_fails_alone(editor, smtp):
    subscribe("reader-1@example.test", "reader-2@example.test")
    Subscription.objects.create(email="reader-3@example.test\nBcc: everyone@example.test",
                                confirmed_at=soon(-60))  # fmt: skip
    instant = soon(1)
    schedule(editor, department(), instant)
    drain(instant)
    assert sorted(arrival.recipient for arrival in smtp.inbox.arrivals) == [
        "reader-1@example.test",
        "reader-2@example.test",
    ]
    bad = Delivery.objects.get(subscription__email__startswith="reader-3")
    assert bad.status == DeliveryStatus.DEAD  # trying again cannot help
    assert "could not be built" in bad.last_error
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2


@pytest.mark.django_db
def test_a_mail_sent_again_carries_the_same_message_id(editor, smtp):
    subscribe("reader@example.test")
    instant = soon(1)
    schedule(editor, department(), instant)
    drain(instant)
    delivery = Delivery.objects.get()
    # What a crash between sending and recording leaves: the delivery goes out once more.
    Delivery.objects.update(status=DeliveryStatus.PENDING)
    drain(instant)
    first, second = (arrival.message for arrival in smtp.inbox.arrivals)
    assert first["Message-ID"] == second["Message-ID"] == f"<{delivery.key}@127.0.0.1>"
    assert first["X-Pressroom-Delivery"] == second["X-Pressroom-Delivery"] == delivery.key


def hold_the_deliveries_table(seconds: float) -> None:
    """Keep every write to deliveries waiting for `seconds` (another connection's lock), so a
    sender that did not wait for its marks would run ahead of them."""
    try:
        with transaction.atomic():  # SQLite: BEGIN IMMEDIATE takes the writer's lock
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {Delivery._meta.db_table} IN EXCLUSIVE MODE")
            time.sleep(seconds)
    finally:
        connection.close()


class MarkWatcher(MailHandler):
    """Before accepting each message, counts the messages accepted so far and the deliveries
    the database (another connection: committed rows only) says are sent. The first message
    holds up writes to the deliveries for a moment."""

    def __init__(self, inbox: Inbox):
        super().__init__(inbox)
        self.seen: list[tuple[int, int]] = []
        self.holder = threading.Thread(target=hold_the_deliveries_table, args=(0.5,))

    @staticmethod
    def marked_sent() -> int:
        try:
            return Delivery.objects.filter(status=DeliveryStatus.SENT).count()
        finally:
            connection.close()  # this executor thread's own connection

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        accepted = len(self.inbox.arrivals)
        if self.holder.ident is None:  # the first message (sessions take turns on this loop)
            self.holder.start()
        marked = await asyncio.get_running_loop().run_in_executor(None, self.marked_sent)
        self.seen.append((accepted, marked))
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.django_db(transaction=True)
def test_each_mail_is_marked_sent_before_its_session_hands_over_the_next(editor, settings):
    """So a crash repeats at most one mail per open SMTP session: whenever the server is handed
    a message, every mail it accepted before is marked sent, but for at most one per other
    session still waiting for its mark."""
    email_channel.close_idle_sessions()
    inbox = Inbox()
    watcher = MarkWatcher(inbox)
    controller = Controller(watcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp_server(settings, controller.port)
        readers = [f"reader-{number}@example.test" for number in range(40)]  # one batch of 40
        subscribe(*readers)
        instant = soon(1)
        schedule(editor, department(), instant)
        drain(instant)
    finally:
        email_channel.close_idle_sessions()
        controller.stop()
        if watcher.holder.is_alive():
            watcher.holder.join()
    assert len(inbox.arrivals) == 40
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 40
    unmarked = [accepted - marked for accepted, marked in watcher.seen]
    assert max(unmarked) < email_channel.CONNECTIONS, watcher.seen
