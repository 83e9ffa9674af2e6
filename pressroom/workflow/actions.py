"""One action per workflow step: check (role, state, lock) -> change -> audit entry -> event,
all in one transaction. The desk, the admin and the commands call these and nothing else.

    SubmitRelease(release, user).execute()
    ScheduleRelease(release, user, issue_instant=...).execute()
    CorrectRelease(release, user, note="...", content=...).execute()

A refused step raises a `WorkflowError` whose message says why; nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import transaction
from django.utils import timezone

from pressroom.releases import limits
from pressroom.releases.models import Department, Release, ReleaseState, allocate_reference
from pressroom.workflow import events, revisions
from pressroom.workflow.content import ReleaseContent, check_content, write_content
from pressroom.workflow.errors import InvalidMove, NotPermitted, StaleEdit
from pressroom.workflow.models import AuditEntry, Revision
from pressroom.workflow.permissions import four_eyes_refusal, refusal
from pressroom.workflow.rules import CREATE_RULES, EDIT_RULES, MOVES, effective_state

S = ReleaseState


def _name(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else "system"


def _hong_kong(instant: dt.datetime) -> str:
    return f"{timezone.localtime(instant):%Y-%m-%d %H:%M:%S} Hong Kong time"


class ReleaseAction:
    """Shared shape: subclasses say what they check and what they change."""

    audit_action: ClassVar[str] = ""

    def __init__(self, release: Release, user, *, expected_revision: int | None = None,
                 now: dt.datetime | None = None):  # fmt: skip
        self.release = release
        self.user = user
        self.expected_revision = expected_revision
        self.now = now

    def execute(self) -> Release:
        with transaction.atomic():
            # The row lock makes two people's simultaneous steps take turns, so the second one
            # sees the first one's result (and is refused if it no longer fits).
            release = Release.objects.select_for_update().get(pk=self.release.pk)
            now = self.now or timezone.now()
            self.check(release, now)
            from_state = release.state
            message = self.apply(release, now)
            release.save()
            revision = self.revision(release)
            revision_number = revision.number if revision else self.revision_seen(release)
            AuditEntry.objects.create(
                release=release,
                release_reference=release.reference,
                action=self.audit_action,
                actor=self.user if self.user is not None and self.user.is_authenticated else None,
                actor_name=_name(self.user),
                from_state=from_state,
                to_state=release.state,
                message=message,
                revision_number=revision_number,
            )
            events.emit(self.event(release, from_state, now, revision))
        self.release = release
        return release

    def check(self, release: Release, now: dt.datetime) -> None:
        self.check_lock(release)

    def check_lock(self, release: Release) -> None:
        if self.expected_revision is None:
            return
        latest = Revision.objects.filter(release_id=release.pk).order_by("-number").first()
        latest_number = latest.number if latest else 0
        if latest_number != self.expected_revision:
            who = latest.author_name or "someone" if latest else "someone"
            when = _hong_kong(latest.created_at) if latest else "meanwhile"
            raise StaleEdit(
                f"{release.reference} was changed by {who} at {when} (revision {latest_number}) "
                f"after you opened revision {self.expected_revision}: nothing was saved. "
                "Reload the release to see their changes, then make yours again."
            )

    def apply(self, release: Release, now: dt.datetime) -> str:
        """Change the (locked) release; return the audit entry's message."""
        raise NotImplementedError

    def revision(self, release: Release) -> Revision | None:
        return None

    def revision_seen(self, release: Release) -> int | None:
        """The revision the audit entry names when the step makes none."""
        return None

    def event(self, release, from_state, now, revision) -> events.ReleaseEvent:
        raise NotImplementedError

    def _event_fields(self, release, from_state, now) -> dict:
        return {
            "release_id": release.pk,
            "reference": release.reference,
            "actor": _name(self.user),
            "at": now,
            "from_state": from_state,
            "to_state": release.state,
        }


class MoveAction(ReleaseAction):
    """A move in the `rules.MOVES` table: the role and state checks come from there."""

    move_name: ClassVar[str] = ""

    @property
    def move(self):
        return MOVES[self.move_name]

    @property
    def audit_action(self) -> str:  # type: ignore[override]
        return self.move_name

    def check(self, release: Release, now: dt.datetime) -> None:
        move = self.move
        doing = f"{move.label.lower()} {release.reference}"
        reason = refusal(self.user, move.roles, release.department_id, doing)
        if reason:
            raise NotPermitted(reason)
        state = effective_state(release, now)
        if state not in move.sources:
            allowed = " or ".join(source.label.lower() for source in move.sources)
            raise InvalidMove(
                f"cannot {doing}: it is {state.label.lower()}"
                + (" (its scheduled time has passed)" if release.state == S.SCHEDULED else "")
                + f"; only a release that is {allowed} can be {move.past_tense}"
            )
        reason = four_eyes_refusal(self.user, release, move.name)
        if reason:
            raise NotPermitted(reason)
        self.check_lock(release)
        self.check_details(release, now)

    def check_details(self, release: Release, now: dt.datetime) -> None:
        """What the move needs beyond role and state (a comment, a future instant...)."""

    def _require_text(self, value: str, field: str, what: str) -> str:
        """The stripped text, refused when empty (InvalidMove) or past the limit on notes
        (TextRefused naming `field`)."""
        value = (value or "").strip()
        if not value:
            raise InvalidMove(f"cannot {self.move.label.lower()} {self.release.reference}: "
                              f"give {what}")  # fmt: skip
        return limits.multi_line(field, value, limits.NOTE_MAX_CHARS)


