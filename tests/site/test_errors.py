"""Bad addresses get the site's own 404 page, never a 500; a database outage a 503."""

import json

import pytest
from django.test import Client

from tests.support.clock import ManualClock, hong_kong
from tests.support.factories import make_release

pytestmark = pytest.mark.django_db

BAD_URLS = [
    "/fr/",
    "/EN/",
    "/en/2023/02/30/",
    "/en/2023/13/01/",
    "/en/0000/01/01/",
    "/en/2023/00/",
    "/en/2023/13/",
    "/en/1899/12/",
    "/en/9999/12/31/",
    "/en/2023/11/04/",  # tomorrow
    "/en/2023/12/",  # next month
    "/en/2023/11/3/",
    "/en/23/11/03/",
    "/en/2023/11/03/NOSUCHREF/",
    "/en/2023/11/03/P2023110399999/",
    "/en/2023/11/03/P2023110399999.txt",
    "/en/2023/02/30/P2023110300001/",
    "/en/2023/11/03/P20231103%00001/",
    "/en/2023/11/03/P2023110300001/extra/",
    "/en/2023/11/03/%ff%fe/",
    "/en/2023/11/03/" + "P" * 200 + "/",
    "/en/2023/11/03/<script>/",
    "/en/go/?date=%00",
    "/en/go/?date=99999-01-01",
    "/en/go/",
    "/nonsense/path/here",
]


@pytest.fixture
def release(clock):
    return make_release(hong_kong(2023, 11, 3, 16, 0), reference="P2023110300001")


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_addresses_are_styled_404s(client, release, url):
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert '<link rel="stylesheet" href="/static/site/site.css">' in page


def test_the_404_page_speaks_the_language_of_the_address(client, release):
    page = client.get("/zh-hans/2023/02/30/").content.decode()
    assert '<html lang="zh-Hans">' in page and "找不到网页" in page


def test_the_500_page_is_styled_and_needs_no_database(rf):
    from pressroom.site.views import server_error

    response = server_error(rf.get("/zh-hant/2023/11/03/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "系統出現問題" in page and 'href="/static/site/site.css"' in page


def test_a_failing_view_gives_the_styled_500(release):
    """The handler500 wiring, shown with a body stored outside the services (an unknown block)."""
    release.versions.filter(language="en").update(body=[{"kind": "no-such-kind"}])
    client = Client(raise_request_exception=False)
    response = client.get(release.get_absolute_url("en"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def _database_error():
    """A real one: the SQLite driver, through Django, refused a file it cannot open."""
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": "/nonexistent-folder/pressroom.sqlite3",
            }
        }
    )
    try:
        handler["default"].ensure_connection()
    except Exception as error:  # noqa: BLE001 (the test checks which one below)
        return error
    raise AssertionError("the database opened")


def test_a_database_that_does_not_answer_gives_a_503_not_a_500(rf):
    from django.db import OperationalError

    from pressroom.site.views import server_error

    error = _database_error()
    assert isinstance(error, OperationalError)
    try:
        raise error
    except OperationalError:
        page = server_error(rf.get("/zh-hant/2023/11/03/"))
        api = server_error(rf.get("/api/v1/releases"))
    assert page.status_code == api.status_code == 503
    assert page["Retry-After"] == api["Retry-After"] == "5"
    assert page["Cache-Control"] == api["Cache-Control"] == "no-store"
    assert (
        "暫時未能提供服務" in page.content.decode()
        and 'href="/static/site/site.css"' in page.content.decode()
    )
    assert json.loads(api.content) == {
        "detail": "the database is briefly unavailable: try again in a few seconds"
    }
    # Any other failure is still a 500.
    assert server_error(rf.get("/en/")).status_code == 500


def _unavailable_then(answers: list):
    """A get_response that answers each request with the next of `answers`: "down" (the
    database-unavailable 503, made as Django makes it, inside the except block) or a response."""
    from django.db import OperationalError

    from pressroom.site.views import server_error

    calls = []

    def get_response(request):
        calls.append(request.method)
        answer = answers[min(len(calls), len(answers)) - 1]
        if answer != "down":
            return answer
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            return server_error(request)

    return get_response, calls


def test_a_read_waits_for_a_database_that_is_restarting(rf, settings, monkeypatch):
    from django.http import HttpResponse

    from pressroom.ops import middleware
    from pressroom.ops.middleware import WaitForDatabaseMiddleware

    ManualClock().install(monkeypatch, middleware)
    settings.PRESSROOM_DATABASE_WAIT_MS = 2000
    get_response, calls = _unavailable_then(["down", "down", HttpResponse("the page")])
    response = WaitForDatabaseMiddleware(get_response)(rf.get("/en/2023/11/03/"))
    assert response.status_code == 200 and response.content == b"the page"
    assert len(calls) == 3


def test_a_database_still_away_after_the_wait_gives_the_503(rf, settings, monkeypatch):
    from pressroom.ops import middleware
    from pressroom.ops.middleware import WaitForDatabaseMiddleware

    clock = ManualClock().install(monkeypatch, middleware)
    settings.PRESSROOM_DATABASE_WAIT_MS = 300
    get_response, calls = _unavailable_then(["down"])
    response = WaitForDatabaseMiddleware(get_response)(rf.get("/en/"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    # Asked again after each pause until the wait was used up, and not once more.
    retry = WaitForDatabaseMiddleware.RETRY_SECONDS
    assert len(calls) == len(clock.slept) + 1 and set(clock.slept) == {retry}
    assert 0.3 <= sum(clock.slept) < 0.3 + retry


def test_writes_and_other_failures_are_never_asked_again(rf, settings):
    from django.http import HttpResponse

    from pressroom.ops.middleware import WaitForDatabaseMiddleware
    from pressroom.site.views import server_error

    settings.PRESSROOM_DATABASE_WAIT_MS = 2000
    get_response, calls = _unavailable_then(["down", HttpResponse("done twice")])
    assert WaitForDatabaseMiddleware(get_response)(rf.post("/desk/")).status_code == 503
    assert calls == ["POST"]

    def failing(request):
        calls.append(request.method)
        try:
            raise ValueError("a bug, not an outage")
        except ValueError:
            return server_error(request)

    calls.clear()
    assert WaitForDatabaseMiddleware(failing)(rf.get("/en/")).status_code == 500
    assert calls == ["GET"]
