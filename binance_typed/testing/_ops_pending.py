"""Order lists with pending orders (OTO, OTOCO, OPO, OPOCO), the deprecated OCO, open and all order lists.

The working order goes on the book at once; the pending order(s) are answered as ``PENDING_NEW``
and placed when the working order is fully filled (see :mod:`._contingent`).
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

from ._book import Order
from ._contingent import place_pending_list, start
from ._errors import ApiError, mandatory
from ._exchange import OrderRequest
from ._ops import SYMBOL, Call, op
from ._ops_lists import _leg, _leg_params, list_report, place_oco
from ._ops_trade import _window, ack, fill, order_request, result
from ._params import bounded, client_id, decimal, enum, integer, text

_SIDE = enum("BUY", "SELL", code=-1117)
_TIF = enum("GTC", "IOC", "FOK", code=-1115)
_ANY_TYPE = enum("LIMIT", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", "LIMIT_MAKER",
                 code=-1116)
_LIST: dict[str, Any] = dict(symbol=SYMBOL, listClientOrderId=client_id,
                             newOrderRespType=enum("ACK", "RESULT", "FULL"), selfTradePreventionMode=text)
_ONE = Decimal(1)


def _order_params(prefix: str, kind: Any, quantity: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {f"{prefix}Type": kind, f"{prefix}Side": _SIDE, f"{prefix}ClientOrderId": client_id,
                           f"{prefix}Price": decimal, f"{prefix}IcebergQty": decimal, f"{prefix}TimeInForce": _TIF,
                           f"{prefix}StrategyId": integer, f"{prefix}StrategyType": integer,
                           f"{prefix}PegPriceType": text, f"{prefix}PegOffsetType": text,
                           f"{prefix}PegOffsetValue": integer}
    if quantity:
        out[f"{prefix}Quantity"] = decimal
    if prefix == "pending":
        out.update(pendingStopPrice=decimal, pendingTrailingDelta=integer)
    return out


_WORKING = _order_params("working", enum("LIMIT", "LIMIT_MAKER", code=-1116))
_WORKING_REQUIRED = ("symbol", "workingType", "workingSide", "workingPrice", "workingQuantity")


def _prefixed(error: ApiError, prefix: str) -> ApiError:
    """An error of the single-order rules with its parameter names given the list's prefix."""
    error.msg = re.sub(r"'([a-zA-Z]+)'", lambda m: f"'{prefix}{m.group(1)[0].upper()}{m.group(1)[1:]}'", error.msg)
    return error


def _order(c: Call, prefix: str, quantity: Decimal | None) -> OrderRequest:
    """The working or (OTO/OPO) pending order, checked with ``order.place``'s per-type rules."""
    fields = ("timeInForce", "price", "stopPrice", "trailingDelta", "icebergQty", "newClientOrderId")
    own = {"newClientOrderId": f"{prefix}ClientOrderId"}
    sub = {name: c.p[own.get(name, prefix + name[0].upper() + name[1:])] for name in fields
           if own.get(name, prefix + name[0].upper() + name[1:]) in c.p}
    try:
        return order_request({**sub, "symbol": c.p["symbol"], "side": c.p[f"{prefix}Side"],
                              "type": c.p[f"{prefix}Type"], "quantity": quantity or _ONE})
    except ApiError as error:
        raise _prefixed(error, prefix) from None


def _pair(c: Call, quantity: Decimal | None) -> list[OrderRequest]:
    """The pending above/below pair of OTOCO/OPOCO (OCO rules), or the above order alone."""
    shim = Call(c.rt, {**c.p, "side": c.p["pendingSide"], "quantity": quantity or _ONE}, c.account, c.micro)
    above = _leg(shim, "pendingAbove")
    if "pendingBelowType" not in c.p:
        return [above]
    below = _leg(shim, "pendingBelow")
    maker = above if c.p["pendingSide"] == "SELL" else below
    if maker.type != "LIMIT_MAKER" and not maker.type.startswith("TAKE_PROFIT"):
        raise ApiError(-1158)
    return [above, below]


def _reports(c: Call, list_id: int, orders: list[Order], pays: bool) -> dict[str, Any]:
    kind = c.p.get("newOrderRespType", "RESULT")
    reports = []
    for order in orders:
        if kind == "ACK":
            reports.append(ack(c, order))
            continue
        out = result(c, order)
        if pays and order.status == "PENDING_NEW":
            del out["origQty"]  # an OPO pending order's quantity is known once the working order fills
        if kind == "FULL":
            out["fills"] = [fill(order, t) for t in order.trades]
        reports.append(out)
    out = list_report(c, list_id, orders, c.ex.list_client_ids[list_id])
    out["orderReports"] = reports
    return out


def _place(c: Call, kind: str, pending: list[OrderRequest]) -> Any:
    working = _order(c, "working", c.p["workingQuantity"])
    if kind in ("OPO", "OPOCO") and c.p["workingSide"] != "BUY":
        raise ApiError(-1222, "Working order in an OPO list must be a bid.")
    if kind in ("OPO", "OPOCO") and c.p["pendingSide"] != "SELL":
        raise ApiError(-1223, "Pending orders in an OPO list must be asks.")
    for req in pending:
        req.quantity = None if kind in ("OPO", "OPOCO") else req.quantity
    ex = c.ex
    with ex.lock, ex._operation():
        list_client_id = c.p.get("listClientOrderId") or uuid.uuid4().hex[:22]
        list_id, orders = place_pending_list(ex, c.acct, kind, working, pending, list_client_id)
        out = _reports(c, list_id, orders, kind in ("OPO", "OPOCO"))
        start(ex, list_id)
    return out