class SubmitRelease(MoveAction):
    move_name = "submit"

    def check_details(self, release, now):
        if not release.versions.exclude(title="").exists():
            raise InvalidMove(f"cannot submit {release.reference}: it has no title in any language")

    def apply(self, release, now):
        release.state = S.SUBMITTED
        return ""

    def event(self, release, from_state, now, revision):
        return events.ReleaseSubmitted(**self._event_fields(release, from_state, now))


class ApproveRelease(MoveAction):
    move_name = "approve"

    def apply(self, release, now):
        release.state = S.APPROVED
        return ""

    def revision_seen(self, release):
        # An approval covers this revision: the four-eyes rule reads who changed it after.
        return revisions.latest_number(release)

    def event(self, release, from_state, now, revision):
        return events.ReleaseApproved(**self._event_fields(release, from_state, now))


class ScheduleRelease(MoveAction):
    move_name = "schedule"

    def __init__(self, release, user, *, issue_instant: dt.datetime | None, **kwargs):
        super().__init__(release, user, **kwargs)
        self.issue_instant = issue_instant

    def check_details(self, release, now):
        if self.issue_instant is None:
            raise InvalidMove(f"cannot schedule {release.reference}: give the issue date and time")
        if timezone.is_naive(self.issue_instant):
            raise InvalidMove("the issue instant must carry its time zone")
        if self.issue_instant <= now:
            raise InvalidMove(
                f"cannot schedule {release.reference} for {_hong_kong(self.issue_instant)}: that "
                "is not in the future (use Publish now to issue it at once)"
            )

    def apply(self, release, now):
        release.state = S.SCHEDULED
        release.issue_instant = self.issue_instant
        release.issue_time_stated = True
        return f"to be issued at {_hong_kong(self.issue_instant)}"

    def event(self, release, from_state, now, revision):
        return events.ReleaseScheduled(
            **self._event_fields(release, from_state, now), issue_instant=release.issue_instant
        )


class PublishRelease(MoveAction):
    move_name = "publish"

    def apply(self, release, now):
        release.state = S.PUBLISHED
        release.issue_instant = now
        release.issue_time_stated = True
        return f"issued at {_hong_kong(now)}"

    def event(self, release, from_state, now, revision):
        return events.ReleasePublished(
            **self._event_fields(release, from_state, now), issue_instant=release.issue_instant
        )


class UnscheduleRelease(MoveAction):
    move_name = "unschedule"

    def apply(self, release, now):
        release.state = S.APPROVED
        return f"pulled back before {_hong_kong(release.issue_instant)}"

    def event(self, release, from_state, now, revision):
        return events.ReleaseUnscheduled(**self._event_fields(release, from_state, now))


class ReturnToDraft(MoveAction):
    move_name = "return"

    def __init__(self, release, user, *, comment: str, **kwargs):
        super().__init__(release, user, **kwargs)
        self.comment = comment

    def check_details(self, release, now):
        self.comment = self._require_text(
            self.comment, "comment", "a comment saying what to change"
        )

    def apply(self, release, now):
        release.state = S.DRAFT
        return self.comment

    def event(self, release, from_state, now, revision):
        return events.ReleaseReturnedToDraft(
            **self._event_fields(release, from_state, now), comment=self.comment
        )


class CorrectRelease(MoveAction):
    """A published release gets a new revision, a correction note and the time of correction."""

    move_name = "correct"

    def __init__(self, release, user, *, note: str, content: ReleaseContent | None = None,
                 **kwargs):  # fmt: skip
        super().__init__(release, user, **kwargs)
        self.note = note
        self.content = content

    def check_details(self, release, now):
        self.note = self._require_text(self.note, "note", "a correction note for readers")

    def apply(self, release, now):
        if self.content is not None:
            write_content(release, self.content)
        release.state = S.CORRECTED
        release.correction_note = self.note
        release.corrected_at = now
        return self.note

    def revision(self, release):
        return revisions.record(release, self.user, f"correction: {self.note}")

    def event(self, release, from_state, now, revision):
        return events.ReleaseCorrected(
            **self._event_fields(release, from_state, now), note=self.note, corrected_at=now
        )


