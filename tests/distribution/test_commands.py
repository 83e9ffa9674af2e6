"""`pressroom webhook` and `pressroom subscribe`, through call_command; `serve` runs a worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from pressroom.distribution.models import Subscription, WebhookEndpoint, WorkerHeartbeat
from tests.support.environment import database_url, free_port
from tests.support.waiting import wait_until

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_webhook_add_prints_a_standard_webhooks_secret_once():
    secret = run("webhook", "add", "https://newsroom.example.test/hook", "--embargo").strip()
    endpoint = WebhookEndpoint.objects.get()
    assert secret.startswith("whsec_") and secret == endpoint.secret
    assert endpoint.accepts_embargo
    assert secret not in run("webhook", "list")


@pytest.mark.parametrize("url", ["ftp://newsroom.example.test/", "file:///etc/passwd", "not a url"])
def test_webhook_add_refuses_anything_but_http_and_https(url):
    with pytest.raises(CommandError, match="http"):
        run("webhook", "add", url)
    assert not WebhookEndpoint.objects.exists()


def test_webhook_rotate_and_remove():
    run("webhook", "add", "http://127.0.0.1:9/hook")
    endpoint = WebhookEndpoint.objects.get()
    new_secret = run("webhook", "rotate", str(endpoint.pk)).strip()
    assert new_secret != endpoint.secret and new_secret.startswith("whsec_")
    run("webhook", "remove", str(endpoint.pk))
    assert not WebhookEndpoint.objects.exists()
    with pytest.raises(CommandError, match="no webhook endpoint"):
        run("webhook", "rotate", str(endpoint.pk))


def test_subscribe_confirmed_migrates_an_address(sample_department):
    run(
        "subscribe",
        "Reader@Example.test",
        "--department",
        "sample",
        "--lang",
        "zh-Hant",
        "--confirmed",
    )
    subscription = Subscription.objects.get()
    assert subscription.email == "reader@example.test" and subscription.language == "zh-Hant"
    assert not subscription.everything and subscription.describe() == "Sample Department"


@pytest.mark.parametrize(
    "args, message",
    [(["not-an-address"], "not an e-mail address"),
     (["a@example.test", "--department", "nope"], "no department with code nope"),
     (["a@example.test", "--lang", "fr"], "--lang")],
)  # fmt: skip
def test_subscribe_names_what_is_wrong(args, message):
    with pytest.raises(CommandError, match=message):
        run("subscribe", *args, "--confirmed")


def test_subscribe_without_confirmed_sends_the_link_and_stores_nothing(
    immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run("subscribe", "reader@example.test")
    assert not Subscription.objects.exists()
    [message] = mailoutbox
    assert message.to == ["reader@example.test"] and "/subscribe/confirm/" in message.body


@pytest.mark.django_db(transaction=True)
def test_serve_runs_a_worker_beside_the_site(tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("REDIS")}
    environment.update(DATABASE_URL=database_url(), PRESSROOM_DATA_DIR=str(tmp_path),
                       PRESSROOM_TASKS_BACKEND="database")  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "pressroom", "serve", f"127.0.0.1:{free_port()}", "--workers", "1"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        started = wait_until(WorkerHeartbeat.objects.exists, timeout=20, every=0.1)
        assert started, "no worker started beside the site"
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C reaches `serve`, which stops its companion
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise
    # The worker stopped with the site and signed off.
    assert wait_until(lambda: not WorkerHeartbeat.objects.exists(), timeout=10, every=0.1)
