"""Trading and account operations (signed): orders, queries, balances."""

from __future__ import annotations

from typing import Any

from ._book import Order, Trade
from ._errors import ApiError, mandatory, not_required
from ._exchange import OrderRequest
from ._ops import SYMBOL, Call, op
from ._params import boolean, bounded, client_id, decimal, enum, integer, text
from ._symbols import fmt

_SIDE = enum("BUY", "SELL", code=-1117)
_TYPE = enum("LIMIT", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", "LIMIT_MAKER",
             code=-1116)
_TIF = enum("GTC", "IOC", "FOK", code=-1115)
_RESP = enum("ACK", "RESULT", "FULL")
_STP = enum("NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT")
_ORDER_PARAMS: dict[str, Any] = dict(
    symbol=SYMBOL, side=_SIDE, type=_TYPE, timeInForce=_TIF, quantity=decimal, quoteOrderQty=decimal, price=decimal,
    newClientOrderId=client_id, strategyId=integer, strategyType=integer, stopPrice=decimal, trailingDelta=integer,
    icebergQty=decimal, newOrderRespType=_RESP, selfTradePreventionMode=_STP, pegPriceType=text,
    pegOffsetValue=integer, pegOffsetType=text,
)
_NEEDS: dict[str, tuple[str, ...]] = {
    "LIMIT": ("timeInForce", "quantity", "price"),
    "LIMIT_MAKER": ("quantity", "price"),
    "STOP_LOSS": ("quantity",),
    "TAKE_PROFIT": ("quantity",),
    "STOP_LOSS_LIMIT": ("timeInForce", "quantity", "price"),
    "TAKE_PROFIT_LIMIT": ("timeInForce", "quantity", "price"),
}
_FORBIDS: dict[str, tuple[str, ...]] = {
    "MARKET": ("timeInForce", "price", "stopPrice", "icebergQty"),
    "LIMIT": ("stopPrice", "quoteOrderQty"),
    "LIMIT_MAKER": ("timeInForce", "stopPrice", "quoteOrderQty"),
    "STOP_LOSS": ("timeInForce", "price", "quoteOrderQty"),
    "TAKE_PROFIT": ("timeInForce", "price", "quoteOrderQty"),
    "STOP_LOSS_LIMIT": ("quoteOrderQty",),
    "TAKE_PROFIT_LIMIT": ("quoteOrderQty",),
}


