"""Start/stop in every state leaves nothing behind: no thread of the client, no open connection
on the server (issue 10, item 1), and a bounded iterator queue still ends on ``stop()``."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from stream_support import FAST, Collector, make_client, wait_for
from test_stream_resilience import trade
from ws_server import StreamServer
from wsapi_server import FakeWsApi

from binance_typed.testing import LocalBinance
from binance_typed.ws._api_protocol import WsRequestTimeout
from binance_typed.ws._connection import ReconnectPolicy
from binance_typed.ws.api import SpotWebsocketAPIClient
from binance_typed.ws.streams import SpotWebsocketStreamClient

CYCLES = 50


@pytest.fixture
def server() -> Iterator[StreamServer]:
    with StreamServer() as srv:
        yield srv


def extra_threads(baseline: set[threading.Thread]) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t not in baseline and t.is_alive()]


def assert_nothing_left(baseline: set[threading.Thread], client: Any) -> None:
    """Right after stop() returned: no thread of the client is alive (no waiting)."""
    left = extra_threads(baseline)
    assert left == [], f"threads left after stop(): {[t.name for t in left]}"
    assert client.threads == []


@pytest.fixture
def baseline(server: StreamServer) -> set[threading.Thread]:
    return set(threading.enumerate())


def test_start_stop_under_a_firehose(server: StreamServer, baseline: set[threading.Thread]) -> None:
    stop_flood = server.start_firehose("btcusdt@trade", trade)
    try:
        started = time.monotonic()
        for _ in range(CYCLES):
            got = Collector()
            client = make_client(server, got)
            client.trade("BTCUSDT", wait=True)
            assert wait_for(lambda g=got: len(g.events) > 0, 5)  # flooded while stopping
            client.stop()
            assert_nothing_left(baseline, client)
        elapsed = time.monotonic() - started
    finally:
        pushed = stop_flood()
    assert pushed > 1000
    assert wait_for(lambda: server.conns == [], 2), f"{len(server.conns)} connections still open on the server"
    print(f"{CYCLES} cycles under a firehose in {elapsed:.2f} s, {pushed} frames pushed; 0 threads left")


def test_start_stop_connected_and_reconnecting(server: StreamServer, baseline: set[threading.Thread]) -> None:
    slow = ReconnectPolicy(initial_delay=5.0, max_delay=5.0, jitter=0.0)
    for i in range(CYCLES):
        got = Collector()
        client = make_client(server, got, reconnect=slow if i % 2 else FAST)
        client.trade("BTCUSDT", wait=True)
        if i % 2:  # reconnecting: the socket is gone and the next attempt is 5 s away
            server.cut()
            assert wait_for(lambda g=got: "reconnecting" in g.kinds(), 2)
        client.stop()
        assert_nothing_left(baseline, client)
    assert wait_for(lambda: server.conns == [], 2)


def test_stop_while_connecting(baseline: set[threading.Thread]) -> None:
    """A server that accepts TCP but never answers the WebSocket handshake."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(10)
    url = f"ws://127.0.0.1:{listener.getsockname()[1]}"
    accepted: list[socket.socket] = []
    try:
        for _ in range(10):
            client = SpotWebsocketStreamClient(stream_url=url, reconnect=FAST, connect_timeout=30.0)
            errors: list[BaseException] = []

            def start(c: SpotWebsocketStreamClient = client, errs: list[BaseException] = errors) -> None:
                try:
                    c.start(timeout=None)
                except BaseException as exc:  # noqa: BLE001
                    errs.append(exc)

            starter = threading.Thread(target=start)
            starter.start()
            pending, _ = listener.accept()  # connecting: TCP is up, the handshake gets no answer
            accepted.append(pending)
            time.sleep(0.05)
            began = time.monotonic()
            client.stop()
            took = time.monotonic() - began
            starter.join(2)
            assert not starter.is_alive() and len(errors) == 1
            assert took < 1.5  # not the 30 s connect timeout
            assert_nothing_left(baseline | {starter}, client)
    finally:
        for conn in accepted:
            conn.close()
        listener.close()


