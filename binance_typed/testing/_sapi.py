"""``/sapi`` on the local exchange: routing, Binance's checks, the example route and the shared state.

Every ``VERB /sapi/...`` of the catalogue (``spec/sapi/catalogue.json``, compiled by
``scripts/_gen_sapi_sim.py`` into ``_sapi_examples.json``) answers, in this order:

1. weight: an ``IP`` endpoint is charged to the /sapi IP budget (``X-SAPI-USED-IP-WEIGHT-1M``,
   12,000 per minute by default), a ``UID`` endpoint to the caller's account budget
   (``X-SAPI-USED-UID-WEIGHT-1M``, 180,000 per minute); over the budget: 429 ``-1003`` with
   ``Retry-After`` (and 418 after repeated 429s, as on ``/api/v3``). The 7 weights that depend on a
   parameter (``crossMarginData`` without ``coin``, margin orders with ``sideEffectType=MARGIN_BUY``...)
   are charged by their rule;
2. the API key (``X-MBX-APIKEY``: ``-2014`` / ``-2015``) for every security type but ``NONE``;
   for signed endpoints the signature over query + body (``-1102`` when missing, ``-1022`` when
   wrong) and ``timestamp`` / ``recvWindow`` (``-1021``), exactly as ``/api/v3``;
3. each mandatory parameter of the catalogue (``-1102`` "Mandatory parameter 'x' was not sent..."),
   integer / decimal / boolean / enum shapes (``-1100`` / ``-1130``);
4. a stateful handler when there is one (``_sapi_wallet``, ``_sapi_margin``, ``_sapi_earn``,
   ``_sapi_convert``: their docstrings list the endpoints and parameters they serve), otherwise
   the catalogue's example response, or for the 112 endpoints without one a body built from the
   response schema (every field once, amounts as decimal strings, times as epoch ms).

Wallets: ``MAIN`` (SPOT) *is* the spot account of ``/api/v3`` (same balances, and its changes send
``balanceUpdate`` + ``outboundAccountPosition`` on the user data stream); ``MARGIN`` (cross margin)
is a second account of the same matching engine, so margin orders trade against the same books;
``FUNDING`` and the futures / option wallets are plain balances. :class:`SapiState`
(``LocalBinance.sapi``) holds them, with helpers for tests (``deposit``, ``wallet``).

Error codes: where Binance's references give the code (``-3006``, ``-3015``, ``-3045`` margin,
``-1102``, ``-1022``...) the simulator uses it; wallet, earn and convert refusals use Binance's
``-5002`` / ``-4026`` / ``-60xx`` family and, where no code is documented (a reused
``withdrawOrderId`` or convert quote), ``-1130`` naming the parameter at fault.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from starlette.responses import Response

from ._auth import check_timestamp
from ._errors import ApiError, illegal_chars, invalid_param, mandatory
from ._events import balance_update
from ._limits import Limits
from ._params import decimal, integer
from ._runtime import Runtime
from ._symbols import fmt

__all__ = ["HANDLERS", "MARGIN_BASE", "SapiCall", "SapiState", "process_sapi", "sapi", "sapi_state", "table"]

DATA_FILE = Path(__file__).with_name("_sapi_examples.json")
MARGIN_BASE = 1_000_000
"""The matching engine account of user ``n``'s cross-margin wallet is ``MARGIN_BASE + n``."""
IP_LIMIT = 12_000
UID_LIMIT = 180_000
ZERO = Decimal(0)
_INT = re.compile(r"^-?[0-9]{1,20}$")
_NUMBER = re.compile(r"^-?[0-9]{1,20}(\.[0-9]{1,20})?$")

INSUFFICIENT = "You have insufficient balance."


@functools.cache
def table() -> dict[str, dict[str, Any]]:
    """``"VERB /path"`` -> the endpoint's security, weight, mandatory parameters and canned body."""
    data: dict[str, dict[str, Any]] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


