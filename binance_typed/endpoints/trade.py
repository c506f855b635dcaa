"""Trading endpoints (``client.trade``): orders, order lists and SOR; all signed (TRADE).

Every params model validates the documented cross-field rules in :meth:`check`, before anything
is signed: :func:`check_order` holds the per-order-type rules, applied to plain orders and to
each leg of an order list through an :class:`OrderView` that maps the leg's prefixed names
(``abovePrice``, ``pendingTimeInForce``...) onto the names the rules use.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from .._endpoint import ABSENT, Endpoint, Overload, Security
from .._params import Params, PositiveDecimal, SignedParams
from ..error import ConditionalParameterRequiredError, ParameterValueError
from ..models.enums import (
    CancelReplaceMode,
    CancelRestrictions,
    NewOrderRespType,
    OrderRateLimitExceededMode,
    OrderSide,
    OrderType,
    PegOffsetType,
    PegPriceType,
    SelfTradePreventionMode,
    TimeInForce,
)
from ..models.trade import (
    CancelledOrderList,
    CancelOpenOrdersItem,
    CancelReplaceAck,
    CancelReplaceFull,
    CancelReplaceResponse,
    CancelReplaceResult,
    OrderAck,
    OrderAmendment,
    OrderCommissionRates,
    OrderFull,
    OrderListAck,
    OrderListFull,
    OrderListResponse,
    OrderListResult,
    OrderResponse,
    OrderResult,
    TestOrderAccepted,
)

__all__ = ["OrderView", "check_order"]

ClientId = Annotated[str, Field(pattern=r"\A[.A-Z:/a-z0-9_-]{1,36}\z")]  # rust regex: \z is the very end
"""A client order id as Binance accepts it: 1 to 36 of ``[.A-Z:/a-z0-9_-]``."""
StrategyType = Annotated[int, Field(ge=1000000)]
TrailingDelta = Annotated[int, Field(gt=0)]
PegOffsetValue = Annotated[int, Field(ge=0, le=100)]


def _only(*allowed: str) -> Callable[[Any], Any]:
    """A before-validator restricting an enum parameter to some of its values, with a clear message."""
    text = ", ".join(allowed[:-1]) + f" or {allowed[-1]}" if len(allowed) > 1 else allowed[0]

    def check(value: Any) -> Any:
        if getattr(value, "value", value) not in allowed:
            raise ValueError(f"must be {text}")
        return value

    return check


def _enum(kind: type[Any]) -> Callable[[Any], Any]:
    """``kind(value)`` as a plain function: pydantic cannot read an Enum class's signature on 3.12+."""
    return lambda value: kind(value)


WorkingType = Annotated[
    Literal[OrderType.LIMIT, OrderType.LIMIT_MAKER, "LIMIT", "LIMIT_MAKER"],
    BeforeValidator(_only("LIMIT", "LIMIT_MAKER")),
    AfterValidator(_enum(OrderType)),
]
"""The working order of an OTO/OTOCO/OPO/OPOCO: ``LIMIT`` or ``LIMIT_MAKER``."""

OcoLegType = Annotated[
    Literal[
        OrderType.STOP_LOSS, OrderType.STOP_LOSS_LIMIT, OrderType.TAKE_PROFIT, OrderType.TAKE_PROFIT_LIMIT,
        OrderType.LIMIT_MAKER, "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", "LIMIT_MAKER",
    ],
    BeforeValidator(_only("STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", "LIMIT_MAKER")),
    AfterValidator(_enum(OrderType)),
]
"""A leg of an OCO pair: one stop-loss type and one of LIMIT_MAKER/TAKE_PROFIT/TAKE_PROFIT_LIMIT."""

SorType = Annotated[
    Literal[OrderType.LIMIT, OrderType.MARKET, "LIMIT", "MARKET"],
    BeforeValidator(_only("LIMIT", "MARKET")),
    AfterValidator(_enum(OrderType)),
]
"""SOR supports ``LIMIT`` and ``MARKET`` orders only."""

BuySide = Annotated[Literal[OrderSide.BUY, "BUY"], BeforeValidator(_only("BUY")), AfterValidator(_enum(OrderSide))]
SellSide = Annotated[Literal[OrderSide.SELL, "SELL"], BeforeValidator(_only("SELL")), AfterValidator(_enum(OrderSide))]


# -- validation ---------------------------------------------------------------------------------
_ORDER_FIELDS = (
    "quantity", "quoteOrderQty", "price", "timeInForce", "stopPrice", "trailingDelta", "icebergQty",
    "pegPriceType", "pegOffsetType", "pegOffsetValue",
)


