"""The client address (pressroom.utils.client): X-Forwarded-For is read only from trusted
proxies, from the right, and never past the first address nobody trusted vouched for."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from pressroom import conf
from pressroom.utils.client import client_address, is_local


def address(settings, trusted: str, remote_addr: str, forwarded_for: str | None) -> str | None:
    settings.PRESSROOM_TRUSTED_PROXIES = conf.read(
        "PRESSROOM_TRUSTED_PROXIES", {"PRESSROOM_TRUSTED_PROXIES": trusted}
    )
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    "trusted, remote_addr, forwarded_for, expected",
    [
        ("", "203.0.113.5", None, "203.0.113.5"),
        ("", "127.0.0.1", "203.0.113.5", "127.0.0.1"),  # nobody trusted: the header is noise
        ("127.0.0.1", "203.0.113.5", "127.0.0.1", "203.0.113.5"),  # not from the proxy
        ("127.0.0.1", "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        ("127.0.0.1", "127.0.0.1", "192.0.2.1, 203.0.113.5", "203.0.113.5"),  # forged on the left
        ("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1"),  # this machine through nginx
        ("127.0.0.1", "127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "127.0.0.1", "not-an-address, 203.0.113.5", "203.0.113.5"),
        ("127.0.0.1", "127.0.0.1", "203.0.113.5, not-an-address", "127.0.0.1"),
        ("127.0.0.1,10.0.0.0/8", "127.0.0.1", "192.0.2.1, 203.0.113.5, 10.1.2.3", "203.0.113.5"),
        ("::1", "::1", "2001:db8::7", "2001:db8::7"),
        ("127.0.0.1", "::ffff:127.0.0.1", "::ffff:203.0.113.5", "203.0.113.5"),
        ("", "", None, None),
    ],
)
def test_client_address(settings, trusted, remote_addr, forwarded_for, expected):
    assert address(settings, trusted, remote_addr, forwarded_for) == expected


def test_only_loopback_is_local(settings):
    settings.PRESSROOM_TRUSTED_PROXIES = []
    factory = RequestFactory()
    assert is_local(factory.get("/", REMOTE_ADDR="::1"))
    assert is_local(factory.get("/", REMOTE_ADDR="127.0.0.5"))
    assert not is_local(factory.get("/", REMOTE_ADDR="10.0.0.1"))
    assert not is_local(factory.get("/", REMOTE_ADDR=""))
