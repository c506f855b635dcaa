"""Exchange rules: round prices and quantities to a symbol's filters and check orders before sending.

Get the rules of a symbol from a client (they are fetched from ``exchangeInfo`` once and cached)::

    rules = client.market.rules("BTCUSDT")               # SymbolRules
    price = rules.round_price(Decimal("59988.0149"), "BUY")   # 59988.01 (a buy rounds down)
    qty = rules.round_quantity(Decimal("0.0012345"))     # 0.00123 (always down to the step)
    rules.check({"side": "BUY", "type": "LIMIT", "price": price, "quantity": qty})

Rounding works on the step itself, not on the text Binance sends: a tick of ``0.01000000``
rounds to two decimals (``Decimal.quantize`` with that tick would round to eight, which is the
classic cause of ``-1013 Filter failure: PRICE_FILTER``).

:meth:`SymbolRules.check` raises :class:`FilterViolation` (a :class:`ParameterValueError`, so a
:class:`BinanceError`) naming the filter and the allowed value. Filters that depend on the market
(``PERCENT_PRICE``, ``PERCENT_PRICE_BY_SIDE``, the notional of a MARKET order) are checked when an
``avg_price`` is given; filters that depend on the account (open order counts, position) when an
:class:`AccountState` is given. The others need nothing but the rules.

``Client(order_rules="check")`` checks every order a request places (new orders and their tests,
cancel-replace, SOR orders, each order of an order list, an amendment's new quantity) against its
symbol's rules before it is signed; ``order_rules="round"`` first rounds its prices and
quantities, then checks.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ._config import DEFAULT_RULES_TTL
from .error import ParameterValueError
from .models.filters import (
    ExchangeMaxNumAlgoOrders,
    ExchangeMaxNumIcebergOrders,
    ExchangeMaxNumOrderLists,
    ExchangeMaxNumOrders,
    IcebergParts,
    LotSize,
    MarketLotSize,
    MaxNumAlgoOrders,
    MaxNumIcebergOrders,
    MaxNumOrderAmends,
    MaxNumOrderLists,
    MaxNumOrders,
    MaxPosition,
    MinNotional,
    Notional,
    PercentPrice,
    PercentPriceBySide,
    PriceFilter,
    TrailingDelta,
)

if TYPE_CHECKING:
    from ._endpoint import Endpoint
    from ._params import Params
    from .models.market import ExchangeInfo, SymbolInfo

__all__ = [
    "DEFAULT_RULES_TTL",
    "AccountState",
    "FilterViolation",
    "OrderRulesMode",
    "Rounding",
    "RulesCache",
    "SymbolRules",
    "round_step",
]

Rounding = Literal["down", "up", "nearest", "BUY", "SELL"]
"""How :meth:`SymbolRules.round_price` rounds: a direction, or an order side (a buy rounds down
and a sell rounds up, so the rounded price is never worse for you than the one you asked for)."""

OrderRulesMode = Literal["check", "round"]
"""The ``order_rules`` client setting: check every order, or round it and then check it."""

_ALGO_TYPES = frozenset({"STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"})
_MODES = {"down": ROUND_FLOOR, "up": ROUND_CEILING, "nearest": ROUND_HALF_EVEN,
          "BUY": ROUND_FLOOR, "SELL": ROUND_CEILING}
F = TypeVar("F")


class FilterViolation(ParameterValueError):
    """An order breaks one of the symbol's (or the exchange's) filters.

    Attributes:
        filter_type: the filter's ``filterType`` (``"PRICE_FILTER"``, ``"LOT_SIZE"``...).
        param: the order parameter at fault (``"price"``, ``"quantity"``...).
        allowed: the allowed value or range, as text (``"a multiple of 0.01 from 0.01"``).
    """

    def __init__(self, filter_type: str, param: str, value: Any, allowed: str) -> None:
        self.filter_type = filter_type
        self.allowed = allowed
        self.value = value
        shown = _plain(value) if isinstance(value, Decimal) else value
        super().__init__(f"{filter_type}: {param}={shown} is not allowed; allowed: {allowed}", param)


@dataclass(frozen=True)
class AccountState:
    """What the account-dependent filters need; leave a field None to skip its filter.

    ``open_*`` count what is open now on this symbol (``exchange_open_*``: on all symbols),
    without the order being checked. ``position`` is the base asset balance plus the quantity of
    open buy orders (``MAX_POSITION``); ``order_amends`` the amendments an order already had.
    """

    open_orders: int | None = None
    open_algo_orders: int | None = None
    open_iceberg_orders: int | None = None
    open_order_lists: int | None = None
    position: Decimal | None = None
    order_amends: int | None = None
    exchange_open_orders: int | None = None
    exchange_open_algo_orders: int | None = None
    exchange_open_iceberg_orders: int | None = None
    exchange_open_order_lists: int | None = None


def _plain(value: Decimal) -> str:
    """A Decimal in plain notation without a useless exponent (``0E-8`` -> ``0``)."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def _exponent(value: Decimal) -> int:
    exp = value.normalize().as_tuple().exponent
    return min(exp, 0) if isinstance(exp, int) else 0


