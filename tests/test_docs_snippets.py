"""Every ```python block of docs/websockets.md runs, unmodified, against the local simulator.

The snippets are written for the real Binance: they construct clients without URLs. The test
points the *default* URLs of the client classes (``Client``, ``SpotWebsocketStreamClient``,
``SpotWebsocketAPIClient``, ...) at the ``local_binance`` fixture, provides ``api_key`` and
``private_key`` (a fresh Ed25519 key) as the page says, keeps a background trader busy so the
streams carry events, and checks that each snippet prints what the page claims.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any, Literal

import pytest

from binance_typed import _config

PAGE = Path(__file__).resolve().parent.parent / "docs" / "websockets.md"
SNIPPET_TIMEOUT = 20  # seconds; each snippet is meant to end on its own within a few


@dataclass(frozen=True)
class Snippet:
    line: int
    heading: str
    code: str

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.heading.lower()).strip("-")
        return f"L{self.line}-{slug}"


def snippets() -> list[Snippet]:
    found: list[Snippet] = []
    heading = ""
    lines = PAGE.read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.strip() == "```python":
            start = i + 1
            i += 1
            while lines[i].strip() != "```":
                i += 1
            found.append(Snippet(start + 1, heading, "\n".join(lines[start:i]) + "\n"))
        i += 1
    return found


SNIPPETS = snippets()


# -- what the page claims, per snippet (matched on a piece of its code) ---------------------------
EXPECTED_OUTPUT: dict[str, list[str]] = {
    "client.book_ticker(\"ETHUSDT\")": ["BTCUSDT trade", "ETHUSDT bid"],
    "def describe(": ["BTCUSDT: 0.002 at 37000.10", "not understood: somethingNew"],
    "client.agg_trade(": ["buy", "sell"],
    "AsyncStreamClient(": ["trade", "spread"],
    "client.list_subscriptions()": ["btcusdt@kline_1m", "ethusdt@depth5@100ms", "ethusdt@kline_1h@+08:00"],
    "time_unit=\"microsecond\"": ["+00:00"],
    "on_reconnect=on_reconnect": ["connection disconnected", "connection reconnected", "may have missed events"],
    "book = OrderBook(": ["synced: True", "best bid PriceLevel(", "ask "],
    "LocalOrderBook(": ["OrderBook(BTCUSDT, last_update_id="],
    "ws.market.klines(\"BTCUSDT\", \"1m\", limit=3)": ["+00:00"],
    "ws.user_data.subscribe().subscription_id": [
        "subscription 0", "placed", "NEW", "cancelled", "CANCELED", "balances:",
    ],
    "ws.submit(": ["sent request", "klines ["],
    "ws.resync_user_data([\"BTCUSDT\"])": ["open orders; asset='USDT'"],
    "user_data_events()": ["FILLED", "filled at"],
    "with_rate_limits(": ["REQUEST_WEIGHT 1MINUTE", "remaining"],
    "ExecutionStatusUnknown as exc": ["outcome unknown", "it was not placed; sending it again is safe"],
}


def _expected(code: str) -> list[str]:
    return [text for marker, texts in EXPECTED_OUTPUT.items() if marker in code for text in texts]


def test_every_snippet_has_expectations() -> None:
    assert len(SNIPPETS) >= 12
    missing = [s.id for s in SNIPPETS if not _expected(s.code)]
    assert not missing, f"snippets without an expected output in EXPECTED_OUTPUT: {missing}"


# -- plumbing ------------------------------------------------------------------------------------
def _redirect_defaults(monkeypatch: pytest.MonkeyPatch, func: Callable[..., Any], urls: dict[str, str]) -> int:
    """Replace default argument values equal to a live URL; returns how many were replaced."""
    replaced = 0
    defaults = getattr(func, "__defaults__", None)
    if defaults:
        new = tuple(urls.get(v, v) if isinstance(v, str) else v for v in defaults)
        replaced += sum(a != b for a, b in zip(defaults, new, strict=True))
        monkeypatch.setattr(func, "__defaults__", new)
    kwdefaults = getattr(func, "__kwdefaults__", None)
    if kwdefaults:
        new_kw = {k: urls.get(v, v) if isinstance(v, str) else v for k, v in kwdefaults.items()}
        replaced += sum(new_kw[k] != kwdefaults[k] for k in kwdefaults)
        monkeypatch.setattr(func, "__kwdefaults__", new_kw)
    return replaced


def _point_defaults_at(exchange: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from binance_typed import AsyncClient, Client
    from binance_typed.ws.api import AsyncWebsocketAPIClient, SpotWebsocketAPIClient
    from binance_typed.ws.streams import SpotWebsocketStreamClient

    urls = {
        _config.LIVE_REST: exchange.rest_url,
        _config.LIVE_STREAMS: exchange.stream_url,
        _config.LIVE_WS_API: exchange.ws_api_url,
    }
    classes = (Client, AsyncClient, SpotWebsocketStreamClient, SpotWebsocketAPIClient, AsyncWebsocketAPIClient)
    for init in dict.fromkeys(cls.__init__ for cls in classes):  # the WS API clients share one
        assert _redirect_defaults(monkeypatch, init, urls) == 1, f"no live URL default in {init.__qualname__}"


@contextlib.contextmanager
def _trading(exchange: Any) -> Iterator[list[BaseException]]:
    """Orders from a second account (so they stay out of the snippets' user data): trades and book moves."""
    api_key, secret = exchange.new_key("HMAC", account=2)
    for asset, amount in (("BTC", "100"), ("ETH", "1000"), ("USDT", "1000000")):
        exchange.fund(asset, amount, account=2)
    stop = threading.Event()
    errors: list[BaseException] = []

    def trade() -> None:
        try:
            with exchange.client(api_key=api_key, api_secret=secret, timeout=5) as rest:
                n = 0
                while not stop.wait(0.1):
                    symbol = ("BTCUSDT", "ETHUSDT")[n % 2]
                    side: Literal["BUY", "SELL"] = "BUY" if n % 4 < 2 else "SELL"
                    if n % 3 == 2:
                        top = rest.market.depth(symbol, limit=1)
                        price = top.bids[0].price - Decimal("0.01") if side == "BUY" else top.asks[0].price + Decimal("0.01")
                        rest.trade.new_order(symbol, side, "LIMIT", timeInForce="GTC", quantity="0.01", price=price)
                    else:
                        rest.trade.new_order(symbol, side, "MARKET", quantity="0.01")
                    n += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    thread = threading.Thread(target=trade, name="docs-trader", daemon=True)
    thread.start()
    try:
        yield errors
    finally:
        stop.set()
        thread.join(5)


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"snippet still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _prepare(snippet: Snippet, exchange: Any) -> threading.Timer | None:
    """Situations some snippets describe: a dropped connection, an order whose outcome is unknown."""
    if "ExecutionStatusUnknown as exc" in snippet.code:
        exchange.faults.next(1, 503, "order.place")  # a 5XX to the order: nothing executed
    if "on_reconnect=on_reconnect" in snippet.code:
        timer = threading.Timer(0.7, exchange.cut_connections)  # drop the stream socket mid-way
        timer.start()
        return timer
    return None


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
def test_snippet_runs_against_local_binance(
    snippet: Snippet, local_binance: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _point_defaults_at(local_binance, monkeypatch)
    api_key, private_key = local_binance.new_key("Ed25519")
    namespace: dict[str, Any] = {"__name__": "__docs__", "api_key": api_key, "private_key": private_key}
    code = compile(snippet.code, f"{PAGE}:{snippet.line}", "exec")
    with _trading(local_binance) as trader_errors, _deadline(SNIPPET_TIMEOUT):
        timer = _prepare(snippet, local_binance)
        try:
            exec(code, namespace)
        finally:
            if timer is not None:
                timer.cancel()
    assert not trader_errors, trader_errors
    out = capsys.readouterr().out
    for text in _expected(snippet.code):
        assert text in out, f"{text!r} not in the output of the snippet at line {snippet.line}:\n{out}"


def test_with_rate_limits_on_a_connection_without_rate_limits(local_binance: Any) -> None:
    from binance_typed.ws.api import SpotWebsocketAPIClient

    with SpotWebsocketAPIClient(stream_url=local_binance.ws_api_url, return_rate_limits=False) as ws:
        server_time, limits = ws.with_rate_limits(ws.market.time)
        assert server_time.server_time is not None
        assert any(limit.key == "REQUEST_WEIGHT 1MINUTE" for limit in limits)
