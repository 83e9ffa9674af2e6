"""Webhooks: POST the ninjs body signed per Standard Webhooks, over a keep-alive HTTP client.

Headers: `webhook-id` (the delivery's idempotency key, the same on every retry),
`webhook-timestamp` (Unix seconds) and `webhook-signature` ("v1,<base64 HMAC-SHA256 of
id.timestamp.body>" with the endpoint's `whsec_` secret), made by the `standardwebhooks`
package, so newsrooms verify with any Standard Webhooks library. 2xx is success; 410 Gone
stops at once; anything else is retried with backoff.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from standardwebhooks.webhooks import Webhook

from pressroom.distribution.channels.base import BaseChannel, Outcome

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "Pressroom-Webhooks/1"
# POSTs in flight at once per batch: a slow newsroom holds one slot, not the batch. Measured
# (bench/distribution/README.md): serial POSTs left the worker waiting on each answer.
CONCURRENCY = 8
_lock = threading.Lock()
_client: httpx.Client | None = None
_pool: ThreadPoolExecutor | None = None


def client() -> httpx.Client:
    """One client for the process (httpx.Client is thread-safe), made once: building one loads
    the TLS certificates (about 100 ms), which must not happen at an issue instant. Its pool
    keeps a connection alive per newsroom host."""
    global _client
    with _lock:
        if _client is None:
            _client = httpx.Client(
                timeout=TIMEOUT,
                follow_redirects=False,
                limits=httpx.Limits(max_keepalive_connections=256, max_connections=256),
                headers={"user-agent": USER_AGENT, "content-type": "application/json"},
            )
        return _client


def pool() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="webhook")
        return _pool


def signed_headers(secret: str, key: str, body: bytes, now: dt.datetime) -> dict[str, str]:
    signature = Webhook(secret).sign(key, now, body.decode("utf-8"))
    return {
        "webhook-id": key,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


class WebhookChannel(BaseChannel):
    def warm_up(self) -> None:
        client()
        pool()

    def send(self, deliveries, contents):
        # Bodies are rendered here, in the calling thread (BatchContents is not thread-safe);
        # only signing and the POST run in the pool.
        requests = [(delivery, contents.webhook_body(delivery)) for delivery in deliveries]
        return list(pool().map(lambda request: self._post(*request), requests))

    def _post(self, delivery, body: bytes) -> Outcome:
        now = dt.datetime.now(dt.timezone.utc)
        headers = signed_headers(delivery.endpoint.secret, delivery.key, body, now)
        headers["x-pressroom-event"] = delivery.event.kind
        try:
            response = client().post(delivery.endpoint.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            return Outcome(delivery.pk, error=f"{type(error).__name__}: {error}")
        if response.is_success:
            return Outcome(delivery.pk)
        return Outcome(
            delivery.pk,
            error=f"HTTP {response.status_code} from {delivery.endpoint.url}",
            retry=response.status_code != 410,
        )
