"""The connector's WebSocket API (36 methods) and stream (14 methods) surfaces, against LocalBinance.

Every WebSocket API method that is not retired is called once and the local exchange records the
method name and parameters the connector would have sent; retired ones raise and send nothing.
Every stream method subscribes to the stream name the connector used (1000 ms depth streams are
named without their ``@1000ms`` suffix: the same stream).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from binance_typed.spot import RetiredEndpointError
from binance_typed.testing import LocalBinance
from binance_typed.websocket.spot.websocket_api import SpotWebsocketAPIClient
from binance_typed.websocket.spot.websocket_stream import SpotWebsocketStreamClient, event_to_wire

ROOT = Path(__file__).resolve().parent.parent
SPEC = json.loads((ROOT / "spec" / "connector" / "methods.json").read_text())
RETIRED = {
    r["method"] for r in json.loads((ROOT / "spec" / "connector" / "retired.json").read_text())["ws_api"]
}

# The arguments each call is made with (positional ones are the connector's required arguments).
CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "account": ((), {}),
    "my_trades": ((), {"symbol": "BTCUSDT"}),
    "oco_history": ((), {}),
    "order_history": ((), {"symbol": "BTCUSDT"}),
    "order_rate_limit": ((), {}),
    "prevented_matches": (("BTCUSDT",), {"orderId": 1}),
    "aggregate_trades": (("BTCUSDT",), {"limit": 5}),
    "avg_price": (("BTCUSDT",), {}),
    "exchange_info": ((), {"symbol": "BTCUSDT"}),
    "historical_trades": (("BTCUSDT", "ignored-key"), {"limit": 5}),
    "klines": (("BTCUSDT", "1m"), {"limit": 5}),
    "order_book": (("BTCUSDT",), {"limit": 5}),
    "ping_connectivity": ((), {}),
    "recent_trades": (("BTCUSDT",), {"limit": 5}),
    "server_time": ((), {}),
    "ticker": ((), {"symbol": "BTCUSDT", "type": "MINI"}),
    "ticker_24hr": ((), {"symbol": "BTCUSDT"}),
    "ticker_book": ((), {"symbol": "BTCUSDT"}),
    "ticker_price": ((), {"symbol": "BTCUSDT"}),
    "ui_klines": (("BTCUSDT", "1m"), {"limit": 5}),
    "cancel_oco_order": (("BTCUSDT",), {"orderListId": 99}),
    "cancel_open_orders": (("BTCUSDT",), {}),
    "cancel_order": (("BTCUSDT",), {"orderId": 99}),
    "cancel_replace_order": (
        ("BTCUSDT", "STOP_ON_FAILURE", "SELL", "LIMIT"),
        {"cancelOrderId": 99, "timeInForce": "GTC", "quantity": "0.001", "price": "90000"},
    ),
    "get_oco_order": ((), {"orderListId": 99}),
    "get_open_oco_orders": ((), {}),
    "get_open_orders": ((), {"symbol": "BTCUSDT"}),
    "get_order": (("BTCUSDT",), {"orderId": 99}),
    "new_oco_order": (
        ("BTCUSDT", "SELL", "0.001", "LIMIT_MAKER", "STOP_LOSS"),
        {"abovePrice": "90000", "belowStopPrice": "10000"},
    ),
    "new_order": (("BTCUSDT", "SELL", "LIMIT"), {"timeInForce": "GTC", "quantity": 0.001, "price": 90000}),
    "new_order_test": (("BTCUSDT", "BUY", "MARKET"), {"quantity": "0.001"}),
    "new_oto_order": (
        ("BTCUSDT", "LIMIT", "SELL", "90000", "0.001", "MARKET", "BUY", "0.001"),
        {"workingTimeInForce": "GTC"},
    ),
    "new_otoco_order": (
        ("BTCUSDT", "LIMIT", "SELL", "90000", "BUY", "0.001", "LIMIT_MAKER"),
        {
            "workingQuantity": "0.001",
            "workingTimeInForce": "GTC",
            "pendingAbovePrice": "10000",
            "pendingBelowType": "STOP_LOSS",
            "pendingBelowStopPrice": "5000",
        },
    ),
}
ADDED_BY_CLIENT = {"apiKey", "signature", "timestamp", "recvWindow", "newClientOrderId", "listClientOrderId"}


def _wire(value: Any) -> Any:
    """Numbers are compared as text: the typed client sends ``"90000"`` where the connector sent
    the JSON number ``90000`` (Binance reads both); floats as their repr, never binary digits."""
    return value if isinstance(value, (list, bool)) else str(value)


@pytest.fixture(scope="module")
def exchange() -> Any:
    with LocalBinance() as ex:
        yield ex


def test_every_ws_api_method_is_covered() -> None:
    names = {m["name"] for m in SPEC["ws_api"]}
    assert len(names) == 36
    assert names == set(CALLS) | RETIRED
    assert all(callable(getattr(SpotWebsocketAPIClient, name, None)) for name in names)


def test_every_ws_api_method_sends_the_connectors_request(exchange: LocalBinance) -> None:
    answers: list[dict[str, Any]] = []
    done = threading.Event()

    def on_message(_: Any, text: str) -> None:
        answers.append(json.loads(text))
        if len(answers) == len(CALLS):
            done.set()

    client = SpotWebsocketAPIClient(
        stream_url=exchange.ws_api_url,
        api_key=exchange.api_key,
        api_secret=exchange.api_secret,
        on_message=on_message,
    )
    first = len(exchange.requests)
    specs = {m["name"]: m for m in SPEC["ws_api"]}
    expected = []
    try:
        for name, (args, kwargs) in CALLS.items():
            getattr(client, name)(*args, **kwargs, id=f"req-{name}")
            required = {k: v for k, v in zip(specs[name]["required"], args, strict=True) if k != "apiKey"}
            expected.append((specs[name]["method"], {**required, **{k: _wire(v) for k, v in kwargs.items()}}))
        assert done.wait(20), f"{len(answers)} answers"
    finally:
        client.stop()
    assert sorted(a["id"] for a in answers) == sorted(f"req-{name}" for name in CALLS)
    sent = [(r.method, json.loads(r.query)) for r in exchange.requests[first:] if r.transport == "ws-api"]
    assert [method for method, _ in sent] == [method for method, _ in expected]
    for (method, params), (_, wanted) in zip(sent, expected, strict=True):
        assert set(params) - set(wanted) <= ADDED_BY_CLIENT, method
        assert {k: _wire(params[k]) for k in wanted} == wanted, method
    signed = {m["method"] for m in SPEC["ws_api"] if m["security"] == "signed"}
    assert all("signature" in params for method, params in sent if method in signed)


@pytest.mark.parametrize("name", sorted(RETIRED))
def test_retired_ws_api_methods_raise_and_send_nothing(name: str) -> None:
    client = SpotWebsocketAPIClient(stream_url="ws://127.0.0.1:9/never")
    try:
        with pytest.raises(RetiredEndpointError, match="userDataStream.subscribe"):
            getattr(client, name)(*(["key"] * (name != "user_data_start")))
    finally:
        client.stop()


STREAM_CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any], str]] = [
    ("agg_trade", ("BTCUSDT",), {}, "btcusdt@aggTrade"),
    ("book_ticker", ("BTCUSDT",), {}, "btcusdt@bookTicker"),
    ("diff_book_depth", ("BTCUSDT",), {"speed": 100}, "btcusdt@depth@100ms"),
    ("kline", ("BTCUSDT", "1m"), {}, "btcusdt@kline_1m"),
    ("kline_timezone_offset", ("BTCUSDT", "1h"), {}, "btcusdt@kline_1h@+08:00"),
    ("mini_ticker", ("BTCUSDT",), {}, "btcusdt@miniTicker"),
    ("mini_ticker", (), {}, "!miniTicker@arr"),
    ("partial_book_depth", ("BTCUSDT",), {"level": 10, "speed": 100}, "btcusdt@depth10@100ms"),
    ("rolling_window_ticker", ("BTCUSDT", "1h"), {}, "btcusdt@ticker_1h"),
    ("rolling_window_ticker_all_symbols", ("4h",), {}, "!ticker_4h@arr"),
    ("ticker", ("BTCUSDT",), {}, "btcusdt@ticker"),
    ("ticker", (), {}, "!ticker@arr"),
    ("trade", ("BTCUSDT",), {}, "btcusdt@trade"),
]


def test_every_stream_method_subscribes_to_the_connectors_stream(exchange: LocalBinance) -> None:
    assert {name for name, *_ in STREAM_CALLS} | {"user_data"} == {m["name"] for m in SPEC["ws_streams"]}
    client = SpotWebsocketStreamClient(stream_url=exchange.stream_url)
    try:
        for name, args, kwargs, _ in STREAM_CALLS:
            getattr(client, name)(*args, **kwargs)
        wanted = {stream for *_, stream in STREAM_CALLS}
        deadline = time.monotonic() + 10
        while set(client.list_subscribe()) != wanted:
            assert time.monotonic() < deadline, client.list_subscribe()
            time.sleep(0.05)
        with pytest.raises(RetiredEndpointError, match="userDataStream.subscribe"):
            client.user_data("some-listen-key")
        assert "some-listen-key" not in client.list_subscribe()
    finally:
        client.stop()


def test_stream_typed_events_option(exchange: LocalBinance) -> None:
    events: list[Any] = []
    client = SpotWebsocketStreamClient(
        stream_url=exchange.stream_url, on_message=lambda _, e: events.append(e), typed_events=True
    )
    try:
        client.trade("BTCUSDT")
        exchange.wait_for_subscribers("btcusdt@trade")
        with exchange.client() as rest:
            rest.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="0.01")
        deadline = time.monotonic() + 10
        while not events:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        client.stop()
    event = events[0]
    assert event.symbol == "BTCUSDT" and str(event.quantity) == "0.01000000"
    assert event_to_wire(event)["q"] == "0.01000000"
