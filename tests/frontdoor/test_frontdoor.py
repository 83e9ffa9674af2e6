"""The front door (pressroom.frontdoor): kept pages answered before Django, called as a WSGI
server calls it, at a controlled clock. Each answer at the door must be what Django itself
would send at that instant, and the door must never answer past an issue instant, a save, or
for a request that may not share a copy."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from prometheus_client import REGISTRY

from pressroom.frontdoor import LARGEST_KEPT_PAGE, FinishedPage, FinishedPages
from pressroom.releases.models import ReleaseVersion
from pressroom.workflow import actions
from pressroom.workflow.content import ReleaseContent
from tests.frontdoor.wsgi import Door
from tests.site.factories import FOUR_PM, hong_kong, make_release, morning_and_four_pm

DUE = FOUR_PM


@pytest.fixture
def door():
    with Door() as running:
        yield running


@pytest.fixture
def day(time_machine, db):
    """A morning release, and one scheduled for 16:00:00 an hour before it is due."""
    return morning_and_four_pm(time_machine, clock_at=hong_kong(2023, 11, 3, 15, 59, 57))


@pytest.fixture
def settled_morning(time_machine):
    """A morning release saved at noon, the clock at 12:00:05 (its pages may be kept)."""
    time_machine.move_to(hong_kong(2023, 11, 3, 12, 0, 0), tick=False)
    morning = make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: this morning")
    time_machine.move_to(hong_kong(2023, 11, 3, 12, 0, 5), tick=False)
    return morning


def test_the_door_answers_exactly_what_django_answered(door, day):
    morning, _ = day
    for url in ("/en/", morning.get_absolute_url("en"), "/zh-hant/2023/11/03/", "/en/2023/11/"):
        first = door.get(url)
        through_django = door.django_requests
        again = door.get(url)
        assert first.status == again.status == "200 OK", url
        assert door.django_requests == through_django, f"{url} went through Django again"
        assert again.headers == first.headers, url
        assert again.body == first.body


def test_the_clock_headers_count_down_as_django_would(door, day, time_machine):
    """The max-age, Last-Modified and X-Accel-Expires are made for each answer: at a later
    second the door's answer equals Django's own answer at that second."""
    door.get("/en/")
    time_machine.move_to(hong_kong(2023, 11, 3, 15, 59, 58), tick=False)
    at_the_door = door.get("/en/")
    door.handler.door.pages.clear()
    through_django = door.get("/en/")
    assert door.django_requests == 2
    assert at_the_door.headers == through_django.headers
    assert (
        at_the_door.headers["Cache-Control"]
        == "public, max-age=0, must-revalidate, s-maxage=2, stale-while-revalidate=1"
    )
    # nginx may keep it through 15:59:58 (a second of micro-cache), never into 16:00:00.
    assert at_the_door.headers["X-Accel-Expires"] == f"@{int(DUE.timestamp()) - 2}"


def test_a_scheduled_release_appears_at_its_second_and_not_before(door, day, time_machine):
    _, due = day
    for url in ("/en/", "/en/2023/11/03/"):
        door.get(url)
    time_machine.move_to(DUE - dt.timedelta(microseconds=1), tick=False)
    before = door.django_requests
    assert "Sample: at four" not in door.get("/en/").text
    assert door.django_requests == before  # still answered at the door
    assert door.get(due.get_absolute_url("en")).status.startswith("404")
    time_machine.move_to(DUE, tick=False)
    assert "Sample: at four" in door.get("/en/").text
    assert "Sample: at four" in door.get("/en/2023/11/03/").text
    assert door.get(due.get_absolute_url("en")).status == "200 OK"


@pytest.mark.django_db(transaction=True)
def test_a_correction_in_this_process_shows_at_once(door, people, settled_morning):
    """With the process's publication reading in use (outside a test transaction), a save
    here is seen by the very next request."""
    morning = settled_morning
    url = morning.get_absolute_url("en")
    door.get(url)
    assert "Sample: this morning" in door.get(url).text
    content = ReleaseContent.of(morning)
    content.languages["en"].title = "Sample: this morning, corrected"
    actions.CorrectRelease(
        morning, people["editor"], note="Sample: title fixed.", content=content
    ).execute()
    assert "Sample: this morning, corrected" in door.get(url).text


@pytest.mark.django_db(transaction=True)
def test_a_save_by_another_process_shows_within_the_reread_time(door, settings, settled_morning):
    """Another process's save is not signalled here: it shows once the reading is taken
    again, PRESSROOM_EPOCH_REREAD_MS later (real time: perf_counter is not frozen)."""
    settings.PRESSROOM_EPOCH_REREAD_MS = 200
    morning = settled_morning
    url = morning.get_absolute_url("en")
    door.get(url)
    assert "Sample: this morning" in door.get(url).text
    saved = hong_kong(2023, 11, 3, 12, 0, 2)  # settled: 3 s before the clock
    with connection.cursor() as cursor:  # as another process would: no signal reaches here
        table = ReleaseVersion._meta.db_table
        cursor.execute(f"UPDATE {table} SET title = %s WHERE release_id = %s AND language = 'en'",
                       ["Sample: changed elsewhere", morning.pk])  # fmt: skip
        cursor.execute("UPDATE releases_release SET updated_at = %s WHERE id = %s",
                       [connection.ops.adapt_datetimefield_value(saved), morning.pk])  # fmt: skip
    deadline = time.perf_counter() + 0.2 + 1.0  # the reread time, and a busy machine's second
    while "Sample: changed elsewhere" not in door.get(url).text:
        assert time.perf_counter() < deadline, "another process's save never showed"
        time.sleep(0.02)


def test_requests_that_may_not_share_a_copy_go_through_django(door, day):
    morning, _ = day
    url = morning.get_absolute_url("en")
    first = door.get(url)
    for headers in (
        {"HTTP_COOKIE": "sessionid=sample"},
        {"HTTP_AUTHORIZATION": "Bearer sample"},
        {"HTTP_IF_NONE_MATCH": first.headers["ETag"]},
    ):
        before = door.django_requests
        answer = door.get(url, **headers)
        assert door.django_requests == before + 1, headers
    assert answer.status.startswith("304")
    before = door.django_requests
    door.get(url, REQUEST_METHOD="HEAD")
    assert door.django_requests == before + 1
    # A host Django refuses is refused every time, never answered from a kept copy.
    assert door.get(url, HTTP_HOST="elsewhere.example").status.startswith("400")
    assert door.get(url, HTTP_HOST="elsewhere.example").status.startswith("400")
    # Another query string is another page.
    before = door.django_requests
    assert door.get(url, QUERY_STRING="from=sample").status == "200 OK"
    assert door.django_requests == before + 1


def test_a_page_not_kept_by_django_is_not_kept_at_the_door(door, day):
    _, due = day
    for _ in range(2):
        assert door.get(due.get_absolute_url("en")).status.startswith("404")
    assert len(door.handler.door.pages) == 0
    assert door.get("/en/search/?q=sample").status == "200 OK"  # search pages are not kept
    before = door.django_requests
    door.get("/en/search/?q=sample")
    assert door.django_requests == before + 1


def test_answers_at_the_door_are_counted_in_the_metrics(door, day):
    morning, _ = day
    url = morning.get_absolute_url("en")

    def answered() -> float:
        labels = {"route": "site:release", "method": "GET", "status": "200"}
        return REGISTRY.get_sample_value("pressroom_http_requests_total", labels) or 0.0

    door.get(url)
    before = answered()
    door.get(url)
    door.get(url)
    assert answered() == before + 2


def test_finished_pages_keep_within_their_budget():
    pages = FinishedPages(budget_bytes=10_000)

    def page(size: int) -> FinishedPage:
        return FinishedPage(headers=(), body=b"x" * size, route="site:release", until=0.0)

    for number in range(5):
        pages.put((f"/page/{number}", "epoch"), page(2_000))
    pages.get(("/page/0", "epoch"))  # asked for again: kept over /page/1
    pages.put(("/page/5", "epoch"), page(2_000))
    assert pages.size <= 10_000
    assert pages.get(("/page/0", "epoch")) is not None
    assert pages.get(("/page/1", "epoch")) is None
    pages.put(("/huge", "epoch"), page(5_000))  # over a quarter of the budget: not kept
    assert pages.get(("/huge", "epoch")) is None
    roomy = FinishedPages(budget_bytes=32 * 1024 * 1024)
    roomy.put(("/sitemap-releases.xml", "epoch"), page(LARGEST_KEPT_PAGE + 1))  # a crawler's
    roomy.put(("/en/feeds/releases.rss", "epoch"), page(100_000))
    assert roomy.get(("/sitemap-releases.xml", "epoch")) is None
    assert roomy.get(("/en/feeds/releases.rss", "epoch")) is not None


def test_the_door_is_what_wsgi_servers_run():
    import pressroom.wsgi
    from pressroom.frontdoor import FrontDoorHandler

    assert isinstance(pressroom.wsgi.application, FrontDoorHandler)
