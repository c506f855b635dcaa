"""Market stream payloads built from the exchange state: trade, aggTrade, kline, depth, tickers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ._book import Trade
from ._exchange import Exchange, MarketUpdate
from ._marketdata import INTERVALS, book_ticker, kline_row, ticker_24h
from ._symbols import fmt

__all__ = ["payloads_for", "scale_event", "stream_kind"]

_TIME_KEYS = ("E", "T", "O", "C")


def scale_event(payload: dict[str, Any]) -> dict[str, Any]:
    """A stream event with microsecond timestamps (``timeUnit=MICROSECOND``)."""
    out = dict(payload)
    for key in _TIME_KEYS:
        if isinstance(out.get(key), int) and out[key] > 0:
            out[key] *= 1000
    if isinstance(out.get("k"), dict):
        k = dict(out["k"])
        k["t"], k["T"] = k["t"] * 1000, k["T"] * 1000 + 999
        out["k"] = k
    return out


def stream_kind(name: str) -> tuple[str, str] | None:
    """``"btcusdt@kline_1m"`` -> ``("BTCUSDT", "kline_1m")``; None when not a known stream."""
    symbol, sep, kind = name.partition("@")
    if not sep or not symbol:
        return None
    base = kind.removesuffix("@100ms").removesuffix("@1000ms")
    if base.startswith("kline_") and base[6:] in INTERVALS:
        return symbol.upper(), base
    if base in ("trade", "aggTrade", "bookTicker", "depth", "ticker", "miniTicker", "depth5", "depth10", "depth20"):
        return symbol.upper(), base
    return None


def trade_event(t: Trade, now: int) -> dict[str, Any]:
    return {"e": "trade", "E": now, "s": t.symbol, "t": t.id, "p": fmt(t.price), "q": fmt(t.qty), "T": t.time,
            "m": t.buyer_is_maker, "M": True}


def agg_trade_event(t: Trade, now: int) -> dict[str, Any]:
    return {"e": "aggTrade", "E": now, "s": t.symbol, "a": t.id, "p": fmt(t.price), "q": fmt(t.qty), "f": t.id,
            "l": t.id, "T": t.time, "m": t.buyer_is_maker, "M": True}


def kline_event(ex: Exchange, symbol: str, interval: str, now: int, trades: list[Trade]) -> dict[str, Any]:
    spec = ex.symbols[symbol]
    step = INTERVALS[interval]
    row = kline_row(ex, spec, interval, now - now % step, now)
    first, last = (trades[0].id, trades[-1].id) if trades else (-1, -1)
    return {"e": "kline", "E": now, "s": symbol, "k": {
        "t": row[0], "T": row[6], "s": symbol, "i": interval, "f": first, "L": last, "o": row[1], "c": row[4],
        "h": row[2], "l": row[3], "v": row[5], "n": row[8], "x": False, "q": row[7], "V": row[9], "Q": row[10],
        "B": "0"}}


def depth_update(u: MarketUpdate) -> dict[str, Any]:
    def rows(levels: dict[Decimal, Decimal], reverse: bool) -> list[list[str]]:
        return [[fmt(p), fmt(q)] for p, q in sorted(levels.items(), reverse=reverse)]

    return {"e": "depthUpdate", "E": u.time, "s": u.symbol, "U": u.first_update_id, "u": u.last_update_id,
            "b": rows(u.bids, True), "a": rows(u.asks, False)}


def ticker_event(ex: Exchange, symbol: str, now: int, mini: bool) -> dict[str, Any]:
    t = ticker_24h(ex, ex.symbols[symbol], full=not mini)
    if mini:
        return {"e": "24hrMiniTicker", "E": now, "s": symbol, "c": t["lastPrice"], "o": t["openPrice"],
                "h": t["highPrice"], "l": t["lowPrice"], "v": t["volume"], "q": t["quoteVolume"]}
    return {"e": "24hrTicker", "E": now, "s": symbol, "p": t["priceChange"], "P": t["priceChangePercent"],
            "w": t["weightedAvgPrice"], "x": t["prevClosePrice"], "c": t["lastPrice"], "Q": t["lastQty"],
            "b": t["bidPrice"], "B": t["bidQty"], "a": t["askPrice"], "A": t["askQty"], "o": t["openPrice"],
            "h": t["highPrice"], "l": t["lowPrice"], "v": t["volume"], "q": t["quoteVolume"], "O": t["openTime"],
            "C": t["closeTime"], "F": t["firstId"], "L": t["lastId"], "n": t["count"]}


def snapshot_payload(ex: Exchange, symbol: str, kind: str) -> dict[str, Any] | None:
    """What a stream sends right after subscribing (partial depth), else None."""
    if kind.startswith("depth") and kind != "depth":
        return ex.books[symbol].snapshot(int(kind[5:]))
    return None


def payloads_for(ex: Exchange, update: MarketUpdate, kind: str) -> list[dict[str, Any]]:
    """The events one stream kind emits for a market update."""
    now, trades = update.time, update.trades
    if kind == "trade":
        return [trade_event(t, now) for t in trades]
    if kind == "aggTrade":
        return [agg_trade_event(t, now) for t in trades]
    if kind.startswith("kline_"):
        return [kline_event(ex, update.symbol, kind[6:], now, trades)] if trades else []
    touched = bool(update.bids or update.asks)
    if kind == "depth":
        return [depth_update(update)] if touched else []
    if kind.startswith("depth"):
        return [ex.books[update.symbol].snapshot(int(kind[5:]))] if touched else []
    if kind == "bookTicker":
        if not touched:
            return []
        bt = book_ticker(ex, update.symbol)
        return [{"u": update.last_update_id, "s": update.symbol, "b": bt["bidPrice"], "B": bt["bidQty"],
                 "a": bt["askPrice"], "A": bt["askQty"]}]
    if kind in ("ticker", "miniTicker"):
        return [ticker_event(ex, update.symbol, now, kind == "miniTicker")] if trades else []
    return []
