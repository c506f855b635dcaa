"""Request weight and order counting: ``X-MBX-USED-WEIGHT-1M`` / ``X-MBX-ORDER-COUNT-*``, 429 and 418."""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from ._errors import BANNED, TOO_MANY_ORDERS, WEIGHT_EXCEEDED, ApiError

__all__ = ["Limits"]


class Limits:
    """One IP's budget (the simulator sees a single client IP).

    Args:
        weight_limit: request weight allowed per ``weight_window`` seconds (Binance: 6000 per minute).
        weight_window: length of the weight window in seconds (shorten it in tests).
        orders_10s / orders_day: order count limits.
        ban_after: requests answered 429 in one window before the IP is banned (418).
        ban_seconds: how long the ban lasts.
    """

    def __init__(self, weight_limit: int = 6000, weight_window: float = 60.0, orders_10s: int = 100,
                 orders_day: int = 200000, ban_after: int = 5, ban_seconds: float = 120.0) -> None:
        self.weight_limit = weight_limit
        self.weight_window = weight_window
        self.orders_10s = orders_10s
        self.orders_day = orders_day
        self.ban_after = ban_after
        self.ban_seconds = ban_seconds
        self._lock = threading.Lock()
        self._window_start = 0.0
        self.used_weight = 0
        self._rejected = 0
        self.banned_until = 0.0
        self._orders: list[float] = []
        self.orders_today = 0

    def reset(self) -> None:
        with self._lock:
            self._window_start, self.used_weight, self._rejected, self.banned_until = 0.0, 0, 0, 0.0
            self._orders.clear()
            self.orders_today = 0

    def _roll(self, now: float) -> None:
        start = now - now % self.weight_window
        if start != self._window_start:
            self._window_start, self.used_weight, self._rejected = start, 0, 0

    def charge(self, weight: int) -> None:
        """Add ``weight``; raise 429 (-1003, with Retry-After) over the limit, 418 once banned."""
        now = time.time()
        with self._lock:
            if now < self.banned_until:
                raise self._ban_error(now)
            self._roll(now)
            self.used_weight += weight
            if self.used_weight <= self.weight_limit:
                return
            self._rejected += 1
            if self._rejected > self.ban_after:
                self.banned_until = now + self.ban_seconds
                raise self._ban_error(now)
            retry = max(1, math.ceil(self._window_start + self.weight_window - now))
            interval = "1 MINUTE" if self.weight_window == 60 else f"{self.weight_window:g} SECOND"
            raise ApiError(-1003, WEIGHT_EXCEEDED.format(limit=self.weight_limit, interval=interval), status=429,
                           headers={"Retry-After": str(retry)})

    def _ban_error(self, now: float) -> ApiError:
        until = int(self.banned_until * 1000)
        return ApiError(-1003, BANNED.format(until=until), status=418,
                        headers={"Retry-After": str(max(1, math.ceil(self.banned_until - now)))})

    def count_order(self, n: int = 1) -> None:
        now = time.time()
        with self._lock:
            self._orders = [t for t in self._orders if now - t < 10]
            if len(self._orders) + n > self.orders_10s:
                raise ApiError(-1015, TOO_MANY_ORDERS.format(limit=self.orders_10s, interval="10 SECOND"), status=429,
                               headers={"Retry-After": "10"})
            if self.orders_today + n > self.orders_day:
                raise ApiError(-1015, TOO_MANY_ORDERS.format(limit=self.orders_day, interval="1 DAY"), status=429)
            self._orders.extend([now] * n)
            self.orders_today += n

    def headers(self, orders: bool) -> dict[str, str]:
        with self._lock:
            self._roll(time.time())
            out = {f"X-MBX-USED-WEIGHT-{self.window_text}": str(self.used_weight)}
            if orders:
                out["X-MBX-ORDER-COUNT-10S"] = str(len(self._orders))
                out["X-MBX-ORDER-COUNT-1D"] = str(self.orders_today)
            return out

    @property
    def window_text(self) -> str:
        """The weight window as a header suffix: ``1M``, or ``<n>S`` for a shortened test window."""
        return "1M" if self.weight_window == 60 else f"{int(self.weight_window)}S"

    def window_limit(self) -> dict[str, Any]:
        """The REQUEST_WEIGHT entry of ``exchangeInfo.rateLimits`` for this window."""
        if self.weight_window == 60:
            return {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": self.weight_limit}
        return {"rateLimitType": "REQUEST_WEIGHT", "interval": "SECOND", "intervalNum": int(self.weight_window),
                "limit": self.weight_limit}

    def ws_rate_limits(self, orders: bool) -> list[dict[str, Any]]:
        """The WebSocket API's ``rateLimits`` array."""
        with self._lock:
            self._roll(time.time())
            out: list[dict[str, Any]] = [{**self.window_limit(), "count": self.used_weight}]
            if orders:
                out = [{"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": self.orders_10s,
                        "count": len(self._orders)},
                       {"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": self.orders_day,
                        "count": self.orders_today}, *out]
            return out