class OrderView:
    """One order of a request seen under the plain names the rules use.

    ``prefix`` maps ``price`` to ``abovePrice`` (etc.); ``renames`` overrides single names
    (``quantity="quantity"`` for legs that share the list's quantity, ``None`` for a field the
    request does not have). Names that the params model lacks read as absent.
    """

    def __init__(self, params: Params, prefix: str = "", **renames: str | None) -> None:
        self.params = params
        fields = type(params).model_fields
        self.names: dict[str, str] = {}
        for plain in _ORDER_FIELDS:
            actual = renames[plain] if plain in renames else prefix + plain[0].upper() + plain[1:] if prefix else plain
            if actual is not None and actual in fields:
                self.names[plain] = actual

    def has(self, plain: str) -> bool:
        """Whether this kind of order has a parameter called ``plain``."""
        return plain in self.names

    def get(self, plain: str) -> Any:
        """The value of the parameter called ``plain`` in the order's own terms (None if absent or unset)."""
        name = self.names.get(plain)
        return getattr(self.params, name) if name is not None else None

    def name(self, plain: str) -> str:
        """The wire name of ``plain`` for this kind of order (a leg's prefixed name in an order list)."""
        return self.names.get(plain, plain)

    def require(self, *plain: str, because: str) -> None:
        """Raise :class:`~binance_typed.error.ConditionalParameterRequiredError` for the first of ``plain`` that is missing."""
        missing = [self.name(n) for n in plain if self.has(n) and self.get(n) is None]
        if missing:
            raise ConditionalParameterRequiredError(missing[:1], because)

    def forbid(self, *plain: str, because: str) -> None:
        """Raise :class:`~binance_typed.error.ParameterValueError` if any of ``plain`` is given (``because`` says why)."""
        present = [self.name(n) for n in plain if self.get(n) is not None]
        if present:
            raise ParameterValueError(f"{', '.join(present)} not allowed {because}", present[0])

    def one_of(self, *plain: str, because: str) -> None:
        """Require exactly one of ``plain`` (among those this order has); raise otherwise."""
        known = [n for n in plain if self.has(n)]
        given = [self.name(n) for n in known if self.get(n) is not None]
        if len(given) > 1:
            raise ParameterValueError(f"send only one of {', '.join(given)}", given[1])
        if not given and known:
            raise ConditionalParameterRequiredError([self.name(n) for n in known], because)


_STOP_TYPES = {OrderType.STOP_LOSS, OrderType.STOP_LOSS_LIMIT, OrderType.TAKE_PROFIT, OrderType.TAKE_PROFIT_LIMIT}
_LIMIT_PRICED = {OrderType.LIMIT, OrderType.STOP_LOSS_LIMIT, OrderType.TAKE_PROFIT_LIMIT, OrderType.LIMIT_MAKER}
_TIF_TYPES = {OrderType.LIMIT, OrderType.STOP_LOSS_LIMIT, OrderType.TAKE_PROFIT_LIMIT}
_STOP_LOSS_TYPES = {OrderType.STOP_LOSS, OrderType.STOP_LOSS_LIMIT}


def check_order(p: Params | OrderView, kind: OrderType, because: str | None = None) -> None:
    """The per-order-type requirements of the docs (shared by orders and order-list legs).

    ``because`` ends the messages (default ``"when type=LIMIT"``). A view without a quantity
    field (OPO pending orders, whose quantity comes from the working order) skips the quantity
    rules.
    """
    v = p if isinstance(p, OrderView) else OrderView(p)
    because = because or f"when type={kind.value}"
    if v.has("quantity"):
        if kind is OrderType.MARKET:
            v.one_of("quantity", "quoteOrderQty", because=because)
        else:
            v.require("quantity", because=because)
            v.forbid("quoteOrderQty", because=because)
    if kind is OrderType.MARKET:
        v.forbid("price", "timeInForce", "icebergQty", because=because)
    if kind in _TIF_TYPES:
        v.require("timeInForce", because=because)
    else:
        v.forbid("timeInForce", because=because)
    if kind in _LIMIT_PRICED and v.get("pegPriceType") is None:
        v.require("price", because=because)
    if kind in (OrderType.STOP_LOSS, OrderType.TAKE_PROFIT):
        v.forbid("price", because=because)
    if kind in _STOP_TYPES:
        if v.get("stopPrice") is None and v.get("trailingDelta") is None:
            names = [v.name(n) for n in ("stopPrice", "trailingDelta") if v.has(n)]
            raise ConditionalParameterRequiredError(names, because)
    else:
        v.forbid("stopPrice", "trailingDelta", because=because)
    if v.get("icebergQty") is not None:
        if kind not in _LIMIT_PRICED:
            v.forbid("icebergQty", because=because)
        if kind is not OrderType.LIMIT_MAKER and v.get("timeInForce") is not TimeInForce.GTC:
            raise ParameterValueError(
                f"an iceberg order ({v.name('icebergQty')}) needs {v.name('timeInForce')}=GTC",
                v.name("timeInForce"),
            )
    if v.get("pegPriceType") is not None and kind not in _LIMIT_PRICED:
        v.forbid("pegPriceType", because=because)
    if (v.get("pegOffsetType") is None) != (v.get("pegOffsetValue") is None):
        raise ParameterValueError(
            f"{v.name('pegOffsetType')} and {v.name('pegOffsetValue')} go together", v.name("pegOffsetType")
        )


