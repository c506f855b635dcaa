"""The I/O-free core of the WebSocket API client: envelopes, signing, correlation, error mapping.

Nothing here touches a socket. :mod:`binance_typed.ws.api` moves the frames built here and hands
every received text frame back to :func:`classify`; the blocking, callback and asyncio flavours
all share this one implementation.

Request envelope: ``{"id": 7, "method": "klines", "params": {...}}``. Parameters are validated by
the endpoint's params model (the same one REST uses) and sent as JSON values: Decimals as plain
strings, enums by value, lists as arrays. Signed methods add ``apiKey`` and ``timestamp`` (and
``recvWindow`` when set), then sign every parameter sorted by name as ``k=v&k=v`` (UTF-8, no
percent-encoding) with HMAC, RSA or Ed25519. After ``session.logon`` the ``apiKey`` and
``signature`` are left out: the session authenticates the request.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .._endpoint import Endpoint, Security
from .._params import Params
from ..error import (
    BinanceError,
    ClientError,
    ExecutionStatusUnknown,
    RequestTimeoutError,
    ServerError,
    TransportError,
    error_from_response,
    outcome_unknown,
)
from ..models._base import BinanceModel, fmt_decimal

if TYPE_CHECKING:
    from .._policy import Cost
    from .._signing import Signer

__all__ = [
    "ALWAYS_SIGNED",
    "NEEDS_SESSION",
    "Pending",
    "RateLimit",
    "RateLimitTracker",
    "WsConnectionLost",
    "WsRequestTimeout",
    "WsResponse",
    "build_params",
    "build_request",
    "classify",
    "decode_result",
    "lost_error",
    "signature_payload",
    "timeout_error",
    "ws_endpoints",
    "ws_value",
]

ALWAYS_SIGNED = frozenset({"session.logon", "userDataStream.subscribe.signature"})
"""Methods that carry apiKey and signature even on an authenticated session."""
NEEDS_SESSION = frozenset({"userDataStream.subscribe"})
"""Methods that only work on a session authenticated with ``session.logon``."""


# -- errors ---------------------------------------------------------------------------------------
class WsConnectionLost(TransportError):
    """The connection dropped before the response arrived.

    ``may_have_reached_server`` says whether the request had been written to the socket. A query
    is safe to retry either way; an order never raises this (it raises
    :class:`~binance_typed.error.ExecutionStatusUnknown` instead).
    """

    def __init__(self, message: str, method: str, may_have_reached_server: bool) -> None:
        super().__init__(message)
        self.method = method
        self.may_have_reached_server = may_have_reached_server
        self.retryable = True


class WsRequestTimeout(RequestTimeoutError):
    """No response within the timeout; ``sent`` says whether the request was written at all."""

    def __init__(self, message: str, method: str, sent: bool) -> None:
        super().__init__(message)
        self.method = method
        self.sent = sent


# -- rate limits ----------------------------------------------------------------------------------
class RateLimit(BinanceModel):
    """One entry of a response's ``rateLimits``: ``count`` used of ``limit`` per interval."""

    rate_limit_type: str
    interval: str
    interval_num: int
    limit: int
    count: int

    @property
    def key(self) -> str:
        """``"REQUEST_WEIGHT 1MINUTE"``, ``"ORDERS 10SECOND"``."""
        return f"{self.rate_limit_type} {self.interval_num}{self.interval}"

    @property
    def remaining(self) -> int:
        """``limit - count``: what is left in the current interval."""
        return self.limit - self.count


