"""Response models of the general and market data endpoints (``client.market``).

Every price and quantity is a :class:`~decimal.Decimal`, every time an aware UTC datetime. The
large list responses (klines, trades, aggregate trades) have fast parsers that build exactly the
objects full validation would build, at a fraction of the cost; see :func:`parse_klines` and
:func:`parse_trades`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property
from itertools import accumulate, chain, repeat
from operator import add, attrgetter, itemgetter, mul, setitem, sub
from typing import Annotated, Any, Generic, Literal, NamedTuple, TypeVar

from pydantic import (
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    Tag,
    TypeAdapter,
    ValidationError,
    create_model,
)
from pydantic_core import CoreSchema, core_schema

from ._base import EPOCH, BinanceModel, Timestamp, fmt_decimal, is_microseconds, loads
from .filters import ExchangeFilter, SymbolFilter

__all__ = [
    "AggTrade",
    "AvgPrice",
    "BlockTrade",
    "BookTicker",
    "EmptyResponse",
    "ExchangeInfo",
    "ExecutionRule",
    "ExecutionRules",
    "Kline",
    "OrderBook",
    "PriceLevel",
    "PriceRangeRule",
    "PriceTicker",
    "RateLimit",
    "ReferencePrice",
    "ReferencePriceCalculation",
    "ServerTime",
    "Sor",
    "SymbolInfo",
    "SymbolRules",
    "Ticker24hr",
    "TickerFull",
    "TickerMini",
    "Trade",
    "UnknownRule",
    "parse_agg_trades",
    "parse_block_trades",
    "parse_klines",
    "parse_trades",
]

_MS = timedelta(milliseconds=1)
_US = timedelta(microseconds=1)
_F = TypeVar("_F", bound=BinanceModel)
_M = TypeVar("_M", bound=BinanceModel)


# -- general --------------------------------------------------------------------------------------
class EmptyResponse(BinanceModel):
    """An empty JSON object (``ping``, ``order/test`` without commission rates)."""


class ServerTime(BinanceModel):
    """Binance's clock."""

    server_time: Timestamp

    @property
    def server_time_ms(self) -> int:
        """``server_time`` in epoch milliseconds, as Binance sent it."""
        return (self.server_time - EPOCH) // _MS


class RateLimit(BinanceModel):
    """One limit of ``exchangeInfo.rateLimits``, e.g. REQUEST_WEIGHT 6000 per 1 MINUTE.

    Binance always sends the four fields; they are optional only because the documented
    example is a placeholder ``{}``.
    """

    rate_limit_type: str | None = None
    """``REQUEST_WEIGHT``, ``ORDERS`` or ``RAW_REQUESTS``."""
    interval: str | None = None
    """``SECOND``, ``MINUTE`` or ``DAY``."""
    interval_num: int | None = None
    limit: int | None = None


class SymbolInfo(BinanceModel):
    """A symbol's trading rules: precisions, allowed order types and features, filters."""

    symbol: str
    status: str
    base_asset: str
    base_asset_precision: int
    quote_asset: str
    quote_precision: int | None = None
    """Same as ``quote_asset_precision``; Binance will drop it in a future API version."""
    quote_asset_precision: int
    base_commission_precision: int
    quote_commission_precision: int
    order_types: list[str]
    iceberg_allowed: bool
    oco_allowed: bool
    oto_allowed: bool = False
    opo_allowed: bool = False
    quote_order_qty_market_allowed: bool
    allow_trailing_stop: bool = False
    cancel_replace_allowed: bool = False
    amend_allowed: bool = False
    peg_instructions_allowed: bool = False
    is_spot_trading_allowed: bool
    is_margin_trading_allowed: bool
    filters: list[SymbolFilter]
    permissions: list[str] = []
    permission_sets: list[list[str]] = []
    """Each inner list is a set of alternatives (any one suffices); every set must be met."""
    default_self_trade_prevention_mode: str | None = None
    allowed_self_trade_prevention_modes: list[str] = []

    def get_filter(self, kind: type[_F]) -> _F | None:
        """The symbol's filter of the given class (``info.get_filter(LotSize)``), if it has one."""
        for item in self.filters:
            if isinstance(item, kind):
                return item
        return None


class Sor(BinanceModel):
    """A Smart Order Routing configuration: the symbols SOR may route between."""

    base_asset: str
    symbols: list[str]


