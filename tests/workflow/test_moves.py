"""Each workflow move, allowed and refused by the release's state, with what it must carry."""

import datetime as dt

import pytest
from django.utils import timezone

from pressroom.releases.models import Release
from pressroom.workflow import actions, events
from pressroom.workflow.errors import InvalidMove, StaleEdit
from pressroom.workflow.models import AuditEntry, Revision
from tests.support.factories import draft

pytestmark = pytest.mark.django_db(transaction=True)

ALL_STATES = ["draft", "submitted", "approved", "scheduled", "published", "corrected", "withdrawn"]
SOURCES = {
    "submit": {"draft"},
    "approve": {"submitted"},
    "schedule": {"approved"},
    "publish": {"approved", "scheduled"},
    "unschedule": {"scheduled"},
    "return": {"submitted", "approved", "scheduled"},
    "correct": {"published", "corrected"},
    "withdraw": {"published", "corrected"},
}
DETAILS = {
    "schedule": lambda: {"issue_instant": timezone.now() + dt.timedelta(hours=2)},
    "return": lambda: {"comment": "Sample: add the venue."},
    "correct": lambda: {"note": "Sample: time corrected."},
    "withdraw": lambda: {"reason": "Sample: issued in error."},
}


def in_state(release, state, instant=None):
    instant = instant or (
        timezone.now() + dt.timedelta(hours=1) if state == "scheduled"
        else timezone.now() - dt.timedelta(hours=1)
    )  # fmt: skip
    Release.objects.filter(pk=release.pk).update(state=state, issue_instant=instant)
    release.refresh_from_db()
    return release


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("move", sorted(SOURCES))
def test_move_from_state(move, state, people, sample_department):
    release = in_state(draft(people["writer"], sample_department), state)
    action = actions.MOVE_ACTIONS[move](release, people["editor"], **DETAILS.get(move, dict)())
    if state in SOURCES[move]:
        action.execute()
    else:
        with pytest.raises(InvalidMove, match=f"cannot .*it is {state}"):
            action.execute()
        release.refresh_from_db()
        assert release.state == state


def test_the_whole_way_with_audit_and_events(people, sample_department):
    heard = []
    events.subscribe(events.ReleaseEvent, heard.append)
    try:
        release = draft(people["writer"], sample_department)
        actions.SubmitRelease(release, people["writer"]).execute()
        actions.ApproveRelease(release, people["approver"]).execute()
        instant = timezone.now() + dt.timedelta(minutes=30)
        actions.ScheduleRelease(release, people["editor"], issue_instant=instant).execute()
        release.refresh_from_db()
        assert release.state == "scheduled" and release.issue_instant == instant
        assert not release.is_public()
    finally:
        events.unsubscribe(events.ReleaseEvent, heard.append)
    assert [type(event).__name__ for event in heard] == [
        "ReleaseCreated",
        "ReleaseSubmitted",
        "ReleaseApproved",
        "ReleaseScheduled",
    ]
    assert heard[-1].issue_instant == instant
    steps = list(AuditEntry.objects.filter(release_id=release.pk).order_by("id")
                 .values_list("action", "actor_name", "from_state", "to_state"))  # fmt: skip
    assert steps == [
        ("create", "wanda", "", "draft"),
        ("submit", "wanda", "draft", "submitted"),
        ("approve", "arthur", "submitted", "approved"),
        ("schedule", "edith", "approved", "scheduled"),
    ]


def test_return_needs_a_comment_and_records_it(people, sample_department):
    release = in_state(draft(people["writer"], sample_department), "submitted")
    with pytest.raises(InvalidMove, match="give a comment"):
        actions.ReturnToDraft(release, people["approver"], comment="  ").execute()
    actions.ReturnToDraft(release, people["approver"], comment="Sample: add the venue.").execute()
    entry = AuditEntry.objects.filter(release_id=release.pk).first()
    assert (entry.action, entry.message, entry.to_state) == (
        "return",
        "Sample: add the venue.",
        "draft",
    )


def test_schedule_needs_a_future_instant(people, sample_department):
    release = in_state(draft(people["writer"], sample_department), "approved")
    with pytest.raises(InvalidMove, match="not in the future"):
        actions.ScheduleRelease(release, people["editor"],
                                issue_instant=timezone.now() - dt.timedelta(minutes=1)).execute()  # fmt: skip
    with pytest.raises(InvalidMove, match="give the issue date and time"):
        actions.ScheduleRelease(release, people["editor"], issue_instant=None).execute()


