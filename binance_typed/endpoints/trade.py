"""Trading endpoints (``client.trade``): orders, order lists and SOR; all signed (TRADE)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .._endpoint import Endpoint, Overload, Security
from .._params import PositiveDecimal, SignedParams
from ..error import ParameterValueError
from ..models.enums import (
    NewOrderRespType,
    OrderSide,
    OrderType,
    PegOffsetType,
    PegPriceType,
    SelfTradePreventionMode,
    TimeInForce,
)
from ..models.trade import OrderAck, OrderFull, OrderResponse, OrderResult

ClientId = Annotated[str, Field(pattern=r"^[\.A-Z:/a-z0-9_-]{1,36}$")]

_STOP_TYPES = {OrderType.STOP_LOSS, OrderType.STOP_LOSS_LIMIT, OrderType.TAKE_PROFIT, OrderType.TAKE_PROFIT_LIMIT}
_LIMIT_PRICED = {OrderType.LIMIT, OrderType.STOP_LOSS_LIMIT, OrderType.TAKE_PROFIT_LIMIT, OrderType.LIMIT_MAKER}
_TIF_TYPES = {OrderType.LIMIT, OrderType.STOP_LOSS_LIMIT, OrderType.TAKE_PROFIT_LIMIT}


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
    strategyType: Annotated[int, Field(ge=1000000)] | None = None
    stopPrice: PositiveDecimal | None = None
    trailingDelta: Annotated[int, Field(gt=0)] | None = None
    icebergQty: PositiveDecimal | None = None
    newOrderRespType: NewOrderRespType | None = None
    selfTradePreventionMode: SelfTradePreventionMode | None = None
    pegPriceType: PegPriceType | None = None
    pegOffsetValue: Annotated[int, Field(ge=0, le=100)] | None = None
    pegOffsetType: PegOffsetType | None = None

    def check(self) -> None:
        check_order(self, self.type)


def check_order(p: NewOrderParams, kind: OrderType, where: str = "") -> None:
    """The per-order-type requirements of the docs (shared by orders and order-list legs)."""
    because = f"for a {kind.value} order{where}"
    if kind is OrderType.MARKET:
        p.one_of("quantity", "quoteOrderQty", exactly=True)
        p.forbid("price", "timeInForce", "stopPrice", "icebergQty", because=because)
    else:
        p.require("quantity", because=because)
        p.forbid("quoteOrderQty", because=because)
    if kind in _TIF_TYPES:
        p.require("timeInForce", because=because)
    elif kind is not OrderType.MARKET:
        p.forbid("timeInForce", because=because)
    if kind in _LIMIT_PRICED and p.pegPriceType is None:
        p.require("price", because=because)
    if kind in (OrderType.STOP_LOSS, OrderType.TAKE_PROFIT):
        p.forbid("price", because=because)
    if kind in _STOP_TYPES:
        if p.stopPrice is None and p.trailingDelta is None:
            raise ParameterValueError(f"stopPrice or trailingDelta required {because}", "stopPrice")
    else:
        p.forbid("stopPrice", "trailingDelta", because=because)
    if p.icebergQty is not None:
        if kind not in _LIMIT_PRICED:
            raise ParameterValueError(f"icebergQty not allowed {because}", "icebergQty")
        if kind is not OrderType.LIMIT_MAKER and p.timeInForce is not TimeInForce.GTC:
            raise ParameterValueError("an iceberg order (icebergQty) needs timeInForce=GTC", "timeInForce")
    if p.pegPriceType is not None and kind not in _LIMIT_PRICED:
        raise ParameterValueError(f"pegPriceType not allowed {because}", "pegPriceType")
    if (p.pegOffsetType is None) != (p.pegOffsetValue is None):
        raise ParameterValueError("pegOffsetType and pegOffsetValue go together", "pegOffsetType")


_ORDER_OVERLOADS = (
    Overload({"newOrderRespType": (NewOrderRespType.ACK,)}, OrderAck),
    Overload({"newOrderRespType": (NewOrderRespType.RESULT,)}, OrderResult),
    Overload({"newOrderRespType": (NewOrderRespType.FULL,)}, OrderFull),
)

NEW_ORDER = Endpoint(
    group="trade", name="new_order", verb="POST", path="/api/v3/order", security=Security.SIGNED,
    params=NewOrderParams, response=OrderResponse, weight=1, ws_method="order.place",
    places_order=True, client_id_field="newClientOrderId", overloads=_ORDER_OVERLOADS,
    summary="Place an order; the response shape follows newOrderRespType (ACK, RESULT or FULL).",
    extra_doc="LIMIT needs timeInForce, quantity and price; MARKET needs quantity or quoteOrderQty;\n"
    "stop and take-profit types need stopPrice or trailingDelta. A newClientOrderId is generated\n"
    "when none is given, so an order whose outcome is unknown can be looked up.",
)
