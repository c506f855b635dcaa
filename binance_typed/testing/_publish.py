"""Work collected during one exchange operation, and its publication to the listeners when it ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._book import Trade
from ._events import account_position

if TYPE_CHECKING:
    from ._exchange import Exchange

__all__ = ["MarketUpdate", "Operation", "Pending", "publish"]


@dataclass
class MarketUpdate:
    """What one operation changed in a symbol's market: trades and touched book levels."""

    symbol: str
    time: int
    trades: list[Trade] = field(default_factory=list)
    bids: dict[Decimal, Decimal] = field(default_factory=dict)
    asks: dict[Decimal, Decimal] = field(default_factory=dict)
    first_update_id: int = 0
    last_update_id: int = 0


@dataclass
class Pending:
    """Work collected during one operation, published when it ends."""

    touched: dict[str, set[tuple[str, Decimal]]] = field(default_factory=dict)
    trades: dict[str, list[Trade]] = field(default_factory=dict)
    user: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    assets: dict[int, set[str]] = field(default_factory=dict)


class Operation:
    """``with ex._operation():`` collects events; the outermost one publishes them on success."""

    def __init__(self, ex: Exchange) -> None:
        self.ex = ex
        self.outer = False

    def __enter__(self) -> None:
        if self.ex._pending is None:
            self.ex._pending = Pending()
            self.outer = True

    def __exit__(self, *exc: object) -> None:
        if self.outer:
            pending, self.ex._pending = self.ex._pending, None
            if pending is not None and exc[0] is None:
                publish(self.ex, pending)


def publish(ex: Exchange, pending: Pending) -> None:
    now = ex.now()
    for symbol in set(pending.touched) | set(pending.trades):
        book = ex.books[symbol]
        update = MarketUpdate(symbol, now, pending.trades.get(symbol, []))
        touched = pending.touched.get(symbol, set())
        for side, price in touched:
            (update.bids if side == "BUY" else update.asks)[price] = book.qty_at(side, price)
        update.first_update_id = book.last_update_id + 1
        book.last_update_id += max(1, len(touched))
        update.last_update_id = book.last_update_id
        for listener in list(ex.market_listeners):
            listener(update)
    for account, events in pending.user.items():
        assets = sorted(pending.assets.pop(account, set()))
        if assets:
            events = [*events, account_position(ex.account_balances(account), assets, now)]
        for event in events:
            for user_listener in list(ex.user_listeners):
                user_listener(account, event)
    for account, asset_set in pending.assets.items():
        event = account_position(ex.account_balances(account), sorted(asset_set), now)
        for user_listener in list(ex.user_listeners):
            user_listener(account, event)
