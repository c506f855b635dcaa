"""Validation of the trading endpoints before signing, wire formatting, client ids, unknown outcomes.

Every rejected call is made through a client whose transport fails the test if it is reached:
a rule violation must raise before anything is signed or sent.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from support import API_KEY, API_SECRET, TESTNET, example_text

from binance_typed import AsyncClient, Client
from binance_typed.endpoints.trade import (
    NEW_ORDER,
    NEW_ORDER_LIST_OPOCO,
    NEW_ORDER_LIST_OTOCO,
    TEST_NEW_ORDER,
    TEST_NEW_SOR_ORDER,
    ConditionalParameterRequiredError,
)
from binance_typed.error import (
    ExecutionStatusUnknown,
    ParameterRequiredError,
    ParameterValueError,
    ServerError,
    TransportError,
)

Required = ParameterRequiredError
Value = ParameterValueError


# -- a client that must never send ------------------------------------------------------------
class Counter:
    def __init__(self, answer: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.answer is None:
            raise AssertionError(f"a request was sent: {request.method} {request.url}")
        return self.answer(request)

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(str(self.requests[-1].url)).query))


@pytest.fixture
def silent() -> Iterator[tuple[Client, Counter]]:
    counter = Counter()
    with Client(API_KEY, API_SECRET, base_url=TESTNET, http_client=httpx.Client(transport=httpx.MockTransport(counter))) as client:
        yield client, counter
    assert counter.requests == [], "validation must fail before anything is sent"


def _answering(body: str, status: int = 200) -> tuple[Client, Counter]:
    counter = Counter(lambda r: httpx.Response(status, text=body, headers={"Content-Type": "application/json"}))
    client = Client(API_KEY, API_SECRET, base_url=TESTNET, http_client=httpx.Client(transport=httpx.MockTransport(counter)))
    return client, counter


ACK = example_text("rest/POST__api_v3_order__01_ACK.json")
OTO = example_text("rest/POST__api_v3_orderList_oto.json")

LIMIT = {"timeInForce": "GTC", "quantity": 1, "price": "10"}
OCO = {"abovePrice": 3, "belowStopPrice": 1}
WORK = ("LTCBTC", "LIMIT", "SELL", 1, 1)
OTOCO_KW = {"workingTimeInForce": "GTC", "pendingBelowType": "STOP_LOSS", "pendingBelowStopPrice": "0.5",
            "pendingAbovePrice": 2}
OPO = ("BTCUSDT", "LIMIT", "BUY", 100, 1)

# (id, method, args, kwargs, error class, parameter named in the message)
INVALID: list[tuple[str, str, tuple[Any, ...], dict[str, Any], type[Exception], str]] = [
    # -- new_order: plain parameter checks
    ("missing-symbol", "new_order", (None, "BUY", "LIMIT"), LIMIT, Required, "symbol"),
    ("missing-side", "new_order", ("BTCUSDT", None, "LIMIT"), LIMIT, Required, "side"),
    ("bad-side", "new_order", ("BTCUSDT", "HOLD", "LIMIT"), LIMIT, Value, "side"),
    ("bad-type", "new_order", ("BTCUSDT", "BUY", "LIMITED"), LIMIT, Value, "type"),
    ("bad-tif", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "timeInForce": "GTD"}, Value, "timeInForce"),
    ("zero-quantity", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "quantity": 0}, Value, "quantity"),
    ("negative-price", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "price": "-1"}, Value, "price"),
    ("nan-price", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "price": float("nan")}, Value, "price"),
    ("text-price", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "price": "ten"}, Value, "price"),
    ("bool-quantity", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "quantity": True}, Value, "quantity"),
    ("client-id-chars", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "newClientOrderId": "my order"},
     Value, "newClientOrderId"),
    ("client-id-length", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "newClientOrderId": "x" * 37},
     Value, "newClientOrderId"),
    ("strategy-type", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "strategyType": 999999},
     Value, "strategyType"),
    ("trailing-delta", "new_order", ("BTCUSDT", "BUY", "STOP_LOSS"), {"quantity": 1, "trailingDelta": 0},
     Value, "trailingDelta"),
    ("peg-offset-range", "new_order", ("BTCUSDT", "BUY", "LIMIT"),
     {**LIMIT, "pegOffsetType": "PRICE_LEVEL", "pegOffsetValue": 101}, Value, "pegOffsetValue"),
    ("recv-window", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "recvWindow": 60001}, Value, "recvWindow"),
    ("recv-window-digits", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "recvWindow": "5000.0001"},
     Value, "recvWindow"),
    ("resp-type", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "newOrderRespType": "MINI"},
     Value, "newOrderRespType"),
    ("stp-mode", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "selfTradePreventionMode": "BOTH"},
     Value, "selfTradePreventionMode"),
    # -- new_order: per-type rules
    ("limit-no-tif", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {"quantity": 1, "price": 1}, Required, "timeInForce"),
    ("limit-no-price", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {"quantity": 1, "timeInForce": "GTC"},
     Required, "price"),
    ("limit-no-quantity", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {"price": 1, "timeInForce": "GTC"},
     Required, "quantity"),
    ("limit-quote-qty", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "quoteOrderQty": 5}, Value,
     "quoteOrderQty"),
    ("limit-stop-price", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "stopPrice": 5}, Value, "stopPrice"),
    ("limit-trailing", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "trailingDelta": 5}, Value,
     "trailingDelta"),
    ("market-no-quantity", "new_order", ("BTCUSDT", "BUY", "MARKET"), {}, Required, "quantity"),
    ("market-both-quantities", "new_order", ("BTCUSDT", "BUY", "MARKET"), {"quantity": 1, "quoteOrderQty": 5},
     Value, "quoteOrderQty"),
    ("market-price", "new_order", ("BTCUSDT", "BUY", "MARKET"), {"quantity": 1, "price": 5}, Value, "price"),
    ("market-tif", "new_order", ("BTCUSDT", "BUY", "MARKET"), {"quantity": 1, "timeInForce": "IOC"}, Value,
     "timeInForce"),
    ("market-iceberg", "new_order", ("BTCUSDT", "BUY", "MARKET"), {"quantity": 1, "icebergQty": 1}, Value,
     "icebergQty"),
    ("market-peg", "new_order", ("BTCUSDT", "BUY", "MARKET"), {"quantity": 1, "pegPriceType": "MARKET_PEG"},
     Value, "pegPriceType"),
    ("stop-loss-no-trigger", "new_order", ("BTCUSDT", "SELL", "STOP_LOSS"), {"quantity": 1}, Required, "stopPrice"),
    ("take-profit-no-trigger", "new_order", ("BTCUSDT", "SELL", "TAKE_PROFIT"), {"quantity": 1}, Required,
     "trailingDelta"),
    ("stop-loss-price", "new_order", ("BTCUSDT", "SELL", "STOP_LOSS"), {"quantity": 1, "stopPrice": 1, "price": 1},
     Value, "price"),
    ("stop-loss-tif", "new_order", ("BTCUSDT", "SELL", "STOP_LOSS"),
     {"quantity": 1, "stopPrice": 1, "timeInForce": "GTC"}, Value, "timeInForce"),
    ("stop-limit-no-price", "new_order", ("BTCUSDT", "SELL", "STOP_LOSS_LIMIT"),
     {"quantity": 1, "stopPrice": 1, "timeInForce": "GTC"}, Required, "price"),
    ("take-profit-limit-no-tif", "new_order", ("BTCUSDT", "SELL", "TAKE_PROFIT_LIMIT"),
     {"quantity": 1, "stopPrice": 1, "price": 1}, Required, "timeInForce"),
    ("limit-maker-tif", "new_order", ("BTCUSDT", "SELL", "LIMIT_MAKER"), LIMIT, Value, "timeInForce"),
    ("limit-maker-no-price", "new_order", ("BTCUSDT", "SELL", "LIMIT_MAKER"), {"quantity": 1}, Required, "price"),
    ("iceberg-ioc", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "timeInForce": "IOC", "icebergQty": "0.1"},
     Value, "timeInForce"),
    ("iceberg-stop-loss", "new_order", ("BTCUSDT", "BUY", "STOP_LOSS"), {"quantity": 1, "stopPrice": 1,
     "icebergQty": "0.1"}, Value, "icebergQty"),
    ("peg-offset-alone", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "pegOffsetType": "PRICE_LEVEL"},
     Value, "pegOffsetType"),
    ("peg-on-stop-loss", "new_order", ("BTCUSDT", "BUY", "STOP_LOSS"),
     {"quantity": 1, "stopPrice": 1, "pegPriceType": "PRIMARY_PEG"}, Value, "pegPriceType"),
    # -- test orders use the same rules
    ("test-limit-no-price", "test_new_order", ("BTCUSDT", "BUY", "LIMIT"), {"quantity": 1, "timeInForce": "GTC"},
     Required, "price"),
    ("test-commission-flag", "test_new_order", ("BTCUSDT", "BUY", "MARKET"),
     {"quantity": 1, "computeCommissionRates": "maybe"}, Value, "computeCommissionRates"),
    # -- cancel_order
    ("cancel-no-id", "cancel_order", ("BTCUSDT",), {}, Required, "orderId"),
    ("cancel-restrictions", "cancel_order", ("BTCUSDT",), {"orderId": 1, "cancelRestrictions": "ONLY_FILLED"},
     Value, "cancelRestrictions"),
    ("cancel-new-id", "cancel_order", ("BTCUSDT",), {"orderId": 1, "newClientOrderId": "a b"}, Value,
     "newClientOrderId"),
    ("cancel-missing-symbol", "cancel_open_orders", (None,), {}, Required, "symbol"),
    # -- cancel_replace_order
    ("replace-no-cancel-id", "cancel_replace_order", ("BTCUSDT", "BUY", "LIMIT", "STOP_ON_FAILURE"), LIMIT,
     Required, "cancelOrderId"),
    ("replace-no-mode", "cancel_replace_order", ("BTCUSDT", "BUY", "LIMIT", None), {**LIMIT, "cancelOrderId": 1},
     Required, "cancelReplaceMode"),
    ("replace-bad-mode", "cancel_replace_order", ("BTCUSDT", "BUY", "LIMIT", "TRY_HARD"),
     {**LIMIT, "cancelOrderId": 1}, Value, "cancelReplaceMode"),
    ("replace-restrictions", "cancel_replace_order", ("BTCUSDT", "BUY", "LIMIT", "ALLOW_FAILURE"),
     {**LIMIT, "cancelOrderId": 1, "cancelRestrictions": "NEW"}, Value, "cancelRestrictions"),
    ("replace-rate-mode", "cancel_replace_order", ("BTCUSDT", "BUY", "LIMIT", "ALLOW_FAILURE"),
     {**LIMIT, "cancelOrderId": 1, "orderRateLimitExceededMode": "WAIT"}, Value, "orderRateLimitExceededMode"),
    ("replace-order-rules", "cancel_replace_order", ("BTCUSDT", "BUY", "LIMIT", "ALLOW_FAILURE"),
     {"quantity": 1, "timeInForce": "GTC", "cancelOrderId": 1}, Required, "price"),
    ("replace-market-both", "cancel_replace_order", ("BTCUSDT", "BUY", "MARKET", "ALLOW_FAILURE"),
     {"quantity": 1, "quoteOrderQty": 1, "cancelOrderId": 1}, Value, "quoteOrderQty"),
    # -- amend_order_keep_priority
    ("amend-zero", "amend_order_keep_priority", ("BTCUSDT", 0), {"orderId": 1}, Value, "newQty"),
    ("amend-negative", "amend_order_keep_priority", ("BTCUSDT", "-2"), {"orderId": 1}, Value, "newQty"),
    ("amend-missing-qty", "amend_order_keep_priority", ("BTCUSDT", None), {"orderId": 1}, Required, "newQty"),
    ("amend-no-id", "amend_order_keep_priority", ("BTCUSDT", 1), {}, Required, "orderId"),
    # -- new_oco_deprecated
    ("oco-sell-prices", "new_oco_deprecated", ("LTCBTC", "SELL", 1, 1, 2), {}, Value, "price"),
    ("oco-buy-prices", "new_oco_deprecated", ("LTCBTC", "BUY", 1, 2, 1), {}, Value, "price"),
    ("oco-no-stop-price", "new_oco_deprecated", ("LTCBTC", "SELL", 1, 2, None), {}, Required, "stopPrice"),
    ("oco-stop-limit-no-tif", "new_oco_deprecated", ("LTCBTC", "SELL", 1, 2, 1), {"stopLimitPrice": "0.9"},
     Required, "stopLimitTimeInForce"),
    ("oco-tif-without-limit", "new_oco_deprecated", ("LTCBTC", "SELL", 1, 2, 1), {"stopLimitTimeInForce": "GTC"},
     Value, "stopLimitTimeInForce"),
    ("oco-stop-iceberg-no-limit", "new_oco_deprecated", ("LTCBTC", "SELL", 1, 2, 1), {"stopIcebergQty": "0.1"},
     Value, "stopIcebergQty"),
    ("oco-stop-iceberg-ioc", "new_oco_deprecated", ("LTCBTC", "SELL", 1, 2, 1),
     {"stopLimitPrice": "0.9", "stopLimitTimeInForce": "IOC", "stopIcebergQty": "0.1"}, Value,
     "stopLimitTimeInForce"),
    # -- new_order_list_oco
    ("oco-bad-leg-type", "new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT", "STOP_LOSS"), OCO, Value, "aboveType"),
    ("oco-two-stops", "new_order_list_oco", ("LTCBTC", "SELL", 1, "STOP_LOSS", "STOP_LOSS"),
     {"aboveStopPrice": 3, "belowStopPrice": 1}, Value, "belowType"),
    ("oco-no-stop", "new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT_MAKER", "TAKE_PROFIT"),
     {"abovePrice": 3, "belowStopPrice": 1}, Value, "belowType"),
    ("oco-above-no-price", "new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT_MAKER", "STOP_LOSS"),
     {"belowStopPrice": 1}, Required, "abovePrice"),
    ("oco-below-no-trigger", "new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT_MAKER", "STOP_LOSS"),
     {"abovePrice": 3}, Required, "belowStopPrice"),
    ("oco-below-no-tif", "new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT_MAKER", "STOP_LOSS_LIMIT"),
     {"abovePrice": 3, "belowStopPrice": 1, "belowPrice": 1}, Required, "belowTimeInForce"),
    ("oco-below-price-on-stop", "new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT_MAKER", "STOP_LOSS"),
     {**OCO, "belowPrice": 1}, Value, "belowPrice"),
    ("oco-above-tif-on-maker", "new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT_MAKER", "STOP_LOSS"),
     {**OCO, "aboveTimeInForce": "GTC"}, Value, "aboveTimeInForce"),
    ("oco-iceberg-ioc", "new_order_list_oco", ("LTCBTC", "SELL", 1, "TAKE_PROFIT_LIMIT", "STOP_LOSS"),
     {"abovePrice": 3, "aboveStopPrice": 3, "aboveTimeInForce": "IOC", "aboveIcebergQty": 1, "belowStopPrice": 1},
     Value, "aboveTimeInForce"),
    ("oco-inverted-prices", "new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT_MAKER", "STOP_LOSS"),
     {"abovePrice": 1, "belowStopPrice": 3}, Value, "abovePrice"),
    ("oco-missing-quantity", "new_order_list_oco", ("LTCBTC", "SELL", None, "LIMIT_MAKER", "STOP_LOSS"), OCO,
     Required, "quantity"),
    # -- new_order_list_oto
    ("oto-working-market", "new_order_list_oto", ("LTCBTC", "MARKET", "SELL", 1, 1, "MARKET", "BUY", 5), {}, Value,
     "workingType"),
    ("oto-working-no-tif", "new_order_list_oto", (*WORK, "MARKET", "BUY", 5), {}, Required, "workingTimeInForce"),
    ("oto-working-iceberg-ioc", "new_order_list_oto", (*WORK, "MARKET", "BUY", 5),
     {"workingTimeInForce": "IOC", "workingIcebergQty": "0.5"}, Value, "workingTimeInForce"),
    ("oto-pending-limit-no-price", "new_order_list_oto", (*WORK, "LIMIT", "BUY", 5),
     {"workingTimeInForce": "GTC", "pendingTimeInForce": "GTC"}, Required, "pendingPrice"),
    ("oto-pending-limit-no-tif", "new_order_list_oto", (*WORK, "LIMIT", "BUY", 5),
     {"workingTimeInForce": "GTC", "pendingPrice": 1}, Required, "pendingTimeInForce"),
    ("oto-pending-stop-no-trigger", "new_order_list_oto", (*WORK, "STOP_LOSS", "BUY", 5),
     {"workingTimeInForce": "GTC"}, Required, "pendingStopPrice"),
    ("oto-pending-market-price", "new_order_list_oto", (*WORK, "MARKET", "BUY", 5),
     {"workingTimeInForce": "GTC", "pendingPrice": 1}, Value, "pendingPrice"),
    ("oto-missing-pending-quantity", "new_order_list_oto", (*WORK, "MARKET", "BUY", None),
     {"workingTimeInForce": "GTC"}, Required, "pendingQuantity"),
    ("oto-missing-working-price", "new_order_list_oto", ("LTCBTC", "LIMIT", "SELL", None, 1, "MARKET", "BUY", 5),
     {"workingTimeInForce": "GTC"}, Required, "workingPrice"),
    # -- new_order_list_otoco
    ("otoco-below-without-type", "new_order_list_otoco", (*WORK, "BUY", "LIMIT_MAKER", 5),
     {"workingTimeInForce": "GTC", "pendingAbovePrice": 2, "pendingBelowStopPrice": "0.5"}, Required,
     "pendingBelowType"),
    ("otoco-above-no-price", "new_order_list_otoco", (*WORK, "BUY", "LIMIT_MAKER", 5),
     {**OTOCO_KW, "pendingAbovePrice": None}, Required, "pendingAbovePrice"),
    ("otoco-two-makers", "new_order_list_otoco", (*WORK, "BUY", "LIMIT_MAKER", 5),
     {**OTOCO_KW, "pendingBelowType": "LIMIT_MAKER", "pendingBelowPrice": 1, "pendingBelowStopPrice": None},
     Value, "pendingBelowType"),
    ("otoco-below-limit-no-tif", "new_order_list_otoco", (*WORK, "BUY", "LIMIT_MAKER", 5),
     {**OTOCO_KW, "pendingBelowType": "STOP_LOSS_LIMIT", "pendingBelowPrice": "0.4"}, Required,
     "pendingBelowTimeInForce"),
    ("otoco-missing-pending-quantity", "new_order_list_otoco", (*WORK, "BUY", "LIMIT_MAKER", None), OTOCO_KW,
     Required, "pendingQuantity"),
    ("otoco-bad-above-type", "new_order_list_otoco", (*WORK, "BUY", "MARKET", 5), OTOCO_KW, Value,
     "pendingAboveType"),
    # -- new_order_list_opo / opoco
    ("opo-working-sell", "new_order_list_opo", ("BTCUSDT", "LIMIT", "SELL", 100, 1, "MARKET", "SELL"),
     {"workingTimeInForce": "GTC"}, Value, "workingSide"),
    ("opo-pending-buy", "new_order_list_opo", (*OPO, "MARKET", "BUY"), {"workingTimeInForce": "GTC"}, Value,
     "pendingSide"),
    ("opo-pending-limit-no-price", "new_order_list_opo", (*OPO, "LIMIT", "SELL"),
     {"workingTimeInForce": "GTC", "pendingTimeInForce": "GTC"}, Required, "pendingPrice"),
    ("opo-working-maker-tif", "new_order_list_opo", ("BTCUSDT", "LIMIT_MAKER", "BUY", 100, 1, "MARKET", "SELL"),
     {"workingTimeInForce": "GTC"}, Value, "workingTimeInForce"),
    ("opoco-pending-buy", "new_order_list_opoco", (*OPO, "BUY", "LIMIT_MAKER"),
     {"workingTimeInForce": "GTC", "pendingAbovePrice": 120, "pendingBelowType": "STOP_LOSS",
      "pendingBelowStopPrice": 90}, Value, "pendingSide"),
    ("opoco-two-stops", "new_order_list_opoco", (*OPO, "SELL", "STOP_LOSS"),
     {"workingTimeInForce": "GTC", "pendingAboveStopPrice": 120, "pendingBelowType": "STOP_LOSS_LIMIT",
      "pendingBelowStopPrice": 90, "pendingBelowPrice": 89, "pendingBelowTimeInForce": "GTC"}, Value,
     "pendingBelowType"),
    ("opoco-inverted", "new_order_list_opoco", (*OPO, "SELL", "LIMIT_MAKER"),
     {"workingTimeInForce": "GTC", "pendingAbovePrice": 80, "pendingBelowType": "STOP_LOSS",
      "pendingBelowStopPrice": 90}, Value, "pendingAbovePrice"),
    # -- cancel_order_list
    ("cancel-list-no-id", "cancel_order_list", ("LTCBTC",), {}, Required, "orderListId"),
    ("cancel-list-bad-id", "cancel_order_list", ("LTCBTC",), {"orderListId": "first"}, Value, "orderListId"),
    # -- SOR
    ("sor-type", "new_sor_order", ("BTCUSDT", "BUY", "STOP_LOSS", 1), {}, Value, "type"),
    ("sor-no-quantity", "new_sor_order", ("BTCUSDT", "BUY", "MARKET", None), {}, Required, "quantity"),
    ("sor-limit-no-tif", "new_sor_order", ("BTCUSDT", "BUY", "LIMIT", 1), {"price": 1}, Required, "timeInForce"),
    ("sor-market-price", "new_sor_order", ("BTCUSDT", "BUY", "MARKET", 1), {"price": 1}, Value, "price"),
    ("sor-iceberg-ioc", "new_sor_order", ("BTCUSDT", "BUY", "LIMIT", 1),
     {"price": 1, "timeInForce": "IOC", "icebergQty": "0.1"}, Value, "timeInForce"),
    ("sor-test-rules", "test_new_sor_order", ("BTCUSDT", "BUY", "LIMIT", 1), {"timeInForce": "GTC"}, Required,
     "price"),
]


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error", "param"),
    [row[1:] for row in INVALID],
    ids=[row[0] for row in INVALID],
)
def test_rejected_before_sending(
    silent: tuple[Client, Counter], method: str, args: tuple[Any, ...], kwargs: dict[str, Any],
    error: type[Exception], param: str,
) -> None:
    client, _ = silent
    with pytest.raises(error) as info:
        getattr(client.trade, method)(*args, **kwargs)
    assert param in str(info.value), str(info.value)
    if isinstance(info.value, ParameterRequiredError):
        assert param in info.value.params
    elif isinstance(info.value, ParameterValueError):
        assert info.value.param is not None and info.value.param.split(".")[0] == param


def test_conditional_requirement_is_both_kinds_of_error(silent: tuple[Client, Counter]) -> None:
    client, _ = silent
    with pytest.raises(ConditionalParameterRequiredError) as info:
        client.trade.new_order("BTCUSDT", "BUY", "LIMIT", quantity=1, timeInForce="GTC")
    assert isinstance(info.value, ParameterRequiredError) and isinstance(info.value, ParameterValueError)
    assert info.value.params == ["price"] and info.value.param == "price"
    assert str(info.value) == "price required when type=LIMIT"


def test_rejected_before_sending_async() -> None:
    counter = Counter()

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(counter))
        async with AsyncClient(API_KEY, API_SECRET, base_url=TESTNET, http_client=http) as client:
            with pytest.raises(ParameterRequiredError, match="belowStopPrice"):
                await client.trade.new_order_list_oco("LTCBTC", "SELL", 1, "LIMIT_MAKER", "STOP_LOSS", abovePrice=3)
            with pytest.raises(ParameterValueError, match="newQty"):
                await client.trade.amend_order_keep_priority("BTCUSDT", 0, orderId=1)

    asyncio.run(run())
    assert counter.requests == []


# -- accepted variants (sent) -------------------------------------------------------------------
ACCEPTED: list[tuple[str, str, tuple[Any, ...], dict[str, Any], str]] = [
    ("market-quote-qty", "new_order", ("BTCUSDT", "BUY", "MARKET"), {"quoteOrderQty": 10}, ACK),
    ("stop-limit-trailing-only", "new_order", ("BTCUSDT", "SELL", "STOP_LOSS_LIMIT"),
     {"quantity": 1, "price": 1, "timeInForce": "GTC", "trailingDelta": 100}, ACK),
    ("stop-and-trailing", "new_order", ("BTCUSDT", "SELL", "TAKE_PROFIT"),
     {"quantity": 1, "stopPrice": 1, "trailingDelta": 100}, ACK),
    ("pegged-without-price", "new_order", ("BTCUSDT", "BUY", "LIMIT"),
     {"quantity": 1, "timeInForce": "GTC", "pegPriceType": "PRIMARY_PEG", "pegOffsetType": "PRICE_LEVEL",
      "pegOffsetValue": 3}, ACK),
    ("maker-iceberg-no-tif", "new_order", ("BTCUSDT", "BUY", "LIMIT_MAKER"),
     {"quantity": 1, "price": 1, "icebergQty": "0.1"}, ACK),
    ("iceberg-gtc", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "icebergQty": "0.1"}, ACK),
    ("enum-members", "new_order", ("BTCUSDT", "BUY", "LIMIT"), {**LIMIT, "recvWindow": "5000.5"}, ACK),
    ("cancel-both-ids", "cancel_order", ("BTCUSDT",), {"orderId": 1, "origClientOrderId": "a"},
     example_text("rest/DELETE__api_v3_order__01_single.json")),
    ("amend-both-ids", "amend_order_keep_priority", ("BTCUSDT", "0.5"), {"orderId": 1, "origClientOrderId": "a"},
     example_text("rest/PUT__api_v3_order_amend_keepPriority__01_Response_for_a_single_order.json")),
    ("cancel-list-by-client-id", "cancel_order_list", ("LTCBTC",), {"listClientOrderId": "L1"},
     example_text("rest/DELETE__api_v3_orderList.json")),
    ("otoco-single-pending", "new_order_list_otoco", (*WORK, "BUY", "STOP_LOSS", 5),
     {"workingTimeInForce": "GTC", "pendingAboveStopPrice": 2}, example_text("rest/POST__api_v3_orderList_otoco.json")),
    ("oto-pending-trailing", "new_order_list_oto", (*WORK, "TAKE_PROFIT", "BUY", 5),
     {"workingTimeInForce": "GTC", "pendingTrailingDelta": 50}, OTO),
    ("oto-working-maker-iceberg", "new_order_list_oto", ("LTCBTC", "LIMIT_MAKER", "SELL", 1, 1, "MARKET", "BUY", 5),
     {"workingIcebergQty": "0.5"}, OTO),
    ("oco-sell-maker-stop-limit", "new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT_MAKER", "STOP_LOSS_LIMIT"),
     {"abovePrice": 3, "belowStopPrice": 1, "belowPrice": "0.9", "belowTimeInForce": "GTC"},
     example_text("rest/POST__api_v3_orderList_oco.json")),
    ("oco-trailing-only", "new_order_list_oco", ("LTCBTC", "BUY", 1, "STOP_LOSS", "LIMIT_MAKER"),
     {"aboveTrailingDelta": 100, "belowPrice": 1}, example_text("rest/POST__api_v3_orderList_oco.json")),
]


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "body"), [row[1:] for row in ACCEPTED], ids=[row[0] for row in ACCEPTED]
)
def test_accepted_and_sent(method: str, args: tuple[Any, ...], kwargs: dict[str, Any], body: str) -> None:
    client, counter = _answering(body)
    with client:
        getattr(client.trade, method)(*args, **kwargs)
    assert len(counter.requests) == 1


def test_enum_members_and_strings_send_the_same() -> None:
    from binance_typed.models.enums import OrderSide, OrderType, TimeInForce

    client, counter = _answering(OTO)
    with client:
        client.trade.new_order_list_oto(
            "LTCBTC", OrderType.LIMIT, OrderSide.SELL, 1, 1, OrderType.MARKET, OrderSide.BUY, 5,
            workingTimeInForce=TimeInForce.GTC, listClientOrderId="L1",
        )
        client.trade.new_order_list_oto(
            "LTCBTC", "LIMIT", "SELL", 1, 1, "MARKET", "BUY", 5, workingTimeInForce="GTC", listClientOrderId="L1",
        )
    first, second = (r.url.query.decode().split("&timestamp=")[0] for r in counter.requests)
    assert first == second
    assert "workingType=LIMIT&workingSide=SELL" in first


# -- wire formatting ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (0.1, "0.1"),
        (Decimal("1E-5"), "0.00001"),
        ("1e-5", "0.00001"),
        (1e-7, "0.0000001"),
        (Decimal("1.10"), "1.10"),
        (1, "1"),
        (123456789.12345678, "123456789.12345678"),
        (Decimal("1E+3"), "1000"),
        ("0.00847000", "0.00847000"),
    ],
)
def test_decimal_formatting(value: Any, wire: str) -> None:
    client, counter = _answering(ACK)
    with client:
        client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=value, price=value,
                               newClientOrderId="fmt")
    query = counter.requests[0].url.query.decode().rpartition("&signature=")[0]
    assert counter.query["quantity"] == wire and counter.query["price"] == wire
    assert not re.search(r"\d[eE][+-]?\d", query), query


def test_decimal_formatting_in_order_lists() -> None:
    client, counter = _answering(OTO)
    with client:
        client.trade.new_order_list_oto(
            "LTCBTC", "LIMIT", "SELL", Decimal("1E-5"), 0.1, "STOP_LOSS", "BUY", 1e-6,
            workingTimeInForce="GTC", pendingStopPrice=Decimal("2.50E-4"),
        )
    q = counter.query
    assert (q["workingPrice"], q["workingQuantity"], q["pendingQuantity"], q["pendingStopPrice"]) == (
        "0.00001", "0.1", "0.000001", "0.000250",
    )


# -- client order ids ---------------------------------------------------------------------------
GENERATED = re.compile(r"^[\.A-Z:/a-z0-9_-]{1,36}$")


def test_client_order_id_generated_when_absent() -> None:
    client, counter = _answering(ACK)
    with client:
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1)
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1)
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newClientOrderId="mine")
    ids = [dict(parse_qsl(urlsplit(str(r.url)).query))["newClientOrderId"] for r in counter.requests]
    assert all(GENERATED.match(i) for i in ids[:2]) and ids[0] != ids[1]
    assert ids[2] == "mine"


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "body", "field"),
    [
        ("new_order_list_oto", (*WORK, "MARKET", "BUY", 5), {"workingTimeInForce": "GTC"}, OTO, "listClientOrderId"),
        ("new_oco_deprecated", ("LTCBTC", "SELL", 1, 2, 1), {},
         example_text("rest/POST__api_v3_order_oco.json"), "listClientOrderId"),
        ("new_sor_order", ("BTCUSDT", "BUY", "MARKET", 1), {}, ACK, "newClientOrderId"),
        ("cancel_replace_order", ("BTCUSDT", "BUY", "MARKET", "ALLOW_FAILURE"), {"quantity": 1, "cancelOrderId": 2},
         example_text("rest/POST__api_v3_order_cancelReplace__01_SUCCESS_and_account_has_not_exceeded_the.json"),
         "newClientOrderId"),
    ],
)
def test_list_and_other_order_ids_generated(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any], body: str, field: str
) -> None:
    client, counter = _answering(body)
    with client:
        getattr(client.trade, method)(*args, **kwargs)
    assert GENERATED.match(counter.query[field])


def test_no_id_generated_for_cancels_and_tests() -> None:
    client, counter = _answering(example_text("rest/DELETE__api_v3_order__01_single.json"))
    with client:
        client.trade.cancel_order("BTCUSDT", orderId=1)
    assert "newClientOrderId" not in counter.query
    client, counter = _answering("{}")
    with client:
        client.trade.test_new_order("BTCUSDT", "BUY", "MARKET", quantity=1)
    assert "newClientOrderId" not in counter.query


# -- unknown execution status -------------------------------------------------------------------
def _raise(exc: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        raise exc

    return answer


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_new_order_is_unknown_and_not_retried(status: int) -> None:
    client, counter = _answering('{"code": -1001, "msg": "Internal error; unable to process your request."}', status)
    with client, pytest.raises(ExecutionStatusUnknown) as info:
        client.trade.new_order("BTCUSDT", "BUY", "LIMIT", **LIMIT)
    assert len(counter.requests) == 1
    sent = counter.query["newClientOrderId"]
    assert info.value.new_client_order_id == sent and info.value.status_code == status
    assert sent in str(info.value)
    assert isinstance(info.value, ServerError)


def test_non_json_5xx_on_new_order_is_unknown() -> None:
    client, counter = _answering("<html>bad gateway</html>", 502)
    with client, pytest.raises(ExecutionStatusUnknown) as info:
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newClientOrderId="given-id")
    assert len(counter.requests) == 1 and info.value.new_client_order_id == "given-id"


@pytest.mark.parametrize("error", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"),
                                   httpx.WriteTimeout("slow")])
def test_timeout_on_new_order_is_unknown_and_not_retried(error: Exception) -> None:
    counter = Counter(_raise(error))
    http = httpx.Client(transport=httpx.MockTransport(counter))
    with Client(API_KEY, API_SECRET, base_url=TESTNET, http_client=http) as client, pytest.raises(
        ExecutionStatusUnknown
    ) as info:
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newClientOrderId="t-1")
    assert len(counter.requests) == 1
    assert info.value.new_client_order_id == "t-1"


def test_connect_error_is_not_unknown() -> None:
    """A connection that never opened cannot have placed the order."""
    counter = Counter(_raise(httpx.ConnectError("refused")))
    http = httpx.Client(transport=httpx.MockTransport(counter))
    with Client(API_KEY, API_SECRET, base_url=TESTNET, http_client=http) as client, pytest.raises(TransportError):
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1)
    assert len(counter.requests) == 1


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "field"),
    [
        ("new_order_list_oto", (*WORK, "MARKET", "BUY", 5), {"workingTimeInForce": "GTC"}, "listClientOrderId"),
        ("new_order_list_oco", ("LTCBTC", "SELL", 1, "LIMIT_MAKER", "STOP_LOSS"), OCO, "listClientOrderId"),
        ("new_sor_order", ("BTCUSDT", "BUY", "MARKET", 1), {}, "newClientOrderId"),
        ("cancel_replace_order", ("BTCUSDT", "BUY", "MARKET", "ALLOW_FAILURE"), {"quantity": 1, "cancelOrderId": 2},
         "newClientOrderId"),
    ],
)
def test_5xx_on_other_order_calls_is_unknown(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any], field: str
) -> None:
    client, counter = _answering('{"code": -1001, "msg": "Internal error"}', 503)
    with client, pytest.raises(ExecutionStatusUnknown) as info:
        getattr(client.trade, method)(*args, **kwargs)
    assert len(counter.requests) == 1
    assert info.value.new_client_order_id == counter.query[field]


def test_5xx_on_new_order_async_is_unknown_and_not_retried() -> None:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        raise httpx.ReadTimeout("slow")

    async def run() -> ExecutionStatusUnknown:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with AsyncClient(API_KEY, API_SECRET, base_url=TESTNET, http_client=http) as client:
            with pytest.raises(ExecutionStatusUnknown) as info:
                await client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1)
        return info.value

    exc = asyncio.run(run())
    assert len(requests) == 1
    sent = dict(parse_qsl(urlsplit(str(requests[0].url)).query))["newClientOrderId"]
    assert exc.new_client_order_id == sent


# -- weights and declarations -------------------------------------------------------------------
def test_weights_follow_the_docs() -> None:
    from binance_typed.endpoints import all_endpoints

    weights = {ep.name: ep.weight_for(ep.params.model_construct()) for ep in all_endpoints(("trade",))}
    assert weights.pop("amend_order_keep_priority") == 4
    assert set(weights.values()) == {1}
    with_rates = TEST_NEW_ORDER.params.model_construct(computeCommissionRates=True)
    assert TEST_NEW_ORDER.weight_for(with_rates) == 20 and TEST_NEW_SOR_ORDER.weight_for(with_rates) == 20
    assert NEW_ORDER.order_weight == 1 and NEW_ORDER_LIST_OTOCO.order_weight == 3
    assert NEW_ORDER_LIST_OPOCO.order_weight == 3


def test_declarations_match_the_index() -> None:
    import json

    from support import EXAMPLES

    from binance_typed.endpoints import all_endpoints

    index = json.loads((EXAMPLES / "_index.json").read_text())
    eps = list(all_endpoints(("trade",)))
    assert len(eps) == 15
    trading = {e for e in index["rest_endpoints"] if e.split()[0] in ("POST", "PUT", "DELETE")}
    assert {f"{ep.verb} {ep.path}" for ep in eps} == trading
    assert {ep.ws_method for ep in eps} <= set(index["wsapi_methods"])
    placing = {ep.name for ep in eps if ep.places_order}
    assert placing == {
        "new_order", "cancel_replace_order", "new_oco_deprecated", "new_order_list_oco", "new_order_list_oto",
        "new_order_list_otoco", "new_order_list_opo", "new_order_list_opoco", "new_sor_order",
    }
    for ep in eps:
        if ep.places_order:
            assert ep.client_id_field in ep.params.model_fields


# -- the documented HMAC vector -----------------------------------------------------------------
DOC_QUERY = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
DOC_SIGNATURE = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"


def test_documented_hmac_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: 1499827319.5595)
    client, counter = _answering("{}")
    with client:
        client.trade.test_new_order("LTCBTC", "BUY", "LIMIT", timeInForce="GTC", quantity=1, price=0.1,
                                    recvWindow=5000)
        assert client.config.signer is not None
        assert client.config.signer.sign(DOC_QUERY) == DOC_SIGNATURE
    request = counter.requests[0]
    assert str(request.url) == f"{TESTNET}/api/v3/order/test?{DOC_QUERY}&signature={DOC_SIGNATURE}"


def test_documented_hmac_signature_for_new_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """new_order adds its client order id; with it given, the rest of the query is the doc's."""
    monkeypatch.setattr(time, "time", lambda: 1499827319.5595)
    client, counter = _answering(ACK)
    with client:
        client.trade.new_order("LTCBTC", "BUY", "LIMIT", timeInForce="GTC", quantity="1", price="0.1",
                               newClientOrderId="doc")
    url = str(counter.requests[0].url)
    assert url.startswith(f"{TESTNET}/api/v3/order?")
    payload, _, signature = url.split("?", 1)[1].rpartition("&signature=")
    assert payload == DOC_QUERY.replace("&recvWindow", "&newClientOrderId=doc&recvWindow")
    import hashlib
    import hmac

    assert signature == hmac.new(API_SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()


# -- enumerations of the responses --------------------------------------------------------------
def test_documented_response_values_are_enum_members() -> None:
    """Response enum fields stay ``str``; every documented value is a member of the matching enum."""
    import json

    from cases.trade import CASES, ERROR_CASES
    from support import EXAMPLES

    from binance_typed.models import enums

    by_key: dict[str, type[Any]] = {
        "contingencyType": enums.ContingencyType, "listStatusType": enums.OrderListStatusType,
        "listOrderStatus": enums.OrderListOrderStatus, "status": enums.OrderStatus, "type": enums.OrderType,
        "side": enums.OrderSide, "timeInForce": enums.TimeInForce,
        "selfTradePreventionMode": enums.SelfTradePreventionMode, "workingFloor": enums.WorkingFloor,
        "cancelResult": enums.CancelReplaceOutcome, "newOrderResult": enums.CancelReplaceOutcome,
    }
    seen: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in by_key and isinstance(value, str):
                    by_key[key](value)
                    seen.add(key)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for case in [*CASES, *ERROR_CASES]:
        walk(json.loads((EXAMPLES / "rest" / case.example).read_text()))
    assert seen == set(by_key)
