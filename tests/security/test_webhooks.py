"""The webhook door (issue 22, point 6): an endpoint cannot make the worker reach loopback,
private, link-local or metadata addresses, so the delivery log is no port scanner.

The address is resolved when each delivery is sent, checked, and the connection made to that
very address; a refused one is a dead letter saying only "address not allowed", before
anything is sent. Registering an endpoint (`pressroom webhook add`, the desk) refuses a literal
such address. PRESSROOM_WEBHOOK_ALLOW_PRIVATE lets them through (the distribution tests and
the embedded demo, whose receivers are on 127.0.0.1).

Nothing here reaches anything but 127.0.0.1: `loopback_only()` refuses every other connection
and name look-up at the socket, and records what was tried, so these tests could fail on the
code before the fix without a packet leaving the machine.
"""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from threading import Thread
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from pressroom.distribution.models import Delivery, DeliveryStatus, WebhookEndpoint
from tests.support.distribution import drain, schedule, soon
from tests.support.environment import free_port
from tests.support.factories import department
from tests.support.receivers import WebhookReceiver, loopback_only

pytestmark = pytest.mark.django_db
NOT_ALLOWED = "address not allowed"


@pytest.fixture
def receiver():
    with WebhookReceiver() as running:
        yield running


@pytest.fixture
def private_off(settings):
    settings.PRESSROOM_WEBHOOK_ALLOW_PRIVATE = False


def endpoint_at(
    url: str, receiver: WebhookReceiver | None = None, name: str = "newsroom"
) -> WebhookEndpoint:
    """An endpoint as it may be stored already (before registration checked addresses)."""
    endpoint = WebhookEndpoint.objects.create(url=url)
    if receiver is not None:
        receiver.secrets[name] = endpoint.secret
    return endpoint


def issue_one_release(editor) -> None:
    instant = soon(1)
    schedule(editor, department(), instant)
    drain(instant)


def loopback_urls(port: int) -> list[str]:
    return [f"http://127.0.0.1:{port}/newsroom", f"http://localhost:{port}/newsroom",
            f"http://127.0.0.2:{port}/newsroom", f"http://[::1]:{port}/newsroom",
            f"http://[::ffff:127.0.0.1]:{port}/newsroom", f"http://0.0.0.0:{port}/newsroom"]  # fmt: skip


ELSEWHERE = [
    "http://10.0.0.1/hook",  # RFC 1918
    "http://192.168.1.1:8080/hook",
    "http://172.16.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",  # the cloud metadata service (link-local)
    "http://[fd00:ec2::254]/latest/meta-data/",  # its IPv6 address (unique local)
    "http://[fe80::1]/hook",  # IPv6 link-local
    "http://100.64.0.1/hook",  # carrier-grade NAT, shared address space
    "http://224.0.0.1/hook",  # multicast
    "http://[::ffff:10.0.0.1]/hook",  # IPv4-mapped IPv6
]


@pytest.mark.parametrize("where", range(6), ids=["127.0.0.1", "localhost", "127.0.0.2", "::1",
                                                 "v4-mapped-127.0.0.1", "0.0.0.0"])  # fmt: skip
def test_an_endpoint_on_loopback_gets_nothing_and_the_log_says_only_not_allowed(
    editor, receiver, private_off, where
):
    port = receiver.server.server_address[1]
    endpoint_at(loopback_urls(port)[where], receiver)
    with loopback_only() as tried:
        issue_one_release(editor)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == (DeliveryStatus.DEAD, NOT_ALLOWED)
    assert tried == []  # refused before any connection was tried
    assert receiver.inbox.arrivals == [] and receiver.inbox.rejected == []


@pytest.mark.parametrize("url", ELSEWHERE)
def test_an_endpoint_at_a_private_link_local_or_metadata_address_is_refused_before_sending(
    editor, private_off, url
):
    endpoint_at(url)
    with loopback_only() as tried:
        issue_one_release(editor)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == (DeliveryStatus.DEAD, NOT_ALLOWED)
    assert tried == []


def test_the_delivery_log_cannot_tell_an_open_port_from_a_closed_one(editor, receiver, private_off):
    open_port, closed_port = receiver.server.server_address[1], free_port()
    endpoint_at(f"http://127.0.0.1:{open_port}/newsroom", receiver)
    endpoint_at(f"http://127.0.0.1:{closed_port}/newsroom")
    with loopback_only() as tried:
        issue_one_release(editor)
    assert sorted(Delivery.objects.values_list("last_error", flat=True)) == [
        NOT_ALLOWED,
        NOT_ALLOWED,
    ]
    assert tried == [] and receiver.inbox.arrivals == []


