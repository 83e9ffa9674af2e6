"""The permission matrix on the desk: the workflow buttons, by role, through real POSTs."""

import datetime as dt

import pytest
from django.utils import timezone

from pressroom.releases.models import Release
from tests.support.factories import draft
from tests.support.permissions import ALLOWED, ROLES, SOURCE_STATE

pytestmark = pytest.mark.django_db

FORM = {
    "schedule": lambda: {
        "issue_instant": (
            timezone.localtime(timezone.now() + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
        )
    },  # fmt: skip
    "return": lambda: {"comment": "Sample: add the venue."},
    "correct": lambda: {"note": "Sample: time corrected."},
    "withdraw": lambda: {"reason": "Sample: issued in error."},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", sorted(ALLOWED))
def test_workflow_button_by_role(client, people, sample_department, move, role):
    release = draft(people["writer"], sample_department)
    state = SOURCE_STATE[move]
    instant = timezone.now() + dt.timedelta(hours=2) if state == "scheduled" else timezone.now()
    Release.objects.filter(pk=release.pk).update(state=state, issue_instant=instant)
    client.force_login(people[role])
    response = client.post(
        f"/desk/r/{release.pk}/move/{move}/", FORM.get(move, dict)(), follow=True
    )
    release.refresh_from_db()
    page = response.content.decode()
    if role in ALLOWED[move]:
        assert release.state != state or move == "correct", page
        assert "Not done" not in page
    else:
        assert release.state == state
        # Other departments cannot even open the release; the rest are told why not.
        assert ("you cannot" in page.lower()) or ("belongs to Sample Department" in page)


def test_the_page_offers_only_the_moves_a_person_may_make(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    Release.objects.filter(pk=release.pk).update(state="submitted")
    client.force_login(people["writer"])
    page = client.get(f"/desk/r/{release.pk}/").content.decode()
    assert "/move/approve/" not in page and "/move/return/" not in page
    client.force_login(people["approver"])
    page = client.get(f"/desk/r/{release.pk}/").content.decode()
    assert "/move/approve/" in page and "/move/return/" in page and "/move/publish/" not in page


def test_a_get_never_moves_a_release(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    client.force_login(people["writer"])
    assert client.get(f"/desk/r/{release.pk}/move/submit/").status_code == 405
    release.refresh_from_db()
    assert release.state == "draft"


def test_correction_from_the_desk_changes_text_and_note(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    Release.objects.filter(pk=release.pk).update(state="published", issue_instant=timezone.now())
    client.force_login(people["editor"])
    page = client.get(f"/desk/r/{release.pk}/").content.decode()
    assert "Publish correction" in page
    data = {"department": sample_department.pk, "title_en": "Sample: harbour festival opens",
            "body_en": "The festival opens on Sunday.", "title_zh": "樣本：海港節開幕",
            "body_zh": "樣本部門今日為海港節揭幕。", "note": "", "expected_revision": "1"}  # fmt: skip
    response = client.post(f"/desk/r/{release.pk}/move/correct/", data)
    assert response.status_code == 409  # no note: refused, the text is kept
    assert "The festival opens on Sunday." in response.content.decode()
    data["note"] = "Sample: the opening day was wrong."
    client.post(f"/desk/r/{release.pk}/move/correct/", data)
    release.refresh_from_db()
    assert (
        release.state == "corrected"
        and release.correction_note == "Sample: the opening day was wrong."
    )
    public = client.get(release.get_absolute_url("en")).content.decode()
    assert (
        "Sample: the opening day was wrong." in public and "The festival opens on Sunday." in public
    )
