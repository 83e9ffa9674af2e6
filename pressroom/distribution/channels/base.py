"""What every delivery channel does: send a batch of claimed deliveries, report each outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    # Empty when the message was accepted; otherwise why not, for the desk's dead-letter list.
    error: str = ""
    # False when trying again cannot help (an address the server refuses, an endpoint gone).
    retry: bool = True

    @property
    def sent(self) -> bool:
        return not self.error


class BaseChannel:
    """A channel sends one batch at a time, reusing its connection across the batch.

    `send` must return one Outcome per delivery and must not raise for a single recipient's
    failure; an exception out of `send` counts as a failure of the whole batch (retried).
    `contents` (sending.BatchContents) renders each message once per batch. `mark_sent(ids)`,
    when given, records those deliveries sent and commits; only the calling thread may call
    it. A channel that calls it for each message before handing over the next one (e-mail)
    bounds what a crash repeats to the messages in flight; the others' outcomes are recorded
    when the batch ends, so a crash may repeat the batch (webhooks, under their webhook-id).
    """

    def __init__(self, name: str, **options):
        self.name = name
        self.options = options

    def warm_up(self) -> None:
        """Load at start-up what the first send would load at an issue instant."""

    def send(
        self, deliveries: list, contents, mark_sent: Callable[[list[int]], None] | None = None
    ) -> list[Outcome]:
        raise NotImplementedError
