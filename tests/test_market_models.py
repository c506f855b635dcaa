"""Response models of ``client.market`` beyond the documented examples.

The documented ``exchangeInfo`` example is a placeholder (no filters, an empty rate limit), so the
filters are checked here from every filter example, inside a realistic ``exchangeInfo`` built from
them. The fast list parsers are checked against full validation, including microsecond times,
unknown fields and malformed rows.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from support import EXAMPLES, assert_no_extra, dump, example

from binance_typed.endpoints.market import KLINES, TRADES, KlinesParams
from binance_typed.models import filters as f
from binance_typed.models.market import (
    AggTrade,
    BlockTrade,
    ExchangeInfo,
    ExecutionRules,
    Kline,
    PriceRangeRule,
    RateLimit,
    ServerTime,
    Ticker24hr,
    Trade,
    UnknownRule,
    parse_agg_trades,
    parse_block_trades,
    parse_klines,
    parse_trades,
)

UTC = timezone.utc
MICRO = {"time_unit": "MICROSECOND"}
FILTER_FILES = sorted((EXAMPLES / "filters").glob("*.json"))
FILTER_CLASSES: dict[str, type[Any]] = {
    "PRICE_FILTER": f.PriceFilter,
    "PERCENT_PRICE": f.PercentPrice,
    "PERCENT_PRICE_BY_SIDE": f.PercentPriceBySide,
    "LOT_SIZE": f.LotSize,
    "MIN_NOTIONAL": f.MinNotional,
    "NOTIONAL": f.Notional,
    "ICEBERG_PARTS": f.IcebergParts,
    "MARKET_LOT_SIZE": f.MarketLotSize,
    "MAX_NUM_ORDERS": f.MaxNumOrders,
    "MAX_NUM_ALGO_ORDERS": f.MaxNumAlgoOrders,
    "MAX_NUM_ICEBERG_ORDERS": f.MaxNumIcebergOrders,
    "MAX_POSITION": f.MaxPosition,
    "TRAILING_DELTA": f.TrailingDelta,
    "MAX_NUM_ORDER_AMENDS": f.MaxNumOrderAmends,
    "MAX_NUM_ORDER_LISTS": f.MaxNumOrderLists,
    "EXCHANGE_MAX_NUM_ORDERS": f.ExchangeMaxNumOrders,
    "EXCHANGE_MAX_NUM_ALGO_ORDERS": f.ExchangeMaxNumAlgoOrders,
    "EXCHANGE_MAX_NUM_ICEBERG_ORDERS": f.ExchangeMaxNumIcebergOrders,
    "EXCHANGE_MAX_NUM_ORDER_LISTS": f.ExchangeMaxNumOrderLists,
    "MAX_ASSET": f.MaxAsset,
}
ANY_FILTER: TypeAdapter[Any] = TypeAdapter(f.Filter)
SYMBOL_FILTER: TypeAdapter[Any] = TypeAdapter(f.SymbolFilter)
EXCHANGE_FILTER: TypeAdapter[Any] = TypeAdapter(f.ExchangeFilter)
ASSET_FILTER: TypeAdapter[Any] = TypeAdapter(f.AssetFilter)


# -- filters --------------------------------------------------------------------------------------
def test_every_documented_filter_type_is_modelled() -> None:
    documented = json.loads((EXAMPLES / "filters.json").read_text())
    assert set(documented) == set(FILTER_CLASSES) == {p.stem for p in FILTER_FILES}
    by_category = {"symbol": f.SYMBOL_FILTER_TYPES, "exchange": f.EXCHANGE_FILTER_TYPES, "asset": f.ASSET_FILTER_TYPES}
    for name, spec in documented.items():
        assert name in by_category[spec["category"]], name


@pytest.mark.parametrize("path", FILTER_FILES, ids=[p.stem for p in FILTER_FILES])
def test_filter_example_parses_to_its_class(path: Any) -> None:
    data = json.loads(path.read_text())
    value = ANY_FILTER.validate_python(data)
    assert type(value) is FILTER_CLASSES[data["filterType"]]
    assert dump(value) == data
    assert_no_extra(value)
    spec = json.loads((EXAMPLES / "filters.json").read_text())[data["filterType"]]
    category = {"symbol": SYMBOL_FILTER, "exchange": EXCHANGE_FILTER, "asset": ASSET_FILTER}[spec["category"]]
    assert type(category.validate_python(data)) is type(value)
    for name, kind in spec["fields"].items():
        attr = getattr(value, _snake(name))
        expected = {"decimal_string": Decimal, "int": int, "bool": bool, "string": str}[kind]
        assert type(attr) is expected, (name, attr)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def test_filter_values_are_exact_decimals() -> None:
    price = ANY_FILTER.validate_python(example("filters/PRICE_FILTER.json"))
    assert price.tick_size == Decimal("0.00000100")
    assert price.min_price == Decimal("0.000001") and str(price.min_price) == "0.00000100"
    notional = ANY_FILTER.validate_python(example("filters/NOTIONAL.json"))
    assert notional.max_notional == Decimal("10000") and notional.apply_min_to_market is False
    side = ANY_FILTER.validate_python(example("filters/PERCENT_PRICE_BY_SIDE.json"))
    assert side.ask_multiplier_up == Decimal("5") and side.avg_price_mins == 1
    asset = ANY_FILTER.validate_python(example("filters/MAX_ASSET.json"))
    assert asset.asset == "USDC" and asset.limit == Decimal("42")


def test_unknown_filter_type_is_kept_not_rejected() -> None:
    data = {"filterType": "MAX_NUM_FLYING_ORDERS", "maxFlying": 3, "altitude": "1.5"}
    for adapter in (ANY_FILTER, SYMBOL_FILTER, EXCHANGE_FILTER, ASSET_FILTER):
        value = adapter.validate_python(data)
        assert type(value) is f.UnknownFilter
        assert value.filter_type == "MAX_NUM_FLYING_ORDERS"
        assert value.model_extra == {"maxFlying": 3, "altitude": "1.5"}
        assert dump(value) == data


def test_filter_of_another_category_falls_back_to_unknown() -> None:
    value = SYMBOL_FILTER.validate_python(example("filters/EXCHANGE_MAX_NUM_ORDERS.json"))
    assert type(value) is f.UnknownFilter and value.model_extra == {"maxNumOrders": 1000}


def test_known_filter_with_a_bad_field_is_an_error() -> None:
    with pytest.raises(ValidationError, match="tickSize"):
        ANY_FILTER.validate_python({"filterType": "PRICE_FILTER", "minPrice": "1", "maxPrice": "2"})
    with pytest.raises(ValidationError):
        ANY_FILTER.validate_python({"filterType": "LOT_SIZE", "minQty": "x", "maxQty": "1", "stepSize": "1"})


# -- exchangeInfo ---------------------------------------------------------------------------------
def realistic_exchange_info() -> dict[str, Any]:
    """The WebSocket API example (real rate limits) with every filter example in place."""
    info = copy.deepcopy(example("wsapi/exchangeInfo.json")["result"])
    symbol_filters, exchange_filters = [], []
    for path in FILTER_FILES:
        data = json.loads(path.read_text())
        if data["filterType"] in f.EXCHANGE_FILTER_TYPES:
            exchange_filters.append(data)
        elif data["filterType"] in f.SYMBOL_FILTER_TYPES:
            symbol_filters.append(data)
    info["exchangeFilters"] = exchange_filters
    info["symbols"][0]["filters"] = symbol_filters
    second = copy.deepcopy(info["symbols"][0])
    second.update(symbol="ETHUSDT", baseAsset="ETH", quoteAsset="USDT", status="HALT")
    second["filters"] = [example("filters/LOT_SIZE.json") | {"stepSize": "0.00010000"}]
    info["symbols"].append(second)
    return info


def test_realistic_exchange_info() -> None:
    data = realistic_exchange_info()
    info = ExchangeInfo.model_validate_json(json.dumps(data))
    assert dump(info) == data
    assert_no_extra(info)
    assert info.server_time == datetime(2022, 6, 23, 7, 28, 11, 181000, tzinfo=UTC)
    assert [type(x) for x in info.exchange_filters] == [
        FILTER_CLASSES[x["filterType"]] for x in data["exchangeFilters"]
    ]
    weight = info.rate_limits[0]
    assert (weight.rate_limit_type, weight.interval, weight.interval_num, weight.limit) == (
        "REQUEST_WEIGHT", "MINUTE", 1, 6000,
    )
    bnb = info.symbol_info("BNBBTC")
    assert bnb is not None and len(bnb.filters) == len(f.SYMBOL_FILTER_TYPES)
    lot = bnb.get_filter(f.LotSize)
    assert lot is not None and lot.step_size == Decimal("0.001")
    assert bnb.get_filter(f.MaxPosition) is not None
    eth = info.symbol_info("ETHUSDT")
    assert eth is not None and eth.status == "HALT"
    eth_lot = eth.get_filter(f.LotSize)
    assert eth_lot is not None and eth_lot.step_size == Decimal("0.0001")
    assert eth.get_filter(f.PriceFilter) is None
    assert info.symbol_info("NOPE") is None


def test_exchange_info_keeps_new_fields() -> None:
    data = realistic_exchange_info()
    data["newTopLevel"] = {"x": 1}
    data["symbols"][0]["brandNewFlag"] = True
    data["rateLimits"].append({"rateLimitType": "RAW_REQUESTS", "interval": "MINUTE", "intervalNum": 5,
                               "limit": 61000, "burst": 3})
    info = ExchangeInfo.model_validate(data)
    assert info.model_extra == {"newTopLevel": {"x": 1}}
    assert info.symbols[0].model_extra == {"brandNewFlag": True}
    assert info.rate_limits[-1].model_extra == {"burst": 3}
    assert dump(info) == data


def test_documented_placeholder_rate_limit_parses_empty() -> None:
    assert dump(RateLimit.model_validate({})) == {}


def test_symbol_info_tolerates_missing_newer_flags() -> None:
    data = realistic_exchange_info()["symbols"][0]
    for key in ("otoAllowed", "opoAllowed", "amendAllowed", "pegInstructionsAllowed", "quotePrecision"):
        del data[key]
    info = ExchangeInfo.model_validate(
        {"timezone": "UTC", "serverTime": 1, "rateLimits": [], "exchangeFilters": [], "symbols": [data]}
    )
    (symbol,) = info.symbols
    assert symbol.opo_allowed is False and symbol.quote_precision is None
    assert info.sors is None


def test_unknown_execution_rule_is_kept() -> None:
    data = {"symbolRules": [{"symbol": "X", "rules": [
        example("rest/GET__api_v3_executionRules.json")["symbolRules"][0]["rules"][0],
        {"ruleType": "QTY_RANGE", "maxQty": "5"},
    ]}]}
    rules = ExecutionRules.model_validate(data).symbol_rules[0].rules
    assert type(rules[0]) is PriceRangeRule and type(rules[1]) is UnknownRule
    assert rules[1].model_extra == {"maxQty": "5"}


# -- microsecond timestamps -----------------------------------------------------------------------
def test_microsecond_timestamps_keep_microseconds() -> None:
    assert ServerTime.model_validate({"serverTime": 1499827319559123}, context=MICRO).server_time == datetime(
        2017, 7, 12, 2, 41, 59, 559123, tzinfo=UTC
    )
    ticker = example("rest/GET__api_v3_ticker_24hr__01_FULL.json")
    ticker["openTime"] = 1499783499040001
    assert Ticker24hr.model_validate(ticker, context=MICRO).open_time.microsecond == 40001
    assert Ticker24hr.model_validate(ticker | {"openTime": 1499783499040}).open_time.microsecond == 40000


def test_fast_parsers_read_microseconds_from_context() -> None:
    trade = [example("rest/GET__api_v3_trades.json")[0] | {"time": 1499865549590123}]
    (t,) = parse_trades(json.dumps(trade), MICRO)
    assert t.time == datetime(2017, 7, 12, 13, 19, 9, 590123, tzinfo=UTC)
    agg = [example("rest/GET__api_v3_aggTrades.json")[0] | {"T": 1498793709153456}]
    (a,) = parse_agg_trades(json.dumps(agg), MICRO)
    assert a.time.microsecond == 153456
    row = example("rest/GET__api_v3_klines.json")[0]
    row[0], row[6] = 1499040000000001, 1499644799999999
    (k,) = parse_klines(json.dumps([row]), MICRO)
    assert k.open_time.microsecond == 1 and k.close_time.microsecond == 999999
    (k_ms,) = parse_klines(json.dumps(example("rest/GET__api_v3_klines.json")), None)
    assert k_ms.open_time == datetime(2017, 7, 3, tzinfo=UTC) and k_ms.close_time.microsecond == 999000


def test_client_time_unit_reaches_the_parser() -> None:
    import httpx

    from binance_typed import Client

    body = json.dumps([example("rest/GET__api_v3_trades.json")[0] | {"time": 1499865549590123}])
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=body)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with Client(base_url="https://testnet.binance.vision", time_unit="microsecond", http_client=http) as client:
        (t,) = client.market.trades("BNBBTC")
    assert seen[0].headers["X-MBX-TIME-UNIT"].upper() == "MICROSECOND"
    assert t.time.microsecond == 590123


# -- fast list parsers ----------------------------------------------------------------------------
def _bodies(rows: int = 300) -> dict[str, bytes]:
    rng = random.Random(7)
    price = lambda: f"{rng.uniform(1, 70000):.8f}"  # noqa: E731
    t0 = 1_700_000_000_000
    trades = [{"id": i, "price": price(), "qty": price(), "quoteQty": price(), "time": t0 + i,
               "isBuyerMaker": rng.random() < 0.5, "isBestMatch": True} for i in range(rows)]
    blocks = [{k: v for k, v in t.items() if k != "isBestMatch"} for t in trades]
    aggs = [{"a": i, "p": price(), "q": price(), "f": i * 2, "l": i * 2 + 1, "T": t0 + i * 7,
             "m": i % 2 == 0, "M": True} for i in range(rows)]
    klines = [[t0 + i * 60000, price(), price(), price(), price(), price(), t0 + i * 60000 + 59999, price(),
               rng.randint(0, 9999), price(), price(), "0"] for i in range(rows)]
    return {name: json.dumps(value).encode() for name, value in
            (("trades", trades), ("blocks", blocks), ("aggs", aggs), ("klines", klines))}


@pytest.mark.parametrize(
    ("name", "parse", "model"),
    [("trades", parse_trades, Trade), ("blocks", parse_block_trades, BlockTrade), ("aggs", parse_agg_trades, AggTrade)],
)
def test_fast_trade_parsers_equal_full_validation(name: str, parse: Any, model: type[Any]) -> None:
    body = _bodies()[name]
    fast = parse(body, None)
    full = TypeAdapter(list[model]).validate_json(body)
    assert fast == full
    assert all(type(x) is model for x in fast)
    assert all(x.time.tzinfo is UTC for x in fast)
    assert [x.model_fields_set for x in fast] == [x.model_fields_set for x in full]
    assert dump(fast) == json.loads(body)
    assert fast[0].model_copy(update={"qty": Decimal(1)}).qty == Decimal(1)


def test_fast_klines_equal_full_validation() -> None:
    body = _bodies()["klines"]
    fast = parse_klines(body, None)
    full = TypeAdapter(list[Kline]).validate_json(body)
    assert fast == full and all(type(k) is Kline for k in fast)
    assert isinstance(fast[0].open, Decimal) and fast[0].open_time.tzinfo is UTC
    assert TypeAdapter(list[Kline]).dump_python(fast, mode="json") == [r[:11] for r in json.loads(body)]


def test_fast_parser_keeps_unknown_fields() -> None:
    rows = example("rest/GET__api_v3_trades.json") * 2
    rows[1] = rows[1] | {"id": 28458, "venue": "X"}
    fast = parse_trades(json.dumps(rows), None)
    assert fast[0].model_extra == {} and fast[1].model_extra == {"venue": "X"}
    assert dump(fast) == rows


@pytest.mark.parametrize(
    "bad",
    [{"price": "abc"}, {"time": "soon"}, {"time": 1.5}, {"qty": None}, {"isBestMatch": "maybe"}],
)
def test_fast_trade_parser_reports_malformed_rows(bad: dict[str, Any]) -> None:
    rows = example("rest/GET__api_v3_trades.json") * 3
    rows[2] = rows[2] | bad
    with pytest.raises(ValidationError) as info:
        parse_trades(json.dumps(rows), None)
    assert info.value.errors()[0]["loc"][:2] == (2, next(iter(bad)))


def test_fast_parser_time_out_of_range_fails_like_full_validation() -> None:
    body = json.dumps([example("rest/GET__api_v3_trades.json")[0] | {"time": 10**30}])
    with pytest.raises(Exception) as fast:
        parse_trades(body, None)
    with pytest.raises(Exception) as full:
        TypeAdapter(list[Trade]).validate_json(body)
    assert type(fast.value) is type(full.value)


def test_fast_trade_parser_reports_missing_field() -> None:
    rows = example("rest/GET__api_v3_aggTrades.json")
    del rows[0]["T"]
    with pytest.raises(ValidationError, match="T"):
        parse_agg_trades(json.dumps(rows), None)


def test_fast_parser_accepts_numeric_string_time_like_full_validation() -> None:
    rows = [example("rest/GET__api_v3_trades.json")[0] | {"time": "1499865549590"}]
    assert parse_trades(json.dumps(rows), None) == TypeAdapter(list[Trade]).validate_python(rows)


@pytest.mark.parametrize(
    ("index", "value"),
    [(1, "not a number"), (0, "soon"), (4, None), (8, "many")],
)
def test_fast_klines_reports_malformed_rows(index: int, value: Any) -> None:
    rows = [example("rest/GET__api_v3_klines.json")[0] for _ in range(3)]
    rows[1][index] = value
    with pytest.raises(ValidationError) as info:
        parse_klines(json.dumps(rows), None)
    assert info.value.errors()[0]["loc"][0] == 1


def test_fast_klines_short_or_non_array_rows_are_errors() -> None:
    row = example("rest/GET__api_v3_klines.json")[0]
    with pytest.raises(ValidationError):
        parse_klines(json.dumps([row, row[:5]]), None)
    with pytest.raises(ValidationError):
        parse_klines(json.dumps([row, {"open": "1"}]), None)
    assert parse_klines(b"[]", None) == []


def test_klines_ignore_extra_trailing_elements() -> None:
    row = example("rest/GET__api_v3_klines.json")[0]
    longer = [*row, "42", 7]
    (fast,) = parse_klines(json.dumps([longer]), None)
    (slow,) = TypeAdapter(list[Kline]).validate_python([longer])
    assert fast == slow == parse_klines(json.dumps([row]), None)[0]


def test_klines_result_of_websocket_api_goes_through_adapter() -> None:
    row = example("rest/GET__api_v3_klines.json")[0]
    row[0] = 1499040000000007
    params = KlinesParams.build(symbol="BNBBTC", interval="1d")
    (k,) = KLINES.parse_python([row], params, MICRO)
    assert k.open_time.microsecond == 7 and k.trades == 308
    assert k == tuple(k) and k.close == k[4] == Decimal("0.01577100")


def test_endpoint_parse_uses_the_fast_path() -> None:
    body = _bodies()["trades"]
    params = TRADES.params.build(symbol="BTCUSDT")
    assert TRADES.parse(body, params, None) == parse_trades(body, None)


@pytest.mark.parametrize("time", [1499865549590.0, True])
def test_fast_parser_is_as_strict_as_full_validation_on_times(time: Any) -> None:
    body = json.dumps([example("rest/GET__api_v3_trades.json")[0] | {"time": time}])
    with pytest.raises(ValidationError):
        TypeAdapter(list[Trade]).validate_json(body)
    with pytest.raises(ValidationError):
        parse_trades(body, None)


def test_klines_body_that_is_not_an_array_is_an_error() -> None:
    with pytest.raises(ValidationError):
        parse_klines(b"{}", None)
    with pytest.raises(ValidationError):
        parse_klines(b'{"code": 0}', None)


@pytest.mark.parametrize("micro", [False, True])
@pytest.mark.parametrize(
    "opens",
    [
        [1_700_000_000_000 + 60_000 * i for i in range(50)],  # consecutive candles: the fast column
        [1_700_000_000_000 + 60_000 * i + (i == 7) for i in range(50)],  # one off: the generic column
        [1_700_000_000_000 + 60_000 * i for i in (0, 1, 2, 5, 6, 9)],  # a gap in the series
    ],
    ids=["even", "uneven", "gap"],
)
def test_fast_klines_time_columns_equal_full_validation(opens: list[int], micro: bool) -> None:
    scale = 1000 if micro else 1
    rows = [[o * scale, "1.0", "2.0", "0.5", "1.5", "10", (o + 59_999) * scale, "15", 3, "5", "7.5", "0"] for o in opens]
    rows[-1][6] = (opens[-1] + 30_000) * scale  # the current candle closes later than the others
    context = {"time_unit": "MICROSECOND"} if micro else None
    fast = parse_klines(json.dumps(rows), context)
    full = TypeAdapter(list[Kline]).validate_python(rows, context=context)
    assert fast == full
    assert fast[3].open_time - fast[2].open_time == full[3].open_time - full[2].open_time