class RateLimitTracker:
    """The latest value of every rate limit reported on this connection."""

    __slots__ = ("_latest", "_lock")

    def __init__(self) -> None:
        self._latest: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def update(self, entries: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            for entry in entries:
                key = (entry.get("rateLimitType"), entry.get("interval"), entry.get("intervalNum"))
                self._latest[key] = dict(entry)

    def snapshot(self) -> list[RateLimit]:
        with self._lock:
            raw = list(self._latest.values())
        return [RateLimit.model_validate(entry) for entry in raw]


def parse_rate_limits(raw: Any) -> list[RateLimit]:
    return [RateLimit.model_validate(entry) for entry in raw or ()]


# -- parameters and signing -----------------------------------------------------------------------
def ws_value(value: Any) -> Any:
    """A validated parameter as a JSON value of the WebSocket API."""
    if isinstance(value, str):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, int):  # bool too
        return value
    if isinstance(value, Decimal):
        return fmt_decimal(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [ws_value(v) for v in value]
    if isinstance(value, Params):
        return {k: ws_value(v) for k, v in value.__dict__.items() if v is not None}
    return value


def _payload_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _number(value: Any) -> int | float:
    """``recvWindow`` as a JSON number: an int when whole, else a float (at most 3 decimals)."""
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def signature_payload(params: Mapping[str, Any]) -> str:
    """Every parameter but ``signature``, sorted by name, as ``name=value`` joined by ``&``."""
    return "&".join(f"{k}={_payload_text(params[k])}" for k in sorted(params) if k != "signature")


def build_params(endpoint: Endpoint, values: dict[str, Any]) -> Params:
    """Validate a method's arguments (its ``locals()``) into the endpoint's params model."""
    return endpoint.params.build(**{k: v for k, v in values.items() if v is not None and k != "self"})


def build_request(
    endpoint: Endpoint,
    params: Params,
    *,
    api_key: str | None,
    signer: Signer | None,
    authenticated: bool,
    timestamp_ms: int,
    recv_window: Any = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``params`` object of a request: validated values, ``extra`` (e.g. ``returnRateLimits``),
    then authentication, so a signature covers every parameter sent."""
    out = {k: ws_value(v) for k, v in params.__dict__.items() if v is not None}
    if extra:
        out.update(extra)
    method = endpoint.ws_method or endpoint.dotted
    security = endpoint.security
    if security is Security.SIGNED:
        window = out.get("recvWindow", recv_window)
        if window is not None:
            out["recvWindow"] = _number(window)
        out["timestamp"] = timestamp_ms
        if authenticated and method not in ALWAYS_SIGNED:
            return out
        if not api_key:
            raise ClientError(0, None, f"{method} needs an API key (api_key=...) or session.logon")
        if signer is None:
            raise ClientError(0, None, f"{method} is signed: pass api_secret or private_key")
        out["apiKey"] = api_key
        out["signature"] = signer.sign(signature_payload(out))
    elif security is Security.API_KEY and not authenticated:
        if not api_key:
            raise ClientError(0, None, f"{method} needs an API key (api_key=...)")
        out["apiKey"] = api_key
    return out


def _compact_encoder() -> Callable[[Any], str]:
    """``json.dumps(obj, separators=(",", ":"), ensure_ascii=False)``, skipping its per-call setup.

    ``JSONEncoder.encode`` builds a new C encoder for every call; this one is built once (no
    circular check: envelopes are trees of plain values). Falls back to the stdlib encoder where
    the C accelerator is missing or has another signature.
    """
    stdlib = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return stdlib.encode
    try:
        encode = make(
            None, stdlib.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
        )
        if "".join(encode({"a": [1, 1.5, "é", True, None]}, 0)) != stdlib.encode(
            {"a": [1, 1.5, "é", True, None]}
        ):
            return stdlib.encode
    except Exception:  # noqa: BLE001 - another Python's private signature
        return stdlib.encode
    join = "".join
    return lambda obj: join(encode(obj, 0))


_dumps = _compact_encoder()


def envelope(request_id: int, method: str, params: Mapping[str, Any] | None) -> str:
    """The request frame; ``params`` is left out when empty."""
    if params:
        return _dumps({"id": request_id, "method": method, "params": params})
    return _dumps({"id": request_id, "method": method})


# -- correlation ----------------------------------------------------------------------------------
_ids = itertools.count(1)


class Pending:
    """One request waiting for its response.

    A blocking caller waits for ``done`` (a :class:`~binance_typed.ws._connection.ReadWaiter`:
    it reads the socket itself, or sleeps on ``lock``, held from creation and released when the
    answer is in or the read role is handed over); a callback-style request has ``callback``, run
    with this object by whichever thread read the answer.
    """

    __slots__ = (
        "callback",
        "client_order_id",
        "done",
        "endpoint",
        "error",
        "id",
        "lock",
        "method",
        "params",
        "reserved",
        "response",
        "sent",
        "session_id",
    )

    def __init__(
        self,
        endpoint: Endpoint | None,
        params: Params | None,
        method: str,
        client_order_id: str | None = None,
        callback: Callable[[Pending], None] | None = None,
    ) -> None:
        self.id = next(_ids)
        self.endpoint = endpoint
        self.params = params
        self.method = method
        self.client_order_id = client_order_id
        self.callback = callback
        self.response: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.sent = False
        self.session_id: int | None = None
        self.reserved: tuple[Cost, int] | None = None
        """The weight the rate-limit gate reserved for this request, and when (Binance ms); None
        for a request that reserved nothing (the client's own logon and resubscribe)."""
        self.done = False
        self.lock = threading.Lock()
        if callback is None:
            self.lock.acquire()

    @property
    def places_order(self) -> bool:
        return self.endpoint is not None and self.endpoint.places_order

    def finish(self) -> None:
        """Wake whoever waits for this request (once ``response`` or ``error`` is set)."""
        self.done = True
        if self.callback is not None:
            self.callback(self)
        else:
            with contextlib.suppress(RuntimeError):  # already released to hand over the read role
                self.lock.release()


def lost_error(pending: Pending, reason: str) -> BinanceError:
    """The error of a request whose connection dropped before the response."""
    if pending.places_order and pending.sent:
        return ExecutionStatusUnknown(
            f"{pending.method}: connection lost before the response ({reason}); the order may have "
            "reached Binance",
            pending.client_order_id,
        )
    where = "it may have reached the server" if pending.sent else "it was not sent"
    return WsConnectionLost(
        f"{pending.method}: connection lost before the response ({reason}); {where}; safe to retry",
        pending.method,
        pending.sent,
    )


def timeout_error(pending: Pending, timeout: float | None) -> BinanceError:
    """The error of a request that got no response in time."""
    if not pending.sent:
        return WsRequestTimeout(
            f"{pending.method}: not sent, no connection within {timeout} s", pending.method, False
        )
    if pending.places_order:
        return ExecutionStatusUnknown(
            f"{pending.method}: no response within {timeout} s; the order may have reached Binance",
            pending.client_order_id,
        )
    return WsRequestTimeout(f"{pending.method}: no response within {timeout} s", pending.method, True)


def _header_of(error: Any) -> dict[str, str]:
    """A ``Retry-After`` header (seconds) from the error's ``retryAfter``/``serverTime`` data."""
    if not isinstance(error, dict):
        return {}
    data = error.get("data")
    if isinstance(data, dict) and isinstance(data.get("retryAfter"), int):
        server = data.get("serverTime")
        if not isinstance(server, int):
            import time

            server = int(time.time() * 1000)
        return {"Retry-After": str(max(0.0, (data["retryAfter"] - server) / 1000))}
    return {}


_SINGLE_IN_LIST = frozenset({"sor.order.place"})
"""Methods whose WebSocket ``result`` wraps in a one-element array what REST returns as an object."""


def _is_error_body(result: Any) -> bool:
    return (
        isinstance(result, dict)
        and len(result) == 2
        and isinstance(result.get("code"), int)
        and result["code"] < 0
        and isinstance(result.get("msg"), str)
    )


def decode_result(pending: Pending, context: Any) -> Any:
    """The typed result of a finished request, or raise its error (same family as REST)."""
    if pending.error is not None:
        raise pending.error
    msg = pending.response
    assert msg is not None
    status = msg.get("status", 0)
    if status == 200:
        endpoint = pending.endpoint
        result = msg.get("result")
        if endpoint is None or pending.params is None:
            return result
        if pending.method in _SINGLE_IN_LIST and isinstance(result, list) and len(result) == 1:
            result = result[0]
        elif _is_error_body(result):
            # e.g. referencePrice: status 200 carrying {"code": -2043, "msg": ...}; REST answers 400
            raise error_from_response(400, result, {})
        return endpoint.parse_python(result, pending.params, context)
    body = msg.get("error", msg)
    error = error_from_response(status, body, _header_of(body))
    if pending.places_order and outcome_unknown(error):
        message = error.message if isinstance(error, ServerError) else str(error)
        raise ExecutionStatusUnknown(
            f"{pending.method}: status {status}: {message}", pending.client_order_id, status
        ) from error
    raise error


class WsResponse:
    """A decoded response delivered to ``on_message`` (callback style).

    ``result`` is the typed result (None on error); ``error`` the mapped exception (None on
    success); ``rate_limits`` the response's ``rateLimits``; ``raw`` the decoded frame.
    """

    __slots__ = ("client_order_id", "error", "id", "method", "raw", "result", "status")

    def __init__(self, pending: Pending, context: Any) -> None:
        self.id = pending.id
        self.method = pending.method
        self.client_order_id = pending.client_order_id
        self.raw: dict[str, Any] = pending.response or {}
        self.status: int = self.raw.get("status", 0)
        self.result: Any = None
        self.error: BaseException | None = None
        try:
            self.result = decode_result(pending, context)
        except BaseException as exc:  # noqa: BLE001 - delivered, not raised
            self.error = exc

    @property
    def ok(self) -> bool:
        """Whether the request succeeded (``error`` is None)."""
        return self.error is None

    @property
    def rate_limits(self) -> list[RateLimit]:
        """The ``rateLimits`` of this response, parsed."""
        return parse_rate_limits(self.raw.get("rateLimits"))

    def __repr__(self) -> str:
        state = f"error={self.error!r}" if self.error else f"result={self.result!r}"
        return f"WsResponse(id={self.id}, method={self.method!r}, status={self.status}, {state})"


_loads = json.loads


def classify(text: str) -> tuple[str, dict[str, Any]]:
    """``("response", frame)`` for an answer (has ``id``), ``("event", frame)`` for an event."""
    msg = _loads(text)
    if not isinstance(msg, dict):
        return "other", {"data": msg}
    if "id" in msg and "status" in msg:
        return "response", msg
    if "event" in msg:
        return "event", msg
    return "other", msg


# -- endpoint registry ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def ws_endpoints() -> dict[str, Endpoint]:
    """Every WebSocket API method this package declares, by method name."""
    from ..endpoints import all_endpoints

    out: dict[str, Endpoint] = {}
    for endpoint in all_endpoints((*_rest_groups(), "ws_only")):
        if endpoint.ws_method:
            out[endpoint.ws_method] = endpoint
    return out


def _rest_groups() -> tuple[str, ...]:
    from ..endpoints import GROUP_MODULES

    return GROUP_MODULES


# -- bases of the generated groups ----------------------------------------------------------------
capture_rate_limits: ContextVar[list[Any] | None] = ContextVar("binance_typed_ws_rate_limits", default=None)
"""Set by ``with_rate_limits``: responses append their raw ``rateLimits`` here."""
