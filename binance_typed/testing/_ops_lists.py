"""Order lists: OCO placement (``orderList/oco``), status and cancel."""

from __future__ import annotations

from typing import Any

from ._book import Order
from ._contingent import contingency, list_event
from ._errors import ApiError, mandatory
from ._exchange import OrderRequest
from ._marketdata import last_price
from ._ops import SYMBOL, Call, op
from ._ops_trade import cancel_report, result
from ._params import client_id, decimal, enum, integer, text

_LEG_TYPE = enum("STOP_LOSS_LIMIT", "STOP_LOSS", "LIMIT_MAKER", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", code=-1158)
_TIF = enum("GTC", "IOC", "FOK", code=-1115)


def _leg_params(prefix: str) -> dict[str, Any]:
    return {f"{prefix}Type": _LEG_TYPE, f"{prefix}ClientOrderId": client_id, f"{prefix}IcebergQty": decimal,
            f"{prefix}Price": decimal, f"{prefix}StopPrice": decimal, f"{prefix}TrailingDelta": integer,
            f"{prefix}TimeInForce": _TIF, f"{prefix}StrategyId": integer, f"{prefix}StrategyType": integer,
            f"{prefix}PegPriceType": text, f"{prefix}PegOffsetType": text, f"{prefix}PegOffsetValue": integer}


def _leg(c: Call, prefix: str) -> OrderRequest:
    p = c.p
    kind = p[f"{prefix}Type"]
    if kind != "STOP_LOSS" and kind != "TAKE_PROFIT" and f"{prefix}Price" not in p:
        raise mandatory(f"{prefix}Price")
    if kind not in ("LIMIT_MAKER",) and f"{prefix}StopPrice" not in p and f"{prefix}TrailingDelta" not in p:
        raise mandatory(f"{prefix}StopPrice")
    if kind.endswith("_LIMIT") and f"{prefix}TimeInForce" not in p:
        raise mandatory(f"{prefix}TimeInForce")
    return OrderRequest(p["symbol"], p["side"], kind, p["quantity"], None, p.get(f"{prefix}Price"),
                        p.get(f"{prefix}TimeInForce"), p.get(f"{prefix}StopPrice"), p.get(f"{prefix}IcebergQty"),
                        p.get(f"{prefix}ClientOrderId"))


def list_report(c: Call, list_id: int, orders: list[Order], list_client_id: str) -> dict[str, Any]:
    done = all(not o.is_open for o in orders)
    return {"orderListId": list_id, "contingencyType": contingency(c.ex.more.kinds.get(list_id, "OCO")),
            "listStatusType": "ALL_DONE" if done else "EXEC_STARTED",
            "listOrderStatus": "ALL_DONE" if done else "EXECUTING", "listClientOrderId": list_client_id,
            "transactionTime": c.ex.now(), "symbol": orders[0].symbol,
            "orders": [{"symbol": o.symbol, "orderId": o.order_id, "clientOrderId": o.client_order_id}
                       for o in orders]}


@op("orderList.place.oco", "POST", "/api/v3/orderList/oco", security="SIGNED", weight=1, orders=2,
    required=("symbol", "side", "quantity", "aboveType", "belowType"), symbol=SYMBOL,
    listClientOrderId=client_id, side=enum("BUY", "SELL", code=-1117), quantity=decimal,
    newOrderRespType=enum("ACK", "RESULT", "FULL"), selfTradePreventionMode=text,
    **_leg_params("above"), **_leg_params("below"))
def place_oco(c: Call) -> Any:
    above, below = _leg(c, "above"), _leg(c, "below")
    last = last_price(c.ex, c.p["symbol"])
    maker, other = (above, below) if c.p["side"] == "SELL" else (below, above)
    if maker.type != "LIMIT_MAKER" and not maker.type.startswith("TAKE_PROFIT"):
        raise ApiError(-1158)
    if c.p["side"] == "SELL":
        if above.price is not None and above.type == "LIMIT_MAKER" and above.price <= last:
            raise ApiError(-1166)
        if below.stop_price is not None and below.stop_price >= last:
            raise ApiError(-1197)
    else:
        if below.price is not None and below.type == "LIMIT_MAKER" and below.price >= last:
            raise ApiError(-1165)
        if above.stop_price is not None and above.stop_price <= last:
            raise ApiError(-1196)
    with c.ex.lock, c.ex._operation():
        list_id, orders = c.ex.place_list(c.acct, [maker, other])
        orders.sort(key=lambda o: o.order_id)
        list_client_id = c.p.get("listClientOrderId") or f"list{list_id:018d}"
        c.ex.list_client_ids[list_id] = list_client_id
        list_event(c.ex, list_id, "EXEC_STARTED", "EXECUTING")
    out = list_report(c, list_id, orders, list_client_id)
    out["orderReports"] = [result(c, o) for o in orders]
    return out


def _find_list(c: Call, cancel: bool = False) -> tuple[int, list[Order]]:
    list_id = c.p.get("orderListId")
    if list_id is None:
        wanted = c.p.get("listClientOrderId") or c.p.get("origClientOrderId")
        if wanted is None:
            raise ApiError(-1102, "Param 'listClientOrderId' or 'orderListId' must be sent, but both were empty/null!")
        list_id = next((k for k, v in c.ex.list_client_ids.items() if v == wanted), -1)
    orders = c.ex.order_lists.get(list_id)
    if not orders or orders[0].account != c.acct:
        raise ApiError(-2011, "Unknown order list sent.") if cancel else ApiError(-2013)
    return list_id, orders


@op("orderList.status", "GET", "/api/v3/orderList", security="SIGNED", weight=4, orderListId=integer,
    origClientOrderId=text)
def list_status(c: Call) -> Any:
    list_id, orders = _find_list(c)
    return list_report(c, list_id, sorted(orders, key=lambda o: o.order_id), c.ex.list_client_ids.get(list_id, ""))


@op("orderList.cancel", "DELETE", "/api/v3/orderList", security="SIGNED", weight=1, required=("symbol",),
    symbol=SYMBOL, orderListId=integer, listClientOrderId=text, newClientOrderId=client_id)
def cancel_list(c: Call) -> Any:
    list_id, orders = _find_list(c, cancel=True)
    origs = {o.order_id: o.client_order_id for o in orders}
    live = next((o for o in orders if o.is_open), None)
    if live is None:
        raise ApiError(-2011, "Unknown order list sent.")
    c.ex.cancel(c.acct, live.symbol, live.order_id, None)
    ordered = sorted(orders, key=lambda o: o.order_id)
    out = list_report(c, list_id, ordered, c.ex.list_client_ids.get(list_id, ""))
    out["listStatusType"], out["listOrderStatus"] = "ALL_DONE", "ALL_DONE"
    out["orderReports"] = [cancel_report(o, origs[o.order_id]) for o in ordered]
    return out
