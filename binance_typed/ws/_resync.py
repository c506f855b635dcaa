"""What a bot reloads after a :class:`~binance_typed.models.events.user_data.UserDataGapEvent`.

Events lost while the connection was down are gone for good: the account's state has to be asked
for. :meth:`SpotWebsocketAPIClient.resync_user_data` (and its asyncio twin) gather the three
things a trading bot keeps from user data events: its open orders, its balances, and the orders
of the symbols it trades that changed since the gap began (a fill during the outage shows up
there as a ``FILLED`` order, with its executed quantities).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..models.account import AccountInfo, Balance, Order

__all__ = ["RECENT_LIMIT", "UserDataResync", "changed_since"]

_MARGIN = timedelta(seconds=60)
"""Asked for before the gap's start: clocks and the last event before the loss may disagree."""


@dataclass(frozen=True)
class UserDataResync:
    """The account as read after a gap: open orders, balances and recently changed orders."""

    open_orders: list[Order]
    """Every open order of the account (all symbols)."""
    balances: list[Balance]
    """The account's non-zero balances."""
    recent_orders: dict[str, list[Order]] = field(default_factory=dict)
    """Per symbol asked for: its orders created or updated since the gap began (among its
    1000 most recent orders)."""
    taken_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    """When the state was read (events after this moment arrive on the restored subscription)."""

    def order(self, symbol: str, order_id: int) -> Order | None:
        """An order by id, among the open and the recent ones."""
        for candidate in [*self.open_orders, *self.recent_orders.get(symbol.upper(), [])]:
            if candidate.symbol == symbol.upper() and candidate.order_id == order_id:
                return candidate
        return None

    def balance(self, asset: str) -> Balance | None:
        """The balance of ``asset``, or None when it is zero (or unknown)."""
        return next((b for b in self.balances if b.asset == asset), None)


def changed_since(orders: list[Order], since: datetime | None) -> list[Order]:
    """The orders created or updated since ``since`` (less a safety margin); all without it."""
    if since is None:
        return list(orders)
    cutoff = since - _MARGIN
    return [o for o in orders if o.update_time >= cutoff or o.time >= cutoff]


RECENT_LIMIT = 1000
"""``allOrders`` is asked for the most recent orders of each symbol (an order placed long before
the gap and filled during it is among them), then filtered on ``update_time``."""


def symbols_of(symbols: Iterable[str] | str) -> list[str]:
    return [symbols.upper()] if isinstance(symbols, str) else [s.upper() for s in symbols]


def build(open_orders: list[Order], info: AccountInfo, recent: dict[str, list[Order]]) -> UserDataResync:
    return UserDataResync(open_orders=list(open_orders), balances=list(info.balances), recent_orders=recent)
