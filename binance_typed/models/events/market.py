"""Market stream events, decoded fast into typed, frozen pydantic models.

Every payload of the market streams has a model with readable attribute names; the wire's
one-letter keys are the aliases (``event.price`` reads ``"p"``, ``event.event_time`` reads
``"E"``). Prices and quantities are :class:`~decimal.Decimal`; times are aware UTC datetimes, read
as microseconds when the connection asked for ``timeUnit=MICROSECOND``.

Most payloads carry their type in ``"e"``; two do not (``bookTicker`` and the partial depth
``depth<levels>``) and are recognised by their stream name. :func:`decode_event` does it all::

    event = decode_event(raw_text)                          # raw or combined-stream frame
    event = decode_event(raw_text, stream="btcusdt@bookTicker", time_unit="MICROSECOND")

Speed: a stream can deliver thousands of messages per second, so decoding does not run pydantic
validation on the hot path. After ``json.loads`` the event type selects a builder, generated once
per model from its fields, that converts each value directly (``Decimal(...)``, epoch to datetime)
and creates the frozen model without validation. Anything unusual (a missing or extra key, a value
of an unexpected type) falls back to full pydantic validation, and an unknown or invalid payload
becomes an :class:`UnknownEvent` instead of raising: a new event type never crashes a bot.
"""

from __future__ import annotations

import json
import logging
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Union, overload

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from typing_extensions import TypedDict

from .._base import EPOCH, PlainDecimals, fmt_decimal, is_microseconds
from ..market import PriceLevel

__all__ = [
    "AggTradeEvent",
    "AllMarketMiniTickersEvent",
    "AllMarketRollingWindowTickersEvent",
    "AllMarketTickersEvent",
    "AvgPriceEvent",
    "BlockTradeEvent",
    "BookTickerEvent",
    "DepthUpdateEvent",
    "KlineData",
    "KlineEvent",
    "MarketEvent",
    "MiniTickerEvent",
    "PartialDepthEvent",
    "PriceLevel",
    "PriceLevels",
    "ReferencePriceEvent",
    "RollingWindowTickerEvent",
    "ServerShutdownEvent",
    "StreamDecoder",
    "StreamGapEvent",
    "TickerEvent",
    "TradeEvent",
    "UnknownEvent",
    "decode_event",
    "event_identity",
    "follows",
    "is_sequenced",
]

logger = logging.getLogger("binance_typed")


class PriceLevels(Sequence[PriceLevel]):
    """An immutable list of :class:`~binance_typed.models.market.PriceLevel`, decoded on first use.

    A diff-depth event can carry dozens of levels, and turning each price and quantity into a
    Decimal costs more than parsing the JSON. The levels therefore keep the wire's string pairs
    and convert them all at once, the first time an element is read; ``len()`` and ``bool()`` do not
    convert. It behaves like a read-only list and compares equal to a list of the same levels.
    :meth:`pairs` yields ``(Decimal, Decimal)`` without building the named tuples (for consumers
    that read every level once, like the local order book).
    """

    __slots__ = ("_levels", "_raw")

    def __init__(self, raw: Iterable[Any] = ()) -> None:
        self._raw: list[Any] | None = raw if type(raw) is list else list(raw)
        self._levels: list[PriceLevel] | None = None

    @classmethod
    def of(cls, levels: Iterable[tuple[Any, Any]]) -> PriceLevels:
        """Already-converted levels (any pairs of Decimal-compatible values)."""
        out = cls.__new__(cls)
        out._raw = None
        out._levels = [PriceLevel(Decimal(p), Decimal(q)) for p, q in levels]
        return out

    def _materialize(self) -> list[PriceLevel]:
        levels = self._levels
        if levels is None:
            raw = self._raw or []
            levels = [_tnew(PriceLevel, (Decimal(p), Decimal(q))) for p, q, *_ in raw]
            self._levels = levels
            self._raw = None
        return levels

    def pairs(self) -> Iterator[tuple[Decimal, Decimal]]:
        """``(price, quantity)`` Decimals, without materialising the named tuples."""
        levels = self._levels
        if levels is not None:
            yield from levels
            return
        for p, q, *_ in self._raw or ():
            yield Decimal(p), Decimal(q)

    def __len__(self) -> int:
        levels = self._levels
        return len(levels) if levels is not None else len(self._raw or ())

    @overload
    def __getitem__(self, index: int) -> PriceLevel: ...
    @overload
    def __getitem__(self, index: slice) -> list[PriceLevel]: ...
    def __getitem__(self, index: int | slice) -> PriceLevel | list[PriceLevel]:
        return self._materialize()[index]

    def __iter__(self) -> Iterator[PriceLevel]:
        return iter(self._materialize())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PriceLevels):
            return self._materialize() == other._materialize()
        if isinstance(other, (list, tuple)):
            return self._materialize() == [tuple(x) for x in other]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PriceLevels({self._materialize()!r})"


_tnew = tuple.__new__
_new_levels = object.__new__
_set_raw: Any = vars(PriceLevels)["_raw"].__set__
_set_levels: Any = vars(PriceLevels)["_levels"].__set__

