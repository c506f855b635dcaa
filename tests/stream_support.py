"""Helpers shared by the stream client tests: a collecting callback, a poller, a fast client."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ws_server import StreamServer

from binance_typed.ws._connection import ConnectionEvent, ReconnectPolicy
from binance_typed.ws.streams import SpotWebsocketStreamClient

FAST = ReconnectPolicy(initial_delay=0.05, max_delay=0.2, jitter=0.1)


def wait_for(cond: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``cond`` until it holds or ``timeout`` passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


class Collector:
    """An ``on_message`` callback keeping every event, plus the connection events."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.conn_events: list[ConnectionEvent] = []
        self.lock = threading.Lock()

    def __call__(self, event: Any) -> None:
        with self.lock:
            self.events.append(event)

    def of(self, cls: type) -> list[Any]:
        with self.lock:
            return [e for e in self.events if isinstance(e, cls)]

    def kinds(self) -> list[str]:
        return [e.kind for e in list(self.conn_events)]


def make_client(server: StreamServer, got: Collector, **kw: Any) -> SpotWebsocketStreamClient:
    """A stream client on the test server with short watchdog, backoff and overlap settings."""
    kw.setdefault("watchdog_timeout", 5.0)
    kw.setdefault("reconnect", FAST)
    kw.setdefault("overlap_timeout", 1.0)
    return SpotWebsocketStreamClient(
        on_message=got, on_reconnect=got.conn_events.append, stream_url=server.url, **kw
    )
