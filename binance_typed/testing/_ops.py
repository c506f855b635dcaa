"""The operation table: each Binance operation written once, served on REST and the WebSocket API.

An :class:`Op` names its REST verb and path, its WebSocket API method, its security, weight and
parameters; :func:`run` parses the parameters (Binance's errors for missing, unknown or malformed
ones), checks the timestamp of signed calls and calls the handler. Authentication (the key and
the signature, which differ between REST and the WebSocket API) is done by the transports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._auth import check_timestamp
from ._errors import ApiError, bad_symbol, mandatory
from ._exchange import Exchange
from ._params import Kind, symbol
from ._runtime import Runtime

__all__ = ["OPS", "REST_ROUTES", "SYMBOL", "Call", "Op", "op", "run", "scale_times"]

SYMBOL = "SYMBOL"
"""Parameter kind: a listed symbol (-1100 when malformed, -1121 when unknown)."""

ParamKind = Kind | str
TIME_KEYS = frozenset({"serverTime", "transactTime", "time", "updateTime", "workingTime", "closeTime", "openTime",
                       "transactionTime", "authorizedSince", "connectedSince"})


@dataclass
class Call:
    """What a handler gets: the runtime, the parsed parameters and the caller's account."""

    rt: Runtime
    p: dict[str, Any]
    account: int | None
    micro: bool = False

    @property
    def ex(self) -> Exchange:
        return self.rt.exchange

    @property
    def acct(self) -> int:
        assert self.account is not None
        return self.account

    def ts(self, ms: int) -> int:
        return ms * 1000 if self.micro and ms >= 0 else ms


@dataclass(frozen=True)
class Op:
    name: str
    verb: str | None
    path: str | None
    security: str
    weight: int | Callable[[dict[str, str]], int]
    params: dict[str, ParamKind]
    required: tuple[str, ...]
    handler: Callable[[Call], Any]
    orders: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def weight_for(self, raw: dict[str, str]) -> int:
        return self.weight(raw) if callable(self.weight) else self.weight


OPS: dict[str, Op] = {}
REST_ROUTES: dict[tuple[str, str], Op] = {}


def op(name: str, verb: str | None = None, path: str | None = None, *, security: str = "NONE",
       weight: int | Callable[[dict[str, str]], int] = 1, required: tuple[str, ...] = (), orders: int = 0,
       **params: ParamKind) -> Callable[[Callable[[Call], Any]], Callable[[Call], Any]]:
    """Declare the handler of one operation (``name`` is its WebSocket API method)."""

    def register(handler: Callable[[Call], Any]) -> Callable[[Call], Any]:
        entry = Op(name, verb, path, security, weight, params, required, handler, orders)
        OPS[name] = entry
        if verb is not None and path is not None:
            REST_ROUTES[(verb, path)] = entry
        return handler

    return register


def parse(entry: Op, raw: dict[str, str], ex: Exchange) -> dict[str, Any]:
    allowed = set(entry.params)
    if entry.security == "SIGNED":
        allowed |= {"timestamp", "recvWindow"}
    for name in entry.required:
        if raw.get(name, "") == "":
            raise mandatory(name)
    unread = [k for k in raw if k not in allowed]
    if unread:
        read = len(raw) - len(unread)
        raise ApiError(-1104, f"Not all sent parameters were read; read '{read}' parameter(s) but was sent '{len(raw)}'.")
    out: dict[str, Any] = {}
    for name, kind in entry.params.items():
        value = raw.get(name)
        if value is None:
            continue
        if value == "":
            raise ApiError(-1105, f"Parameter '{name}' was empty.")
        if kind == SYMBOL:
            out[name] = symbol(name, value)
            if out[name] not in ex.symbols:
                raise bad_symbol()
        else:
            assert callable(kind)
            out[name] = kind(name, value)
    return out


def run(rt: Runtime, entry: Op, raw: dict[str, str], account: int | None, micro: bool = False) -> Any:
    """Parse, check the timestamp of signed calls, and run the handler under the exchange lock."""
    if entry.security == "SIGNED":
        check_timestamp(raw, rt.exchange.now())
    params = parse(entry, raw, rt.exchange)
    with rt.exchange.lock:
        result = entry.handler(Call(rt, params, account, micro))
    return scale_times(result) if micro else result


def scale_times(value: Any) -> Any:
    """Millisecond timestamps -> microseconds, for ``X-MBX-TIME-UNIT: MICROSECOND``."""
    if isinstance(value, dict):
        return {k: (v * 1000 if k in TIME_KEYS and isinstance(v, int) and not isinstance(v, bool) and v > 0
                    else scale_times(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [scale_times(v) for v in value]
    return value


def load_handlers() -> None:
    """Import the handler modules (they register themselves in :data:`OPS`)."""
    from . import _ops_lists, _ops_market, _ops_more, _ops_pending, _ops_trade  # noqa: F401
