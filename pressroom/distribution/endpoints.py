"""Newsroom webhook endpoints: registration (http and https only, no literal non-public
address: see addresses.py) and secret rotation."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from pressroom.distribution import addresses
from pressroom.distribution.models import WebhookEndpoint, new_webhook_secret


class EndpointError(ValueError):
    pass


def clean_url(url: str) -> str:
    url = url.strip()
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        raise EndpointError(f"{url!r}: only http:// and https:// addresses can receive webhooks")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise EndpointError(f"{url!r} is not a valid web address") from None
    if not addresses.registrable(urlsplit(url).hostname or ""):
        raise EndpointError(
            f"{url!r}: address not allowed (loopback, private, link-local or another non-public "
            "address; PRESSROOM_WEBHOOK_ALLOW_PRIVATE lets them through)"
        )
    return url


def register(url: str, *, newsroom: str = "", accepts_embargo: bool = False,
             language: str = "en") -> WebhookEndpoint:  # fmt: skip
    return WebhookEndpoint.objects.create(
        url=clean_url(url), newsroom=newsroom, accepts_embargo=accepts_embargo, language=language
    )


def rotate_secret(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    endpoint.secret = new_webhook_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint
