"""Request policy shared by the REST clients and the WebSocket API clients.

Two objects live here, both free of I/O:

* :class:`Clock`: the offset between Binance's clock and ours, measured from a ``time`` call
  (one formula), applied to every ``timestamp``; it says when it is due for a periodic resync.
* :class:`RateLimitGate`: one budget per (host, API key) in a process. Each call asks it for its
  weight (and its order count) before sending; the gate answers "go" or "wait this long" (or
  raises :class:`~binance_typed.error.RateLimitBudgetError` under the ``"raise"`` policy). Usage
  reported by Binance (``X-MBX-USED-WEIGHT-*``, ``X-MBX-ORDER-COUNT-*``, ``X-SAPI-USED-*`` headers
  and the WebSocket API's ``rateLimits``) corrects the local count; it never goes backwards within
  a window. A 429 or 418 closes the gate for every client of that host and key until
  ``Retry-After`` has passed.

The sync shells sleep and the asyncio shells ``await asyncio.sleep`` for the time the gate gives.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .error import RateLimitBudgetError

__all__ = [
    "DEFAULT_LIMITS",
    "Clock",
    "Cost",
    "RateLimitGate",
    "gate_for",
    "interval_ms",
]

LimitPolicy = Literal["wait", "raise"]

_UNIT_MS = {"S": 1000, "M": 60_000, "H": 3_600_000, "D": 86_400_000}
_WORD_MS = {"SECOND": 1000, "MINUTE": 60_000, "HOUR": 3_600_000, "DAY": 86_400_000}

# (limit kind, window length in ms) -> allowed per window; Binance's published spot defaults.
DEFAULT_LIMITS: dict[tuple[str, int], int] = {
    ("REQUEST_WEIGHT", 60_000): 6000,
    ("ORDERS", 10_000): 100,
    ("ORDERS", 86_400_000): 200_000,
    ("RAW_REQUESTS", 300_000): 61_000,
    ("SAPI_IP_WEIGHT", 60_000): 12_000,
    ("SAPI_UID_WEIGHT", 60_000): 180_000,
}

# header prefix (lower case) -> limit kind
_HEADER_KINDS = (
    ("x-mbx-used-weight-", "REQUEST_WEIGHT"),
    ("x-mbx-order-count-", "ORDERS"),
    ("x-sapi-used-ip-weight-", "SAPI_IP_WEIGHT"),
    ("x-sapi-used-uid-weight-", "SAPI_UID_WEIGHT"),
)


def interval_ms(text: str) -> int | None:
    """``"1M"`` / ``"10S"`` / ``"1D"`` (a header suffix) as milliseconds; None if unreadable."""
    if len(text) < 2 or len(text) > 8 or not text[:-1].isascii() or not text[:-1].isdigit():
        return None
    unit = _UNIT_MS.get(text[-1].upper())
    return None if unit is None else int(text[:-1]) * unit


class Clock:
    """Milliseconds to add to the local clock so that ``timestamp`` matches Binance's.

    Args:
        resync_every: seconds after which :meth:`due` asks for a new measurement (None: never).
    """

    __slots__ = ("_lock", "measured_at", "offset_ms", "resync_every")

    def __init__(self, resync_every: float | None = None) -> None:
        self.offset_ms = 0
        self.measured_at: float | None = None
        self.resync_every = resync_every
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        """Binance's time as this process estimates it (epoch ms)."""
        return int(time.time() * 1000) + self.offset_ms

    def apply(self, server_ms: int, sent_at: float, received_at: float) -> int:
        """Set the offset from a ``time`` answer, assuming the server stamped it mid-flight."""
        offset = int(server_ms - (sent_at + received_at) * 500)
        with self._lock:
            self.offset_ms = offset
            self.measured_at = time.monotonic()
        return offset

    def reset(self) -> None:
        """Forget the measured offset and the resync period (back to the local clock)."""
        with self._lock:
            self.offset_ms = 0
            self.measured_at = None
            self.resync_every = None

    def due(self) -> bool:
        """Whether a periodic resync is due (only when ``resync_every`` is set)."""
        every = self.resync_every
        if every is None:
            return False
        return self.measured_at is None or time.monotonic() - self.measured_at >= every


@dataclass(frozen=True)
class Cost:
    """What one request spends: its weight (of ``kind``) and the orders it may create."""

    weight: int
    kind: str = "REQUEST_WEIGHT"
    orders: int = 0

    @property
    def amounts(self) -> tuple[tuple[str, int], ...]:
        out: list[tuple[str, int]] = [("RAW_REQUESTS", 1)]
        if self.weight > 0:
            out.append((self.kind, self.weight))
        if self.orders > 0:
            out.append(("ORDERS", self.orders))
        return tuple(out)


_FLIGHT_MS = 30_000
"""A request still unanswered this long after its window ended stops counting (it timed out)."""


class _Window:
    """Usage of one limit in its current fixed window (aligned to the epoch, as Binance's are).

    Binance counts a request in the window in which it *arrives*, which may be a later one than
    the window the gate reserved it in. So the weight of a request counts in every window that
    starts while it is in flight (``flight``), and a request answered so close to a boundary that
    either side may have counted it also counts in the window after (``ahead``).
    """

    __slots__ = ("ahead", "flight", "floor", "index", "length", "limit", "used")

    def __init__(self, length: int, limit: int) -> None:
        self.length = length
        self.limit = limit
        self.index = -1
        self.used = 0
        self.flight: dict[int, int] = {}
        """Window index -> weight reserved in it and not answered yet."""
        self.ahead: dict[int, int] = {}
        """Last window index a request answered near a boundary may have arrived in -> weight."""
        self.floor: dict[int, int] = {}
        """Window index -> usage Binance reported for it before the gate's window got there (plus
        what was in flight then and what was spent since)."""

    def roll(self, now_ms: int) -> None:
        index = now_ms // self.length
        if index > self.index:
            oldest = index - 1 - _FLIGHT_MS // self.length  # older: never answered, nothing leaks
            self.flight = {k: v for k, v in self.flight.items() if k >= oldest}
            self.ahead = {k: v for k, v in self.ahead.items() if k >= index}
            self.floor = {k: v for k, v in self.floor.items() if k >= index}
            self.used = max(sum(self.flight.values()) + sum(self.ahead.values()), self.floor.pop(index, 0))
            self.index = index

    def spend(self, amount: int) -> None:
        self.used += amount
        flight = self.flight
        flight[self.index] = flight.get(self.index, 0) + amount
        floor = self.floor
        for key in floor:  # spent after Binance's count for a later window: not in that count
            floor[key] += amount

    def next_load(self) -> int:
        """Weight that will count in the next window whatever happens now."""
        return sum(self.flight.values()) + sum(v for k, v in self.ahead.items() if k > self.index)


class RateLimitGate:
    """The budget of one (host, API key): every client sharing them shares this object.

    Args:
        margin_ms: a window is treated as over only this long after its end, so that a clock a
            little ahead of Binance's never spends the next window's budget early.
        late_ms: a request reserved this close to the end of a window may reach Binance in the
            next one (a loaded machine, a slow network), so it is sent only if it fits in both.
            Any request unanswered (:meth:`answered`) when a window ends, or answered too near
            the end to tell, counts in the next window too.
    """

    def __init__(self, clock: Clock | None = None, margin_ms: int = 50, late_ms: int = 250) -> None:
        self.clock = clock or Clock()
        self.margin_ms = margin_ms
        self.late_ms = late_ms
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, int], _Window] = {
            key: _Window(key[1], limit) for key, limit in DEFAULT_LIMITS.items()
        }
        self.closed_until = 0.0  # time.time() before which nothing is sent (429 / 418)
        self.waits = 0

    def reset(self) -> None:
        """Back to the default limits, nothing used, gate open, clock unmeasured."""
        self.clock.reset()
        with self._lock:
            self._windows = {key: _Window(key[1], limit) for key, limit in DEFAULT_LIMITS.items()}
            self.closed_until = 0.0
            self.waits = 0

    # -- configuration ------------------------------------------------------------------------
    def set_limit(self, kind: str, length_ms: int, limit: int) -> None:
        """Declare (or change) the limit of ``kind`` per window of ``length_ms``."""
        with self._lock:
            window = self._windows.get((kind, length_ms))
            if window is None:
                self._windows[(kind, length_ms)] = _Window(length_ms, limit)
            else:
                window.limit = limit

    def load_exchange_limits(self, rate_limits: Iterable[Any]) -> None:
        """Take the limits of ``exchangeInfo`` (models or dicts with ``rateLimitType``, ...)."""
        for entry in rate_limits:
            kind, length, limit = _entry(entry)
            if kind is not None and length is not None and limit is not None:
                self.set_limit(kind, length, limit)

    # -- before sending -----------------------------------------------------------------------
    def reserve(self, cost: Cost, policy: LimitPolicy = "wait") -> float:
        """Spend ``cost`` now and return 0.0, or return the seconds to wait before asking again.

        Under the ``"raise"`` policy a request that would have to wait raises
        :class:`RateLimitBudgetError` instead (nothing is spent, nothing is sent).
        """
        now = time.time()
        with self._lock:
            wait = self.closed_until - now
            if wait <= 0:
                binance_ms = int(now * 1000) + self.clock.offset_ms
                stamp = binance_ms - self.margin_ms
                late = binance_ms + self.late_ms
                wait = self._wait_for(cost, stamp, late)
                if wait <= 0:
                    for kind, amount in cost.amounts:
                        for (k, _), window in self._windows.items():
                            if k == kind:
                                window.spend(amount)
                    return 0.0
            reason = "closed after a 429/418" if self.closed_until > now else "budget spent"
        if policy == "raise":
            raise RateLimitBudgetError(
                f"rate limit: {reason}; the request would have to wait {wait:.3f} s", wait
            )
        self.waits += 1
        return wait

    def _wait_for(self, cost: Cost, stamp: int, late: int) -> float:
        longest = 0.0
        for kind, amount in cost.amounts:
            for (k, _), window in self._windows.items():
                if k != kind:
                    continue
                window.roll(stamp)
                over = window.used + amount > window.limit and window.used > 0
                # near the end of the window the request must also fit in the next one
                over_next = False
                if late // window.length > window.index:
                    load = window.next_load()
                    over_next = load > 0 and load + amount > window.limit
                if over or over_next:
                    end = (window.index + 1) * window.length + self.margin_ms
                    longest = max(longest, (end - stamp) / 1000 + 0.001)
        return longest

    # -- after an answer ----------------------------------------------------------------------
    def answered(self, cost: Cost, sent_ms: int) -> None:
        """The request of ``cost`` reserved at (Binance) time ``sent_ms`` was answered, or failed.

        Until then its weight counts in every window that starts; answered so near the end of a
        window that Binance may have counted it in the next one, it counts there too.
        """
        now = int(time.time() * 1000) + self.clock.offset_ms
        with self._lock:
            for kind, amount in cost.amounts:
                for (k, length), window in self._windows.items():
                    if k != kind:
                        continue
                    index = (sent_ms - self.margin_ms) // length
                    left = window.flight.get(index)
                    if left is None:
                        continue  # forgotten already
                    if left > amount:
                        window.flight[index] = left - amount
                    else:
                        del window.flight[index]
                    last = (now + self.margin_ms) // length  # the latest window it may have reached
                    if last > index and last > window.index:
                        window.ahead[last] = window.ahead.get(last, 0) + amount

    def observe_headers(self, headers: Mapping[str, str], sent_ms: int | None = None) -> None:
        """Correct the counts from ``X-MBX-USED-WEIGHT-*``-style headers of one response.

        ``sent_ms`` is the (Binance) time the request was reserved; a header is ignored when a
        window boundary passed since then (it could belong to either window), unless the gate
        learns of that window only now. A count is a floor: the weight still in flight is added.
        """
        raw = getattr(headers, "raw", None)
        pairs: Iterable[tuple[Any, Any]] = raw if raw is not None else headers.items()
        found: list[tuple[str, int, int]] = []
        for key, value in pairs:
            lower = key.decode("latin-1").lower() if isinstance(key, bytes) else key.lower()
            if not lower.startswith(("x-mbx-", "x-sapi-")):
                continue
            for prefix, kind in _HEADER_KINDS:
                if lower.startswith(prefix):
                    length = interval_ms(lower[len(prefix):])
                    text = value.decode("latin-1") if isinstance(value, bytes) else value
                    if length is not None and text.isdigit() and len(text) < 19:
                        found.append((kind, length, int(text)))
                    break
        if found:
            self._observe(found, sent_ms)

    def observe_ws(self, rate_limits: Iterable[Mapping[str, Any]], sent_ms: int | None = None) -> None:
        """Correct the counts (and limits) from a WebSocket API response's ``rateLimits``."""
        found: list[tuple[str, int, int]] = []
        for entry in rate_limits:
            kind, length, limit = _entry(entry)
            count = entry.get("count") if isinstance(entry, Mapping) else None
            if kind is None or length is None:
                continue
            if limit is not None:
                self.set_limit(kind, length, limit)
            if isinstance(count, int) and not isinstance(count, bool):
                found.append((kind, length, count))
        if found:
            self._observe(found, sent_ms)

    def _observe(self, found: list[tuple[str, int, int]], sent_ms: int | None) -> None:
        binance_ms = int(time.time() * 1000) + self.clock.offset_ms
        with self._lock:
            for kind, length, count in found:
                window = self._windows.get((kind, length))
                new = window is None
                if window is None:
                    window = self._windows[(kind, length)] = _Window(length, _default_limit(kind, length))
                window.roll(binance_ms - self.margin_ms)
                # Binance counted between the request's sending and now: its window then
                target = binance_ms // length
                # A boundary passed while in flight: the count may be either window's. The gate's
                # own window may take it while it still is the earlier one (a count of the later
                # window is only smaller), not once it is the later one. A window the gate tracks
                # has counted its own requests in both; a window it learns of only now has
                # nothing else, so the count is taken for both (once).
                ambiguous = sent_ms is not None and sent_ms // length != target and not new
                if target < window.index or (ambiguous and target == window.index):
                    continue
                # requests still in flight may not be in Binance's count yet
                seen = count + sum(window.flight.values())
                if seen > window.used:
                    window.used = seen  # never backwards within a window
                if target > window.index and not ambiguous:  # Binance is in the next window already
                    window.floor[target] = max(window.floor.get(target, 0), seen)

    def close_for(self, seconds: float) -> None:
        """A 429 or 418: nothing is sent through this gate for ``seconds``."""
        until = time.time() + max(0.0, seconds)
        with self._lock:
            self.closed_until = max(self.closed_until, until)

    # -- reading --------------------------------------------------------------------------------
    def used(self, kind: str) -> dict[str, int]:
        """Current usage of ``kind`` by window, keyed like Binance's headers (``"1M"``, ``"10S"``)."""
        now = int(time.time() * 1000) + self.clock.offset_ms - self.margin_ms
        out: dict[str, int] = {}
        with self._lock:
            for (k, length), window in self._windows.items():
                if k == kind:
                    window.roll(now)
                    out[_interval_text(length)] = window.used
        return out

    def limits(self) -> dict[tuple[str, int], int]:
        with self._lock:
            return {key: window.limit for key, window in self._windows.items()}