# -- state --------------------------------------------------------------------------------------


class SapiState:
    """Everything /sapi keeps beyond the spot account: wallets, histories, loans, positions, quotes.

    ``LocalBinance.sapi`` returns it. Amounts are ``Decimal``; accounts are the simulator's account
    ids (the test account is 1).
    """

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.ex = rt.exchange
        base = rt.limits
        self.ip_limits = Limits(IP_LIMIT, base.weight_window, ban_after=base.ban_after, ban_seconds=base.ban_seconds)
        self.uid_limit = UID_LIMIT
        self.uid_limits: dict[int, Limits] = {}
        self.wallets: dict[tuple[int, str], dict[str, Decimal]] = {}
        self.parts: dict[str, Any] = {}
        self._ids = itertools.count(100_000_001)

    def next_id(self) -> int:
        return next(self._ids)

    def part(self, name: str, factory: Callable[[], Any]) -> Any:
        """The state of one product module (created on first use)."""
        if name not in self.parts:
            self.parts[name] = factory()
        return self.parts[name]

    def uid(self, account: int) -> Limits:
        """The weight budget of one account (``uid_limit`` per window, changes apply at once)."""
        if account not in self.uid_limits:
            base = self.rt.limits
            self.uid_limits[account] = Limits(self.uid_limit, base.weight_window, ban_after=base.ban_after,
                                              ban_seconds=base.ban_seconds)
        limits = self.uid_limits[account]
        limits.weight_limit = self.uid_limit
        return limits

    def reset_limits(self) -> None:
        self.ip_limits.reset()
        self.uid_limits.clear()

    # -- wallets ------------------------------------------------------------------------------
    def wallet(self, account: int, wallet: str = "MAIN") -> dict[str, Decimal]:
        """``{asset: free}`` of one wallet: ``MAIN`` (spot), ``MARGIN``, ``FUNDING``, ``UMFUTURE``..."""
        with self.ex.lock:
            if wallet in ("MAIN", "SPOT", "MARGIN"):
                engine = account if wallet != "MARGIN" else MARGIN_BASE + account
                return {a: b.free for a, b in self.ex.account_balances(engine).items()}
            return dict(self.wallets.get((account, wallet), {}))

    def move(self, account: int, wallet: str, asset: str, delta: Decimal, short: ApiError | None = None) -> None:
        """Add ``delta`` (negative: take) to ``asset`` in ``wallet``; raise ``short`` when it would go below 0."""
        with self.ex.lock:
            if wallet in ("MAIN", "SPOT", "MARGIN"):
                engine = account if wallet != "MARGIN" else MARGIN_BASE + account
                with self.ex._operation():
                    bal = self.ex._bal(engine, asset)
                    if bal.free + delta < 0:
                        raise short or ApiError(-5002, INSUFFICIENT)
                    bal.free += delta
                    self.ex._user(engine, balance_update(asset, delta, self.ex.now()))
                    self.ex._asset(engine, asset)
                return
            held = self.wallets.setdefault((account, wallet), {})
            if held.get(asset, ZERO) + delta < 0:
                raise short or ApiError(-5002, INSUFFICIENT)
            held[asset] = held.get(asset, ZERO) + delta

    def deposit(self, coin: str, amount: Decimal | str | int, account: int = 1, network: str | None = None,
                tx_id: str | None = None) -> dict[str, Any]:
        """An incoming deposit: credits SPOT and adds a successful row to the deposit history."""
        from ._sapi_wallet import record_deposit

        with self.ex.lock:
            return record_deposit(self, account, coin, Decimal(amount), network, tx_id)

    # -- prices (valuations in BTC / USDT) ----------------------------------------------------
    def price(self, asset: str, quote: str = "BTC") -> Decimal:
        """Mid price of ``asset`` in ``quote`` through the listed symbols (direct, inverse or via USDT / BTC)."""
        if asset == quote:
            return Decimal(1)
        mids = {(s.base, s.quote): self.mid(sym) for sym, s in self.ex.symbols.items()}
        if (asset, quote) in mids:
            return mids[(asset, quote)]
        if (quote, asset) in mids:
            return Decimal(1) / mids[(quote, asset)]
        for via in ("USDT", "BTC"):
            if via not in (asset, quote):
                first = mids.get((asset, via)) or (1 / mids[(via, asset)] if (via, asset) in mids else None)
                second = mids.get((via, quote)) or (1 / mids[(quote, via)] if (quote, via) in mids else None)
                if first and second:
                    return first * second
        return ZERO

    def mid(self, symbol: str) -> Decimal:
        book, spec = self.ex.books[symbol], self.ex.symbols[symbol]
        bid, ask = book.best("BUY"), book.best("SELL")
        if bid is not None and ask is not None:
            return (bid + ask) / 2
        last = self.ex.trades[symbol][-1].price if self.ex.trades[symbol] else None
        return bid or ask or last or spec.mid


