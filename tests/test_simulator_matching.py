"""LocalBinance's matching engine through the real Client: resting, crossing, fills, balances."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D

import pytest

from binance_typed import Client
from binance_typed.error import ClientError
from binance_typed.testing import LocalBinance


@pytest.fixture(scope="module")
def server() -> Iterator[LocalBinance]:
    with LocalBinance() as exchange:
        yield exchange


@pytest.fixture
def exchange() -> Iterator[LocalBinance]:
    with LocalBinance() as ex:
        yield ex


@pytest.fixture
def client(exchange: LocalBinance) -> Iterator[Client]:
    with exchange.client(timeout=5) as c:
        yield c


def test_limit_order_below_the_book_rests_and_locks_quote(exchange: LocalBinance, client: Client) -> None:
    order = client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=D("0.1"),
                                   price=D("50000"), newOrderRespType="RESULT")
    assert order.status == "NEW" and order.executed_qty == 0
    free, locked = exchange.balances()["USDT"]
    assert locked == D("5000") and free == D("95000")
    book = client.market.depth("BTCUSDT", limit=100)
    assert (D("50000"), D("0.1")) in [(lvl.price, lvl.quantity) for lvl in book.bids]
    rows = exchange.call("GET", "/api/v3/openOrders", {"symbol": "BTCUSDT"}, signed=True).json()
    assert [r["orderId"] for r in rows] == [order.order_id]
    cancelled = exchange.call("DELETE", "/api/v3/order", {"symbol": "BTCUSDT", "orderId": order.order_id},
                              signed=True).json()
    assert cancelled["status"] == "CANCELED" and cancelled["origClientOrderId"] == order.client_order_id
    assert exchange.balances()["USDT"] == (D("100000"), D("0"))


def test_crossing_limit_fills_at_maker_prices_and_charges_commission(exchange: LocalBinance, client: Client) -> None:
    book = client.market.depth("BTCUSDT", limit=5)
    best, second = book.asks[0], book.asks[1]
    qty = best.quantity + D("0.1")  # eats the best level and part of the second
    order = client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=qty,
                                   price=second.price, newOrderRespType="FULL")
    assert order.status == "FILLED" and order.executed_qty == qty
    assert [(f.price, f.qty) for f in order.fills] == [(best.price, best.quantity), (second.price, D("0.1"))]
    assert all(f.commission_asset == "BTC" and f.commission == f.qty * D("0.001") for f in order.fills)
    cost = best.price * best.quantity + second.price * D("0.1")
    assert order.cummulative_quote_qty == cost
    free_usdt, locked_usdt = exchange.balances()["USDT"]
    assert free_usdt == D("100000") - cost and locked_usdt == 0
    assert exchange.balances()["BTC"][0] == D("2") + qty * D("0.999")
    trades = exchange.call("GET", "/api/v3/myTrades", {"symbol": "BTCUSDT"}, signed=True).json()
    assert [t["isBuyer"] for t in trades] == [True, True] and not trades[0]["isMaker"]
    assert client.market.depth("BTCUSDT", limit=1).asks[0].price == second.price


def test_partial_fill_rests_the_remainder(exchange: LocalBinance, client: Client) -> None:
    best = client.market.depth("BTCUSDT", limit=1).asks[0]
    order = client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=best.quantity + 1,
                                   price=best.price, newOrderRespType="FULL")
    assert order.status == "PARTIALLY_FILLED" and order.executed_qty == best.quantity
    top = client.market.depth("BTCUSDT", limit=1)
    assert top.bids[0] == (best.price, D(1))  # the rest now is the best bid
    assert exchange.balances()["USDT"][1] == best.price  # 1 BTC still locked at the limit price
    status = exchange.call("GET", "/api/v3/order", {"symbol": "BTCUSDT", "orderId": order.order_id},
                           signed=True).json()
    assert status["status"] == "PARTIALLY_FILLED" and status["isWorking"] is True


def test_market_orders_quantity_and_quote_quantity(exchange: LocalBinance, client: Client) -> None:
    sold = client.trade.new_order("BTCUSDT", "SELL", "MARKET", quantity=D("0.5"), newOrderRespType="FULL")
    assert sold.status == "FILLED" and sum(f.qty for f in sold.fills) == D("0.5")
    assert all(f.commission_asset == "USDT" for f in sold.fills)
    bought = client.trade.new_order("BTCUSDT", "BUY", "MARKET", quoteOrderQty=D("1000"), newOrderRespType="FULL")
    assert bought.status == "FILLED" and bought.cummulative_quote_qty <= D("1000")
    assert bought.orig_quote_order_qty == D("1000")


def test_ioc_and_fok(client: Client) -> None:
    best = client.market.depth("ETHUSDT", limit=1).asks[0]
    ioc = client.trade.new_order("ETHUSDT", "BUY", "LIMIT", timeInForce="IOC", quantity=best.quantity + 1,
                                 price=best.price, newOrderRespType="RESULT")
    assert ioc.status == "EXPIRED" and ioc.executed_qty == best.quantity
    fok = client.trade.new_order("ETHUSDT", "BUY", "LIMIT", timeInForce="FOK", quantity=D("20"),
                                 price=best.price, newOrderRespType="RESULT")
    assert fok.status == "EXPIRED" and fok.executed_qty == 0


def test_maker_order_is_filled_by_a_later_taker(exchange: LocalBinance, client: Client) -> None:
    bid = client.market.depth("BTCUSDT", limit=1).bids[0].price
    ask = client.market.depth("BTCUSDT", limit=1).asks[0].price
    mid = ((bid + ask) / 2).quantize(D("0.01"))
    maker = client.trade.new_order("BTCUSDT", "SELL", "LIMIT", timeInForce="GTC", quantity=D("0.01"), price=mid,
                                   newOrderRespType="RESULT")
    assert exchange.balances()["BTC"] == (D("1.99"), D("0.01"))
    taker = client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=D("0.01"), newOrderRespType="FULL")
    assert taker.fills[0].price == mid  # our own ask was the best
    row = exchange.call("GET", "/api/v3/order", {"symbol": "BTCUSDT", "orderId": maker.order_id}, signed=True).json()
    assert row["status"] == "FILLED"
    all_orders = exchange.call("GET", "/api/v3/allOrders", {"symbol": "BTCUSDT"}, signed=True).json()
    assert [o["orderId"] for o in all_orders] == [maker.order_id, taker.order_id]


def test_limit_maker_that_would_take_is_rejected(client: Client) -> None:
    ask = client.market.depth("BTCUSDT", limit=1).asks[0].price
    with pytest.raises(ClientError) as info:
        client.trade.new_order("BTCUSDT", "BUY", "LIMIT_MAKER", quantity=D("0.01"), price=ask)
    assert info.value.error_code == -2010
    assert info.value.error_message == "Order would immediately match and take."


def test_rejections_use_binance_codes_and_messages(client: Client, exchange: LocalBinance) -> None:
    cases = [
        (dict(quantity=D("100"), price=D("60000")), -2010, "Account has insufficient balance for requested action."),
        (dict(quantity=D("0.1"), price=D("60000.001")), -1013, "Filter failure: PRICE_FILTER"),
        (dict(quantity=D("0.000001"), price=D("60000")), -1013, "Filter failure: LOT_SIZE"),
        (dict(quantity=D("0.00001"), price=D("60000")), -1013, "Filter failure: NOTIONAL"),
    ]
    for kwargs, code, msg in cases:
        with pytest.raises(ClientError) as info:
            client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", **kwargs)
        assert (info.value.status_code, info.value.error_code, info.value.error_message) == (400, code, msg)
    cancel = exchange.call("DELETE", "/api/v3/order", {"symbol": "BTCUSDT", "orderId": 999999}, signed=True)
    assert cancel.status_code == 400 and cancel.json() == {"code": -2011, "msg": "Unknown order sent."}
    query = exchange.call("GET", "/api/v3/order", {"symbol": "BTCUSDT", "orderId": 999999}, signed=True)
    assert query.json() == {"code": -2013, "msg": "Order does not exist."}
    none = exchange.call("DELETE", "/api/v3/openOrders", {"symbol": "BTCUSDT"}, signed=True)
    assert none.json()["code"] == -2011


def test_cancel_all_and_order_test(exchange: LocalBinance) -> None:
    for price in ("50000", "50001"):
        exchange.call("POST", "/api/v3/order", {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT",
                                                "timeInForce": "GTC", "quantity": "0.01", "price": price},
                      signed=True).raise_for_status()
    cancelled = exchange.call("DELETE", "/api/v3/openOrders", {"symbol": "BTCUSDT"}, signed=True).json()
    assert [c["status"] for c in cancelled] == ["CANCELED", "CANCELED"]
    test = exchange.call("POST", "/api/v3/order/test", {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET",
                                                        "quantity": "0.01"}, signed=True)
    assert test.json() == {}
    assert exchange.call("GET", "/api/v3/openOrders", {}, signed=True).json() == []


def test_oco_limit_leg_fill_expires_the_stop_leg(exchange: LocalBinance, client: Client) -> None:
    ask = client.market.depth("BTCUSDT", limit=1).asks[0].price
    bid = client.market.depth("BTCUSDT", limit=1).bids[0].price
    oco = exchange.call("POST", "/api/v3/orderList/oco", {
        "symbol": "BTCUSDT", "side": "SELL", "quantity": "0.1", "aboveType": "LIMIT_MAKER", "abovePrice": str(ask - 1),
        "belowType": "STOP_LOSS_LIMIT", "belowStopPrice": "55000", "belowPrice": "54900", "belowTimeInForce": "GTC",
    }, signed=True).json()
    assert oco["contingencyType"] == "OCO" and len(oco["orderReports"]) == 2
    assert exchange.balances()["BTC"] == (D("1.9"), D("0.1"))
    assert ask - 1 > bid
    client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=D("0.1"))
    statuses = {r["type"]: r["status"] for r in exchange.call("GET", "/api/v3/allOrders", {"symbol": "BTCUSDT"},
                                                              signed=True).json() if r["orderListId"] >= 0}
    assert statuses == {"LIMIT_MAKER": "FILLED", "STOP_LOSS_LIMIT": "EXPIRED"}
    assert exchange.balances()["BTC"][1] == 0
    bad = exchange.call("POST", "/api/v3/orderList/oco", {
        "symbol": "BTCUSDT", "side": "SELL", "quantity": "0.1", "aboveType": "LIMIT_MAKER", "abovePrice": "1000",
        "belowType": "STOP_LOSS", "belowStopPrice": "500"}, signed=True).json()
    assert bad == {"code": -1166, "msg": "A limit order in a sell OCO must be above."}


def test_public_market_data(server: LocalBinance) -> None:
    with server.client() as client:
        _market_data(server, client)


def _market_data(server: LocalBinance, client: Client) -> None:
    klines = client.market.klines("BTCUSDT", "1h", limit=24)
    assert len(klines) == 24 and all(k.low <= min(k.open, k.close) for k in klines)
    again = client.market.klines("BTCUSDT", "1h", limit=24)
    assert [k.open for k in klines[:-1]] == [k.open for k in again[:-1]]  # deterministic
    start = int(klines[0].open_time.timestamp() * 1000)
    ranged = client.market.klines("BTCUSDT", "1h", startTime=start, limit=3)
    assert [k.open_time for k in ranged] == [k.open_time for k in klines[:3]]
    for path, params in [("/api/v3/ticker/24hr", {"symbol": "BTCUSDT"}), ("/api/v3/ticker/price", {}),
                         ("/api/v3/ticker/bookTicker", {"symbols": '["BTCUSDT","BNBBTC"]'}),
                         ("/api/v3/avgPrice", {"symbol": "ETHUSDT"}), ("/api/v3/trades", {"symbol": "BNBBTC"}),
                         ("/api/v3/exchangeInfo", {}), ("/api/v3/ticker/24hr", {"type": "MINI"})]:
        response = server.call("GET", path, params)
        assert response.status_code == 200, (path, response.text)
    info = server.call("GET", "/api/v3/exchangeInfo", {"symbol": "BNBBTC"}).json()
    types = {f["filterType"] for f in info["symbols"][0]["filters"]}
    assert {"PRICE_FILTER", "LOT_SIZE", "NOTIONAL"} <= types
    with Client(base_url=server.rest_url, time_unit="microsecond") as micro:
        assert micro.market.time().server_time.microsecond % 1000 == 0
    raw = server.call("GET", "/api/v3/time", headers={"X-MBX-TIME-UNIT": "MICROSECOND"}).json()
    assert len(str(raw["serverTime"])) == 16


def test_local_binance_fixture(local_binance: LocalBinance) -> None:
    with local_binance.client() as client:
        assert client.market.ping() is not None
    assert local_binance.requests[-1].path == "/api/v3/ping"
