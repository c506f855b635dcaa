"""General and market data endpoints (``client.market``): public, no key needed."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from .._endpoint import ABSENT, GIVEN, Endpoint, Overload, Security
from .._params import Params, TimeParam
from ..error import ParameterValueError
from ..models.enums import KlineInterval, Permission, SymbolStatusFilter, TickerType, WindowSize
from ..models.market import (
    AggTrade,
    AvgPrice,
    BlockTrade,
    BookTicker,
    EmptyResponse,
    ExchangeInfo,
    ExecutionRules,
    Kline,
    OrderBook,
    PriceTicker,
    ReferencePrice,
    ReferencePriceCalculation,
    ServerTime,
    Ticker24hr,
    TickerFull,
    TickerMini,
    Trade,
    parse_agg_trades,
    parse_block_trades,
    parse_klines,
    parse_trades,
)

Symbol = Annotated[str, Field(min_length=1)]
Symbols = Annotated[list[Symbol], Field(min_length=1)]
Symbols100 = Annotated[list[Symbol], Field(min_length=1, max_length=100)]
Limit1000 = Annotated[int, Field(ge=1, le=1000)]
TradeId = Annotated[int, Field(ge=0)]

_TIME_ZONE = re.compile(r"\A([+-]?)([0-9]{1,2})(?::([0-9]{2}))?\Z")


def _check_time_zone(value: str) -> str:
    """``timeZone``: hours (``8``, ``-5``) or hours:minutes (``05:45``), from -12:00 to +14:00."""
    match = _TIME_ZONE.match(value)
    if match is None:
        raise ValueError("timeZone must be hours or hours:minutes, e.g. '8', '-1:00', '05:45'")
    sign, hours, minutes = match.groups()
    if minutes is not None and int(minutes) > 59:
        raise ValueError("timeZone minutes must be 00-59")
    offset = (int(hours) * 60 + int(minutes or 0)) * (-1 if sign == "-" else 1)
    if not -12 * 60 <= offset <= 14 * 60:
        raise ValueError("timeZone must be within -12:00 and +14:00")
    return value


TimeZone = Annotated[str, AfterValidator(_check_time_zone)]

_WINDOW = re.compile(r"\A(?:(?:[1-9]|[1-5][0-9])m|(?:[1-9]|1[0-9]|2[0-3])h|[1-7]d)\Z")


def _check_window(value: str) -> str:
    if not _WINDOW.match(value):
        raise ValueError("windowSize must be 1m-59m, 1h-23h or 1d-7d")
    return value


WindowSizeParam = WindowSize | Annotated[str, AfterValidator(_check_window)]
"""A rolling window: a :class:`WindowSize` member or any of ``1m``-``59m``, ``1h``-``23h``, ``1d``-``7d``."""


def _symbol_xor_symbols(p: Params, required: bool) -> None:
    """symbol and symbols are exclusive; with ``required``, exactly one must be sent."""
    p.one_of("symbol", "symbols", exactly=required)


def _check_time_range(p: Params) -> None:
    start, end = getattr(p, "startTime", None), getattr(p, "endTime", None)
    if start is not None and end is not None and start > end:
        raise ParameterValueError("startTime must not be after endTime", "startTime")


def _per_symbol_capped(params: Params) -> int:
    symbols = getattr(params, "symbols", None)
    return min(4 * len(symbols), 200) if symbols is not None else 4


# -- general --------------------------------------------------------------------------------------
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


class ExchangeInfoParams(Params):
    symbol: Symbol | None = None
    symbols: Symbols | None = None
    permissions: Permission | list[Permission] | None = None
    showPermissionSets: bool | None = None
    symbolStatus: SymbolStatusFilter | None = None

    def check(self) -> None:
        _symbol_xor_symbols(self, required=False)
        if self.symbol is not None or self.symbols is not None:
            self.forbid("permissions", because="with symbol or symbols")
            self.forbid("symbolStatus", because="with symbol or symbols")


EXCHANGE_INFO = Endpoint(
    group="market", name="exchange_info", verb="GET", path="/api/v3/exchangeInfo", security=Security.NONE,
    params=ExchangeInfoParams, response=ExchangeInfo, weight=20, ws_method="exchangeInfo",
    summary="Trading rules: rate limits, exchange filters, and each symbol's filters and features.",
    extra_doc="Filter by symbol, symbols, permissions (one or a list) or symbolStatus; permissions and\n"
    "symbolStatus cannot be combined with symbol or symbols.",
)


class ExecutionRulesParams(Params):
    symbol: Symbol | None = None
    symbols: Symbols | None = None
    symbolStatus: SymbolStatusFilter | None = None

    def check(self) -> None:
        self.one_of("symbol", "symbols", "symbolStatus")


def execution_rules_weight(params: ExecutionRulesParams) -> int:
    """2 for one symbol, 2 per symbol of symbols (at most 40), 40 with symbolStatus or no filter."""
    if params.symbol is not None:
        return 2
    if params.symbols is not None:
        return min(2 * len(params.symbols), 40)
    return 40


EXECUTION_RULES = Endpoint(
    group="market", name="execution_rules", verb="GET", path="/api/v3/executionRules", security=Security.NONE,
    params=ExecutionRulesParams, response=ExecutionRules, weight=execution_rules_weight,
    ws_method="executionRules",
    summary="Execution rules (price ranges) of one, several or all symbols.",
    extra_doc="At most one of symbol, symbols and symbolStatus.",
)


# -- order book and trades ------------------------------------------------------------------------
class DepthParams(Params):
    symbol: Symbol
    limit: Annotated[int, Field(ge=1)] | None = None
    """At most 5000 levels come back; a larger limit is accepted and returns 5000."""
    symbolStatus: SymbolStatusFilter | None = None


def depth_weight(params: DepthParams) -> int:
    """5 for limit 1-100 (the default), 25 up to 500, 50 up to 1000, 250 up to 5000."""
    limit = params.limit or 100
    return 5 if limit <= 100 else 25 if limit <= 500 else 50 if limit <= 1000 else 250


DEPTH = Endpoint(
    group="market", name="depth", verb="GET", path="/api/v3/depth", security=Security.NONE,
    params=DepthParams, response=OrderBook, weight=depth_weight, ws_method="depth",
    summary="Order book snapshot: bids and asks as (price, quantity) Decimals.",
)


class TradesParams(Params):
    symbol: Symbol
    limit: Limit1000 | None = None


TRADES = Endpoint(
    group="market", name="trades", verb="GET", path="/api/v3/trades", security=Security.NONE,
    params=TradesParams, response=list[Trade], weight=25, ws_method="trades.recent", parser=parse_trades,
    summary="The most recent trades of a symbol (default 500, at most 1000), oldest first.",
)


class HistoricalTradesParams(Params):
    symbol: Symbol
    limit: Limit1000 | None = None
    fromId: TradeId | None = None


HISTORICAL_TRADES = Endpoint(
    group="market", name="historical_trades", verb="GET", path="/api/v3/historicalTrades",
    security=Security.NONE, params=HistoricalTradesParams, response=list[Trade], weight=25,
    ws_method="trades.historical", parser=parse_trades,
    summary="Older trades of a symbol, from trade id fromId (default: the most recent).",
)


class HistoricalBlockTradesParams(Params):
    symbol: Symbol
    fromId: TradeId
    limit: Limit1000 | None = None


HISTORICAL_BLOCK_TRADES = Endpoint(
    group="market", name="historical_block_trades", verb="GET", path="/api/v3/historicalBlockTrades",
    security=Security.NONE, params=HistoricalBlockTradesParams, response=list[BlockTrade], weight=25,
    ws_method="blockTrades.historical", parser=parse_block_trades,
    summary="Block trades of a symbol from block trade id fromId.",
)


class AggTradesParams(Params):
    symbol: Symbol
    fromId: TradeId | None = None
    startTime: TimeParam | None = None
    endTime: TimeParam | None = None
    limit: Limit1000 | None = None

    def check(self) -> None:
        _check_time_range(self)


AGG_TRADES = Endpoint(
    group="market", name="agg_trades", verb="GET", path="/api/v3/aggTrades", security=Security.NONE,
    params=AggTradesParams, response=list[AggTrade], weight=4, ws_method="trades.aggregate",
    parser=parse_agg_trades,
    summary="Aggregate trades (fills of one taker order at one price), from an id or a time range.",
    extra_doc="Without fromId, startTime and endTime, the most recent aggregate trades are returned.",
)


# -- klines ---------------------------------------------------------------------------------------
class KlinesParams(Params):
    symbol: Symbol
    interval: KlineInterval
    startTime: TimeParam | None = None
    endTime: TimeParam | None = None
    timeZone: TimeZone | None = None
    limit: Limit1000 | None = None

    def check(self) -> None:
        _check_time_range(self)


KLINES = Endpoint(
    group="market", name="klines", verb="GET", path="/api/v3/klines", security=Security.NONE,
    params=KlinesParams, response=list[Kline], weight=2, ws_method="klines", parser=parse_klines,
    summary="Candlesticks of a symbol, oldest first.",
    extra_doc="timeZone (e.g. '8', '-1:00', '05:45') shifts the interval boundaries; startTime and\n"
    "endTime stay UTC.",
)

UI_KLINES = Endpoint(
    group="market", name="ui_klines", verb="GET", path="/api/v3/uiKlines", security=Security.NONE,
    params=KlinesParams, response=list[Kline], weight=2, ws_method="uiKlines", parser=parse_klines,
    summary="Candlesticks adjusted for chart display; same parameters and rows as klines.",
)


# -- prices and tickers ---------------------------------------------------------------------------
class AvgPriceParams(Params):
    symbol: Symbol


AVG_PRICE = Endpoint(
    group="market", name="avg_price", verb="GET", path="/api/v3/avgPrice", security=Security.NONE,
    params=AvgPriceParams, response=AvgPrice, weight=2, ws_method="avgPrice",
    summary="Current average price of a symbol.",
)


def _ticker_overloads(single_full: object, list_full: object, *, symbols_given: bool) -> tuple[Overload, ...]:
    """Response shape by (symbol given or not) x (type MINI, FULL or absent): six exclusive cases."""
    many = {"symbol": ABSENT, "symbols": GIVEN} if symbols_given else {"symbol": ABSENT}
    return (
        Overload({"symbol": GIVEN, "type": (TickerType.MINI,)}, TickerMini),
        Overload({"symbol": GIVEN, "type": (TickerType.FULL,)}, single_full),
        Overload({"symbol": GIVEN, "type": ABSENT}, single_full),
        Overload({**many, "type": (TickerType.MINI,)}, list[TickerMini]),
        Overload({**many, "type": (TickerType.FULL,)}, list_full),
        Overload({**many, "type": ABSENT}, list_full),
    )


class Ticker24hrParams(Params):
    symbol: Symbol | None = None
    symbols: Symbols | None = None
    type: TickerType | None = None
    symbolStatus: SymbolStatusFilter | None = None

    def check(self) -> None:
        _symbol_xor_symbols(self, required=False)


def ticker_24hr_weight(params: Ticker24hrParams) -> int:
    """2 for one symbol; symbols: 2 for 1-20, 40 for 21-100, 80 above; 80 for all symbols."""
    if params.symbol is not None:
        return 2
    if params.symbols is None:
        return 80
    count = len(params.symbols)
    return 2 if count <= 20 else 40 if count <= 100 else 80


TICKER_24HR = Endpoint(
    group="market", name="ticker_24hr", verb="GET", path="/api/v3/ticker/24hr", security=Security.NONE,
    params=Ticker24hrParams, response=Ticker24hr | TickerMini | list[Ticker24hr] | list[TickerMini],
    weight=ticker_24hr_weight, ws_method="ticker.24hr",
    overloads=_ticker_overloads(Ticker24hr, list[Ticker24hr], symbols_given=False),
    summary="24 hour rolling statistics of one symbol (an object) or of several or all (a list).",
    extra_doc="type='MINI' leaves out the price change, previous close and best bid/ask fields.\n"
    "Careful: without symbol or symbols it returns every symbol at weight 80.",
)


class TickerTradingDayParams(Params):
    symbol: Symbol | None = None
    symbols: Symbols100 | None = None
    timeZone: TimeZone | None = None
    type: TickerType | None = None
    symbolStatus: SymbolStatusFilter | None = None

    def check(self) -> None:
        _symbol_xor_symbols(self, required=True)


def ticker_trading_day_weight(params: TickerTradingDayParams) -> int:
    """4 per requested symbol, at most 200 (reached above 50 symbols)."""
    return _per_symbol_capped(params)


TICKER_TRADING_DAY = Endpoint(
    group="market", name="ticker_trading_day", verb="GET", path="/api/v3/ticker/tradingDay",
    security=Security.NONE, params=TickerTradingDayParams,
    response=TickerFull | TickerMini | list[TickerFull] | list[TickerMini],
    weight=ticker_trading_day_weight, ws_method="ticker.tradingDay",
    overloads=_ticker_overloads(TickerFull, list[TickerFull], symbols_given=True),
    summary="Price change statistics of the current trading day for symbol (an object) or symbols (a list).",
    extra_doc="Exactly one of symbol and symbols (at most 100); timeZone sets where the day starts.",
)


class TickerPriceParams(Params):
    symbol: Symbol | None = None
    symbols: Symbols | None = None
    symbolStatus: SymbolStatusFilter | None = None

    def check(self) -> None:
        _symbol_xor_symbols(self, required=False)


def ticker_price_weight(params: TickerPriceParams) -> int:
    """2 for one symbol, 4 for symbols or all symbols."""
    return 2 if params.symbol is not None else 4


_SINGLE_OR_LIST_PRICE = (
    Overload({"symbol": GIVEN}, PriceTicker),
    Overload({"symbol": ABSENT}, list[PriceTicker]),
)

TICKER_PRICE = Endpoint(
    group="market", name="ticker_price", verb="GET", path="/api/v3/ticker/price", security=Security.NONE,
    params=TickerPriceParams, response=PriceTicker | list[PriceTicker], weight=ticker_price_weight,
    ws_method="ticker.price", overloads=_SINGLE_OR_LIST_PRICE,
    summary="Latest price of one symbol (an object) or of several or all symbols (a list).",
)

_SINGLE_OR_LIST_BOOK = (
    Overload({"symbol": GIVEN}, BookTicker),
    Overload({"symbol": ABSENT}, list[BookTicker]),
)

BOOK_TICKER = Endpoint(
    group="market", name="book_ticker", verb="GET", path="/api/v3/ticker/bookTicker", security=Security.NONE,
    params=TickerPriceParams, response=BookTicker | list[BookTicker], weight=ticker_price_weight,
    ws_method="ticker.book", overloads=_SINGLE_OR_LIST_BOOK,
    summary="Best bid and ask of one symbol (an object) or of several or all symbols (a list).",
)


class TickerParams(Params):
    symbol: Symbol | None = None
    symbols: Symbols100 | None = None
    windowSize: WindowSizeParam | None = None
    type: TickerType | None = None
    symbolStatus: SymbolStatusFilter | None = None

    def check(self) -> None:
        _symbol_xor_symbols(self, required=True)


def ticker_weight(params: TickerParams) -> int:
    """4 per requested symbol whatever the window, at most 200 (reached above 50 symbols)."""
    return _per_symbol_capped(params)


TICKER = Endpoint(
    group="market", name="ticker", verb="GET", path="/api/v3/ticker", security=Security.NONE,
    params=TickerParams, response=TickerFull | TickerMini | list[TickerFull] | list[TickerMini],
    weight=ticker_weight, ws_method="ticker",
    overloads=_ticker_overloads(TickerFull, list[TickerFull], symbols_given=True),
    summary="Rolling window statistics (windowSize, default 1d) for symbol (an object) or symbols (a list).",
    extra_doc="Exactly one of symbol and symbols (at most 100). windowSize: 1m-59m, 1h-23h or 1d-7d;\n"
    "the window opens on a minute boundary, so it may be up to 59999 ms wider than asked.",
)


class ReferencePriceParams(Params):
    symbol: Symbol


REFERENCE_PRICE = Endpoint(
    group="market", name="reference_price", verb="GET", path="/api/v3/referencePrice",
    security=Security.NONE, params=ReferencePriceParams, response=ReferencePrice, weight=2,
    ws_method="referencePrice",
    summary="A symbol's reference price (None when unset; error -2043 when it never had one).",
)


class ReferencePriceCalculationParams(Params):
    symbol: Symbol
    symbolStatus: SymbolStatusFilter | None = None


REFERENCE_PRICE_CALCULATION = Endpoint(
    group="market", name="reference_price_calculation", verb="GET", path="/api/v3/referencePrice/calculation",
    security=Security.NONE, params=ReferencePriceCalculationParams, response=ReferencePriceCalculation,
    weight=2, ws_method="referencePrice.calculation",
    summary="How a symbol's reference price is calculated (error -2043 when it is not).",
)
