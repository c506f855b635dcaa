"""Cancel-replace, keep-priority amendments and SOR orders, with their queries.

``order.cancelReplace`` answers 200 when both parts succeed, else Binance's -2021 (409, one part
failed) or -2022 (400, both failed, or the cancel failed with STOP_ON_FAILURE) with both outcomes in
``data``. SOR orders fill against the local book only: ``workingFloor: SOR``, ``usedSor: true`` and
fills carrying ``matchType``/``allocId`` (one allocation per trade, see ``myAllocations``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ._book import Order
from ._contingent import amend, contingency, sor_fills
from ._errors import UNKNOWN_ORDER, ApiError
from ._ops import SYMBOL, Call, op
from ._ops_trade import _ORDER_PARAMS, _duplicate, _window, ack, cancel_report, order_request, respond, result
from ._params import boolean, bounded, client_id, decimal, enum, integer, text
from ._symbols import fmt

ZERO = Decimal(0)
_RESTRICTIONS = enum("ONLY_NEW", "ONLY_PARTIALLY_FILLED", code=-1145)


# -- cancel-replace -----------------------------------------------------------------------------
def _try_cancel(c: Call) -> tuple[dict[str, Any], bool]:
    """Cancel the order named by cancelOrderId / cancelOrigClientOrderId: (response or error body, ok)."""
    symbol = c.p["symbol"]
    found = c.ex.find(c.acct, symbol, c.p.get("cancelOrderId"), c.p.get("cancelOrigClientOrderId"))
    if found is None or not found.is_open:
        return {"code": -2011, "msg": UNKNOWN_ORDER}, False
    restriction = c.p.get("cancelRestrictions")
    if restriction and found.status != restriction[len("ONLY_"):]:
        return {"code": -2011, "msg": "Order was not canceled due to cancel restrictions."}, False
    orig = found.client_order_id
    order = c.ex.cancel(c.acct, symbol, found.order_id, None, c.p.get("cancelNewClientOrderId"))
    return cancel_report(order, orig), True


def _check_filters(c: Call) -> None:
    """Filters are evaluated before anything is cancelled: a failure is a plain error."""
    spec = c.ex.spec(c.p["symbol"])
    for name in ("price", "stopPrice"):
        if name in c.p:
            spec.check_price(c.p[name])
    if "quantity" in c.p:
        spec.check_qty(c.p["quantity"], market=c.p["type"] == "MARKET")


@op("order.cancelReplace", "POST", "/api/v3/order/cancelReplace", security="SIGNED", weight=1, orders=1,
    required=("symbol", "side", "type", "cancelReplaceMode"),
    cancelReplaceMode=enum("STOP_ON_FAILURE", "ALLOW_FAILURE"), cancelNewClientOrderId=client_id,
    cancelOrigClientOrderId=text, cancelOrderId=integer, cancelRestrictions=_RESTRICTIONS,
    orderRateLimitExceededMode=enum("DO_NOTHING", "CANCEL_ONLY"), **_ORDER_PARAMS)
def cancel_replace(c: Call) -> Any:
    req = order_request(c.p)
    if "cancelOrderId" not in c.p and "cancelOrigClientOrderId" not in c.p:
        raise ApiError(-1102, "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both were "
                              "empty/null!")
    _check_filters(c)
    ex = c.ex
    with ex.lock, ex._operation():
        cancel_response, cancelled = _try_cancel(c)
        data: dict[str, Any] = {"cancelResult": "SUCCESS" if cancelled else "FAILURE",
                                "newOrderResult": "NOT_ATTEMPTED", "cancelResponse": cancel_response,
                                "newOrderResponse": None}
        placed = False
        if cancelled or c.p["cancelReplaceMode"] == "ALLOW_FAILURE":
            try:
                _duplicate(c)
                order, trades = ex.place(c.acct, req)
                data["newOrderResponse"], placed = respond(c, order, trades), True
            except ApiError as error:
                data["newOrderResponse"] = error.body()
            data["newOrderResult"] = "SUCCESS" if placed else "FAILURE"
    if cancelled and placed:
        return data
    if cancelled or placed:
        raise ApiError(-2021, status=409, data=data)
    raise ApiError(-2022, status=400, data=data)


# -- keep-priority amendments -------------------------------------------------------------------
def _amended(order: Order, orig: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "symbol": order.symbol, "orderId": order.order_id, "orderListId": order.order_list_id,
        "origClientOrderId": orig, "clientOrderId": order.client_order_id, "price": fmt(order.price),
        "qty": fmt(order.orig_qty), "executedQty": fmt(order.executed_qty), "preventedQty": fmt(ZERO),
        "quoteOrderQty": fmt(order.orig_quote_qty), "cumulativeQuoteQty": fmt(order.cum_quote),
        "status": order.status, "timeInForce": order.time_in_force, "type": order.type, "side": order.side,
    }
    if order.stop_price:
        out["stopPrice"] = fmt(order.stop_price)
    if order.iceberg_qty:
        out["icebergQty"] = fmt(order.iceberg_qty)
    if order.is_working:
        out["workingTime"] = order.working_time
    out["selfTradePreventionMode"] = "NONE"
    return out


@op("order.amend.keepPriority", "PUT", "/api/v3/order/amend/keepPriority", security="SIGNED", weight=4,
    required=("symbol", "newQty"), symbol=SYMBOL, orderId=integer, origClientOrderId=text,
    newClientOrderId=client_id, newQty=decimal)
def amend_keep_priority(c: Call) -> Any:
    order_id, client = c.p.get("orderId"), c.p.get("origClientOrderId")
    if order_id is None and client is None:
        raise ApiError(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
    ex = c.ex
    with ex.lock, ex._operation():
        order, execution_id, orig = amend(ex, c.acct, c.p["symbol"], order_id, client, c.p["newQty"],
                                          c.p.get("newClientOrderId"))
        out: dict[str, Any] = {"transactTime": order.update_time, "executionId": execution_id,
                               "amendedOrder": _amended(order, orig)}
        orders = ex.order_lists.get(order.order_list_id) if order.order_list_id >= 0 else None
        if orders:
            ordered = sorted(orders, key=lambda o: o.order_id)
            out["listStatus"] = {
                "orderListId": order.order_list_id,
                "contingencyType": contingency(ex.more.kinds.get(order.order_list_id, "OCO")),
                "listOrderStatus": "EXECUTING" if any(o.is_open for o in orders) else "ALL_DONE",
                "listClientOrderId": ex.list_client_ids.get(order.order_list_id, ""), "symbol": order.symbol,
                "orders": [{"symbol": o.symbol, "orderId": o.order_id, "clientOrderId": o.client_order_id}
                           for o in ordered]}
    return out


@op("order.amendments", "GET", "/api/v3/order/amendments", security="SIGNED", weight=4,
    required=("symbol", "orderId"), symbol=SYMBOL, orderId=integer, fromExecutionId=integer,
    limit=bounded(1, 1000))
def order_amendments(c: Call) -> Any:
    if c.ex.find(c.acct, c.p["symbol"], c.p["orderId"], None) is None:
        raise ApiError(-2013)
    rows = c.ex.more.amendments.get(c.p["orderId"], [])
    rows = [r for r in rows if r["executionId"] >= c.p.get("fromExecutionId", 0)]
    return rows[:c.p.get("limit", 500)]


# -- SOR ----------------------------------------------------------------------------------------
_SOR_PARAMS: dict[str, Any] = {k: v for k, v in _ORDER_PARAMS.items()
                               if k not in ("quoteOrderQty", "stopPrice", "trailingDelta", "pegPriceType",
                                            "pegOffsetValue", "pegOffsetType")}
_SOR_PARAMS["type"] = enum("LIMIT", "MARKET", code=-1116)
_SOR_REQUIRED = ("symbol", "side", "type", "quantity")


@op("sor.order.place", "POST", "/api/v3/sor/order", security="SIGNED", weight=1, orders=1, required=_SOR_REQUIRED,
    **_SOR_PARAMS)
def sor_order(c: Call) -> Any:
    req = order_request(c.p)
    req.sor = True
    _duplicate(c)
    ex = c.ex
    with ex.lock, ex._operation():
        order, trades = ex.place(c.acct, req)
        fills = sor_fills(ex, order, trades)
    kind = c.p.get("newOrderRespType", "FULL")
    if kind == "ACK":
        return ack(c, order)
    out = result(c, order)
    if kind == "FULL":
        out["fills"] = fills
    return out


@op("sor.order.test", "POST", "/api/v3/sor/order/test", security="SIGNED",
    weight=lambda raw: 20 if raw.get("computeCommissionRates", "").lower() == "true" else 1,
    required=_SOR_REQUIRED, computeCommissionRates=boolean, **_SOR_PARAMS)
def sor_order_test(c: Call) -> Any:
    req = order_request(c.p)
    req.sor = True
    c.ex.place(c.acct, req, test=True)
    if not c.p.get("computeCommissionRates"):
        return {}
    rate, zero = "0.00100000", "0.00000000"
    return {"standardCommissionForOrder": {"maker": rate, "taker": rate},
            "taxCommissionForOrder": {"maker": zero, "taker": zero},
            "discount": {"enabledForAccount": False, "enabledForSymbol": False, "discountAsset": "BNB",
                         "discount": "0.25000000"}}


@op("myAllocations", "GET", "/api/v3/myAllocations", security="SIGNED", weight=20, required=("symbol",),
    symbol=SYMBOL, startTime=integer, endTime=integer, fromAllocationId=integer, limit=bounded(1, 1000),
    orderId=integer)
def my_allocations(c: Call) -> Any:
    if ("startTime" in c.p or "endTime" in c.p) and ("fromAllocationId" in c.p or "orderId" in c.p):
        raise ApiError(-1128)
    rows = [r for account, r in c.ex.more.allocations.get(c.p["symbol"], []) if account == c.acct
            and c.p.get("orderId", r["orderId"]) == r["orderId"]]
    return _window(c, rows, lambda r: r["time"], lambda r: r["allocationId"], "fromAllocationId")


@op("myPreventedMatches", "GET", "/api/v3/myPreventedMatches", security="SIGNED", weight=20,
    required=("symbol",), symbol=SYMBOL, preventedMatchId=integer, orderId=integer, fromPreventedMatchId=integer,
    limit=bounded(1, 1000))
def my_prevented_matches(c: Call) -> Any:
    """No self-trade prevention happens locally: always empty once the parameters are valid."""
    if "preventedMatchId" not in c.p and "orderId" not in c.p:
        raise ApiError(-1102, "Param 'preventedMatchId' or 'orderId' must be sent, but both were empty/null!")
    return []

