"""Market streams of LocalBinance: subscriptions, combined envelopes, live trades, faults."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from decimal import Decimal as D
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from binance_typed.testing import LocalBinance
from binance_typed.testing._exchange import OrderRequest


@pytest.fixture
def exchange() -> Iterator[LocalBinance]:
    with LocalBinance() as ex:
        yield ex


def recv(ws: ClientConnection, timeout: float = 3.0) -> Any:
    return json.loads(ws.recv(timeout=timeout))


def test_control_messages(exchange: LocalBinance) -> None:
    with connect(f"{exchange.stream_url}/ws") as ws:
        ws.send(json.dumps({"method": "SUBSCRIBE", "params": ["btcusdt@aggTrade", "ethusdt@trade"], "id": 1}))
        assert recv(ws) == {"result": None, "id": 1}
        ws.send(json.dumps({"method": "UNSUBSCRIBE", "params": ["ethusdt@trade"], "id": 2}))
        assert recv(ws) == {"result": None, "id": 2}
        ws.send(json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": 3}))
        assert recv(ws) == {"result": ["btcusdt@aggTrade"], "id": 3}
        ws.send(json.dumps({"method": "GET_PROPERTY", "params": ["combined"], "id": 4}))
        assert recv(ws) == {"result": False, "id": 4}
        ws.send(json.dumps({"method": "SUBSCRIB", "params": [], "id": 5}))
        assert recv(ws)["code"] == 2
        ws.send("{not json")
        assert recv(ws)["code"] == 3
        ws.send(json.dumps({"method": "SET_PROPERTY", "params": ["nope", True], "id": 6}))
        assert recv(ws) == {"code": 0, "msg": "Unknown property", "id": 6}


def test_order_through_rest_shows_on_trade_and_depth_streams(exchange: LocalBinance) -> None:
    streams = "btcusdt@trade/btcusdt@depth/btcusdt@kline_1m/btcusdt@bookTicker/btcusdt@miniTicker"
    with connect(f"{exchange.stream_url}/stream?streams={streams}") as ws, exchange.client() as client:
        exchange.wait_for_subscribers("btcusdt@trade")
        book = client.market.depth("BTCUSDT", limit=5)
        order = client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=D("0.01"), newOrderRespType="FULL")
        got: dict[str, Any] = {}
        while len(got) < 5:
            msg = recv(ws)
            got.setdefault(msg["stream"], msg["data"])
        trade = got["btcusdt@trade"]
        assert trade["e"] == "trade" and trade["t"] == order.fills[0].trade_id
        assert D(trade["p"]) == order.fills[0].price and trade["m"] is False
        diff = got["btcusdt@depth"]
        assert diff["U"] == book.last_update_id + 1 and diff["u"] >= diff["U"]
        assert diff["a"] == [[f"{book.asks[0].price:.8f}", f"{book.asks[0].quantity - D('0.01'):.8f}"]]
        assert client.market.depth("BTCUSDT").last_update_id == diff["u"]
        assert got["btcusdt@kline_1m"]["k"]["c"] == trade["p"]
        assert got["btcusdt@bookTicker"]["u"] == diff["u"]
        assert got["btcusdt@miniTicker"]["e"] == "24hrMiniTicker"


def test_partial_depth_snapshot_and_microseconds(exchange: LocalBinance) -> None:
    with connect(f"{exchange.stream_url}/ws/bnbbtc@depth5@100ms/bnbbtc@trade?timeUnit=MICROSECOND") as ws:
        snap = recv(ws)
        assert len(snap["bids"]) == 5 and len(snap["asks"]) == 5 and snap["lastUpdateId"] > 0
        exchange.engine.place(1, OrderRequest("BNBBTC", "SELL", "MARKET", D("1")))
        events = [recv(ws), recv(ws)]
        trade = next(e for e in events if e.get("e") == "trade")
        assert len(str(trade["E"])) == 16 and len(str(trade["T"])) == 16


def test_publish_and_firehose(exchange: LocalBinance) -> None:
    with connect(f"{exchange.stream_url}/ws/xyzusdt@trade") as ws:
        exchange.wait_for_subscribers("xyzusdt@trade")
        assert exchange.publish("xyzusdt@trade", {"e": "trade", "custom": 1}) == 1
        assert recv(ws) == {"e": "trade", "custom": 1}
        hose = exchange.firehose("xyzusdt@trade", rate=2000, duration=0.5)
        received = 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                recv(ws, timeout=0.5)
            except TimeoutError:
                break
            received += 1
        sent = hose.stop()
        assert sent >= 800 and received == sent


def test_server_shutdown_event(exchange: LocalBinance) -> None:
    with connect(f"{exchange.stream_url}/stream?streams=btcusdt@trade") as combined, \
            connect(f"{exchange.stream_url}/ws/btcusdt@trade") as raw:
        exchange.wait_for_subscribers("btcusdt@trade", 2)
        exchange.shutdown_streams()
        assert recv(combined)["stream"] == "!serverShutdown"
        assert recv(raw)["e"] == "serverShutdown"
        with pytest.raises(ConnectionClosed):
            raw.recv(timeout=3)


def test_cut_closes_abruptly_and_shutdown_fault(exchange: LocalBinance) -> None:
    with connect(f"{exchange.stream_url}/ws/btcusdt@trade") as ws:
        exchange.wait_for_subscribers("btcusdt@trade")
        exchange.faults.next(1, "cut", "/ws*")
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(timeout=3)
        assert info.value.rcvd is None  # no close frame: the TCP connection was aborted
    with connect(f"{exchange.stream_url}/ws/btcusdt@trade") as ws:
        exchange.wait_for_subscribers("btcusdt@trade")
        exchange.faults.next(1, "shutdown", "/ws*")
        assert recv(ws)["e"] == "serverShutdown"
    assert [r.kind for r in exchange.faults.log] == ["cut", "shutdown"]


def test_stall_stops_data_and_pings() -> None:
    with LocalBinance(ping_interval=0.2, ping_timeout=5) as exchange, \
            connect(f"{exchange.stream_url}/ws/btcusdt@trade", ping_interval=None, close_timeout=0.2) as ws:
        exchange.wait_for_subscribers("btcusdt@trade")
        exchange.faults.next(1, "stall", "/ws*")
        time.sleep(0.1)
        exchange.publish("btcusdt@trade", {"e": "trade"})
        with pytest.raises(TimeoutError):
            ws.recv(timeout=0.8)
        pong = ws.ping()
        assert not pong.wait(0.5)  # the server does not answer pings any more
