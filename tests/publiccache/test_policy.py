"""The share policy (pressroom.publiccache.policy) and the layers that ask it: the response
cache, single-flight, the local response cache before Django, the X-Accel-Expires for nginx and
the nginx configuration all follow the one rule, the session cookie's name from settings."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from pressroom.publiccache import policy
from tests.support.clock import hong_kong
from tests.support.factories import make_release
from tests.support.wsgi import WsgiServer

PUBLIC = "public, max-age=0, must-revalidate, s-maxage=30"


def _answer(cache_control: str = PUBLIC, **headers) -> HttpResponse:
    return HttpResponse(b"<p>Sample</p>", headers={"Cache-Control": cache_control, **headers})


@pytest.mark.parametrize(
    ("method", "headers", "shared"),
    [
        ("get", {}, True),
        ("head", {}, True),
        ("post", {}, False),
        ("get", {"HTTP_AUTHORIZATION": "Bearer sample"}, False),
        ("get", {"HTTP_COOKIE": "sessionid=sample"}, False),
        ("get", {"HTTP_COOKIE": "csrftoken=sample"}, True),
    ],
)
def test_the_request_half(method, headers, shared):
    request = getattr(RequestFactory(), method)("/en/", **headers)
    assert policy.request_may_share(request.META) is shared


@pytest.mark.parametrize(
    ("answer", "shared"),
    [
        (_answer(), True),
        (_answer("private, max-age=60"), False),
        (_answer("public, no-cache"), False),  # photos: every use asks again
        (_answer("no-store"), False),
        (_answer(""), False),
        (_answer(Vary="Cookie"), False),
        (_answer(**{"Set-Cookie": "sample=1"}), False),
    ],
)
def test_the_response_half(answer, shared):
    assert policy.may_share(RequestFactory().get("/en/"), answer) is shared


def test_a_session_read_while_answering_is_personal(db):
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/en/")
    request.session = SessionStore()
    assert policy.may_share(request, _answer())
    request.session.get("anything")
    assert not policy.may_share(request, _answer())


@pytest.fixture
def renamed_session_cookie(settings, time_machine, db):
    settings.SESSION_COOKIE_NAME = "pressroom_session"
    time_machine.move_to(hong_kong(2023, 11, 3, 12, 0, 5), tick=False)
    make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: this morning")
    time_machine.move_to(hong_kong(2023, 11, 3, 12, 0, 10), tick=False)
    return "pressroom_session"


def test_every_layer_follows_the_session_cookies_name_from_settings(renamed_session_cookie):
    cookie = {"HTTP_COOKIE": f"{renamed_session_cookie}=someone"}
    assert not policy.request_may_share(RequestFactory().get("/en/", **cookie).META)
    assert policy.request_may_share(RequestFactory().get("/en/", HTTP_COOKIE="sessionid=x").META)
    assert policy.nginx_bypass() == f"$cookie_{renamed_session_cookie}$http_authorization"
    with WsgiServer() as server:
        server.get("/en/")
        assert server.get("/en/").headers["X-Accel-Expires"].startswith("@")
        before = server.django_requests
        personal = server.get("/en/", **cookie)
        # Through Django, not the local cache; nginx is told to keep none of it.
        assert server.django_requests == before + 1
        assert personal.headers["X-Accel-Expires"] == "0"
        names = [name.lower() for name in personal.headers]
        assert names.index("x-accel-expires") < names.index("cache-control")


def test_the_response_cache_and_single_flight_ask_the_policy(renamed_session_cookie, rf):
    from pressroom.publiccache import responses
    from pressroom.publiccache.generation import Freshness

    freshness = Freshness(hong_kong(2023, 11, 3, 12, 0, 10))
    personal = rf.get("/en/", HTTP_COOKIE=f"{renamed_session_cookie}=someone")
    assert responses.store(personal, _answer(), freshness) is None
    assert responses.store(rf.get("/en/"), _answer(Vary="Cookie"), freshness) is None
    assert responses.store(rf.get("/en/"), _answer(), freshness) is not None
    assert responses.get(personal, freshness) is None
    rendered = []
    responses.single_flight(personal, freshness, lambda: rendered.append(1) or _answer())
    assert rendered == [1]
