"""binance-connector's Getting Started usage, with only ``binance.`` changed to ``binance_typed.``.

Each block below is the connector's documented usage (REST client, WebSocket API client, stream
client, errors), pointed at the local exchange (``LocalBinance`` on 127.0.0.1) instead of Binance.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from binance_typed.error import ClientError
from binance_typed.lib.utils import LOG_FORMAT
from binance_typed.models.market import Kline
from binance_typed.spot import Spot
from binance_typed.testing import LocalBinance
from binance_typed.testing._symbols import DEFAULT_SYMBOLS, SymbolSpec
from binance_typed.websocket.spot.websocket_api import SpotWebsocketAPIClient
from binance_typed.websocket.spot.websocket_stream import SpotWebsocketStreamClient


def _wait(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


# The connector's examples trade BNBUSDT too: list it next to the default symbols.
BNBUSDT = SymbolSpec("BNBUSDT", "BNB", "USDT", mid=Decimal("600"), tick=Decimal("0.01"), step=Decimal("0.001"),
                     min_qty=Decimal("0.001"), max_qty=Decimal("90000"), min_notional=Decimal("5"))


@pytest.fixture(scope="module")
def exchange() -> Any:
    with LocalBinance(symbols=(*DEFAULT_SYMBOLS, BNBUSDT)) as ex:
        yield ex


@pytest.fixture(autouse=True)
def _close_clients(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Close every ``Spot`` a test made (the connector's examples never close theirs)."""
    made: list[Spot] = []
    original = Spot.__init__

    def init(self: Spot, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Spot, "__init__", init)
    yield
    for client in made:
        client.close()


def test_market_data_without_a_key(exchange: LocalBinance) -> None:
    client = Spot(base_url=exchange.rest_url)
    server_time = client.time()
    assert isinstance(server_time["serverTime"], int)
    assert abs(server_time["serverTime"] - time.time() * 1000) < 60_000

    klines = client.klines("BTCUSDT", "1h", limit=10)
    assert len(klines) == 10 and all(isinstance(k, Kline) for k in klines)
    row = klines[-1]
    assert row[4] == row.close and float(row[4]) > 0  # close price, as float(k[4]) in connector code
    assert exchange.requests_to("/api/v3/klines")[-1].params == {
        "symbol": "BTCUSDT",
        "interval": "1h",
        "limit": "10",
    }


def test_account_new_order_cancel_oco_get_order(exchange: LocalBinance) -> None:
    client = Spot(api_key=exchange.api_key, api_secret=exchange.api_secret, base_url=exchange.rest_url)
    account = client.account()
    free = {b["asset"]: b["free"] for b in account["balances"]}
    assert isinstance(free["USDT"], str) and float(free["USDT"]) > 0  # strings, as the connector returned

    params = {
        "symbol": "BTCUSDT",
        "side": "SELL",
        "type": "LIMIT",
        "timeInForce": "GTC",
        "quantity": 0.002,
        "price": 95000,
    }
    response = client.new_order(**params)
    assert response["status"] == "NEW" and response["price"] == "95000.00000000"
    assert response.order_id == response["orderId"]
    sent = exchange.requests_to("/api/v3/order", "POST")[-1].params
    assert (sent["quantity"], sent["price"]) == ("0.002", "95000")

    with pytest.raises(ClientError) as caught:
        client.cancel_oco_order("BTCUSDT", orderListId=1)
    error = caught.value
    assert (error.status_code, error.error_code) == (400, -2011)
    assert error.error_message and isinstance(error.header, dict)

    order = client.get_order("BTCUSDT", orderId=response["orderId"], recvWindow=10000)
    assert order["orderId"] == response["orderId"] and order["origQty"] == "0.00200000"
    assert exchange.requests_to("/api/v3/order", "GET")[-1].params["recvWindow"] == "10000"