def test_a_scheduled_release_past_its_time_is_published(people, sample_department):
    """It cannot be pulled back or returned any more; it can be corrected."""
    release = in_state(draft(people["writer"], sample_department), "scheduled",
                       timezone.now() - dt.timedelta(seconds=1))  # fmt: skip
    assert release.is_public()
    with pytest.raises(InvalidMove, match="scheduled time has passed"):
        actions.UnscheduleRelease(release, people["editor"]).execute()
    with pytest.raises(InvalidMove):
        actions.ReturnToDraft(release, people["editor"], comment="too late").execute()
    actions.CorrectRelease(release, people["editor"], note="Sample: typo fixed.").execute()
    release.refresh_from_db()
    assert release.state == "corrected"


def test_unschedule_pulls_back_before_the_time(people, sample_department):
    release = in_state(draft(people["writer"], sample_department), "scheduled")
    actions.UnscheduleRelease(release, people["editor"]).execute()
    release.refresh_from_db()
    assert release.state == "approved" and not release.is_public()


def test_correct_makes_a_revision_with_note_and_time(people, sample_department):
    from pressroom.workflow.content import ReleaseContent

    release = in_state(draft(people["writer"], sample_department), "published")
    content = ReleaseContent.of(release)
    content.languages["en"].body = "The Sample Department opened a festival on Sunday."
    with pytest.raises(InvalidMove, match="give a correction note"):
        actions.CorrectRelease(release, people["editor"], note="", content=content).execute()
    before = timezone.now()
    actions.CorrectRelease(release, people["editor"], note="Sample: the day was wrong.",
                           content=content).execute()  # fmt: skip
    release.refresh_from_db()
    assert release.state == "corrected"
    assert release.correction_note == "Sample: the day was wrong."
    assert release.corrected_at >= before
    assert "on Sunday" in release.versions.get(language="en").body[0]["text"]
    latest = Revision.objects.filter(release_id=release.pk).first()
    assert latest.number == 2 and latest.summary.startswith("correction:")


def test_withdraw_keeps_the_release_with_its_reason(people, sample_department):
    release = in_state(draft(people["writer"], sample_department), "published")
    with pytest.raises(InvalidMove, match="give the reason"):
        actions.WithdrawRelease(release, people["editor"], reason="").execute()
    actions.WithdrawRelease(release, people["editor"], reason="Sample: issued in error.").execute()
    release.refresh_from_db()
    assert (release.state, release.withdrawal_reason) == ("withdrawn", "Sample: issued in error.")
    assert release.withdrawn_at is not None
    assert Release.objects.public().filter(pk=release.pk).exists()  # still in the archive


def test_submit_needs_a_title(people, sample_department):
    release = draft(people["writer"], sample_department)
    release.versions.all().delete()
    with pytest.raises(InvalidMove, match="no title"):
        actions.SubmitRelease(release, people["writer"]).execute()


def test_in_transaction_handler_failure_rolls_the_move_back(people, sample_department):
    release = in_state(draft(people["writer"], sample_department), "approved")
    heard = []

    def outbox_full(event):
        raise RuntimeError("outbox refused")

    events.IN_TRANSACTION_HANDLERS.append(outbox_full)
    events.subscribe(events.ReleasePublished, heard.append)
    try:
        with pytest.raises(RuntimeError):
            actions.PublishRelease(release, people["editor"]).execute()
    finally:
        events.IN_TRANSACTION_HANDLERS.remove(outbox_full)
        events.unsubscribe(events.ReleasePublished, heard.append)
    release.refresh_from_db()
    assert release.state == "approved"
    assert not AuditEntry.objects.filter(release_id=release.pk, action="publish").exists()
    assert heard == []


def test_a_move_on_a_stale_revision_is_refused(people, sample_department):
    """An approver approves what they saw: not a text someone changed since."""
    from pressroom.workflow.content import ReleaseContent

    release = in_state(draft(people["writer"], sample_department), "submitted")
    content = ReleaseContent.of(release)
    content.languages["en"].title = "Sample: a late change"
    actions.EditRelease(release, people["editor"], content=content, expected_revision=1).execute()
    with pytest.raises(StaleEdit, match="changed by edith"):
        actions.ApproveRelease(release, people["approver"], expected_revision=1).execute()
    actions.ApproveRelease(release, people["approver"], expected_revision=2).execute()