def test_with_private_addresses_allowed_the_loopback_endpoint_receives_it(
    editor, receiver, settings
):
    settings.PRESSROOM_WEBHOOK_ALLOW_PRIVATE = True
    endpoint_at(f"http://localhost:{receiver.server.server_address[1]}/newsroom", receiver)
    with loopback_only():
        issue_one_release(editor)
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert len(receiver.inbox.arrivals) == 1


def test_a_name_is_resolved_once_and_the_connection_goes_to_the_address_checked(
    editor, receiver, private_off
):
    """DNS rebinding: a name that answers a public address to the check and 127.0.0.1 to the
    connection must not reach 127.0.0.1. The fake resolver answers the public address first;
    the guard refuses the connection to it, so nothing leaves the machine either way."""
    port = receiver.server.server_address[1]
    endpoint_at(f"http://newsroom.example.test:{port}/newsroom", receiver)
    answers = iter(["93.184.216.34"])
    lookups = []

    def rebinding_resolver(host, port, *args, **kwargs):
        lookups.append(host)
        address = next(answers, "127.0.0.1") if host == "newsroom.example.test" else host
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    with loopback_only() as tried, mock.patch.object(socket, "getaddrinfo", rebinding_resolver):
        issue_one_release(editor)
    assert lookups.count("newsroom.example.test") == 1
    assert [host for host, _ in tried] == [
        "93.184.216.34"
    ]  # the checked address, refused by the guard
    assert receiver.inbox.arrivals == []
    assert Delivery.objects.get().status == DeliveryStatus.PENDING  # a connection error: retried


class Redirecting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.server.posts += 1
        self.send_response(307)
        self.send_header("location", self.server.location)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("target", ["loopback receiver", "metadata service"])
def test_redirects_are_not_followed(editor, receiver, settings, target):
    """The webhook client (http.client) never follows a redirect: a 3xx is an answer, recorded
    and retried, so a newsroom cannot send the worker on to an address it would refuse. With
    private addresses allowed here, the loopback receiver would get the POST if it did."""
    settings.PRESSROOM_WEBHOOK_ALLOW_PRIVATE = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    server.daemon_threads, server.posts = True, 0
    server.location = {
        "loopback receiver": f"{receiver.base_url}/newsroom",
        "metadata service": "http://169.254.169.254/latest/meta-data/",
    }[target]
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint_at(f"http://127.0.0.1:{server.server_address[1]}/moved", receiver)
        with loopback_only() as tried:
            issue_one_release(editor)
    finally:
        server.shutdown()
        server.server_close()
    delivery = Delivery.objects.get()
    assert server.posts == 1 and receiver.inbox.arrivals == []
    assert tried == [("127.0.0.1", server.server_address[1])]
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_error.startswith("HTTP 307")


# --- registering an endpoint -----------------------------------------------------------------

LITERAL_PRIVATE = [
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://10.0.0.1/hook",
    "https://192.168.0.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[fd00:ec2::254]/",
    "http://0.0.0.0/hook",
]


def add(url: str) -> str:
    out = StringIO()
    call_command("webhook", "add", url, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("url", LITERAL_PRIVATE)
def test_webhook_add_refuses_a_literal_private_address(private_off, url):
    with pytest.raises(CommandError, match=NOT_ALLOWED):
        add(url)
    assert not WebhookEndpoint.objects.exists()


def test_webhook_add_takes_a_private_address_when_allowed(settings):
    settings.PRESSROOM_WEBHOOK_ALLOW_PRIVATE = True
    add("http://127.0.0.1:8080/hook")
    assert WebhookEndpoint.objects.get().url == "http://127.0.0.1:8080/hook"


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/hook"]
)
def test_the_desk_refuses_a_literal_private_address_and_says_why(client, editor, private_off, url):
    client.force_login(editor)
    response = client.post(
        "/desk/distribution/endpoints/", {"url": url, "language": "en"}, follow=True
    )
    assert response.status_code == 200
    assert NOT_ALLOWED in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_desk_still_registers_a_public_name(client, editor, private_off):
    client.force_login(editor)
    client.post(
        "/desk/distribution/endpoints/",
        {"url": "https://newsroom.example.test/hook", "language": "en"},
    )
    assert WebhookEndpoint.objects.get().url == "https://newsroom.example.test/hook"