EventTime = datetime
"""An aware UTC datetime read from an epoch integer: milliseconds, or microseconds on a connection
opened with ``timeUnit=MICROSECOND`` (the decoder then uses the microsecond variant of each model)."""


def _validate_levels(value: Any) -> PriceLevels:
    if isinstance(value, PriceLevels):
        return value
    if type(value) is list and (not value or type(value[0]) is list):
        # the JSON shape: keep the strings, convert on first use (see PriceLevels)
        out = _new_levels(PriceLevels)
        _set_raw(out, value)
        _set_levels(out, None)
        return out
    if not isinstance(value, (list, tuple)):
        raise ValueError("expected a list of [price, quantity] pairs")
    try:
        return PriceLevels.of((level[0], level[1]) for level in value)
    except (ArithmeticError, TypeError, IndexError, KeyError) as exc:
        raise ValueError(f"invalid price level: {exc}") from exc


def _serialize_levels(value: PriceLevels) -> list[list[str]]:
    return [[fmt_decimal(p), fmt_decimal(q)] for p, q in value.pairs()]


LevelList = Annotated[
    PriceLevels,
    PlainValidator(_validate_levels),
    PlainSerializer(_serialize_levels, return_type=list[list[str]]),
    WithJsonSchema({"type": "array", "items": {"type": "array", "items": {"type": "string"}}}),
]
"""Price levels read from ``[["price", "qty"], ...]`` as a lazily converted :class:`PriceLevels`."""


class StreamEvent(PlainDecimals, BaseModel):
    """Base of the market stream events: wire keys as aliases, unknown keys kept, frozen."""

    model_config = ConfigDict(
        populate_by_name=True,
        extra="allow",
        frozen=True,
        protected_namespaces=(),
        use_attribute_docstrings=True,
        val_temporal_unit="milliseconds",
        ser_json_temporal="milliseconds",
    )

    EVENT_TYPES: ClassVar[tuple[str, ...]] = ()
    """The ``e`` values this model decodes."""


# --------------------------------------------------------------------------- trades


class TradeEvent(StreamEvent):
    """One trade, from ``<symbol>@trade``; every trade has a unique buyer and seller."""

    EVENT_TYPES = ("trade",)
    event_type: Literal["trade"] = Field("trade", alias="e")
    """Event type (``e``): ``"trade"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    trade_id: int = Field(alias="t")
    """Trade ID (``t``)."""
    price: Decimal = Field(alias="p")
    """Price (``p``)."""
    quantity: Decimal = Field(alias="q")
    """Quantity (``q``)."""
    trade_time: EventTime = Field(alias="T")
    """Trade time (``T``)."""
    is_buyer_maker: bool = Field(alias="m")
    """True when the buyer was the maker (``m``)."""
    ignore: bool | None = Field(None, alias="M")
    """Unused flag (``M``)."""


class AggTradeEvent(StreamEvent):
    """Trades of one taker order aggregated by price, from ``<symbol>@aggTrade``."""

    EVENT_TYPES = ("aggTrade",)
    event_type: Literal["aggTrade"] = Field("aggTrade", alias="e")
    """Event type (``e``): ``"aggTrade"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    agg_trade_id: int = Field(alias="a")
    """Aggregate trade ID (``a``)."""
    price: Decimal = Field(alias="p")
    """Price (``p``)."""
    quantity: Decimal = Field(alias="q")
    """Quantity (``q``)."""
    first_trade_id: int = Field(alias="f")
    """First trade ID (``f``)."""
    last_trade_id: int = Field(alias="l")
    """Last trade ID (``l``)."""
    trade_time: EventTime = Field(alias="T")
    """Trade time (``T``)."""
    is_buyer_maker: bool = Field(alias="m")
    """True when the buyer was the maker (``m``)."""
    ignore: bool | None = Field(None, alias="M")
    """Unused flag (``M``)."""