def _one_order_of(p: Params, id_name: str, client_name: str, what: str = "order") -> None:
    """At least one of the two ids that identify an existing order (Binance checks they agree)."""
    if getattr(p, id_name) is None and getattr(p, client_name) is None:
        raise ConditionalParameterRequiredError([id_name, client_name], f"to identify the {what}")


def _trigger(v: OrderView) -> tuple[str, Decimal] | None:
    """The price at which a leg works, with its parameter name: its stopPrice, else its limit price."""
    for plain in ("stopPrice", "price"):
        value = v.get(plain)
        if isinstance(value, Decimal):
            return v.name(plain), value
    return None


def _check_oco_pair(above: OrderView, above_kind: OrderType, below: OrderView, below_kind: OrderType,
                    above_type: str, below_type: str) -> None:
    """An OCO pairs one stop-loss leg with one LIMIT_MAKER/TAKE_PROFIT(_LIMIT) leg, above > below."""
    if (above_kind in _STOP_LOSS_TYPES) == (below_kind in _STOP_LOSS_TYPES):
        raise ParameterValueError(
            f"an OCO needs one STOP_LOSS/STOP_LOSS_LIMIT order and one LIMIT_MAKER/TAKE_PROFIT/"
            f"TAKE_PROFIT_LIMIT order (got {above_type}={above_kind.value}, {below_type}={below_kind.value})",
            below_type,
        )
    high, low = _trigger(above), _trigger(below)
    if high is not None and low is not None and high[1] <= low[1]:
        raise ParameterValueError(
            f"the above order must work above the below order: {high[0]}={high[1]} is not higher than "
            f"{low[0]}={low[1]}",
            high[0],
        )


# -- POST /api/v3/order -------------------------------------------------------------------------
class NewOrderParams(SignedParams):
    """Parameters of a new order; :meth:`check` applies the per-type rules of the docs."""

    symbol: str
    side: OrderSide
    type: OrderType
    timeInForce: TimeInForce | None = None
    quantity: PositiveDecimal | None = None
    quoteOrderQty: PositiveDecimal | None = None
    price: PositiveDecimal | None = None
    newClientOrderId: ClientId | None = None
    strategyId: int | None = None
    strategyType: StrategyType | None = None
    stopPrice: PositiveDecimal | None = None
    trailingDelta: TrailingDelta | None = None
    icebergQty: PositiveDecimal | None = None
    newOrderRespType: NewOrderRespType | None = None
    selfTradePreventionMode: SelfTradePreventionMode | None = None
    pegPriceType: PegPriceType | None = None
    pegOffsetValue: PegOffsetValue | None = None
    pegOffsetType: PegOffsetType | None = None

    def check(self) -> None:
        check_order(self, self.type)


_FULL_BY_DEFAULT = (OrderType.LIMIT, OrderType.MARKET)
_ACK_BY_DEFAULT = tuple(t for t in OrderType if t not in _FULL_BY_DEFAULT)

# The documented defaults come first: without newOrderRespType, MARKET and LIMIT orders answer
# FULL and every other type ACK. They type the call; at run time the answer's own shape decides
# (OrderResponse), so a server answering otherwise never turns a placed order into an error.
_ORDER_OVERLOADS = (
    Overload({"newOrderRespType": ABSENT, "type": _FULL_BY_DEFAULT}, OrderFull, typing_only=True),
    Overload({"newOrderRespType": ABSENT, "type": _ACK_BY_DEFAULT}, OrderAck, typing_only=True),
    Overload({"newOrderRespType": (NewOrderRespType.ACK,)}, OrderAck),
    Overload({"newOrderRespType": (NewOrderRespType.RESULT,)}, OrderResult),
    Overload({"newOrderRespType": (NewOrderRespType.FULL,)}, OrderFull),
)
_SOR_OVERLOADS = (  # SOR answers FULL by default
    Overload({"newOrderRespType": ABSENT}, OrderFull, typing_only=True),
    Overload({"newOrderRespType": (NewOrderRespType.ACK,)}, OrderAck),
    Overload({"newOrderRespType": (NewOrderRespType.RESULT,)}, OrderResult),
    Overload({"newOrderRespType": (NewOrderRespType.FULL,)}, OrderFull),
)

