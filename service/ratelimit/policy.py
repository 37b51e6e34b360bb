"""Route groups and their limits: what each group's counter needs, computed once.

Which group a request belongs to is read from the method and path alone, before routing
(`service.http.paths.route_group`), so a limited request costs no route matching, no body
parsing and no database work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from limits import RateLimitItem


@dataclass(frozen=True)
class Policy:
    """One route group's limit, with what each hit needs computed once."""

    group: str
    item: RateLimitItem
    # Counted against the client address whatever token comes with the request.
    by_address: bool = False
    amount: int = field(init=False)
    window_s: int = field(init=False)
    window_ms: int = field(init=False)
    # The store key is this prefix and the caller: a changed limit starts fresh counts.
    key_prefix: str = field(init=False)

    def __post_init__(self) -> None:
        window_s = int(self.item.get_expiry())
        object.__setattr__(self, "amount", self.item.amount)
        object.__setattr__(self, "window_s", window_s)
        object.__setattr__(self, "window_ms", window_s * 1000)
        prefix = f"ratelimit:{self.group}:{self.item.amount}/{window_s}:"
        object.__setattr__(self, "key_prefix", prefix)
