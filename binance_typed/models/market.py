"""Response models of the general and market data endpoints."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from pydantic import model_validator

from ._base import EPOCH, BinanceModel, DecimalStr, Timestamp, from_epoch, is_microseconds

__all__ = [
    "EmptyResponse",
    "Kline",
    "OrderBook",
    "PriceLevel",
    "ServerTime",
    "parse_klines",
]


class EmptyResponse(BinanceModel):
    """An empty JSON object (``ping``, ``order/test`` without commission rates)."""


class ServerTime(BinanceModel):
    """Binance's clock."""

    server_time: Timestamp

    @property
    def server_time_ms(self) -> int:
        return (self.server_time - EPOCH) // timedelta(milliseconds=1)


class PriceLevel(NamedTuple):
    """One order book level."""

    price: Decimal
    quantity: Decimal


class OrderBook(BinanceModel):
    """An order book snapshot: bids best (highest) first, asks best (lowest) first."""

    last_update_id: int
    bids: list[PriceLevel]
    asks: list[PriceLevel]


_KLINE_FIELDS = (
    "open_time",
    "open",
    "high",
    "low",
    "close",
    "volume",
    "close_time",
    "quote_volume",
    "trades",
    "taker_buy_base_volume",
    "taker_buy_quote_volume",
    "unused",
)


class Kline(BinanceModel):
    """One candlestick, read from Binance's 12-element array."""

    open_time: Timestamp
    open: DecimalStr
    high: DecimalStr
    low: DecimalStr
    close: DecimalStr
    volume: DecimalStr
    close_time: Timestamp
    quote_volume: DecimalStr
    trades: int
    taker_buy_base_volume: DecimalStr
    taker_buy_quote_volume: DecimalStr

    @model_validator(mode="before")
    @classmethod
    def _from_array(cls, data: Any) -> Any:
        if isinstance(data, (list, tuple)):
            return dict(zip(_KLINE_FIELDS[:11], data, strict=False))
        return data


def parse_klines(content: bytes | str, context: Any) -> list[Kline]:
    """Fast path for ``list[Kline]``: decode once, build each row without re-validation.

    Equivalent to validating every row (the values are converted with the same rules) at a
    fraction of the cost; a malformed row falls back to full validation for a clear error.
    """
    rows = json.loads(content)
    micro = is_microseconds(context)
    construct = Kline.model_construct
    out: list[Kline] = []
    append = out.append
    D = Decimal
    try:
        for r in rows:
            append(
                construct(
                    open_time=from_epoch(r[0], micro),
                    open=D(r[1]),
                    high=D(r[2]),
                    low=D(r[3]),
                    close=D(r[4]),
                    volume=D(r[5]),
                    close_time=from_epoch(r[6], micro),
                    quote_volume=D(r[7]),
                    trades=int(r[8]),
                    taker_buy_base_volume=D(r[9]),
                    taker_buy_quote_volume=D(r[10]),
                )
            )
    except (TypeError, ValueError, ArithmeticError, IndexError):
        return [Kline.model_validate(r, context=context) for r in rows]
    return out