NEW_ORDER = Endpoint(
    group="trade", name="new_order", verb="POST", path="/api/v3/order", security=Security.SIGNED,
    params=NewOrderParams, response=OrderResponse, weight=1, ws_method="order.place",
    places_order=True, client_id_field="newClientOrderId", overloads=_ORDER_OVERLOADS, order_weight=1,
    summary="Place an order; the response shape follows newOrderRespType (ACK, RESULT or FULL).",
    extra_doc="LIMIT needs timeInForce, quantity and price; MARKET needs quantity or quoteOrderQty;\n"
    "stop and take-profit types need stopPrice or trailingDelta. A newClientOrderId is generated\n"
    "when none is given, so an order whose outcome is unknown can be looked up.",
)


# -- POST /api/v3/order/test --------------------------------------------------------------------
class TestNewOrderParams(NewOrderParams):
    """A new order that is validated but never sent to the matching engine."""

    __test__ = False  # not a pytest test class

    computeCommissionRates: bool | None = None


def commission_weight(params: Any) -> int:
    """1, or 20 with computeCommissionRates=True."""
    return 20 if getattr(params, "computeCommissionRates", None) else 1


_TEST_OVERLOADS = (
    Overload({"computeCommissionRates": (True,)}, OrderCommissionRates),
    Overload({"computeCommissionRates": (False,)}, TestOrderAccepted),
    Overload({"computeCommissionRates": ABSENT}, TestOrderAccepted),
)

TEST_NEW_ORDER = Endpoint(
    group="trade", name="test_new_order", verb="POST", path="/api/v3/order/test", security=Security.SIGNED,
    params=TestNewOrderParams, response=OrderCommissionRates | TestOrderAccepted, weight=commission_weight,
    ws_method="order.test", overloads=_TEST_OVERLOADS,
    summary="Validate an order without placing it; computeCommissionRates=True returns its commission rates.",
    extra_doc="Takes the same parameters, and applies the same checks, as new_order.",
)


# -- DELETE /api/v3/order -----------------------------------------------------------------------
class CancelOrderParams(SignedParams):
    """Cancel one order, found by orderId or origClientOrderId (both: they must agree)."""

    symbol: str
    orderId: int | None = None
    origClientOrderId: str | None = None
    newClientOrderId: ClientId | None = None
    cancelRestrictions: CancelRestrictions | None = None

    def check(self) -> None:
        _one_order_of(self, "orderId", "origClientOrderId")


CANCEL_ORDER = Endpoint(
    group="trade", name="cancel_order", verb="DELETE", path="/api/v3/order", security=Security.SIGNED,
    params=CancelOrderParams, response=CancelOpenOrdersItem, weight=1, ws_method="order.cancel",
    summary="Cancel an active order; cancelling an order of an order list cancels the whole list.",
    extra_doc="cancelRestrictions=ONLY_NEW or ONLY_PARTIALLY_FILLED cancels only an order in that status.",
)


# -- DELETE /api/v3/openOrders ------------------------------------------------------------------
class CancelOpenOrdersParams(SignedParams):
    symbol: str


CANCEL_OPEN_ORDERS = Endpoint(
    group="trade", name="cancel_open_orders", verb="DELETE", path="/api/v3/openOrders",
    security=Security.SIGNED, params=CancelOpenOrdersParams, response=list[CancelOpenOrdersItem],
    weight=1, ws_method="openOrders.cancelAll",
    summary="Cancel every open order of a symbol, order lists included.",
    extra_doc="Returns a CancelledOrder per standalone order and a CancelledOrderList per order list.",
)


# -- POST /api/v3/order/cancelReplace -----------------------------------------------------------
class CancelReplaceParams(NewOrderParams):
    """Cancel an order and place a new one on the same symbol; the new order follows new_order's rules."""

    cancelReplaceMode: CancelReplaceMode
    cancelNewClientOrderId: ClientId | None = None
    cancelOrigClientOrderId: str | None = None
    cancelOrderId: int | None = None
    cancelRestrictions: CancelRestrictions | None = None
    orderRateLimitExceededMode: OrderRateLimitExceededMode | None = None

    def check(self) -> None:
        _one_order_of(self, "cancelOrderId", "cancelOrigClientOrderId")
        check_order(self, self.type)


CANCEL_REPLACE_ORDER = Endpoint(
    group="trade", name="cancel_replace_order", verb="POST", path="/api/v3/order/cancelReplace",
    security=Security.SIGNED, params=CancelReplaceParams, response=CancelReplaceResponse, weight=1,
    ws_method="order.cancelReplace", places_order=True, client_id_field="newClientOrderId", order_weight=1,
    overloads=(
        Overload({"newOrderRespType": (NewOrderRespType.ACK,)}, CancelReplaceAck),
        Overload({"newOrderRespType": (NewOrderRespType.RESULT,)}, CancelReplaceResult),
        Overload({"newOrderRespType": (NewOrderRespType.FULL,)}, CancelReplaceFull),
    ),
    summary="Cancel an existing order and place a new one (cancelReplaceMode decides if a failed cancel stops).",
    extra_doc="When either part fails Binance answers 400 or 409 and a ClientError is raised whose\n"
    "error_data holds both outcomes: read it with CancelReplaceFailure.from_error(exc).",
)