class BlockTradeEvent(StreamEvent):
    """A block trade, from ``<symbol>@blockTrade``."""

    EVENT_TYPES = ("blockTrade",)
    event_type: Literal["blockTrade"] = Field("blockTrade", alias="e")
    """Event type (``e``): ``"blockTrade"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    block_trade_id: int = Field(alias="t")
    """Block trade ID (``t``)."""
    price: Decimal = Field(alias="p")
    """Price (``p``)."""
    quantity: Decimal = Field(alias="q")
    """Quantity (``q``)."""
    trade_time: EventTime = Field(alias="T")
    """Trade time (``T``)."""
    is_buyer_maker: bool = Field(alias="m")
    """True when the buyer was the maker (``m``)."""


# --------------------------------------------------------------------------- klines


class KlineData(StreamEvent):
    """The candlestick inside a kline event (``k``)."""

    start_time: EventTime = Field(alias="t")
    """Kline start time (``t``)."""
    close_time: EventTime = Field(alias="T")
    """Kline close time (``T``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    interval: str = Field(alias="i")
    """Interval, e.g. ``"1m"`` (``i``)."""
    first_trade_id: int = Field(alias="f")
    """First trade ID (``f``)."""
    last_trade_id: int = Field(alias="L")
    """Last trade ID (``L``)."""
    open: Decimal = Field(alias="o")
    """Open price (``o``)."""
    close: Decimal = Field(alias="c")
    """Close (latest) price (``c``)."""
    high: Decimal = Field(alias="h")
    """High price (``h``)."""
    low: Decimal = Field(alias="l")
    """Low price (``l``)."""
    volume: Decimal = Field(alias="v")
    """Base asset volume (``v``)."""
    trades: int = Field(alias="n")
    """Number of trades (``n``)."""
    is_closed: bool = Field(alias="x")
    """True once this kline is final (``x``)."""
    quote_volume: Decimal = Field(alias="q")
    """Quote asset volume (``q``)."""
    taker_buy_base_volume: Decimal = Field(alias="V")
    """Taker buy base asset volume (``V``)."""
    taker_buy_quote_volume: Decimal = Field(alias="Q")
    """Taker buy quote asset volume (``Q``)."""
    ignore: str | None = Field(None, alias="B")
    """Unused (``B``)."""


class KlineEvent(StreamEvent):
    """A candlestick update, from ``<symbol>@kline_<interval>`` (optionally ``@+08:00``)."""

    EVENT_TYPES = ("kline",)
    event_type: Literal["kline"] = Field("kline", alias="e")
    """Event type (``e``): ``"kline"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    kline: KlineData = Field(alias="k")
    """The candlestick (``k``)."""


# --------------------------------------------------------------------------- tickers


class MiniTickerEvent(StreamEvent):
    """24-hour rolling window mini ticker, from ``<symbol>@miniTicker`` (and ``!miniTicker@arr``)."""

    EVENT_TYPES = ("24hrMiniTicker",)
    event_type: Literal["24hrMiniTicker"] = Field("24hrMiniTicker", alias="e")
    """Event type (``e``): ``"24hrMiniTicker"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    close: Decimal = Field(alias="c")
    """Last price (``c``)."""
    open: Decimal = Field(alias="o")
    """Open price (``o``)."""
    high: Decimal = Field(alias="h")
    """High price (``h``)."""
    low: Decimal = Field(alias="l")
    """Low price (``l``)."""
    volume: Decimal = Field(alias="v")
    """Total traded base asset volume (``v``)."""
    quote_volume: Decimal = Field(alias="q")
    """Total traded quote asset volume (``q``)."""


class TickerEvent(StreamEvent):
    """24-hour rolling window ticker, from ``<symbol>@ticker``."""

    EVENT_TYPES = ("24hrTicker",)
    event_type: Literal["24hrTicker"] = Field("24hrTicker", alias="e")
    """Event type (``e``): ``"24hrTicker"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    price_change: Decimal = Field(alias="p")
    """Price change (``p``)."""
    price_change_percent: Decimal = Field(alias="P")
    """Price change percent (``P``)."""
    weighted_avg_price: Decimal = Field(alias="w")
    """Weighted average price (``w``)."""
    prev_close_price: Decimal = Field(alias="x")
    """Price of the last trade before the window (``x``)."""
    last_price: Decimal = Field(alias="c")
    """Last price (``c``)."""
    last_quantity: Decimal = Field(alias="Q")
    """Last quantity (``Q``)."""
    best_bid_price: Decimal = Field(alias="b")
    """Best bid price (``b``)."""
    best_bid_quantity: Decimal = Field(alias="B")
    """Best bid quantity (``B``)."""
    best_ask_price: Decimal = Field(alias="a")
    """Best ask price (``a``)."""
    best_ask_quantity: Decimal = Field(alias="A")
    """Best ask quantity (``A``)."""
    open: Decimal = Field(alias="o")
    """Open price (``o``)."""
    high: Decimal = Field(alias="h")
    """High price (``h``)."""
    low: Decimal = Field(alias="l")
    """Low price (``l``)."""
    volume: Decimal = Field(alias="v")
    """Total traded base asset volume (``v``)."""
    quote_volume: Decimal = Field(alias="q")
    """Total traded quote asset volume (``q``)."""
    open_time: EventTime = Field(alias="O")
    """Statistics open time (``O``)."""
    close_time: EventTime = Field(alias="C")
    """Statistics close time (``C``)."""
    first_trade_id: int = Field(alias="F")
    """First trade ID (``F``)."""
    last_trade_id: int = Field(alias="L")
    """Last trade ID (``L``)."""
    trade_count: int = Field(alias="n")
    """Total number of trades (``n``)."""


class RollingWindowTickerEvent(StreamEvent):
    """Rolling window ticker (1h, 4h or 1d), from ``<symbol>@ticker_<window>``."""

    EVENT_TYPES = ("1hTicker", "4hTicker", "1dTicker")
    event_type: Literal["1hTicker", "4hTicker", "1dTicker"] = Field(alias="e")
    """Event type (``e``): ``"1hTicker"``, ``"4hTicker"`` or ``"1dTicker"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    price_change: Decimal = Field(alias="p")
    """Price change (``p``)."""
    price_change_percent: Decimal = Field(alias="P")
    """Price change percent (``P``)."""
    open: Decimal = Field(alias="o")
    """Open price (``o``)."""
    high: Decimal = Field(alias="h")
    """High price (``h``)."""
    low: Decimal = Field(alias="l")
    """Low price (``l``)."""
    last_price: Decimal = Field(alias="c")
    """Last price (``c``)."""
    weighted_avg_price: Decimal = Field(alias="w")
    """Weighted average price (``w``)."""
    volume: Decimal = Field(alias="v")
    """Total traded base asset volume (``v``)."""
    quote_volume: Decimal = Field(alias="q")
    """Total traded quote asset volume (``q``)."""
    open_time: EventTime = Field(alias="O")
    """Statistics open time (``O``), always on a minute boundary."""
    close_time: EventTime = Field(alias="C")
    """Statistics close time (``C``), the time of this update."""
    first_trade_id: int = Field(alias="F")
    """First trade ID (``F``)."""
    last_trade_id: int = Field(alias="L")
    """Last trade ID (``L``)."""
    trade_count: int = Field(alias="n")
    """Total number of trades (``n``)."""

    @property
    def window(self) -> str:
        """The window size: ``"1h"``, ``"4h"`` or ``"1d"``."""
        return self.event_type[:2]


class BookTickerEvent(StreamEvent):
    """Best bid and ask, from ``<symbol>@bookTicker`` (the payload has no ``e``)."""

    EVENT_TYPES = ("bookTicker",)
    event_type: Literal["bookTicker"] = Field("bookTicker", alias="e")
    """Not on the wire: always ``"bookTicker"`` (set from the stream name)."""
    update_id: int = Field(alias="u")
    """Order book update ID (``u``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    best_bid_price: Decimal = Field(alias="b")
    """Best bid price (``b``)."""
    best_bid_quantity: Decimal = Field(alias="B")
    """Best bid quantity (``B``)."""
    best_ask_price: Decimal = Field(alias="a")
    """Best ask price (``a``)."""
    best_ask_quantity: Decimal = Field(alias="A")
    """Best ask quantity (``A``)."""


class AvgPriceEvent(StreamEvent):
    """Average price over a fixed interval, from ``<symbol>@avgPrice``."""

    EVENT_TYPES = ("avgPrice",)
    event_type: Literal["avgPrice"] = Field("avgPrice", alias="e")
    """Event type (``e``): ``"avgPrice"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    interval: str = Field(alias="i")
    """Averaging interval, e.g. ``"5m"`` (``i``)."""
    average_price: Decimal = Field(alias="w")
    """Average price (``w``)."""
    last_trade_time: EventTime = Field(alias="T")
    """Last trade time (``T``)."""


class ReferencePriceEvent(StreamEvent):
    """Reference price, from ``<symbol>@referencePrice``."""

    EVENT_TYPES = ("referencePrice",)
    event_type: Literal["referencePrice"] = Field("referencePrice", alias="e")
    """Event type (``e``): ``"referencePrice"``."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    reference_price: Decimal | None = Field(alias="r")
    """Reference price (``r``); None when there is none."""
    time: EventTime = Field(alias="t")
    """Engine time at which the reference price was valid (``t``)."""


# --------------------------------------------------------------------------- depth


class PartialDepthEvent(StreamEvent):
    """Top bids and asks, from ``<symbol>@depth<levels>[@100ms]`` (the payload has no ``e``)."""

    EVENT_TYPES = ("depthPartial",)
    event_type: Literal["depthPartial"] = Field("depthPartial", alias="e")
    """Not on the wire: always ``"depthPartial"`` (set from the stream name)."""
    last_update_id: int = Field(alias="lastUpdateId")
    """Last update ID (``lastUpdateId``)."""
    bids: LevelList = Field(alias="bids")
    """Bids, best (highest) first (``bids``)."""
    asks: LevelList = Field(alias="asks")
    """Asks, best (lowest) first (``asks``)."""
    symbol: str | None = Field(None, alias="symbol")
    """Not on the wire: the symbol, upper case, taken from the stream name when known."""


class DepthUpdateEvent(StreamEvent):
    """Order book changes, from ``<symbol>@depth[@100ms]``; see :mod:`binance_typed.ws.orderbook`."""

    EVENT_TYPES = ("depthUpdate",)
    event_type: Literal["depthUpdate"] = Field("depthUpdate", alias="e")
    """Event type (``e``): ``"depthUpdate"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""
    symbol: str = Field(alias="s")
    """Symbol (``s``)."""
    first_update_id: int = Field(alias="U")
    """First update ID in this event (``U``)."""
    final_update_id: int = Field(alias="u")
    """Final update ID in this event (``u``)."""
    bids: LevelList = Field(alias="b")
    """Bid levels to update (``b``); a zero quantity removes the level."""
    asks: LevelList = Field(alias="a")
    """Ask levels to update (``a``); a zero quantity removes the level."""


# --------------------------------------------------------------------------- control and fallback


class ServerShutdownEvent(StreamEvent):
    """The server is about to shut down: the client opens a new connection at once."""

    EVENT_TYPES = ("serverShutdown",)
    event_type: Literal["serverShutdown"] = Field("serverShutdown", alias="e")
    """Event type (``e``): ``"serverShutdown"``."""
    event_time: EventTime = Field(alias="E")
    """Event time (``E``)."""


class UnknownEvent(StreamEvent):
    """A payload this version cannot decode: a new event type, or one that failed validation."""

    event_type: str | None = Field(None, alias="e")
    """The ``e`` of the payload, if it had one."""
    stream: str | None = None
    """The stream it came from, when known."""
    data: Any = None
    """The decoded JSON payload, untouched."""
    error: str | None = None
    """Why it could not be decoded as a known event (None for an unknown event type)."""


class StreamGapEvent(StreamEvent):
    """Not from Binance: the client reports that ``streams`` may have missed events.

    Emitted after a reconnect (the time between the last message of the lost connection and
    the new subscription) and when a rollover could not prove an overlap.
    """

    event_type: Literal["gap"] = "gap"
    streams: tuple[str, ...]
    """The streams that may have missed events."""
    start: datetime
    """Last moment known to be covered (the last message received before the gap)."""
    end: datetime
    """First moment covered again (the streams were active again)."""
    reason: str = ""
    """What caused the gap, e.g. the disconnect reason."""


class AllMarketMiniTickersEvent(StreamEvent):
    """The ``!miniTicker@arr`` array: mini tickers of every symbol that changed."""

    event_type: Literal["allMiniTickers"] = "allMiniTickers"
    tickers: list[MiniTickerEvent | UnknownEvent]
    """One mini ticker per changed symbol."""


class AllMarketTickersEvent(StreamEvent):
    """The ``!ticker@arr`` array: 24-hour tickers of every symbol that changed."""

    event_type: Literal["allTickers"] = "allTickers"
    tickers: list[TickerEvent | UnknownEvent]
    """One ticker per changed symbol."""


class AllMarketRollingWindowTickersEvent(StreamEvent):
    """The ``!ticker_<window>@arr`` array: rolling window tickers of every symbol that changed."""

    event_type: Literal["allRollingWindowTickers"] = "allRollingWindowTickers"
    window: str | None = None
    """The window size from the stream name (``"1h"``, ``"4h"``, ``"1d"``), when known."""
    tickers: list[RollingWindowTickerEvent | UnknownEvent]
    """One ticker per changed symbol."""


MarketEvent = Union[
    TradeEvent,
    AggTradeEvent,
    BlockTradeEvent,
    KlineEvent,
    MiniTickerEvent,
    TickerEvent,
    RollingWindowTickerEvent,
    BookTickerEvent,
    PartialDepthEvent,
    DepthUpdateEvent,
    AvgPriceEvent,
    ReferencePriceEvent,
    ServerShutdownEvent,
    AllMarketMiniTickersEvent,
    AllMarketTickersEvent,
    AllMarketRollingWindowTickersEvent,
    StreamGapEvent,
    UnknownEvent,
]
"""Anything :func:`decode_event` returns."""

_KEYED: tuple[type[StreamEvent], ...] = (
    TradeEvent,
    AggTradeEvent,
    BlockTradeEvent,
    KlineEvent,
    MiniTickerEvent,
    TickerEvent,
    RollingWindowTickerEvent,
    BookTickerEvent,
    PartialDepthEvent,
    DepthUpdateEvent,
    AvgPriceEvent,
    ReferencePriceEvent,
    ServerShutdownEvent,
)

KeyedEvent = Annotated[
    Union[
        TradeEvent,
        AggTradeEvent,
        BlockTradeEvent,
        KlineEvent,
        MiniTickerEvent,
        TickerEvent,
        RollingWindowTickerEvent,
        BookTickerEvent,
        PartialDepthEvent,
        DepthUpdateEvent,
        AvgPriceEvent,
        ReferencePriceEvent,
        ServerShutdownEvent,
    ],
    Field(discriminator="event_type"),
]
"""The payloads that carry (or are given) an event type, as a discriminated union on ``e``."""

_keyed_adapter: TypeAdapter[Any] | None = None


def _adapter() -> TypeAdapter[Any]:
    global _keyed_adapter
    if _keyed_adapter is None:
        _keyed_adapter = TypeAdapter(KeyedEvent)
    return _keyed_adapter


# --------------------------------------------------------------------------- fast builders


class _Unusual(Exception):
    """The payload does not have exactly the expected keys: use full validation."""


_loads = json.loads
_NO_EXTRA: dict[str, Any] = {}  # shared by fast-built events: frozen models never write to it
_MS = timedelta(milliseconds=1)
_US = timedelta(microseconds=1)


def _kind(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _kind(typing.get_args(annotation)[0])
    args = typing.get_args(annotation)
    if origin in (Union, types.UnionType) and type(None) in args:
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1 and _kind(inner[0]) == "dec":
            return "optdec"
        return "raw"
    if annotation is Decimal:
        return "dec"
    if annotation is datetime:
        return "ts"
    if annotation is PriceLevels:
        return "levels"
    if isinstance(annotation, type) and issubclass(annotation, StreamEvent):
        return "model"
    return "raw"


def _compile_builder(cls: type[StreamEvent], namespace: dict[str, Any]) -> Any:
    """Generate ``build(d, unit)`` creating ``cls`` from a payload dict without validation."""
    name = f"_build_{cls.__name__}"
    lines: list[str] = []
    wire_count = 0
    for field_name, info in cls.model_fields.items():
        alias = info.alias or field_name
        if (
            field_name == "event_type"
            and cls.EVENT_TYPES
            and cls.EVENT_TYPES[0] in ("bookTicker", "depthPartial")
        ):
            lines.append(f"{field_name!r}: {cls.EVENT_TYPES[0]!r}")
            continue
        if field_name == "symbol" and cls is PartialDepthEvent:
            lines.append(f"{field_name!r}: None")
            continue
        wire_count += 1
        kind = _kind(info.annotation)
        src = f"d[{alias!r}]"
        if kind == "dec":
            expr = f"D({src})"
        elif kind == "optdec":
            expr = f"(None if {src} is None else D({src}))"
        elif kind == "ts":
            expr = f"EPOCH + unit * {src}"
        elif kind == "levels":
            expr = f"lazy({src})"
        elif kind == "model":
            sub: Any = info.annotation
            namespace[f"_build_{sub.__name__}"] = _builder(sub)
            expr = f"_build_{sub.__name__}({src}, unit)"
        else:
            expr = src
        lines.append(f"{field_name!r}: {expr}")
    body = ",\n        ".join(lines)
    namespace.update(
        cls=cls,
        new=object.__new__,
        set_dict=vars(BaseModel)["__dict__"].__set__,
        set_fields=vars(BaseModel)["__pydantic_fields_set__"].__set__,
        set_extra=vars(BaseModel)["__pydantic_extra__"].__set__,
        set_private=vars(BaseModel)["__pydantic_private__"].__set__,
        FIELDS=set(cls.model_fields),
        NO_EXTRA=_NO_EXTRA,
        Unusual=_Unusual,
        D=Decimal,
        EPOCH=EPOCH,
        lazy=_lazy_levels,
        len=len,
    )
    # every helper is bound as a default argument: a local lookup instead of a global one
    defaults = ", ".join(f"{key}={key}" for key in namespace)
    code = (
        f"def {name}(d, unit, {defaults}):\n"
        f"    if len(d) != {wire_count}:\n"
        f"        raise Unusual\n"
        f"    obj = new(cls)\n"
        f"    set_dict(obj, {{\n        {body}\n    }})\n"
        f"    set_fields(obj, FIELDS)\n"
        f"    set_extra(obj, NO_EXTRA)\n"
        f"    set_private(obj, None)\n"
        f"    return obj\n"
    )
    exec(compile(code, f"<binance_typed builder {cls.__name__}>", "exec"), namespace)
    return namespace[name]


def _lazy_levels(raw: Any) -> PriceLevels:
    if type(raw) is not list:
        raise _Unusual
    out = _new_levels(PriceLevels)
    _set_raw(out, raw)
    _set_levels(out, None)
    return out


_BUILDERS: dict[type[StreamEvent], Any] = {}


def _builder(cls: type[StreamEvent]) -> Any:
    build = _BUILDERS.get(cls)
    if build is None:
        build = _BUILDERS[cls] = _compile_builder(cls, {})
    return build


# --------------------------------------------------------------------------- decoder


def _symbol_of(stream: str) -> str:
    return stream.split("@", 1)[0].upper()


def _stream_kind(stream: str) -> str | None:
    """The payload kind a stream name implies, for payloads without ``e``."""
    if stream.startswith("!"):
        if stream.startswith("!miniTicker@arr"):
            return "allMiniTickers"
        if stream.startswith("!ticker_"):
            return "allRollingWindowTickers"
        if stream.startswith("!ticker@arr"):
            return "allTickers"
        return None
    parts = stream.split("@")
    if len(parts) < 2:
        return None
    kind = parts[1]
    if kind == "bookTicker":
        return "bookTicker"
    if kind.startswith("depth") and kind[5:].isdigit():
        return "depthPartial"
    return None


class _KindCache(dict[str, "str | None"]):
    """stream name -> payload kind implied by the name (for payloads without ``e``)."""

    def __missing__(self, stream: str) -> str | None:
        kind = _stream_kind(stream)
        if len(self) < 4096:
            self[stream] = kind
        return kind

    def get(self, stream: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self[stream]


_VARIANTS: dict[tuple[type[StreamEvent], str], type[StreamEvent]] = {}


def _from_us(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return EPOCH + _US * value
    if isinstance(value, str) and value.isdigit():
        return EPOCH + _US * int(value)
    return value


def _to_us(value: datetime) -> int:
    return (value - EPOCH) // _US


_MicrosecondTime = Annotated[
    datetime, BeforeValidator(_from_us), PlainSerializer(_to_us, return_type=int, when_used="json")
]


def model_for_unit(cls: type[StreamEvent], unit: str) -> type[StreamEvent]:
    """``cls`` for millisecond timestamps; for ``"microseconds"``, a subclass reading µs epochs.

    The subclass has the same name and fields (``isinstance(event, TradeEvent)`` holds); only its
    timestamp fields read (and write) microseconds.
    """
    if unit == "milliseconds":
        return cls
    key = (cls, unit)
    variant = _VARIANTS.get(key)
    if variant is None:
        namespace: dict[str, Any] = {
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__,
        }
        annotations: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            ann = info.annotation
            if isinstance(ann, type) and issubclass(ann, StreamEvent):
                annotations[name] = model_for_unit(ann, unit)
            elif ann is datetime:
                annotations[name] = _MicrosecondTime
            else:
                continue
            namespace[name] = Field(alias=info.alias)
        namespace["__annotations__"] = annotations
        variant = _VARIANTS[key] = type(cls.__name__, (cls,), namespace)
    return variant


_TypedDict: Any = TypedDict  # typing_extensions: pydantic needs it before Python 3.12
_NO_E = ("bookTicker",)
_PARSE_FIRST = (DepthUpdateEvent, PartialDepthEvent)
"""Decoded through ``json.loads`` and a builder: their lazy levels make that path the faster one."""


class StreamDecoder:
    """Decodes stream frames into typed events; one per connection (it knows the time unit).

    Two paths: frames of the usual shape (``{"e":"trade",...}`` or
    ``{"stream":"...","data":{...}}``) have their event type read straight from the text and are
    validated by pydantic-core from JSON in one pass (``model_validate_json`` of the concrete
    model, no ``json.loads``); anything else is parsed with ``json.loads`` and dispatched on ``e``
    (or on the stream name) to a generated builder, with full validation as the last resort.

    Args:
        time_unit: ``"MICROSECOND"`` when the connection URL asked for microsecond timestamps.
    """

    def __init__(self, time_unit: str | None = None) -> None:
        self.microseconds = is_microseconds({"time_unit": (time_unit or "").upper()})
        self._unit = _US if self.microseconds else _MS
        unit = "microseconds" if self.microseconds else "milliseconds"
        by_type: dict[str, Any] = {}
        self._model_by_type: dict[str, type[StreamEvent]] = {}
        self._json: dict[str, Any] = {}
        self._env_json: dict[str, Any] = {}
        for base in _KEYED:
            cls = model_for_unit(base, unit)
            build = _builder(base)
            for event_type in base.EVENT_TYPES:
                by_type[event_type] = build
                self._model_by_type[event_type] = cls
                if base in _PARSE_FIRST or self.microseconds:
                    continue  # pydantic-core reads epochs as seconds or ms only: builders do µs
                # the pydantic-core validators themselves: no Python wrapper in between
                self._json[event_type] = cls.__pydantic_validator__.validate_json
                envelope = TypeAdapter(_TypedDict(f"{base.__name__}Envelope", {"stream": str, "data": cls}))
                self._env_json[event_type] = envelope.validator.validate_json
        self._by_type = by_type
        self._kinds = _KindCache()

    def decode(self, text: str | bytes, stream: str | None = None) -> MarketEvent:
        """Decode one frame: a raw payload, or a combined-stream ``{"stream", "data"}`` envelope.

        ``stream`` names the stream of a raw frame (needed for payloads without ``e`` on a raw
        connection); a combined envelope names its own.
        """
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        combined = text.startswith('{"stream":"')
        i = text.find('"e":"', 0, 160)
        try:
            if i != -1:
                event_type = text[i + 5 : text.find('"', i + 5)]
                validate = (self._env_json if combined else self._json).get(event_type)
                if validate is not None:
                    event: MarketEvent = validate(text)["data"] if combined else validate(text)
                    return event
            else:
                if combined:
                    stream = text[11 : text.find('"', 11)]
                if stream is not None and text.startswith("{"):
                    kind = self._kinds[stream]
                    if kind in _NO_E:
                        validate = (self._env_json if combined else self._json)[kind]
                        event = validate(text)["data"] if combined else validate(text)
                        return event
        except ValidationError:
            pass  # unusual shape or value: the careful path below decides
        return self._decode_parsed(text, stream)

    def _decode_parsed(self, text: str, stream: str | None) -> MarketEvent:
        try:
            msg = _loads(text)
        except ValueError as exc:
            return UnknownEvent(stream=stream, data=text, error=f"invalid JSON: {exc}")
        if type(msg) is dict and "e" not in msg:
            if "data" in msg and "stream" in msg:  # combined stream envelope
                return self.decode_payload(msg["data"], msg["stream"])
            if len(msg) == 1 and "event" in msg:  # WebSocket API event envelope
                return self.decode_payload(msg["event"], stream)
        return self.decode_payload(msg, stream)

    def decode_payload(self, payload: Any, stream: str | None = None) -> MarketEvent:
        """Decode one already-parsed payload; ``stream`` tells apart payloads without ``e``."""
        if type(payload) is dict:
            event_type = payload.get("e")
            if event_type is None:
                event_type = _stream_kind(stream) if stream else self._guess(payload)
            build = self._by_type.get(event_type) if isinstance(event_type, str) else None
            if build is not None:
                try:
                    event: MarketEvent = build(payload, self._unit)
                except (_Unusual, KeyError, TypeError, ValueError, ArithmeticError):
                    return self._validate(str(event_type), payload, stream)
                if event_type == "depthPartial" and stream:
                    object.__setattr__(event, "symbol", _symbol_of(stream))
                return event
            return UnknownEvent(
                event_type=event_type if isinstance(event_type, str) else None, stream=stream, data=payload
            )
        if type(payload) is list:
            return self._decode_array(payload, stream)
        return UnknownEvent(stream=stream, data=payload, error="not a JSON object")

    @staticmethod
    def _guess(payload: dict[str, Any]) -> str | None:
        if "lastUpdateId" in payload and "bids" in payload:
            return "depthPartial"
        if "u" in payload and "b" in payload and "A" in payload:
            return "bookTicker"
        return None

    def _validate(self, event_type: str, payload: dict[str, Any], stream: str | None) -> MarketEvent:
        """Full pydantic validation, for payloads the fast path did not accept."""
        cls = self._model_by_type[event_type]
        data = payload
        if "e" not in payload:
            data = {**payload, "e": event_type}
            if issubclass(cls, PartialDepthEvent) and stream:
                data["symbol"] = _symbol_of(stream)
        try:
            event: MarketEvent = cls.model_validate(data)  # type: ignore[assignment]
            return event
        except ValidationError as exc:
            logger.debug("undecodable %s payload on %s: %s", event_type, stream, exc)
            return UnknownEvent(event_type=event_type, stream=stream, data=payload, error=str(exc))

    def _decode_array(self, payload: list[Any], stream: str | None) -> MarketEvent:
        kind = _stream_kind(stream) if stream else None
        if kind is None:
            first = payload[0] if payload and isinstance(payload[0], dict) else {}
            kind = {
                "24hrMiniTicker": "allMiniTickers",
                "24hrTicker": "allTickers",
                "1hTicker": "allRollingWindowTickers",
                "4hTicker": "allRollingWindowTickers",
                "1dTicker": "allRollingWindowTickers",
            }.get(str(first.get("e")), "")
        items: list[Any] = [self.decode_payload(item) for item in payload]
        if kind == "allMiniTickers":
            return AllMarketMiniTickersEvent.model_construct(tickers=items)
        if kind == "allTickers":
            return AllMarketTickersEvent.model_construct(tickers=items)
        if kind == "allRollingWindowTickers":
            window = None
            if stream and stream.startswith("!ticker_"):
                window = stream[len("!ticker_") :].split("@", 1)[0]
            return AllMarketRollingWindowTickersEvent.model_construct(window=window, tickers=items)
        return UnknownEvent(stream=stream, data=payload, error="unrecognised array payload")


_decoders: dict[str | None, StreamDecoder] = {}


def decode_event(
    text: str | bytes, *, stream: str | None = None, time_unit: str | None = None
) -> MarketEvent:
    """Decode one stream frame (raw payload or combined envelope) into a typed event."""
    key = (time_unit or "").upper() or None
    decoder = _decoders.get(key)
    if decoder is None:
        decoder = _decoders[key] = StreamDecoder(key)
    return decoder.decode(text, stream)


def event_identity(event: Any) -> Any:
    """A key identifying ``event`` within its stream (used to drop duplicates during an overlap).

    Increases along a stream: the trade or update ID where the payload has one, else the event
    time (with the kline start for klines). None for events that cannot be compared.
    """
    key = _IDENTITY.get(getattr(event, "event_type", None))  # type: ignore[arg-type]
    if key is not None:
        return key(event)
    event_time = getattr(event, "event_time", None)
    if event_time is not None:
        return event_time
    tickers = getattr(event, "tickers", None)
    if tickers:
        times = [t.event_time for t in tickers if getattr(t, "event_time", None) is not None]
        return max(times) if times else None
    return None


_IDENTITY: dict[str, Any] = {
    "trade": lambda e: e.trade_id,
    "blockTrade": lambda e: e.block_trade_id,
    "aggTrade": lambda e: e.agg_trade_id,
    "depthUpdate": lambda e: e.final_update_id,
    "bookTicker": lambda e: e.update_id,
    "depthPartial": lambda e: e.last_update_id,
    "kline": lambda e: (e.event_time, e.kline.start_time),
    "referencePrice": lambda e: e.time,
    "serverShutdown": lambda e: None,
    "gap": lambda e: None,
}


_SUCCESSION: dict[str, Any] = {
    "trade": lambda p, e: e.trade_id == p.trade_id + 1,
    "aggTrade": lambda p, e: e.agg_trade_id == p.agg_trade_id + 1,
    "depthUpdate": lambda p, e: e.first_update_id == p.final_update_id + 1,
}


def is_sequenced(event: Any) -> bool:
    """Whether events of this kind number themselves without holes (trade ids, aggregate trade
    ids, diff-depth update ids): the next one shows whether any was missed in between."""
    return getattr(event, "event_type", None) in _SUCCESSION


def follows(previous: Any, event: Any) -> bool:
    """Whether ``event`` is the very next event after ``previous`` on a sequenced stream."""
    kind = getattr(event, "event_type", None)
    check = _SUCCESSION.get(kind)  # type: ignore[arg-type]
    return check is not None and getattr(previous, "event_type", None) == kind and bool(check(previous, event))