def test_client_options_of_the_connector(exchange: LocalBinance) -> None:
    client = Spot(
        api_key=exchange.api_key,
        api_secret=exchange.api_secret,
        base_url=exchange.rest_url,
        timeout=1,
        time_unit="MICROSECOND",
        proxies=None,
    )
    server_time = client.time()
    assert server_time.server_time.tzinfo is not None
    assert exchange.requests_to("/api/v3/time")[-1].headers.get("x-mbx-time-unit") == "MICROSECOND"
    assert client.typed._transport.http.timeout.read == 1  # type: ignore[attr-defined]

    testnet = Spot(base_url="https://testnet.binance.vision")
    assert testnet.typed.config.base_url == "https://testnet.binance.vision"


def test_proxies_route_requests_through_the_proxy(exchange: LocalBinance) -> None:
    seen: list[str] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            seen.append(self.path)  # absolute form: the client talks to a proxy
            target = urlsplit(self.path)
            upstream = httpx.get(f"{exchange.rest_url}{target.path}?{target.query}")
            self.send_response(upstream.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(upstream.content)))
            self.end_headers()
            self.wfile.write(upstream.content)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with Spot(
            base_url="http://api.binance.invalid", proxies={"http": f"http://127.0.0.1:{server.server_port}"}
        ) as client:
            assert client.time()["serverTime"] > 0
    finally:
        server.shutdown()
        server.server_close()
    assert seen == ["http://api.binance.invalid/api/v3/time"]


def test_websocket_api_ticker_calls(exchange: LocalBinance) -> None:
    messages: list[Any] = []
    closed = threading.Event()

    def message_handler(_: Any, message: str) -> None:
        messages.append(message)

    def on_close(_: Any) -> None:
        closed.set()

    my_client = SpotWebsocketAPIClient(
        stream_url=exchange.ws_api_url, on_message=message_handler, on_close=on_close
    )
    my_client.ticker(symbol="BNBBTC", type="FULL")
    my_client.ticker(symbols=["BNBBTC", "BTCUSDT"], type="MINI", id="second")
    my_client.ticker_price(symbol="BTCUSDT")
    _wait(lambda: len(messages) == 3)
    my_client.stop()
    assert closed.wait(5)

    frames = [json.loads(m) for m in messages]
    assert all(isinstance(m, str) for m in messages)
    assert {f["id"] for f in frames} >= {"second"}
    price = next(f for f in frames if f.get("status") == 200)
    assert price["result"]["symbol"] == "BTCUSDT" and isinstance(price["result"]["price"], str)
    sent = [(r.method, json.loads(r.query)) for r in exchange.requests if r.transport == "ws-api"][-3:]
    assert sent == [
        ("ticker", {"symbol": "BNBBTC", "type": "FULL"}),
        ("ticker", {"symbols": ["BNBBTC", "BTCUSDT"], "type": "MINI"}),
        ("ticker.price", {"symbol": "BTCUSDT"}),
    ]


def test_websocket_api_typed_events_option(exchange: LocalBinance) -> None:
    messages: list[Any] = []
    client = SpotWebsocketAPIClient(
        stream_url=exchange.ws_api_url, on_message=lambda _, m: messages.append(m), typed_events=True
    )
    client.ticker_price(symbol="BTCUSDT")
    _wait(lambda: messages)
    client.stop()
    (response,) = messages
    assert response.ok and response.result.price > 0  # a Decimal in a typed result


def test_stream_ticker(exchange: LocalBinance) -> None:
    messages: list[str] = []
    opened = threading.Event()

    def message_handler(_: Any, message: str) -> None:
        messages.append(message)

    closed: list[Any] = []
    my_client = SpotWebsocketStreamClient(
        stream_url=exchange.stream_url,
        on_message=message_handler,
        on_open=lambda _: opened.set(),
        on_close=closed.append,
    )
    my_client.ticker(symbol="btcusdt")
    my_client.trade(symbol="btcusdt")
    assert opened.wait(5)
    exchange.wait_for_subscribers("btcusdt@trade")
    Spot(api_key=exchange.api_key, api_secret=exchange.api_secret, base_url=exchange.rest_url).new_order(
        "BTCUSDT", "BUY", "MARKET", quantity="0.01"
    )
    _wait(lambda: any('"e": "trade"' in m for m in messages) and any('"24hrTicker"' in m for m in messages))
    my_client.stop()
    _wait(lambda: closed)
    assert closed == [my_client]  # on_close(socket_manager), as the connector called it
    trade = json.loads(next(m for m in messages if '"e": "trade"' in m))
    assert trade["s"] == "BTCUSDT" and trade["q"] == "0.01000000" and isinstance(trade["T"], int)
    assert "stream" not in trade


