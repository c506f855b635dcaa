"""Cases of ``client.market``: one per documented success example of the market endpoints.

The two documented error bodies (``referencePrice`` and ``referencePrice/calculation`` answering
-2043) are replayed by ``tests/test_market_params.py`` instead: the cassette test expects a value.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from binance_typed.models.market import (
    PriceRangeRule,
    Ticker24hr,
    TickerFull,
    TickerMini,
)

from . import Case

UTC = timezone.utc
_SYMBOLS_2 = "symbols=%5B%22BTCUSDT%22%2C%22BNBBTC%22%5D"


def _at(ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def _klines(value: Any) -> None:
    (k,) = value
    assert k.open_time == datetime(2017, 7, 3, tzinfo=UTC)
    assert k.close == Decimal("0.01577100")
    assert k.trades == 308
    assert k.close_time.microsecond == 999000
    assert k.taker_buy_quote_volume == Decimal("28.46694368")


def _depth(value: Any) -> None:
    assert value.last_update_id == 1027024
    assert value.bids[0].price == Decimal("4.00000000")
    assert value.asks[0] == (Decimal("4.00000200"), Decimal("12.00000000"))


def _exchange_info(value: Any) -> None:
    assert value.server_time == _at(1565246363776)
    (eth,) = value.symbols
    assert value.symbol_info("ETHBTC") is eth
    assert eth.base_asset == "ETH" and eth.quote_asset_precision == 8
    assert eth.permission_sets == [["SPOT", "MARGIN"]]
    assert eth.peg_instructions_allowed is True and eth.amend_allowed is False
    assert value.sors is not None and value.sors[0].symbols == ["BTCUSDT", "BTCUSDC"]


def _execution_rules(value: Any) -> None:
    (rules,) = value.symbol_rules
    assert rules.symbol == "BAZUSD"
    (rule,) = rules.rules
    assert type(rule) is PriceRangeRule
    assert rule.bid_limit_mult_up == Decimal("1.0001") and rule.ask_limit_mult_down == Decimal("0.9999")


def _trades(value: Any) -> None:
    (t,) = value
    assert t.id == 28457
    assert t.price == Decimal("4.00000100") and isinstance(t.qty, Decimal)
    assert t.quote_qty == Decimal("48.000012")
    assert t.time == _at(1499865549590) and t.time.tzinfo is not None
    assert t.is_buyer_maker is True and t.is_best_match is True


def _block_trades(value: Any) -> None:
    (t,) = value
    assert t.id == 582 and t.qty == Decimal("5838") and t.price == Decimal("0.052")
    assert t.time == _at(1772506983321)


def _agg_trades(value: Any) -> None:
    (t,) = value
    assert t.agg_trade_id == 26129 and t.first_trade_id == t.last_trade_id == 27781
    assert t.price == Decimal("0.01633102") and t.qty == Decimal("4.70443515")
    assert t.time == _at(1498793709153)
    assert t.is_buyer_maker is True and t.is_best_match is True


def _avg_price(value: Any) -> None:
    assert value.mins == 5
    assert value.price == Decimal("9.35751834")
    assert value.close_time == _at(1694061154503)


def _24hr_full(value: Any) -> None:
    assert type(value) is Ticker24hr
    assert value.price_change == Decimal("-94.99999800")
    assert value.bid_qty == Decimal("100.00000000")
    assert value.open_time == _at(1499783499040)
    assert value.count == 76


def _24hr_full_list(value: Any) -> None:
    assert type(value) is list and all(type(v) is Ticker24hr for v in value)
    assert value[0].prev_close_price == Decimal("0.10002000")


def _24hr_mini(value: Any) -> None:
    assert type(value) is TickerMini
    assert value.last_price == Decimal("4.00000200")
    assert not hasattr(value, "price_change")


def _mini_list(symbols: list[str]) -> Any:
    def check(value: Any) -> None:
        assert type(value) is list and all(type(v) is TickerMini for v in value)
        assert [v.symbol for v in value] == symbols
        assert all(isinstance(v.quote_volume, Decimal) and isinstance(v.close_time, datetime) for v in value)

    return check


def _full(symbol: str, weighted: str) -> Any:
    def check(value: Any) -> None:
        assert type(value) is TickerFull
        assert value.symbol == symbol
        assert value.weighted_avg_price == Decimal(weighted)

    return check


def _full_list(symbols: list[str]) -> Any:
    def check(value: Any) -> None:
        assert type(value) is list and all(type(v) is TickerFull for v in value)
        assert [v.symbol for v in value] == symbols

    return check


def _trading_day_mini(value: Any) -> None:
    assert type(value) is TickerMini
    assert value.close_time == _at(1695772799999)
    assert value.last_id - value.first_id + 1 == value.count


def _price(value: Any) -> None:
    assert value.symbol == "LTCBTC" and value.price == Decimal("4.00000200")


def _price_list(value: Any) -> None:
    assert [(p.symbol, p.price) for p in value] == [("LTCBTC", Decimal("4.00000200")), ("ETHBTC", Decimal("0.07946600"))]


def _book(value: Any) -> None:
    assert value.symbol == "LTCBTC"
    assert value.bid_price == Decimal("4.00000000") and value.ask_qty == Decimal("9.00000000")


def _book_list(value: Any) -> None:
    assert [b.symbol for b in value] == ["LTCBTC", "ETHBTC"]
    assert value[1].ask_price == Decimal("100000.00000000")


def _reference_set(value: Any) -> None:
    assert value.reference_price == Decimal("10.00")
    assert value.timestamp == _at(1770736694138)


def _reference_unset(value: Any) -> None:
    assert value.symbol == "BAZUSD" and value.reference_price is None


def _calc_mean(value: Any) -> None:
    assert value.calculation_type == "ARITHMETIC_MEAN"
    assert value.bucket_count == 10 and value.bucket_width == timedelta(seconds=1)
    assert value.external_calculation_id is None


def _calc_external(value: Any) -> None:
    assert value.calculation_type == "EXTERNAL" and value.external_calculation_id == 42
    assert value.bucket_count is None


CASES = [
    Case("market.ping", "GET__api_v3_ping.json", "", check=lambda v: v.model_dump() == {}),
    Case(
        "market.time", "GET__api_v3_time.json", "",
        check=lambda v: v.server_time == datetime(2017, 7, 12, 2, 41, 59, 559000, tzinfo=UTC),
    ),
    Case("market.exchange_info", "GET__api_v3_exchangeInfo.json", "symbol=ETHBTC", kwargs={"symbol": "ETHBTC"},
         check=_exchange_info),
    Case("market.execution_rules", "GET__api_v3_executionRules.json", "symbol=BAZUSD",
         kwargs={"symbol": "BAZUSD"}, check=_execution_rules),
    Case("market.depth", "GET__api_v3_depth.json", "symbol=BNBBTC&limit=5", args=("BNBBTC",),
         kwargs={"limit": 5}, check=_depth),
    Case("market.trades", "GET__api_v3_trades.json", "symbol=BNBBTC&limit=1", args=("BNBBTC",),
         kwargs={"limit": 1}, check=_trades),
    Case("market.historical_trades", "GET__api_v3_historicalTrades.json", "symbol=BNBBTC&limit=1&fromId=28457",
         args=("BNBBTC",), kwargs={"limit": 1, "fromId": 28457}, check=_trades),
    Case("market.historical_block_trades", "GET__api_v3_historicalBlockTrades.json",
         "symbol=BAZUSD&fromId=582&limit=1", args=("BAZUSD", 582), kwargs={"limit": 1}, check=_block_trades),
    Case("market.agg_trades", "GET__api_v3_aggTrades.json",
         "symbol=BNBBTC&startTime=1498793709000&endTime=1498793710000&limit=1", args=("BNBBTC",),
         kwargs={"startTime": datetime(2017, 6, 30, 3, 35, 9, tzinfo=UTC), "endTime": 1498793710000, "limit": 1},
         check=_agg_trades),
    Case("market.klines", "GET__api_v3_klines.json", "symbol=BNBBTC&interval=1m&limit=10",
         args=("BNBBTC", "1m"), kwargs={"limit": 10}, check=_klines),
    Case("market.ui_klines", "GET__api_v3_uiKlines.json", "symbol=BNBBTC&interval=1w&timeZone=-1%3A00",
         args=("BNBBTC", "1w"), kwargs={"timeZone": "-1:00"}, check=_klines),
    Case("market.avg_price", "GET__api_v3_avgPrice.json", "symbol=BNBBTC", args=("BNBBTC",), check=_avg_price),
    # ticker/24hr: symbol -> object, otherwise a list; type MINI -> TickerMini
    Case("market.ticker_24hr", "GET__api_v3_ticker_24hr__01_FULL.json", "symbol=BNBBTC", label="full",
         kwargs={"symbol": "BNBBTC"}, check=_24hr_full),
    Case("market.ticker_24hr", "GET__api_v3_ticker_24hr__02_FULL_list.json",
         "symbols=%5B%22BNBBTC%22%5D&type=FULL", label="full_list",
         kwargs={"symbols": ["BNBBTC"], "type": "FULL"}, check=_24hr_full_list),
    Case("market.ticker_24hr", "GET__api_v3_ticker_24hr__03_MINI.json", "symbol=BNBBTC&type=MINI", label="mini",
         kwargs={"symbol": "BNBBTC", "type": "MINI"}, check=_24hr_mini),
    Case("market.ticker_24hr", "GET__api_v3_ticker_24hr__04_MINI_list.json", "type=MINI&symbolStatus=TRADING",
         label="mini_list", kwargs={"type": "MINI", "symbolStatus": "TRADING"},
         check=_mini_list(["BNBBTC", "LTCBTC"])),
    # ticker/tradingDay
    Case("market.ticker_trading_day", "GET__api_v3_ticker_tradingDay__01_FULL_With_symbol.json",
         "symbol=BTCUSDT", label="full", kwargs={"symbol": "BTCUSDT"},
         check=_full("BTCUSDT", "26234.58803036")),
    Case("market.ticker_trading_day", "GET__api_v3_ticker_tradingDay__02_FULL_With_symbols.json",
         "symbols=%5B%22BTCUSDT%22%2C%22BNBUSDT%22%5D&timeZone=8", label="full_list",
         kwargs={"symbols": ("BTCUSDT", "BNBUSDT"), "timeZone": "8"}, check=_full_list(["BTCUSDT", "BNBUSDT"])),
    Case("market.ticker_trading_day", "GET__api_v3_ticker_tradingDay__03_MINI_With_symbol.json",
         "symbol=BTCUSDT&type=MINI", label="mini", kwargs={"symbol": "BTCUSDT", "type": "MINI"},
         check=_trading_day_mini),
    Case("market.ticker_trading_day", "GET__api_v3_ticker_tradingDay__04_MINI_With_symbols.json",
         "symbols=%5B%22BTCUSDT%22%2C%22BNBUSDT%22%5D&type=MINI", label="mini_list",
         kwargs={"symbols": ["BTCUSDT", "BNBUSDT"], "type": "MINI"}, check=_mini_list(["BTCUSDT", "BNBUSDT"])),
    # ticker/price and ticker/bookTicker: symbol -> object, otherwise a list
    Case("market.ticker_price", "GET__api_v3_ticker_price__01_single.json", "symbol=LTCBTC", label="single",
         kwargs={"symbol": "LTCBTC"}, check=_price),
    Case("market.ticker_price", "GET__api_v3_ticker_price__02_list.json",
         "symbols=%5B%22LTCBTC%22%2C%22ETHBTC%22%5D", label="list", kwargs={"symbols": ["LTCBTC", "ETHBTC"]},
         check=_price_list),
    Case("market.book_ticker", "GET__api_v3_ticker_bookTicker__01_single.json", "symbol=LTCBTC", label="single",
         kwargs={"symbol": "LTCBTC"}, check=_book),
    Case("market.book_ticker", "GET__api_v3_ticker_bookTicker__02_list.json", "", label="list", check=_book_list),
    # ticker (rolling window)
    Case("market.ticker", "GET__api_v3_ticker__01_FULL_When_using_symbol.json", "symbol=BNBBTC&windowSize=2d",
         label="full", kwargs={"symbol": "BNBBTC", "windowSize": "2d"}, check=_full("BNBBTC", "2.60427807")),
    Case("market.ticker", "GET__api_v3_ticker__02_FULL_When_using_symbols.json", _SYMBOLS_2 + "&windowSize=4h",
         label="full_list", kwargs={"symbols": ["BTCUSDT", "BNBBTC"], "windowSize": "4h"},
         check=_full_list(["BTCUSDT", "BNBBTC"])),
    Case("market.ticker", "GET__api_v3_ticker__03_MINI_When_using_symbol.json", "symbol=LTCBTC&type=MINI",
         label="mini", kwargs={"symbol": "LTCBTC", "type": "MINI"},
         check=lambda v: type(v) is TickerMini and v.high_price == Decimal("2.00000000")),
    Case("market.ticker", "GET__api_v3_ticker__04_MINI_When_using_symbols.json",
         "symbols=%5B%22BNBBTC%22%2C%22LTCBTC%22%5D&windowSize=15m&type=MINI", label="mini_list",
         kwargs={"symbols": ["BNBBTC", "LTCBTC"], "windowSize": "15m", "type": "MINI"},
         check=_mini_list(["BNBBTC", "LTCBTC"])),
    # reference price
    Case("market.reference_price", "GET__api_v3_referencePrice__01_If_a_reference_price_is_set.json",
         "symbol=BAZUSD", label="set", args=("BAZUSD",), check=_reference_set),
    Case("market.reference_price", "GET__api_v3_referencePrice__02_If_no_reference_price_is_set.json",
         "symbol=BAZUSD", label="unset", args=("BAZUSD",), check=_reference_unset),
    Case("market.reference_price_calculation",
         "GET__api_v3_referencePrice_calculation__02_If_the_reference_price_is_being_calculated_by.json",
         "symbol=BAZUSD&symbolStatus=TRADING", label="arithmetic_mean", args=("BAZUSD",),
         kwargs={"symbolStatus": "TRADING"}, check=_calc_mean),
    Case("market.reference_price_calculation",
         "GET__api_v3_referencePrice_calculation__03_If_the_reference_price_is_being_calculated.json",
         "symbol=BAZUSD", label="external", args=("BAZUSD",), check=_calc_external),
]
