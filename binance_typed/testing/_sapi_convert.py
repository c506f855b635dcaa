"""Convert on the local exchange: quotes priced from the books, accepted once before they expire.

A quote converts at the books' mid price less 0.1% (the ``ratio``; ``inverseRatio`` is its inverse),
for any two assets the listed symbols connect (directly or through USDT / BTC).

Stateful endpoints (signed):

- ``POST /sapi/v1/convert/getQuote`` (``fromAsset``, ``toAsset``, one of ``fromAmount`` / ``toAmount``,
  ``walletType`` ``SPOT`` (default) or ``FUNDING``, ``validTime`` ``10s`` (default), ``30s``, ``1m``,
  ``2m``) -> ``quoteId``, ``ratio``, ``inverseRatio``, ``validTimestamp``, ``fromAmount``, ``toAmount``.
  Both or neither amount: ``-1128`` / ``-1102``; assets that do not connect: ``-1130``.
- ``POST /sapi/v1/convert/acceptQuote`` (``quoteId``): moves ``fromAmount`` out of and ``toAmount``
  into the quote's wallet and answers ``{"orderId", "createTime", "orderStatus": "PROCESS"}``. An
  unknown, expired or already accepted quote: ``-1130`` (nothing moves); not enough balance: ``-2010``.
- ``GET /sapi/v1/convert/orderStatus`` (``orderId`` or ``quoteId``): ``SUCCESS`` with the amounts.
- ``GET /sapi/v1/convert/tradeFlow`` (``startTime``, ``endTime``, ``limit``): the accepted quotes.

``LocalBinance.sapi.parts["convert"].validity_ms`` overrides every quote's validity (e.g. ``0`` to
test expiry without waiting).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import Any

from ._errors import INSUFFICIENT_BALANCE, ApiError, invalid_param, mandatory
from ._sapi import SapiCall, SapiState, sapi
from ._symbols import fmt

EIGHT = Decimal("0.00000001")
SPREAD = Decimal("0.999")
VALIDITY = {"10s": 10_000, "30s": 30_000, "1m": 60_000, "2m": 120_000}


@dataclass
class Quote:
    quote_id: str
    account: int
    from_asset: str
    to_asset: str
    from_amount: Decimal
    to_amount: Decimal
    ratio: Decimal
    valid_until: int
    wallet: str
    order_id: int | None = None
    created: int = 0


@dataclass
class ConvertState:
    quotes: dict[str, Quote] = field(default_factory=dict)
    orders: dict[int, Quote] = field(default_factory=dict)
    validity_ms: int | None = None
    ids: Any = field(default_factory=lambda: itertools.count(1))


def convert_state(state: SapiState) -> ConvertState:
    result: ConvertState = state.part("convert", ConvertState)
    return result


def _row(q: Quote) -> dict[str, Any]:
    return {"orderId": q.order_id, "orderStatus": "SUCCESS", "quoteId": q.quote_id, "fromAsset": q.from_asset,
            "fromAmount": fmt(q.from_amount), "toAsset": q.to_asset, "toAmount": fmt(q.to_amount),
            "ratio": fmt(q.ratio), "inverseRatio": fmt(1 / q.ratio), "createTime": q.created}


@sapi("POST", "/sapi/v1/convert/getQuote")
def get_quote(c: SapiCall) -> Any:
    source, target = c.raw["fromAsset"], c.raw["toAsset"]
    from_amount, to_amount = c.dec("fromAmount"), c.dec("toAmount")
    if from_amount is not None and to_amount is not None:
        raise ApiError(-1128)
    if from_amount is None and to_amount is None:
        raise ApiError(-1102, "Param 'fromAmount' or 'toAmount' must be sent, but both were empty/null!")
    price = c.state.price(source, target) if source != target else Decimal(0)
    if price <= 0:
        raise invalid_param("toAsset")
    ratio = (price * SPREAD).quantize(EIGHT, rounding=ROUND_DOWN)
    if from_amount is not None:
        to_amount = (from_amount * ratio).quantize(EIGHT, rounding=ROUND_DOWN)
    else:
        assert to_amount is not None
        from_amount = (to_amount / ratio).quantize(EIGHT, rounding=ROUND_UP)
    if from_amount <= 0 or to_amount <= 0:
        raise invalid_param("fromAmount")
    cs = convert_state(c.state)
    valid = cs.validity_ms if cs.validity_ms is not None else VALIDITY.get(c.text("validTime", "10s") or "10s", 10_000)
    quote = Quote(f"sim{next(cs.ids):013d}", c.acct, source, target, from_amount, to_amount, ratio, c.now() + valid,
                  "FUNDING" if c.text("walletType") == "FUNDING" else "MAIN")
    cs.quotes[quote.quote_id] = quote
    return {"quoteId": quote.quote_id, "ratio": fmt(ratio), "inverseRatio": fmt(1 / ratio),
            "validTimestamp": quote.valid_until, "toAmount": fmt(to_amount), "fromAmount": fmt(from_amount)}


@sapi("POST", "/sapi/v1/convert/acceptQuote")
def accept_quote(c: SapiCall) -> Any:
    quote = convert_state(c.state).quotes.get(c.raw["quoteId"])
    if quote is None or quote.account != c.acct or quote.order_id is not None or c.now() > quote.valid_until:
        raise invalid_param("quoteId")
    short = ApiError(-2010, INSUFFICIENT_BALANCE)
    c.state.move(c.acct, quote.wallet, quote.from_asset, -quote.from_amount, short)
    c.state.move(c.acct, quote.wallet, quote.to_asset, quote.to_amount)
    quote.order_id, quote.created = c.state.next_id() * 1000 + 7, c.now()
    convert_state(c.state).orders[quote.order_id] = quote
    return {"orderId": str(quote.order_id), "createTime": quote.created, "orderStatus": "PROCESS"}


@sapi("GET", "/sapi/v1/convert/orderStatus")
def order_status(c: SapiCall) -> Any:
    cs = convert_state(c.state)
    order_id, quote_id = c.int("orderId"), c.text("quoteId")
    if order_id is None and quote_id is None:
        raise mandatory("orderId")
    quote = cs.orders.get(order_id) if order_id is not None else cs.quotes.get(quote_id or "")
    if quote is None or quote.account != c.acct or quote.order_id is None:
        raise ApiError(-2013)
    out = _row(quote)
    del out["quoteId"]
    return out


@sapi("GET", "/sapi/v1/convert/tradeFlow")
def trade_flow(c: SapiCall) -> Any:
    start, end = c.int("startTime") or 0, c.int("endTime") or 0
    limit = min(1000, c.int("limit", 100) or 100)
    rows = [_row(q) for q in convert_state(c.state).orders.values()
            if q.account == c.acct and start <= q.created <= end]
    return {"list": rows[:limit], "startTime": start, "endTime": end, "limit": limit, "moreData": len(rows) > limit}
