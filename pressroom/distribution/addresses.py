"""Which network addresses a webhook may reach: public ones, unless PRESSROOM_WEBHOOK_ALLOW_PRIVATE.

An endpoint at a loopback, private, link-local (the cloud metadata service) or other non-public
address would let whoever registers endpoints make the worker knock on the office's own
machines, and read the delivery log as a port scanner. The check that counts is made when each
delivery connects (`connect`, the webhook connections' socket factory): the host is resolved
once, every address it resolves to must be public, and the connection goes to exactly those
addresses, so a name cannot answer one address to the check and another to the connection
(DNS rebinding). TLS and the Host header still use the name. A refusal says only "address not
allowed", and comes before anything is sent, so an open port and a closed one look the same.

Registration (`pressroom webhook add`, the desk) refuses a literal non-public address, or
localhost, at once (`registrable`); a name is only judged when it is used.
"""

from __future__ import annotations

import ipaddress
import socket

from django.conf import settings

NOT_ALLOWED = "address not allowed"
# The well-known NAT64 prefix: its addresses carry an IPv4 address a gateway turns into that one.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressNotAllowed(OSError):
    """A webhook's host is (or resolves to) an address it may not reach."""

    def __init__(self) -> None:
        super().__init__(NOT_ALLOWED)


def is_public(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A globally reachable unicast address (the IANA special-purpose registries, as the
    standard library's `is_global` reads them), judged by the IPv4 address an IPv6 one carries."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        carried = ip.ipv4_mapped or ip.sixtofour
        if carried is None and ip in NAT64:
            carried = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if carried is not None and not is_public(carried):
            return False
    return ip.is_global and not ip.is_multicast


def private_allowed() -> bool:
    return settings.PRESSROOM_WEBHOOK_ALLOW_PRIVATE


def registrable(host: str) -> bool:
    """False for a host that is plainly not public: localhost, or a literal non-public address
    (unless allowed). Any other name passes here; `connect` judges what it resolves to."""
    if private_allowed():
        return True
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):  # RFC 6761: always loopback
        return False
    try:
        return is_public(host)
    except ValueError:  # a name, not an address
        return True


def connect(
    address: tuple[str, int], timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None
) -> socket.socket:
    """`socket.create_connection`, to a checked address only: resolves `address`'s host once,
    refuses (AddressNotAllowed) unless every address it gives is public, then connects to
    those addresses in turn."""
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not private_allowed() and not all(is_public(sockaddr[0]) for *_, sockaddr in found):
        raise AddressNotAllowed()
    error: OSError | None = None
    for *_, sockaddr in found:
        try:
            # A literal address: create_connection looks nothing up.
            return socket.create_connection(sockaddr[:2], timeout, source_address)
        except OSError as failure:
            error = failure
    raise error or OSError(f"{host} has no address")
