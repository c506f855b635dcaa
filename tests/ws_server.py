"""A small Binance-like market stream server on 127.0.0.1, for tests and benchmarks.

It speaks the stream protocol: ``/ws/<stream>`` and ``/stream?streams=a/b`` (combined envelope),
``SUBSCRIBE`` / ``UNSUBSCRIBE`` / ``LIST_SUBSCRIPTIONS`` with ``{"result", "id"}`` answers, pings
(``ping_interval``), and lets a test push payloads, cut connections, stall them and announce a
``serverShutdown``. Runs the ``websockets`` asyncio server in a background thread::

    with StreamServer() as server:
        client = SpotWebsocketStreamClient(stream_url=server.url)
        server.push("btcusdt@trade", {...})
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

from websockets.asyncio.server import ServerConnection, serve


@dataclass
class Conn:
    ws: ServerConnection
    path: str
    combined: bool
    streams: list[str] = field(default_factory=list)
    control_times: list[float] = field(default_factory=list)
    stalled: bool = False
    opened_at: float = field(default_factory=time.monotonic)
    closed_at: float | None = None


class StreamServer:
    def __init__(self, ping_interval: float | None = None, max_control_rate: int | None = None) -> None:
        self.ping_interval = ping_interval
        self.max_control_rate = max_control_rate
        """Disconnect a connection sending more control messages per second (like Binance)."""
        self.loop = asyncio.new_event_loop()
        self.conns: list[Conn] = []
        self.all_conns: list[Conn] = []
        self.control_messages: list[tuple[float, dict[str, Any]]] = []
        self.rate_violations = 0
        self.accept = True
        self.refused_at: list[float] = []
        """``time.monotonic()`` of each connection closed because ``accept`` was False."""
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()
        self._server: Any = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self._ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        self._server = await serve(
            self._handler, "127.0.0.1", 0, ping_interval=self.ping_interval, ping_timeout=None, max_queue=None
        )
        self.port = self._server.sockets[0].getsockname()[1]

    def start(self) -> StreamServer:
        self._thread.start()
        self._ready.wait(5)
        return self

    def close(self) -> None:
        async def _close() -> None:
            self._server.close()
            for conn in list(self.conns):
                conn.ws.transport.abort()

        async def _cancel_rest() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._server.wait_closed()

        try:
            asyncio.run_coroutine_threadsafe(_close(), self.loop).result(5)
            asyncio.run_coroutine_threadsafe(_cancel_rest(), self.loop).result(5)
        except Exception:
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        if not self.loop.is_running():
            self.loop.close()

    def __enter__(self) -> StreamServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def call(self, fn: Callable[[], Any]) -> Any:
        async def _call() -> Any:
            result = fn()
            if asyncio.iscoroutine(result):
                result = await result
            return result

        return asyncio.run_coroutine_threadsafe(_call(), self.loop).result(10)

    # ------------------------------------------------------------------ protocol

    async def _handler(self, ws: ServerConnection) -> None:
        if not self.accept:
            self.refused_at.append(time.monotonic())
            await ws.close(1013, "try again later")
            return
        path = ws.request.path if ws.request else "/"
        parsed = urlparse(path)
        combined = parsed.path.startswith("/stream")
        conn = Conn(ws, path, combined)
        if parsed.path.startswith("/ws/"):
            conn.streams.append(parsed.path[4:])
        query = parse_qs(parsed.query)
        for value in query.get("streams", []):
            conn.streams.extend(s for s in value.split("/") if s)
        self.conns.append(conn)
        self.all_conns.append(conn)
        try:
            async for raw in ws:
                now = time.monotonic()
                message = json.loads(raw)
                conn.control_times.append(now)
                self.control_messages.append((now, message))
                if self.max_control_rate is not None:
                    recent = [t for t in conn.control_times if now - t < 1.0]
                    if len(recent) > self.max_control_rate:
                        self.rate_violations += 1
                        await ws.close(1008, "too many requests")
                        return
                await self._control(conn, message)
        except Exception:
            pass
        finally:
            conn.closed_at = time.monotonic()
            if conn in self.conns:
                self.conns.remove(conn)

    async def _control(self, conn: Conn, message: dict[str, Any]) -> None:
        method = message.get("method")
        request_id = message.get("id")
        params = message.get("params") or []
        result: Any = None
        if method == "SUBSCRIBE":
            for stream in params:
                if stream not in conn.streams:
                    conn.streams.append(stream)
        elif method == "UNSUBSCRIBE":
            conn.streams = [s for s in conn.streams if s not in params]
        elif method == "LIST_SUBSCRIPTIONS":
            result = list(conn.streams)
        else:
            await conn.ws.send(
                json.dumps({"code": 2, "msg": f"Invalid request: unknown variant {method}", "id": request_id})
            )
            return
        await conn.ws.send(json.dumps({"result": result, "id": request_id}))

    # ------------------------------------------------------------------ test controls

    def subscribed(self, stream: str) -> bool:
        return any(stream in c.streams for c in self.conns)

    def wait_subscribed(self, stream: str, timeout: float = 5.0, count: int = 1) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(stream in c.streams for c in self.conns) >= count:
                return True
            time.sleep(0.01)
        return False

    @staticmethod
    def frame(conn: Conn, stream: str, payload: Any) -> str:
        if conn.combined:
            return json.dumps({"stream": stream, "data": payload}, separators=(",", ":"))
        return json.dumps(payload, separators=(",", ":"))

    async def _push(self, stream: str, payload: Any) -> int:
        sent = 0
        for conn in list(self.conns):
            if stream in conn.streams and not conn.stalled:
                try:
                    await conn.ws.send(self.frame(conn, stream, payload))
                    sent += 1
                except Exception:
                    pass
        return sent

    def push(self, stream: str, payload: Any) -> int:
        """Send ``payload`` to every connection subscribed to ``stream``; returns how many."""
        result: int = self.call(lambda: self._push(stream, payload))
        return result

    def push_to(self, conn: Conn, stream: str, payload: Any) -> None:
        """Send ``payload`` on one connection only (as if the others had missed it)."""

        async def _one() -> None:
            await conn.ws.send(self.frame(conn, stream, payload))

        self.call(_one)

    def push_many(self, stream: str, payloads: list[Any]) -> None:
        async def _many() -> None:
            for payload in payloads:
                await self._push(stream, payload)

        self.call(_many)

    def cut(self) -> None:
        """Drop every connection without a close frame (like a network failure)."""

        def _cut() -> None:
            for conn in list(self.conns):
                conn.ws.transport.abort()

        self.call(_cut)

    def stall(self) -> None:
        """Existing connections stay open but receive nothing (no data, no pings)."""

        def _stall() -> None:
            for conn in self.conns:
                conn.stalled = True
                if conn.ws.transport is not None:
                    conn.ws.transport.pause_reading()

        self.call(_stall)

    def server_shutdown(self, close_after: float | None = None) -> None:
        """Send ``serverShutdown`` to every connection, and close them ``close_after`` s later."""
        payload = {"e": "serverShutdown", "E": int(time.time() * 1000)}
        targets = list(self.conns)

        async def _announce() -> None:
            for conn in targets:
                with contextlib.suppress(Exception):
                    await conn.ws.send(self.frame(conn, "!serverShutdown", payload))
            if close_after is not None:
                await asyncio.sleep(close_after)
                for conn in targets:
                    await conn.ws.close(1001, "server shutdown")

        asyncio.run_coroutine_threadsafe(_announce(), self.loop)

    def start_producer(
        self, stream: str, rate: float, seconds: float, make: Callable[[int], Any], batch: int = 50
    ) -> Any:
        """Push ``rate`` messages per second for ``seconds`` (``make(seq)`` builds each payload).

        Returns a concurrent future resolving to the number of messages produced.
        """

        async def _produce() -> int:
            seq = 0
            start = time.monotonic()
            total = int(rate * seconds)
            while seq < total:
                due = min(total, int((time.monotonic() - start) * rate) + batch)
                while seq < due:
                    await self._push(stream, make(seq))
                    seq += 1
                await asyncio.sleep(batch / rate / 2)
            return seq

        return asyncio.run_coroutine_threadsafe(_produce(), self.loop)

    def start_firehose(self, stream: str, make: Callable[[int], Any], batch: int = 200) -> Callable[[], int]:
        """Push to ``stream`` as fast as the server can until the returned function is called
        (it returns the number of messages pushed)."""
        running = [True]
        count = [0]

        async def _flood() -> None:
            while running[0]:
                sent = 0
                for _ in range(batch):
                    sent += await self._push(stream, make(count[0]))
                    count[0] += 1
                # with nobody subscribed, idle instead of spinning: a busy loop here holds the GIL
                # and starves the client's threads under test (its stop() and iterators)
                await asyncio.sleep(0 if sent else 0.001)

        future = asyncio.run_coroutine_threadsafe(_flood(), self.loop)

        def stop() -> int:
            running[0] = False
            with contextlib.suppress(Exception):
                future.result(5)
            return count[0]

        return stop