def test_failed_first_connect_leaves_nothing(baseline: set[threading.Thread]) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there: every attempt is refused
    for _ in range(10):
        client = SpotWebsocketStreamClient(stream_url=f"ws://127.0.0.1:{port}", reconnect=FAST)
        with pytest.raises(TimeoutError):
            client.start(timeout=0.2)
        assert_nothing_left(baseline, client)
        ws = SpotWebsocketAPIClient(stream_url=f"ws://127.0.0.1:{port}/ws-api/v3", timeout=0.2, reconnect=FAST)
        with pytest.raises(WsRequestTimeout), ws:
            pass
        left = extra_threads(baseline)
        assert left == [], [t.name for t in left]


def test_ws_api_close_in_every_state() -> None:
    with FakeWsApi() as api:
        baseline = set(threading.enumerate())
        slow = ReconnectPolicy(initial_delay=5.0, max_delay=5.0, jitter=0.0)
        for i in range(CYCLES):
            ws = SpotWebsocketAPIClient(stream_url=api.url, timeout=5, reconnect=slow)
            ws.connect()
            assert ws.market.ping() is not None
            if i % 2:  # reconnecting
                api.drop_all()
                assert wait_for(lambda w=ws: not w.is_connected, 2)
            ws.close()
            left = extra_threads(baseline)
            assert left == [], [t.name for t in left]
        assert wait_for(lambda: not api.conns, 2)


def test_bounded_queue_iteration_ends_on_stop(server: StreamServer) -> None:
    stop_flood = server.start_firehose("btcusdt@trade", trade)
    client = SpotWebsocketStreamClient(stream_url=server.url, reconnect=FAST, queue_size=5)
    try:
        client.trade("BTCUSDT", wait=True)
        assert wait_for(lambda: client._queue.full(), 5)
        seen: list[Any] = []
        ended = threading.Event()

        def iterate() -> None:
            for event in client:
                seen.append(event)
                time.sleep(0.01)
            ended.set()

        reader = threading.Thread(target=iterate)
        reader.start()
        time.sleep(0.1)
        client.stop()
        assert ended.wait(3), "iteration did not end after stop() with a full queue"
        reader.join(1)
        assert seen and client.threads == []
        with pytest.raises(StopIteration):
            client.get(timeout=1)
    finally:
        stop_flood()
        client.stop()


def test_start_stop_against_the_simulator_firehose() -> None:
    """LocalBinance pushing a firehose: after each stop() no client thread is left, and the
    simulator holds no connection (it saw each socket end, no frame needed to notice it)."""
    with LocalBinance() as exchange:
        hose = exchange.firehose("btcusdt@trade", rate=20_000)
        baseline = set(threading.enumerate())
        try:
            for _ in range(CYCLES):
                got = Collector()
                client = SpotWebsocketStreamClient(on_message=got, stream_url=exchange.stream_url, reconnect=FAST)
                client.trade("BTCUSDT", wait=True)
                assert wait_for(lambda g=got: len(g.events) > 0, 5)
                client.stop()
                assert_nothing_left(baseline, client)
                assert wait_for(lambda: not exchange.hub.conns, 2), f"{len(exchange.hub.conns)} left on the simulator"
        finally:
            hose.stop()


def test_first_reconnect_waits_a_jittered_delay_then_doubles(server: StreamServer) -> None:
    """The first reconnect after a loss is not immediate: ``initial_delay`` ± jitter; a
    connection dropped as soon as it opened does not reset the backoff: the next wait doubles."""
    policy = ReconnectPolicy(initial_delay=0.2, max_delay=5.0, jitter=0.25)
    got = Collector()
    client = make_client(server, got, reconnect=policy)
    try:
        client.trade("BTCUSDT", wait=True)
        server.accept = False  # the next connection is closed by the server as soon as it opens
        lost = time.monotonic()
        server.cut()
        assert wait_for(lambda: len([e for e in got.conn_events if e.kind == "reconnecting"]) >= 2, 20)
        delays = [e.delay or 0.0 for e in got.conn_events if e.kind == "reconnecting"]
        assert 0.15 <= delays[0] <= 0.25  # 0.2 s ± 25 %, not 2 ms
        assert 0.3 <= delays[1] <= 0.5, delays  # that connection did not last: twice as long
        # seen from the server: the first new connection came no sooner than the delay (whether
        # the client saw its handshake complete before the close or not depends on the load)
        assert server.refused_at and server.refused_at[0] - lost >= 0.15, (server.refused_at, lost)
    finally:
        client.stop()


