"""A stream client that never silently dies: proactive rollover at ``max_lifetime``, the gap event of
a rollover without a proven overlap, and streams spread over several connections beyond the
per-connection limit. Against the stream test server on 127.0.0.1 (``tests/ws_server.py``)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from stream_support import FAST, Collector, make_client, wait_for
from ws_server import StreamServer

from binance_typed.models.events.market import StreamGapEvent, TradeEvent
from binance_typed.ws._stream_protocol import ControlRateLimiter, StreamProtocol
from binance_typed.ws.streams import SpotWebsocketStreamClient


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


def trade_frame(i: int, stream: str = "btcusdt@trade") -> str:
    return (
        f'{{"stream":"{stream}","data":{{"e":"trade","E":{i},"s":"BTCUSDT","t":{i},'
        f'"p":"1","q":"1","T":{i},"m":false,"M":true}}}}'
    )


@pytest.fixture
def server() -> Iterator[StreamServer]:
    with StreamServer() as srv:
        yield srv


# ---------------------------------------------------------------------- 1. rollover at max_lifetime


def test_rollover_at_max_lifetime_without_loss(server: StreamServer) -> None:
    got = Collector()
    client = make_client(server, got, max_lifetime=0.6, overlap_timeout=2.0)
    streams = {"btcusdt@trade": "BTCUSDT", "ethusdt@trade": "ETHUSDT"}
    try:
        client.trade("BTCUSDT", wait=True)  # travels in the URL of the first socket
        client.subscribe("ethusdt@trade", wait=True)  # a SUBSCRIBE on it
        seq = iter(range(1, 100_000))
        stop = threading.Event()

        def feed() -> None:  # a steady stream of trades to every connection subscribed
            while not stop.is_set():
                i = next(seq)
                for stream, symbol in streams.items():
                    server.push(stream, trade(i, symbol))
                time.sleep(0.002)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        try:
            # a rollover at max_lifetime, its old socket retired after the overlap was proven
            assert wait_for(lambda: got.kinds().count("retired") >= 2, timeout=10)
        finally:
            stop.set()
            feeder.join()
        time.sleep(0.3)

        rollovers = [e for e in got.conn_events if e.kind == "rollover"]
        assert rollovers and all(e.reason == "max lifetime reached" for e in rollovers)
        assert not {"disconnected", "stalled", "reconnected"} & set(got.kinds())
        # a gap event is conservative: on a loaded machine a switch can land exactly between two
        # trades, so no duplicate proves the overlap and a (tiny) gap is reported; what must hold is
        # that nothing is actually missing, which the trade ids below check
        assert all(g.reason == "rollover without a proven overlap" for g in got.of(StreamGapEvent))

        # the new socket opened before the old one closed, and carried every stream at once
        conns = sorted(server.all_conns, key=lambda c: c.opened_at)
        assert len(conns) >= 3
        for old, new in zip(conns, conns[1:], strict=False):
            assert old.closed_at is not None and new.opened_at < old.closed_at
            assert set(streams) <= set(new.streams)
        assert sorted(client.list_subscriptions()) == sorted(streams)

        # nothing lost, nothing repeated, nothing reordered across the switches, on either stream
        for symbol in streams.values():
            ids = [e.trade_id for e in got.of(TradeEvent) if e.symbol == symbol]
            bad = [(i, a, b) for i, (a, b) in enumerate(zip(ids, ids[1:], strict=False)) if b != a + 1]
            assert ids == list(range(ids[0], ids[0] + len(ids))), f"{symbol}: {bad} {got.kinds()}"
            assert len(ids) > 100
    finally:
        client.stop()


def test_one_rollover_at_a_time(server: StreamServer) -> None:
    # a rollover falling due while the previous one's old socket is still open waits for it
    got = Collector()
    sockets: list[tuple[str, int]] = []  # (event kind, sockets open when it was reported)

    def on_event(event: Any) -> None:
        got.conn_events.append(event)
        sockets.append((event.kind, len(client.connection.sessions)))

    client = SpotWebsocketStreamClient(
        on_message=got,
        on_reconnect=on_event,
        stream_url=server.url,
        watchdog_timeout=5.0,
        reconnect=FAST,
        max_lifetime=None,
        overlap_timeout=1.0,  # quiet streams prove no overlap: the old socket lasts 1 s
    )
    try:
        client.trade("BTCUSDT", wait=True)
        client.connection.rollover("first")
        assert wait_for(lambda: "rollover" in got.kinds())
        started = time.monotonic()
        client.connection.rollover("second")
        assert wait_for(lambda: got.kinds().count("rollover") == 2, timeout=10)
        assert time.monotonic() - started >= 0.5  # it waited for the first old socket's end
        assert [k for k in got.kinds() if k != "retired"] == ["connected", "rollover", "rollover"]
        assert max(n for kind, n in sockets if kind == "rollover") == 2
        conns = sorted(server.all_conns, key=lambda c: c.opened_at)
        assert len(conns) == 3
        assert wait_for(lambda: got.kinds().count("retired") == 2, timeout=5)
        assert len(client.connection.sessions) == 1
        assert sorted(client.list_subscriptions()) == ["btcusdt@trade"]
        assert not got.of(StreamGapEvent)
    finally:
        client.stop()


# ------------------------------------------------------ 2. the gap of a rollover without an overlap


def test_rollover_without_proven_overlap_reports_a_gap(
    server: StreamServer, caplog: pytest.LogCaptureFixture
) -> None:
    got = Collector()
    client = make_client(server, got, max_lifetime=None, overlap_timeout=0.5)
    try:
        client.trade("BTCUSDT", wait=True)
        for i in range(1, 6):
            server.push("btcusdt@trade", trade(i))
        assert wait_for(lambda: len(got.of(TradeEvent)) == 5)
        (old,) = server.conns
        with caplog.at_level(logging.WARNING, logger="binance_typed"):
            client.connection.rollover("test")
            assert wait_for(lambda: "rollover" in got.kinds())
            assert server.wait_subscribed("btcusdt@trade", count=2)
            new = next(c for c in server.conns if c is not old)
            server.push_to(old, "btcusdt@trade", trade(6))  # the old socket's last trade
            assert wait_for(lambda: len(got.of(TradeEvent)) == 6)
            before_new = time.time()
            server.push_to(new, "btcusdt@trade", trade(10))  # 7..9 reached neither socket
            server.push_to(new, "btcusdt@trade", trade(11))
            # the overlap timeout retires the old socket; the gap comes before the buffered trades
            assert wait_for(lambda: "retired" in got.kinds(), timeout=5)
            assert wait_for(lambda: len(got.of(TradeEvent)) == 8)
        (gap,) = got.of(StreamGapEvent)
        assert gap.streams == ("btcusdt@trade",)
        assert gap.reason == "rollover without a proven overlap"
        assert gap.start <= gap.end
        assert gap.start.timestamp() <= before_new <= gap.end.timestamp() + 0.001
        order = [e.trade_id if isinstance(e, TradeEvent) else "gap" for e in got.events]
        assert order == [1, 2, 3, 4, 5, 6, "gap", 10, 11]
        assert "disconnected" not in got.kinds()
        logged = [r for r in caplog.records if "may be missing" in r.getMessage()]
        assert logged and "btcusdt@trade" in logged[0].getMessage()
        assert logged[0].levelno == logging.WARNING
        # the new socket carries the stream on its own now
        server.push("btcusdt@trade", trade(12))
        assert wait_for(lambda: len(got.of(TradeEvent)) == 9)
        assert got.of(TradeEvent)[-1].trade_id == 12
    finally:
        client.stop()


@pytest.mark.parametrize(("next_id", "gap_expected"), [(7, False), (9, True)])
def test_a_quiet_stream_at_rollover_is_settled_by_its_next_trade(
    server: StreamServer, caplog: pytest.LogCaptureFixture, next_id: int, gap_expected: bool
) -> None:
    """The old socket's last trade came after the new socket subscribed and the new one stayed
    quiet until the old was retired: no proof of an overlap yet. The next trade decides: the
    next id (no gap, no warning) or a later one (the gap first, logged)."""
    got = Collector()
    client = make_client(server, got, max_lifetime=None, overlap_timeout=1.0)
    try:
        client.trade("BTCUSDT", wait=True)
        server.push("btcusdt@trade", trade(5))
        assert wait_for(lambda: len(got.of(TradeEvent)) == 1)
        (old,) = server.conns
        with caplog.at_level(logging.WARNING, logger="binance_typed"):
            client.connection.rollover("test")
            assert server.wait_subscribed("btcusdt@trade", count=2)
            server.push_to(old, "btcusdt@trade", trade(6))  # the old socket's last trade
            assert wait_for(lambda: len(got.of(TradeEvent)) == 2)
            assert wait_for(lambda: "retired" in got.kinds(), timeout=5)
            assert got.of(StreamGapEvent) == []
            server.push("btcusdt@trade", trade(next_id))
            assert wait_for(lambda: len(got.of(TradeEvent)) == 3)
            time.sleep(0.05)
        order = [e.trade_id if isinstance(e, TradeEvent) else "gap" for e in got.events]
        assert order == ([5, 6, "gap", next_id] if gap_expected else [5, 6, next_id])
        logged = [r for r in caplog.records if "may be missing" in r.getMessage()]
        assert bool(logged) is gap_expected
        if gap_expected:
            (gap,) = got.of(StreamGapEvent)
            assert gap.streams == ("btcusdt@trade",) and gap.reason == "rollover without a proven overlap"
    finally:
        client.stop()


def _protocol_in_rollover() -> StreamProtocol:
    protocol = StreamProtocol()
    protocol.subscribe(["btcusdt@trade", "ethusdt@trade"])
    protocol.on_open(1)
    assert protocol.on_text(1, trade_frame(5))
    protocol.on_open(2, rollover=True)
    return protocol


def test_rollover_gap_bookkeeping_offline() -> None:
    # no overlap: the old socket's last trade is 6, the new one starts at 9
    protocol = _protocol_in_rollover()
    assert protocol.on_text(1, trade_frame(6))
    assert protocol.on_text(2, trade_frame(9)) == []
    assert not protocol.rollover_ready
    out = protocol.on_closed(1)
    assert isinstance(out[0], StreamGapEvent) and out[0].streams == ("btcusdt@trade",)
    assert [e.trade_id for e in out[1:]] == [9]

    # proven only at the end (the new socket was ahead of the old one): no gap, no duplicate
    protocol = _protocol_in_rollover()
    assert protocol.on_text(2, trade_frame(6)) == []
    assert protocol.on_text(2, trade_frame(7)) == []
    assert [e.trade_id for e in protocol.on_text(1, trade_frame(6))] == [6]
    assert [e.trade_id for e in protocol.on_closed(1)] == [7]
    # what the new socket delivers while the transport hands those over waits for them
    assert protocol.on_text(2, trade_frame(8)) == []
    assert [e.trade_id for e in protocol.take_handoff()] == [8]
    assert protocol.take_handoff() == []
    assert [e.trade_id for e in protocol.on_text(2, trade_frame(9))] == [9]

    # the new socket repeats the last event delivered before the rollover began: dropped
    protocol = _protocol_in_rollover()
    assert protocol.on_text(2, trade_frame(5)) == []
    assert protocol.on_text(2, trade_frame(6)) == []
    assert protocol.on_text(1, trade_frame(6))
    assert protocol.rollover_ready
    assert protocol.on_closed(1) == []
    assert [e.trade_id for e in protocol.on_text(2, trade_frame(7))] == [7]

    # proven during the overlap: no gap
    protocol = _protocol_in_rollover()
    assert protocol.on_text(1, trade_frame(6))
    assert protocol.on_text(2, trade_frame(6)) == []
    assert protocol.rollover_ready
    assert protocol.on_closed(1) == []

    # a quiet overlap: nothing happened, nothing was missed
    protocol = _protocol_in_rollover()
    assert protocol.on_closed(1) == []

    # the replacement died: the old socket stays the source, no gap
    protocol = _protocol_in_rollover()
    assert protocol.on_text(2, trade_frame(9)) == []
    assert protocol.on_closed(2) == []
    assert [e.trade_id for e in protocol.on_text(1, trade_frame(6))] == [6]


def _ids(events: list[Any]) -> list[Any]:
    return ["gap" if isinstance(e, StreamGapEvent) else e.trade_id for e in events]


def test_trade_ids_settle_the_rollover_of_a_quiet_stream_offline() -> None:
    """Trade ids have no holes: the new socket's first trade tells whether any was missed."""
    # the old socket ended after its trade 6, the new one had read 7 already: 7 follows 6, no gap
    protocol = _protocol_in_rollover()
    assert _ids(protocol.on_text(1, trade_frame(6))) == [6]
    assert protocol.on_text(2, trade_frame(7)) == []
    assert _ids(protocol.on_closed(1)) == [7]

    # quiet on the new socket during the overlap: no gap yet; its next trade settles it
    protocol = _protocol_in_rollover()
    assert _ids(protocol.on_text(1, trade_frame(6))) == [6]
    assert protocol.on_closed(1) == []
    assert _ids(protocol.on_text(2, trade_frame(6))) == []  # a repeat of the old socket's last
    assert _ids(protocol.on_text(2, trade_frame(7))) == [7]  # the next one: nothing was missed
    assert _ids(protocol.on_text(2, trade_frame(8))) == [8]

    # ... or shows the trades missed: the gap comes first, once, for that stream only
    protocol = _protocol_in_rollover()
    before = time.time()
    assert _ids(protocol.on_text(1, trade_frame(6))) == [6]
    assert _ids(protocol.on_text(1, trade_frame(3, "ethusdt@trade"))) == [3]
    assert protocol.on_closed(1) == []
    out = protocol.on_text(2, trade_frame(9))
    assert _ids(out) == ["gap", 9]
    gap = out[0]
    assert gap.streams == ("btcusdt@trade",) and gap.reason == "rollover without a proven overlap"
    assert before <= gap.start.timestamp() <= gap.end.timestamp() <= time.time() + 0.001
    assert _ids(protocol.on_text(2, trade_frame(4, "ethusdt@trade"))) == [4]
    assert _ids(protocol.on_text(2, trade_frame(10))) == [10]

    # still unsettled when the connection is lost: the reconnect's gap covers it, from its start
    protocol = _protocol_in_rollover()
    assert _ids(protocol.on_text(1, trade_frame(6))) == [6]
    settled_from = time.time()
    assert protocol.on_closed(1) == []
    protocol.on_closed(2)
    (gap,) = protocol.on_open(3)
    assert isinstance(gap, StreamGapEvent) and gap.start.timestamp() <= settled_from
    assert _ids(protocol.on_text(3, trade_frame(7))) == [7]  # settled by the reconnect's gap


