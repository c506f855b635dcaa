"""General and market data endpoints (``client.market``): public, no key needed."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .._endpoint import Endpoint, Security
from .._params import Params, TimeParam
from ..models.enums import KlineInterval
from ..models.market import EmptyResponse, Kline, OrderBook, ServerTime, parse_klines

Limit1000 = Annotated[int, Field(ge=1, le=1000)]


# -- general ------------------------------------------------------------------------------------
class NoParams(Params):
    """An endpoint without parameters."""


PING = Endpoint(
    group="market", name="ping", verb="GET", path="/api/v3/ping", security=Security.NONE,
    params=NoParams, response=EmptyResponse, weight=1, ws_method="ping",
    summary="Test connectivity to the REST API.",
)

TIME = Endpoint(
    group="market", name="time", verb="GET", path="/api/v3/time", security=Security.NONE,
    params=NoParams, response=ServerTime, weight=1, ws_method="time",
    summary="Read Binance's server time.",
)


# -- market data --------------------------------------------------------------------------------
class DepthParams(Params):
    symbol: str
    limit: Annotated[int, Field(ge=1, le=5000)] | None = None
    symbolStatus: str | None = None


def depth_weight(params: DepthParams) -> int:
    """5 for limit 1-100 (the default), 25 up to 500, 50 up to 1000, 250 up to 5000."""
    limit = params.limit or 100
    return 5 if limit <= 100 else 25 if limit <= 500 else 50 if limit <= 1000 else 250


DEPTH = Endpoint(
    group="market", name="depth", verb="GET", path="/api/v3/depth", security=Security.NONE,
    params=DepthParams, response=OrderBook, weight=depth_weight, ws_method="depth",
    summary="Order book snapshot: bids and asks as (price, quantity) Decimals.",
)


class KlinesParams(Params):
    symbol: str
    interval: KlineInterval
    startTime: TimeParam | None = None
    endTime: TimeParam | None = None
    timeZone: str | None = None
    limit: Limit1000 | None = None


KLINES = Endpoint(
    group="market", name="klines", verb="GET", path="/api/v3/klines", security=Security.NONE,
    params=KlinesParams, response=list[Kline], weight=2, ws_method="klines", parser=parse_klines,
    summary="Candlesticks of a symbol, oldest first.",
)