# -- PUT /api/v3/order/amend/keepPriority -------------------------------------------------------
class AmendOrderParams(SignedParams):
    """Reduce an open order's quantity without losing its place in the queue."""

    symbol: str
    orderId: int | None = None
    origClientOrderId: str | None = None
    newClientOrderId: ClientId | None = None
    newQty: PositiveDecimal

    def check(self) -> None:
        _one_order_of(self, "orderId", "origClientOrderId")


AMEND_ORDER_KEEP_PRIORITY = Endpoint(
    group="trade", name="amend_order_keep_priority", verb="PUT", path="/api/v3/order/amend/keepPriority",
    security=Security.SIGNED, params=AmendOrderParams, response=OrderAmendment, weight=4,
    ws_method="order.amend.keepPriority",
    summary="Lower an open order's quantity (newQty) while keeping its priority in the book.",
    extra_doc="Send orderId or origClientOrderId (or both); newQty must be below the current quantity.",
)


# -- order lists --------------------------------------------------------------------------------
_LIST_OVERLOADS = (
    Overload({"newOrderRespType": (NewOrderRespType.ACK,)}, OrderListAck),
    Overload({"newOrderRespType": (NewOrderRespType.RESULT,)}, OrderListResult),
    Overload({"newOrderRespType": (NewOrderRespType.FULL,)}, OrderListFull),
)
_OPO_OVERLOADS = (Overload({"newOrderRespType": (NewOrderRespType.ACK,)}, OrderListAck),)


class NewOcoParams(SignedParams):
    """The deprecated OCO: a LIMIT_MAKER leg at ``price`` and a stop leg at ``stopPrice``."""

    symbol: str
    listClientOrderId: ClientId | None = None
    side: OrderSide
    quantity: PositiveDecimal
    limitClientOrderId: ClientId | None = None
    price: PositiveDecimal
    limitStrategyId: int | None = None
    limitStrategyType: StrategyType | None = None
    limitIcebergQty: PositiveDecimal | None = None
    trailingDelta: TrailingDelta | None = None
    stopClientOrderId: ClientId | None = None
    stopPrice: PositiveDecimal
    stopStrategyId: int | None = None
    stopStrategyType: StrategyType | None = None
    stopLimitPrice: PositiveDecimal | None = None
    stopIcebergQty: PositiveDecimal | None = None
    stopLimitTimeInForce: TimeInForce | None = None
    newOrderRespType: NewOrderRespType | None = None
    selfTradePreventionMode: SelfTradePreventionMode | None = None

    def check(self) -> None:
        limit = OrderView(self, quantity="quantity", price="price", icebergQty="limitIcebergQty",
                          timeInForce=None, stopPrice=None, trailingDelta=None)
        check_order(limit, OrderType.LIMIT_MAKER, because="for the limit (LIMIT_MAKER) leg")
        stop = OrderView(self, quantity="quantity", price="stopLimitPrice", timeInForce="stopLimitTimeInForce",
                         stopPrice="stopPrice", trailingDelta="trailingDelta", icebergQty="stopIcebergQty")
        if self.stopLimitPrice is not None:
            check_order(stop, OrderType.STOP_LOSS_LIMIT, because="when stopLimitPrice is given")
        else:
            check_order(stop, OrderType.STOP_LOSS, because="without stopLimitPrice (a STOP_LOSS leg)")
        if self.side is OrderSide.SELL and self.price <= self.stopPrice:
            raise ParameterValueError("a SELL OCO needs price > stopPrice", "price")
        if self.side is OrderSide.BUY and self.price >= self.stopPrice:
            raise ParameterValueError("a BUY OCO needs price < stopPrice", "price")


NEW_OCO_DEPRECATED = Endpoint(
    group="trade", name="new_oco_deprecated", verb="POST", path="/api/v3/order/oco", security=Security.SIGNED,
    params=NewOcoParams, response=OrderListResponse, weight=1, ws_method="orderList.place",
    places_order=True, client_id_field="listClientOrderId", order_weight=2, overloads=_LIST_OVERLOADS,
    summary="Place an OCO the deprecated way (prefer new_order_list_oco).",
    extra_doc="SELL: price > last price > stopPrice; BUY: price < last price < stopPrice.\n"
    "stopLimitPrice makes the stop leg STOP_LOSS_LIMIT and then needs stopLimitTimeInForce.",
)


