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

import httpx
from standardwebhooks.webhooks import Webhook

from pressroom.distribution.channels.base import BaseChannel, Outcome

_local = threading.local()
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "Pressroom-Webhooks/1"


def client() -> httpx.Client:
    """One client per sending thread, kept between batches: connections stay alive."""
    if getattr(_local, "client", None) is None:
        _local.client = httpx.Client(
            timeout=TIMEOUT,
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=200, max_connections=200),
            headers={"user-agent": USER_AGENT, "content-type": "application/json"},
        )
    return _local.client


def signed_headers(secret: str, key: str, body: bytes, now: dt.datetime) -> dict[str, str]:
    signature = Webhook(secret).sign(key, now, body.decode("utf-8"))
    return {
        "webhook-id": key,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


class WebhookChannel(BaseChannel):
    def send(self, deliveries, contents):
        http = client()
        outcomes = []
        for delivery in deliveries:
            body = contents.webhook_body(delivery)
            now = dt.datetime.now(dt.timezone.utc)
            headers = signed_headers(delivery.endpoint.secret, delivery.key, body, now)
            headers["x-pressroom-event"] = delivery.event.kind
            try:
                response = http.post(delivery.endpoint.url, content=body, headers=headers)
            except httpx.HTTPError as error:
                outcomes.append(Outcome(delivery.pk, error=f"{type(error).__name__}: {error}"))
                continue
            if response.is_success:
                outcomes.append(Outcome(delivery.pk))
            else:
                outcomes.append(
                    Outcome(
                        delivery.pk,
                        error=f"HTTP {response.status_code} from {delivery.endpoint.url}",
                        retry=response.status_code != 410,
                    )
                )
        return outcomes
