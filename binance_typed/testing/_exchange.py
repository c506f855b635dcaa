"""The matching engine and account state: books, orders, balances, trades and their events.

Every mutation holds ``Exchange.lock`` (requests arrive on the server's event loop, test helpers
on the test's thread). Listeners are told about market changes and user events; they must only
queue work (the streams hub does).
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ._book import Book, Order, Trade
from ._contingent import MoreState, drain, list_event, settle
from ._errors import INSUFFICIENT_BALANCE, UNKNOWN_ORDER, WOULD_TAKE, ApiError
from ._events import Balance, balance_update, execution_report
from ._publish import MarketUpdate, Operation, Pending
from ._symbols import DEFAULT_SYMBOLS, SymbolSpec

__all__ = ["Exchange", "MarketUpdate", "OrderRequest"]

ZERO = Decimal(0)
MAKER_ACCOUNT = 0
COMMISSION = Decimal("0.001")
_STOPS = ("STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT")


@dataclass
class OrderRequest:
    symbol: str
    side: str
    type: str
    quantity: Decimal | None = None
    quote_qty: Decimal | None = None
    price: Decimal | None = None
    time_in_force: str | None = None
    stop_price: Decimal | None = None
    iceberg_qty: Decimal | None = None
    client_order_id: str | None = None
    order_list_id: int = -1
    sor: bool = False


class Exchange:
    """In-memory spot exchange: one book per symbol, a market-maker account (0) seeding liquidity."""

    def __init__(self, symbols: tuple[SymbolSpec, ...] = DEFAULT_SYMBOLS, clock_offset_ms: int = 0,
                 levels: int = 20) -> None:
        self.lock = threading.RLock()
        self.symbols = {s.symbol: s for s in symbols}
        self.books = {s.symbol: Book() for s in symbols}
        self.orders: dict[str, dict[int, Order]] = {s.symbol: {} for s in symbols}
        self.trades: dict[str, list[Trade]] = {s.symbol: [] for s in symbols}
        self.balances: dict[int, dict[str, Balance]] = {}
        self.clock_offset_ms = clock_offset_ms
        self.market_listeners: list[Callable[[MarketUpdate], None]] = []
        self.user_listeners: list[Callable[[int, dict[str, Any]], None]] = []
        self._order_ids = itertools.count(1)
        self._trade_ids = {s.symbol: itertools.count(100) for s in symbols}
        self._list_ids = itertools.count(1)
        self.order_lists: dict[int, list[Order]] = {}
        self.list_client_ids: dict[int, str] = {}
        self._pending: Pending | None = None
        self.more = MoreState()
        for asset in {a for s in symbols for a in (s.base, s.quote)}:
            self.balances.setdefault(MAKER_ACCOUNT, {})[asset] = Balance(Decimal("1000000000"))
        for spec in symbols:
            self.seed_book(spec.symbol, levels)

    # -- clock and accounts -------------------------------------------------------------------
    def now(self) -> int:
        return int(time.time() * 1000) + self.clock_offset_ms

    def spec(self, symbol: str) -> SymbolSpec:
        spec = self.symbols.get(symbol)
        if spec is None:
            raise ApiError(-1121)
        return spec

    def account_balances(self, account: int) -> dict[str, Balance]:
        return self.balances.setdefault(account, {})

    def fund(self, account: int, asset: str, amount: Decimal | str | int) -> None:
        """Credit ``amount`` (a deposit: sends balanceUpdate + outboundAccountPosition)."""
        with self.lock, self._operation():
            bal = self._bal(account, asset)
            bal.free += Decimal(amount)
            self._user(account, balance_update(asset, Decimal(amount), self.now()))
            self._asset(account, asset)

    def _bal(self, account: int, asset: str) -> Balance:
        return self.account_balances(account).setdefault(asset, Balance())

    def seed_book(self, symbol: str, levels: int = 20) -> None:
        """Rest market-maker orders on ``levels`` price levels each side of the symbol's mid price."""
        spec = self.spec(symbol)
        spacing = max(spec.tick, spec.round_price(spec.mid * Decimal("0.0002")))
        with self.lock:
            for i in range(levels):
                qty = spec.round_qty(spec.maker_qty * (1 + Decimal(i) / 4))
                for side, sign in (("BUY", -1), ("SELL", 1)):
                    price = spec.mid + sign * spacing * (i + 1)
                    self.place(MAKER_ACCOUNT, OrderRequest(symbol, side, "LIMIT", qty, price=price,
                                                           time_in_force="GTC"))

    # -- operation bookkeeping ----------------------------------------------------------------
    def _operation(self) -> Operation:
        return Operation(self)

    def _touch(self, symbol: str, side: str, price: Decimal) -> None:
        assert self._pending is not None
        self._pending.touched.setdefault(symbol, set()).add((side, price))

    def _user(self, account: int, event: dict[str, Any]) -> None:
        assert self._pending is not None
        self._pending.user.setdefault(account, []).append(event)

    def _asset(self, account: int, *assets: str) -> None:
        assert self._pending is not None
        self._pending.assets.setdefault(account, set()).update(assets)

    # -- placing --------------------------------------------------------------------------------
    def place(self, account: int, req: OrderRequest, test: bool = False, lock: bool = True) -> tuple[Order, list[Trade]]:
        """Validate, lock funds, match and rest an order; returns it with the trades it made."""
        with self.lock:
            spec = self.spec(req.symbol)
            book = self.books[req.symbol]
            market = req.type == "MARKET"
            price = req.price or ZERO
            if req.price is not None:
                spec.check_price(req.price)
            if req.stop_price is not None:
                spec.check_price(req.stop_price)
            qty = req.quantity
            if market:
                fill_qty, cost = self._dry_run(book, req.side, qty, req.quote_qty, None)
                if qty is None:
                    qty = fill_qty
                    if req.quote_qty is not None and req.quote_qty < spec.min_notional:
                        raise ApiError(-1013, "Filter failure: NOTIONAL")
                else:
                    spec.check_qty(qty, market=True)
                    ref = cost / fill_qty if fill_qty else spec.mid
                    spec.check_notional(qty * ref, market=True)
            else:
                assert qty is not None
                spec.check_qty(qty)
                spec.check_notional(qty * (price or req.stop_price or spec.mid))
            if req.type == "LIMIT_MAKER":
                best = book.best("SELL" if req.side == "BUY" else "BUY")
                if best is not None and (price >= best if req.side == "BUY" else price <= best):
                    raise ApiError(-2010, WOULD_TAKE)
            # funds
            if req.side == "BUY":
                need_asset = spec.quote
                if market:
                    need = cost if req.quote_qty is None else req.quote_qty
                else:
                    need = qty * (price or req.stop_price or ZERO)
            else:
                need_asset, need = spec.base, qty
            if not lock:
                need = ZERO
            if self._bal(account, need_asset).free < need and account != MAKER_ACCOUNT:
                raise ApiError(-2010, INSUFFICIENT_BALANCE)
            if market and qty == 0:
                raise ApiError(-2010, "Market is closed.") if not test else ApiError(-1013, "Filter failure: LOT_SIZE")
            if test:
                return Order(req.symbol, 0, req.client_order_id or "", account, req.side, req.type,
                             req.time_in_force or "GTC", price, qty, self.now()), []
            with self._operation():
                return self._place(account, spec, book, req, qty, price, need_asset, need)

    def _place(self, account: int, spec: SymbolSpec, book: Book, req: OrderRequest, qty: Decimal,
               price: Decimal, need_asset: str, need: Decimal) -> tuple[Order, list[Trade]]:
        now = self.now()
        order = Order(
            req.symbol, next(self._order_ids), req.client_order_id or uuid.uuid4().hex[:22], account, req.side,
            req.type, req.time_in_force or ("GTC" if req.type != "MARKET" else "GTC"), price, qty, now,
            stop_price=req.stop_price or ZERO, iceberg_qty=req.iceberg_qty or ZERO,
            orig_quote_qty=req.quote_qty or ZERO, update_time=now, order_list_id=req.order_list_id, sor=req.sor,
        )
        self.orders[req.symbol][order.order_id] = order
        if req.type != "MARKET" and need > 0:
            bal = self._bal(account, need_asset)
            bal.free -= need
            bal.locked += need
            order.locked, order.locked_asset = need, need_asset
            self._asset(account, need_asset)
        if req.type in _STOPS:
            self._user(account, execution_report(order, "NEW", now))
            return order, []
        order.working_time = now
        self._user(account, execution_report(order, "NEW", now))
        trades = self._match(spec, book, order, req.quote_qty)
        return order, trades

    def _dry_run(self, book: Book, side: str, qty: Decimal | None, quote: Decimal | None,
                 limit: Decimal | None) -> tuple[Decimal, Decimal]:
        """(quantity, quote cost) a taker would fill now."""
        spec_step = None
        got, cost = ZERO, ZERO
        for maker in book.makers_for(side, limit):
            if qty is not None:
                take = min(maker.remaining, qty - got)
            else:
                assert quote is not None
                if spec_step is None:
                    spec_step = self.symbols[maker.symbol].step
                take = min(maker.remaining, self.symbols[maker.symbol].round_qty((quote - cost) / maker.price))
            if take <= 0:
                break
            got += take
            cost += take * maker.price
        return got, cost

    def _match(self, spec: SymbolSpec, book: Book, taker: Order, quote: Decimal | None) -> list[Trade]:
        now = self.now()
        limit = None if taker.type == "MARKET" else taker.price
        if taker.time_in_force == "FOK":
            can, _ = self._dry_run(book, taker.side, taker.orig_qty, None, limit)
            if can < taker.orig_qty:
                self._finish(taker, "EXPIRED", now)
                return []
        trades: list[Trade] = []
        spent = ZERO
        for maker in book.makers_for(taker.side, limit):
            if quote is not None:
                take = min(maker.remaining, spec.round_qty((quote - spent) / maker.price))
            else:
                take = min(maker.remaining, taker.remaining)
            if take <= 0:
                break
            trade = self._fill(spec, book, taker, maker, take, now)
            spent += trade.quote_qty
            trades.append(trade)
        if taker.remaining > 0 and taker.status != "FILLED":
            if taker.type == "MARKET" or taker.time_in_force in ("IOC", "FOK"):
                self._finish(taker, "EXPIRED", now)
            else:
                book.add(taker)
                self._touch(taker.symbol, taker.side, taker.price)
        elif quote is not None:
            taker.orig_qty = taker.executed_qty
            taker.status = "FILLED"
        if trades:
            self._check_stops(spec, trades[-1].price)
        if self.more.queue:
            drain(self)  # pending orders of lists whose working order filled, now that matching is over
        return trades

    def _fill(self, spec: SymbolSpec, book: Book, taker: Order, maker: Order, qty: Decimal, now: int) -> Trade:
        price = maker.price
        buyer, seller = (taker, maker) if taker.side == "BUY" else (maker, taker)
        trade = Trade(next(self._trade_ids[spec.symbol]), spec.symbol, price, qty, now, buyer, seller,
                      buyer_is_maker=maker is buyer)
        for order, gets, gives in ((buyer, spec.base, spec.quote), (seller, spec.quote, spec.base)):
            amount = qty if order is buyer else qty * price
            commission = (amount * COMMISSION).quantize(Decimal("0.00000001"))
            trade.commission[order.order_id] = (commission, gets)
            pay = qty * price if order is buyer else qty
            bal_give = self._bal(order.account, gives)
            if order.locked_asset == gives and order.locked > 0:
                release = min(order.locked, qty * (order.price or order.stop_price) if order is buyer else qty)
                order.locked -= release
                bal_give.locked -= release
                bal_give.free += release
            bal_give.free -= pay
            self._bal(order.account, gets).free += amount - commission
            self._asset(order.account, gets, gives)
            order.executed_qty += qty
            order.cum_quote += qty * price
            order.update_time = now
            order.status = "FILLED" if order.remaining <= 0 else "PARTIALLY_FILLED"
            order.trades.append(trade)
            if order.status == "FILLED":
                self._release(order)
        if maker.status == "FILLED":
            book.remove(maker)
        self._touch(spec.symbol, maker.side, maker.price)
        self.trades[spec.symbol].append(trade)
        assert self._pending is not None
        self._pending.trades.setdefault(spec.symbol, []).append(trade)
        for order in (taker, maker):
            self._user(order.account, execution_report(order, "TRADE", now, trade))
        for order in (taker, maker):
            if order.status == "FILLED" and order.order_list_id >= 0:
                self._settle_list(order, now)
        return trade

    def _release(self, order: Order) -> None:
        if order.locked > 0:
            bal = self._bal(order.account, order.locked_asset)
            bal.locked -= order.locked
            bal.free += order.locked
            self._asset(order.account, order.locked_asset)
            order.locked = ZERO

    def _finish(self, order: Order, status: str, now: int, orig_client_id: str = "") -> None:
        order.status = status
        order.update_time = now
        self._release(order)
        if self.books[order.symbol].remove(order):
            self._touch(order.symbol, order.side, order.price)
        self._user(order.account, execution_report(order, "CANCELED" if status == "CANCELED" else "EXPIRED", now,
                                                   orig_client_id=orig_client_id))

    def _settle_list(self, done: Order, now: int) -> None:
        settle(self, done, now)  # expire the other leg, or queue the pending orders of an OTO-like list

    def _check_stops(self, spec: SymbolSpec, last: Decimal) -> None:
        for order in list(self.orders[spec.symbol].values()):
            if order.type not in _STOPS or order.status != "NEW" or order.is_working:
                continue
            up = (order.side == "BUY") == order.type.startswith("STOP")
            if (last >= order.stop_price) if up else (last <= order.stop_price):
                now = self.now()
                self._settle_list(order, now)
                order.working_time = now
                limit_type = order.type.endswith("_LIMIT")
                if limit_type and order.locked == 0:
                    asset, need = (spec.quote, order.remaining * order.price) if order.side == "BUY" \
                        else (spec.base, order.remaining)
                    bal = self._bal(order.account, asset)
                    take = min(need, bal.free)
                    bal.free -= take
                    bal.locked += take
                    order.locked, order.locked_asset = take, asset
                if not limit_type:
                    order.time_in_force = "GTC"
                    self._release(order)
                    order.type, order.price = "MARKET", ZERO
                self._match(spec, self.books[spec.symbol], order, None)
                if not limit_type:
                    order.type = "STOP_LOSS" if up == (order.side == "BUY") else "TAKE_PROFIT"

    # -- cancel and queries ---------------------------------------------------------------------
    def find(self, account: int, symbol: str, order_id: int | None, client_id: str | None) -> Order | None:
        self.spec(symbol)
        if order_id is not None:
            order = self.orders[symbol].get(order_id)
            if order is not None and client_id is not None and order.client_order_id != client_id:
                return None
        else:
            order = next((o for o in reversed(self.orders[symbol].values()) if o.client_order_id == client_id), None)
        return order if order is not None and order.account == account else None

    def cancel(self, account: int, symbol: str, order_id: int | None, client_id: str | None,
               new_client_id: str | None = None) -> Order:
        with self.lock, self._operation():
            order = self.find(account, symbol, order_id, client_id)
            if order is None or not order.is_open:
                raise ApiError(-2011, UNKNOWN_ORDER)
            self._cancel(order, new_client_id)
            return order

    def _cancel(self, order: Order, new_client_id: str | None) -> None:
        orig = order.client_order_id
        order.client_order_id = new_client_id or uuid.uuid4().hex[:22]
        self._finish(order, "CANCELED", self.now(), orig_client_id=orig)
        if order.order_list_id >= 0:
            for other in self.order_lists.get(order.order_list_id, []):
                if other is not order and other.is_open:
                    other_orig = other.client_order_id
                    self._finish(other, "CANCELED", self.now(), orig_client_id=other_orig)
            list_event(self, order.order_list_id, "ALL_DONE", "ALL_DONE")

    def open_orders(self, account: int, symbol: str | None = None) -> list[Order]:
        symbols = [symbol] if symbol else list(self.orders)
        return [o for s in symbols for o in self.orders[s].values() if o.account == account and o.is_open]

    def cancel_all(self, account: int, symbol: str) -> list[Order]:
        with self.lock, self._operation():
            orders = self.open_orders(account, self.spec(symbol).symbol)
            if not orders:
                raise ApiError(-2011, UNKNOWN_ORDER)
            for order in orders:
                if order.is_open:
                    self._cancel(order, None)
            return orders

    def place_list(self, account: int, legs: list[OrderRequest]) -> tuple[int, list[Order]]:
        """An OCO: both legs placed, the first fill or trigger of one expires the other."""
        with self.lock, self._operation():
            list_id = next(self._list_ids)
            placed: list[Order] = []
            for leg in legs:
                leg.order_list_id = list_id
                # both legs trade the same quantity: only the first (resting) leg locks funds
                order, _ = self.place(account, leg, lock=not placed)
                placed.append(order)
                self.order_lists[list_id] = placed
            return list_id, placed
