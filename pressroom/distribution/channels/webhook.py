"""Webhooks: POST the ninjs body signed per Standard Webhooks, over keep-alive connections.

Headers: `webhook-id` (the delivery's idempotency key, the same on every retry),
`webhook-timestamp` (Unix seconds) and `webhook-signature` ("v1,<base64 HMAC-SHA256 of
id.timestamp.body>" with the endpoint's `whsec_` secret), made by the `standardwebhooks`
package, so newsrooms verify with any Standard Webhooks library. 2xx is success; 410 Gone
stops at once; anything else is retried with backoff. A redirect (3xx) is an answer like any
other, never followed: a newsroom cannot send the worker on to another address.

Every connection is made by `addresses.connect`: the host resolved once and refused unless
public (PRESSROOM_WEBHOOK_ALLOW_PRIVATE aside), the socket connected to the address checked,
TLS and the Host header still naming the host. A refused delivery is a dead letter saying only
"address not allowed".

The standard library's http.client, one keep-alive connection per newsroom host and sending
thread: against the benchmark's sink it costs less than half of httpx's CPU per POST, and the
worker's one process is CPU-bound there.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from standardwebhooks.webhooks import Webhook

from pressroom.distribution import addresses
from pressroom.distribution.channels.base import BaseChannel, Outcome

TIMEOUT_SECONDS = 10.0
USER_AGENT = "Pressroom-Webhooks/1"
# POSTs in flight at once per batch: a slow newsroom holds one slot, not the batch.
CONCURRENCY = 8
# A kept-alive connection the newsroom closed meanwhile fails like this before any answer:
# the POST is tried once more on a new connection (the same webhook-id, so no harm if it
# arrived after all).
STALE_CONNECTION = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_tls: ssl.SSLContext | None = None
_local = threading.local()


def tls_context() -> ssl.SSLContext:
    """Made once: loading the certificates takes about 100 ms, never at an issue instant."""
    global _tls
    with _lock:
        if _tls is None:
            _tls = ssl.create_default_context()
        return _tls


def pool() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="webhook")
        return _pool


def _connection(scheme: str, netloc: str, fresh: bool) -> http.client.HTTPConnection:
    """This thread's kept-alive connection to a newsroom host."""
    connections = getattr(_local, "connections", None)
    if connections is None:
        connections = _local.connections = {}
    key = (scheme, netloc)
    if fresh and key in connections:
        connections.pop(key).close()
    if key not in connections:
        if scheme == "https":
            connection = http.client.HTTPSConnection(
                netloc, timeout=TIMEOUT_SECONDS, context=tls_context()
            )
        else:
            connection = http.client.HTTPConnection(netloc, timeout=TIMEOUT_SECONDS)
        # http.client makes its socket (on connecting, and on reconnecting a kept connection)
        # with this factory, socket.create_connection by default; the checked one resolves once
        # and connects to the address it checked. TLS then wraps it for the host's name.
        connection._create_connection = addresses.connect
        connections[key] = connection
    return connections[key]


def _drop(scheme: str, netloc: str) -> None:
    connection = getattr(_local, "connections", {}).pop((scheme, netloc), None)
    if connection is not None:
        connection.close()


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST over a kept-alive connection; returns the status. Raises OSError or
    http.client.HTTPException when no answer came."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"user-agent": USER_AGENT, "content-type": "application/json", **headers}
    for fresh in (False, True):
        connection = _connection(parts.scheme, parts.netloc, fresh)
        reused = connection.sock is not None
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except STALE_CONNECTION:
            _drop(parts.scheme, parts.netloc)
            if reused and not fresh:
                continue
            raise
        except (OSError, http.client.HTTPException):
            _drop(parts.scheme, parts.netloc)
            raise
        if response.will_close:
            _drop(parts.scheme, parts.netloc)
        return response.status
    raise AssertionError("unreachable")


def signed_headers(secret: str, key: str, body: bytes, now: dt.datetime) -> dict[str, str]:
    signature = Webhook(secret).sign(key, now, body.decode("utf-8"))
    return {
        "webhook-id": key,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


class WebhookChannel(BaseChannel):
    def warm_up(self) -> None:
        tls_context()
        pool()

    def send(self, deliveries, contents, mark_sent=None):
        # Bodies are rendered here, in the calling thread (BatchContents is not thread-safe);
        # only signing and the POST run in the pool.
        requests = [(delivery, contents.webhook_body(delivery)) for delivery in deliveries]
        return list(pool().map(lambda request: self._post(*request), requests))

    def _post(self, delivery, body: bytes) -> Outcome:
        now = dt.datetime.now(dt.UTC)
        headers = signed_headers(delivery.endpoint.secret, delivery.key, body, now)
        headers["x-pressroom-event"] = delivery.event.kind
        url = delivery.endpoint.url
        try:
            status = post(url, body, headers)
        except addresses.AddressNotAllowed:
            # Nothing more: not the address, not whether anything listens there.
            return Outcome(delivery.pk, error=addresses.NOT_ALLOWED, retry=False)
        except (OSError, http.client.HTTPException, ValueError) as error:
            return Outcome(delivery.pk, error=f"{type(error).__name__}: {error or 'no answer'}")
        if 200 <= status < 300:
            return Outcome(delivery.pk)
        return Outcome(delivery.pk, error=f"HTTP {status} from {url}", retry=status != 410)
