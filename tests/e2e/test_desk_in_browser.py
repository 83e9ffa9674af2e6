"""The desk in headless Chromium, end to end: a writer drafts a bilingual release with a photo,
an approver approves it, a duty editor schedules it ahead; the public site does not show it
before that instant and, the clock moved past it, does after; the editor corrects it and the public page says
so. Each desk screen is saved as artifacts/screenshots/desk-*.png."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from pressroom.releases.models import HONG_KONG, Release
from pressroom.workflow.people import add_department, add_user
from pressroom.workflow.roles import Role
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Sample-desk-pass-2024"
# Far enough ahead that no slowness between scheduling and the first look reaches the instant;
# the test then moves the clock (of the live server in this process) past it.
SCHEDULE_AHEAD = dt.timedelta(minutes=10)


@pytest.fixture
def desk_people(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    department, _ = add_department("sample", "Sample Department", "樣本部門")
    add_user("wanda", Role.WRITER, department, PASSWORD)
    add_user("arthur", Role.APPROVER, department, PASSWORD)
    add_user("edith", Role.EDITOR, None, PASSWORD)
    return department


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "sample-stage.jpg"
    image = Image.new("RGB", (1200, 800), (30, 90, 140))
    for x in range(200, 1000):
        for y in (300, 301, 302, 500, 501, 502):
            image.putpixel((x, y), (240, 200, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def sign_in(page, base, username):
    page.goto(base + "/desk/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/desk/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/desk/login/")


def test_newsroom_day(live_server, page, screenshot, desk_people, photo_file, time_machine):
    base = live_server.url

    # The writer drafts a bilingual release with a photo.
    page.goto(base + "/desk/login/")
    assert_accessible(page)
    screenshot("desk-login")
    sign_in(page, base, "wanda")
    screenshot("desk-queue")
    page.get_by_role("link", name="New release").click()
    page.get_by_label("Title", exact=True).fill("Sample: night market returns to the waterfront")
    page.get_by_label("Body", exact=True).fill(
        "The Sample Department announced today that the sample night market returns to the "
        "waterfront this weekend.\n\nStalls open from 6pm to 11pm."
    )
    page.get_by_label("標題 Title").fill("樣本：夜市重返海濱")
    page.get_by_label("內文 Body").fill("樣本部門今日宣布，樣本夜市本週末重返海濱。")
    # The Simplified Chinese beside the form follows as the Traditional is typed.
    expect(page.locator("#derived-title")).to_have_text("样本：夜市重返海滨")
    screenshot("desk-compose")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/desk/r/*/")
    release = Release.objects.get()
    assert release.state == "draft"

    page.get_by_label("Photo (JPEG, PNG or WebP)").set_input_files(str(photo_file))
    page.get_by_role("button", name="Upload photo").click()
    page.wait_for_selector(".photo-list img")
    page.get_by_label("Caption (English)").fill("Sample: stalls at the waterfront.")
    page.get_by_label("Alt text (English)").fill("Rows of market stalls under lights by the sea.")
    page.get_by_label("Caption (Traditional Chinese)").fill("樣本：海濱的攤檔。")
    page.get_by_label("Alt text (Traditional Chinese)").fill("海邊燈光下的一排排攤檔。")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector("text=saved.")
    assert_accessible(page)
    screenshot("desk-release-draft")
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_selector("text=submitted.")
    sign_out(page)

    # The approver approves it.
    sign_in(page, base, "arthur")
    assert page.get_by_role("link", name=release.reference).count() >= 1
    page.get_by_role("link", name=release.reference).first.click()
    page.get_by_role("link", name="Preview page (en)").click()
    assert "Sample: night market returns to the waterfront" in page.locator("h1").inner_text()
    assert page.locator(".photos img").count() == 1
    screenshot("desk-preview")
    page.go_back()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_selector("text=approved.")
    sign_out(page)

    # The duty editor schedules it ahead.
    sign_in(page, base, "edith")
    page.get_by_role("link", name=release.reference).first.click()
    issue_at = (timezone.now() + SCHEDULE_AHEAD).astimezone(HONG_KONG).replace(microsecond=0)
    page.get_by_label("Issue at (Hong Kong time)").fill(issue_at.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_selector("text=scheduled.")
    release.refresh_from_db()
    assert release.state == "scheduled" and release.issue_instant == issue_at
    page.get_by_role("link", name="Queue").click()
    assert release.reference in page.locator("section", has_text="Coming schedule").inner_text()
    screenshot("desk-schedule")

    public_url = base + release.get_absolute_url("en")
    reader = page.context.new_page()
    assert reader.goto(public_url).status == 404
    reader.goto(base + "/en/")
    assert "Sample: night market" not in reader.content()
    time_machine.move_to(issue_at + dt.timedelta(seconds=1), tick=True)
    response = reader.goto(public_url)
    assert response.status == 200
    assert "Sample: night market returns to the waterfront" in reader.locator("h1").inner_text()
    reader.goto(base + "/en/")
    assert "Sample: night market returns to the waterfront" in reader.content()

    # The editor corrects it; the public page shows the correction.
    page.reload()
    page.get_by_role("link", name=release.reference).first.click()
    page.get_by_label("Body", exact=True).fill(
        "The Sample Department announced today that the sample night market returns to the "
        "waterfront this weekend.\n\nStalls open from 5pm to 11pm."
    )
    page.get_by_label("Correction note (shown to readers with the time)").fill(
        "Sample: the opening time was 5pm, not 6pm."
    )
    screenshot("desk-correct")
    page.get_by_role("button", name="Publish correction").click()
    page.wait_for_selector("text=corrected.")
    # A fresh reader: the first one's browser may keep the page for the site's max-age
    # (pressroom.publiccache.generation: corrections are unplanned, so caches may lag by up to a minute).
    reader = page.context.browser.new_context().new_page()
    reader.goto(public_url)
    correction = reader.locator(".notice-correction").inner_text()
    assert "Sample: the opening time was 5pm, not 6pm." in correction
    assert "Stalls open from 5pm to 11pm." in reader.locator(".release-body").inner_text()

    page.get_by_role("link", name="History").click()
    body_diff = page.locator("pre.diff").first.inner_text()
    assert "-     Stalls open from 6pm to 11pm." in body_diff
    assert "+     Stalls open from 5pm to 11pm." in body_diff
    screenshot("desk-history")
    page.goto(base + f"/desk/r/{release.pk}/audit/")
    steps = page.locator("table.audit tbody tr td:nth-child(4)").all_inner_texts()
    assert steps[:5] == ["correct", "schedule", "approve", "submit", "edit"]
    screenshot("desk-audit")
    page.get_by_role("link", name="Releases").click()
    page.get_by_label("Search").fill("night market")
    page.get_by_role("button", name="Filter").click()
    assert release.reference in page.locator("table.releases").inner_text()
    screenshot("desk-releases")