def sapi_state(rt: Runtime) -> SapiState:
    """The runtime's /sapi state (created on first use)."""
    state = getattr(rt, "sapi_state", None)
    if state is None:
        state = SapiState(rt)
        rt.sapi_state = state  # type: ignore[attr-defined]
    return state


# -- handlers -----------------------------------------------------------------------------------


@dataclass
class SapiCall:
    """What a /sapi handler gets: the state, the sent parameters (text) and the caller's account."""

    state: SapiState
    raw: dict[str, str]
    account: int | None

    @property
    def ex(self) -> Any:
        return self.state.ex

    @property
    def acct(self) -> int:
        assert self.account is not None
        return self.account

    def now(self) -> int:
        return int(self.state.ex.now())

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.raw.get(name)
        return default if value is None or value == "" else value

    def dec(self, name: str, default: Decimal | None = None) -> Decimal | None:
        value = self.raw.get(name)
        return default if value is None or value == "" else decimal(name, value)

    def need_dec(self, name: str) -> Decimal:
        value = self.dec(name)
        if value is None:
            raise mandatory(name)
        return value

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        return default if value is None or value == "" else integer(name, value)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        return default if value is None or value == "" else value.lower() == "true"


Handler = Callable[[SapiCall], Any]
HANDLERS: dict[str, Handler] = {}


def sapi(verb: str, path: str) -> Callable[[Handler], Handler]:
    """Register the stateful handler of ``VERB path`` (which must be in the catalogue)."""

    def register(handler: Handler) -> Handler:
        key = f"{verb} {path}"
        if key not in table():
            raise KeyError(f"{key} is not in the /sapi catalogue")
        HANDLERS[key] = handler
        return handler

    return register


def page(rows: list[Any], c: SapiCall, size_default: int = 10, size_max: int = 100) -> dict[str, Any]:
    """``{"total", "rows"}`` of the page ``current`` (from 1) of ``size`` rows."""
    current = max(1, c.int("current", 1) or 1)
    size = min(size_max, max(1, c.int("size", size_default) or size_default))
    return {"total": len(rows), "rows": rows[(current - 1) * size: current * size]}


def in_window(c: SapiCall, stamp: int) -> bool:
    start, end = c.int("startTime"), c.int("endTime")
    return (start is None or stamp >= start) and (end is None or stamp <= end)


def amount_text(value: Decimal) -> str:
    return fmt(value)


@functools.cache
def load_handlers() -> None:
    """Import the stateful product modules (they register themselves in :data:`HANDLERS`)."""
    from . import _sapi_convert, _sapi_earn, _sapi_margin, _sapi_wallet  # noqa: F401


# -- the request path ---------------------------------------------------------------------------


