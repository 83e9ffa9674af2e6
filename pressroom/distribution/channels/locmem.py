"""A channel that keeps what it would send in memory, for tests (like Django's locmem e-mail).

`sent` holds one `Sent` per accepted delivery. Recipients containing `fail_marker` (option
FAIL_MARKER, default "fail.invalid") fail with a retryable error, to exercise retries.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from pressroom.distribution.channels.base import BaseChannel, Outcome

sent: list[Sent] = []
_lock = threading.Lock()


@dataclass(frozen=True)
class Sent:
    channel: str
    key: str
    recipient: str
    event_kind: str
    release_id: int | None
    body: object


class LocmemChannel(BaseChannel):
    def send(self, deliveries, contents, mark_sent=None):
        marker = self.options.get("fail_marker", "fail.invalid")
        outcomes = []
        for delivery in deliveries:
            if marker in delivery.recipient:
                outcomes.append(Outcome(delivery.pk, error=f"{delivery.recipient}: refused (test)"))
                continue
            if delivery.channel == "email":
                body = contents.email_message(delivery)
                if body is None:  # an empty digest: nothing is sent, as by the e-mail channel
                    outcomes.append(Outcome(delivery.pk))
                    continue
            else:
                body = contents.webhook_body(delivery)
            with _lock:
                sent.append(
                    Sent(self.name, delivery.key, delivery.recipient, delivery.event.kind,
                         delivery.event.release_id, body)
                )  # fmt: skip
            outcomes.append(Outcome(delivery.pk))
        return outcomes
