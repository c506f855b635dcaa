"""Fault injection: the next N matching requests (or WebSocket messages) fail in a chosen way.

HTTP kinds: ``500``, ``503``, ``429``, ``418``, ``html`` (an HTML error page), ``malformed_json``
(a truncated 200 body), ``slow`` (answer after ``delay`` seconds), ``drop`` (close the connection
without answering). WebSocket kinds: ``cut`` (close the TCP connection abruptly), ``stall`` (stop
sending data and pings, stop answering pings), ``shutdown`` (a ``serverShutdown`` event, then close).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["HTTP_KINDS", "WS_KINDS", "Fault", "FaultRecord", "Faults"]

HTTP_KINDS = frozenset({"500", "503", "429", "418", "html", "malformed_json", "slow", "drop"})
WS_KINDS = frozenset({"cut", "stall", "shutdown"})


@dataclass
class Fault:
    kind: str
    remaining: int
    path: str | None = None
    method: str | None = None
    delay: float = 5.0
    execute: bool = False
    """For ``slow`` / ``drop``: run the request first (the order is placed, the answer is lost)."""
    retry_after: int = 1
    status: int | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        if self.path is None:
            return True
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path


@dataclass(frozen=True)
class FaultRecord:
    kind: str
    method: str
    path: str
    time: float = field(default_factory=time.time)


class Faults:
    """``exchange.faults``: schedule faults with :meth:`next`; what was injected is in :attr:`log`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pending: list[Fault] = []
        self.log: list[FaultRecord] = []
        self.on_ws_fault: Callable[[], None] | None = None

    def next(self, n: int, kind: str | int, path: str | None = None, *, delay: float = 5.0,
             execute: bool = False, retry_after: int = 1, status: int | None = None) -> Fault:
        """Make the next ``n`` requests matching ``path`` fail with ``kind``.

        ``path`` is an exact path (``"/api/v3/order"``), a prefix ending in ``*`` (``"/ws*"``),
        optionally preceded by a method (``"POST /api/v3/order"``); None matches everything.
        """
        name = str(kind)
        if name not in HTTP_KINDS | WS_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(HTTP_KINDS | WS_KINDS)}")
        method = None
        if path is not None and " " in path:
            method, path = path.split(" ", 1)
            method = method.upper()
        fault = Fault(name, n, path, method, delay, execute, retry_after, status)
        with self._lock:
            self.pending.append(fault)
        if name in WS_KINDS and self.on_ws_fault is not None:
            self.on_ws_fault()  # idle sockets pick the fault up now
        return fault

    def take(self, websocket: bool, method: str, path: str) -> Fault | None:
        """Consume one matching fault for a request (``websocket=False``) or a WebSocket message."""
        kinds = WS_KINDS if websocket else HTTP_KINDS
        with self._lock:
            for fault in self.pending:
                if fault.kind in kinds and fault.remaining > 0 and fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self.pending.remove(fault)
                    self.log.append(FaultRecord(fault.kind, method, path))
                    return fault
        return None

    def clear(self) -> None:
        """Drop the queued faults and the log of those that fired."""
        with self._lock:
            self.pending.clear()
            self.log.clear()

    def count(self, kind: str | None = None) -> int:
        """How many faults fired, all of them or those of ``kind``."""
        return sum(1 for r in self.log if kind is None or r.kind == str(kind))
