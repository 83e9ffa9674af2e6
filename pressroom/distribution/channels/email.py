"""E-mail through Django's e-mail framework (SMTP in production): a batch goes out over up to
CONNECTIONS connections at once, each reused for its share of the batch (SMTP spends most of a
message waiting on the server's replies: MAIL, RCPT, DATA, end of data).

Sessions are kept open between batches (idle at most MAX_IDLE_SECONDS, per server and
credentials), so a fan-out opens a handful of SMTP sessions, not CONNECTIONS per batch (at
full size in the benchmark: 400 sessions for 10,000 mails before). A kept session the server
closed meanwhile fails on MAIL FROM, before any message data: it is reopened and the message
tried once more.

Each mail is marked sent, committed, before its session hands the server the next one
(`SentMarks`; the write overlaps the next message's envelope), so a worker killed mid-batch
sends again at most one mail per SMTP session it had open, under the same Message-ID: not the
whole batch.

Each message goes to one subscriber (To: only). A refused recipient fails that delivery only,
as does a message that cannot be built (an address stored before the checks, holding a line
break); a dropped connection is reopened once and the message tried again.
"""

from __future__ import annotations

import atexit
import contextlib
import queue
import smtplib
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import sanitize_address

from pressroom.distribution.channels.base import BaseChannel, Outcome
from pressroom.distribution.formatters.mime import RecipientMail

PERMANENT_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)
NOT_MARKED = "not sent: the database did not answer"
CONNECTIONS = 4
# Below the usual SMTP server's idle timeout (RFC 5321 asks servers for 5 minutes).
MAX_IDLE_SECONDS = 30.0
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
# Open sessions not in use, by server: (server key, when put back, the Django connection).
_idle: list[tuple[tuple, float, object]] = []


def pool() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(CONNECTIONS * 4, thread_name_prefix="smtp")
        return _pool


def _server() -> tuple:
    """What a kept session must match to be reused (tests and settings may change the server)."""
    return (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT,
            settings.EMAIL_HOST_USER, settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL)  # fmt: skip


def _quietly_close(connection) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        pass


def _take_session():
    """A kept-open session to this server, or a new one (opened; may raise)."""
    server, now, stale, found = _server(), time.monotonic(), [], None
    with _lock:
        for index in range(len(_idle) - 1, -1, -1):
            key, since, connection = _idle[index]
            if now - since >= MAX_IDLE_SECONDS:
                stale.append(_idle.pop(index)[2])
            elif key == server and found is None:
                found = _idle.pop(index)[2]
    for connection in stale:
        _quietly_close(connection)
    if found is not None:
        return found
    connection = get_connection(fail_silently=False)
    connection.open()
    return connection


def _keep_session(connection) -> None:
    with _lock:
        _idle.append((_server(), time.monotonic(), connection))


@atexit.register
def close_idle_sessions() -> None:
    with _lock:
        sessions = [connection for _, _, connection in _idle]
        _idle.clear()
    for connection in sessions:
        _quietly_close(connection)


def unbuildable(delivery, error: ValueError) -> Outcome:
    return Outcome(delivery.pk, error=f"the message could not be built: {error}", retry=False)


class MarkNotWritten(Exception):
    """A sent mail's mark could not be written (the database went away): send no more."""


class SentMarks:
    """Each sent mail marked (committed) before its session hands the server the next one.

    The sessions' threads hold no database connection: a session hands its sent delivery in and
    carries on with the next message's envelope (MAIL FROM, RCPT TO) while the batch's own
    thread writes the marks, all those handed in meanwhile in one write (up to one per
    session); the session waits for its mark before the next message's DATA, which is what
    hands the message over. So a crash finds at most one unmarked mail per session, and the
    write costs no more than the wait it overlaps. A failed write stops every session; the
    error is raised once they have all ended."""

    def __init__(self, mark_sent: Callable[[list[int]], None], sessions: int) -> None:
        self._mark_sent = mark_sent
        self._sessions = sessions
        self._handed_in: queue.SimpleQueue = queue.SimpleQueue()
        self.failure: BaseException | None = None

    def hand_in(self, delivery_id: int) -> threading.Event:
        """In a session's thread: a mail the server accepted, to mark; set once written."""
        written = threading.Event()
        self._handed_in.put((delivery_id, written))
        return written

    def wait(self, written: threading.Event | None) -> None:
        """In a session's thread: return once the mark is written, else raise MarkNotWritten."""
        if written is not None:
            written.wait()
        if self.failure is not None:
            raise MarkNotWritten(str(self.failure))

    def session_ended(self) -> None:
        self._handed_in.put(None)

    def write_until_sessions_end(self) -> None:
        """In the batch's thread: write marks as they come, until every session has ended."""
        ended = 0
        while ended < self._sessions:
            items = [self._handed_in.get()]
            while not self._handed_in.empty():
                items.append(self._handed_in.get())
            waiting = [item for item in items if item is not None]
            ended += len(items) - len(waiting)
            if waiting and self.failure is None:
                try:
                    self._mark_sent([delivery_id for delivery_id, _ in waiting])
                except BaseException as error:  # the database went away: stop every session
                    self.failure = error
            for _, written in waiting:
                written.set()
        if self.failure is not None:
            raise self.failure