class ExchangeInfo(BinanceModel):
    """Exchange trading rules: rate limits, exchange filters and per-symbol rules."""

    timezone: str
    server_time: Timestamp
    rate_limits: list[RateLimit]
    exchange_filters: list[ExchangeFilter]
    symbols: list[SymbolInfo]
    sors: list[Sor] | None = None
    """Present only where SOR is available."""

    def symbol_info(self, symbol: str) -> SymbolInfo | None:
        """The rules of ``symbol`` (exact, upper-case name), if it is listed.

        Args:
            symbol: the pair's name as Binance lists it, e.g. ``"BTCUSDT"``.
        """
        for info in self.symbols:
            if info.symbol == symbol:
                return info
        return None


class PriceRangeRule(BinanceModel):
    """``PRICE_RANGE``: bid and ask prices must stay within multipliers of the reference price."""

    rule_type: Literal["PRICE_RANGE"] = "PRICE_RANGE"
    bid_limit_mult_up: Decimal
    bid_limit_mult_down: Decimal
    ask_limit_mult_up: Decimal
    ask_limit_mult_down: Decimal


class UnknownRule(BinanceModel):
    """An execution rule type this version does not model; fields kept in ``model_extra``."""

    rule_type: str


def _rule_tag(value: Any) -> str:
    kind = value.get("ruleType") if isinstance(value, dict) else getattr(value, "rule_type", None)
    return "PRICE_RANGE" if kind == "PRICE_RANGE" else "unknown"


ExecutionRule = Annotated[
    Annotated[PriceRangeRule, Tag("PRICE_RANGE")] | Annotated[UnknownRule, Tag("unknown")],
    Discriminator(_rule_tag),
]
"""An execution rule, chosen by ``ruleType``."""


class SymbolRules(BinanceModel):
    """The execution rules of one symbol."""

    symbol: str
    rules: list[ExecutionRule]


class ExecutionRules(BinanceModel):
    """``executionRules``: execution rules per symbol."""

    symbol_rules: list[SymbolRules]


# -- order book -----------------------------------------------------------------------------------
class PriceLevel(NamedTuple):
    """One order book level."""

    price: Decimal
    quantity: Decimal


class OrderBook(BinanceModel):
    """An order book snapshot: bids best (highest) first, asks best (lowest) first."""

    last_update_id: int
    bids: list[PriceLevel]
    asks: list[PriceLevel]


# -- trades ---------------------------------------------------------------------------------------
class Trade(BinanceModel):
    """One trade of the public trade history (``trades``, ``historicalTrades``)."""

    id: int
    price: Decimal
    qty: Decimal
    quote_qty: Decimal
    time: Timestamp
    is_buyer_maker: bool
    is_best_match: bool


class BlockTrade(BinanceModel):
    """One block trade (``historicalBlockTrades``)."""

    id: int
    price: Decimal
    qty: Decimal
    quote_qty: Decimal
    time: Timestamp
    is_buyer_maker: bool


class AggTrade(BinanceModel):
    """Trades of one taker order at one price, aggregated (``aggTrades``)."""

    agg_trade_id: int = Field(alias="a")
    price: Decimal = Field(alias="p")
    qty: Decimal = Field(alias="q")
    first_trade_id: int = Field(alias="f")
    last_trade_id: int = Field(alias="l")
    time: Timestamp = Field(alias="T")
    is_buyer_maker: bool = Field(alias="m")
    is_best_match: bool = Field(alias="M")


_DICT_OF = attrgetter("__dict__")
def _decimals(column: tuple[Any, ...]) -> Iterator[Decimal]:
    """Decimals of a column of decimal strings, converted as validation converts them.

    pydantic reads a string into ``Decimal(string)`` and refuses the non-finite values, all of
    which (``NaN``, ``sNaN``, ``Inf``, ``Infinity``, any case) contain an ``n`` or ``N``: a column
    with a non-string value (TypeError from the join) or either letter (ValueError) is left to
    validation. A string ``Decimal()`` refuses raises InvalidOperation when the map is read.
    """
    text = "".join(column)
    if "n" in text or "N" in text:
        raise ValueError("possibly a non-finite decimal")
    return map(Decimal, column)


