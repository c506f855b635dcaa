"""Market streams: ``/ws/<stream>`` and ``/stream?streams=a/b`` with control messages.

The :class:`Hub` fans market updates, :meth:`Hub.publish` messages and firehose traffic out to
the connected sockets. Each connection has an outbox drained by one sender task, so events can be
queued from any thread (the exchange may be driven from the test's thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from ._exchange import MarketUpdate
from ._runtime import Runtime
from ._stream_payloads import payloads_for, scale_event, snapshot_payload, stream_kind

__all__ = ["Conn", "Firehose", "Hub", "stream_endpoint"]

_POKE = object()
_CLOSE = object()
_METHODS = "`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`"


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


class Conn:
    """One WebSocket connection with its outbox (market streams or WebSocket API)."""

    def __init__(self, ws: WebSocket, hub: Hub, kind: str, micro: bool, combined: bool = False) -> None:
        self.ws = ws
        self.hub = hub
        self.kind = kind
        self.micro = micro
        self.combined = combined
        self.path = ws.url.path
        self.streams: list[str] = []
        self.outbox: asyncio.Queue[Any] = asyncio.Queue()
        self.sent = 0

    def put(self, item: Any) -> None:
        self.hub.call(self.outbox.put_nowait, item)

    def event(self, stream: str, payload: dict[str, Any]) -> None:
        data = scale_event(payload) if self.micro else payload
        self.put(dumps({"stream": stream, "data": data}) if self.combined else dumps(data))

    def shutdown_event(self) -> str:
        event = {"e": "serverShutdown", "E": int(time.time() * 1000)}
        if self.kind == "ws-api":
            return dumps({"event": event})
        return dumps({"stream": "!serverShutdown", "data": event}) if self.combined else dumps(event)

    async def sender(self) -> None:
        rt = self.hub.rt
        while True:
            item = await self.outbox.get()
            if item is _CLOSE:
                await self.ws.close()
                return
            fault = rt.faults.take(True, "WS", self.path)
            if fault is not None and fault.kind == "shutdown":  # warn now, close later, keep sending
                await self.ws.send_text(self.shutdown_event())
                self.hub.close_later(self)
            elif fault is not None:
                await self.apply(fault.kind)
                return
            if item is _POKE:
                continue
            await self.ws.send_text(item)
            self.sent += 1

    async def apply(self, kind: str) -> None:
        protocol = self.hub.rt.find_connection(self.ws.scope.get("client"))
        if kind == "cut":
            if protocol is not None:
                protocol.transport.abort()
        elif kind == "stall":
            if protocol is not None:
                protocol.stop_keepalive()
                protocol.transport.pause_reading()
            while not self.hub.rt.stopping.is_set():
                await asyncio.sleep(0.05)


class Hub:
    def __init__(self, rt: Runtime, loop: asyncio.AbstractEventLoop) -> None:
        self.rt = rt
        self.loop = loop
        self.shutdown_close_after = 2.0
        """Seconds between a ``serverShutdown`` event and the close of its connection (Binance
        warns first and closes later; the connection keeps delivering meanwhile)."""
        self.lock = threading.Lock()
        self.conns: set[Conn] = set()
        self.subs: dict[str, set[Conn]] = {}
        self.firehoses: list[Firehose] = []
        rt.exchange.market_listeners.append(self.on_market)
        rt.faults.on_ws_fault = self.poke

    def call(self, fn: Any, *args: Any) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            fn(*args)
        else:
            self.loop.call_soon_threadsafe(fn, *args)

    def add(self, conn: Conn) -> None:
        with self.lock:
            self.conns.add(conn)
        conn.put(_POKE)  # a WebSocket fault scheduled before this connection existed applies to it too

    def remove(self, conn: Conn) -> None:
        with self.lock:
            self.conns.discard(conn)
            for subscribers in self.subs.values():
                subscribers.discard(conn)

    def subscribe(self, conn: Conn, names: list[str]) -> None:
        ex = self.rt.exchange
        for name in names:
            with self.lock:
                self.subs.setdefault(name, set()).add(conn)
                if name not in conn.streams:
                    conn.streams.append(name)
            parsed = stream_kind(name)
            if parsed is not None and parsed[0] in ex.symbols:
                with ex.lock:
                    snap = snapshot_payload(ex, *parsed)
                if snap is not None:
                    conn.event(name, snap)

    def unsubscribe(self, conn: Conn, names: list[str]) -> None:
        with self.lock:
            for name in names:
                self.subs.get(name, set()).discard(conn)
                if name in conn.streams:
                    conn.streams.remove(name)

    def publish(self, stream: str, payload: dict[str, Any]) -> int:
        """Send ``payload`` to every subscriber of ``stream``; returns how many got it."""
        with self.lock:
            targets = list(self.subs.get(stream, ()))
        for conn in targets:
            conn.event(stream, payload)
        return len(targets)

    def on_market(self, update: MarketUpdate) -> None:
        prefix = update.symbol.lower() + "@"
        with self.lock:
            names = [n for n, s in self.subs.items() if s and n.startswith(prefix)]
        for name in names:
            parsed = stream_kind(name)
            if parsed is None:
                continue
            for payload in payloads_for(self.rt.exchange, update, parsed[1]):
                self.publish(name, payload)

    def poke(self) -> None:
        with self.lock:
            conns = list(self.conns)
        for conn in conns:
            conn.put(_POKE)

    def shutdown(self, kinds: tuple[str, ...] = ("stream", "ws-api"), close_after: float | None = None) -> None:
        """``serverShutdown`` to every connection now, and close each ``close_after`` seconds later
        (default :attr:`shutdown_close_after`); until then the connections keep delivering."""
        with self.lock:
            conns = [c for c in self.conns if c.kind in kinds]
        for conn in conns:
            conn.put(conn.shutdown_event())
            self.close_later(conn, close_after)

    def close_later(self, conn: Conn, delay: float | None = None) -> None:
        """Close ``conn`` (after what its outbox holds) ``delay`` seconds from now."""
        wait = self.shutdown_close_after if delay is None else delay
        if wait <= 0:
            conn.put(_CLOSE)
        else:
            self.call(self.loop.call_later, wait, conn.outbox.put_nowait, _CLOSE)

    def cut(self) -> None:
        """Abort every WebSocket's TCP connection (no close frame)."""
        def abort() -> None:
            with self.lock:
                conns = list(self.conns)
            for conn in conns:
                protocol = self.rt.find_connection(conn.ws.scope.get("client"))
                if protocol is not None:
                    protocol.transport.abort()

        self.call(abort)