@op("orderList.place.oto", "POST", "/api/v3/orderList/oto", security="SIGNED", weight=1, orders=2,
    required=(*_WORKING_REQUIRED, "pendingType", "pendingSide", "pendingQuantity"), **_LIST, **_WORKING,
    **_order_params("pending", _ANY_TYPE))
def place_oto(c: Call) -> Any:
    return _place(c, "OTO", [_order(c, "pending", c.p["pendingQuantity"])])


@op("orderList.place.otoco", "POST", "/api/v3/orderList/otoco", security="SIGNED", weight=1, orders=3,
    required=(*_WORKING_REQUIRED, "pendingSide", "pendingQuantity", "pendingAboveType"), **_LIST, **_WORKING,
    pendingSide=_SIDE, pendingQuantity=decimal, **_leg_params("pendingAbove"), **_leg_params("pendingBelow"))
def place_otoco(c: Call) -> Any:
    return _place(c, "OTOCO", _pair(c, c.p["pendingQuantity"]))


@op("orderList.place.opo", "POST", "/api/v3/orderList/opo", security="SIGNED", weight=1, orders=2,
    required=(*_WORKING_REQUIRED, "pendingType", "pendingSide"), **_LIST, **_WORKING,
    **_order_params("pending", _ANY_TYPE, quantity=False))
def place_opo(c: Call) -> Any:
    return _place(c, "OPO", [_order(c, "pending", None)])


@op("orderList.place.opoco", "POST", "/api/v3/orderList/opoco", security="SIGNED", weight=1, orders=3,
    required=(*_WORKING_REQUIRED, "pendingSide", "pendingAboveType"), **_LIST, **_WORKING, pendingSide=_SIDE,
    **_leg_params("pendingAbove"), **_leg_params("pendingBelow"))
def place_opoco(c: Call) -> Any:
    return _place(c, "OPOCO", _pair(c, None))


# -- queries ------------------------------------------------------------------------------------
def _mine(c: Call) -> list[tuple[int, list[Order]]]:
    return [(k, sorted(v, key=lambda o: o.order_id)) for k, v in sorted(c.ex.order_lists.items())
            if v and v[0].account == c.acct]


@op("openOrderLists.status", "GET", "/api/v3/openOrderList", security="SIGNED", weight=6)
def open_order_lists(c: Call) -> Any:
    return [list_report(c, k, v, c.ex.list_client_ids.get(k, "")) for k, v in _mine(c)
            if any(o.is_open for o in v)]


@op("allOrderLists", "GET", "/api/v3/allOrderList", security="SIGNED", weight=20, fromId=integer,
    startTime=integer, endTime=integer, limit=bounded(1, 1000))
def all_order_lists(c: Call) -> Any:
    if "fromId" in c.p and ("startTime" in c.p or "endTime" in c.p):
        raise ApiError(-1128)
    rows = _window(c, _mine(c), lambda r: r[1][0].time, lambda r: r[0], "fromId")
    return [list_report(c, k, v, c.ex.list_client_ids.get(k, "")) for k, v in rows]


# -- the deprecated OCO -------------------------------------------------------------------------
_PRICE_ORDER = (-1165, -1166, -1196, -1197)


@op("orderList.place", "POST", "/api/v3/order/oco", security="SIGNED", weight=1, orders=2,
    required=("symbol", "side", "quantity", "price", "stopPrice"), **_LIST, side=_SIDE, quantity=decimal,
    limitClientOrderId=client_id, price=decimal, limitStrategyId=integer, limitStrategyType=integer,
    limitIcebergQty=decimal, trailingDelta=integer, stopClientOrderId=client_id, stopPrice=decimal,
    stopStrategyId=integer, stopStrategyType=integer, stopLimitPrice=decimal, stopIcebergQty=decimal,
    stopLimitTimeInForce=_TIF)
def place_oco_deprecated(c: Call) -> Any:
    """``order/oco``: a LIMIT_MAKER at ``price`` and a STOP_LOSS(_LIMIT) at ``stopPrice``, as an above/below OCO."""
    p = c.p
    if "stopLimitPrice" in p and "stopLimitTimeInForce" not in p:
        raise mandatory("stopLimitTimeInForce")
    if "stopLimitTimeInForce" in p and "stopLimitPrice" not in p:
        raise ApiError(-1106, "Parameter 'stopLimitTimeInForce' sent when not required.")
    limit, stop = ("above", "below") if p["side"] == "SELL" else ("below", "above")
    legs: dict[str, Any] = {
        f"{limit}Type": "LIMIT_MAKER", f"{limit}Price": p["price"], f"{limit}ClientOrderId": p.get("limitClientOrderId"),
        f"{limit}IcebergQty": p.get("limitIcebergQty"),
        f"{stop}Type": "STOP_LOSS_LIMIT" if "stopLimitPrice" in p else "STOP_LOSS", f"{stop}StopPrice": p["stopPrice"],
        f"{stop}Price": p.get("stopLimitPrice"), f"{stop}TimeInForce": p.get("stopLimitTimeInForce"),
        f"{stop}ClientOrderId": p.get("stopClientOrderId"), f"{stop}IcebergQty": p.get("stopIcebergQty"),
        f"{stop}TrailingDelta": p.get("trailingDelta")}
    common: dict[str, Any] = {k: p[k] for k in ("symbol", "side", "quantity", "listClientOrderId", "newOrderRespType") if k in p}
    shim = Call(c.rt, {**common, **{k: v for k, v in legs.items() if v is not None}}, c.account, c.micro)
    try:
        return place_oco(shim)
    except ApiError as error:
        if error.code in _PRICE_ORDER:
            raise ApiError(-2010, "The relationship of the prices for the orders is not correct.") from None
        raise
