"""The desk's pages through the test client: sign-in, who sees what, compose, paste, history."""

import re

import pytest

from pressroom.releases.models import Release
from pressroom.workflow import actions
from pressroom.workflow.models import Revision
from tests.support.factories import draft

pytestmark = pytest.mark.django_db

WIRE_SAMPLE = """Sample: lantern show in the park

     The Sample Department will hold a lantern show in the sample park tomorrow.

     Admission is free.

Ends/Friday, March 1, 2024
Issued at HKT 16:30

NNNN
"""


def signed_in(client, user):
    client.force_login(user)
    return client


def test_pages_need_sign_in(client):
    response = client.get("/desk/")
    assert response.status_code == 302 and response["Location"].startswith("/desk/login/")


def test_an_account_without_a_role_is_told_so(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    response = client.get("/desk/")
    assert response.status_code == 403
    assert "no role on the desk" in response.content.decode()


@pytest.mark.parametrize("role", ["writer", "approver", "editor"])
def test_every_screen_loads(client, people, sample_department, role):
    release = draft(people["writer"], sample_department)
    signed_in(client, people[role])
    for path in ["/desk/", "/desk/releases/", "/desk/new/", "/desk/audit/",
                 f"/desk/r/{release.pk}/", f"/desk/r/{release.pk}/history/",
                 f"/desk/r/{release.pk}/audit/", f"/desk/r/{release.pk}/preview/en/",
                 f"/desk/r/{release.pk}/preview/zh-hans/", f"/desk/r/{release.pk}/preview/en.txt"]:  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"].startswith("no-store")


def test_another_departments_release_is_refused_with_the_reason(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    signed_in(client, people["other_writer"])
    response = client.get(f"/desk/r/{release.pk}/")
    assert response.status_code == 403
    assert "belongs to Sample Department" in response.content.decode()
    assert release.reference not in client.get("/desk/releases/").content.decode()


def compose_data(**overrides):
    data = {
        "department": "", "title_en": "Sample: library opens late", "body_en": "The sample library opens late.",
        "title_zh": "樣本：圖書館延長開放", "body_zh": "樣本圖書館延長開放時間。", "base_revision": "0",
        "intent": "save",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_writer_composes_a_bilingual_draft(client, people, sample_department):
    signed_in(client, people["writer"])
    response = client.post("/desk/new/", compose_data(department=sample_department.pk))
    release = Release.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/r/{release.pk}/"
    assert release.state == "draft" and release.department == sample_department
    assert release.versions.get(language="zh-Hans").title == "样本：图书馆延长开放"
    page = client.get(f"/desk/r/{release.pk}/").content.decode()
    assert "样本图书馆延长开放时间。" in page  # the derived Simplified shown beside the form


def test_a_writer_cannot_start_a_release_for_another_department(client, people, other_department):
    signed_in(client, people["writer"])
    response = client.post("/desk/new/", compose_data(department=other_department.pk))
    assert "Select a valid choice" in response.content.decode()
    assert not Release.objects.exists()


def test_a_stale_save_keeps_the_text_and_says_who_saved(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    signed_in(client, people["approver"])
    client.post(f"/desk/r/{release.pk}/", compose_data(department=sample_department.pk, base_revision="1",
                                                       title_en="Sample: approver's version"))  # fmt: skip
    signed_in(client, people["writer"])
    response = client.post(
        f"/desk/r/{release.pk}/",
        compose_data(
            department=sample_department.pk, base_revision="1", title_en="Sample: writer's version"
        ),
    )
    page = response.content.decode()
    assert "changed by arthur" in page and "nothing was saved" in page
    assert "Sample: writer&#x27;s version" in page  # what the writer typed is still in the form
    assert release.versions.get(language="en").title == "Sample: approver's version"


def test_pasting_wire_text_fills_the_form_without_saving(client, people, sample_department):
    signed_in(client, people["writer"])
    response = client.post(
        "/desk/new/",
        compose_data(
            department=sample_department.pk,
            title_en="",
            body_en="",
            intent="paste",
            wire_text=WIRE_SAMPLE,
        ),
    )
    page = response.content.decode()
    assert 'value="Sample: lantern show in the park"' in page
    assert "lantern show in the sample park tomorrow" in page
    assert not Release.objects.exists()


def test_pasting_unreadable_text_says_why(client, people, sample_department):
    signed_in(client, people["writer"])
    response = client.post(
        "/desk/new/",
        compose_data(department=sample_department.pk, intent="paste", wire_text="just a line"),
    )
    assert "The wire text cannot be read" in response.content.decode()


def test_simplified_preview_endpoint(client, people):
    signed_in(client, people["writer"])
    response = client.post("/desk/simplified/", {"text": "樣本圖書館"})
    assert response.content.decode() == "样本图书馆"


def test_history_shows_differences(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    signed_in(client, people["writer"])
    client.post(f"/desk/r/{release.pk}/", compose_data(department=sample_department.pk, base_revision="1",
                                                       title_en="Sample: a better title"))  # fmt: skip
    assert Revision.objects.filter(release_id=release.pk).count() == 2
    page = client.get(f"/desk/r/{release.pk}/history/?a=1&b=2").content.decode()
    assert "<ins>+Sample: a better title</ins>" in page
    assert "<del>-Sample: harbour festival opens</del>" in page


def test_audit_log_per_release_and_overall(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    actions.SubmitRelease(release, people["writer"]).execute()
    signed_in(client, people["editor"])
    for path in [f"/desk/r/{release.pk}/audit/", "/desk/audit/"]:
        page = client.get(path).content.decode()
        assert re.search(r"wanda</td>\s*<td>submit</td>", page), path


def test_search_and_filters(client, people, sample_department, other_department):
    first = draft(people["writer"], sample_department, title="Sample: swimming pools reopen")
    draft(people["writer"], sample_department, title="Sample: road closure")
    other = draft(people["other_writer"], other_department, title="Sample: pools survey")
    actions.SubmitRelease(first, people["writer"]).execute()
    signed_in(client, people["editor"])
    page = client.get("/desk/releases/?q=pools").content.decode()
    assert first.reference in page and other.reference in page and "road closure" not in page
    page = client.get(f"/desk/releases/?q=pools&department={other_department.pk}").content.decode()
    assert other.reference in page and first.reference not in page
    page = client.get("/desk/releases/?state=submitted").content.decode()
    assert first.reference in page and other.reference not in page
    page = client.get(f"/desk/releases/?q={first.reference}").content.decode()
    assert first.reference in page and "road closure" not in page


def test_queue_shows_what_waits_and_the_schedule(client, people, sample_department):
    import datetime as dt

    from django.utils import timezone

    waiting = draft(people["writer"], sample_department, title="Sample: waits for approval")
    actions.SubmitRelease(waiting, people["writer"]).execute()
    coming = draft(people["writer"], sample_department, title="Sample: goes out tonight")
    Release.objects.filter(pk=coming.pk).update(state="scheduled",
                                                issue_instant=timezone.now() + dt.timedelta(hours=3))  # fmt: skip
    signed_in(client, people["approver"])
    page = client.get("/desk/").content.decode()
    waiting_part = page.split("Coming schedule")[0]
    schedule_part = page.split("Coming schedule")[1].split("In progress")[0]
    assert "Sample: waits for approval" in waiting_part
    assert "Sample: goes out tonight" in schedule_part


def test_duty_editor_can_send_a_scheduled_release_under_embargo_from_its_page(
    client, people, sample_department
):
    import datetime as dt

    from django.utils import timezone

    from pressroom.distribution.models import Embargo

    release = draft(people["writer"], sample_department)
    actions.SubmitRelease(release, people["writer"]).execute()
    actions.ApproveRelease(release, people["approver"]).execute()
    later = timezone.now() + dt.timedelta(hours=2)
    actions.ScheduleRelease(release, people["editor"], issue_instant=later).execute()

    page = signed_in(client, people["approver"]).get(f"/desk/r/{release.pk}/")
    assert "Send under embargo now" not in page.content.decode()

    page = signed_in(client, people["editor"]).get(f"/desk/r/{release.pk}/")
    html = page.content.decode()
    assert "Send under embargo now" in html and 'href="/desk/distribution/"' in html
    response = client.post(
        f"/desk/distribution/embargo/{release.pk}/",
        {"allow": "1", "next": f"/desk/r/{release.pk}/"},
    )
    assert response.status_code == 302
    assert Embargo.objects.filter(release=release, allowed_by=people["editor"]).exists()
    after = client.get(f"/desk/r/{release.pk}/").content.decode()
    assert "Sent to embargo-accredited newsrooms on edith's decision" in after
    from pressroom.workflow.models import AuditEntry

    entry = AuditEntry.objects.get(release_reference=release.reference, action="embargo")
    assert entry.actor_name == "edith"
