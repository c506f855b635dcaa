"""Orders, trades and the price-time priority order book of one symbol."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ._symbols import fmt

__all__ = ["Book", "Order", "Trade"]

ZERO = Decimal(0)


@dataclass
class Trade:
    """One match between a taker and a resting maker order."""

    id: int
    symbol: str
    price: Decimal
    qty: Decimal
    time: int
    buyer: Order
    seller: Order
    buyer_is_maker: bool
    commission: dict[int, tuple[Decimal, str]] = field(default_factory=dict)
    """order id -> (commission, asset) charged to that side."""

    @property
    def quote_qty(self) -> Decimal:
        return self.price * self.qty

    def public(self) -> dict[str, Any]:
        """The ``/api/v3/trades`` row."""
        return {
            "id": self.id, "price": fmt(self.price), "qty": fmt(self.qty), "quoteQty": fmt(self.quote_qty),
            "time": self.time, "isBuyerMaker": self.buyer_is_maker, "isBestMatch": True,
        }


@dataclass
class Order:
    symbol: str
    order_id: int
    client_order_id: str
    account: int
    side: str
    type: str
    time_in_force: str
    price: Decimal
    orig_qty: Decimal
    time: int
    stop_price: Decimal = ZERO
    iceberg_qty: Decimal = ZERO
    orig_quote_qty: Decimal = ZERO
    executed_qty: Decimal = ZERO
    cum_quote: Decimal = ZERO
    status: str = "NEW"
    update_time: int = 0
    working_time: int = -1
    order_list_id: int = -1
    locked: Decimal = ZERO
    """Amount of ``locked_asset`` still held for this order."""
    locked_asset: str = ""
    trades: list[Trade] = field(default_factory=list)
    sor: bool = False
    """Placed through SOR: reports ``workingFloor: SOR`` and ``usedSor: true``."""

    @property
    def remaining(self) -> Decimal:
        return self.orig_qty - self.executed_qty

    @property
    def is_open(self) -> bool:
        return self.status in ("NEW", "PARTIALLY_FILLED", "PENDING_NEW")

    @property
    def is_working(self) -> bool:
        return self.working_time >= 0

    def base(self, ts: int) -> dict[str, Any]:
        """Fields shared by RESULT responses, cancel responses and order queries."""
        out: dict[str, Any] = {
            "symbol": self.symbol, "orderId": self.order_id, "orderListId": self.order_list_id,
            "clientOrderId": self.client_order_id, "price": fmt(self.price), "origQty": fmt(self.orig_qty),
            "executedQty": fmt(self.executed_qty), "origQuoteOrderQty": fmt(self.orig_quote_qty),
            "cummulativeQuoteQty": fmt(self.cum_quote), "status": self.status,
            "timeInForce": self.time_in_force, "type": self.type, "side": self.side,
        }
        if self.stop_price:
            out["stopPrice"] = fmt(self.stop_price)
        if self.iceberg_qty:
            out["icebergQty"] = fmt(self.iceberg_qty)
        out["workingTime"] = self.working_time
        out["selfTradePreventionMode"] = "NONE"
        if self.sor:
            out["workingFloor"], out["usedSor"] = "SOR", True
        return out

    def query(self) -> dict[str, Any]:
        """The ``GET /api/v3/order`` / ``allOrders`` / ``openOrders`` row."""
        out = self.base(0)
        out.update(
            stopPrice=fmt(self.stop_price), icebergQty=fmt(self.iceberg_qty), time=self.time,
            updateTime=self.update_time or self.time, isWorking=self.is_working,
        )
        return out


class Book:
    """Bids and asks of one symbol: price level -> FIFO list of resting orders."""

    def __init__(self) -> None:
        self.bids: dict[Decimal, list[Order]] = {}
        self.asks: dict[Decimal, list[Order]] = {}
        self.last_update_id = 1000

    def side(self, side: str) -> dict[Decimal, list[Order]]:
        return self.bids if side == "BUY" else self.asks

    def add(self, order: Order) -> None:
        self.side(order.side).setdefault(order.price, []).append(order)

    def remove(self, order: Order) -> bool:
        levels = self.side(order.side)
        queue = levels.get(order.price)
        if not queue or order not in queue:
            return False
        queue.remove(order)
        if not queue:
            del levels[order.price]
        return True

    def best(self, side: str) -> Decimal | None:
        levels = self.side(side)
        if not levels:
            return None
        return max(levels) if side == "BUY" else min(levels)

    def qty_at(self, side: str, price: Decimal) -> Decimal:
        return sum((o.remaining for o in self.side(side).get(price, [])), ZERO)

    def levels(self, side: str, limit: int) -> list[tuple[Decimal, Decimal]]:
        levels = self.side(side)
        prices = sorted(levels, reverse=side == "BUY")[:limit]
        return [(p, self.qty_at(side, p)) for p in prices]

    def makers_for(self, taker_side: str, limit_price: Decimal | None) -> Iterator[Order]:
        """Resting orders a taker on ``taker_side`` may match, best price first, then time."""
        opposite = "SELL" if taker_side == "BUY" else "BUY"
        levels = self.side(opposite)
        for price in sorted(levels, reverse=opposite == "BUY"):
            if limit_price is not None and (price > limit_price if taker_side == "BUY" else price < limit_price):
                return
            yield from list(levels.get(price, []))

    def snapshot(self, limit: int) -> dict[str, Any]:
        return {
            "lastUpdateId": self.last_update_id,
            "bids": [[fmt(p), fmt(q)] for p, q in self.levels("BUY", limit)],
            "asks": [[fmt(p), fmt(q)] for p, q in self.levels("SELL", limit)],
        }
