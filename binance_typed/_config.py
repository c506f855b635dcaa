"""Client settings: base URLs of the environments and the options every transport reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ._signing import Signer

DEFAULT_RULES_TTL = 600.0
"""Seconds a symbol's cached rules (``client.market.rules``) are reused before ``exchangeInfo``
is asked again."""

__all__ = [
    "LIVE_REST",
    "LIVE_STREAMS",
    "LIVE_WS_API",
    "TESTNET_REST",
    "TESTNET_STREAMS",
    "TESTNET_WS_API",
    "ClientConfig",
    "RetryPolicy",
    "check_recv_window",
    "normalise_time_unit",
]

LIVE_REST = "https://api.binance.com"
"""Base URL of the live REST API (``binance_typed.REST_URL``)."""
LIVE_WS_API = "wss://ws-api.binance.com/ws-api/v3"
"""URL of the live WebSocket API (``binance_typed.WS_API_URL``)."""
LIVE_STREAMS = "wss://stream.binance.com:9443"
"""Base URL of the live market streams (``binance_typed.STREAM_URL``)."""
TESTNET_REST = "https://testnet.binance.vision"
"""Base URL of the Spot testnet REST API (``binance_typed.TESTNET_REST_URL``)."""
TESTNET_WS_API = "wss://ws-api.testnet.binance.vision/ws-api/v3"
"""URL of the Spot testnet WebSocket API (``binance_typed.TESTNET_WS_API_URL``)."""
TESTNET_STREAMS = "wss://stream.testnet.binance.vision"
"""Base URL of the Spot testnet market streams (``binance_typed.TESTNET_STREAM_URL``)."""

TimeUnit = Literal["MICROSECOND", "MILLISECOND"]


def normalise_time_unit(time_unit: str | None) -> TimeUnit | None:
    """Accept ``"microsecond"``/``"MILLISECOND"`` in any case; None keeps Binance's default (ms)."""
    if time_unit is None:
        return None
    upper = time_unit.upper()
    if upper not in ("MICROSECOND", "MILLISECOND"):
        raise ValueError(f"time_unit must be 'microsecond' or 'millisecond', not {time_unit!r}")
    return upper  # type: ignore[return-value]


def check_recv_window(value: object) -> int | float:
    """``recv_window`` as the client's default: a number of ms, > 0, <= 60000, at most 3 decimals."""
    from decimal import Decimal, InvalidOperation

    from .error import ParameterValueError as ValueError  # noqa: A001  (a BinanceError and a ValueError)

    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"recv_window must be a number of milliseconds, not {type(value).__name__}")
    if isinstance(value, int) and not 0 < value <= 60000:
        raise ValueError("recv_window must be greater than 0 and at most 60000 ms")
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        raise ValueError("recv_window must be a finite number") from None
    if not exact.is_finite() or not 0 < exact <= 60000:
        raise ValueError("recv_window must be greater than 0 and at most 60000 ms")
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3 and exact != exact.quantize(Decimal("0.001")):
        raise ValueError("recv_window takes at most three decimal places")
    if isinstance(value, Decimal):
        return int(value) if exact == exact.to_integral_value() else float(value)
    return value


@dataclass(frozen=True)
class RetryPolicy:
    """When and how idempotent (GET) requests are retried.

    Orders are never retried. ``max_retries=0`` switches retries off.
    """

    max_retries: int = 2
    initial_wait: float = 0.5
    max_wait: float = 8.0
    jitter: float = 0.5
    max_retry_after: float = 10.0
    """Retry a 429 only when Binance asks to wait at most this many seconds."""


@dataclass
class ClientConfig:
    """The resolved options of one client; the secret lives only inside ``signer``."""

    base_url: str = LIVE_REST
    api_key: str | None = None
    signer: Signer | None = None
    recv_window: int | float = 5000
    time_unit: TimeUnit | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    resync_on_timestamp_error: bool = True
    rate_limit: Literal["wait", "raise", "off"] = "wait"
    """Before each request: wait until the shared budget allows it, raise
    ``RateLimitBudgetError`` instead of waiting, or skip the gate (``"off"``)."""
    time_sync_interval: float | None = None
    """Seconds after which a signed call first measures the clock offset again (None: only on -1021)."""

    def __reduce__(self) -> Any:
        raise TypeError("ClientConfig holds credentials and cannot be pickled")

    def __repr__(self) -> str:
        key = "<set>" if self.api_key else None
        signer = self.signer.kind if self.signer else None
        return f"ClientConfig(base_url={self.base_url!r}, api_key={key}, signer={signer}, time_unit={self.time_unit})"
