"""E-mail through Django's e-mail framework (SMTP in production): a batch goes out over up to
CONNECTIONS connections at once, each reused for its share of the batch (SMTP spends most of a
message waiting on the server's replies: MAIL, RCPT, DATA, end of data).

Each message goes to one subscriber (To: only). A refused recipient fails that delivery only;
a dropped connection is reopened once and the message tried again.
"""

from __future__ import annotations

import smtplib
import threading
from concurrent.futures import ThreadPoolExecutor

from django.core.mail import get_connection

from pressroom.distribution.channels.base import BaseChannel, Outcome
from pressroom.distribution.formatters.mime import RecipientMail

PERMANENT_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)
CONNECTIONS = 4
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def pool() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(CONNECTIONS * 4, thread_name_prefix="smtp")
        return _pool


class EmailChannel(BaseChannel):
    def warm_up(self) -> None:
        pool()

    def send(self, deliveries, contents):
        # Messages are rendered here, in the calling thread (BatchContents is not thread-safe).
        outcomes = {}
        messages = []
        for delivery in deliveries:
            message = contents.email_message(delivery)
            if message is None:
                outcomes[delivery.pk] = Outcome(delivery.pk)  # nothing to say (an empty digest)
            else:
                messages.append((delivery, message))
        shares = [messages[start::CONNECTIONS] for start in range(CONNECTIONS)]
        for share_outcomes in pool().map(self._send_share, [share for share in shares if share]):
            outcomes.update((outcome.delivery_id, outcome) for outcome in share_outcomes)
        return [outcomes[delivery.pk] for delivery in deliveries]

    def _send_share(self, messages) -> list[Outcome]:
        """One connection's share of a batch. A server that cannot be reached fails this share
        only (retried later); the other shares' messages are recorded as sent."""
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            return [Outcome(delivery.pk, error=f"mail server: {error}") for delivery, _ in messages]
        try:
            return [self._send_one(connection, delivery, message) for delivery, message in messages]
        finally:
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                pass

    def _send_one(self, connection, delivery, message) -> Outcome:
        for attempt in (1, 2):
            try:
                self._transmit(connection, message)
                return Outcome(delivery.pk)
            except PERMANENT_REFUSALS as error:
                return Outcome(delivery.pk, error=f"refused by the mail server: {error}", retry=False)
            except (smtplib.SMTPServerDisconnected, ConnectionError, OSError) as error:
                if attempt == 2:
                    return Outcome(delivery.pk, error=f"mail server: {error}")
                connection.close()
                connection.open()
            except smtplib.SMTPException as error:
                return Outcome(delivery.pk, error=f"mail server: {error}")
        return Outcome(delivery.pk, error="mail server: not sent")

    @staticmethod
    def _transmit(connection, message) -> None:
        """A release's message is ready as bytes (formatters.mime): straight to the open SMTP
        session; anything else (digests, addresses needing encoding) through Django."""
        if isinstance(message, RecipientMail):
            connection.connection.sendmail(message.template.envelope_from, message.recipients(), message.as_bytes())
        else:
            connection.send_messages([message])
