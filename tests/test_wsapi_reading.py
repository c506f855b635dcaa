"""Who reads the socket: blocking callers read their own answers (the read role), the background
reader takes over when they leave; the frame reader and writer underneath."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from support import API_KEY, API_SECRET, example
from test_wsapi_client import FAST, eventually
from websocket import ABNF, WebSocketConnectionClosedException, WebSocketProtocolException
from wsapi_server import Conn, FakeWsApi

from binance_typed.models.events.user_data import BalanceUpdate
from binance_typed.ws import _frames
from binance_typed.ws._api_protocol import WsConnectionLost, WsRequestTimeout
from binance_typed.ws._frames import OP_BINARY, OP_CLOSE, OP_PING, OP_PONG, OP_TEXT, FrameReader, text_frame
from binance_typed.ws.api import SpotWebsocketAPIClient, UserDataMessage

BALANCE = example("userdata/balanceUpdate.json")["event"]
ORDER_STATUS = example("wsapi/order.status.json")["result"]


@pytest.fixture
def server() -> Iterator[FakeWsApi]:
    with FakeWsApi(hmac_secret=API_SECRET) as srv:
        yield srv


def event_frame(n: int) -> str:
    return json.dumps({"subscriptionId": 0, "event": {**BALANCE, "d": str(n)}})


def answer(srv: FakeWsApi, request: dict[str, Any]) -> str:
    """The documented answer (``srv.respond`` would call the test's handler again)."""
    return json.dumps(srv._ok(request, srv.results[request["method"]]))


def events_then_answer(count: int, pong_seen: list[bool] | None = None) -> Any:
    """A handler sending ``count`` user data events (and a ping) before the answer."""

    def handler(srv: FakeWsApi, conn: Conn, request: dict[str, Any]) -> None:
        async def run() -> None:
            for n in range(count):
                await conn.ws.send(event_frame(n))
            if pong_seen is not None:
                pong = await conn.ws.ping()  # random payload
                await conn.ws.send(answer(srv, request))
                await asyncio.wait_for(pong, 2)
                pong_seen.append(True)
                return
            await conn.ws.send(answer(srv, request))

        asyncio.ensure_future(run())

    return handler


# -- the caller reads -------------------------------------------------------------------------------
def test_caller_reads_its_answer_past_events_and_pings(server: FakeWsApi) -> None:
    events: list[tuple[str, UserDataMessage]] = []
    pongs: list[bool] = []
    server.handlers["time"] = events_then_answer(5, pongs)
    ws = SpotWebsocketAPIClient(
        stream_url=server.url,
        timeout=5,
        reconnect=FAST,
        on_user_data=lambda c, m: events.append((threading.current_thread().name, m)),
    )
    try:
        ws.connect()
        for _ in range(20):
            assert ws.market.time().server_time.year == 2022
        eventually(lambda: len(pongs) == 20)  # pings answered by whoever read them
        assert len(events) == 100
        assert all(isinstance(m.event, BalanceUpdate) for _, m in events)
        # every call's events arrived in order, before its answer
        assert [m.event.balance_delta for _, m in events][:5] == [m.event.balance_delta for _, m in events][
            5:10
        ]
        # back-to-back calls: the calling thread did the reading (no hand-off from the reader thread)
        assert sum(name == threading.current_thread().name for name, _ in events) >= 50
        # once callers leave, the background reader delivers again
        server.send_raw({"subscriptionId": 0, "event": BALANCE})
        eventually(lambda: len(events) == 101)
        assert events[-1][0].startswith("ws-api-reader")
    finally:
        ws.close()


def test_concurrent_callers_share_the_reading(server: FakeWsApi) -> None:
    """Threads calling at once, answers out of order, events interleaved: each gets its own answer."""
    held: list[tuple[Conn, dict[str, Any]]] = []

    def out_of_order(srv: FakeWsApi, conn: Conn, request: dict[str, Any]) -> None:
        """Hold answers for 2 ms, then send what was held in reverse order, an event before each."""
        held.append((conn, request))
        if len(held) > 1:
            return

        async def flush() -> None:
            await asyncio.sleep(0.002)
            batch = held[::-1]
            held.clear()
            for n, (c, req) in enumerate(batch):
                await c.ws.send(event_frame(n))
                body = {**ORDER_STATUS, "orderId": req["params"]["orderId"]}
                await c.ws.send(json.dumps({"id": req["id"], "status": 200, "result": body}))

        asyncio.ensure_future(flush())

    server.handlers["order.status"] = out_of_order
    events: list[UserDataMessage] = []
    ws = SpotWebsocketAPIClient(
        API_KEY,
        API_SECRET,
        stream_url=server.url,
        timeout=10,
        reconnect=FAST,
        on_user_data=lambda c, m: events.append(m),
    )
    errors: list[BaseException] = []

    def worker(base: int) -> None:
        try:
            for i in range(base, base + 40):
                assert ws.request("order.status", {"symbol": "BTCUSDT", "orderId": i}).order_id == i
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    try:
        ws.connect()
        threads = [threading.Thread(target=worker, args=(k * 1000,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not errors, errors[:3]
        assert len(events) == 320
        assert server.connections == 1
        session = ws.connection.primary
        assert session is not None and not session._waiters
    finally:
        ws.close()


def test_blocking_call_from_a_callback(server: FakeWsApi) -> None:
    """A callback (run by whichever thread reads) may itself make a blocking call."""
    got: list[int] = []

    def on_user_data(client: Any, message: UserDataMessage) -> None:
        got.append(client.market.time().server_time.year)

    ws = SpotWebsocketAPIClient(stream_url=server.url, timeout=5, reconnect=FAST, on_user_data=on_user_data)
    try:
        ws.connect()
        server.send_raw({"subscriptionId": 0, "event": BALANCE})  # read by the background reader
        eventually(lambda: got == [2022])
        server.handlers["ping"] = events_then_answer(1)  # read by the calling thread, or the reader
        ws.market.ping()
        # The event usually reaches the calling thread, which runs the callback before its own
        # answer. When the background reader got the event first (it was reading when the ping
        # went out, likelier under load), the callback runs there and the ping's answer may be
        # dispatched to this thread before the callback's own answer came in: wait for it.
        eventually(lambda: got == [2022, 2022])
    finally:
        ws.close()


def test_blocking_call_from_a_callback_of_a_lost_connection_fails_fast(server: FakeWsApi) -> None:
    """A callback running in the reader of a socket that is being cut cannot wait for the next
    socket (the reconnect only starts when that reader returns): the call fails at once with
    WsConnectionLost, instead of spinning or stalling until its timeout, and the client recovers."""
    entered, release = threading.Event(), threading.Event()
    outcome: list[tuple[Any, float]] = []

    def on_user_data(client: Any, message: UserDataMessage) -> None:
        if outcome or entered.is_set():
            return
        entered.set()
        release.wait(5)
        began = time.monotonic()
        try:
            client.market.time()
            outcome.append(("answered", time.monotonic() - began))
        except Exception as exc:  # noqa: BLE001
            outcome.append((exc, time.monotonic() - began))

    ws = SpotWebsocketAPIClient(stream_url=server.url, timeout=5, reconnect=FAST, on_user_data=on_user_data)
    try:
        ws.connect()
        server.send_raw({"subscriptionId": 0, "event": BALANCE})
        assert entered.wait(5)
        ws.connection.drop("network failure (test)")  # what the watchdog does to a silent socket
        release.set()
        eventually(lambda: outcome, 3)
        error, took = outcome[0]
        assert isinstance(error, WsConnectionLost) and not error.may_have_reached_server, error
        assert took < 0.5
        assert ws.market.time().server_time.year == 2022  # reconnected
        assert server.connections == 2
    finally:
        ws.close()


def test_answer_lost_with_the_socket_under_a_reading_callback_is_connection_lost(server: FakeWsApi) -> None:
    """The socket ends while a callback's call reads it: WsConnectionLost, not a timeout."""
    outcome: list[BaseException] = []

    def drop_instead(srv: FakeWsApi, conn: Conn, request: dict[str, Any]) -> None:
        conn.ws.transport.abort()

    def on_user_data(client: Any, message: UserDataMessage) -> None:
        try:
            client.market.time()
        except Exception as exc:  # noqa: BLE001
            outcome.append(exc)

    server.handlers["time"] = drop_instead
    ws = SpotWebsocketAPIClient(stream_url=server.url, timeout=5, reconnect=FAST, on_user_data=on_user_data)
    try:
        ws.connect()
        began = time.monotonic()
        server.send_raw({"subscriptionId": 0, "event": BALANCE})
        eventually(lambda: outcome, 3)
        assert isinstance(outcome[0], WsConnectionLost) and outcome[0].may_have_reached_server
        assert time.monotonic() - began < 1.0
    finally:
        ws.close()


def test_timeout_while_reading_leaves_the_connection_usable(server: FakeWsApi) -> None:
    events: list[UserDataMessage] = []
    server.hold = {"time"}
    ws = SpotWebsocketAPIClient(
        stream_url=server.url, timeout=0.3, reconnect=FAST, on_user_data=lambda c, m: events.append(m)
    )
    try:
        ws.connect()
        with pytest.raises(WsRequestTimeout):
            ws.market.time()
        session = ws.connection.primary
        assert session is not None and session._holder is not session  # the role was given back
        server.send_raw({"subscriptionId": 0, "event": BALANCE})
        eventually(lambda: len(events) == 1)
        assert ws.market.ping() is not None and server.connections == 1
    finally:
        ws.close()


def test_fragmented_answer(server: FakeWsApi) -> None:
    def fragmented(srv: FakeWsApi, conn: Conn, request: dict[str, Any]) -> None:
        text = answer(srv, request)
        parts = [text[i : i + 7] for i in range(0, len(text), 7)]
        asyncio.ensure_future(conn.ws.send(parts))

    server.handlers["time"] = fragmented
    ws = SpotWebsocketAPIClient(stream_url=server.url, timeout=5, reconnect=FAST)
    try:
        assert ws.market.time().server_time.year == 2022
    finally:
        ws.close()


# -- frames -----------------------------------------------------------------------------------------
class FakeSocket:
    def __init__(self, data: bytes, chunk: int) -> None:
        self.data, self.chunk = data, chunk

    def recv(self, size: int) -> bytes:
        out, self.data = self.data[: min(size, self.chunk)], self.data[min(size, self.chunk) :]
        return out


def server_frame(opcode: int, payload: bytes, fin: bool = True, mask: bytes | None = None) -> bytes:
    frame = ABNF(int(fin), 0, 0, 0, opcode, int(mask is not None), payload)
    if mask is not None:
        frame.get_mask_key = lambda n: mask
    return bytes(frame.format())


def read_all(data: bytes, chunk: int) -> list[tuple[int, bytes]]:
    reader = FrameReader(FakeSocket(data, chunk))
    out: list[tuple[int, bytes]] = []
    while True:
        message = reader.next()
        if message is not None:
            out.append(message)
            continue
        try:
            reader.fill()
        except WebSocketConnectionClosedException:
            return out


@pytest.mark.parametrize("chunk", [1, 3, 1000, 1 << 20])
def test_frame_reader_messages_fragments_and_control_frames(chunk: int) -> None:
    big = os.urandom(70_000)
    data = b"".join(
        [
            server_frame(OP_TEXT, b"hello"),
            server_frame(OP_TEXT, b"frag-", fin=False),
            server_frame(OP_PING, b"p"),  # control frames may come between fragments
            server_frame(0, b"men-", fin=False),
            server_frame(0, b"ted"),
            server_frame(OP_BINARY, big),  # 64-bit length
            server_frame(OP_TEXT, b"x" * 300),  # 16-bit length
            server_frame(OP_TEXT, b"masked", mask=b"abcd"),
            server_frame(OP_PONG, b""),
            server_frame(OP_CLOSE, (1000).to_bytes(2, "big") + b"bye"),
        ]
    )
    assert read_all(data, chunk) == [
        (OP_TEXT, b"hello"),
        (OP_PING, b"p"),
        (OP_TEXT, b"frag-men-ted"),
        (OP_BINARY, big),
        (OP_TEXT, b"x" * 300),
        (OP_TEXT, b"masked"),
        (OP_PONG, b""),
        (OP_CLOSE, b"\x03\xe8bye"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        server_frame(0, b"orphan continuation"),
        server_frame(OP_TEXT, b"a", fin=False) + server_frame(OP_TEXT, b"b"),
        bytes([0xC1, 0x01]) + b"a",  # rsv1 without an extension
        server_frame(OP_PING, b"p", fin=False),
        bytes([0x83, 0x00]),  # reserved opcode
    ],
)
def test_frame_reader_rejects_protocol_errors(data: bytes) -> None:
    with pytest.raises(WebSocketProtocolException):
        read_all(data, 1000)


@pytest.mark.parametrize("size", [0, 1, 5, 125, 126, 65535, 65536, 100_000])
def test_text_frame_is_what_websocket_client_sends(size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_frames, "_urandom", lambda n: b"\x01\x82\x03\xf4")
    text = ("é" * size)[: size // 2] + "x" * (size - size // 2)
    frame = ABNF.create_frame(text, ABNF.OPCODE_TEXT)
    frame.get_mask_key = lambda n: b"\x01\x82\x03\xf4"
    assert text_frame(text) == frame.format()