class WithdrawRelease(MoveAction):
    """Withdrawn, not deleted: the page stays in the archive and says why."""

    move_name = "withdraw"

    def __init__(self, release, user, *, reason: str, **kwargs):
        super().__init__(release, user, **kwargs)
        self.reason = reason

    def check_details(self, release, now):
        self.reason = self._require_text(self.reason, "reason", "the reason readers will see")

    def apply(self, release, now):
        release.state = S.WITHDRAWN
        release.withdrawal_reason = self.reason
        release.withdrawn_at = now
        return self.reason

    def event(self, release, from_state, now, revision):
        return events.ReleaseWithdrawn(
            **self._event_fields(release, from_state, now), reason=self.reason, withdrawn_at=now
        )


MOVE_ACTIONS: dict[str, type[MoveAction]] = {
    action.move_name: action
    for action in (SubmitRelease, ApproveRelease, ScheduleRelease, PublishRelease,
                   UnscheduleRelease, ReturnToDraft, CorrectRelease, WithdrawRelease)
}  # fmt: skip


class EditRelease(ReleaseAction):
    """Save new content before publication: a revision, checked against the one the person
    opened (optimistic locking), so nobody silently overwrites another person's work."""

    audit_action = "edit"

    def __init__(self, release, user, *, content: ReleaseContent, expected_revision: int,
                 summary: str = "", **kwargs):  # fmt: skip
        super().__init__(release, user, expected_revision=expected_revision, **kwargs)
        self.content = content
        self.summary = summary

    def check(self, release, now):
        check_edit(self.user, release, now)
        self.check_lock(release)
        limits.single_line("summary", self.summary, limits.SUMMARY_MAX_CHARS)

    def apply(self, release, now):
        write_content(release, self.content)
        return self.summary or "content saved"

    def revision(self, release):
        return revisions.record(release, self.user, self.summary or "content saved")

    def event(self, release, from_state, now, revision):
        return events.ReleaseEdited(
            **self._event_fields(release, from_state, now), revision=revision.number
        )


def check_edit(user, release: Release, now: dt.datetime | None = None) -> None:
    """Raise unless `user` may change the release's content in its current state."""
    state = effective_state(release, now)
    rule = EDIT_RULES.get(state)
    if rule is None:
        raise InvalidMove(
            f"cannot edit {release.reference}: it is {state.label.lower()}; "
            "a published release changes only through a correction"
        )
    reason = refusal(user, rule, release.department_id, f"edit {release.reference} while it "
                     f"is {state.label.lower()}")  # fmt: skip
    reason = reason or four_eyes_refusal(user, release, "edit", now)
    if reason:
        raise NotPermitted(reason)


def create_release(user, department: Department | None, content: ReleaseContent,
                   kind: str = "release") -> Release:  # fmt: skip
    """Start a draft in `department` with its first revision."""
    if department is None:
        raise InvalidMove("choose the department issuing the release")
    reason = refusal(user, CREATE_RULES, department.pk, f"start a release for {department.name_en}")
    if reason:
        raise NotPermitted(reason)
    if not content.has_a_title():
        raise InvalidMove("give the release a title in English or Traditional Chinese")
    check_content(content)  # what can be refused is refused before a reference is taken
    # The day's reference counter is locked only while its serial is taken, in a transaction
    # of its own: writing the content inside that lock made every other writer wait for it.
    # A write that fails after this leaves a serial unused, as a database sequence would.
    reference = allocate_reference()
    with transaction.atomic():
        release = Release.objects.create(
            reference=reference, department=department, state=S.DRAFT, kind=kind
        )
        write_content(release, content)
        revision = revisions.record(release, user, "created")
        now = timezone.now()
        AuditEntry.objects.create(
            release=release, release_reference=release.reference, action="create",
            actor=user, actor_name=_name(user), to_state=release.state,
            message=f"draft started for {department.name_en}", revision_number=revision.number,
        )  # fmt: skip
        events.emit(events.ReleaseCreated(
            release_id=release.pk, reference=release.reference, actor=_name(user), at=now,
            from_state="", to_state=release.state,
        ))  # fmt: skip
    return release


class AttachPhoto(ReleaseAction):
    """Add (or replace) a photo: the image is checked and cleaned before the transaction."""

    audit_action = "photo"

    def __init__(self, release, user, *, upload, position: int | None = None, **kwargs):
        super().__init__(release, user, **kwargs)
        from pressroom.media.uploads import clean_upload

        self.clean = clean_upload(upload)  # raises UploadRefused with the reason
        self.position = position

    def check(self, release, now):
        check_edit(self.user, release, now)
        self.check_lock(release)
        if self.position is None:
            self.position = release.photos.count() + 1
        limits.photos("photos", self.position)

    def apply(self, release, now):
        from pressroom.media.uploads import store_photo

        store_photo(release, self.position, self.clean)
        return f"photo {self.position} ({self.clean.width} x {self.clean.height})"

    def revision(self, release):
        return revisions.record(release, self.user, f"photo {self.position} uploaded")

    def event(self, release, from_state, now, revision):
        return events.ReleaseEdited(
            **self._event_fields(release, from_state, now), revision=revision.number
        )