def round_step(value: Decimal, step: Decimal, base: Decimal = Decimal(0), rounding: str = ROUND_FLOOR) -> Decimal:
    """``value`` moved onto the grid ``base + k * step`` (rounding towards ``rounding``).

    The result carries the step's real number of decimals: a step of ``0.01000000`` gives two
    decimals. A zero step returns ``value`` unchanged (Binance's way of switching a rule off).
    """
    value = Decimal(value)
    if step == 0:
        return value
    steps = ((value - base) / step).to_integral_value(rounding=rounding)
    result = steps * step + base
    places = min(_exponent(step), _exponent(base) if base else 0)
    return result.quantize(Decimal(1).scaleb(places))


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


@dataclass(frozen=True)
class SymbolRules:
    """The filters of one symbol (and of the exchange), with rounding and checking helpers.

    Build it with ``client.market.rules(symbol)`` or :meth:`from_exchange_info`. Every filter is
    available as an attribute (None when the symbol does not have it).
    """

    symbol: str
    info: SymbolInfo
    exchange_filters: tuple[Any, ...] = ()
    fetched_at: float = field(default_factory=time.monotonic, compare=False)

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_exchange_info(cls, info: ExchangeInfo, symbol: str) -> SymbolRules:
        """The rules of ``symbol`` from an ``exchangeInfo`` answer (``KeyError`` if not listed)."""
        symbol_info = info.symbol_info(symbol.upper())
        if symbol_info is None:
            raise KeyError(f"{symbol} is not in this exchangeInfo")
        return cls(symbol_info.symbol, symbol_info, tuple(info.exchange_filters))

    def _find(self, kind: type[F]) -> F | None:
        for item in (*self.info.filters, *self.exchange_filters):
            if type(item) is kind:
                return item
        return None

    @property
    def price_filter(self) -> PriceFilter | None:
        """The ``PRICE_FILTER`` filter, if the symbol has one."""
        return self._find(PriceFilter)

    @property
    def percent_price(self) -> PercentPrice | None:
        """The ``PERCENT_PRICE`` filter, if the symbol has one."""
        return self._find(PercentPrice)

    @property
    def percent_price_by_side(self) -> PercentPriceBySide | None:
        """The ``PERCENT_PRICE_BY_SIDE`` filter, if the symbol has one."""
        return self._find(PercentPriceBySide)

    @property
    def lot_size(self) -> LotSize | None:
        """The ``LOT_SIZE`` filter, if the symbol has one."""
        return self._find(LotSize)

    @property
    def market_lot_size(self) -> MarketLotSize | None:
        """The ``MARKET_LOT_SIZE`` filter, if the symbol has one."""
        return self._find(MarketLotSize)

    @property
    def min_notional(self) -> MinNotional | None:
        """The ``MIN_NOTIONAL`` filter, if the symbol has one."""
        return self._find(MinNotional)

    @property
    def notional(self) -> Notional | None:
        """The ``NOTIONAL`` filter, if the symbol has one."""
        return self._find(Notional)

    @property
    def iceberg_parts(self) -> IcebergParts | None:
        """The ``ICEBERG_PARTS`` filter, if the symbol has one."""
        return self._find(IcebergParts)

    @property
    def trailing_delta(self) -> TrailingDelta | None:
        """The ``TRAILING_DELTA`` filter, if the symbol has one."""
        return self._find(TrailingDelta)

    @property
    def tick_size(self) -> Decimal:
        """The price step with its real number of decimals (``0.01``, not ``0.01000000``)."""
        f = self.price_filter
        return f.tick_size.normalize() if f is not None and f.tick_size else Decimal(0)

    @property
    def step_size(self) -> Decimal:
        """The quantity step of ``LOT_SIZE`` with its real number of decimals."""
        f = self.lot_size
        return f.step_size.normalize() if f is not None and f.step_size else Decimal(0)

    # -- rounding -----------------------------------------------------------------------------
    def round_price(self, price: Any, rounding: Rounding = "nearest") -> Decimal:
        """``price`` on the tick grid of ``PRICE_FILTER``.

        ``rounding`` is ``"down"``, ``"up"``, ``"nearest"`` or an order side: ``"BUY"`` rounds
        down and ``"SELL"`` rounds up (never a worse price than asked). Bounds are not applied:
        :meth:`check` reports a price outside them.
        """
        value = _dec(price)
        assert value is not None
        mode = _MODES.get(_text(rounding) or "")
        if mode is None:
            raise ValueError(f"rounding must be one of {', '.join(_MODES)}, not {rounding!r}")
        f = self.price_filter
        if f is None or f.tick_size == 0:
            return value
        return round_step(value, f.tick_size, f.min_price, mode)

    def round_quantity(self, quantity: Any, market: bool = False) -> Decimal:
        """``quantity`` rounded down to the ``LOT_SIZE`` step (and, for a MARKET order, to the
        ``MARKET_LOT_SIZE`` step too). Rounding down never spends more than you have."""
        value = _dec(quantity)
        assert value is not None
        for f in self._quantity_filters(market):
            if f.step_size:
                value = round_step(value, f.step_size, f.min_qty, ROUND_FLOOR)
        return value

    def min_quantity_for(self, notional: Any, price: Any) -> Decimal:
        """The smallest valid quantity whose value at ``price`` reaches ``notional`` (quote asset).

        The result is on the ``LOT_SIZE`` grid and at least its ``minQty``; pass the symbol's
        minimum (``rules.min_notional_value``) to get the smallest order Binance accepts.
        """
        n, p = _dec(notional), _dec(price)
        assert n is not None and p is not None
        if p <= 0:
            raise ValueError("price must be positive")
        qty = n / p
        f = self.lot_size
        if f is None or not f.step_size:
            return qty
        qty = round_step(qty, f.step_size, f.min_qty, ROUND_CEILING)
        return max(qty, round_step(f.min_qty, f.step_size, f.min_qty))

    @property
    def min_notional_value(self) -> Decimal:
        """The minimum order value in the quote asset (``NOTIONAL`` or ``MIN_NOTIONAL``; 0 if none)."""
        values = [f.min_notional for f in (self.notional, self.min_notional) if f is not None]
        return max(values) if values else Decimal(0)

    def round_order(self, order: Mapping[str, Any], rounding: Rounding | None = None) -> dict[str, Any]:
        """A copy of ``order`` (API names) with ``price``/``stopPrice`` on the tick grid and
        ``quantity``/``icebergQty`` rounded down to the step; prices round by the order's side
        unless ``rounding`` says otherwise."""
        out = dict(order)
        side = _text(out.get("side"))
        mode: Rounding = rounding or ("SELL" if side == "SELL" else "BUY")
        market = _text(out.get("type")) == "MARKET"
        for name in ("price", "stopPrice"):
            if out.get(name) is not None:
                out[name] = self.round_price(out[name], mode)
        if out.get("quantity") is not None:
            out["quantity"] = self.round_quantity(out["quantity"], market)
        if out.get("icebergQty") is not None:
            out["icebergQty"] = self.round_quantity(out["icebergQty"])
        return out

    # -- checking -----------------------------------------------------------------------------
    def check(
        self,
        order: Mapping[str, Any] | Params,
        *,
        avg_price: Any = None,
        account: AccountState | None = None,
        order_list: bool = False,
        amend: bool = False,
    ) -> None:
        """Raise :class:`FilterViolation` when ``order`` breaks a filter; return None otherwise.

        Args:
            order: the order's parameters with the API's names (``side``, ``type``, ``price``,
                ``quantity``, ``quoteOrderQty``, ``stopPrice``, ``icebergQty``,
                ``trailingDelta``), as a dict or a params model.
            avg_price: the symbol's average price (``market.avg_price``): enables
                ``PERCENT_PRICE``, ``PERCENT_PRICE_BY_SIDE`` and the notional of MARKET orders.
            account: open order counts and position: enables the ``MAX_NUM_*``,
                ``EXCHANGE_MAX_NUM_*`` and ``MAX_POSITION`` filters.
            order_list: the order is part of a new order list (``MAX_NUM_ORDER_LISTS``).
            amend: the call amends an existing order (``MAX_NUM_ORDER_AMENDS``).
        """
        o = _as_mapping(order)
        side = _text(o.get("side")) or "BUY"
        kind = _text(o.get("type")) or "LIMIT"
        market = kind == "MARKET"
        price, stop = _dec(o.get("price")), _dec(o.get("stopPrice"))
        qty, quote_qty = _dec(o.get("quantity")), _dec(o.get("quoteOrderQty"))
        iceberg = _dec(o.get("icebergQty"))
        avg = _dec(avg_price)
        for name, value in (("price", price), ("stopPrice", stop)):
            if value is not None:
                self._check_price(name, value)
                if avg is not None and name == "price":
                    self._check_percent(value, side, avg)
        if qty is not None:
            for f in self._quantity_filters(market):
                self._check_quantity(f, "quantity", qty)
        if iceberg is not None:
            lot = self.lot_size
            if lot is not None:
                self._check_quantity(lot, "icebergQty", iceberg)
            parts = self.iceberg_parts
            if parts is not None and qty is not None and iceberg > 0 and math.ceil(qty / iceberg) > parts.limit:
                raise FilterViolation("ICEBERG_PARTS", "icebergQty", iceberg,
                                      f"at least quantity / {parts.limit} (at most {parts.limit} parts)")
        self._check_notional(market, price or stop, qty, quote_qty, avg)
        delta = o.get("trailingDelta")
        if delta is not None and kind in _ALGO_TYPES:
            self._check_trailing(int(delta), side, kind)
        if account is not None:
            self._check_account(account, side, kind, qty, iceberg is not None, order_list, amend)

    def _quantity_filters(self, market: bool) -> list[LotSize | MarketLotSize]:
        found: list[LotSize | MarketLotSize] = []
        if self.lot_size is not None:
            found.append(self.lot_size)
        if market and self.market_lot_size is not None:
            found.append(self.market_lot_size)
        return found

    def _check_price(self, name: str, value: Decimal) -> None:
        f = self.price_filter
        if f is None:
            return
        if f.min_price and value < f.min_price:
            raise FilterViolation("PRICE_FILTER", name, value, f"at least {_plain(f.min_price)}")
        if f.max_price and value > f.max_price:
            raise FilterViolation("PRICE_FILTER", name, value, f"at most {_plain(f.max_price)}")
        if f.tick_size and (value - f.min_price) % f.tick_size != 0:
            raise FilterViolation(
                "PRICE_FILTER", name, value,
                f"a multiple of the tick {_plain(f.tick_size)} from {_plain(f.min_price)}, "
                f"such as {_plain(self.round_price(value, 'down'))}",
            )

    def _check_percent(self, price: Decimal, side: str, avg: Decimal) -> None:
        pp = self.percent_price
        if pp is not None:
            _bounds("PERCENT_PRICE", price, avg * pp.multiplier_down, avg * pp.multiplier_up)
        ps = self.percent_price_by_side
        if ps is not None:
            if side == "BUY":
                _bounds("PERCENT_PRICE_BY_SIDE", price, avg * ps.bid_multiplier_down, avg * ps.bid_multiplier_up)
            else:
                _bounds("PERCENT_PRICE_BY_SIDE", price, avg * ps.ask_multiplier_down, avg * ps.ask_multiplier_up)

    def _check_quantity(self, f: LotSize | MarketLotSize, name: str, qty: Decimal) -> None:
        kind = f.filter_type
        if qty < f.min_qty:
            raise FilterViolation(kind, name, qty, f"at least {_plain(f.min_qty)}")
        if f.max_qty and qty > f.max_qty:
            raise FilterViolation(kind, name, qty, f"at most {_plain(f.max_qty)}")
        if f.step_size and (qty - f.min_qty) % f.step_size != 0:
            raise FilterViolation(
                kind, name, qty,
                f"a multiple of the step {_plain(f.step_size)} from {_plain(f.min_qty)}, "
                f"such as {_plain(round_step(qty, f.step_size, f.min_qty))}",
            )

    def _check_notional(self, market: bool, price: Decimal | None, qty: Decimal | None,
                        quote_qty: Decimal | None, avg: Decimal | None) -> None:
        if market:
            value = quote_qty if quote_qty is not None else (qty * avg if qty is not None and avg is not None else None)
        else:
            value = price * qty if price is not None and qty is not None else None
        if value is None:
            return
        name = "quoteOrderQty" if market and quote_qty is not None else "quantity"
        mn = self.min_notional
        if mn is not None and (not market or mn.apply_to_market) and value < mn.min_notional:
            raise FilterViolation("MIN_NOTIONAL", name, value, f"an order value of at least {_plain(mn.min_notional)}")
        n = self.notional
        if n is None:
            return
        if (not market or n.apply_min_to_market) and value < n.min_notional:
            raise FilterViolation("NOTIONAL", name, value, f"an order value of at least {_plain(n.min_notional)}")
        if (not market or n.apply_max_to_market) and n.max_notional and value > n.max_notional:
            raise FilterViolation("NOTIONAL", name, value, f"an order value of at most {_plain(n.max_notional)}")

    def _check_trailing(self, delta: int, side: str, kind: str) -> None:
        f = self.trailing_delta
        if f is None:
            return
        above = (side == "BUY") == kind.startswith("STOP_LOSS")
        low, high = ((f.min_trailing_above_delta, f.max_trailing_above_delta) if above
                     else (f.min_trailing_below_delta, f.max_trailing_below_delta))
        if not low <= delta <= high:
            raise FilterViolation("TRAILING_DELTA", "trailingDelta", delta, f"{low} to {high} basis points")

    def _check_account(self, a: AccountState, side: str, kind: str, qty: Decimal | None, iceberg: bool,
                       order_list: bool, amend: bool) -> None:
        algo = kind in _ALGO_TYPES
        counts: list[tuple[Any, int | None, bool]] = [
            (self._find(MaxNumOrders), a.open_orders, not amend),
            (self._find(MaxNumAlgoOrders), a.open_algo_orders, algo and not amend),
            (self._find(MaxNumIcebergOrders), a.open_iceberg_orders, iceberg and not amend),
            (self._find(MaxNumOrderLists), a.open_order_lists, order_list),
            (self._find(ExchangeMaxNumOrders), a.exchange_open_orders, not amend),
            (self._find(ExchangeMaxNumAlgoOrders), a.exchange_open_algo_orders, algo and not amend),
            (self._find(ExchangeMaxNumIcebergOrders), a.exchange_open_iceberg_orders, iceberg and not amend),
            (self._find(ExchangeMaxNumOrderLists), a.exchange_open_order_lists, order_list),
        ]
        for f, count, applies in counts:
            if f is None or count is None or not applies:
                continue
            limit = next(v for k, v in f.__dict__.items() if k.startswith("max_num"))
            if count + 1 > limit:
                raise FilterViolation(f.filter_type, "symbol", count + 1, f"at most {limit} open at once")
        amends = self._find(MaxNumOrderAmends)
        if amend and amends is not None and a.order_amends is not None and a.order_amends + 1 > amends.max_num_order_amends:
            raise FilterViolation("MAX_NUM_ORDER_AMENDS", "orderId", a.order_amends + 1,
                                  f"at most {amends.max_num_order_amends} amendments of one order")
        mp = self._find(MaxPosition)
        if (mp is not None and a.position is not None and side == "BUY" and qty is not None
                and a.position + qty > mp.max_position):
            raise FilterViolation("MAX_POSITION", "quantity", qty,
                                  f"a position of at most {_plain(mp.max_position)} (now {_plain(a.position)})")