class _FastList(Generic[_M]):
    """Parse a JSON array of ``model`` objects through a twin model whose times are JSON integers.

    pydantic-core builds the objects (aliases, Decimals, extras, fields set: everything full
    validation does) without calling the Python timestamp validator once per row; the epoch
    integers are then turned into UTC datetimes in one pass (ms, or µs when the context asks)
    and each object becomes an instance of ``model``. Anything the twin rejects, or a time out
    of range, goes through full validation of ``list[model]`` for its exact error.
    """

    def __init__(self, model: type[_M], time_fields: tuple[str, ...] = ("time",)) -> None:
        self.model = model
        self.time_fields = time_fields

    @cached_property
    def _twin(self) -> TypeAdapter[list[Any]]:
        fields: dict[str, Any] = {
            name: (int, Field(alias=self.model.model_fields[name].alias, strict=True)) for name in self.time_fields
        }
        twin = create_model(f"_{self.model.__name__}Wire", __base__=self.model, **fields)
        return TypeAdapter(list[twin])

    @cached_property
    def full(self) -> TypeAdapter[list[_M]]:
        return TypeAdapter(list[self.model])  # type: ignore[name-defined]

    def __call__(self, content: bytes | str, context: Any) -> list[_M]:
        try:
            objs = self._twin.validate_json(content)
            unit = _US if is_microseconds(context) else _MS
            dicts = list(map(_DICT_OF, objs))
            for name in self.time_fields:
                times = map(add, repeat(EPOCH), map(mul, repeat(unit), map(itemgetter(name), dicts)))
                deque(map(setitem, dicts, repeat(name), times), maxlen=0)
        except (ValidationError, OverflowError, TypeError):
            return self.full.validate_json(content, context=context)
        deque(map(object.__setattr__, objs, repeat("__class__"), repeat(self.model)), maxlen=0)
        return objs


parse_trades: Callable[[bytes | str, Any], list[Trade]] = _FastList(Trade)
"""Fast parser of ``list[Trade]`` (``trades``, ``historicalTrades``)."""
parse_block_trades: Callable[[bytes | str, Any], list[BlockTrade]] = _FastList(BlockTrade)
"""Fast parser of ``list[BlockTrade]``."""
parse_agg_trades: Callable[[bytes | str, Any], list[AggTrade]] = _FastList(AggTrade)
"""Fast parser of ``list[AggTrade]``."""


# -- klines ---------------------------------------------------------------------------------------
class Kline(NamedTuple):
    """One candlestick: a typed, immutable row of Binance's kline array.

    A tuple (it unpacks, indexes and feeds ``pandas.DataFrame`` like the wire row) with named,
    converted fields. The 12th wire element, documented as unused, is dropped.
    """

    open_time: Timestamp
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    close_time: Timestamp
    quote_volume: Decimal
    trades: int
    taker_buy_base_volume: Decimal
    taker_buy_quote_volume: Decimal

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(
            _first_11,
            handler(source),
            serialization=core_schema.plain_serializer_function_ser_schema(_kline_to_wire, when_used="json"),
        )


_KLINE_SIZE = len(Kline._fields)


def _first_11(value: Any) -> Any:
    return value[:_KLINE_SIZE] if isinstance(value, (list, tuple)) else value


def _kline_to_wire(row: Kline) -> list[Any]:
    """JSON form of a candle: the wire row (epoch ms integers, plain decimal strings)."""
    return [
        v if isinstance(v, int) else (v - EPOCH) // _MS if isinstance(v, datetime) else fmt_decimal(v)
        for v in row
    ]


_KLINES: TypeAdapter[list[Kline]] | None = None


def _klines_adapter() -> TypeAdapter[list[Kline]]:
    global _KLINES
    if _KLINES is None:
        _KLINES = TypeAdapter(list[Kline])
    return _KLINES


def _epoch_column(values: tuple[Any, ...], unit: timedelta) -> list[datetime]:
    """Datetimes of an epoch column; an evenly spaced column (consecutive candles) costs one
    addition per value instead of a multiplication and an addition."""
    first, n = values[0], len(values)
    if n > 2 and type(first) is int:
        step = values[1] - first
        if step > 0 and values == tuple(range(first, first + n * step, step)):
            return list(accumulate(repeat(unit * step, n - 1), add, initial=EPOCH + unit * first))
    return list(map(add, repeat(EPOCH), map(mul, repeat(unit), values)))