class Firehose:
    """Pushes ``rate`` synthetic trade messages per second to one stream until stopped."""

    def __init__(self, hub: Hub, stream: str, rate: int, duration: float | None) -> None:
        self.hub, self.stream, self.rate, self.duration = hub, stream, rate, duration
        self.sent = 0
        self._stop = threading.Event()
        self.done = threading.Event()
        hub.loop.call_soon_threadsafe(lambda: hub.loop.create_task(self._run()))

    async def _run(self) -> None:
        symbol = self.stream.partition("@")[0].upper()
        start = time.monotonic()
        try:
            while not self._stop.is_set() and not self.hub.rt.stopping.is_set():
                elapsed = time.monotonic() - start
                if self.duration is not None and elapsed >= self.duration:
                    break
                due = int(elapsed * self.rate) - self.sent
                now = int(time.time() * 1000)
                for _ in range(max(0, due)):
                    self.sent += 1
                    self.hub.publish(self.stream, {"e": "trade", "E": now, "s": symbol, "t": self.sent,
                                                   "p": "100.00000000", "q": "1.00000000", "T": now,
                                                   "m": self.sent % 2 == 0, "M": True})
                await asyncio.sleep(0.005)
        finally:
            self.done.set()

    def stop(self) -> int:
        self._stop.set()
        self.done.wait(2)
        return self.sent


def _control(hub: Hub, conn: Conn, text: str) -> dict[str, Any] | None:
    try:
        msg = json.loads(text)
    except ValueError:
        return {"code": 3, "msg": "Invalid JSON: expected value at line 1 column 1"}
    if not isinstance(msg, dict):
        return {"code": 3, "msg": "Invalid JSON: expected value at line 1 column 1"}
    rid = msg.get("id")
    if "method" not in msg:
        return {"code": 2, "msg": "Invalid request: missing field `method` at line 1 column 1"}
    if not (isinstance(rid, str) or (isinstance(rid, int) and not isinstance(rid, bool) and rid >= 0)):
        return {"code": 2, "msg": "Invalid request: request ID must be an unsigned integer"}
    method, params = msg["method"], msg.get("params", [])
    if not isinstance(params, list):
        return {"code": 2, "msg": "Invalid request: too many parameters", "id": rid}
    if method in ("SUBSCRIBE", "UNSUBSCRIBE"):
        if not all(isinstance(p, str) for p in params):
            return {"code": 2, "msg": "Invalid request: stream name must be a string", "id": rid}
        (hub.subscribe if method == "SUBSCRIBE" else hub.unsubscribe)(conn, list(params))
        return {"result": None, "id": rid}
    if method == "LIST_SUBSCRIPTIONS":
        return {"result": list(conn.streams), "id": rid}
    if method in ("SET_PROPERTY", "GET_PROPERTY"):
        if not params or params[0] != "combined":
            return {"code": 0, "msg": "Unknown property", "id": rid}
        if method == "GET_PROPERTY":
            return {"result": conn.combined, "id": rid}
        if len(params) != 2 or not isinstance(params[1], bool):
            return {"code": 1, "msg": "Invalid value type: expected Boolean"}
        conn.combined = params[1]
        return {"result": None, "id": rid}
    return {"code": 2, "msg": f"Invalid request: unknown variant `{method}`, expected one of {_METHODS} "
            "at line 1 column 28", "id": rid}


async def stream_endpoint(ws: WebSocket) -> None:
    rt: Runtime = ws.app.state.rt
    hub: Hub = rt.hub
    path = ws.url.path
    combined = path.startswith("/stream")
    if combined:
        names = [n for n in ws.query_params.get("streams", "").split("/") if n]
    else:
        names = [n for n in path.removeprefix("/ws").split("/") if n]
    micro = ws.query_params.get("timeUnit", "").upper() == "MICROSECOND"
    await ws.accept()
    conn = Conn(ws, hub, "stream", micro, combined)
    hub.add(conn)
    hub.subscribe(conn, names)
    sender = asyncio.ensure_future(conn.sender())

    async def receiver() -> None:
        while True:
            text = await ws.receive_text()
            reply = _control(hub, conn, text)
            if reply is not None:
                conn.put(dumps(reply))

    reader = asyncio.ensure_future(receiver())
    try:
        await asyncio.wait({sender, reader}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        hub.remove(conn)
        for task in (sender, reader):
            task.cancel()
        for task in (sender, reader):
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError, OSError):
                await task