def test_a_quiet_stream_without_ids_reports_its_gap_at_once_offline() -> None:
    """Book tickers carry no gapless sequence: an unproven overlap is reported when it ends."""
    protocol = StreamProtocol()
    protocol.subscribe(["btcusdt@bookTicker"])
    protocol.on_open(1)

    def ticker(u: int) -> str:
        return (
            f'{{"stream":"btcusdt@bookTicker","data":{{"u":{u},"s":"BTCUSDT",'
            f'"b":"1","B":"1","a":"2","A":"1"}}}}'
        )

    assert protocol.on_text(1, ticker(5))
    protocol.on_open(2, rollover=True)
    assert protocol.on_text(1, ticker(6))
    (gap,) = protocol.on_closed(1)
    assert isinstance(gap, StreamGapEvent) and gap.streams == ("btcusdt@bookTicker",)
    assert protocol.take_handoff() == []  # the transport delivered the gap
    assert [type(e).__name__ for e in protocol.on_text(2, ticker(7))] == ["BookTickerEvent"]


# --------------------------------------------------------------- 3. beyond the per-connection limit


def test_streams_spread_over_connections() -> None:
    with StreamServer(max_control_rate=5) as server:
        got = Collector()
        client = make_client(server, got, max_streams=3)
        names = [f"sym{i}usdt@trade" for i in range(8)]
        try:
            client.trade("SYM0USDT", wait=True)
            client.subscribe(names, wait=True)  # 1 already there, 7 more: 3 connections
            assert len(client.connections) == 3
            assert wait_for(lambda: len(server.conns) == 3)
            assert wait_for(lambda: sum(len(c.streams) for c in server.conns) == 8)
            assert all(len(c.streams) <= 3 for c in server.conns)
            assert sorted(s for c in server.conns for s in c.streams) == sorted(names)
            assert client.subscriptions == names
            assert sorted(client.list_subscriptions()) == sorted(names)

            for i, name in enumerate(names):
                assert server.push(name, trade(i, f"SYM{i}USDT")) == 1
            assert wait_for(lambda: len(got.of(TradeEvent)) == 8)
            assert sorted(e.trade_id for e in got.of(TradeEvent)) == list(range(8))

            # unsubscribe across connections; new streams fill the room left (no 4th connection)
            client.unsubscribe(["sym1usdt@trade", "sym4usdt@trade", "sym7usdt@trade"], wait=True)
            left = [n for n in names if n not in ("sym1usdt@trade", "sym4usdt@trade", "sym7usdt@trade")]
            assert sorted(client.list_subscriptions()) == sorted(left)
            client.subscribe(["new1usdt@trade", "new2usdt@trade"], wait=True)
            assert len(client.connections) == 3 and len(server.conns) == 3
            assert all(len(c.streams) <= 3 for c in server.conns)
            assert sorted(client.list_subscriptions()) == sorted([*left, "new1usdt@trade", "new2usdt@trade"])
            client.subscribe("NEW2USDT@trade", wait=True)  # already there
            assert len(client.subscriptions) == 7

            # every connection reconnects and restores its own streams
            server.cut()
            assert wait_for(lambda: got.kinds().count("reconnected") >= 3)
            assert wait_for(lambda: sum(len(c.streams) for c in server.conns) == 7)
            assert all(len(c.streams) <= 3 for c in server.conns)
            gaps = got.of(StreamGapEvent)
            assert sorted(s for g in gaps for s in g.streams) == sorted(client.subscriptions)
            assert server.rate_violations == 0
            assert "gave_up" not in got.kinds()
        finally:
            client.stop()
        assert all(not c.running for c in client.connections)


