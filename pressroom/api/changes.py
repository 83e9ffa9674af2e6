"""What changed since an instant: releases published, corrected and withdrawn, in order.

A newsroom polls `GET /api/v1/changes?since=...`, then keeps passing the `next_cursor` it got.
Each event sits at the instant readers could first see it and is ordered by (instant,
reference, kind), so paging never skips or repeats one.

Derived from the release's own timestamps, not the workflow's audit log: a scheduled release
is published by the clock (no log entry at that second) and imported archive releases have
no log entries at all, while `issue_instant`, `corrected_at` and `withdrawn_at` hold for every
release. So:
- `published` is at the issue instant;
- `corrected` at the latest correction (a second correction moves the event later: clients
  see it again, as they should, and re-fetch the release); `withdrawn` at the withdrawal;
  both never before the issue instant (a release withdrawn before its time shows both at it).
- Events inside the last `SETTLE` seconds are held back, so a publication committed a moment
  after the instant it carries (a desk transaction in flight) is not skipped by a client that
  polled in between. Past instants written later (an archive import) do not appear as new:
  the list endpoint is the way to backfill.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import DateTimeField, F, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone
from ninja import Query, Router
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from pressroom.api import cursors
from pressroom.api.operations import get_and_head
from pressroom.api.releases import ninjs_path
from pressroom.api.schemas import CURSOR, ChangeList, Error, IsoInstant
from pressroom.publiccache.decorators import public_cache
from pressroom.releases.models import HONG_KONG, Release, ReleaseState, ReleaseVersion

router = Router(tags=["changes"])

SETTLE = dt.timedelta(seconds=2)
MAX_PAGE = 500
# Order of kinds at one instant and reference: a release is published before it is corrected.
KINDS = ("published", "corrected", "withdrawn")


@dataclass(frozen=True)
class Position:
    at: dt.datetime
    reference: str
    kind_rank: int


def _events_of_kind(kind: str, now: dt.datetime) -> QuerySet:
    releases = Release.objects.public(now)
    if kind == "published":
        return releases.annotate(event_at=F("issue_instant"))
    instant_field = "corrected_at" if kind == "corrected" else "withdrawn_at"
    releases = releases.filter(**{f"{instant_field}__isnull": False})
    if kind == "withdrawn":
        releases = releases.filter(state=ReleaseState.WITHDRAWN)
    return releases.annotate(
        event_at=Greatest(instant_field, "issue_instant", output_field=DateTimeField())
    )


# The reference of a position "after everything at its instant" (where `since` starts).
AFTER_ALL = "\U0010ffff"


def _after(position: Position, kind_rank: int) -> Q:
    later = Q(event_at__gt=position.at)
    if position.reference == AFTER_ALL:
        return later
    same_instant = Q(event_at=position.at)
    if kind_rank > position.kind_rank:
        return later | (same_instant & Q(reference__gte=position.reference))
    return later | (same_instant & Q(reference__gt=position.reference))


def collect(position: Position, until: dt.datetime, now: dt.datetime, limit: int) -> list:
    events = []
    for rank, kind in enumerate(KINDS):
        rows = (
            _events_of_kind(kind, now)
            .filter(_after(position, rank), event_at__lte=until)
            .order_by("event_at", "reference")
            .values_list("event_at", "reference", "pk")[: limit + 1]
        )
        events.extend((at, reference, rank, pk) for at, reference, pk in rows)
    events.sort(key=lambda event: event[:3])
    return events[: limit + 1]


def _titles(release_ids: list[int]) -> dict[int, dict[str, str]]:
    titles: dict[int, dict[str, str]] = {}
    rows = ReleaseVersion.objects.filter(release_id__in=release_ids).values_list(
        "release_id", "language", "title"
    )
    for release_id, language, title in rows:
        titles.setdefault(release_id, {})[language] = title
    return titles


def _start(since: dt.datetime | None, cursor: str | None, until: dt.datetime) -> Position:
    if cursor:
        at, reference, rank = cursors.decode(cursor, (dt.datetime, str, int))
        if not 0 <= rank < len(KINDS):
            raise HttpError(422, "cursor: not a cursor this API gave out (pass next_cursor as is)")
        return Position(at, reference, rank)
    if since is None:
        # A newsroom starting out: no events, and a cursor to poll from.
        since = until
    if timezone.is_naive(since):
        since = since.replace(tzinfo=HONG_KONG)
    # Strictly after `since`: the last rank at `since` with the greatest reference.
    return Position(since, AFTER_ALL, len(KINDS) - 1)


@get_and_head(
    router,
    "",
    response={200: ChangeList, 422: Error},
    summary="Releases published, corrected or withdrawn since an instant",
    operation_id="list_changes",
)
@decorate_view(public_cache)
def list_changes(
    request,
    since: IsoInstant | None = Query(
        None,
        description="Events strictly after this instant (naive = HKT). Without since or "
        "cursor: no events, and a next_cursor to start polling from.",
    ),
    cursor: str | None = Query(
        None, pattern=CURSOR, description="next_cursor of the previous answer (wins over since)."
    ),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
):
    now = timezone.now()
    until = now - SETTLE
    position = _start(since, cursor, until)
    events = collect(position, until, now, limit)
    has_more = len(events) > limit
    events = events[:limit]
    titles = _titles([pk for *_, pk in events])
    base = settings.PRESSROOM_BASE_URL.rstrip("/")
    answer = []
    for at, reference, rank, pk in events:
        answer.append(
            {
                "event": KINDS[rank],
                "at": at.astimezone(HONG_KONG),
                "reference": reference,
                "titles": titles.get(pk, {}),
                "ninjs": base + ninjs_path(reference),
                "cursor": cursors.encode(at, reference, rank),
            }
        )
    if events:
        next_cursor = answer[-1]["cursor"]
    else:
        next_cursor = cursors.encode(position.at, position.reference, position.kind_rank)
    return {"events": answer, "next_cursor": next_cursor, "has_more": has_more}
