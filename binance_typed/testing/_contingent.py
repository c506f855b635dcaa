"""Engine side of order lists with pending orders, keep-priority amendments and SOR allocations.

OTO, OTOCO, OPO and OPOCO lists hold a working order and pending order(s) (status ``PENDING_NEW``,
off the book, no funds locked). When the working order is fully filled its pending orders are
queued and placed once the match that filled it has finished (:func:`drain`, called at the end of
``Exchange._match``). The functions here run under ``Exchange.lock`` inside an operation.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._book import Order, Trade
from ._errors import UNKNOWN_ORDER, ApiError
from ._events import execution_report, list_status
from ._symbols import fmt

if TYPE_CHECKING:
    from ._exchange import Exchange, OrderRequest

__all__ = ["MoreState", "amend", "contingency", "drain", "list_event", "place_pending_list", "settle", "sor_fills",
           "start"]

ZERO = Decimal(0)
STOPS = ("STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT")
PAYS = ("OPO", "OPOCO")


@dataclass
class MoreState:
    """State the base engine does not need: list kinds, queued activations, amendments, allocations."""

    kinds: dict[int, str] = field(default_factory=dict)
    """order list id -> OCO, OTO, OTOCO, OPO or OPOCO."""
    queue: list[tuple[Order, bool]] = field(default_factory=list)
    """Pending orders to place, each with whether it locks the funds (the first of a pair does)."""
    amendments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    allocations: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    execution_ids: Any = field(default_factory=lambda: itertools.count(1))
    allocation_ids: Any = field(default_factory=lambda: itertools.count(0))


def contingency(kind: str) -> str:
    """The ``contingencyType`` Binance reports: OTOCO, OPO and OPOCO lists report ``OTO``."""
    return "OCO" if kind == "OCO" else "OTO"


def list_event(ex: Exchange, list_id: int, status: str, order_status: str) -> None:
    """Queue a ``listStatus`` user event for list ``list_id``."""
    orders = ex.order_lists.get(list_id)
    if not orders:
        return
    ordered = sorted(orders, key=lambda o: o.order_id)
    kind = contingency(ex.more.kinds.get(list_id, "OCO"))
    ex._user(orders[0].account, list_status(ordered, list_id, ex.list_client_ids.get(list_id, ""), ex.now(),
                                            status, order_status, kind))


# -- lists with pending orders ------------------------------------------------------------------
def _check_pending(ex: Exchange, req: OrderRequest) -> None:
    spec = ex.spec(req.symbol)
    for price in (req.price, req.stop_price):
        if price is not None:
            spec.check_price(price)
    if req.quantity is not None:
        market = req.type == "MARKET"
        spec.check_qty(req.quantity, market=market)
        spec.check_notional(req.quantity * (req.price or req.stop_price or spec.mid), market=market)


def place_pending_list(ex: Exchange, account: int, kind: str, working: OrderRequest, pending: list[OrderRequest],
                       list_client_id: str) -> tuple[int, list[Order]]:
    """Place the working order (it may trade at once) and record the pending orders as ``PENDING_NEW``."""
    for req in pending:
        _check_pending(ex, req)
    list_id = next(ex._list_ids)
    working.order_list_id = list_id
    placed: list[Order] = []
    ex.more.kinds[list_id], ex.list_client_ids[list_id], ex.order_lists[list_id] = kind, list_client_id, placed
    try:
        order, _ = ex.place(account, working)
    except ApiError:
        del ex.more.kinds[list_id], ex.list_client_ids[list_id], ex.order_lists[list_id]
        raise
    placed.append(order)
    now = ex.now()
    for req in pending:
        other = Order(req.symbol, next(ex._order_ids), req.client_order_id or uuid.uuid4().hex[:22], account,
                      req.side, req.type, req.time_in_force or "GTC", req.price or ZERO, req.quantity or ZERO, now,
                      stop_price=req.stop_price or ZERO, iceberg_qty=req.iceberg_qty or ZERO, status="PENDING_NEW",
                      update_time=now, order_list_id=list_id)
        ex.orders[req.symbol][other.order_id] = other
        placed.append(other)
        ex._user(account, execution_report(other, "NEW", now))
    list_event(ex, list_id, "EXEC_STARTED", "EXECUTING")
    return list_id, placed


def _queue_pending(ex: Exchange, orders: list[Order]) -> None:
    pending = [o for o in orders[1:] if o.status == "PENDING_NEW"]
    ex.more.queue.extend((o, i == 0) for i, o in enumerate(pending))


def start(ex: Exchange, list_id: int) -> None:
    """After the placement answer was taken: place the pending orders if the working order already filled."""
    orders = ex.order_lists[list_id]
    if orders[0].status == "FILLED":
        _queue_pending(ex, orders)
        drain(ex)


def settle(ex: Exchange, done: Order, now: int) -> None:
    """``done`` (in a list) filled or triggered: place the pending orders or expire the other leg."""
    list_id = done.order_list_id
    orders = ex.order_lists.get(list_id, [])
    if ex.more.kinds.get(list_id, "OCO") != "OCO" and (not orders or done is orders[0]):
        if orders and done.status == "FILLED":
            _queue_pending(ex, orders)
        return
    for other in orders:
        if other is not done and other.is_open:
            ex._finish(other, "EXPIRED", now)
    if orders and not any(o.is_open for o in orders):
        list_event(ex, list_id, "ALL_DONE", "ALL_DONE")


def drain(ex: Exchange) -> None:
    """Place the queued pending orders (each may trade, which may queue more)."""
    while ex.more.queue:
        order, lock = ex.more.queue.pop(0)
        if order.status == "PENDING_NEW":
            _activate(ex, order, lock)


def _received(ex: Exchange, working: Order) -> Decimal:
    """What an OPO's working order received, net of commission, rounded to the lot step."""
    got = sum((t.qty - t.commission[working.order_id][0] for t in working.trades), ZERO)
    return ex.spec(working.symbol).round_qty(got)


