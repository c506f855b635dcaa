"""Value types of the connection layer: the reconnect policy, connection events, proxy options."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlparse

__all__ = ["ConnectionEvent", "ConnectionEventKind", "ReconnectPolicy", "proxy_options"]

logger = logging.getLogger("binance_typed")

ConnectionEventKind = Literal[
    "connected",
    "disconnected",
    "stalled",
    "reconnecting",
    "reconnected",
    "rollover",
    "retired",
    "gave_up",
    "stopped",
]


@dataclass(frozen=True)
class ReconnectPolicy:
    """Exponential backoff with jitter between reconnect attempts.

    The n-th consecutive failed attempt waits ``min(max_delay, initial_delay * multiplier**n)``
    seconds, spread by ``±jitter`` (a fraction) so many clients do not reconnect in lockstep.
    ``max_attempts=None`` retries forever; ``enabled=False`` never reconnects.

    The first reconnect after a loss waits ``delay(0)`` too (never 0). A connection lost less than
    ``reset_after`` seconds after it opened does not reset the backoff: a server that accepts and
    drops at once is retried ever more slowly, not every ``initial_delay`` (Binance counts
    connection attempts per IP).
    """

    initial_delay: float = 0.5
    max_delay: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.25
    max_attempts: int | None = None
    enabled: bool = True
    reset_after: float = 10.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before attempt number ``attempt`` (0 = the first reconnect)."""
        base = min(self.max_delay, self.initial_delay * (self.multiplier ** max(0, attempt)))
        if self.jitter:
            base *= 1.0 + random.uniform(-self.jitter, self.jitter)
        return max(0.0, base)


@dataclass(frozen=True)
class ConnectionEvent:
    """One transition of a :class:`~binance_typed.ws._connection.WebSocketConnection`.

    ``kind`` is one of ``connected`` (first socket open), ``disconnected`` (the primary socket was
    lost), ``stalled`` (the watchdog aborted a silent socket), ``reconnecting`` (waiting ``delay``
    seconds before attempt ``attempt``), ``reconnected`` (a replacement is open; ``downtime`` is the
    time without a primary socket), ``rollover`` (a replacement was opened while the old socket was
    still alive), ``retired`` (the old socket of a rollover was closed), ``gave_up`` and ``stopped``.
    """

    kind: ConnectionEventKind
    session_id: int
    url: str
    reason: str | None = None
    attempt: int = 0
    delay: float | None = None
    downtime: float | None = None
    at: float = field(default_factory=time.time)
    """Wall-clock time of the transition (``time.time()``)."""

    def log(self, name: str) -> None:
        """Log the event for connection ``name``: a warning for a loss, stall or give-up, else info."""
        level = logging.WARNING if self.kind in ("disconnected", "stalled", "gave_up") else logging.INFO
        logger.log(
            level,
            "%s: %s (session %s%s%s%s)",
            name,
            self.kind,
            self.session_id,
            f", {self.reason}" if self.reason else "",
            f", retry in {self.delay:.2f}s" if self.delay is not None else "",
            f", down {self.downtime:.3f}s" if self.downtime is not None else "",
        )


def proxy_options(proxies: Mapping[str, str] | None) -> dict[str, Any]:
    """Translate a connector-style ``{"https": "http://user:pw@host:port"}`` dict for websocket-client.

    The ``https`` entry wins, then ``http``; ``socks5://``/``socks4://`` URLs select a SOCKS proxy.
    """
    if not proxies:
        return {}
    url = proxies.get("https") or proxies.get("wss") or proxies.get("http") or proxies.get("ws")
    if not url:
        return {}
    parsed = urlparse(url if "://" in url else f"http://{url}")
    scheme = parsed.scheme or "http"
    options: dict[str, Any] = {
        "http_proxy_host": parsed.hostname,
        "http_proxy_port": parsed.port or (1080 if scheme.startswith("socks") else 8080),
        "proxy_type": scheme if scheme in ("http", "socks4", "socks4a", "socks5", "socks5h") else "http",
    }
    if parsed.username:
        options["http_proxy_auth"] = (parsed.username, parsed.password or "")
    return options
