"""The local response cache (pressroom.publiccache.handler): cached pages answered before
Django, called as a WSGI server calls it, at a controlled clock. Each answer from it must be
what Django itself would send at that instant, and it must never answer past an issue instant,
a save, or for a request that may not share a copy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from prometheus_client import REGISTRY

from pressroom.publiccache.generation import forget_generation
from pressroom.publiccache.handler import LARGEST_KEPT_PAGE, FinishedResponse, LocalResponseCache
from pressroom.releases.models import ReleaseVersion
from pressroom.workflow import actions
from pressroom.workflow.content import ReleaseContent
from tests.support.clock import hong_kong
from tests.support.factories import FOUR_PM, make_release, morning_and_four_pm
from tests.support.wsgi import WsgiServer

DUE = FOUR_PM


@pytest.fixture
def server():
    with WsgiServer() as running:
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


def test_the_local_cache_answers_exactly_what_django_answered(server, day):
    morning, _ = day
    for url in ("/en/", morning.get_absolute_url("en"), "/zh-hant/2023/11/03/", "/en/2023/11/"):
        first = server.get(url)
        through_django = server.django_requests
        again = server.get(url)
        assert first.status == again.status == "200 OK", url
        assert server.django_requests == through_django, f"{url} went through Django again"
        assert again.headers == first.headers, url
        assert again.body == first.body


def test_the_clock_headers_count_down_as_django_would(server, day, time_machine):
    """The max-age, Last-Modified and X-Accel-Expires are made for each answer: at a later
    second the local cache's answer equals Django's own answer at that second."""
    server.get("/en/")
    time_machine.move_to(hong_kong(2023, 11, 3, 15, 59, 58), tick=False)
    from_local_cache = server.get("/en/")
    server.handler.cache.clear()
    through_django = server.get("/en/")
    assert server.django_requests == 2
    assert from_local_cache.headers == through_django.headers
    assert (
        from_local_cache.headers["Cache-Control"]
        == "public, max-age=0, must-revalidate, s-maxage=2, stale-while-revalidate=1"
    )
    # nginx may keep it through 15:59:58 (a second of micro-cache), never into 16:00:00.
    assert from_local_cache.headers["X-Accel-Expires"] == f"@{int(DUE.timestamp()) - 2}"


def test_a_scheduled_release_appears_at_its_second_and_not_before(server, day, time_machine):
    _, due = day
    for url in ("/en/", "/en/2023/11/03/"):
        server.get(url)
    time_machine.move_to(DUE - dt.timedelta(microseconds=1), tick=False)
    before = server.django_requests
    assert "Sample: at four" not in server.get("/en/").text
    assert server.django_requests == before  # still answered from the local cache
    assert server.get(due.get_absolute_url("en")).status.startswith("404")
    time_machine.move_to(DUE, tick=False)
    assert "Sample: at four" in server.get("/en/").text
    assert "Sample: at four" in server.get("/en/2023/11/03/").text
    assert server.get(due.get_absolute_url("en")).status == "200 OK"


@pytest.mark.django_db(transaction=True)
def test_a_correction_in_this_process_shows_at_once(server, people, settled_morning):
    """With the process's generation in use (outside a test transaction), a save
    here is seen by the very next request."""
    morning = settled_morning
    url = morning.get_absolute_url("en")
    server.get(url)
    assert "Sample: this morning" in server.get(url).text
    content = ReleaseContent.of(morning)
    content.languages["en"].title = "Sample: this morning, corrected"
    actions.CorrectRelease(
        morning, people["editor"], note="Sample: title fixed.", content=content
    ).execute()
    assert "Sample: this morning, corrected" in server.get(url).text


@pytest.mark.django_db(transaction=True)
def test_a_save_by_another_process_shows_once_the_generation_is_read_again(
    server, settings, settled_morning
):
    """Another process's save is not signalled here: it shows once this process reads the
    generation again (every PRESSROOM_GENERATION_REREAD_MS; perf_counter is not frozen, so the
    two ends are tried: a reread time that has not passed, and one of 0)."""
    settings.PRESSROOM_GENERATION_REREAD_MS = 60_000
    morning = settled_morning
    url = morning.get_absolute_url("en")
    server.get(url)
    assert "Sample: this morning" in server.get(url).text
    saved = hong_kong(2023, 11, 3, 12, 0, 2)  # settled: 3 s before the clock
    with connection.cursor() as cursor:  # as another process would: no signal reaches here
        table = ReleaseVersion._meta.db_table
        cursor.execute(f"UPDATE {table} SET title = %s WHERE release_id = %s AND language = 'en'",
                       ["Sample: changed elsewhere", morning.pk])  # fmt: skip
        cursor.execute("UPDATE releases_release SET updated_at = %s WHERE id = %s",
                       [connection.ops.adapt_datetimefield_value(saved), morning.pk])  # fmt: skip
    assert "Sample: changed elsewhere" not in server.get(url).text  # the generation still held
    settings.PRESSROOM_GENERATION_REREAD_MS = 0
    forget_generation()  # the reread time set above ends here, as it would have by the clock
    assert "Sample: changed elsewhere" in server.get(url).text


def test_requests_that_may_not_share_a_copy_go_through_django(server, day):
    morning, _ = day
    url = morning.get_absolute_url("en")
    first = server.get(url)
    for headers in (
        {"HTTP_COOKIE": "sessionid=sample"},
        {"HTTP_AUTHORIZATION": "Bearer sample"},
        {"HTTP_IF_NONE_MATCH": first.headers["ETag"]},
    ):
        before = server.django_requests
        answer = server.get(url, **headers)
        assert server.django_requests == before + 1, headers
    assert answer.status.startswith("304")
    before = server.django_requests
    server.get(url, REQUEST_METHOD="HEAD")
    assert server.django_requests == before + 1
    # A host Django refuses is refused every time, never answered from a cached copy.
    assert server.get(url, HTTP_HOST="elsewhere.example").status.startswith("400")
    assert server.get(url, HTTP_HOST="elsewhere.example").status.startswith("400")
    # Another query string is another page.
    before = server.django_requests
    assert server.get(url, QUERY_STRING="from=sample").status == "200 OK"
    assert server.django_requests == before + 1


def test_a_page_django_did_not_cache_is_not_kept(server, day):
    _, due = day
    for _ in range(2):
        assert server.get(due.get_absolute_url("en")).status.startswith("404")
    assert len(server.handler.cache) == 0
    assert server.get("/en/search/?q=sample").status == "200 OK"  # search pages are not kept
    before = server.django_requests
    server.get("/en/search/?q=sample")
    assert server.django_requests == before + 1


def test_answers_from_the_local_cache_are_counted_in_the_metrics(server, day):
    morning, _ = day
    url = morning.get_absolute_url("en")

    def answered() -> float:
        labels = {"route": "site:release", "method": "GET", "status": "200"}
        return REGISTRY.get_sample_value("pressroom_http_requests_total", labels) or 0.0

    server.get(url)
    before = answered()
    server.get(url)
    server.get(url)
    assert answered() == before + 2


def test_the_local_cache_keeps_within_its_budget():
    pages = LocalResponseCache(budget_bytes=10_000)

    def page(size: int) -> FinishedResponse:
        return FinishedResponse(headers=(), body=b"x" * size, route="site:release", expires_at=0.0)

    for number in range(5):
        pages.put((f"/page/{number}", "generation"), page(2_000))
    pages.get(("/page/0", "generation"))  # asked for again: kept over /page/1
    pages.put(("/page/5", "generation"), page(2_000))
    assert pages.size <= 10_000
    assert pages.get(("/page/0", "generation")) is not None
    assert pages.get(("/page/1", "generation")) is None
    pages.put(("/huge", "generation"), page(5_000))  # over a quarter of the budget: not kept
    assert pages.get(("/huge", "generation")) is None
    roomy = LocalResponseCache(budget_bytes=32 * 1024 * 1024)
    roomy.put(("/sitemap-releases.xml", "generation"), page(LARGEST_KEPT_PAGE + 1))  # a crawler's
    roomy.put(("/en/feeds/releases.rss", "generation"), page(100_000))
    assert roomy.get(("/sitemap-releases.xml", "generation")) is None
    assert roomy.get(("/en/feeds/releases.rss", "generation")) is not None


def test_the_handler_is_what_wsgi_servers_run():
    import pressroom.wsgi
    from pressroom.publiccache.handler import PublicCacheHandler

    assert isinstance(pressroom.wsgi.application, PublicCacheHandler)