def _activate(ex: Exchange, order: Order, lock: bool) -> None:
    spec, book, now = ex.spec(order.symbol), ex.books[order.symbol], ex.now()
    if ex.more.kinds.get(order.order_list_id) in PAYS:
        order.orig_qty = _received(ex, ex.order_lists[order.order_list_id][0])
    order.status, order.update_time = "NEW", now
    if lock and order.type != "MARKET":
        asset, need = (spec.quote, order.orig_qty * (order.price or order.stop_price)) if order.side == "BUY" \
            else (spec.base, order.orig_qty)
        bal = ex._bal(order.account, asset)
        take = min(need, max(bal.free, ZERO))
        bal.free -= take
        bal.locked += take
        order.locked, order.locked_asset = take, asset
        ex._asset(order.account, asset)
    ex._user(order.account, execution_report(order, "NEW", now))
    if order.type in STOPS:
        return
    if order.type == "LIMIT_MAKER":
        best = book.best("SELL" if order.side == "BUY" else "BUY")
        if best is not None and (order.price >= best if order.side == "BUY" else order.price <= best):
            ex._finish(order, "EXPIRED", now)
            settle(ex, order, now)
            return
    order.working_time = now
    ex._match(spec, book, order, None)


# -- keep-priority amendments -------------------------------------------------------------------
def _amend_rejected(msg: str) -> ApiError:
    return ApiError(-2038, msg)


def amend(ex: Exchange, account: int, symbol: str, order_id: int | None, client_id: str | None, new_qty: Decimal,
          new_client_id: str | None) -> tuple[Order, int, str]:
    """Lower an open order's quantity in place (its queue position is kept); returns (order, executionId, orig id)."""
    order = ex.find(account, symbol, order_id, client_id)
    if order is None or not order.is_open:
        raise _amend_rejected(UNKNOWN_ORDER)
    kind = ex.more.kinds.get(order.order_list_id, "OCO")
    if kind in PAYS and order.status == "PENDING_NEW":
        raise _amend_rejected("Order amend (pending OPO order) is not supported.")
    if new_qty == order.orig_qty:
        raise _amend_rejected("The requested action would change no state; rejecting")
    if new_qty > order.orig_qty:
        raise _amend_rejected("Order amend (quantity increase) is not supported.")
    ex.spec(symbol).check_qty(new_qty)
    siblings = ex.order_lists.get(order.order_list_id, []) if order.order_list_id >= 0 else []
    working = siblings[0] if siblings and kind != "OCO" else None
    targets = [order] + [o for o in siblings if o is not order and o.is_open and order is not working
                         and o is not working]
    now, orig, before = ex.now(), order.client_order_id, order.orig_qty
    order.client_order_id = new_client_id or uuid.uuid4().hex[:22]
    execution_id = next(ex.more.execution_ids)
    for target in targets:
        _reduce(ex, target, new_qty, now, orig if target is order else target.client_order_id)
    ex.more.amendments.setdefault(order.order_id, []).append({
        "symbol": symbol, "orderId": order.order_id, "executionId": execution_id, "origClientOrderId": orig,
        "newClientOrderId": order.client_order_id, "origQty": fmt(before),
        "newQty": fmt(new_qty), "time": now})
    if siblings and orig != order.client_order_id:
        list_event(ex, order.order_list_id, "UPDATED", "EXECUTING")
    return order, execution_id, orig


def _reduce(ex: Exchange, order: Order, new_qty: Decimal, now: int, orig_client_id: str) -> None:
    order.orig_qty, order.update_time = new_qty, now
    if order.locked > 0:
        spec = ex.spec(order.symbol)
        remaining = max(order.remaining, ZERO)
        need = remaining * (order.price or order.stop_price) if order.locked_asset == spec.quote else remaining
        release = order.locked - min(order.locked, need)
        bal = ex._bal(order.account, order.locked_asset)
        order.locked -= release
        bal.locked -= release
        bal.free += release
        ex._asset(order.account, order.locked_asset)
    if order.is_working and order.type not in STOPS:
        ex._touch(order.symbol, order.side, order.price)
    if order.remaining <= 0 and order.status != "PENDING_NEW":
        order.status = "FILLED"
        ex._release(order)
        ex.books[order.symbol].remove(order)
    ex._user(order.account, execution_report(order, "REPLACED", now, orig_client_id=orig_client_id))


# -- SOR ----------------------------------------------------------------------------------------
def sor_fills(ex: Exchange, order: Order, trades: list[Trade]) -> list[dict[str, Any]]:
    """Record an allocation per trade of an SOR order; returns its ``fills`` (matchType, allocId)."""
    fills = []
    for trade in trades:
        alloc_id = next(ex.more.allocation_ids)
        commission, asset = trade.commission[order.order_id]
        row = {"symbol": order.symbol, "allocationId": alloc_id, "allocationType": "SOR", "orderId": order.order_id,
               "orderListId": order.order_list_id, "price": fmt(trade.price), "qty": fmt(trade.qty),
               "quoteQty": fmt(trade.quote_qty), "commission": fmt(commission), "commissionAsset": asset,
               "time": trade.time, "isBuyer": order is trade.buyer, "isMaker": False, "isAllocator": False}
        ex.more.allocations.setdefault(order.symbol, []).append((order.account, row))
        fills.append({"matchType": "ONE_PARTY_TRADE_REPORT", "price": fmt(trade.price), "qty": fmt(trade.qty),
                      "commission": fmt(commission), "commissionAsset": asset, "tradeId": -1, "allocId": alloc_id})
    return fills
