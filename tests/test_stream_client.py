"""The stream client against a real WebSocket server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from stream_support import FAST, Collector, make_client, wait_for
from ws_server import StreamServer

from binance_typed.models.events.market import (
    AggTradeEvent,
    BookTickerEvent,
    DepthUpdateEvent,
    KlineEvent,
    ServerShutdownEvent,
    StreamGapEvent,
    TradeEvent,
)
from binance_typed.ws._stream_protocol import ControlRateLimiter, StreamProtocol
from binance_typed.ws.orderbook import LocalOrderBook
from binance_typed.ws.streams import AsyncStreamClient, SpotWebsocketStreamClient


def trade(i: int, symbol: str = "BTCUSDT") -> dict[str, Any]:
    return {
        "e": "trade",
        "E": 1_700_000_000_000 + i,
        "s": symbol,
        "t": i,
        "p": "100.5",
        "q": "0.1",
        "T": 1_700_000_000_000 + i,
        "m": False,
        "M": True,
    }


@pytest.fixture
def server() -> Iterator[StreamServer]:
    with StreamServer() as srv:
        yield srv


def test_subscribe_and_decode(server: StreamServer) -> None:
    got = Collector()
    client = make_client(server, got)
    try:
        client.trade("BTCUSDT", wait=True)
        client.book_ticker("BTCUSDT", wait=True)
        client.kline("BTCUSDT", "1m", wait=True)
        assert server.wait_subscribed("btcusdt@bookTicker")
        server.push("btcusdt@trade", trade(1))
        server.push(
            "btcusdt@bookTicker", {"u": 5, "s": "BTCUSDT", "b": "1.5", "B": "2", "a": "1.6", "A": "3"}
        )
        server.push(
            "btcusdt@kline_1m",
            {
                "e": "kline",
                "E": 1,
                "s": "BTCUSDT",
                "k": {
                    "t": 0,
                    "T": 59999,
                    "s": "BTCUSDT",
                    "i": "1m",
                    "f": 1,
                    "L": 2,
                    "o": "1",
                    "c": "2",
                    "h": "3",
                    "l": "0.5",
                    "v": "10",
                    "n": 2,
                    "x": True,
                    "q": "20",
                    "V": "5",
                    "Q": "10",
                    "B": "0",
                },
            },
        )
        assert wait_for(lambda: len(got.events) >= 3)
        (t,) = got.of(TradeEvent)
        assert t.price == Decimal("100.5") and t.trade_id == 1
        (b,) = got.of(BookTickerEvent)
        assert b.best_ask_price == Decimal("1.6")
        (k,) = got.of(KlineEvent)
        assert k.kline.is_closed
        assert sorted(client.list_subscriptions()) == [
            "btcusdt@bookTicker",
            "btcusdt@kline_1m",
            "btcusdt@trade",
        ]
        client.unsubscribe("btcusdt@kline_1m", wait=True)
        assert sorted(client.list_subscriptions()) == ["btcusdt@bookTicker", "btcusdt@trade"]
    finally:
        client.stop()


def test_combined_streams_in_url_and_iterator(server: StreamServer) -> None:
    client = SpotWebsocketStreamClient(stream_url=server.url, reconnect=FAST)
    client.subscribe(["btcusdt@aggTrade", "ethusdt@depth@100ms"])  # before connect: they go in the URL
    try:
        assert server.wait_subscribed("ethusdt@depth@100ms")
        conn = server.conns[0]
        assert conn.combined and "streams=" in conn.path
        assert not server.control_messages  # nothing had to be sent
        server.push(
            "btcusdt@aggTrade",
            {
                "e": "aggTrade",
                "E": 1,
                "s": "BTCUSDT",
                "a": 7,
                "p": "1",
                "q": "2",
                "f": 1,
                "l": 2,
                "T": 1,
                "m": True,
                "M": True,
            },
        )
        server.push(
            "ethusdt@depth@100ms",
            {"e": "depthUpdate", "E": 1, "s": "ETHUSDT", "U": 1, "u": 2, "b": [["1", "2"]], "a": []},
        )
        it = iter(client)
        first, second = next(it), next(it)
        assert isinstance(first, AggTradeEvent) and first.agg_trade_id == 7
        assert isinstance(second, DepthUpdateEvent) and second.bids[0].quantity == Decimal("2")
    finally:
        client.stop()
    assert list(client) == []  # the iterator ends once stopped


def test_cut_and_restore_subscriptions(server: StreamServer) -> None:
    got = Collector()
    client = make_client(server, got)
    try:
        client.trade("BTCUSDT", wait=True)
        client.agg_trade("ETHUSDT", wait=True)
        server.push("btcusdt@trade", trade(1))
        assert wait_for(lambda: len(got.of(TradeEvent)) == 1)
        server.cut()
        assert wait_for(lambda: any(e.kind == "reconnected" for e in got.conn_events))
        assert server.wait_subscribed("btcusdt@trade") and server.wait_subscribed("ethusdt@aggTrade")
        server.push("btcusdt@trade", trade(2))
        assert wait_for(lambda: len(got.of(TradeEvent)) == 2)
        kinds = [e.kind for e in got.conn_events]
        assert "disconnected" in kinds and "reconnected" in kinds
        gaps = got.of(StreamGapEvent)
        assert gaps and set(gaps[0].streams) == {"btcusdt@trade", "ethusdt@aggTrade"}
        assert gaps[0].start <= gaps[0].end
        assert sorted(client.list_subscriptions()) == ["btcusdt@trade", "ethusdt@aggTrade"]
    finally:
        client.stop()


def test_stalled_connection_is_detected(server: StreamServer) -> None:
    got = Collector()
    client = make_client(server, got, watchdog_timeout=0.4)
    try:
        client.trade("BTCUSDT", wait=True)
        server.stall()
        assert wait_for(lambda: any(e.kind == "stalled" for e in got.conn_events), timeout=5)
        assert wait_for(lambda: any(e.kind == "reconnected" for e in got.conn_events), timeout=5)
        assert wait_for(
            lambda: sum(1 for c in server.conns if not c.stalled and "btcusdt@trade" in c.streams) == 1
        )
        server.push("btcusdt@trade", trade(3))
        assert wait_for(lambda: len(got.of(TradeEvent)) == 1)
    finally:
        client.stop()


def test_pings_keep_a_quiet_connection_alive() -> None:
    with StreamServer(ping_interval=0.1) as server:
        got = Collector()
        client = make_client(server, got, watchdog_timeout=0.5)
        try:
            client.trade("BTCUSDT", wait=True)
            time.sleep(1.2)  # no data, but pings (answered with pongs) keep the watchdog quiet
            assert not any(e.kind == "stalled" for e in got.conn_events)
            assert len(server.conns) == 1
        finally:
            client.stop()


def test_server_shutdown_without_loss(server: StreamServer) -> None:
    got = Collector()
    client = make_client(server, got, overlap_timeout=2.0)
    try:
        client.trade("BTCUSDT", wait=True)
        seq = iter(range(1, 10_000))
        stop = threading.Event()

        def feed() -> None:  # a steady trade stream on every connection subscribed
            while not stop.is_set():
                server.push("btcusdt@trade", trade(next(seq)))
                time.sleep(0.002)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        assert wait_for(lambda: len(got.of(TradeEvent)) > 20)
        server.server_shutdown(close_after=1.5)
        assert wait_for(lambda: any(e.kind == "rollover" for e in got.conn_events))
        assert wait_for(lambda: any(e.kind == "retired" for e in got.conn_events), timeout=5)
        time.sleep(0.2)
        stop.set()
        feeder.join()
        time.sleep(0.3)
        ids = [e.trade_id for e in got.of(TradeEvent)]
        assert ids == list(range(ids[0], ids[0] + len(ids))), "events lost, repeated or reordered"
        assert got.of(ServerShutdownEvent)
        assert not any(e.kind == "disconnected" for e in got.conn_events)
        assert not got.of(StreamGapEvent)
    finally:
        client.stop()


def test_control_rate_limit_respected() -> None:
    with StreamServer(max_control_rate=5) as server:
        got = Collector()
        client = make_client(server, got)
        try:
            client.start()
            start = time.monotonic()
            for i in range(12):
                client.subscribe(f"sym{i}usdt@trade")
            assert server.wait_subscribed("sym11usdt@trade", timeout=6)
            elapsed = time.monotonic() - start
            assert server.rate_violations == 0
            times = [t for t, _ in server.control_messages]
            for i in range(len(times)):
                assert sum(1 for t in times if times[i] <= t < times[i] + 1.0) <= 5
            assert elapsed >= 2.0  # 12 messages at 5/s
            assert not any(e.kind == "disconnected" for e in got.conn_events)
        finally:
            client.stop()


def test_rate_limiter_and_stream_limit_offline() -> None:
    clock = [0.0]
    protocol = StreamProtocol(rate_limiter=ControlRateLimiter(5, 1.0), clock=lambda: clock[0], max_streams=3)
    protocol.on_open(1)
    for i in range(3):
        protocol.subscribe([f"s{i}@trade"])
    protocol.list_subscriptions()
    protocol.list_subscriptions()
    protocol.list_subscriptions()
    sent = []
    while True:
        text, wait = protocol.next_control()
        if text is None:
            break
        sent.append(text)
    assert len(sent) == 5 and 0 < wait <= 1.0
    clock[0] = 1.01
    assert protocol.next_control()[0] is not None
    with pytest.raises(ValueError):
        protocol.subscribe(["s9@trade"])


def test_order_book_resync_after_forced_gap(server: StreamServer) -> None:
    snapshots = [
        {"lastUpdateId": 100, "bids": [["10", "1"]], "asks": [["11", "1"]]},
        {"lastUpdateId": 200, "bids": [["9", "5"]], "asks": [["12", "5"]]},
    ]
    calls: list[int] = []

    def fetch() -> dict[str, Any]:
        calls.append(1)
        return snapshots[min(len(calls) - 1, 1)]

    changed: queue.Queue[Any] = queue.Queue()
    handlers: list[Callable[[Any], None]] = []
    client = SpotWebsocketStreamClient(
        on_message=lambda e: [h(e) for h in handlers], stream_url=server.url, reconnect=FAST
    )
    try:
        book, handle = LocalOrderBook(
            client, "BNBBTC", fetch, on_change=lambda b: changed.put(b.last_update_id)
        )
        handlers.append(handle)
        assert server.wait_subscribed("bnbbtc@depth@100ms")

        def upd(first: int, last: int, bids: list[list[str]]) -> dict[str, Any]:
            return {"e": "depthUpdate", "E": 1, "s": "BNBBTC", "U": first, "u": last, "b": bids, "a": []}

        server.push_many("bnbbtc@depth@100ms", [upd(99, 101, [["10", "2"]]), upd(102, 103, [["10.5", "1"]])])
        assert wait_for(lambda: book.last_update_id == 103)
        assert book.best_bid() == (Decimal("10.5"), Decimal("1"))
        server.push("bnbbtc@depth@100ms", upd(190, 201, [["9", "6"]]))  # gap: 104..189 missing
        assert wait_for(lambda: book.last_update_id == 201)
        assert book.resyncs == 1 and len(calls) == 2
        assert book.best_bid() == (Decimal("9"), Decimal("6")) and book.best_ask() == (
            Decimal("12"),
            Decimal("5"),
        )
    finally:
        client.stop()


async def test_async_client(server: StreamServer) -> None:
    async with AsyncStreamClient("btcusdt@trade", stream_url=server.url, reconnect=FAST) as client:
        assert await asyncio.to_thread(server.wait_subscribed, "btcusdt@trade")
        await asyncio.to_thread(server.push, "btcusdt@trade", trade(42))
        async for event in client:
            assert isinstance(event, TradeEvent) and event.trade_id == 42
            break
        assert await client.list_subscriptions() == ["btcusdt@trade"]