def order_request(p: dict[str, Any]) -> OrderRequest:
    kind = p["type"]
    for name in _NEEDS.get(kind, ()):
        if name not in p:
            raise mandatory(name)
    for name in _FORBIDS.get(kind, ()):
        if name in p:
            raise ApiError(-1114) if name == "timeInForce" else not_required(name)
    if kind == "MARKET" and ("quantity" in p) == ("quoteOrderQty" in p):
        if "quantity" in p:
            raise not_required("quoteOrderQty")
        raise ApiError(-1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
    if kind in ("STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT") and "stopPrice" not in p:
        if "trailingDelta" not in p:
            raise ApiError(-1102, "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!")
        raise ApiError(-1020)
    return OrderRequest(p["symbol"], p["side"], kind, p.get("quantity"), p.get("quoteOrderQty"), p.get("price"),
                        p.get("timeInForce"), p.get("stopPrice"), p.get("icebergQty"), p.get("newClientOrderId"))


def ack(c: Call, order: Order) -> dict[str, Any]:
    return {"symbol": order.symbol, "orderId": order.order_id, "orderListId": order.order_list_id,
            "clientOrderId": order.client_order_id, "transactTime": order.time}


def result(c: Call, order: Order) -> dict[str, Any]:
    out = ack(c, order)
    out.update({k: v for k, v in order.base(0).items() if k not in out})
    return out


def fill(order: Order, trade: Trade) -> dict[str, Any]:
    commission, asset = trade.commission[order.order_id]
    return {"price": fmt(trade.price), "qty": fmt(trade.qty), "commission": fmt(commission),
            "commissionAsset": asset, "tradeId": trade.id}


def respond(c: Call, order: Order, trades: list[Trade]) -> dict[str, Any]:
    default = "FULL" if order.type in ("MARKET", "LIMIT") else "ACK"
    kind = c.p.get("newOrderRespType", default)
    if kind == "ACK":
        return ack(c, order)
    out = result(c, order)
    if kind == "FULL":
        out["fills"] = [fill(order, t) for t in trades]
    return out


def _duplicate(c: Call) -> None:
    cid = c.p.get("newClientOrderId")
    if cid and any(o.client_order_id == cid for o in c.ex.open_orders(c.acct, c.p["symbol"])):
        raise ApiError(-2010, "Duplicate order sent.")


@op("order.place", "POST", "/api/v3/order", security="SIGNED", weight=1, orders=1,
    required=("symbol", "side", "type"), **_ORDER_PARAMS)
def new_order(c: Call) -> Any:
    req = order_request(c.p)
    _duplicate(c)
    order, trades = c.ex.place(c.acct, req)
    return respond(c, order, trades)


@op("order.test", "POST", "/api/v3/order/test", security="SIGNED", weight=1,
    required=("symbol", "side", "type"), computeCommissionRates=boolean, **_ORDER_PARAMS)
def test_order(c: Call) -> Any:
    c.ex.place(c.acct, order_request(c.p), test=True)
    if c.p.get("computeCommissionRates"):
        rate = "0.00100000"
        return {"standardCommissionForOrder": {"maker": rate, "taker": rate},
                "specialCommissionForOrder": {"maker": "0.00000000", "taker": "0.00000000"},
                "taxCommissionForOrder": {"maker": "0.00000000", "taker": "0.00000000"},
                "discount": {"enabledForAccount": False, "enabledForSymbol": False, "discountAsset": "BNB",
                             "discount": "0.25000000"}}
    return {}


def _ids(c: Call) -> tuple[int | None, str | None]:
    order_id, client = c.p.get("orderId"), c.p.get("origClientOrderId")
    if order_id is None and client is None:
        raise ApiError(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
    return order_id, client


def cancel_report(order: Order, orig_client_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"symbol": order.symbol, "origClientOrderId": orig_client_id, "orderId": order.order_id,
                           "orderListId": order.order_list_id, "clientOrderId": order.client_order_id,
                           "transactTime": order.update_time}
    out.update({k: v for k, v in order.base(0).items() if k not in out and k != "workingTime"})
    return out


@op("order.cancel", "DELETE", "/api/v3/order", security="SIGNED", weight=1, required=("symbol",), symbol=SYMBOL,
    orderId=integer, origClientOrderId=text, newClientOrderId=client_id,
    cancelRestrictions=enum("ONLY_NEW", "ONLY_PARTIALLY_FILLED", code=-1145))
def cancel_order(c: Call) -> Any:
    order_id, client = _ids(c)
    found = c.ex.find(c.acct, c.p["symbol"], order_id, client)
    orig = found.client_order_id if found else ""
    order = c.ex.cancel(c.acct, c.p["symbol"], order_id, client, c.p.get("newClientOrderId"))
    return cancel_report(order, orig)


@op("order.status", "GET", "/api/v3/order", security="SIGNED", weight=4, required=("symbol",), symbol=SYMBOL,
    orderId=integer, origClientOrderId=text)
def query_order(c: Call) -> Any:
    order = c.ex.find(c.acct, c.p["symbol"], *_ids(c))
    if order is None:
        raise ApiError(-2013)
    return order.query()


@op("openOrders.status", "GET", "/api/v3/openOrders", security="SIGNED",
    weight=lambda raw: 6 if "symbol" in raw else 80, symbol=SYMBOL)
def open_orders(c: Call) -> Any:
    return [o.query() for o in c.ex.open_orders(c.acct, c.p.get("symbol"))]


@op("openOrders.cancelAll", "DELETE", "/api/v3/openOrders", security="SIGNED", weight=1, required=("symbol",),
    symbol=SYMBOL)
def cancel_open_orders(c: Call) -> Any:
    origs = {o.order_id: o.client_order_id for o in c.ex.open_orders(c.acct, c.p["symbol"])}
    return [cancel_report(o, origs[o.order_id]) for o in c.ex.cancel_all(c.acct, c.p["symbol"])]


def _window(c: Call, rows: list[Any], time_of: Any, id_of: Any, id_param: str) -> list[Any]:
    if id_param in c.p:
        rows = [r for r in rows if id_of(r) >= c.p[id_param]]
    if "startTime" in c.p:
        rows = [r for r in rows if time_of(r) >= c.p["startTime"]]
    if "endTime" in c.p:
        rows = [r for r in rows if time_of(r) <= c.p["endTime"]]
    limit = c.p.get("limit", 500)
    return rows[:limit] if (id_param in c.p or "startTime" in c.p) else rows[-limit:]


@op("allOrders", "GET", "/api/v3/allOrders", security="SIGNED", weight=20, required=("symbol",), symbol=SYMBOL,
    orderId=integer, startTime=integer, endTime=integer, limit=bounded(1, 1000))
def all_orders(c: Call) -> Any:
    rows = [o for o in c.ex.orders[c.p["symbol"]].values() if o.account == c.acct]
    return [o.query() for o in _window(c, rows, lambda o: o.time, lambda o: o.order_id, "orderId")]


@op("myTrades", "GET", "/api/v3/myTrades", security="SIGNED", weight=20, required=("symbol",), symbol=SYMBOL,
    orderId=integer, startTime=integer, endTime=integer, fromId=integer, limit=bounded(1, 1000))
def my_trades(c: Call) -> Any:
    rows: list[tuple[Trade, Order]] = []
    for trade in c.ex.trades[c.p["symbol"]]:
        for order in (trade.buyer, trade.seller):
            if order.account == c.acct and c.p.get("orderId", order.order_id) == order.order_id:
                rows.append((trade, order))
    rows = _window(c, rows, lambda r: r[0].time, lambda r: r[0].id, "fromId")
    out = []
    for trade, order in rows:
        commission, asset = trade.commission[order.order_id]
        out.append({"symbol": trade.symbol, "id": trade.id, "orderId": order.order_id,
                    "orderListId": order.order_list_id, "price": fmt(trade.price), "qty": fmt(trade.qty),
                    "quoteQty": fmt(trade.quote_qty), "commission": fmt(commission), "commissionAsset": asset,
                    "time": trade.time, "isBuyer": order is trade.buyer,
                    "isMaker": (order is trade.buyer) == trade.buyer_is_maker, "isBestMatch": True})
    return out


@op("account.status", "GET", "/api/v3/account", security="SIGNED", weight=20, omitZeroBalances=boolean)
def account(c: Call) -> Any:
    balances = c.ex.account_balances(c.acct)
    rows = [{"asset": a, "free": fmt(b.free), "locked": fmt(b.locked)} for a, b in sorted(balances.items())
            if not (c.p.get("omitZeroBalances") and b.free == 0 and b.locked == 0)]
    rate = "0.00100000"
    return {"makerCommission": 10, "takerCommission": 10, "buyerCommission": 0, "sellerCommission": 0,
            "commissionRates": {"maker": rate, "taker": rate, "buyer": "0.00000000", "seller": "0.00000000"},
            "canTrade": True, "canWithdraw": True, "canDeposit": True, "brokered": False,
            "requireSelfTradePrevention": False, "preventSor": False, "updateTime": c.ex.now(),
            "accountType": "SPOT", "balances": rows, "permissions": ["SPOT"], "uid": 1000 + c.acct}


@op("account.commission", "GET", "/api/v3/account/commission", security="SIGNED", weight=20, required=("symbol",),
    symbol=SYMBOL)
def commission(c: Call) -> Any:
    rate, zero = "0.00100000", "0.00000000"
    return {"symbol": c.p["symbol"], "standardCommission": {"maker": rate, "taker": rate, "buyer": zero, "seller": zero},
            "specialCommission": {"maker": zero, "taker": zero, "buyer": zero, "seller": zero},
            "taxCommission": {"maker": zero, "taker": zero, "buyer": zero, "seller": zero},
            "discount": {"enabledForAccount": False, "enabledForSymbol": False, "discountAsset": "BNB",
                         "discount": "0.25000000"}}


@op("account.rateLimits.orders", "GET", "/api/v3/rateLimit/order", security="SIGNED", weight=40)
def order_limits(c: Call) -> Any:
    return [r for r in c.rt.limits.ws_rate_limits(True) if r["rateLimitType"] == "ORDERS"]


