"""SMTP sessions are kept open between mail batches, per server, and replaced when the server
closed them meanwhile: nothing lost, nothing doubled."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage

from pressroom.distribution.channels import email as email_channel
from tests.support.environment import free_port
from tests.support.receivers import Inbox, MailHandler


class CountingHandler(MailHandler):
    def __init__(self, inbox: Inbox):
        super().__init__(inbox)
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        session.host_name = hostname
        self.sessions += 1
        return responses


class Server:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.inbox = Inbox()
        self.handler = CountingHandler(self.inbox)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def keys(self) -> list[str]:
        return sorted(arrival.key for arrival in self.inbox.arrivals)


@pytest.fixture
def servers(settings):
    settings.EMAIL_BACKEND = (
        "django.core.mail.backends.smtp.EmailBackend"  # pytest-django's is locmem
    )
    email_channel.close_idle_sessions()
    started: list[Server] = []

    def start(port: int | None = None) -> Server:
        server = Server(port)
        started.append(server)
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        return server

    yield start
    email_channel.close_idle_sessions()
    for server in started:
        if server.controller._thread is not None:  # not stopped by the test
            server.controller.stop()


def share(first: int, count: int) -> list:
    messages = []
    for number in range(first, first + count):
        message = EmailMessage("Sample", "Sample body.", "desk@example.test", [f"reader-{number}@example.test"],
                               headers={"X-Pressroom-Delivery": f"msg_{number:03}"})  # fmt: skip
        messages.append((SimpleNamespace(pk=number), message))
    return messages


def send(first: int, count: int) -> list:
    return email_channel.EmailChannel("email")._send_share(share(first, count))


def test_one_session_serves_batch_after_batch(servers):
    server = servers()
    outcomes = send(0, 3) + send(3, 3)
    assert all(outcome.sent for outcome in outcomes)
    assert server.keys() == [f"msg_{number:03}" for number in range(6)]
    assert server.handler.sessions == 1


def test_a_session_the_server_closed_is_replaced_and_nothing_is_lost_or_doubled(servers):
    first = servers()
    assert all(outcome.sent for outcome in send(0, 2))
    first.controller.stop()  # the server goes away with our kept session open
    second = servers(first.port)  # and comes back on the same address
    assert all(outcome.sent for outcome in send(2, 2))
    assert first.keys() == ["msg_000", "msg_001"]
    assert second.keys() == ["msg_002", "msg_003"]
    assert second.handler.sessions == 1


def test_a_kept_session_is_never_used_for_another_server(servers):
    first = servers()
    send(0, 1)
    second = servers()  # the settings now name another server
    send(1, 1)
    assert (first.keys(), second.keys()) == (["msg_000"], ["msg_001"])


def test_sessions_idle_too_long_are_closed_not_reused(servers, monkeypatch):
    server = servers()
    send(0, 1)
    monkeypatch.setattr(email_channel, "MAX_IDLE_SECONDS", 0.0)
    send(1, 1)
    assert server.handler.sessions == 2
    assert server.keys() == ["msg_000", "msg_001"]
