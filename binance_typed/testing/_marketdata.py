"""Deterministic candles and the statistics derived from them (tickers, average price).

Candles come from a smooth price curve around each symbol's mid price plus hash noise, so the
same ``(symbol, interval, openTime)`` always gives the same candle. The candle in progress ends
at the last traded price.
"""

from __future__ import annotations

import hashlib
import math
from decimal import Decimal
from typing import Any

from ._exchange import Exchange
from ._symbols import SymbolSpec, fmt

__all__ = ["INTERVALS", "avg_price", "book_ticker", "kline_row", "klines", "last_price", "ticker_24h"]

_S = 1000
_M = 60 * _S
_H = 60 * _M
_D = 24 * _H
INTERVALS: dict[str, int] = {
    "1s": _S, "1m": _M, "3m": 3 * _M, "5m": 5 * _M, "15m": 15 * _M, "30m": 30 * _M, "1h": _H, "2h": 2 * _H,
    "4h": 4 * _H, "6h": 6 * _H, "8h": 8 * _H, "12h": 12 * _H, "1d": _D, "3d": 3 * _D, "1w": 7 * _D, "1M": 30 * _D,
}


def _noise(*key: object) -> float:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def curve(spec: SymbolSpec, t: int) -> Decimal:
    """The reference price at epoch ms ``t`` (within +-3% of mid)."""
    x = t / _D
    factor = 1 + 0.02 * math.sin(2 * math.pi * x) + 0.008 * math.sin(2 * math.pi * x * 8) \
        + 0.002 * (_noise(spec.symbol, t // _M) - 0.5)
    return spec.round_price(spec.mid * Decimal(repr(factor)))


def last_price(ex: Exchange, symbol: str) -> Decimal:
    trades = ex.trades[symbol]
    if trades:
        return trades[-1].price
    return ex.symbols[symbol].mid  # before any trade: the centre of the seeded book, not the clock


def _align(t: int, step: int) -> int:
    return t - t % step


def kline_row(ex: Exchange, spec: SymbolSpec, interval: str, open_time: int, now: int) -> list[Any]:
    step = INTERVALS[interval]
    close_time = open_time + step - 1
    current = open_time <= now <= close_time
    open_ = curve(spec, open_time)
    close = last_price(ex, spec.symbol) if current else curve(spec, close_time + 1)
    spread = Decimal(repr(0.001 + 0.004 * _noise(spec.symbol, interval, open_time)))
    high = spec.round_price(max(open_, close) * (1 + spread))
    low = spec.round_price(min(open_, close) * (1 - spread))
    if current:
        high, low = max(high, close), min(low, close)
    volume = spec.round_qty(spec.maker_qty * Decimal(repr(1 + 20 * _noise("v", spec.symbol, open_time, step))))
    mean = (open_ + close) / 2
    quote = (volume * mean).quantize(Decimal("0.00000001"))
    count = 10 + int(500 * _noise("n", spec.symbol, open_time, step))
    taker_base = spec.round_qty(volume * Decimal("0.52"))
    taker_quote = (taker_base * mean).quantize(Decimal("0.00000001"))
    return [open_time, fmt(open_), fmt(high), fmt(low), fmt(close), fmt(volume), close_time, fmt(quote), count,
            fmt(taker_base), fmt(taker_quote), "0"]


def klines(ex: Exchange, spec: SymbolSpec, interval: str, start: int | None, end: int | None,
           limit: int) -> list[list[Any]]:
    step = INTERVALS[interval]
    now = ex.now()
    last_open = _align(min(end, now) if end is not None else now, step)
    if start is not None:
        first = _align(start, step) if start % step == 0 else _align(start, step) + step
        opens = range(first, last_open + 1, step)
        return [kline_row(ex, spec, interval, t, now) for t in list(opens)[:limit]]
    first = last_open - (limit - 1) * step
    return [kline_row(ex, spec, interval, t, now) for t in range(first, last_open + 1, step)]


def avg_price(ex: Exchange, spec: SymbolSpec) -> dict[str, Any]:
    now = ex.now()
    rows = klines(ex, spec, "1m", None, now, 5)
    mean = sum((Decimal(r[4]) for r in rows), Decimal(0)) / len(rows)
    return {"mins": 5, "price": fmt(mean.quantize(Decimal("0.00000001"))), "closeTime": now}


def book_ticker(ex: Exchange, symbol: str) -> dict[str, Any]:
    book = ex.books[symbol]
    bid = book.levels("BUY", 1)
    ask = book.levels("SELL", 1)
    zero = Decimal(0)
    (bp, bq), (ap, aq) = (bid[0] if bid else (zero, zero)), (ask[0] if ask else (zero, zero))
    return {"symbol": symbol, "bidPrice": fmt(bp), "bidQty": fmt(bq), "askPrice": fmt(ap), "askQty": fmt(aq)}


def ticker_24h(ex: Exchange, spec: SymbolSpec, full: bool = True) -> dict[str, Any]:
    now = ex.now()
    rows = klines(ex, spec, "1h", None, now, 24)
    open_ = Decimal(rows[0][1])
    last = last_price(ex, spec.symbol)
    high = max(max(Decimal(r[2]) for r in rows), last)
    low = min(min(Decimal(r[3]) for r in rows), last)
    volume = sum((Decimal(r[5]) for r in rows), Decimal(0))
    quote = sum((Decimal(r[7]) for r in rows), Decimal(0))
    count = sum(int(r[8]) for r in rows)
    open_time, close_time = now - _D, now
    first_id = ex.trades[spec.symbol][0].id if ex.trades[spec.symbol] else -1
    last_id = ex.trades[spec.symbol][-1].id if ex.trades[spec.symbol] else -1
    out: dict[str, Any] = {"symbol": spec.symbol}
    if full:
        change = last - open_
        bt = book_ticker(ex, spec.symbol)
        out.update(
            priceChange=fmt(change), priceChangePercent=f"{change / open_ * 100:.3f}",
            weightedAvgPrice=fmt((quote / volume).quantize(Decimal("0.00000001"))) if volume else fmt(last),
            prevClosePrice=fmt(open_), lastPrice=fmt(last),
            lastQty=fmt(ex.trades[spec.symbol][-1].qty if ex.trades[spec.symbol] else Decimal(0)),
            bidPrice=bt["bidPrice"], bidQty=bt["bidQty"], askPrice=bt["askPrice"], askQty=bt["askQty"],
        )
    else:
        out["lastPrice"] = fmt(last)
    out.update(openPrice=fmt(open_), highPrice=fmt(high), lowPrice=fmt(low), volume=fmt(volume),
               quoteVolume=fmt(quote), openTime=open_time, closeTime=close_time, firstId=first_id,
               lastId=last_id, count=count)
    if not full:
        out = {k: out[k] for k in ("symbol", "openPrice", "highPrice", "lowPrice", "lastPrice", "volume",
                                   "quoteVolume", "openTime", "closeTime", "firstId", "lastId", "count")}
    return out