def _default_limit(kind: str, length: int) -> int:
    return DEFAULT_LIMITS.get((kind, length), 1 << 62)


def _interval_text(length: int) -> str:
    for unit, ms in (("D", 86_400_000), ("H", 3_600_000), ("M", 60_000)):
        if length % ms == 0:
            return f"{length // ms}{unit}"
    return f"{length // 1000}S"


def _entry(entry: Any) -> tuple[str | None, int | None, int | None]:
    """(kind, window ms, limit) of a ``rateLimits`` entry, a model or a dict."""
    def get(name: str) -> Any:
        if isinstance(entry, Mapping):
            return entry.get(name)
        return getattr(entry, _snake(name), None)

    kind = get("rateLimitType")
    interval = get("interval")
    num = get("intervalNum")
    limit = get("limit")
    kind = getattr(kind, "value", kind)
    interval = getattr(interval, "value", interval)
    unit = _WORD_MS.get(str(interval)) if interval is not None else None
    if not isinstance(kind, str) or unit is None or not isinstance(num, int) or isinstance(num, bool):
        return None, None, None
    return kind, unit * num, limit if isinstance(limit, int) and not isinstance(limit, bool) else None


def _snake(name: str) -> str:
    return {"rateLimitType": "rate_limit_type", "intervalNum": "interval_num"}.get(name, name)


_gates: dict[tuple[str, str | None], RateLimitGate] = {}
_gates_lock = threading.Lock()


def gate_for(host: str, api_key: str | None) -> RateLimitGate:
    """The process-wide gate of ``host`` and ``api_key`` (created on first use)."""
    key = (host.lower(), api_key)
    with _gates_lock:
        gate = _gates.get(key)
        if gate is None:
            gate = _gates[key] = RateLimitGate()
        return gate


def reset_gates() -> None:
    """Forget every gate (tests: each test starts with fresh budgets and open gates)."""
    with _gates_lock:
        gates = list(_gates.values())
    for gate in gates:
        gate.reset()
