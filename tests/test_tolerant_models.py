"""Responses as older or regional servers send them: late fields absent, ``-1`` time sentinels,
and every decode failure a ``MalformedResponseError`` (a ``BinanceError``) carrying the body."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from support import API_KEY, API_SECRET, example

from binance_typed import Client, RetryPolicy
from binance_typed.error import BinanceError, ExecutionStatusUnknown, MalformedResponseError


def client_answering(body: Any) -> Client:
    text = body if isinstance(body, str) else json.dumps(body)
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, text=text)))
    return Client(API_KEY, API_SECRET, http_client=http, retry=RetryPolicy(max_retries=0))


def trimmed(path: str, *drop: str) -> Any:
    body = example(path)
    items = body if isinstance(body, list) else [body]
    for item in items:
        for key in drop:
            assert key in item, key  # the trimmed key is really in the documented example
            del item[key]
    return body


def test_avg_price_without_close_time() -> None:
    value = client_answering(trimmed("rest/GET__api_v3_avgPrice.json", "closeTime")).market.avg_price("BTCUSDT")
    assert value.close_time is None and value.price > 0


def test_account_without_late_fields() -> None:
    late = ("commissionRates", "brokered", "requireSelfTradePrevention", "preventSor", "uid")
    account = client_answering(trimmed("rest/GET__api_v3_account.json", *late)).account.info()
    assert account.commission_rates is None and account.brokered is None and account.uid is None
    assert account.require_self_trade_prevention is None and account.prevent_sor is None
    assert account.balances


def test_cancel_without_transact_time() -> None:
    body = trimmed("rest/DELETE__api_v3_order__01_single.json", "transactTime")
    cancelled = client_answering(body).trade.cancel_order("BTCUSDT", orderId=1)
    assert cancelled.transact_time is None and cancelled.status


def test_prevented_match_without_maker_symbol() -> None:
    body = trimmed("rest/GET__api_v3_myPreventedMatches.json", "makerSymbol")
    matches = client_answering(body).account.my_prevented_matches("BTCUSDT", preventedMatchId=1)
    assert matches[0].maker_symbol is None and matches[0].maker_order_id == 3


def test_minus_one_time_sentinels_are_none() -> None:
    body = example("rest/GET__api_v3_order.json")
    body.update(workingTime=-1, trailingTime=-1, trailingDelta=100)
    order = client_answering(body).account.get_order("LTCBTC", orderId=1)
    assert order.working_time is None and order.trailing_time is None
    body.update(workingTime=1499827319559)
    assert client_answering(body).account.get_order("LTCBTC", orderId=1).working_time.year == 2017  # type: ignore[union-attr]


@pytest.mark.parametrize("body", ['{"mins": 5}', "[1, 2]", "not json", '{"mins": "x", "price": "1"}', ""])
def test_every_rest_decode_failure_is_malformed_response_with_the_body(body: str) -> None:
    with pytest.raises(MalformedResponseError) as info:
        client_answering(body).market.avg_price("BTCUSDT")
    assert isinstance(info.value, BinanceError) and info.value.body == body


def test_an_unreadable_order_answer_is_execution_status_unknown() -> None:
    with pytest.raises(ExecutionStatusUnknown) as info:
        client_answering('{"symbol": 1}').trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1)
    assert info.value.new_client_order_id


@pytest.mark.parametrize("asynchronous", [False, True])
async def test_websocket_api_decode_failure_is_malformed_response(asynchronous: bool) -> None:
    from wsapi_server import FakeWsApi

    from binance_typed.ws import AsyncWebsocketAPIClient, SpotWebsocketAPIClient

    with FakeWsApi(hmac_secret=API_SECRET) as server:
        server.results["avgPrice"] = {"mins": "many"}
        with pytest.raises(MalformedResponseError) as info:
            if asynchronous:
                async with AsyncWebsocketAPIClient(API_KEY, API_SECRET, stream_url=server.url, timeout=5) as aws:
                    await aws.market.avg_price("BTCUSDT")
            else:
                with SpotWebsocketAPIClient(API_KEY, API_SECRET, stream_url=server.url, timeout=5) as ws:
                    ws.market.avg_price("BTCUSDT")
        assert isinstance(info.value, BinanceError) and '"mins": "many"' in info.value.body
        # a trimmed but valid answer (no closeTime) decodes
        server.results["avgPrice"] = {"mins": 5, "price": "9.35751834"}
        with SpotWebsocketAPIClient(API_KEY, API_SECRET, stream_url=server.url, timeout=5) as ws:
            assert ws.market.avg_price("BTCUSDT").close_time is None
