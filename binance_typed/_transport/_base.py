"""The I/O-free core of a REST call: build the signed request, decode the response, map errors.

``_sync`` and ``_async`` only send what :func:`prepare` built and hand the answer to
:func:`handle`; everything else (signing, headers, retry decisions, rate-limit bookkeeping,
redacted logging) lives here once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .._policy import Clock, Cost, RateLimitGate, gate_for
from .._signing import encode_params
from ..error import (
    BinanceError,
    ClientError,
    ExecutionStatusUnknown,
    MalformedResponseError,
    RateLimitBudgetError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    error_from_response,
    outcome_unknown,
)

if TYPE_CHECKING:
    # Imported where used instead: these pull in pydantic, which ``import binance_typed`` and
    # ``Client()`` do not need (the first call loads it with the endpoint declarations).
    from .._config import ClientConfig
    from .._endpoint import Endpoint
    from .._params import Params

__all__ = [
    "HeaderCapture",
    "Prepared",
    "cost_of",
    "extra_items",
    "RateLimitState",
    "handle",
    "is_retryable",
    "order_unknown",
    "prepare",
]

log = logging.getLogger("binance_typed")
USER_AGENT = "binance-typed/0.1"

_captured: ContextVar[list[Mapping[str, str]] | None] = ContextVar("binance_typed_headers", default=None)


class HeaderCapture:
    """Collects the headers of the calls made inside it (used by ``Client.with_headers``)."""

    def __enter__(self) -> list[Mapping[str, str]]:
        self._bucket: list[Mapping[str, str]] = []
        self._token = _captured.set(self._bucket)
        return self._bucket

    def __exit__(self, *exc: object) -> None:
        _captured.reset(self._token)


class RateLimitState:
    """Usage of the client's rate-limit gate, keyed like Binance's headers (``"1M"``, ``"10S"``).

    The gate is shared by every client of the same host and API key; its counts are the larger
    of what this process spent and what Binance reported (``X-MBX-USED-WEIGHT-*``,
    ``X-MBX-ORDER-COUNT-*``, the WebSocket API's ``rateLimits``).
    """

    __slots__ = ("gate",)

    def __init__(self, gate: RateLimitGate) -> None:
        self.gate = gate

    @property
    def used_weight(self) -> dict[str, int]:
        return self.gate.used("REQUEST_WEIGHT")

    @property
    def order_count(self) -> dict[str, int]:
        return self.gate.used("ORDERS")

    @property
    def sapi_ip_weight(self) -> dict[str, int]:
        """/sapi IP weight used (``X-SAPI-USED-IP-WEIGHT-1M`` -> ``{"1M": n}``)."""
        return self.gate.used("SAPI_IP_WEIGHT")

    @property
    def sapi_uid_weight(self) -> dict[str, int]:
        """/sapi UID weight used (``X-SAPI-USED-UID-WEIGHT-1M`` -> ``{"1M": n}``)."""
        return self.gate.used("SAPI_UID_WEIGHT")

    def __repr__(self) -> str:
        return (
            f"RateLimitState(used_weight={self.used_weight}, order_count={self.order_count}, "
            f"sapi_ip_weight={self.sapi_ip_weight}, sapi_uid_weight={self.sapi_uid_weight})"
        )


@dataclass(slots=True)
class Prepared:
    """A request ready to send, plus what is needed to interpret its answer."""

    endpoint: Endpoint
    params: Params
    method: str
    url: str
    headers: dict[str, str]
    client_order_id: str | None
    content: bytes | None = None
    """The request body: set only for endpoints declared with ``body_encoding="json"``."""


_SIGNATURE = re.compile(r"(signature=)[^&]+")


def _redact(url: str) -> str:
    return _SIGNATURE.sub(r"\1<redacted>", url)


class _RedactSignedUrls(logging.Filter):
    """On httpx's own logger: the INFO line ``HTTP Request: GET <url>`` shows signed URLs with
    their signature redacted (the API key travels in a header, which httpx does not log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any("signature=" in str(a) for a in args):
            record.args = tuple(_redact(str(a)) if "signature=" in str(a) else a for a in args)
        elif "signature=" in str(record.msg):
            record.msg = _redact(str(record.msg))
        return True


_httpx_filter = _RedactSignedUrls()
for _name in ("httpx", "httpcore"):
    if not any(isinstance(f, _RedactSignedUrls) for f in logging.getLogger(_name).filters):
        logging.getLogger(_name).addFilter(_httpx_filter)


_ID_BATCH = 64
_spare_ids: list[str] = []
"""Client order ids drawn ahead: one ``os.urandom`` call per 64 ids instead of one per id."""
if hasattr(os, "register_at_fork"):  # a forked child must never reuse its parent's drawn ids
    os.register_at_fork(after_in_child=_spare_ids.clear)


def new_client_order_id() -> str:
    """A fresh id in Binance's allowed alphabet (``[.A-Z:/a-z0-9_-]{1,36}``): 116 random bits.

    Ids come from a batch of random bytes (each id from its own 15 bytes, never shared); ``pop``
    and ``extend`` are atomic, so threads never get the same id.
    """
    try:
        return _spare_ids.pop()
    except IndexError:
        block = os.urandom(15 * _ID_BATCH).hex()
        _spare_ids.extend(["bt-" + block[i : i + 29] for i in range(0, 30 * _ID_BATCH, 30)])
        return _spare_ids.pop()


def with_client_order_id(endpoint: Endpoint, params: Params) -> tuple[Params, str | None]:
    """Give an order request a client order id, generated when the caller sent none."""
    name = endpoint.client_id_field
    if name is None:
        return params, None
    current = params.__dict__.get(name)
    if current is not None:
        return params, str(current)
    generated = new_client_order_id()
    return params.with_value(name, generated), generated


_SAFE_SIGNATURE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-"
"""A signature made only of these (hex: HMAC) needs no percent-encoding."""


def prepare(
    endpoint: Endpoint,
    params: Params,
    config: ClientConfig,
    time_offset_ms: int = 0,
    extra: list[tuple[str, str]] | None = None,
) -> Prepared:
    """Build the URL (query string carries every parameter), headers and signature.

    Called once per attempt, so a retried signed request carries a fresh ``timestamp`` and
    ``signature``. ``extra`` (from ``extra_params=``) replaces or adds wire parameters.

    The usual case (no ``extra``, parameters in the query) encodes the parameters in one pass
    (:meth:`Params.wire_query`); the others go through ``wire_items`` and ``encode_params``. Both
    give the same text.
    """
    # ``Security`` is a str enum, compared here by value: importing it (and pydantic with it) at
    # module level would make ``import binance_typed; Client()`` pay for pydantic.
    security = endpoint.security
    client_order_id = None
    id_field = endpoint.client_id_field
    if id_field is not None:
        current = params.__dict__.get(id_field)
        if current is None:
            client_order_id = new_client_order_id()
            params = params.with_value(id_field, client_order_id)
        else:
            client_order_id = str(current)
    if security == "NONE":
        headers: dict[str, str] = {}
    elif config.api_key:
        headers = {"X-MBX-APIKEY": config.api_key}
    else:
        raise ClientError(0, None, f"{endpoint.dotted} needs an API key (api_key=...)")
    if config.time_unit:
        headers["X-MBX-TIME-UNIT"] = config.time_unit
    content = None
    if extra or endpoint.body_encoding is not None:
        items = params.wire_items()
        if extra:
            names = {k for k, _ in extra}
            items = [item for item in items if item[0] not in names] + extra
        if endpoint.body_encoding == "json":  # business fields in a JSON body, signing fields in the query
            content = _json_body(items)
            headers["Content-Type"] = "application/json"
            items = []
        query = encode_params(items)
    else:
        query = params.wire_query()
    if security == "SIGNED":
        signer = config.signer
        if signer is None:
            raise ClientError(0, None, f"{endpoint.dotted} is signed: pass api_secret or private_key")
        stamp = int(time.time() * 1000) + time_offset_ms
        default = config.recv_window
        if type(default) is int and params.__dict__.get("recvWindow") is None:
            window = str(default)  # the client's default, as wire_value writes an int
        else:
            window = params.recv_window_text(default)
        query = f"{query}&recvWindow={window}&timestamp={stamp}" if query else f"recvWindow={window}&timestamp={stamp}"
        signature = signer.sign(query + content.decode() if content else query)
        if signature.rstrip(_SAFE_SIGNATURE):  # base64 (RSA, Ed25519); hex (HMAC) is sent as it is
            signature = encode_params([("", signature)])[1:]
        url = f"{config.base_url}{endpoint.path}?{query}&signature={signature}"
    elif query:
        url = f"{config.base_url}{endpoint.path}?{query}"
    else:
        url = f"{config.base_url}{endpoint.path}"
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s %s", endpoint.verb, _redact(url))
    return Prepared(endpoint, params, endpoint.verb, url, headers, client_order_id, content)


def _json_body(items: list[tuple[str, str]]) -> bytes:
    """A compact JSON object of the wire items; values that are JSON objects or arrays stay so."""
    body: dict[str, Any] = {}
    for key, value in items:
        body[key] = value
        if value[:1] in ("{", "["):
            with contextlib.suppress(ValueError):
                body[key] = json.loads(value)
    return json.dumps(body, separators=(",", ":")).encode()


def handle(
    prepared: Prepared,
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    config: ClientConfig,
    gate: RateLimitGate,
    sent_ms: int | None = None,
) -> Any:
    """Turn an HTTP answer into the declared response model, or raise the mapped error."""
    gate.observe_headers(headers, sent_ms)
    bucket = _captured.get()
    if bucket is not None:
        bucket.append(headers)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s %s -> %s", prepared.method, _redact(prepared.url), status)
    if status < 300:
        context = {"time_unit": config.time_unit} if config.time_unit else None
        try:
            result = prepared.endpoint.parse(content, prepared.params, context)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            # invalid JSON or a body that does not fit the model: a BinanceError with the body
            text = content.decode("utf-8", "replace")
            if prepared.endpoint.places_order:
                raise order_unknown(prepared, f"HTTP {status} with an unreadable body") from exc
            raise MalformedResponseError(status, f"unreadable response ({type(exc).__name__})", text) from exc
        if prepared.endpoint.name == "exchange_info":
            gate.load_exchange_limits(getattr(result, "rate_limits", None) or ())
        return result
    if 300 <= status < 400:
        raise ClientError(
            status, None, f"{prepared.method} {prepared.endpoint.path}: redirect not followed "
            "(credentials are never sent to another location)", headers,
        )
    try:
        body: Any = json.loads(content)
    except ValueError:
        body = content.decode("utf-8", "replace")
    error = error_from_response(status, body, headers)
    if status in (418, 429):
        after = _retry_after_seconds(headers)
        gate.close_for(after if after is not None else 1.0)
    if prepared.endpoint.places_order and outcome_unknown(error):
        message = error.message if isinstance(error, ServerError) else str(error)
        raise order_unknown(prepared, f"HTTP {status}: {message}", status, headers) from error
    raise error



def order_unknown(
    prepared: Prepared, reason: str, status: int = 0, headers: Mapping[str, str] | None = None
) -> ExecutionStatusUnknown:
    error = ExecutionStatusUnknown(
        f"{prepared.endpoint.dotted}: {reason}", prepared.client_order_id, status, headers,
        prepared.endpoint.client_id_field or "newClientOrderId",
    )
    error.accept_until_ms = accept_until(prepared.url)
    return error


_STAMP = re.compile(r"[?&]recvWindow=([0-9.]+)&timestamp=([0-9]+)")


def accept_until(url: str) -> int | None:
    """``timestamp + recvWindow`` (ms) of a signed URL: the last moment Binance may accept it."""
    found = _STAMP.search(url)
    if found is None:
        return None
    return int(found.group(2)) + int(float(found.group(1))) + 1


def transport_error(prepared: Prepared, exc: Exception) -> BinanceError:
    """Wrap an httpx exception; for an order, the outcome is unknown."""
    import httpx

    sent = not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
    if prepared.endpoint.places_order and sent:
        return order_unknown(prepared, f"{type(exc).__name__}: the request may have reached Binance")
    where = f"{prepared.method} {prepared.endpoint.path}"
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeoutError(f"{where} timed out ({type(exc).__name__})")
    return TransportError(f"{where} failed: {type(exc).__name__}: {exc}")


def is_retryable(exc: BaseException, config: ClientConfig) -> bool:
    """Whether an idempotent request that failed with ``exc`` may be sent again."""
    if isinstance(exc, (TransportError, ServerError)):
        return True
    if isinstance(exc, RateLimitBudgetError):
        return False  # the caller asked to be told instead of waiting
    if isinstance(exc, RateLimitError):
        after = exc.retry_after
        return after is not None and after <= config.retry.max_retry_after
    return False


def wants_retry(exc: BaseException, config: ClientConfig) -> bool:
    """A first failure worth retrying, with retries switched on."""
    return config.retry.max_retries > 0 and is_retryable(exc, config)


def replay_then(first: BaseException, send: Any) -> Any:
    """A callable for tenacity whose first call re-raises ``first`` (the failure already seen),
    so waits and attempt counts stay exact, and whose later calls ``send`` again."""
    pending = [first]

    def attempt(*args: Any) -> Any:
        if pending:
            raise pending.pop()
        return send(*args)

    return attempt


def areplay_then(first: BaseException, send: Any) -> Any:
    """The coroutine-function form of :func:`replay_then`, for ``AsyncRetrying``."""
    again = replay_then(first, send)

    async def attempt(*args: Any) -> Any:
        return await again(*args)

    return attempt


def retry_after_of(exc: BaseException | None) -> float | None:
    return exc.retry_after if isinstance(exc, RateLimitError) else None


def retry_kwargs(config: ClientConfig) -> dict[str, Any]:
    """Arguments for tenacity's ``Retrying`` / ``AsyncRetrying``, built once per client.

    Only idempotent calls go through the retrying wrapper, so the predicate looks at the error
    alone: network errors, 5XX, and 429s whose ``Retry-After`` is short. The wait is exponential
    with jitter, or exactly ``Retry-After`` when Binance gives one.
    """
    import random

    from tenacity import retry_if_exception, stop_after_attempt

    policy = config.retry

    def wait(state: Any) -> float:
        outcome = state.outcome
        after = retry_after_of(outcome.exception() if outcome is not None else None)
        if after is not None:
            return after
        backoff = min(policy.max_wait, policy.initial_wait * 2 ** (state.attempt_number - 1))
        return float(backoff + random.uniform(0, policy.jitter))

    def before_sleep(state: Any) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.warning("retrying after %s (attempt %d): %s", type(exc).__name__, state.attempt_number, exc)

    return {
        "retry": retry_if_exception(lambda exc: is_retryable(exc, config)),
        "stop": stop_after_attempt(policy.max_retries + 1),
        "wait": wait,
        "reraise": True,
        "before_sleep": before_sleep,
    }


def needs_resync(endpoint: Endpoint, exc: BaseException, config: ClientConfig) -> bool:
    """-1021 on a signed call: the clock drifted; resync and resend once (safe: it was rejected)."""
    from .._endpoint import Security
    from ..error import InvalidTimestampError

    return (
        isinstance(exc, InvalidTimestampError)
        and endpoint.security is Security.SIGNED
        and config.resync_on_timestamp_error
    )


def _retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after") or headers.get("Retry-After")
    try:
        return float(value) if value is not None and len(value) < 20 else None
    except ValueError:
        return None


def host_of(base_url: str) -> str:
    """``host[:port]`` of a base URL: the key (with the API key) of the shared rate-limit gate."""
    rest = base_url.split("://", 1)[-1]
    return rest.split("/", 1)[0].lower()


def cost_of(endpoint: Endpoint, params: Params) -> Cost:
    """What ``endpoint`` called with ``params`` spends from the rate-limit budget."""
    weight = endpoint.weight_for(params)
    path = endpoint.path or ""
    kind = "REQUEST_WEIGHT"
    if path.startswith("/sapi"):
        kind = "SAPI_UID_WEIGHT" if endpoint.weight_kind == "UID" else "SAPI_IP_WEIGHT"
    return Cost(max(weight, 0), kind, endpoint.order_weight)


_EXTRA_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.]{0,63}").fullmatch
_RESERVED = frozenset({"signature", "timestamp", "recvWindow", "apiKey"})


def extra_items(extra: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Validate ``extra_params=`` and turn it into wire pairs (sent as given, after the rest)."""
    from decimal import Decimal
    from enum import Enum

    from .._params import wire_value
    from ..error import ParameterValueError

    if not isinstance(extra, Mapping):
        raise ParameterValueError("extra_params must be a mapping of names to values", "extra_params")
    out: list[tuple[str, str]] = []
    for name, value in extra.items():
        if not isinstance(name, str) or not _EXTRA_NAME(name) or name in _RESERVED:
            raise ParameterValueError(f"extra_params: {str(name)[:40]!r} is not a parameter name it may send", "extra_params")
        if isinstance(value, Decimal) and (not value.is_finite() or abs(value.adjusted()) > 40):
            raise ParameterValueError(f"extra_params: {name} is not a plain decimal", name)
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise ParameterValueError(f"extra_params: {name} is outside the LONG range", name)
        if not isinstance(value, (str, int, Decimal, Enum)):
            raise ParameterValueError(f"extra_params: {name} must be a str, int, bool, Decimal or enum", name)
        text = wire_value(value)
        if not text or len(text) > 4096:
            raise ParameterValueError(f"extra_params: {name} must be non-empty text", name)
        out.append((name, text))
    return out


def offset_from(server_ms: int, sent_at: float, received_at: float) -> int:
    """Offset (ms) to add to the local clock, assuming the server stamped mid-flight."""
    return Clock().apply(server_ms, sent_at, received_at)


H = TypeVar("H")


class LazyHttp(Generic[H]):
    """The HTTP client of a transport: the one given, or one built by ``make`` at the first
    request (once, even when threads race), so a client that never sent anything never paid for
    a TLS context and a connection pool."""

    __slots__ = ("_lock", "_make", "_value")

    def __init__(self, value: H | None, make: Callable[[], H] | None, owner: str) -> None:
        if value is None and make is None:
            raise TypeError(f"{owner} needs http or make_http")
        self._value = value
        self._make = make
        self._lock = threading.Lock()

    def get(self) -> H:
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    assert self._make is not None
                    self._value = self._make()
                value = self._value
        return value


class TransportState:
    """What both transports hold: options, the shared gate and clock of (host, key), usage."""

    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        self.gate = gate_for(host_of(config.base_url), config.api_key)
        self.clock = self.gate.clock
        self.limits = RateLimitState(self.gate)
        if config.time_sync_interval is not None:
            self.clock.resync_every = config.time_sync_interval

    @property
    def time_offset_ms(self) -> int:
        return self.clock.offset_ms

    @time_offset_ms.setter
    def time_offset_ms(self, value: int) -> None:
        self.clock.offset_ms = int(value)
