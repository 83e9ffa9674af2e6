"""Real receivers on 127.0.0.1: an SMTP server (aiosmtpd) and an HTTP server that verifies
Standard Webhooks signatures. Both count raw arrivals per idempotency key, so a test can tell
a repeat (same key) from a double (two keys for one recipient and release).

`loopback_only()` keeps a test that points webhooks at other addresses from reaching them: it
refuses, at the socket, every connection but to 127.0.0.1 and every name lookup but of a
literal address or localhost, and lists what was tried."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import ipaddress
import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.support.environment import free_port
from tests.support.waiting import wait_until


@dataclass
class Arrival:
    recipient: str
    key: str
    reference: str
    message: object = None


@dataclass
class Inbox:
    arrivals: list[Arrival] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, arrival: Arrival) -> None:
        with self.lock:
            self.arrivals.append(arrival)

    def keys_by_delivery(self) -> dict[tuple[str, str], set[str]]:
        """(recipient, release reference) -> the distinct idempotency keys that arrived."""
        result: dict[tuple[str, str], set[str]] = {}
        with self.lock:
            for arrival in self.arrivals:
                result.setdefault((arrival.recipient, arrival.reference), set()).add(arrival.key)
        return result

    def raw_counts(self) -> Counter:
        with self.lock:
            return Counter(arrival.key for arrival in self.arrivals)

    def wait_for(self, predicate, timeout: float) -> bool:
        """Whether `predicate(inbox)` came true within `timeout` seconds (a bound on a hang)."""
        return bool(wait_until(lambda: predicate(self), timeout))


class MailHandler:
    def __init__(self, inbox: Inbox, delay: float = 0.0):
        self.inbox = inbox
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        reference = message.get("X-Pressroom-Release", "")
        for recipient in envelope.rcpt_tos:
            self.inbox.add(Arrival(recipient, message["X-Pressroom-Delivery"], reference, message))
        return "250 OK"


class SmtpSink:
    """`delay` seconds before each message is accepted (a slow server)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(
            MailHandler(self.inbox, delay), hostname="127.0.0.1", port=self.port
        )

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


class WebhookReceiver:
    """Endpoints at /<name>; `secrets[name]` verifies; `delay` seconds per request (slow)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.inbox = Inbox()
        self.secrets: dict[str, str] = {}
        self.delay = delay
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                body = self.rfile.read(length)
                if len(body) < length:
                    return  # the sender died mid-request (the SIGKILL test): nothing arrived
                name = self.path.strip("/")
                try:
                    document = Webhook(receiver.secrets[name]).verify(body, dict(self.headers))
                except (KeyError, WebhookVerificationError) as error:
                    receiver.inbox.rejected.append(f"{name}: {error!r}")
                    self._answer(401)
                    return
                if receiver.delay:
                    time.sleep(receiver.delay)
                reference = next(
                    (a["value"] for a in document.get("altids", []) if a["role"] == "reference"), ""
                )
                arrival = Arrival(name, self.headers["webhook-id"], reference, document)
                receiver.inbox.add(arrival)
                self._answer(204)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> WebhookReceiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def document_of(arrival: Arrival) -> dict:
    return arrival.message if isinstance(arrival.message, dict) else json.loads(arrival.message)


def _loopback(host: str) -> bool:
    return host == "127.0.0.1"


def _literal_or_localhost(host) -> bool:
    if host is None or host == "localhost":
        return True
    try:
        ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    return True


@contextlib.contextmanager
def loopback_only():
    """Within: connections to anything but 127.0.0.1 fail (ConnectionRefusedError) before a
    packet leaves, and looking up a name other than localhost fails (no DNS query leaves).
    Yields the list of (host, port) every connection tried, allowed or not."""
    tried: list[tuple] = []
    connect, connect_ex, getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def guarded(original):
        def attempt(sock, address):
            tried.append(tuple(address[:2]) if isinstance(address, tuple) else (address, None))
            if not (isinstance(address, tuple) and _loopback(address[0])):
                raise ConnectionRefusedError(f"test guard: no traffic to {address!r}")
            return original(sock, address)

        return attempt

    def lookup(host, *args, **kwargs):
        if not _literal_or_localhost(host):
            raise socket.gaierror(socket.EAI_NONAME, f"test guard: no DNS look-up of {host!r}")
        return getaddrinfo(host, *args, **kwargs)

    with (
        mock.patch.object(socket.socket, "connect", guarded(connect)),
        mock.patch.object(socket.socket, "connect_ex", guarded(connect_ex)),
        mock.patch.object(socket, "getaddrinfo", lookup),
    ):
        yield tried