def test_more_than_1024_streams() -> None:
    with StreamServer(max_control_rate=5) as server:
        got = Collector()
        client = make_client(server, got)
        names = [f"s{i:04d}usdt@aggTrade" for i in range(1100)]
        try:
            # before connecting: too long for the URL, so each socket SUBSCRIBEs in chunks
            client.subscribe(names, wait=True, timeout=20)
            assert len(client.connections) == 2
            assert sorted(len(c.streams) for c in server.conns) == [76, 1024]
            assert server.rate_violations == 0
            assert sorted(client.list_subscriptions()) == sorted(names)
            for name in (names[0], names[1023], names[1024], names[-1]):
                server.push(name, trade(len(got.events)))
            assert wait_for(lambda: len(got.events) == 4)
            # the 5-per-second limit holds on each connection
            for conn in server.all_conns:
                times = conn.control_times
                for i in range(len(times)):
                    assert sum(1 for t in times if times[i] <= t < times[i] + 1.0) <= 5
        finally:
            client.stop()


def test_protocol_reports_its_room() -> None:
    clock = [0.0]
    protocol = StreamProtocol(rate_limiter=ControlRateLimiter(5, 1.0), clock=lambda: clock[0], max_streams=3)
    assert protocol.room == 3
    protocol.subscribe(["BTCUSDT@trade", "btcusdt@trade"])
    assert protocol.room == 2 and list(protocol.streams) == ["btcusdt@trade"]
    for bad in ("bad name", "btcusdt@trade\n", "\nbtcusdt@trade", "btcusdt@tr\u0430de", ""):
        with pytest.raises(ValueError):
            protocol.check_names([bad])