class NewOrderListOcoParams(SignedParams):
    """An OCO pair: an above and a below order sharing ``quantity``."""

    symbol: str
    listClientOrderId: ClientId | None = None
    side: OrderSide
    quantity: PositiveDecimal
    aboveType: OcoLegType
    aboveClientOrderId: ClientId | None = None
    aboveIcebergQty: PositiveDecimal | None = None
    abovePrice: PositiveDecimal | None = None
    aboveStopPrice: PositiveDecimal | None = None
    aboveTrailingDelta: TrailingDelta | None = None
    aboveTimeInForce: TimeInForce | None = None
    aboveStrategyId: int | None = None
    aboveStrategyType: StrategyType | None = None
    abovePegPriceType: PegPriceType | None = None
    abovePegOffsetType: PegOffsetType | None = None
    abovePegOffsetValue: PegOffsetValue | None = None
    belowType: OcoLegType
    belowClientOrderId: ClientId | None = None
    belowIcebergQty: PositiveDecimal | None = None
    belowPrice: PositiveDecimal | None = None
    belowStopPrice: PositiveDecimal | None = None
    belowTrailingDelta: TrailingDelta | None = None
    belowTimeInForce: TimeInForce | None = None
    belowStrategyId: int | None = None
    belowStrategyType: StrategyType | None = None
    belowPegPriceType: PegPriceType | None = None
    belowPegOffsetType: PegOffsetType | None = None
    belowPegOffsetValue: PegOffsetValue | None = None
    newOrderRespType: NewOrderRespType | None = None
    selfTradePreventionMode: SelfTradePreventionMode | None = None

    def check(self) -> None:
        above_kind, below_kind = OrderType(self.aboveType), OrderType(self.belowType)
        above = OrderView(self, "above", quantity="quantity")
        below = OrderView(self, "below", quantity="quantity")
        check_order(above, above_kind, f"when aboveType={above_kind.value}")
        check_order(below, below_kind, f"when belowType={below_kind.value}")
        _check_oco_pair(above, above_kind, below, below_kind, "aboveType", "belowType")


NEW_ORDER_LIST_OCO = Endpoint(
    group="trade", name="new_order_list_oco", verb="POST", path="/api/v3/orderList/oco",
    security=Security.SIGNED, params=NewOrderListOcoParams, response=OrderListResponse, weight=1,
    ws_method="orderList.place.oco", places_order=True, client_id_field="listClientOrderId", order_weight=2,
    overloads=_LIST_OVERLOADS,
    summary="Place an OCO: when one of the two orders activates, the other is cancelled.",
    extra_doc="One leg is STOP_LOSS or STOP_LOSS_LIMIT, the other LIMIT_MAKER, TAKE_PROFIT or\n"
    "TAKE_PROFIT_LIMIT; each leg follows new_order's per-type rules under its above/below names.",
)


class _WorkingOrderParams(SignedParams):
    """The fields shared by OTO, OTOCO, OPO and OPOCO: the list and its working order."""

    symbol: str
    listClientOrderId: ClientId | None = None
    newOrderRespType: NewOrderRespType | None = None
    selfTradePreventionMode: SelfTradePreventionMode | None = None
    workingType: WorkingType
    workingSide: OrderSide
    workingClientOrderId: ClientId | None = None
    workingPrice: PositiveDecimal
    workingQuantity: PositiveDecimal
    workingIcebergQty: PositiveDecimal | None = None
    workingTimeInForce: TimeInForce | None = None
    workingStrategyId: int | None = None
    workingStrategyType: StrategyType | None = None
    workingPegPriceType: PegPriceType | None = None
    workingPegOffsetType: PegOffsetType | None = None
    workingPegOffsetValue: PegOffsetValue | None = None

    def check_working(self) -> None:
        kind = OrderType(self.workingType)
        check_order(OrderView(self, "working"), kind, f"when workingType={kind.value}")


class NewOrderListOtoParams(_WorkingOrderParams):
    """An OTO: the pending order is placed once the working order is fully filled."""

    pendingType: OrderType
    pendingSide: OrderSide
    pendingClientOrderId: ClientId | None = None
    pendingPrice: PositiveDecimal | None = None
    pendingStopPrice: PositiveDecimal | None = None
    pendingTrailingDelta: TrailingDelta | None = None
    pendingQuantity: PositiveDecimal
    pendingIcebergQty: PositiveDecimal | None = None
    pendingTimeInForce: TimeInForce | None = None
    pendingStrategyId: int | None = None
    pendingStrategyType: StrategyType | None = None
    pendingPegPriceType: PegPriceType | None = None
    pendingPegOffsetType: PegOffsetType | None = None
    pendingPegOffsetValue: PegOffsetValue | None = None

    def check(self) -> None:
        self.check_working()
        check_order(OrderView(self, "pending"), self.pendingType, f"when pendingType={self.pendingType.value}")


