"""The client's address: who is asking, as far as Pressroom can tell.

Behind a proxy (the shipped nginx) every request arrives from the proxy's address, so the
connection alone would make one client of everyone: the log-in lock-out would lock a user name
for the whole world and /metrics would take every reader for the machine itself. The proxy
says whom it is forwarding for in X-Forwarded-For; anyone else can write that header too. So
it is read only when the connection comes from a proxy PRESSROOM_TRUSTED_PROXIES names, and
then from the right: each trusted proxy appends the address it received the request from
(nginx's `$proxy_add_x_forwarded_for`), so the right-most address that is not itself a trusted
proxy is the first one nobody trusted vouched for, the client. Whatever a client wrote into
the header stands to the left of that and is never read.

The one place that decides it: the lock-out (AXES_CLIENT_IP_CALLABLE), the subscription
throttle and /metrics all ask `client_address`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen on an IPv6 socket (::ffff:203.0.113.5) is that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address) -> bool:
    return any(address in network for network in settings.PRESSROOM_TRUSTED_PROXIES)


def client_ip(request) -> Address | None:
    """The client's address (see the module docstring), None when the connection has none."""
    address = _parse(request.META.get("REMOTE_ADDR", ""))
    if address is None or not _trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        hop_address = _parse(hop)
        if hop_address is None:
            # A trusted proxy passed on something that is not an address: the last address a
            # trusted proxy vouched for is as far as the chain can be followed.
            return address
        address = hop_address
        if not _trusted(address):
            return address
    return address  # trusted proxies all the way: a request from the proxies' own machine


def client_address(request) -> str | None:
    """`client_ip` as text, the form django-axes stores and cache keys use."""
    address = client_ip(request)
    return None if address is None else str(address)


def is_local(request) -> bool:
    """Whether the client is this machine (a loopback address, after the proxy rule)."""
    address = client_ip(request)
    return address is not None and address.is_loopback
