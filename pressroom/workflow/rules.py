"""The workflow, defined here and nowhere else: which move goes from which state to which, and
which role may make it (within their own department, or on any release).

    draft -> submitted -> approved -> scheduled (issue instant set) -> published
    submitted | approved | scheduled (before its time) -> draft      (return, with a comment)
    scheduled (before its time) -> approved                          (unschedule, pull back)
    published | corrected -> corrected                               (correct, with a note)
    published | corrected -> withdrawn                               (withdraw, with a reason)

Time decides visibility: a scheduled release whose instant has passed *is* published (the site
shows it without any worker), so the rules read the release's effective state, never the
stored one alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from pressroom.releases import visibility
from pressroom.releases.models import Release, ReleaseState
from pressroom.workflow.roles import Role

OWN = "own department"
ANY = "any release"


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: tuple[ReleaseState, ...]
    target: ReleaseState | None
    roles: dict[Role, str]
    # What the person must give with the move (a comment, a note, a reason, an instant).
    needs: tuple[str, ...] = field(default=())
    past_tense: str = ""


S = ReleaseState
MOVES: dict[str, Move] = {
    move.name: move
    for move in (
        Move("submit", "Submit for approval", (S.DRAFT,), S.SUBMITTED,
             {Role.WRITER: OWN, Role.APPROVER: OWN, Role.EDITOR: ANY}, past_tense="submitted"),
        Move("approve", "Approve", (S.SUBMITTED,), S.APPROVED,
             {Role.APPROVER: OWN, Role.EDITOR: ANY}, past_tense="approved"),
        Move("schedule", "Schedule", (S.APPROVED,), S.SCHEDULED,
             {Role.EDITOR: ANY}, needs=("issue_instant",), past_tense="scheduled"),
        Move("publish", "Publish now", (S.APPROVED, S.SCHEDULED), S.PUBLISHED,
             {Role.EDITOR: ANY}, past_tense="published"),
        Move("unschedule", "Pull back (unschedule)", (S.SCHEDULED,), S.APPROVED,
             {Role.EDITOR: ANY}, past_tense="pulled back"),
        Move("return", "Return to draft", (S.SUBMITTED, S.APPROVED, S.SCHEDULED), S.DRAFT,
             {Role.APPROVER: OWN, Role.EDITOR: ANY}, needs=("comment",),
             past_tense="returned to draft"),
        Move("correct", "Correct", (S.PUBLISHED, S.CORRECTED), S.CORRECTED,
             {Role.EDITOR: ANY}, needs=("note",), past_tense="corrected"),
        Move("withdraw", "Withdraw", (S.PUBLISHED, S.CORRECTED), S.WITHDRAWN,
             {Role.EDITOR: ANY}, needs=("reason",), past_tense="withdrawn"),
    )
}  # fmt: skip

# Saving a release's content (not a move: the state stays), by effective state.
EDIT_RULES: dict[ReleaseState, dict[Role, str]] = {
    S.DRAFT: {Role.WRITER: OWN, Role.APPROVER: OWN, Role.EDITOR: ANY},
    S.SUBMITTED: {Role.APPROVER: OWN, Role.EDITOR: ANY},
    S.APPROVED: {Role.EDITOR: ANY},
    S.SCHEDULED: {Role.EDITOR: ANY},
}
# Starting a new release (a draft) in a department.
CREATE_RULES: dict[Role, str] = {Role.WRITER: OWN, Role.APPROVER: OWN, Role.EDITOR: ANY}
# Seeing a release on the desk (its page, history, audit log, previews).
VIEW_RULES: dict[Role, str] = {Role.WRITER: OWN, Role.APPROVER: OWN, Role.EDITOR: ANY}
# Sharing a preview link with someone outside the desk.
SHARE_RULES: dict[Role, str] = {Role.EDITOR: ANY}

PRE_PUBLICATION = (S.DRAFT, S.SUBMITTED, S.APPROVED, S.SCHEDULED)


def effective_state(release: Release, now: dt.datetime | None = None) -> ReleaseState:
    """The state the rules read: a scheduled release whose instant has come is published."""
    now = timezone.now() if now is None else now
    state = ReleaseState(release.state)
    if state == S.SCHEDULED and visibility.is_public(state, release.issue_instant, now):
        return S.PUBLISHED
    return state


def before_publication(release: Release, now: dt.datetime | None = None) -> bool:
    """Still on its way to publication: its text changes only through the desk's actions."""
    return effective_state(release, now) in PRE_PUBLICATION


def published_or_later(now: dt.datetime | None = None) -> Q:
    """The releases `before_publication` is false for, as a filter."""
    now = timezone.now() if now is None else now
    return Q(state__in=[S.PUBLISHED, S.CORRECTED, S.WITHDRAWN]) | visibility.public_at(now)


def state_label(release: Release, now: dt.datetime | None = None) -> str:
    state = effective_state(release, now)
    if state == S.PUBLISHED and release.state == S.SCHEDULED:
        return "Published (at its scheduled time)"
    return state.label