def test_stream_combined_and_unsubscribe(exchange: LocalBinance) -> None:
    messages: list[str] = []
    client = SpotWebsocketStreamClient(
        stream_url=exchange.stream_url, on_message=lambda _, m: messages.append(m), is_combined=True
    )
    client.trade("BTCUSDT")
    client.kline("btcusdt", "1m")
    _wait(lambda: set(client.list_subscribe()) == {"btcusdt@trade", "btcusdt@kline_1m"})
    client.kline("btcusdt", "1m", action="UNSUBSCRIBE")
    _wait(lambda: client.list_subscribe() == ["btcusdt@trade"])
    exchange.wait_for_subscribers("btcusdt@trade")
    Spot(api_key=exchange.api_key, api_secret=exchange.api_secret, base_url=exchange.rest_url).new_order(
        "BTCUSDT", "BUY", "MARKET", quantity="0.01"
    )
    _wait(lambda: messages)
    client.stop()
    envelope = json.loads(messages[0])
    assert envelope["stream"] == "btcusdt@trade" and envelope["data"]["e"] == "trade"


def test_error_fields_of_client_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"code": -1121, "msg": "Invalid symbol."}, headers={"x-mbx-used-weight-1m": "1"}
        )

    client = Spot(
        base_url="https://api.example.test", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    logging.getLogger("binance_typed").debug("connector-style error handling")
    try:
        client.avg_price("NOPE")
    except ClientError as error:
        assert (error.status_code, error.error_code, error.error_message) == (400, -1121, "Invalid symbol.")
        assert error.header["x-mbx-used-weight-1m"] == "1"
    else:
        raise AssertionError("no ClientError")


# -- the connector's Getting Started snippets, verbatim but for ``binance.`` -> ``binance_typed.`` --
GETTING_STARTED_REST = """
import logging
from binance_typed.spot import Spot
from binance_typed.lib.utils import config_logging

config_logging(logging, logging.DEBUG)

client = Spot()

# Get server timestamp
print(client.time())
# Get klines of BTCUSDT at 1m interval
print(client.klines("BTCUSDT", "1m"))
# Get last 10 klines of BNBUSDT at 1h interval
print(client.klines("BNBUSDT", "1h", limit=10))

# API key/secret are required for user data endpoints
client = Spot(api_key='<api_key>', api_secret='<api_secret>')

# Get account and balance information
print(client.account())

# Post a new order
params = {
    'symbol': 'BTCUSDT',
    'side': 'SELL',
    'type': 'LIMIT',
    'timeInForce': 'GTC',
    'quantity': 0.002,
    'price': 9500
}

response = client.new_order(**params)
print(response)
"""

GETTING_STARTED_WS_API = """
import logging
import time
from binance_typed.lib.utils import config_logging
from binance_typed.websocket.spot.websocket_api import SpotWebsocketAPIClient

config_logging(logging, logging.DEBUG)

def message_handler(_, message):
    logging.info(message)

my_client = SpotWebsocketAPIClient(on_message=message_handler)

my_client.ticker(symbol="BNBBTC", type="FULL")

time.sleep(5)
logging.info("closing ws connection")
my_client.stop()
"""

GETTING_STARTED_STREAMS = """
import logging
import time
from binance_typed.lib.utils import config_logging
from binance_typed.websocket.spot.websocket_stream import SpotWebsocketStreamClient

config_logging(logging, logging.DEBUG)

def message_handler(_, message):
    logging.info(message)

my_client = SpotWebsocketStreamClient(on_message=message_handler)

# Subscribe to a single symbol stream
my_client.agg_trade(symbol="btcusdt")
time.sleep(5)
logging.info("closing ws connection")
my_client.stop()
"""


@pytest.fixture
def connector_defaults(exchange: LocalBinance, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Point the compatible clients' default URLs at the local exchange; fill in the page's keys."""
    from binance_typed import _config
    from binance_typed.spot._core import SpotBase
    from binance_typed.websocket.spot._api_base import WebsocketAPIBase

    live = {_config.LIVE_REST: exchange.rest_url, _config.LIVE_WS_API: exchange.ws_api_url,
            _config.LIVE_STREAMS: exchange.stream_url}
    for init in (SpotBase.__init__, WebsocketAPIBase.__init__, SpotWebsocketStreamClient.__init__):
        if init.__defaults__:
            monkeypatch.setattr(init, "__defaults__", tuple(live.get(v, v) if isinstance(v, str) else v
                                                            for v in init.__defaults__))
        if init.__kwdefaults__:
            monkeypatch.setattr(init, "__kwdefaults__", {k: live.get(v, v) if isinstance(v, str) else v
                                                          for k, v in init.__kwdefaults__.items()})
    real_sleep = time.sleep
    monkeypatch.setattr(time, "sleep", lambda seconds: real_sleep(min(seconds, 1.0)))
    root = logging.getLogger()
    level = root.level
    yield lambda code: code.replace("<api_key>", exchange.api_key).replace("<api_secret>", exchange.api_secret)
    for handler in list(root.handlers):  # the snippets' config_logging handlers
        if handler.formatter is not None and handler.formatter._fmt == LOG_FORMAT:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_getting_started_rest_runs_unchanged(exchange: LocalBinance, connector_defaults: Any,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {}
    exec(connector_defaults(GETTING_STARTED_REST), namespace)  # noqa: S102 - the documented snippet
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("server_time=")
    assert len(namespace["client"].typed.market.klines("BNBUSDT", "1h", limit=10)) == 10
    assert namespace["response"]["status"] in ("NEW", "PARTIALLY_FILLED", "FILLED")  # 9500 is far below the book
    assert namespace["response"]["price"] == "9500.00000000"
    sent = exchange.requests_to("/api/v3/order", "POST")[-1].params
    assert (sent["quantity"], sent["price"], sent["timeInForce"]) == ("0.002", "9500", "GTC")


def test_getting_started_websocket_api_runs_unchanged(exchange: LocalBinance, connector_defaults: Any,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    exec(connector_defaults(GETTING_STARTED_WS_API), {})  # noqa: S102
    frames = [json.loads(r.getMessage()) for r in caplog.records if r.getMessage().startswith('{"id"')]
    assert len(frames) == 1 and frames[0]["status"] == 400  # the local exchange has no rolling window ticker
    assert "closing ws connection" in caplog.text
    assert [r.method for r in exchange.requests if r.transport == "ws-api"][-1] == "ticker"


def test_getting_started_streams_run_unchanged(exchange: LocalBinance, connector_defaults: Any,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    stop = threading.Event()

    def trade() -> None:
        with exchange.client() as rest:
            while not stop.wait(0.1):
                rest.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="0.001")

    trader = threading.Thread(target=trade, daemon=True)
    trader.start()
    try:
        exec(connector_defaults(GETTING_STARTED_STREAMS), {})  # noqa: S102
    finally:
        stop.set()
        trader.join(5)
    events = [json.loads(r.getMessage()) for r in caplog.records if r.getMessage().startswith('{"e": "aggTrade"')]
    assert events and all(e["s"] == "BTCUSDT" and isinstance(e["p"], str) for e in events)


def test_no_logging_handler_is_left_behind() -> None:
    assert not any(h.formatter is not None and h.formatter._fmt == LOG_FORMAT for h in logging.getLogger().handlers)
