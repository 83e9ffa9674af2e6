"""The log-in lock-out behind a proxy: five wrong passwords lock a user name from one client
address, never the same user elsewhere, and a client cannot choose its own address.

Behind the shipped nginx every request reaches the application from 127.0.0.1; the client's own
address comes in X-Forwarded-For, believed only when the request comes from a proxy that
PRESSROOM_TRUSTED_PROXIES names (pressroom.utils.client)."""

from __future__ import annotations

import pytest

from pressroom import conf
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"
ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.7"


def trust(settings, proxies: str) -> None:
    settings.PRESSROOM_TRUSTED_PROXIES = conf.read(
        "PRESSROOM_TRUSTED_PROXIES", {"PRESSROOM_TRUSTED_PROXIES": proxies}
    )


def sign_in(client, password: str, remote_addr: str, forwarded_for: str | None = None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post("/desk/login/", {"username": "wanda", "password": password}, **headers)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/desk/"


def locked(response) -> bool:
    return response.status_code == 429 and b"Too many failed sign-ins" in response.content


def test_failures_from_one_client_behind_nginx_do_not_lock_out_another(settings, client, people):
    trust(settings, NGINX)
    for _ in range(5):
        assert not signed_in(sign_in(client, "wrong", NGINX, ATTACKER))
    assert locked(sign_in(client, PASSWORD, NGINX, ATTACKER))
    assert signed_in(sign_in(client, PASSWORD, NGINX, REAL_USER))


def test_the_lock_out_is_per_user_name_and_address_when_reached_directly(client, people):
    for _ in range(5):
        sign_in(client, "wrong", ATTACKER)
    assert locked(sign_in(client, PASSWORD, ATTACKER))
    assert signed_in(sign_in(client, PASSWORD, REAL_USER))


def test_without_trusted_proxies_a_forged_header_does_not_dodge_the_lock_out(
    settings, client, people
):
    trust(settings, "")
    for attempt in range(5):
        sign_in(client, "wrong", ATTACKER, f"192.0.2.{attempt + 1}")
    assert locked(sign_in(client, PASSWORD, ATTACKER, "192.0.2.99"))


def test_a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address(settings, client, people):
    trust(settings, NGINX)
    for attempt in range(5):
        sign_in(client, "wrong", ATTACKER, f"192.0.2.{attempt + 1}")
    assert locked(sign_in(client, PASSWORD, ATTACKER, "192.0.2.99"))


def test_a_header_forged_before_nginx_does_not_dodge_the_lock_out(settings, client, people):
    """nginx appends the address it sees ($proxy_add_x_forwarded_for): what the client wrote
    stands to its left, and only the right-most address that is not a trusted proxy counts."""
    trust(settings, NGINX)
    for attempt in range(5):
        sign_in(client, "wrong", NGINX, f"192.0.2.{attempt + 1}, {ATTACKER}")
    assert locked(sign_in(client, PASSWORD, NGINX, f"192.0.2.99, {ATTACKER}"))
    assert signed_in(sign_in(client, PASSWORD, NGINX, f"{ATTACKER}, {REAL_USER}"))


def proxied_locations(config: str) -> dict[str, list[str]]:
    """Each location of an nginx configuration that passes requests on, with its directives."""
    locations, current, depth = {}, None, 0
    for line in (line.split("#")[0].strip() for line in config.splitlines()):
        if line.startswith("location ") and line.endswith("{"):
            current, depth = line.removesuffix("{").strip(), 0
            locations[current] = []
        if current is not None:
            depth += line.count("{") - line.count("}")
            locations[current].append(line)
            if depth == 0:
                current = None
    return {
        name: lines
        for name, lines in locations.items()
        if any(line.startswith("proxy_pass") for line in lines)
    }


def test_the_shipped_nginx_tells_the_application_whom_it_forwards_for():
    from pressroom.ops.nginx import example, render

    locations = proxied_locations(render(example()))
    assert "location = /metrics" in locations and "location /" in locations
    for name, lines in locations.items():
        # Appended to what the client sent: the right-most address is the one nginx saw.
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in lines, name