NEW_ORDER_LIST_OTO = Endpoint(
    group="trade", name="new_order_list_oto", verb="POST", path="/api/v3/orderList/oto",
    security=Security.SIGNED, params=NewOrderListOtoParams, response=OrderListResponse, weight=1,
    ws_method="orderList.place.oto", places_order=True, client_id_field="listClientOrderId", order_weight=2,
    overloads=_LIST_OVERLOADS,
    summary="Place an OTO: a working LIMIT/LIMIT_MAKER order whose full fill places the pending order.",
    extra_doc="The pending order may be any type (a MARKET one takes pendingQuantity, not quoteOrderQty).",
)


class _PendingPairFields(SignedParams):
    """The pending above/below pair of OTOCO and OPOCO."""

    pendingSide: OrderSide
    pendingAboveType: OcoLegType
    pendingAboveClientOrderId: ClientId | None = None
    pendingAbovePrice: PositiveDecimal | None = None
    pendingAboveStopPrice: PositiveDecimal | None = None
    pendingAboveTrailingDelta: TrailingDelta | None = None
    pendingAboveIcebergQty: PositiveDecimal | None = None
    pendingAboveTimeInForce: TimeInForce | None = None
    pendingAboveStrategyId: int | None = None
    pendingAboveStrategyType: StrategyType | None = None
    pendingAbovePegPriceType: PegPriceType | None = None
    pendingAbovePegOffsetType: PegOffsetType | None = None
    pendingAbovePegOffsetValue: PegOffsetValue | None = None
    pendingBelowType: OcoLegType | None = None
    pendingBelowClientOrderId: ClientId | None = None
    pendingBelowPrice: PositiveDecimal | None = None
    pendingBelowStopPrice: PositiveDecimal | None = None
    pendingBelowTrailingDelta: TrailingDelta | None = None
    pendingBelowIcebergQty: PositiveDecimal | None = None
    pendingBelowTimeInForce: TimeInForce | None = None
    pendingBelowStrategyId: int | None = None
    pendingBelowStrategyType: StrategyType | None = None
    pendingBelowPegPriceType: PegPriceType | None = None
    pendingBelowPegOffsetType: PegOffsetType | None = None
    pendingBelowPegOffsetValue: PegOffsetValue | None = None

    def check_pending_pair(self, quantity: str | None) -> None:
        above_kind = OrderType(self.pendingAboveType)
        above = OrderView(self, "pendingAbove", quantity=quantity)
        check_order(above, above_kind, f"when pendingAboveType={above_kind.value}")
        if self.pendingBelowType is None:
            given = [n for n in type(self).model_fields if n.startswith("pendingBelow") and getattr(self, n) is not None]
            if given:
                raise ConditionalParameterRequiredError(["pendingBelowType"], f"when {given[0]} is given")
            return
        below_kind = OrderType(self.pendingBelowType)
        below = OrderView(self, "pendingBelow", quantity=quantity)
        check_order(below, below_kind, f"when pendingBelowType={below_kind.value}")
        _check_oco_pair(above, above_kind, below, below_kind, "pendingAboveType", "pendingBelowType")


class NewOrderListOtocoParams(_PendingPairFields, _WorkingOrderParams):
    """An OTOCO: the working order's full fill places an OCO pair sharing ``pendingQuantity``."""

    pendingQuantity: PositiveDecimal

    def check(self) -> None:
        self.check_working()
        self.check_pending_pair("pendingQuantity")


NEW_ORDER_LIST_OTOCO = Endpoint(
    group="trade", name="new_order_list_otoco", verb="POST", path="/api/v3/orderList/otoco",
    security=Security.SIGNED, params=NewOrderListOtocoParams, response=OrderListResponse, weight=1,
    ws_method="orderList.place.otoco", places_order=True, client_id_field="listClientOrderId", order_weight=3,
    overloads=_LIST_OVERLOADS,
    summary="Place an OTOCO: a working order whose full fill places an OCO pair (pending above/below).",
    extra_doc="The pending pair follows new_order_list_oco's rules under pendingAbove*/pendingBelow* names.",
)


class NewOrderListOpoParams(_WorkingOrderParams):
    """An OPO: like an OTO, but the pending order's quantity is what the working order bought."""

    workingSide: BuySide  # type: ignore[assignment]
    pendingType: OrderType
    pendingSide: SellSide
    pendingClientOrderId: ClientId | None = None
    pendingPrice: PositiveDecimal | None = None
    pendingStopPrice: PositiveDecimal | None = None
    pendingTrailingDelta: TrailingDelta | None = None
    pendingIcebergQty: PositiveDecimal | None = None
    pendingTimeInForce: TimeInForce | None = None
    pendingStrategyId: int | None = None
    pendingStrategyType: StrategyType | None = None
    pendingPegPriceType: PegPriceType | None = None
    pendingPegOffsetType: PegOffsetType | None = None
    pendingPegOffsetValue: PegOffsetValue | None = None

    def check(self) -> None:
        self.check_working()
        check_order(OrderView(self, "pending"), self.pendingType, f"when pendingType={self.pendingType.value}")


