"""The client's address, trusting forwarding headers only from configured proxies."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def parse_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """Parse `TRUSTED_PROXIES` entries (addresses or CIDR ranges), once per distinct list."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str, proxies: Sequence[IPNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(
    peer: str | None, forwarded_for: str | None, proxies: Sequence[IPNetwork]
) -> str:
    """The first untrusted hop, walking `X-Forwarded-For` from the right.

    Only when the direct peer is a trusted proxy is the header believed at all; each
    trusted hop may add its own entry, and the first address that is not a trusted proxy
    is the client. Anyone else could write any address into the header.
    """
    address = peer or "unknown"
    if not forwarded_for or not _trusted(address, proxies):
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        address = hop
        if not _trusted(hop, proxies):
            break
    return address
