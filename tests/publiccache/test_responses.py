"""The response cache (pressroom.publiccache.responses) at a controlled clock: pages served
without rendering, and never early or stale past an issue instant, a correction, a withdrawal or
Hong Kong midnight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pressroom.publiccache import responses
from pressroom.publiccache.generation import Freshness
from pressroom.workflow import actions
from pressroom.workflow.content import ReleaseContent
from tests.support.cache_headers import lifetime
from tests.support.clock import hong_kong
from tests.support.factories import FOUR_PM, make_release, morning_and_four_pm

pytestmark = pytest.mark.django_db

DUE = FOUR_PM


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response, len(captured.captured_queries)


@pytest.fixture
def day(time_machine):
    """A morning release, and one scheduled for 16:00:00 an hour before it is due."""
    return morning_and_four_pm(time_machine, clock_at=hong_kong(2023, 11, 3, 15, 59, 58))


def test_the_second_request_is_answered_without_rendering(client, day):
    morning, _ = day
    for url in ("/en/", morning.get_absolute_url("en"), "/en/2023/11/03/", "/en/2023/11/"):
        first, rendering = queries_for(client, url)
        again, cached = queries_for(client, url)
        assert first.status_code == again.status_code == 200, url
        assert cached == 1 < rendering, url  # only the generation query
        assert again.content == first.content
        assert again["ETag"] == first["ETag"] and again["Last-Modified"] == first["Last-Modified"]
        assert again["Content-Type"] == first["Content-Type"]


def test_a_cached_page_answers_conditional_requests_and_counts_down_its_lifetime(
    client, day, time_machine
):
    first = client.get("/en/")
    assert lifetime(first) == 2
    time_machine.move_to(hong_kong(2023, 11, 3, 15, 59, 59), tick=False)
    again, cached = queries_for(client, "/en/", **{"If-None-Match": first["ETag"]})
    assert cached == 1 and again.status_code == 304
    assert lifetime(again) == 1


def test_a_scheduled_release_appears_at_its_second_and_not_before(client, day, time_machine):
    morning, due = day
    pages = ["/en/", "/en/2023/11/03/", "/zh-hant/", "/en/2023/11/"]
    for url in pages:
        client.get(url)  # cached before the instant
    time_machine.move_to(DUE - dt.timedelta(microseconds=1), tick=False)
    assert "Sample: at four" not in client.get("/en/").content.decode()
    assert client.get(due.get_absolute_url("en")).status_code == 404
    time_machine.move_to(DUE, tick=False)
    assert "Sample: at four" in client.get("/en/").content.decode()
    assert "Sample: at four" in client.get("/en/2023/11/03/").content.decode()
    assert "樣本：展覽開幕" in client.get("/zh-hant/").content.decode()
    assert client.get(due.get_absolute_url("en")).status_code == 200


def test_a_page_that_may_show_the_next_change_is_not_cached(day, rf, time_machine):
    """The view reads its own clock after the generation was read: if that crossed the
    instant, the page may show the new release, and must not be filed under the old key."""
    request = rf.get("/en/")
    freshness = Freshness(DUE - dt.timedelta(seconds=3))
    time_machine.move_to(DUE, tick=False)
    assert responses.store(request, _page(), freshness) is None
    time_machine.move_to(DUE - dt.timedelta(milliseconds=1), tick=False)
    assert responses.store(request, _page(), freshness) is None  # under a second left
    assert responses.get(request, freshness) is None
    time_machine.move_to(DUE - dt.timedelta(seconds=3), tick=False)
    assert responses.store(request, _page(), freshness) is not None  # the same page, in time
    assert responses.get(request, freshness).body == _page().content


def test_a_correction_shows_at_once(client, day, people, time_machine):
    morning, _ = day
    url = morning.get_absolute_url("en")
    assert "Sample: this morning" in client.get(url).content.decode()
    client.get("/en/")
    content = ReleaseContent.of(morning)
    content.languages["en"].title = "Sample: this morning, corrected"
    actions.CorrectRelease(
        morning, people["editor"], note="Sample: title fixed.", content=content
    ).execute()
    page = client.get(url).content.decode()
    assert "Sample: this morning, corrected" in page and "Sample: title fixed." in page
    assert "Sample: this morning, corrected" in client.get("/en/").content.decode()


def test_a_withdrawal_shows_at_once(client, day, people):
    morning, _ = day
    url = morning.get_absolute_url("en")
    before = client.get(url).content.decode()
    actions.WithdrawRelease(morning, people["editor"], reason="Sample: issued in error.").execute()
    after = client.get(url).content.decode()
    assert "Sample: issued in error." in after and after != before


def test_rescheduling_earlier_shows_at_the_new_instant(client, day, people, time_machine):
    _, due = day
    client.get("/en/")
    earlier = hong_kong(2023, 11, 3, 15, 59, 59)
    actions.UnscheduleRelease(due, people["editor"]).execute()
    due.refresh_from_db()
    actions.ScheduleRelease(due, people["editor"], issue_instant=earlier).execute()
    assert "Sample: at four" not in client.get("/en/").content.decode()
    time_machine.move_to(earlier, tick=False)
    assert "Sample: at four" in client.get("/en/").content.decode()


def test_nothing_is_cached_in_the_moments_after_a_save(client, time_machine):
    """A transaction commits a moment after its save time (see SETTLE_SECONDS)."""
    time_machine.move_to(hong_kong(2023, 11, 3, 12, 0, 0), tick=False)
    make_release(hong_kong(2023, 11, 3, 9, 0))
    time_machine.move_to(hong_kong(2023, 11, 3, 12, 0, 1), tick=False)
    client.get("/en/")
    _, second = queries_for(client, "/en/")
    assert second > 1
    time_machine.move_to(hong_kong(2023, 11, 3, 12, 0, 2), tick=False)
    client.get("/en/")
    _, third = queries_for(client, "/en/")
    assert third == 1


def test_midnight_in_hong_kong_moves_today_on(client, time_machine):
    time_machine.move_to(hong_kong(2023, 11, 3, 23, 0, 0), tick=False)
    make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: yesterday's news")
    time_machine.move_to(hong_kong(2023, 11, 3, 23, 59, 58), tick=False)
    assert "Sample: yesterday&#x27;s news" in client.get("/en/").content.decode()
    assert lifetime(client.get("/en/")) == 2
    time_machine.move_to(hong_kong(2023, 11, 4, 0, 0, 0), tick=False)
    assert "Sample: yesterday&#x27;s news" not in client.get("/en/").content.decode()


def test_people_with_a_session_or_credentials_are_not_served_shared_copies(client, day):
    client.get("/en/")
    client.cookies["sessionid"] = "anything"
    _, with_session = queries_for(client, "/en/")
    assert with_session > 1
    del client.cookies["sessionid"]
    _, with_token = queries_for(client, "/en/", Authorization="Bearer sample")
    assert with_token > 1


def test_pages_are_cached_per_address(client, day):
    english = client.get("/en/").content.decode()
    chinese = client.get("/zh-hant/").content.decode()
    assert english != chinese
    assert client.get("/en/").content.decode() == english
    assert client.get("/en/?utm=x").status_code == 200


def test_not_found_is_never_cached(client, day, time_machine):
    _, due = day
    assert client.get(due.get_absolute_url("en")).status_code == 404
    _, again = queries_for(client, due.get_absolute_url("en"))
    assert again > 1


def test_the_generation_key_changes_exactly_at_the_instant_at_midnight_and_on_a_save(day, people):
    morning, _ = day
    before = Freshness(DUE - dt.timedelta(microseconds=1)).key
    assert Freshness(hong_kong(2023, 11, 3, 15, 0, 1)).key == before  # nothing in between
    assert Freshness(DUE).key != before
    assert (
        Freshness(hong_kong(2023, 11, 3, 23, 59, 59)).key
        != Freshness(hong_kong(2023, 11, 4, 0, 0, 0)).key
    )
    actions.WithdrawRelease(morning, people["editor"], reason="Sample: issued in error.").execute()
    assert Freshness(DUE - dt.timedelta(microseconds=1)).key != before


def test_a_draft_saved_moves_the_generation_key_too(day, people, sample_department):
    """Leaving the public states is a save as well (no copy outlives an unpublished page)."""
    before = Freshness(hong_kong(2023, 11, 3, 15, 59, 58)).key
    actions.create_release(people["writer"], sample_department, ReleaseContent.of(day[0]))
    assert Freshness(hong_kong(2023, 11, 3, 15, 59, 58)).key != before


@pytest.mark.django_db(transaction=True)
def test_a_crowd_asking_at_once_gets_one_rendering(day):
    """Requests for the same page that arrive while it is being rendered wait for that
    rendering and answer with its bytes (responses.single_flight), as at an issue instant."""
    import threading

    from django.db import connections
    from django.test import Client
    from django.test.signals import template_rendered

    renderings, lock = [], threading.Lock()

    def count(sender, template, **kwargs):
        if template.name == "site/day.html":
            with lock:
                renderings.append(threading.get_ident())

    crowd = 8
    start = threading.Barrier(crowd)
    answers: list = [None] * crowd

    def ask(number: int) -> None:
        try:
            start.wait()
            answers[number] = Client().get("/en/")
        finally:
            connections.close_all()

    template_rendered.connect(count)
    try:
        threads = [threading.Thread(target=ask, args=(number,)) for number in range(crowd)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        template_rendered.disconnect(count)
    assert all(answer is not None and answer.status_code == 200 for answer in answers)
    assert len({answer.content for answer in answers}) == 1
    assert len({answer["ETag"] for answer in answers}) == 1
    # One rendering; a thread slow enough to arrive after the page was cached reads it instead.
    assert len(renderings) == 1, len(renderings)


def test_requests_with_a_session_never_share_a_rendering(rf, day):
    """A logged-in reader's page is theirs: single_flight renders it, whatever is in flight."""
    request = rf.get("/en/", HTTP_COOKIE="sessionid=abc")
    rendered = []
    response = responses.single_flight(
        request, Freshness(timezone.now()), lambda: rendered.append(1) or _page()
    )
    assert rendered == [1] and response.status_code == 200


def _page():
    """A page as public_cache finishes it: shared caches may keep it."""
    from django.http import HttpResponse

    return HttpResponse(b"<p>Sample page</p>", headers={"Cache-Control": "public, s-maxage=60"})