def _bounds(kind: str, price: Decimal, low: Decimal, high: Decimal) -> None:
    if price < low:
        raise FilterViolation(kind, "price", price, f"at least {_plain(low)} now")
    if price > high:
        raise FilterViolation(kind, "price", price, f"at most {_plain(high)} now")


def _as_mapping(order: Mapping[str, Any] | Params) -> Mapping[str, Any]:
    if isinstance(order, Mapping):
        return order
    return {k: v for k, v in vars(order).items() if v is not None}


# -- the cache ------------------------------------------------------------------------------------
class RulesCache:
    """Symbol rules by symbol, each reused for ``ttl`` seconds (``refresh=True`` refetches)."""

    def __init__(self, ttl: float = DEFAULT_RULES_TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._rules: dict[str, SymbolRules] = {}

    def get(self, symbol: str, ttl: float | None = None) -> SymbolRules | None:
        """The cached rules of ``symbol``, or None when absent or older than ``ttl`` seconds (default: the cache's)."""
        rules = self._rules.get(symbol.upper())
        if rules is None:
            return None
        if self.clock() - rules.fetched_at > (self.ttl if ttl is None else ttl):
            return None
        return rules

    def put(self, info: ExchangeInfo, symbol: str) -> SymbolRules:
        """Build the rules of ``symbol`` from ``info``, cache them (stamped now) and return them."""
        rules = SymbolRules.from_exchange_info(info, symbol)
        rules = SymbolRules(rules.symbol, rules.info, rules.exchange_filters, self.clock())
        self._rules[rules.symbol] = rules
        return rules

    def clear(self) -> None:
        """Forget every cached symbol."""
        self._rules.clear()


# -- the order_rules client setting ---------------------------------------------------------------
_LEG_FIELDS = ("price", "stopPrice", "icebergQty", "trailingDelta")
_ROUNDED = ("price", "stopPrice", "quantity", "icebergQty")


def _field(prefix: str, name: str) -> str:
    return prefix + name[0].upper() + name[1:] if prefix else name


def _leg(fields: Any, prefix: str, side: str, kind: str, quantity: str | None) -> dict[str, str]:
    """One order of a request: generic name (``price``) -> the request's field (``abovePrice``)."""
    leg = {"side": side, "type": kind}
    leg.update({name: _field(prefix, name) for name in _LEG_FIELDS})
    if quantity is not None:
        leg["quantity"] = quantity
    if not prefix:
        leg["quoteOrderQty"] = "quoteOrderQty"
    return {k: v for k, v in leg.items() if v in fields}


def order_legs(params: Params) -> list[tuple[dict[str, str], dict[str, Any]]]:
    """The orders a request places: ``(field map, constant values)`` per order.

    Covers new orders, tests, cancel-replace and SOR orders (``side``/``type``), OCO legs
    (``above*``/``below*``), OTO/OTOCO/OPO/OPOCO working and pending orders, the deprecated OCO
    (``price`` + ``stopPrice``/``stopLimitPrice``) and amendments (``newQty``); other requests
    place no order and give an empty list.
    """
    f = type(params).model_fields
    legs: list[tuple[dict[str, str], dict[str, Any]]] = []
    if "side" in f and "type" in f:
        legs.append((_leg(f, "", "side", "type", "quantity"), {}))
    elif "side" in f and "stopLimitPrice" in f:  # the deprecated OCO
        legs.append(({"side": "side", "price": "price", "quantity": "quantity", "icebergQty": "limitIcebergQty"},
                     {"type": "LIMIT_MAKER"}))
        stop_kind = "STOP_LOSS_LIMIT" if getattr(params, "stopLimitPrice", None) is not None else "STOP_LOSS"
        legs.append(({"side": "side", "price": "stopLimitPrice", "stopPrice": "stopPrice", "quantity": "quantity",
                      "icebergQty": "stopIcebergQty", "trailingDelta": "trailingDelta"}, {"type": stop_kind}))
    for prefix in ("above", "below"):
        if f"{prefix}Type" in f:
            legs.append((_leg(f, prefix, "side", f"{prefix}Type", "quantity"), {}))
    if "workingType" in f:
        legs.append((_leg(f, "working", "workingSide", "workingType", "workingQuantity"), {}))
    pending_qty = "pendingQuantity" if "pendingQuantity" in f else None
    if "pendingType" in f:
        legs.append((_leg(f, "pending", "pendingSide", "pendingType", pending_qty), {}))
    for prefix in ("pendingAbove", "pendingBelow"):
        if f"{prefix}Type" in f:
            legs.append((_leg(f, prefix, "pendingSide", f"{prefix}Type", pending_qty), {}))
    if "newQty" in f:
        legs.append(({"quantity": "newQty"}, {}))
    return legs


def apply_rules(rules: SymbolRules, mode: OrderRulesMode, params: Params) -> Params:
    """Round (``mode="round"``) and check each order of a request; other requests pass unchanged."""
    legs = order_legs(params)
    if not legs:
        return params
    update: dict[str, Any] = {}
    checked = []
    for names, constants in legs:
        order = {k: getattr(params, v) for k, v in names.items() if getattr(params, v) is not None}
        order.update(constants)
        if mode == "round":
            rounded = rules.round_order(order)
            for key in _ROUNDED:
                if key in order and key in names:
                    update[names[key]] = rounded[key]
            order = rounded
        checked.append(order)
    if update:
        params = params.model_copy(update=update)
    for order in checked:
        rules.check(order, order_list=len(legs) > 1)
    return params


class SyncOrderGuard:
    """Wraps the trade group's transport: every order is checked (or rounded) before signing."""

    def __init__(self, transport: Any, mode: OrderRulesMode, rules: Callable[[str], SymbolRules]) -> None:
        if mode not in ("check", "round"):
            raise ValueError(f"order_rules must be 'check', 'round' or None, not {mode!r}")
        self.transport, self.mode, self.rules = transport, mode, rules

    def call(self, endpoint: Endpoint, params: Params, **options: Any) -> Any:
        symbol = getattr(params, "symbol", None)
        if symbol is not None and order_legs(params):
            params = apply_rules(self.rules(symbol), self.mode, params)
        return self.transport.call(endpoint, params, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


class AsyncOrderGuard:
    """The asyncio counterpart of :class:`SyncOrderGuard`."""

    def __init__(self, transport: Any, mode: OrderRulesMode,
                 rules: Callable[[str], Awaitable[SymbolRules]]) -> None:
        if mode not in ("check", "round"):
            raise ValueError(f"order_rules must be 'check', 'round' or None, not {mode!r}")
        self.transport, self.mode, self.rules = transport, mode, rules

    async def call(self, endpoint: Endpoint, params: Params, **options: Any) -> Any:
        symbol = getattr(params, "symbol", None)
        if symbol is not None and order_legs(params):
            params = apply_rules(await self.rules(symbol), self.mode, params)
        return await self.transport.call(endpoint, params, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)
