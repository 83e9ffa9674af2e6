"""The site while its database is down: a PostgreSQL cluster of the stack's own is stopped and
started again under the production stack (granian workers, Redis, nginx).

Pages kept before the outage are answered the same, byte for byte: nothing known in advance has
changed, and nobody can save a release while the database is down. Anything else is a 503 with
Retry-After (a styled page, JSON for the API), never a 500; /healthz says which check failed.
When the database is back, pages are rendered again.

Runs in the PostgreSQL pass of `python3 dev.py test`, like the stack test (initdb and pg_ctl
come with PostgreSQL's server packages).
"""

from __future__ import annotations

import json
import re
import threading
import time

import pytest

from bench.stack import Stack, StackOptions, fetch
from tests.support.stack import running_stack

pytestmark = pytest.mark.stack


@pytest.fixture
def stack(tmp_path):
    yield from running_stack(
        tmp_path,
        "the outage test",
        StackOptions(web_workers=2, task_workers=0, private_postgres=True, redis_db=10),
    )


def kept_pages(stack: Stack) -> dict[str, bytes]:
    """Today's index in two languages and a release page, each asked for until two answers in
    a row match (the sample releases were just saved: pages are kept two seconds after), then
    through nginx too (another Host header, so another address)."""
    index = fetch(stack.app_url("/en/")).text()
    release = re.search(r'href="(/en/\d{4}/\d{2}/\d{2}/P\d+/)"', index)[1]
    pages = {}
    deadline = time.monotonic() + 30
    for path in ("/en/", "/zh-hant/", release):
        previous = None
        while True:
            answer = fetch(stack.app_url(path))
            assert answer.status == 200, (path, answer.status)
            if answer.body == previous:
                break
            assert time.monotonic() < deadline, f"{path} kept changing"
            previous = answer.body
            time.sleep(0.5)
        for _ in range(4):  # each web worker has answered it, directly and through nginx
            fetch(stack.app_url(path))
            assert fetch(stack.nginx_url(path)).body == answer.body
        pages[path] = answer.body
    return pages


def test_kept_pages_are_answered_through_a_database_outage(stack):
    pages = kept_pages(stack)
    stack.cluster.pause()
    try:
        for path, body in pages.items():
            for url in (stack.app_url(path), stack.nginx_url(path), stack.app_url(path)):
                answer = fetch(url)
                assert answer.status == 200, (
                    f"{url} answered {answer.status} while the database was down"
                )
                assert answer.body == body, url

        day = fetch(stack.app_url("/en/2019/01/01/"))  # never asked for: not kept
        assert day.status == 503 and day.headers["retry-after"] == "5"
        assert "Briefly unavailable" in day.text() and "Traceback" not in day.text()
        through_nginx = fetch(stack.nginx_url("/zh-hant/2019/01/01/"))
        assert through_nginx.status == 503 and "暫時未能提供服務" in through_nginx.text()
        api = fetch(stack.app_url("/api/v1/releases"))
        assert api.status == 503 and "briefly unavailable" in json.loads(api.body)["detail"]

        health = fetch(stack.app_url("/healthz"))
        assert health.status == 503
        assert json.loads(health.body)["checks"]["database"]["ok"] is False
    finally:
        stack.cluster.resume()

    deadline = time.monotonic() + 15
    while (answer := fetch(stack.app_url("/en/2019/01/01/"))).status != 200:
        assert answer.status == 503, answer.status
        assert time.monotonic() < deadline, "pages were not rendered again after the outage"
        time.sleep(0.2)
    assert fetch(stack.nginx_url("/api/v1/releases")).status == 200

    # A restart: a read that comes while the database is away waits for it (up to
    # PRESSROOM_DATABASE_WAIT_MS, 2 s) and gets its page, not a 503.
    stack.cluster.pause()
    answers = {}
    reader = threading.Thread(
        target=lambda: answers.update(day=fetch(stack.nginx_url("/en/2019/01/02/"), timeout=10))
    )
    try:
        reader.start()
        time.sleep(0.3)
    finally:
        stack.cluster.resume()
    reader.join(10)
    assert answers["day"].status == 200, answers["day"].status
    log = (stack.logs / "web.log").read_text(errors="replace")
    assert "Internal Server Error" not in log, log[-3000:]


def test_nginx_hands_out_its_last_copy_when_the_database_is_away_at_an_instant(stack):
    """PRESSROOM_STALE_IF_ERROR: the index nginx holds runs out at a release's instant while the
    database is down for longer than a read waits for it. The app answers 503 (its own kept
    copy ended at the instant too); nginx hands readers its last copy instead, which was made
    before the instant: the release is late there, never early. /healthz is never held, so the
    outage still shows there. When the database is back, the index shows the release."""
    import datetime as dt
    import math

    instant = math.ceil(time.time()) + 6
    at = dt.datetime.fromtimestamp(instant, dt.UTC).isoformat()
    release = json.loads(stack.python("-m", "bench.schedule", "--at", at).splitlines()[0])
    deadline = time.monotonic() + 10
    # Held: a hit in the micro-cache.
    while fetch(stack.nginx_url("/en/")).headers.get("x-cache-status") != "HIT":
        assert time.monotonic() < deadline, "nginx never held today's index"
        time.sleep(0.1)
    assert release["url"] not in fetch(stack.nginx_url("/en/")).text()
    while time.time() < instant - 2:
        fetch(stack.nginx_url("/en/"))  # nginx holds a copy from the last moments before it
        time.sleep(0.1)
    stack.cluster.pause()
    try:
        while time.time() < instant + 0.2:
            time.sleep(0.05)
        direct = fetch(stack.app_url("/en/"), timeout=10)
        assert direct.status == 503, f"the app itself answered {direct.status} without its database"
        through_nginx = fetch(stack.nginx_url("/en/"), timeout=10)
        assert through_nginx.status == 200, through_nginx.status
        assert through_nginx.headers.get("x-cache-status") in {"STALE", "UPDATING"}, (
            through_nginx.headers
        )
        assert release["url"] not in through_nginx.text(), (
            "a copy handed out in an outage showed a release early"
        )
        assert fetch(stack.nginx_url("/healthz"), timeout=10).status == 503
    finally:
        stack.cluster.resume()
    deadline = time.monotonic() + 15
    while release["url"] not in (answer := fetch(stack.nginx_url("/en/"), timeout=10)).text():
        assert time.monotonic() < deadline, (
            f"the release never appeared after the outage ({answer.status})"
        )
        time.sleep(0.2)