def test_a_socket_closed_before_its_promotion_is_a_failed_attempt(
    server: StreamServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A socket's reader starts before the supervisor makes it the primary; under load it can see
    the server's close first. Such a dead socket must not become the primary (the client would
    wait forever on it): it counts as a failed attempt and the next one follows with backoff."""
    from binance_typed.ws._connection import WebSocketConnection

    promote = WebSocketConnection._promote
    delayed: list[bool] = []

    def late_promote(self: WebSocketConnection, session: Any) -> Any:
        if not server.accept:  # a refused connection: let its reader see the close first
            delayed.append(wait_for(lambda: session not in self.sessions, 5))  # its end was handled
        return promote(self, session)

    monkeypatch.setattr(WebSocketConnection, "_promote", late_promote)
    policy = ReconnectPolicy(initial_delay=0.05, max_delay=1.0, jitter=0.0)
    got = Collector()
    client = make_client(server, got, reconnect=policy)
    try:
        client.trade("BTCUSDT", wait=True)
        server.accept = False
        server.cut()
        def reconnecting() -> list[Any]:
            return [e for e in list(got.conn_events) if e.kind == "reconnecting"]

        assert wait_for(lambda: len(reconnecting()) >= 3, 10), got.kinds()
        assert len(server.refused_at) >= 2 and delayed and all(delayed)  # each ended before its promotion
        assert [e.delay for e in reconnecting()[:3]] == [0.05, 0.1, 0.2]  # the backoff doubles
        assert "reconnected" not in got.kinds()  # a dead socket is never reported as a reconnect
        server.accept = True
        assert wait_for(lambda: "reconnected" in got.kinds() and client.connections[0].is_connected, 10)
    finally:
        client.stop()


def test_a_late_close_report_still_gives_the_reconnect_gap(
    server: StreamServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lost socket's close is reported on its own reader thread. When that thread is late (a
    loaded machine, a slow callback), the replacement must not open first: the protocol would take
    the new socket for a first one, and the gap between the two would never be reported."""
    from binance_typed.models.events.market import StreamGapEvent, TradeEvent
    from binance_typed.ws.streams import _Shard

    closed = _Shard._closed
    slow = [False]

    def late_closed(self: _Shard, session: Any, code: Any, reason: Any) -> None:
        if slow[0]:
            slow[0] = False
            time.sleep(1.0)  # the reader thread of the lost socket is late
        closed(self, session, code, reason)

    monkeypatch.setattr(_Shard, "_closed", late_closed)
    got = Collector()
    client = make_client(server, got, reconnect=ReconnectPolicy(initial_delay=0.01, jitter=0.0))
    try:
        client.trade("BTCUSDT", wait=True)
        server.push("btcusdt@trade", trade(1))
        assert wait_for(lambda: len(got.of(TradeEvent)) == 1)
        slow[0] = True
        server.cut()
        assert wait_for(lambda: "reconnected" in got.kinds(), 10), got.kinds()
        assert server.wait_subscribed("btcusdt@trade", count=1)
        server.push("btcusdt@trade", trade(5))
        assert wait_for(lambda: len(got.of(TradeEvent)) == 2, 5)
        with got.lock:
            kinds = [type(e).__name__ for e in got.events]
        assert kinds == ["TradeEvent", "StreamGapEvent", "TradeEvent"]
        (gap,) = got.of(StreamGapEvent)
        assert gap.streams == ("btcusdt@trade",)
    finally:
        client.stop()


def test_reconnect_delays_double() -> None:
    policy = ReconnectPolicy(initial_delay=0.1, max_delay=1.0, jitter=0.0)
    assert [policy.delay(n) for n in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    jittered = ReconnectPolicy(initial_delay=0.1, jitter=0.25)
    samples = [jittered.delay(0) for _ in range(200)]
    assert min(samples) >= 0.075 and max(samples) <= 0.125 and len(set(samples)) > 100