def parse_klines(content: bytes | str, context: Any) -> list[Kline]:
    """Fast path for ``list[Kline]``: decode once, convert column by column in C-level loops.

    Each column is first checked to hold exactly the JSON type validation takes without coercion
    (integers for the times and the trade count, plain decimal strings for the amounts), then
    converted with the same rules as validation (Decimal from the string, UTC datetime from the
    epoch in ms or µs). A close time is computed as the open time plus the row's duration, which
    is the same for nearly every row. Anything else (a row that is not an array of at least 11
    elements, a number where a string is expected, ``"NaN"``, a float time) goes through full
    validation, which gives the same result or the exact error.
    """
    try:
        rows = loads(content)
        if rows == []:
            return []
        if type(rows) is not list or set(map(type, rows)) != {list}:
            raise TypeError("a klines body is an array of arrays")
        c = list(zip(*rows, strict=False))
        if len(c) < _KLINE_SIZE:
            raise IndexError("kline rows are too short")
        if set(map(type, chain(c[0], c[6], c[8]))) != {int}:
            raise TypeError("kline times and trade counts are integers")
        unit = _US if is_microseconds(context) else _MS
        opens = _epoch_column(c[0], unit)
        durations = list(map(sub, c[6], c[0]))
        kinds = set(durations)
        if len(kinds) == 1:  # every candle equally long: one timedelta for all
            closes: Any = map(add, opens, repeat(unit * kinds.pop()))
        else:
            spans = {n: unit * n for n in kinds}
            closes = map(add, opens, map(spans.__getitem__, durations))
        d = _decimals
        columns = zip(
            opens, d(c[1]), d(c[2]), d(c[3]), d(c[4]), d(c[5]), closes,
            d(c[7]), c[8], d(c[9]), d(c[10]), strict=True,
        )  # fmt: skip
        return list(map(tuple.__new__, repeat(Kline), columns))
    except (TypeError, ValueError, ArithmeticError, IndexError):
        return _klines_adapter().validate_json(content, context=context)


# -- prices and tickers ---------------------------------------------------------------------------
class AvgPrice(BinanceModel):
    """Average price over the last ``mins`` minutes."""

    mins: int
    price: Decimal
    close_time: Timestamp | None = None
    """Time of the last trade counted (added after launch: None when the server omits it)."""


class PriceTicker(BinanceModel):
    """Latest price of a symbol."""

    symbol: str
    price: Decimal


class BookTicker(BinanceModel):
    """Best bid and ask of a symbol."""

    symbol: str
    bid_price: Decimal
    bid_qty: Decimal
    ask_price: Decimal
    ask_qty: Decimal


class TickerMini(BinanceModel):
    """``type=MINI`` statistics of a window: OHLC, volumes and trade ids."""

    symbol: str
    open_price: Decimal
    high_price: Decimal
    low_price: Decimal
    last_price: Decimal
    volume: Decimal
    """Base asset volume."""
    quote_volume: Decimal
    open_time: Timestamp
    close_time: Timestamp
    first_id: int
    """First trade id of the window (-1 when there was no trade)."""
    last_id: int
    count: int
    """Number of trades."""


class TickerFull(TickerMini):
    """``type=FULL`` statistics of a rolling window or trading day: MINI plus price change."""

    price_change: Decimal
    price_change_percent: Decimal
    weighted_avg_price: Decimal


class Ticker24hr(TickerFull):
    """``type=FULL`` 24 hour statistics: FULL plus previous close, last quantity, best bid/ask."""

    prev_close_price: Decimal
    last_qty: Decimal
    bid_price: Decimal
    bid_qty: Decimal
    ask_price: Decimal
    ask_qty: Decimal


class ReferencePrice(BinanceModel):
    """A symbol's reference price (used by price range rules); None when none is set."""

    symbol: str
    reference_price: Decimal | None
    timestamp: Timestamp


class ReferencePriceCalculation(BinanceModel):
    """How a symbol's reference price is calculated.

    ``ARITHMETIC_MEAN`` (in the matching engine) fills the bucket fields; ``EXTERNAL`` fills
    ``external_calculation_id``.
    """

    symbol: str
    calculation_type: str
    bucket_count: int | None = None
    bucket_width_ms: int | None = None
    external_calculation_id: int | None = None

    @property
    def bucket_width(self) -> timedelta | None:
        """``bucket_width_ms`` as a ``timedelta`` (None when absent)."""
        return None if self.bucket_width_ms is None else self.bucket_width_ms * _MS

