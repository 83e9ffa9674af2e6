"""HTTP caching that respects the clock: ETag, Last-Modified, 304s, and a max-age that never
lets a cache keep a page past the next scheduled issue instant (or Hong Kong midnight)."""

from __future__ import annotations

import datetime as dt

import pytest

from pressroom.publiccache.generation import MAX_AGE_SECONDS, next_issue_instant_after
from pressroom.releases.models import ReleaseState
from tests.support.cache_headers import lifetime
from tests.support.clock import hong_kong
from tests.support.factories import make_release

pytestmark = pytest.mark.django_db

DUE = hong_kong(2023, 11, 3, 16, 0, 0)


@pytest.fixture
def scheduled(time_machine):
    time_machine.move_to(hong_kong(2023, 11, 3, 15, 59, 50), tick=False)
    make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: this morning")
    return make_release(DUE, title="Sample: at four", state=ReleaseState.SCHEDULED)


def public_reads(release) -> list[str]:
    return [
        "/",
        "/en/",
        "/zh-hant/2023/11/03/",
        "/en/2023/11/",
        release.get_absolute_url("en"),
        release.get_wire_url("en"),
        "/en/feeds/releases.rss",
        "/feeds/releases.json",
        "/en/feeds/departments/sample.atom",
        "/sitemap.xml",
        "/sitemap-releases.xml",
        "/sitemap-news.xml",
        "/api/v1/releases",
        f"/api/v1/releases/{release.reference}",
        f"/api/v1/releases/{release.reference}/wire",
        "/api/v1/changes?since=2023-11-03T00:00:00%2B08:00",
    ]


def test_todays_index_ten_seconds_before_a_release_is_due(client, scheduled):
    response = client.get("/en/")
    assert response.status_code == 200
    assert lifetime(response) == 10
    assert "public" in response["Cache-Control"]


def test_every_public_read_is_capped_and_has_validators(client, scheduled, time_machine):
    morning = make_release(hong_kong(2023, 11, 3, 10, 0))
    for url in public_reads(morning):
        response = client.get(url)
        assert response.status_code == 200, url
        assert lifetime(response) <= 10, url
        assert response.has_header("ETag"), url
        assert response.has_header("Last-Modified"), url
    time_machine.move_to(DUE - dt.timedelta(seconds=1), tick=False)
    assert lifetime(client.get("/api/v1/releases")) == 1
    time_machine.move_to(DUE - dt.timedelta(milliseconds=400), tick=False)
    assert lifetime(client.get("/en/feeds/releases.rss")) == 0  # rounded down, never past it


def test_a_release_not_yet_due_is_a_404_that_expires_when_it_appears(client, scheduled):
    response = client.get(scheduled.get_absolute_url("en"))
    assert response.status_code == 404
    assert lifetime(response) == 10
    response = client.get(f"/api/v1/releases/{scheduled.reference}")
    assert response.status_code == 404 and lifetime(response) == 10


def test_without_anything_scheduled_the_lifetime_is_the_default(client, time_machine):
    time_machine.move_to(hong_kong(2023, 11, 3, 12, 0), tick=False)
    make_release(hong_kong(2023, 11, 3, 9, 0))
    assert lifetime(client.get("/en/")) == MAX_AGE_SECONDS


def test_midnight_in_hong_kong_ends_the_lifetime(client, time_machine):
    time_machine.move_to(hong_kong(2023, 11, 3, 23, 59, 30), tick=False)
    make_release(hong_kong(2023, 11, 3, 9, 0))
    assert lifetime(client.get("/en/")) == 30


def test_a_scheduled_release_in_the_past_or_a_draft_does_not_cap(client, time_machine):
    time_machine.move_to(hong_kong(2023, 11, 3, 12, 0), tick=False)
    make_release(hong_kong(2023, 11, 3, 12, 0, 5), state=ReleaseState.DRAFT)
    make_release(hong_kong(2023, 11, 3, 12, 0, 5), state=ReleaseState.APPROVED)
    assert next_issue_instant_after(hong_kong(2023, 11, 3, 12, 0)) is None
    assert lifetime(client.get("/en/")) == MAX_AGE_SECONDS


def test_conditional_requests_get_304(client, scheduled):
    for url in ("/en/2023/11/03/", "/en/feeds/releases.atom", "/api/v1/releases"):
        first = client.get(url)
        etag, last_modified = first["ETag"], first["Last-Modified"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.content == b""
        assert lifetime(again) == 10
        assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304, url
        assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_page_changes_at_the_instant_and_the_validators_with_it(
    client, scheduled, time_machine
):
    before = client.get("/en/")
    time_machine.move_to(DUE, tick=False)
    after = client.get(
        "/en/",
        headers={"If-None-Match": before["ETag"], "If-Modified-Since": before["Last-Modified"]},
    )
    assert after.status_code == 200
    assert "Sample: at four" in after.content.decode()
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] == "Fri, 03 Nov 2023 08:00:00 GMT"
    assert (
        client.get("/en/", headers={"If-Modified-Since": before["Last-Modified"]}).status_code
        == 200
    )


def test_a_kept_page_lets_a_front_cache_hand_out_its_copy_while_it_fetches_the_next(
    client, scheduled
):
    """stale-while-revalidate (PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS): nginx sends one
    request per expired page to the app, not the whole crowd; a 304 repeats it."""
    first = client.get("/en/")
    kept = "public, max-age=0, must-revalidate, s-maxage=10, stale-while-revalidate=1"
    assert first["Cache-Control"] == kept
    again = client.get("/en/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == kept


def test_browsers_revalidate_every_time_and_shared_caches_keep_the_lifetime(client, scheduled):
    """A browser keeps a copy from when it gets it, and nginx sends no Age: a copy that spent
    part of its lifetime in the micro-cache must not be kept by the browser for all of it."""
    control = client.get("/en/2023/11/03/")["Cache-Control"]
    directives = [part.strip() for part in control.split(",")]
    assert "max-age=0" in directives and "must-revalidate" in directives
    assert "s-maxage=10" in directives


def test_the_last_second_before_an_instant_is_kept_by_nginx_alone(client, scheduled, time_machine):
    """300 ms before the instant: no whole second is left, so shared caches and browsers are
    told to keep nothing (and no stale copy is allowed), but nginx may keep the page through
    the second it is in, which ends at the instant itself. X-Accel-Expires comes before
    Cache-Control, or nginx 1.22 would take max-age=0 as the last word."""
    time_machine.move_to(DUE - dt.timedelta(milliseconds=300), tick=False)
    response = client.get("/en/")
    assert response["Cache-Control"] == "public, max-age=0"
    assert response["X-Accel-Expires"] == f"@{int(DUE.timestamp()) - 1}"
    names = [name.lower() for name, _ in response.items()]
    assert names.index("x-accel-expires") < names.index("cache-control")


def test_stale_copies_can_be_turned_off(client, scheduled, settings):
    settings.PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS = 0
    assert client.get("/en/")["Cache-Control"] == "public, max-age=0, must-revalidate, s-maxage=10"


def test_writes_are_not_cached(client, scheduled):
    response = client.post("/api/v1/releases", {}, content_type="application/json")
    assert response.status_code == 401
    assert not response.has_header("ETag")
