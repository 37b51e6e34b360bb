"""The client's address, trusting forwarding headers only from configured proxies.

Addresses are canonical: an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, what a socket
bound to `::` reports for IPv4 peers) is the IPv4 address, and IPv6 is written in its
compressed lower-case form, so `2001:DB8::0001` and `2001:db8::1` are one client.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Distinct addresses remembered per process; parsing one costs a few microseconds.
_CACHED_ADDRESSES = 8192
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")


@functools.cache
def parse_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """Parse `TRUSTED_PROXIES` entries (addresses or CIDR ranges), once per distinct list.

    An IPv4-mapped IPv6 range is kept as the IPv4 range it maps, since addresses are
    compared in their canonical form.
    """
    networks: list[IPNetwork] = []
    for entry in entries:
        network = ipaddress.ip_network(entry, strict=False)
        if isinstance(network, ipaddress.IPv6Network) and network.subnet_of(_MAPPED):
            mapped = ipaddress.IPv4Address(int(network.network_address) & 0xFFFFFFFF)
            network = ipaddress.IPv4Network(f"{mapped}/{network.prefixlen - 96}")
        networks.append(network)
    return tuple(networks)


@functools.lru_cache(maxsize=_CACHED_ADDRESSES)
def parse_address(text: str) -> IPAddress | None:
    """The canonical address written in `text`, or None when it is not an IP address.

    A zone (`fe80::1%eth0`) is dropped: it names the server's interface, not the client.
    """
    try:
        ip = ipaddress.ip_address(text.strip().split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def canonical_address(text: str) -> str:
    """`text` in canonical form when it is an IP address, else unchanged."""
    ip = parse_address(text)
    return text if ip is None else str(ip)


def _trusted(ip: IPAddress | None, proxies: Sequence[IPNetwork]) -> bool:
    return ip is not None and any(ip in network for network in proxies)


def client_address(
    peer: str | None, forwarded_for: str | None, proxies: Sequence[IPNetwork]
) -> str:
    """The first untrusted hop, walking `X-Forwarded-For` from the right, canonicalised.

    Only when the direct peer is a trusted proxy is the header believed at all; each
    trusted hop may add its own entry, and the first address that is not a trusted proxy
    is the client. Anyone else could write any address into the header.
    """
    if not peer:
        return "unknown"
    ip = parse_address(peer)
    address = peer if ip is None else str(ip)
    if not forwarded_for or not _trusted(ip, proxies):
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        ip = parse_address(hop)
        address = hop if ip is None else str(ip)
        if not _trusted(ip, proxies):
            break
    return address


@functools.lru_cache(maxsize=_CACHED_ADDRESSES)
def address_key(address: str, ipv6_prefix: int) -> str:
    """The rate-limit key of a canonical client address: IPv6 by its `/ipv6_prefix` network.

    One IPv6 subscriber is usually given a whole /64 and may pick any address in it, so a
    key per /128 would hand them 2^64 buckets.
    """
    ip = parse_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ipv6_prefix < 128:
        return str(ipaddress.IPv6Network(f"{ip}/{ipv6_prefix}", strict=False))
    return address
