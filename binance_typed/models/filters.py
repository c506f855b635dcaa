"""Exchange filters: the trading rules of ``exchangeInfo`` (symbol, exchange and asset filters).

Each filter is its own model, told apart by ``filterType``. A filter type this package does not
know yet parses as :class:`UnknownFilter` (its fields stay available as extras) instead of
failing, so a new rule on Binance's side never breaks a running bot.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag

from ._base import BinanceModel

__all__ = [
    "ASSET_FILTER_TYPES",
    "EXCHANGE_FILTER_TYPES",
    "SYMBOL_FILTER_TYPES",
    "AssetFilter",
    "ExchangeFilter",
    "ExchangeMaxNumAlgoOrders",
    "ExchangeMaxNumIcebergOrders",
    "ExchangeMaxNumOrderLists",
    "ExchangeMaxNumOrders",
    "Filter",
    "IcebergParts",
    "LotSize",
    "QuantityRange",
    "MarketLotSize",
    "MaxAsset",
    "MaxNumAlgoOrders",
    "MaxNumIcebergOrders",
    "MaxNumOrderAmends",
    "MaxNumOrderLists",
    "MaxNumOrders",
    "MaxPosition",
    "MinNotional",
    "Notional",
    "PercentPrice",
    "PercentPriceBySide",
    "PriceFilter",
    "SymbolFilter",
    "TrailingDelta",
    "UnknownFilter",
]


# -- symbol filters -------------------------------------------------------------------------------
class PriceFilter(BinanceModel):
    """Allowed price range and tick size; a zero bound or tick means the rule is off."""

    filter_type: Literal["PRICE_FILTER"] = "PRICE_FILTER"
    min_price: Decimal
    max_price: Decimal
    tick_size: Decimal


class PercentPrice(BinanceModel):
    """Price bounds as multipliers of the average price over ``avg_price_mins`` minutes."""

    filter_type: Literal["PERCENT_PRICE"] = "PERCENT_PRICE"
    multiplier_up: Decimal
    multiplier_down: Decimal
    avg_price_mins: int


class PercentPriceBySide(BinanceModel):
    """Like :class:`PercentPrice`, with separate multipliers for bids and asks."""

    filter_type: Literal["PERCENT_PRICE_BY_SIDE"] = "PERCENT_PRICE_BY_SIDE"
    bid_multiplier_up: Decimal
    bid_multiplier_down: Decimal
    ask_multiplier_up: Decimal
    ask_multiplier_down: Decimal
    avg_price_mins: int


class QuantityRange(BinanceModel):
    """Allowed quantity range and step (shared by :class:`LotSize` and :class:`MarketLotSize`)."""

    min_qty: Decimal
    max_qty: Decimal
    step_size: Decimal


class LotSize(QuantityRange):
    """Allowed quantity range and step for orders."""

    filter_type: Literal["LOT_SIZE"] = "LOT_SIZE"


class MarketLotSize(QuantityRange):
    """Allowed quantity range and step for MARKET orders."""

    filter_type: Literal["MARKET_LOT_SIZE"] = "MARKET_LOT_SIZE"


class MinNotional(BinanceModel):
    """Minimum order value (price x quantity); older counterpart of :class:`Notional`."""

    filter_type: Literal["MIN_NOTIONAL"] = "MIN_NOTIONAL"
    min_notional: Decimal
    apply_to_market: bool
    avg_price_mins: int


class Notional(BinanceModel):
    """Order value bounds, optionally applied to MARKET orders through the average price."""

    filter_type: Literal["NOTIONAL"] = "NOTIONAL"
    min_notional: Decimal
    apply_min_to_market: bool
    max_notional: Decimal
    apply_max_to_market: bool
    avg_price_mins: int


class IcebergParts(BinanceModel):
    """Maximum number of parts an iceberg order may be split into."""

    filter_type: Literal["ICEBERG_PARTS"] = "ICEBERG_PARTS"
    limit: int


class MaxNumOrders(BinanceModel):
    """Maximum open orders on the symbol for one account."""

    filter_type: Literal["MAX_NUM_ORDERS"] = "MAX_NUM_ORDERS"
    max_num_orders: int


class MaxNumAlgoOrders(BinanceModel):
    """Maximum open stop and take-profit ("algo") orders on the symbol for one account."""

    filter_type: Literal["MAX_NUM_ALGO_ORDERS"] = "MAX_NUM_ALGO_ORDERS"
    max_num_algo_orders: int


class MaxNumIcebergOrders(BinanceModel):
    """Maximum open iceberg orders on the symbol for one account."""

    filter_type: Literal["MAX_NUM_ICEBERG_ORDERS"] = "MAX_NUM_ICEBERG_ORDERS"
    max_num_iceberg_orders: int


class MaxPosition(BinanceModel):
    """Maximum base-asset position (balance plus open buy orders) an account may hold."""

    filter_type: Literal["MAX_POSITION"] = "MAX_POSITION"
    max_position: Decimal


class TrailingDelta(BinanceModel):
    """Allowed ``trailingDelta`` ranges (basis points) above and below the market."""

    filter_type: Literal["TRAILING_DELTA"] = "TRAILING_DELTA"
    min_trailing_above_delta: int
    max_trailing_above_delta: int
    min_trailing_below_delta: int
    max_trailing_below_delta: int


class MaxNumOrderAmends(BinanceModel):
    """Maximum number of amendments of one order."""

    filter_type: Literal["MAX_NUM_ORDER_AMENDS"] = "MAX_NUM_ORDER_AMENDS"
    max_num_order_amends: int


class MaxNumOrderLists(BinanceModel):
    """Maximum open order lists on the symbol for one account."""

    filter_type: Literal["MAX_NUM_ORDER_LISTS"] = "MAX_NUM_ORDER_LISTS"
    max_num_order_lists: int


# -- exchange filters -----------------------------------------------------------------------------
class ExchangeMaxNumOrders(BinanceModel):
    """Maximum open orders across all symbols for one account."""

    filter_type: Literal["EXCHANGE_MAX_NUM_ORDERS"] = "EXCHANGE_MAX_NUM_ORDERS"
    max_num_orders: int


class ExchangeMaxNumAlgoOrders(BinanceModel):
    """Maximum open stop and take-profit orders across all symbols for one account."""

    filter_type: Literal["EXCHANGE_MAX_NUM_ALGO_ORDERS"] = "EXCHANGE_MAX_NUM_ALGO_ORDERS"
    max_num_algo_orders: int


class ExchangeMaxNumIcebergOrders(BinanceModel):
    """Maximum open iceberg orders across all symbols for one account."""

    filter_type: Literal["EXCHANGE_MAX_NUM_ICEBERG_ORDERS"] = "EXCHANGE_MAX_NUM_ICEBERG_ORDERS"
    max_num_iceberg_orders: int


class ExchangeMaxNumOrderLists(BinanceModel):
    """Maximum open order lists across all symbols for one account."""

    filter_type: Literal["EXCHANGE_MAX_NUM_ORDER_LISTS"] = "EXCHANGE_MAX_NUM_ORDER_LISTS"
    max_num_order_lists: int


# -- asset filters --------------------------------------------------------------------------------
class MaxAsset(BinanceModel):
    """Maximum quantity of an asset an account may receive in one order."""

    filter_type: Literal["MAX_ASSET"] = "MAX_ASSET"
    asset: str
    limit: Decimal


class UnknownFilter(BinanceModel):
    """A filter type this version does not model; its fields are kept in ``model_extra``."""

    filter_type: str


_SYMBOL = (
    PriceFilter, PercentPrice, PercentPriceBySide, LotSize, MinNotional, Notional, IcebergParts,
    MarketLotSize, MaxNumOrders, MaxNumAlgoOrders, MaxNumIcebergOrders, MaxPosition, TrailingDelta,
    MaxNumOrderAmends, MaxNumOrderLists,
)
_EXCHANGE = (ExchangeMaxNumOrders, ExchangeMaxNumAlgoOrders, ExchangeMaxNumIcebergOrders, ExchangeMaxNumOrderLists)
_ASSET = (MaxAsset,)


def _tag_of(cls: type[BinanceModel]) -> str:
    return str(cls.model_fields["filter_type"].default)


SYMBOL_FILTER_TYPES: frozenset[str] = frozenset(map(_tag_of, _SYMBOL))
"""The ``filterType`` values of symbol filters this package models (others read as :class:`UnknownFilter`)."""
EXCHANGE_FILTER_TYPES: frozenset[str] = frozenset(map(_tag_of, _EXCHANGE))
"""The ``filterType`` values of exchange filters this package models."""
ASSET_FILTER_TYPES: frozenset[str] = frozenset(map(_tag_of, _ASSET))
"""The ``filterType`` values of asset filters this package models."""
_UNKNOWN = "unknown"


def _tagger(known: frozenset[str]) -> Any:
    def tag(value: Any) -> str:
        kind = value.get("filterType") if isinstance(value, dict) else getattr(value, "filter_type", None)
        return kind if kind in known else _UNKNOWN

    return tag


SymbolFilter = Annotated[
    Annotated[PriceFilter, Tag("PRICE_FILTER")]
    | Annotated[PercentPrice, Tag("PERCENT_PRICE")]
    | Annotated[PercentPriceBySide, Tag("PERCENT_PRICE_BY_SIDE")]
    | Annotated[LotSize, Tag("LOT_SIZE")]
    | Annotated[MinNotional, Tag("MIN_NOTIONAL")]
    | Annotated[Notional, Tag("NOTIONAL")]
    | Annotated[IcebergParts, Tag("ICEBERG_PARTS")]
    | Annotated[MarketLotSize, Tag("MARKET_LOT_SIZE")]
    | Annotated[MaxNumOrders, Tag("MAX_NUM_ORDERS")]
    | Annotated[MaxNumAlgoOrders, Tag("MAX_NUM_ALGO_ORDERS")]
    | Annotated[MaxNumIcebergOrders, Tag("MAX_NUM_ICEBERG_ORDERS")]
    | Annotated[MaxPosition, Tag("MAX_POSITION")]
    | Annotated[TrailingDelta, Tag("TRAILING_DELTA")]
    | Annotated[MaxNumOrderAmends, Tag("MAX_NUM_ORDER_AMENDS")]
    | Annotated[MaxNumOrderLists, Tag("MAX_NUM_ORDER_LISTS")]
    | Annotated[UnknownFilter, Tag(_UNKNOWN)],
    Discriminator(_tagger(SYMBOL_FILTER_TYPES)),
]
"""A filter of ``exchangeInfo.symbols[].filters``, chosen by ``filterType``."""

ExchangeFilter = Annotated[
    Annotated[ExchangeMaxNumOrders, Tag("EXCHANGE_MAX_NUM_ORDERS")]
    | Annotated[ExchangeMaxNumAlgoOrders, Tag("EXCHANGE_MAX_NUM_ALGO_ORDERS")]
    | Annotated[ExchangeMaxNumIcebergOrders, Tag("EXCHANGE_MAX_NUM_ICEBERG_ORDERS")]
    | Annotated[ExchangeMaxNumOrderLists, Tag("EXCHANGE_MAX_NUM_ORDER_LISTS")]
    | Annotated[UnknownFilter, Tag(_UNKNOWN)],
    Discriminator(_tagger(EXCHANGE_FILTER_TYPES)),
]
"""A filter of ``exchangeInfo.exchangeFilters``, chosen by ``filterType``."""

AssetFilter = Annotated[
    Annotated[MaxAsset, Tag("MAX_ASSET")] | Annotated[UnknownFilter, Tag(_UNKNOWN)],
    Discriminator(_tagger(ASSET_FILTER_TYPES)),
]
"""An asset filter (``myFilters``), chosen by ``filterType``."""

Filter = Annotated[
    Annotated[PriceFilter, Tag("PRICE_FILTER")]
    | Annotated[PercentPrice, Tag("PERCENT_PRICE")]
    | Annotated[PercentPriceBySide, Tag("PERCENT_PRICE_BY_SIDE")]
    | Annotated[LotSize, Tag("LOT_SIZE")]
    | Annotated[MinNotional, Tag("MIN_NOTIONAL")]
    | Annotated[Notional, Tag("NOTIONAL")]
    | Annotated[IcebergParts, Tag("ICEBERG_PARTS")]
    | Annotated[MarketLotSize, Tag("MARKET_LOT_SIZE")]
    | Annotated[MaxNumOrders, Tag("MAX_NUM_ORDERS")]
    | Annotated[MaxNumAlgoOrders, Tag("MAX_NUM_ALGO_ORDERS")]
    | Annotated[MaxNumIcebergOrders, Tag("MAX_NUM_ICEBERG_ORDERS")]
    | Annotated[MaxPosition, Tag("MAX_POSITION")]
    | Annotated[TrailingDelta, Tag("TRAILING_DELTA")]
    | Annotated[MaxNumOrderAmends, Tag("MAX_NUM_ORDER_AMENDS")]
    | Annotated[MaxNumOrderLists, Tag("MAX_NUM_ORDER_LISTS")]
    | Annotated[ExchangeMaxNumOrders, Tag("EXCHANGE_MAX_NUM_ORDERS")]
    | Annotated[ExchangeMaxNumAlgoOrders, Tag("EXCHANGE_MAX_NUM_ALGO_ORDERS")]
    | Annotated[ExchangeMaxNumIcebergOrders, Tag("EXCHANGE_MAX_NUM_ICEBERG_ORDERS")]
    | Annotated[ExchangeMaxNumOrderLists, Tag("EXCHANGE_MAX_NUM_ORDER_LISTS")]
    | Annotated[MaxAsset, Tag("MAX_ASSET")]
    | Annotated[UnknownFilter, Tag(_UNKNOWN)],
    Discriminator(_tagger(SYMBOL_FILTER_TYPES | EXCHANGE_FILTER_TYPES | ASSET_FILTER_TYPES)),
]
"""Any filter (symbol, exchange or asset), chosen by ``filterType``."""
