"""Exchange rules: rounding to the tick/step grid, every filter's check, the cache, order_rules."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binance_typed import BinanceError, ClientError, ParameterValueError
from binance_typed.models.market import ExchangeInfo
from binance_typed.rules import AccountState, FilterViolation, RulesCache, SymbolRules, round_step
from binance_typed.testing import LocalBinance
from binance_typed.testing._symbols import SymbolSpec

# a BTCUSDT whose book is not on round prices: best bid 59988.01 (mid 60000.01, spacing 12.00)
ODD = SymbolSpec("BTCUSDT", "BTC", "USDT", mid=Decimal("60000.01"), tick=Decimal("0.01"), step=Decimal("0.00001"),
                 min_qty=Decimal("0.00001"), max_qty=Decimal("9000"), min_notional=Decimal("5"),
                 maker_qty=Decimal("0.25"))


@pytest.fixture(scope="module")
def odd_exchange() -> Iterator[LocalBinance]:
    with LocalBinance(symbols=(ODD,), levels=3, weight_limit=10**9, orders_10s=10**9) as ex:
        ex.fund("USDT", 10**9)
        ex.fund("BTC", 10**5)
        yield ex


@pytest.fixture(scope="module")
def odd_rules(odd_exchange: LocalBinance) -> SymbolRules:
    with odd_exchange.client() as client:
        return client.market.rules("BTCUSDT")


# -- rounding ---------------------------------------------------------------------------------------
def test_round_step_uses_the_real_exponent_of_the_step() -> None:
    tick = Decimal("0.01000000")  # as exchangeInfo writes it
    assert str(round_step(Decimal("59988.0149"), tick)) == "59988.01"
    assert str(Decimal("59988.0149").quantize(tick)) == "59988.01490000"  # the old, wrong recipe
    assert str(round_step(Decimal("0.0012345"), Decimal("0.00001000"))) == "0.00123"
    assert str(round_step(Decimal("123"), Decimal("10.00000000"))) == "120"
    assert round_step(Decimal("5.5"), Decimal(0)) == Decimal("5.5")  # a zero step: rule off
    # a grid that starts at min: 0.15 + k * 0.1
    assert round_step(Decimal("0.42"), Decimal("0.1"), Decimal("0.15")) == Decimal("0.35")


def test_best_bid_not_round_old_recipe_rejected_rules_accepted(odd_exchange: LocalBinance,
                                                                odd_rules: SymbolRules) -> None:
    with odd_exchange.client() as client:
        bid = client.market.book_ticker(symbol="BTCUSDT").bid_price
        assert bid == Decimal("59988.01")
        wanted = bid + Decimal("0.0049")  # e.g. a computed price
        tick = odd_rules.price_filter.tick_size  # type: ignore[union-attr]
        assert tick == Decimal("0.01000000")
        with pytest.raises(ClientError) as exc:
            client.trade.test_new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC",
                                        price=wanted.quantize(tick), quantity="0.001")
        assert exc.value.error_code == -1013 and "PRICE_FILTER" in exc.value.error_message
        price = odd_rules.round_price(wanted, "BUY")
        assert str(price) == "59988.01"
        client.trade.test_new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", price=price,
                                    quantity=odd_rules.round_quantity(Decimal("0.0012345")))
        order = client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", price=price,
                                       quantity=odd_rules.round_quantity(Decimal("0.0012345")))
        assert order.price == Decimal("59988.01") and order.orig_qty == Decimal("0.00123")


def test_round_price_modes(odd_rules: SymbolRules) -> None:
    p = Decimal("100.005")
    assert odd_rules.round_price(p, "down") == odd_rules.round_price(p, "BUY") == Decimal("100.00")
    assert odd_rules.round_price(p, "up") == odd_rules.round_price(p, "SELL") == Decimal("100.01")
    assert odd_rules.round_price(Decimal("100.006")) == Decimal("100.01")
    with pytest.raises(ValueError, match="rounding"):
        odd_rules.round_price(p, "sideways")  # type: ignore[arg-type]


def test_min_quantity_for_notional(odd_rules: SymbolRules) -> None:
    qty = odd_rules.min_quantity_for(odd_rules.min_notional_value, Decimal("59988.01"))
    assert qty == Decimal("0.00009")  # 0.00008 * 59988.01 = 4.799 < 5
    assert qty * Decimal("59988.01") >= 5 > (qty - odd_rules.step_size) * Decimal("59988.01")
    odd_rules.check({"side": "BUY", "type": "LIMIT", "price": "59988.01", "quantity": qty})


@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("1000000"), places=8),
       step=st.sampled_from(["0.01000000", "0.00001000", "1.00000000", "0.00000100", "10.00000000"]))
def test_round_step_property(value: Decimal, step: str) -> None:
    tick = Decimal(step)
    down = round_step(value, tick)
    assert down <= value < down + tick
    assert down % tick == 0
    exponent = down.as_tuple().exponent
    assert isinstance(exponent, int) and exponent == min(0, tick.normalize().as_tuple().exponent)  # type: ignore[operator]


# -- agreement with the local exchange (hypothesis) ---------------------------------------------------
prices = st.decimals(min_value=Decimal("100"), max_value=Decimal("120000"), places=6)
quantities = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("2"), places=7)


def _simulator_verdict(client: Any, side: str, price: Decimal, qty: Decimal) -> str | None:
    try:
        client.trade.test_new_order("BTCUSDT", side, "LIMIT", timeInForce="GTC", price=price, quantity=qty)
    except ClientError as exc:
        assert exc.error_code == -1013, exc
        return exc.error_message.removeprefix("Filter failure: ")
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(side=st.sampled_from(["BUY", "SELL"]), price=prices, qty=quantities)
def test_rounded_orders_never_get_1013(odd_exchange: LocalBinance, odd_rules: SymbolRules, side: str,
                                       price: Decimal, qty: Decimal) -> None:
    order = odd_rules.round_order({"side": side, "type": "LIMIT", "price": price, "quantity": qty})
    if order["quantity"] < odd_rules.min_quantity_for(odd_rules.min_notional_value, order["price"]):
        order["quantity"] = odd_rules.min_quantity_for(odd_rules.min_notional_value, order["price"])
    odd_rules.check(order)
    with odd_exchange.client() as client:
        assert _simulator_verdict(client, side, order["price"], order["quantity"]) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(side=st.sampled_from(["BUY", "SELL"]), price=prices, qty=quantities)
def test_check_agrees_with_the_simulator(odd_exchange: LocalBinance, odd_rules: SymbolRules, side: str,
                                         price: Decimal, qty: Decimal) -> None:
    try:
        odd_rules.check({"side": side, "type": "LIMIT", "price": price, "quantity": qty})
        ours = None
    except FilterViolation as exc:
        ours = exc.filter_type
    with odd_exchange.client() as client:
        assert _simulator_verdict(client, side, price, qty) == ours


# -- every filter type -----------------------------------------------------------------------------
def _rules(*filters: dict[str, Any], exchange: tuple[dict[str, Any], ...] = ()) -> SymbolRules:
    info = ExchangeInfo.model_validate({
        "timezone": "UTC", "serverTime": 0, "rateLimits": [], "exchangeFilters": list(exchange),
        "symbols": [{
            "symbol": "XYZUSDT", "status": "TRADING", "baseAsset": "XYZ", "baseAssetPrecision": 8,
            "quoteAsset": "USDT", "quoteAssetPrecision": 8, "baseCommissionPrecision": 8,
            "quoteCommissionPrecision": 8, "orderTypes": ["LIMIT", "MARKET"], "icebergAllowed": True,
            "ocoAllowed": True, "quoteOrderQtyMarketAllowed": True, "isSpotTradingAllowed": True,
            "isMarginTradingAllowed": False, "filters": list(filters),
        }],
    })
    return SymbolRules.from_exchange_info(info, "xyzusdt")


PRICE = {"filterType": "PRICE_FILTER", "minPrice": "0.01000000", "maxPrice": "1000.00000000", "tickSize": "0.01000000"}
LOT = {"filterType": "LOT_SIZE", "minQty": "0.10000000", "maxQty": "100.00000000", "stepSize": "0.10000000"}
MLOT = {"filterType": "MARKET_LOT_SIZE", "minQty": "1.00000000", "maxQty": "50.00000000", "stepSize": "1.00000000"}
LIMIT = {"side": "BUY", "type": "LIMIT", "price": "10", "quantity": "1"}
ALL = AccountState(open_orders=0, open_algo_orders=0, open_iceberg_orders=0, open_order_lists=0,
                   position=Decimal(0), order_amends=0, exchange_open_orders=0, exchange_open_algo_orders=0,
                   exchange_open_iceberg_orders=0, exchange_open_order_lists=0)

CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], str | None, str]] = [
    # (id, filter, order changes, check kwargs, expected filterType or None, expected 'allowed' text)
    ("price-ok", PRICE, {}, {}, None, ""),
    ("price-tick", PRICE, {"price": "10.005"}, {}, "PRICE_FILTER", "tick 0.01"),
    ("price-max", PRICE, {"price": "1000.01"}, {}, "PRICE_FILTER", "at most 1000"),
    ("price-min", PRICE, {"price": "0.001"}, {}, "PRICE_FILTER", "at least 0.01"),
    ("stop-price-tick", PRICE, {"type": "STOP_LOSS_LIMIT", "stopPrice": "9.999"}, {}, "PRICE_FILTER", "tick"),
    ("lot-step", LOT, {"quantity": "1.05"}, {}, "LOT_SIZE", "step 0.1"),
    ("lot-min", LOT, {"quantity": "0.05"}, {}, "LOT_SIZE", "at least 0.1"),
    ("lot-max", LOT, {"quantity": "100.1"}, {}, "LOT_SIZE", "at most 100"),
    ("market-lot-ignored-for-limit", MLOT, {"quantity": "1.5"}, {}, None, ""),
    ("market-lot-step", MLOT, {"type": "MARKET", "price": None, "quantity": "1.5"}, {}, "MARKET_LOT_SIZE", "step 1"),
    ("market-lot-max", MLOT, {"type": "MARKET", "price": None, "quantity": "51"}, {}, "MARKET_LOT_SIZE", "at most 50"),
    ("percent-price-up", {"filterType": "PERCENT_PRICE", "multiplierUp": "1.1", "multiplierDown": "0.9",
                          "avgPriceMins": 5}, {"price": "11.5"}, {"avg_price": "10"}, "PERCENT_PRICE", "at most 11"),
    ("percent-price-needs-avg", {"filterType": "PERCENT_PRICE", "multiplierUp": "1.1", "multiplierDown": "0.9",
                                 "avgPriceMins": 5}, {"price": "11.5"}, {}, None, ""),
    ("by-side-bid", {"filterType": "PERCENT_PRICE_BY_SIDE", "bidMultiplierUp": "1.2", "bidMultiplierDown": "0.8",
                     "askMultiplierUp": "5", "askMultiplierDown": "0.5", "avgPriceMins": 1},
     {"price": "7"}, {"avg_price": "10"}, "PERCENT_PRICE_BY_SIDE", "at least 8"),
    ("by-side-ask-ok", {"filterType": "PERCENT_PRICE_BY_SIDE", "bidMultiplierUp": "1.2", "bidMultiplierDown": "0.8",
                        "askMultiplierUp": "5", "askMultiplierDown": "0.5", "avgPriceMins": 1},
     {"side": "SELL", "price": "7"}, {"avg_price": "10"}, None, ""),
    ("min-notional", {"filterType": "MIN_NOTIONAL", "minNotional": "20", "applyToMarket": True, "avgPriceMins": 5},
     {}, {}, "MIN_NOTIONAL", "at least 20"),
    ("min-notional-market-avg", {"filterType": "MIN_NOTIONAL", "minNotional": "20", "applyToMarket": True,
                                 "avgPriceMins": 5}, {"type": "MARKET", "price": None}, {"avg_price": "10"},
     "MIN_NOTIONAL", "at least 20"),
    ("min-notional-not-market", {"filterType": "MIN_NOTIONAL", "minNotional": "20", "applyToMarket": False,
                                 "avgPriceMins": 5}, {"type": "MARKET", "price": None}, {"avg_price": "10"}, None, ""),
    ("notional-max", {"filterType": "NOTIONAL", "minNotional": "5", "applyMinToMarket": True, "maxNotional": "9",
                      "applyMaxToMarket": False, "avgPriceMins": 5}, {}, {}, "NOTIONAL", "at most 9"),
    ("notional-quote-qty", {"filterType": "NOTIONAL", "minNotional": "5", "applyMinToMarket": True,
                            "maxNotional": "9", "applyMaxToMarket": False, "avgPriceMins": 5},
     {"type": "MARKET", "price": None, "quantity": None, "quoteOrderQty": "4"}, {}, "NOTIONAL", "at least 5"),
    ("iceberg-parts", {"filterType": "ICEBERG_PARTS", "limit": 10}, {"quantity": "100", "icebergQty": "5"}, {},
     "ICEBERG_PARTS", "10 parts"),
    ("iceberg-parts-ok", {"filterType": "ICEBERG_PARTS", "limit": 10}, {"quantity": "100", "icebergQty": "10"}, {},
     None, ""),
    ("max-num-orders", {"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 3}, {},
     {"account": AccountState(open_orders=3)}, "MAX_NUM_ORDERS", "at most 3"),
    ("max-num-orders-room", {"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 3}, {},
     {"account": AccountState(open_orders=2)}, None, ""),
    ("max-num-algo", {"filterType": "MAX_NUM_ALGO_ORDERS", "maxNumAlgoOrders": 5},
     {"type": "STOP_LOSS_LIMIT", "stopPrice": "9"}, {"account": AccountState(open_algo_orders=5)},
     "MAX_NUM_ALGO_ORDERS", "at most 5"),
    ("max-num-algo-limit-ok", {"filterType": "MAX_NUM_ALGO_ORDERS", "maxNumAlgoOrders": 5}, {},
     {"account": AccountState(open_algo_orders=5)}, None, ""),
    ("max-num-iceberg", {"filterType": "MAX_NUM_ICEBERG_ORDERS", "maxNumIcebergOrders": 1},
     {"icebergQty": "0.5"}, {"account": AccountState(open_iceberg_orders=1)}, "MAX_NUM_ICEBERG_ORDERS", "at most 1"),
    ("max-position", {"filterType": "MAX_POSITION", "maxPosition": "10"}, {"quantity": "3"},
     {"account": AccountState(position=Decimal("8"))}, "MAX_POSITION", "at most 10"),
    ("max-position-sell-ok", {"filterType": "MAX_POSITION", "maxPosition": "10"}, {"side": "SELL", "quantity": "3"},
     {"account": AccountState(position=Decimal("8"))}, None, ""),
    ("trailing-above", {"filterType": "TRAILING_DELTA", "minTrailingAboveDelta": 10, "maxTrailingAboveDelta": 2000,
                        "minTrailingBelowDelta": 20, "maxTrailingBelowDelta": 500},
     {"type": "STOP_LOSS_LIMIT", "trailingDelta": 5}, {}, "TRAILING_DELTA", "10 to 2000"),
    ("trailing-below", {"filterType": "TRAILING_DELTA", "minTrailingAboveDelta": 10, "maxTrailingAboveDelta": 2000,
                        "minTrailingBelowDelta": 20, "maxTrailingBelowDelta": 500},
     {"side": "SELL", "type": "STOP_LOSS_LIMIT", "trailingDelta": 600}, {}, "TRAILING_DELTA", "20 to 500"),
    ("amends", {"filterType": "MAX_NUM_ORDER_AMENDS", "maxNumOrderAmends": 10}, {},
     {"account": AccountState(order_amends=10), "amend": True}, "MAX_NUM_ORDER_AMENDS", "at most 10"),
    ("order-lists", {"filterType": "MAX_NUM_ORDER_LISTS", "maxNumOrderLists": 20}, {},
     {"account": AccountState(open_order_lists=20), "order_list": True}, "MAX_NUM_ORDER_LISTS", "at most 20"),
]


@pytest.mark.parametrize(("case", "flt", "change", "kwargs", "expected", "allowed"), CASES, ids=[c[0] for c in CASES])
def test_each_symbol_filter(case: str, flt: dict[str, Any], change: dict[str, Any], kwargs: dict[str, Any],
                            expected: str | None, allowed: str) -> None:
    rules = _rules(flt)
    order = {k: v for k, v in {**LIMIT, **change}.items() if v is not None}
    if expected is None:
        rules.check(order, **kwargs)
        return
    with pytest.raises(FilterViolation) as exc:
        rules.check(order, **kwargs)
    assert exc.value.filter_type == expected
    assert allowed in exc.value.allowed
    assert expected in str(exc.value)


@pytest.mark.parametrize(("flt", "field", "kwargs"), [
    ({"filterType": "EXCHANGE_MAX_NUM_ORDERS", "maxNumOrders": 1000}, "exchange_open_orders", {}),
    ({"filterType": "EXCHANGE_MAX_NUM_ALGO_ORDERS", "maxNumAlgoOrders": 1000}, "exchange_open_algo_orders", {}),
    ({"filterType": "EXCHANGE_MAX_NUM_ICEBERG_ORDERS", "maxNumIcebergOrders": 1000},
     "exchange_open_iceberg_orders", {}),
    ({"filterType": "EXCHANGE_MAX_NUM_ORDER_LISTS", "maxNumOrderLists": 1000}, "exchange_open_order_lists",
     {"order_list": True}),
])
def test_exchange_filters(flt: dict[str, Any], field: str, kwargs: dict[str, Any]) -> None:
    rules = _rules(PRICE, exchange=(flt,))
    order = {**LIMIT, "type": "STOP_LOSS_LIMIT", "stopPrice": "9", "icebergQty": "0.5"}
    rules.check(order, account=AccountState(**{field: 999}), **kwargs)
    with pytest.raises(FilterViolation) as exc:
        rules.check(order, account=AccountState(**{field: 1000}), **kwargs)
    assert exc.value.filter_type == flt["filterType"] and "at most 1000" in exc.value.allowed


def test_a_full_account_state_passes_a_valid_order() -> None:
    rules = _rules(PRICE, LOT, {"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 3},
                   {"filterType": "MAX_POSITION", "maxPosition": "10"})
    rules.check(LIMIT, avg_price="10", account=ALL)


def test_filter_violation_is_a_parameter_value_error() -> None:
    with pytest.raises(FilterViolation) as exc:
        _rules(PRICE).check({**LIMIT, "price": "10.001"})
    assert isinstance(exc.value, ParameterValueError) and isinstance(exc.value, BinanceError)
    assert exc.value.param == "price" and exc.value.value == Decimal("10.001")
    assert str(exc.value) == ("PRICE_FILTER: price=10.001 is not allowed; allowed: a multiple of the tick 0.01 "
                              "from 0.01, such as 10")


def test_market_quantity_rounds_to_both_steps() -> None:
    rules = _rules(PRICE, LOT, MLOT)
    assert rules.round_quantity(Decimal("7.77")) == Decimal("7.7")
    assert rules.round_quantity(Decimal("7.77"), market=True) == Decimal("7")
    assert rules.round_order({"side": "SELL", "type": "MARKET", "quantity": "7.77"})["quantity"] == Decimal("7")
    assert rules.round_order({"side": "SELL", "type": "LIMIT", "price": "1.234", "quantity": "7.77"}) == {
        "side": "SELL", "type": "LIMIT", "price": Decimal("1.24"), "quantity": Decimal("7.7")}


# -- cache and client setting ------------------------------------------------------------------------
def test_rules_are_cached_with_ttl_and_refresh(local_binance: LocalBinance) -> None:
    with local_binance.client() as client:
        first = client.market.rules("BTCUSDT")
        assert client.market.rules("btcusdt") is first
        assert len(local_binance.requests_to("/api/v3/exchangeInfo")) == 1
        assert client.market.rules("BTCUSDT", refresh=True) is not first
        client.market.rules("BTCUSDT", ttl=0)
        assert len(local_binance.requests_to("/api/v3/exchangeInfo")) == 3
        assert local_binance.requests_to("/api/v3/exchangeInfo")[0].params == {"symbol": "BTCUSDT"}


def test_rules_cache_expires_on_its_clock() -> None:
    now = [0.0]
    cache = RulesCache(ttl=10, clock=lambda: now[0])
    info = ExchangeInfo.model_validate({"timezone": "UTC", "serverTime": 0, "rateLimits": [], "exchangeFilters": [],
                                        "symbols": [_rules(PRICE).info.model_dump(by_alias=True)]})
    cache.put(info, "XYZUSDT")
    now[0] = 9.5
    assert cache.get("XYZUSDT") is not None
    now[0] = 10.5
    assert cache.get("XYZUSDT") is None


def test_order_rules_round_sends_rounded_values(odd_exchange: LocalBinance) -> None:
    with odd_exchange.client(order_rules="round") as client:
        order = client.trade.new_order("BTCUSDT", "SELL", "LIMIT", timeInForce="GTC", price="70000.123456",
                                       quantity="0.0012399", newOrderRespType="RESULT")
        sent = odd_exchange.requests_to("/api/v3/order", "POST")[-1].params
        assert sent["price"] == "70000.13" and sent["quantity"] == "0.00123"  # a sell rounds its price up
        assert order.price == Decimal("70000.13")


def test_order_rules_keep_per_call_options(odd_exchange: LocalBinance) -> None:
    with odd_exchange.client(order_rules="round") as client:
        with pytest.raises(ClientError) as caught:  # the exchange reads no futureFlag: -1104, as Binance
            client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", price="50000.004",
                                   quantity="0.001", timeout=5, extra_params={"futureFlag": "x"})
        assert caught.value.error_code == -1104
        sent = odd_exchange.requests_to("/api/v3/order", "POST")[-1].params
        assert sent["price"] == "50000.00" and sent["futureFlag"] == "x"


def test_order_rules_check_raises_before_sending(odd_exchange: LocalBinance) -> None:
    before = len(odd_exchange.requests_to("/api/v3/order", "POST"))
    with odd_exchange.client(order_rules="check") as client:
        with pytest.raises(FilterViolation, match="LOT_SIZE"):
            client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", price="50000",
                                   quantity="0.0012399")
        client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", price="50000", quantity="0.001")
    assert len(odd_exchange.requests_to("/api/v3/order", "POST")) == before + 1


async def test_async_order_rules_and_rules(odd_exchange: LocalBinance) -> None:
    async with odd_exchange.async_client(order_rules="round") as client:
        rules = await client.market.rules("BTCUSDT")
        assert await client.market.rules("BTCUSDT") is rules
        assert rules.tick_size == Decimal("0.01")
        result = await client.trade.test_new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC",
                                                   price="59988.0149", quantity="0.00123456")
        assert result is not None
        sent = odd_exchange.requests_to("/api/v3/order/test", "POST")[-1].params
        assert sent["price"] == "59988.01" and sent["quantity"] == "0.00123"
    async with odd_exchange.async_client(order_rules="check") as client:
        with pytest.raises(FilterViolation, match="PRICE_FILTER"):
            await client.trade.test_new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC",
                                              price="59988.0149", quantity="0.001")


def test_order_rules_rejects_unknown_mode() -> None:
    from binance_typed import Client

    with pytest.raises(ValueError, match="order_rules"):
        Client(order_rules="maybe")  # type: ignore[arg-type]


def test_order_rules_round_every_leg_of_an_oco(odd_exchange: LocalBinance) -> None:
    with odd_exchange.client(order_rules="round") as client:
        client.trade.new_order_list_oco(
            "BTCUSDT", "SELL", "0.0012399", "LIMIT_MAKER", "STOP_LOSS_LIMIT", abovePrice="70000.121",
            belowStopPrice="50000.005", belowPrice="49999.991", belowTimeInForce="GTC",
        )
    sent = odd_exchange.requests_to("/api/v3/orderList/oco", "POST")[-1].params
    assert (sent["quantity"], sent["abovePrice"]) == ("0.00123", "70000.13")  # a sell's prices round up
    assert (sent["belowStopPrice"], sent["belowPrice"]) == ("50000.01", "50000.00")


def test_order_rules_check_an_amendment_and_a_list_leg(odd_exchange: LocalBinance) -> None:
    from binance_typed.endpoints.trade import NewOrderListOtoParams
    from binance_typed.rules import order_legs

    amends = len(odd_exchange.requests_to("/api/v3/order/amend/keepPriority"))
    lists = len(odd_exchange.requests_to("/api/v3/orderList/oto"))
    with odd_exchange.client(order_rules="check") as client:
        with pytest.raises(FilterViolation, match="LOT_SIZE: quantity=0.0012399"):
            client.trade.amend_order_keep_priority("BTCUSDT", "0.0012399", orderId=1)
        with pytest.raises(FilterViolation, match="PRICE_FILTER: price=51000.001"):
            client.trade.new_order_list_oto("BTCUSDT", "LIMIT", "BUY", "50000", "0.001", "LIMIT", "SELL",
                                             "0.001", workingTimeInForce="GTC", pendingPrice="51000.001",
                                             pendingTimeInForce="GTC")
    assert len(odd_exchange.requests_to("/api/v3/order/amend/keepPriority")) == amends
    assert len(odd_exchange.requests_to("/api/v3/orderList/oto")) == lists
    legs = order_legs(NewOrderListOtoParams.model_construct())
    assert [leg["price"] for leg, _ in legs] == ["workingPrice", "pendingPrice"]
