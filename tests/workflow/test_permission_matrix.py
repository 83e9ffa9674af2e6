"""Every role against every workflow step: allowed ones change the release, refused ones say
why and change nothing. The expected table is written out in tests/support/permissions.py,
apart from the rules module."""

import datetime as dt

import pytest
from django.utils import timezone

from pressroom.releases.models import Release
from pressroom.workflow import actions
from pressroom.workflow.content import ReleaseContent
from pressroom.workflow.errors import NotPermitted
from pressroom.workflow.models import AuditEntry
from tests.support.factories import draft
from tests.support.permissions import ALLOWED, ROLES, SOURCE_STATE

pytestmark = pytest.mark.django_db

IN_AN_HOUR = timezone.now() + dt.timedelta(hours=1)
DETAILS = {
    "schedule": {"issue_instant": IN_AN_HOUR},
    "return": {"comment": "Sample: please add the venue."},
    "correct": {"note": "Sample: the date in paragraph 2 was wrong."},
    "withdraw": {"reason": "Sample: issued in error."},
}


def release_in(state, people, sample_department):
    release = draft(people["writer"], sample_department)
    instant = IN_AN_HOUR if state == "scheduled" else timezone.now() - dt.timedelta(hours=1)
    Release.objects.filter(pk=release.pk).update(state=state, issue_instant=instant)
    return Release.objects.get(pk=release.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", sorted(ALLOWED))
def test_move_by_role(move, role, people, sample_department):
    release = release_in(SOURCE_STATE[move], people, sample_department)
    action = actions.MOVE_ACTIONS[move](release, people[role], **DETAILS.get(move, {}))
    entries_before = AuditEntry.objects.count()
    if role in ALLOWED[move]:
        action.execute()
        release.refresh_from_db()
        assert release.state != SOURCE_STATE[move] or move == "correct"
        assert AuditEntry.objects.count() == entries_before + 1
    else:
        with pytest.raises(NotPermitted) as refused:
            action.execute()
        assert "you cannot" in str(refused.value)
        release.refresh_from_db()
        assert release.state == SOURCE_STATE[move]
        assert AuditEntry.objects.count() == entries_before


EDIT_ALLOWED = {
    "draft": {"writer", "approver", "editor"},
    "submitted": {"approver", "editor"},
    "approved": {"editor"},
    "scheduled": {"editor"},
    "published": set(),
    "corrected": set(),
    "withdrawn": set(),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", sorted(EDIT_ALLOWED))
def test_edit_by_role_and_state(state, role, people, sample_department, settings):
    # The role table alone: the four-eyes rule, which also keeps a scheduled release's approved
    # text, has its own tests (tests/security/test_admin.py).
    settings.PRESSROOM_FOUR_EYES = False
    release = release_in(state, people, sample_department)
    content = ReleaseContent.of(release)
    content.languages["en"].title = "Sample: changed title"
    action = actions.EditRelease(release, people[role], content=content, expected_revision=1)
    if role in EDIT_ALLOWED[state]:
        action.execute()
        assert release.versions.get(language="en").title == "Sample: changed title"
    else:
        with pytest.raises(Exception) as refused:
            action.execute()
        assert "cannot edit" in str(refused.value)
        assert release.versions.get(language="en").title != "Sample: changed title"


@pytest.mark.parametrize("role,allowed", [
    ("writer", True), ("approver", True), ("editor", True), ("admin", False),
    ("other_writer", False), ("other_approver", False),
])  # fmt: skip
def test_starting_a_release_in_the_sample_department(role, allowed, people, sample_department):
    if allowed:
        assert draft(people[role], sample_department).state == "draft"
    else:
        with pytest.raises(NotPermitted):
            draft(people[role], sample_department)


def test_a_refusal_names_the_departments(people, sample_department):
    release = release_in("submitted", people, sample_department)
    with pytest.raises(NotPermitted, match="belongs to Sample Department and you work for Other"):
        actions.ApproveRelease(release, people["other_approver"]).execute()


def test_a_refusal_names_the_roles_that_may(people, sample_department):
    release = release_in("approved", people, sample_department)
    with pytest.raises(NotPermitted, match="only duty editors may, and you are an approver"):
        actions.PublishRelease(release, people["approver"]).execute()
