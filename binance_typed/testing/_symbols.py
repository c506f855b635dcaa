"""The listed symbols: assets, filters (PRICE_FILTER, LOT_SIZE, NOTIONAL...) and their checks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from ._errors import filter_failure

__all__ = ["DEFAULT_SYMBOLS", "SymbolSpec", "fmt"]

ORDER_TYPES = ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"]


def fmt(value: Decimal, places: int = 8) -> str:
    """Binance's fixed-point rendering: ``Decimal("0.1")`` -> ``"0.10000000"``."""
    return f"{value:.{places}f}"


def floor_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_DOWN) * step


@dataclass(frozen=True)
class SymbolSpec:
    """One trading pair and its rules; ``mid`` seeds the book and the generated candles."""

    symbol: str
    base: str
    quote: str
    mid: Decimal
    tick: Decimal
    step: Decimal
    min_qty: Decimal
    max_qty: Decimal
    min_notional: Decimal
    max_notional: Decimal = Decimal("9000000")
    min_price: Decimal | None = None
    max_price: Decimal = Decimal("1000000")
    maker_qty: Decimal = Decimal("1")
    """Quantity of each market-maker level seeded around ``mid``."""

    @property
    def min_price_value(self) -> Decimal:
        return self.min_price if self.min_price is not None else self.tick

    def round_price(self, price: Decimal) -> Decimal:
        return floor_to(price, self.tick)

    def round_qty(self, qty: Decimal) -> Decimal:
        return floor_to(qty, self.step)

    def filters(self) -> list[dict[str, Any]]:
        return [
            {"filterType": "PRICE_FILTER", "minPrice": fmt(self.min_price_value), "maxPrice": fmt(self.max_price),
             "tickSize": fmt(self.tick)},
            {"filterType": "LOT_SIZE", "minQty": fmt(self.min_qty), "maxQty": fmt(self.max_qty),
             "stepSize": fmt(self.step)},
            {"filterType": "ICEBERG_PARTS", "limit": 10},
            {"filterType": "MARKET_LOT_SIZE", "minQty": fmt(Decimal(0)), "maxQty": fmt(self.max_qty),
             "stepSize": fmt(Decimal(0))},
            {"filterType": "TRAILING_DELTA", "minTrailingAboveDelta": 10, "maxTrailingAboveDelta": 2000,
             "minTrailingBelowDelta": 10, "maxTrailingBelowDelta": 2000},
            {"filterType": "PERCENT_PRICE_BY_SIDE", "bidMultiplierUp": "5", "bidMultiplierDown": "0.2",
             "askMultiplierUp": "5", "askMultiplierDown": "0.2", "avgPriceMins": 5},
            {"filterType": "NOTIONAL", "minNotional": fmt(self.min_notional), "applyMinToMarket": True,
             "maxNotional": fmt(self.max_notional), "applyMaxToMarket": False, "avgPriceMins": 5},
            {"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 200},
            {"filterType": "MAX_NUM_ALGO_ORDERS", "maxNumAlgoOrders": 5},
        ]

    def info(self) -> dict[str, Any]:
        """The ``symbols[]`` entry of exchangeInfo."""
        return {
            "symbol": self.symbol, "status": "TRADING", "baseAsset": self.base, "baseAssetPrecision": 8,
            "quoteAsset": self.quote, "quotePrecision": 8, "quoteAssetPrecision": 8,
            "baseCommissionPrecision": 8, "quoteCommissionPrecision": 8, "orderTypes": ORDER_TYPES,
            "icebergAllowed": True, "ocoAllowed": True, "otoAllowed": True, "opoAllowed": False,
            "quoteOrderQtyMarketAllowed": True, "allowTrailingStop": False, "cancelReplaceAllowed": False,
            "amendAllowed": False, "pegInstructionsAllowed": False, "isSpotTradingAllowed": True,
            "isMarginTradingAllowed": False, "filters": self.filters(), "permissions": [],
            "permissionSets": [["SPOT"]], "defaultSelfTradePreventionMode": "NONE",
            "allowedSelfTradePreventionModes": ["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"],
        }

    # -- filter checks (-1013 "Filter failure: X") --------------------------------------------
    def check_price(self, price: Decimal) -> None:
        if price < self.min_price_value or price > self.max_price or price % self.tick != 0:
            raise filter_failure("PRICE_FILTER")

    def check_qty(self, qty: Decimal, market: bool = False) -> None:
        if market:
            if qty > self.max_qty:
                raise filter_failure("MARKET_LOT_SIZE")
            if qty < self.min_qty or qty % self.step != 0:
                raise filter_failure("LOT_SIZE")
            return
        if qty < self.min_qty or qty > self.max_qty or qty % self.step != 0:
            raise filter_failure("LOT_SIZE")

    def check_notional(self, notional: Decimal, market: bool = False) -> None:
        if notional < self.min_notional or (not market and notional > self.max_notional):
            raise filter_failure("NOTIONAL")


DEFAULT_SYMBOLS: tuple[SymbolSpec, ...] = (
    SymbolSpec("BTCUSDT", "BTC", "USDT", mid=Decimal("60000"), tick=Decimal("0.01"), step=Decimal("0.00001"),
               min_qty=Decimal("0.00001"), max_qty=Decimal("9000"), min_notional=Decimal("5"),
               maker_qty=Decimal("0.25")),
    SymbolSpec("ETHUSDT", "ETH", "USDT", mid=Decimal("3000"), tick=Decimal("0.01"), step=Decimal("0.0001"),
               min_qty=Decimal("0.0001"), max_qty=Decimal("9000"), min_notional=Decimal("5"),
               maker_qty=Decimal("4")),
    SymbolSpec("BNBBTC", "BNB", "BTC", mid=Decimal("0.0095"), tick=Decimal("0.000001"), step=Decimal("0.001"),
               min_qty=Decimal("0.001"), max_qty=Decimal("100000"), min_notional=Decimal("0.0001"),
               maker_qty=Decimal("50")),
)

RATE_LIMITS_TEMPLATE: list[dict[str, Any]] = [
    {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 6000},
    {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 100},
    {"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": 200000},
    {"rateLimitType": "RAW_REQUESTS", "interval": "MINUTE", "intervalNum": 5, "limit": 61000},
]
