"""Subscription e-mail bombing: the subscribe form sends at most one confirmation per address
per hour (stored in the database, so it holds across web processes and cache restarts), a
client address asks for only so many confirmations, and the page never tells whether an
address is subscribed, new or held back."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from pressroom import conf
from pressroom.distribution import subscriptions

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"
VICTIM = "victim@example.test"


@pytest.fixture(autouse=True)
def _mails_sent_at_once(settings):
    """Confirmation mails go out when the request's transaction commits (ImmediateBackend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def post(email: str, remote_addr: str = "198.51.100.1", forwarded_for: str | None = None):
        headers = {"REMOTE_ADDR": remote_addr}
        if forwarded_for is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/en/subscribe/", {"email": email, "language": "en", "frequency": "immediate"},
                **headers,
            )  # fmt: skip

    return post


def mails_to(outbox, email: str) -> int:
    return sum(email in message.to for message in outbox)


def client_number(n: int) -> str:
    return f"198.51.100.{n + 1}"


def test_fifty_requests_for_one_address_send_one_confirmation(ask, mailoutbox):
    for n in range(50):  # from fifty clients: the rule is the address's, not the client's
        response = ask(VICTIM, client_number(n))
        assert response.status_code == 200 and b"Check your inbox" in response.content
    assert mails_to(mailoutbox, VICTIM) == 1


def test_the_hourly_rule_is_stored_so_another_process_keeps_it(ask, mailoutbox):
    ask(VICTIM)
    cache.clear()  # another web process, or a restarted Redis: the rule does not live there
    ask(VICTIM, client_number(7))
    ask(VICTIM.upper(), client_number(8))  # the same mailbox
    assert mails_to(mailoutbox, VICTIM) == 1
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        ask(VICTIM, client_number(9))
    assert mails_to(mailoutbox, VICTIM) == 2


def test_one_client_asks_for_only_so_many_confirmations(settings, ask, mailoutbox):
    settings.PRESSROOM_TRUSTED_PROXIES = conf.read(
        "PRESSROOM_TRUSTED_PROXIES", {"PRESSROOM_TRUSTED_PROXIES": NGINX}
    )
    limit = subscriptions.CLIENT_LIMIT
    assert limit < 50
    for n in range(50):
        response = ask(f"reader{n}@example.test", NGINX, "203.0.113.66")
        assert response.status_code == 200 and b"Check your inbox" in response.content
    assert len(mailoutbox) == limit
    ask("neighbour@example.test", NGINX, "203.0.113.67")  # another client behind the same nginx
    assert mails_to(mailoutbox, "neighbour@example.test") == 1


def test_the_page_is_the_same_for_new_subscribed_and_held_back_addresses(ask, mailoutbox):
    subscriptions.subscribe(subscriptions.SubscriptionRequest("subscribed@example.test"))
    ask("held@example.test")

    def page(email: str, remote_addr: str = client_number(20)):
        response = ask(email, remote_addr)
        # Content-Length differs with the address's own length.
        headers = {k: v for k, v in response.headers.items() if k != "Content-Length"}
        return response.status_code, headers, response.content.replace(email.encode(), b"ADDRESS")

    new = page("new@example.test")
    assert new[0] == 200 and b"Check your inbox" in new[2]
    assert page("subscribed@example.test") == new
    assert page("held@example.test") == new  # a confirmation went out less than an hour ago
    for n in range(subscriptions.CLIENT_LIMIT):
        ask(f"filler{n}@example.test", client_number(30))
    assert page("other@example.test", client_number(30)) == new  # the client is held back
    assert mails_to(mailoutbox, "other@example.test") == 0


def test_unsubscribe_links_carry_nothing_computable_from_the_address():
    """A link seen in a log must not let anyone test a guessed address against it."""
    subscription = subscriptions.subscribe(subscriptions.SubscriptionRequest(VICTIM))
    url = subscriptions.unsubscribe_url(subscription)
    for digest in (hashlib.sha256, hashlib.md5, hashlib.sha1):
        assert digest(VICTIM.encode()).hexdigest()[:8] not in url
    assert subscriptions.subscription_for_token(url.rstrip("/").rsplit("/", 1)[1]) == subscription


def test_forged_or_stale_links_name_nobody(client):
    subscription = subscriptions.subscribe(subscriptions.SubscriptionRequest(VICTIM))
    token = subscriptions.unsubscribe_token(subscription)
    forged_unsubscribe = token[:-1] + ("A" if token[-1] != "A" else "B")
    answer = client.get(f"/unsubscribe/{forged_unsubscribe}/")
    assert answer.status_code == 404 and VICTIM.encode() not in answer.content
    # A POST answers as for a real link: it tells nothing either.
    assert client.post(f"/unsubscribe/{forged_unsubscribe}/").status_code == 200
    assert subscriptions.Subscription.objects.exists()
    request = subscriptions.SubscriptionRequest("someone@example.test").cleaned()
    with time_machine.travel(timezone.now() - dt.timedelta(days=8)):
        stale = request.token()
    assert client.post(f"/subscribe/confirm/{stale}/").status_code == 410
    assert client.post(f"/subscribe/confirm/{stale[:-2]}xx/").status_code == 404
    assert subscriptions.Subscription.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_for_one_address_queue_one_confirmation():
    """Twenty web threads asking at once, each on its own database connection."""
    start = threading.Barrier(20)

    def ask_at_once(n: int) -> bool:
        try:
            start.wait()
            request = subscriptions.SubscriptionRequest(VICTIM)
            return subscriptions.ask_for_confirmation(request, client=client_number(n))
        finally:
            connection.close()

    with ThreadPoolExecutor(20) as pool:
        queued = list(pool.map(ask_at_once, range(20)))
    assert queued.count(True) == 1


def test_the_command_line_keeps_the_hourly_rule_and_says_so(ask, mailoutbox, capsys):
    ask(VICTIM)
    call_command("subscribe", VICTIM)
    assert "Not sent" in capsys.readouterr().out
    assert mails_to(mailoutbox, VICTIM) == 1
