"""/metrics is for the machine itself and for a scraper holding PRESSROOM_METRICS_TOKEN; any
other client, reaching the application directly or through nginx, gets a plain 404."""

from __future__ import annotations

import pytest

from pressroom import conf

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"
OUTSIDER = "203.0.113.66"
TOKEN = "sample-metrics-token-5d1f0c"


@pytest.fixture
def behind_nginx(settings):
    settings.PRESSROOM_TRUSTED_PROXIES = conf.read(
        "PRESSROOM_TRUSTED_PROXIES", {"PRESSROOM_TRUSTED_PROXIES": NGINX}
    )


def scrape(client, remote_addr: str, forwarded_for: str | None = None, authorization=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    if authorization is not None:
        headers["HTTP_AUTHORIZATION"] = authorization
    return client.get("/metrics", **headers)


def is_metrics(response) -> bool:
    # Figures read from the database are always there (request samples depend on what the
    # processes sharing the metrics folder have answered).
    return response.status_code == 200 and b"pressroom_releases" in response.content


def test_a_client_on_another_machine_gets_404(client):
    response = scrape(client, OUTSIDER)
    assert response.status_code == 404 and b"pressroom_" not in response.content


@pytest.mark.parametrize("local", ["127.0.0.1", "::1", "127.0.0.2"])
def test_this_machine_reads_metrics(client, local):
    assert is_metrics(scrape(client, local))


def test_through_nginx_only_this_machine_is_local(client, behind_nginx):
    assert scrape(client, NGINX, OUTSIDER).status_code == 404
    assert scrape(client, NGINX, f"127.0.0.1, {OUTSIDER}").status_code == 404  # forged on the left
    assert is_metrics(scrape(client, NGINX, "127.0.0.1"))


def test_a_forwarded_header_from_an_untrusted_client_is_ignored(client, behind_nginx):
    assert scrape(client, OUTSIDER, "127.0.0.1").status_code == 404


def test_the_token_lets_a_scraper_elsewhere_read(settings, client, behind_nginx):
    settings.PRESSROOM_METRICS_TOKEN = TOKEN
    assert is_metrics(scrape(client, OUTSIDER, authorization=f"Bearer {TOKEN}"))
    assert is_metrics(scrape(client, NGINX, OUTSIDER, authorization=f"Bearer {TOKEN}"))


@pytest.mark.parametrize(
    "authorization",
    [f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer ", f"Basic {TOKEN}", TOKEN, "Bearer"],
)
def test_a_wrong_token_gets_404(settings, client, authorization):
    settings.PRESSROOM_METRICS_TOKEN = TOKEN
    assert scrape(client, OUTSIDER, authorization=authorization).status_code == 404


def test_no_token_configured_means_no_bearer_gets_in(settings, client):
    settings.PRESSROOM_METRICS_TOKEN = None
    assert scrape(client, OUTSIDER, authorization="Bearer ").status_code == 404
    assert scrape(client, OUTSIDER, authorization="Bearer None").status_code == 404


def test_the_shipped_nginx_keeps_its_own_allow_list_for_metrics():
    from pressroom.ops.nginx import example, render

    config = render(example())
    block = config[config.index("location = /metrics {") :]
    block = block[: block.index("}")]
    rules = [line.strip() for line in block.splitlines()]
    rules = [rule for rule in rules if rule.startswith(("allow", "deny"))]
    assert rules == ["allow 127.0.0.1;", "allow ::1;", "deny all;"]