NEW_ORDER_LIST_OPO = Endpoint(
    group="trade", name="new_order_list_opo", verb="POST", path="/api/v3/orderList/opo",
    security=Security.SIGNED, params=NewOrderListOpoParams, response=OrderListResponse, weight=1,
    ws_method="orderList.place.opo", places_order=True, client_id_field="listClientOrderId", order_weight=2,
    overloads=_OPO_OVERLOADS,
    summary="Place an OPO: a BUY working order whose proceeds are sold by the pending SELL order.",
    extra_doc="The pending order has no quantity: it gets what the working order received.",
)


class NewOrderListOpocoParams(_PendingPairFields, _WorkingOrderParams):
    """An OPOCO: like an OTOCO, with the pair's quantity taken from the working order's fill."""

    workingSide: BuySide  # type: ignore[assignment]
    pendingSide: SellSide  # type: ignore[assignment]

    def check(self) -> None:
        self.check_working()
        self.check_pending_pair(None)


NEW_ORDER_LIST_OPOCO = Endpoint(
    group="trade", name="new_order_list_opoco", verb="POST", path="/api/v3/orderList/opoco",
    security=Security.SIGNED, params=NewOrderListOpocoParams, response=OrderListResponse, weight=1,
    ws_method="orderList.place.opoco", places_order=True, client_id_field="listClientOrderId", order_weight=3,
    overloads=_OPO_OVERLOADS,
    summary="Place an OPOCO: a BUY working order whose proceeds are sold by a pending OCO pair.",
    extra_doc="The pending pair follows new_order_list_oco's rules and has no quantity of its own.",
)


class CancelOrderListParams(SignedParams):
    """Cancel a whole order list, found by orderListId or listClientOrderId."""

    symbol: str
    orderListId: int | None = None
    listClientOrderId: str | None = None
    newClientOrderId: ClientId | None = None

    def check(self) -> None:
        _one_order_of(self, "orderListId", "listClientOrderId", what="order list")


CANCEL_ORDER_LIST = Endpoint(
    group="trade", name="cancel_order_list", verb="DELETE", path="/api/v3/orderList", security=Security.SIGNED,
    params=CancelOrderListParams, response=CancelledOrderList, weight=1, ws_method="orderList.cancel",
    summary="Cancel an entire order list, found by orderListId or listClientOrderId.",
)


# -- SOR ----------------------------------------------------------------------------------------
class NewSorOrderParams(SignedParams):
    """An order routed by SOR: LIMIT or MARKET with a base quantity (no quoteOrderQty)."""

    symbol: str
    side: OrderSide
    type: SorType
    timeInForce: TimeInForce | None = None
    quantity: PositiveDecimal
    price: PositiveDecimal | None = None
    newClientOrderId: ClientId | None = None
    strategyId: int | None = None
    strategyType: StrategyType | None = None
    icebergQty: PositiveDecimal | None = None
    newOrderRespType: NewOrderRespType | None = None
    selfTradePreventionMode: SelfTradePreventionMode | None = None

    def check(self) -> None:
        check_order(self, OrderType(self.type))


NEW_SOR_ORDER = Endpoint(
    group="trade", name="new_sor_order", verb="POST", path="/api/v3/sor/order", security=Security.SIGNED,
    params=NewSorOrderParams, response=OrderResponse, weight=1, ws_method="sor.order.place",
    places_order=True, client_id_field="newClientOrderId", order_weight=1, overloads=_SOR_OVERLOADS,
    summary="Place an order through smart order routing (SOR); fills carry matchType and allocId.",
    extra_doc="Binance answers FULL unless newOrderRespType says otherwise.",
)


class TestSorOrderParams(NewSorOrderParams):
    """An SOR order that is validated but never sent to the matching engine."""

    __test__ = False  # not a pytest test class

    computeCommissionRates: bool | None = None


TEST_NEW_SOR_ORDER = Endpoint(
    group="trade", name="test_new_sor_order", verb="POST", path="/api/v3/sor/order/test",
    security=Security.SIGNED, params=TestSorOrderParams, response=OrderCommissionRates | TestOrderAccepted,
    weight=commission_weight, ws_method="sor.order.test", overloads=_TEST_OVERLOADS,
    summary="Validate an SOR order without placing it; computeCommissionRates=True returns its rates.",
)
