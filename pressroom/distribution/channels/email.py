"""E-mail through Django's e-mail framework (SMTP in production): one connection per batch.

Each message goes to one subscriber (To: only). A refused recipient fails that delivery only;
a dropped connection is reopened once and the message tried again.
"""

from __future__ import annotations

import smtplib

from django.core.mail import get_connection

from pressroom.distribution.channels.base import BaseChannel, Outcome

PERMANENT_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


class EmailChannel(BaseChannel):
    def send(self, deliveries, contents):
        outcomes = []
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
            for delivery in deliveries:
                message = contents.email_message(delivery)
                if message is None:
                    outcomes.append(Outcome(delivery.pk))  # nothing to say (an empty digest)
                    continue
                outcomes.append(self._send_one(connection, delivery, message))
        finally:
            connection.close()
        return outcomes

    def _send_one(self, connection, delivery, message) -> Outcome:
        for attempt in (1, 2):
            try:
                connection.send_messages([message])
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