def sendmail(
    smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes, ready: Callable[[], None]
) -> None:
    """`smtplib.SMTP.sendmail` (same commands, replies and exceptions), calling `ready()`
    between the envelope and DATA and handing nothing over if it raises."""
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
        if code == 421:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        _abandon(smtp, code)
        raise smtplib.SMTPRecipientsRefused(refused)
    try:
        ready()
    except MarkNotWritten:
        _abandon(smtp, 0)
        raise
    code, reply = smtp.data(data)
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _abandon(smtp: smtplib.SMTP, code: int) -> None:
    """As smtplib leaves a transaction that did not go through: closed on 421, else RSET."""
    if code == 421:
        smtp.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


class EmailChannel(BaseChannel):
    def warm_up(self) -> None:
        pool()

    def send(self, deliveries, contents, mark_sent=None):
        # Messages are rendered here, in the calling thread (BatchContents is not thread-safe).
        outcomes = {}
        messages = []
        for delivery in deliveries:
            try:
                message = contents.email_message(delivery)
            except ValueError as error:  # the data cannot make a message: trying again cannot help
                outcomes[delivery.pk] = unbuildable(delivery, error)
                continue
            if message is None:
                outcomes[delivery.pk] = Outcome(delivery.pk)  # nothing to say (an empty digest)
            else:
                messages.append((delivery, message))
        shares = [
            share
            for share in (messages[start::CONNECTIONS] for start in range(CONNECTIONS))
            if share
        ]
        marks = SentMarks(mark_sent, len(shares)) if mark_sent else None
        running = [pool().submit(self._send_share, share, marks) for share in shares]
        if marks is not None:
            marks.write_until_sessions_end()
        for share in running:
            outcomes.update((outcome.delivery_id, outcome) for outcome in share.result())
        return [outcomes[delivery.pk] for delivery in deliveries]

    def _send_share(self, messages, marks: SentMarks | None = None) -> list[Outcome]:
        """One connection's share of a batch. A server that cannot be reached fails this share
        only (retried later); the other shares' messages are recorded as sent. The session is
        kept open for the next batch unless its last message failed on the connection."""
        try:
            return self._send_over_a_session(messages, marks)
        finally:
            if marks is not None:
                marks.session_ended()

    def _send_over_a_session(self, messages, marks: SentMarks | None) -> list[Outcome]:
        try:
            connection = _take_session()
        except (smtplib.SMTPException, OSError) as error:
            return [Outcome(delivery.pk, error=f"mail server: {error}") for delivery, _ in messages]
        outcomes: list[Outcome] = []
        # The last mail sent, its mark not yet known written: waited for before the next DATA.
        previous: threading.Event | None = None

        def ready() -> None:
            if marks is not None:
                marks.wait(previous)

        try:
            for delivery, message in messages:
                outcome = self._send_one(connection, delivery, message, ready)
                outcomes.append(outcome)
                if outcome.sent and marks is not None:
                    previous = marks.hand_in(delivery.pk)
                if outcome.error == NOT_MARKED:
                    break  # the database went away: send no more (the rest stay claimed)
            ready()  # this session's last mark written before the session counts as ended
        except MarkNotWritten:
            pass
        except BaseException:
            _quietly_close(connection)
            raise
        outcomes += [
            Outcome(delivery.pk, error=NOT_MARKED) for delivery, _ in messages[len(outcomes) :]
        ]
        if outcomes[-1].sent or not outcomes[-1].retry:
            _keep_session(connection)
        else:
            _quietly_close(connection)
        return outcomes

    def _send_one(self, connection, delivery, message, ready: Callable[[], None]) -> Outcome:
        for attempt in (1, 2):
            try:
                self._transmit(connection, message, ready)
                return Outcome(delivery.pk)
            except MarkNotWritten:
                return Outcome(delivery.pk, error=NOT_MARKED)
            except PERMANENT_REFUSALS as error:
                return Outcome(
                    delivery.pk, error=f"refused by the mail server: {error}", retry=False
                )
            except ValueError as error:  # Django's BadHeaderError, an address it cannot encode
                return unbuildable(delivery, error)
            except (smtplib.SMTPServerDisconnected, ConnectionError, OSError) as error:
                if attempt == 2:
                    return Outcome(delivery.pk, error=f"mail server: {error}")
                connection.close()
                connection.open()
            except smtplib.SMTPException as error:
                return Outcome(delivery.pk, error=f"mail server: {error}")
        return Outcome(delivery.pk, error="mail server: not sent")

    @staticmethod
    def _transmit(connection, message, ready: Callable[[], None]) -> None:
        """A release's message is ready as bytes (formatters.mime); anything else (digests,
        addresses needing encoding) is made into bytes by Django, as its SMTP backend does.
        Both go over the open SMTP session, waiting for `ready()` before DATA."""
        if isinstance(message, RecipientMail):
            sender, recipients, data = (
                message.template.envelope_from,
                message.recipients(),
                message.as_bytes(),
            )
        else:
            encoding = message.encoding or settings.DEFAULT_CHARSET
            sender = sanitize_address(message.from_email, encoding)
            recipients = [sanitize_address(address, encoding) for address in message.recipients()]
            data = message.message().as_bytes(linesep="\r\n")
        sendmail(connection.connection, sender, recipients, data, ready)
