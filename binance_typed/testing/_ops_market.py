"""General and market data operations (public)."""

from __future__ import annotations

import json
from typing import Any

from ._errors import ApiError, bad_symbol
from ._marketdata import INTERVALS, avg_price, book_ticker, klines, ticker_24h
from ._ops import SYMBOL, Call, op
from ._params import bounded, enum, integer, symbols, text
from ._symbols import RATE_LIMITS_TEMPLATE

_INTERVAL = enum(*INTERVALS, code=-1120)


def _symbols_weight(single: int, few: int, many: int, all_: int) -> Any:
    def weight(raw: dict[str, str]) -> int:
        if "symbol" in raw:
            return single
        if "symbols" in raw:
            try:
                n = len(json.loads(raw["symbols"]))
            except ValueError:
                return single
            return single if n <= 20 else few if n <= 100 else many
        return all_

    return weight


def _depth_weight(raw: dict[str, str]) -> int:
    try:
        limit = int(raw.get("limit", "100"))
    except ValueError:
        return 5
    return 5 if limit <= 100 else 25 if limit <= 500 else 50 if limit <= 1000 else 250


def _selected(c: Call) -> list[str]:
    if "symbol" in c.p and "symbols" in c.p:
        raise ApiError(-1128)
    if "symbol" in c.p:
        return [c.p["symbol"]]
    if "symbols" in c.p:
        for name in c.p["symbols"]:
            if name not in c.ex.symbols:
                raise bad_symbol()
        return list(c.p["symbols"])
    return list(c.ex.symbols)


def _one_or_list(c: Call, rows: list[dict[str, Any]]) -> Any:
    return rows[0] if "symbol" in c.p else rows


@op("ping", "GET", "/api/v3/ping")
def ping(c: Call) -> Any:
    return {}


@op("time", "GET", "/api/v3/time")
def server_time(c: Call) -> Any:
    return {"serverTime": c.ex.now()}


@op("exchangeInfo", "GET", "/api/v3/exchangeInfo", weight=20, symbol=SYMBOL, symbols=symbols, permissions=text,
    showPermissionSets=text, symbolStatus=enum("TRADING", "HALT", "BREAK", code=-1122))
def exchange_info(c: Call) -> Any:
    limits = [dict(r) for r in RATE_LIMITS_TEMPLATE]
    limits[0] = c.rt.limits.window_limit()
    limits[1]["limit"] = c.rt.limits.orders_10s
    limits[2]["limit"] = c.rt.limits.orders_day
    return {
        "timezone": "UTC", "serverTime": c.ex.now(), "rateLimits": limits, "exchangeFilters": [],
        "symbols": [c.ex.symbols[s].info() for s in _selected(c)], "sors": [],
    }


@op("depth", "GET", "/api/v3/depth", weight=_depth_weight, required=("symbol",), symbol=SYMBOL,
    limit=bounded(1, 5000), symbolStatus=text)
def depth(c: Call) -> Any:
    return c.ex.books[c.p["symbol"]].snapshot(c.p.get("limit", 100))


@op("trades.recent", "GET", "/api/v3/trades", weight=25, required=("symbol",), symbol=SYMBOL,
    limit=bounded(1, 1000))
def trades(c: Call) -> Any:
    rows = c.ex.trades[c.p["symbol"]][-c.p.get("limit", 500):]
    return [t.public() for t in rows]


@op("trades.historical", "GET", "/api/v3/historicalTrades", security="NONE", weight=25, required=("symbol",),
    symbol=SYMBOL, limit=bounded(1, 1000), fromId=integer)
def historical_trades(c: Call) -> Any:
    rows = c.ex.trades[c.p["symbol"]]
    if "fromId" in c.p:
        rows = [t for t in rows if t.id >= c.p["fromId"]]
        return [t.public() for t in rows[: c.p.get("limit", 500)]]
    return [t.public() for t in rows[-c.p.get("limit", 500):]]


@op("trades.aggregate", "GET", "/api/v3/aggTrades", weight=4, required=("symbol",), symbol=SYMBOL,
    fromId=integer, startTime=integer, endTime=integer, limit=bounded(1, 1000))
def agg_trades(c: Call) -> Any:
    rows = c.ex.trades[c.p["symbol"]]
    if "fromId" in c.p:
        rows = [t for t in rows if t.id >= c.p["fromId"]]
    if "startTime" in c.p:
        rows = [t for t in rows if t.time >= c.p["startTime"]]
    if "endTime" in c.p:
        rows = [t for t in rows if t.time <= c.p["endTime"]]
    limit = c.p.get("limit", 500)
    rows = rows[:limit] if ("fromId" in c.p or "startTime" in c.p) else rows[-limit:]
    return [{"a": t.id, "p": f"{t.price:.8f}", "q": f"{t.qty:.8f}", "f": t.id, "l": t.id, "T": c.ts(t.time),
             "m": t.buyer_is_maker, "M": True} for t in rows]


def _klines(c: Call) -> Any:
    spec = c.ex.symbols[c.p["symbol"]]
    start, end = c.p.get("startTime"), c.p.get("endTime")
    if c.micro:
        start = start // 1000 if start is not None else None
        end = end // 1000 if end is not None else None
    rows = klines(c.ex, spec, c.p["interval"], start, end, c.p.get("limit", 500))
    if c.micro:
        for row in rows:
            row[0] *= 1000
            row[6] = row[6] * 1000 + 999
    return rows


_KLINE_PARAMS: dict[str, Any] = dict(symbol=SYMBOL, interval=_INTERVAL, startTime=integer, endTime=integer,
                                     timeZone=text, limit=bounded(1, 1000))
op("klines", "GET", "/api/v3/klines", weight=2, required=("symbol", "interval"), **_KLINE_PARAMS)(_klines)
op("uiKlines", "GET", "/api/v3/uiKlines", weight=2, required=("symbol", "interval"), **_KLINE_PARAMS)(_klines)


@op("avgPrice", "GET", "/api/v3/avgPrice", weight=2, required=("symbol",), symbol=SYMBOL)
def average_price(c: Call) -> Any:
    return avg_price(c.ex, c.ex.symbols[c.p["symbol"]])


@op("ticker.24hr", "GET", "/api/v3/ticker/24hr", weight=_symbols_weight(2, 40, 40, 80), symbol=SYMBOL,
    symbols=symbols, type=enum("FULL", "MINI", code=-1139), symbolStatus=text)
def ticker24(c: Call) -> Any:
    full = c.p.get("type", "FULL") == "FULL"
    return _one_or_list(c, [ticker_24h(c.ex, c.ex.symbols[s], full) for s in _selected(c)])


@op("ticker.price", "GET", "/api/v3/ticker/price", weight=_symbols_weight(2, 4, 4, 4), symbol=SYMBOL,
    symbols=symbols, symbolStatus=text)
def ticker_price(c: Call) -> Any:
    from ._marketdata import last_price

    return _one_or_list(c, [{"symbol": s, "price": f"{last_price(c.ex, s):.8f}"} for s in _selected(c)])


@op("ticker.book", "GET", "/api/v3/ticker/bookTicker", weight=_symbols_weight(2, 4, 4, 4), symbol=SYMBOL,
    symbols=symbols, symbolStatus=text)
def ticker_book(c: Call) -> Any:
    return _one_or_list(c, [book_ticker(c.ex, s) for s in _selected(c)])
