"""What happened to a release, as typed events, and who hears about it.

Two kinds of listeners:

* `subscribe(EventType, handler)`: called after the transaction commits (never for a move that
  rolled back). A failing subscriber is logged and does not stop the others.
* `IN_TRANSACTION_HANDLERS`: called inside the action's transaction, before it commits, for every
  event. This is the hook for an outbox: rows written here commit or roll back with the move.
  Append a callable `handler(event)`; raising refuses the whole move.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger("pressroom.workflow.events")


@dataclass(frozen=True)
class ReleaseEvent:
    release_id: int
    reference: str
    actor: str
    at: dt.datetime
    from_state: str
    to_state: str


@dataclass(frozen=True)
class ReleaseCreated(ReleaseEvent):
    pass


@dataclass(frozen=True)
class ReleaseEdited(ReleaseEvent):
    revision: int


@dataclass(frozen=True)
class ReleaseSubmitted(ReleaseEvent):
    pass


@dataclass(frozen=True)
class ReleaseApproved(ReleaseEvent):
    pass


@dataclass(frozen=True)
class ReleaseScheduled(ReleaseEvent):
    issue_instant: dt.datetime


@dataclass(frozen=True)
class ReleaseUnscheduled(ReleaseEvent):
    pass


@dataclass(frozen=True)
class ReleasePublished(ReleaseEvent):
    issue_instant: dt.datetime


@dataclass(frozen=True)
class ReleaseReturnedToDraft(ReleaseEvent):
    comment: str


@dataclass(frozen=True)
class ReleaseCorrected(ReleaseEvent):
    note: str
    corrected_at: dt.datetime


@dataclass(frozen=True)
class ReleaseWithdrawn(ReleaseEvent):
    reason: str
    withdrawn_at: dt.datetime


Handler = Callable[[ReleaseEvent], None]
IN_TRANSACTION_HANDLERS: list[Handler] = []
_subscribers: dict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type[ReleaseEvent], handler: Handler) -> None:
    """Call `handler(event)` after commit for every event of `event_type` (or a subclass)."""
    _subscribers[event_type].append(handler)


def unsubscribe(event_type: type[ReleaseEvent], handler: Handler) -> None:
    _subscribers[event_type].remove(handler)


def emit(event: ReleaseEvent) -> None:
    """Run the in-transaction handlers now and the subscribers once the transaction commits."""
    for handler in list(IN_TRANSACTION_HANDLERS):
        handler(event)
    transaction.on_commit(lambda: _deliver(event))


def _deliver(event: ReleaseEvent) -> None:
    for event_type, handlers in list(_subscribers.items()):
        if not isinstance(event, event_type):
            continue
        for handler in list(handlers):
            try:
                handler(event)
            except Exception:  # one broken listener must not silence the others
                logger.exception("event handler %r failed on %r", handler, event)