def weight_of(meta: dict[str, Any], raw: dict[str, str]) -> int:
    rule = meta.get("rule")
    if rule is None:
        return int(meta["w"][1] or 1)
    sent = raw.get(rule["param"], "")
    hit = sent != "" and ("values" not in rule or sent in rule["values"])
    return int(rule["then"] if hit else rule["else"])


def check_shapes(meta: dict[str, Any], raw: dict[str, str]) -> None:
    for name in meta["req"]:
        if raw.get(name, "") == "":
            raise mandatory(name)
    for name, spec in meta.get("types", {}).items():
        value = raw.get(name)
        if value is None or value == "":
            continue
        kind = spec[0]
        if kind == "integer" and not _INT.match(value):
            raise illegal_chars(name, "^-?[0-9]{1,20}$")
        if kind == "number" and not _NUMBER.match(value):
            raise illegal_chars(name, "^-?[0-9]{1,20}(\\.[0-9]{1,20})?$")
        if kind == "boolean" and value.lower() not in ("true", "false"):
            raise invalid_param(name)
        if kind == "enum":
            values = spec[1:]
            if values == ["TRUE", "FALSE"]:  # isIsolated: either case
                value = value.upper()
            if value not in values:
                raise invalid_param(name)


def _unsigned(text: str) -> str:
    return "&".join(p for p in text.split("&") if p and not p.startswith("signature="))


def authenticate(rt: Runtime, meta: dict[str, Any], headers: dict[str, str], query: str, body: str,
                 raw: dict[str, str]) -> int | None:
    """The caller's account (None for ``NONE`` endpoints); signed ones: signature + timestamp."""
    if meta["sec"] == "NONE" and not meta["signed"]:
        raw.pop("signature", None)
        return None
    api = rt.keys.lookup(headers.get("x-mbx-apikey"))
    signature = raw.pop("signature", "")
    if meta["signed"]:
        if not signature:
            raise mandatory("signature")
        signed_text = _unsigned(query) + ("" if meta.get("json_body") else _unsigned(body))
        if not api.verify(signed_text, signature):
            raise ApiError(-1022)
        check_timestamp(raw, rt.exchange.now())
    return api.account


def _params(query: str, body: str, json_body: bool) -> dict[str, str]:
    from ._rest import params_of

    if json_body and body.lstrip().startswith("{"):
        try:
            sent = json.loads(body)
        except ValueError:
            raise ApiError(-1135) from None
        raw = params_of(query, "")
        for key, value in sent.items():
            raw[key] = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        return raw
    return params_of(query, body)


def process_sapi(rt: Runtime, method: str, path: str, query: str, body: str, headers: dict[str, str]) -> Response:
    """Answer one /sapi request (called by the REST route after faults and recording)."""
    from ._rest import JSON, dumps

    key = f"{method} {path}"
    meta = table().get(key)
    if meta is None:
        return Response("", status_code=404)
    load_handlers()
    state = sapi_state(rt)
    extra: dict[str, str] = {}
    kind = meta["w"][0]
    try:
        raw = _params(query, body, bool(meta.get("json_body")))
        weight = weight_of(meta, raw)
        if kind == "IP":
            try:
                state.ip_limits.charge(weight)
            finally:
                extra["X-SAPI-USED-IP-WEIGHT-1M"] = str(state.ip_limits.used_weight)
        account = authenticate(rt, meta, headers, query, body, raw)
        if kind == "UID":
            limits = state.uid(account or 0)
            try:
                limits.charge(weight)
            finally:
                extra["X-SAPI-USED-UID-WEIGHT-1M"] = str(limits.used_weight)
        check_shapes(meta, raw)
        handler = HANDLERS.get(key)
        if handler is None:
            result = meta["body"]
        else:
            with rt.exchange.lock:
                result = handler(SapiCall(state, raw, account))
    except ApiError as error:
        extra.update(error.headers)
        return Response(dumps(error.body()), status_code=error.status, headers=extra, media_type=JSON)
    return Response(dumps(result), headers=extra, media_type=JSON)
