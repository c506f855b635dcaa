"""``client.account`` declarations agree with the docs: paths, security, weights, WebSocket methods."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support import EXAMPLES

from binance_typed._endpoint import Endpoint, Security
from binance_typed.endpoints import account, all_endpoints

INDEX = json.loads((EXAMPLES / "_index.json").read_text())
WEIGHTS = json.loads((EXAMPLES / "weights.json").read_text())
ACCOUNT = list(all_endpoints(("account",)))

EXPECTED = {
    "info": ("/api/v3/account", "account.status"),
    "get_order": ("/api/v3/order", "order.status"),
    "get_open_orders": ("/api/v3/openOrders", "openOrders.status"),
    "get_all_orders": ("/api/v3/allOrders", "allOrders"),
    "get_order_list": ("/api/v3/orderList", "orderList.status"),
    "get_all_order_lists": ("/api/v3/allOrderList", "allOrderLists"),
    "get_open_order_lists": ("/api/v3/openOrderList", "openOrderLists.status"),
    "my_trades": ("/api/v3/myTrades", "myTrades"),
    "rate_limit_order": ("/api/v3/rateLimit/order", "account.rateLimits.orders"),
    "my_prevented_matches": ("/api/v3/myPreventedMatches", "myPreventedMatches"),
    "my_allocations": ("/api/v3/myAllocations", "myAllocations"),
    "commission": ("/api/v3/account/commission", "account.commission"),
    "order_amendments": ("/api/v3/order/amendments", "order.amendments"),
    "my_filters": ("/api/v3/myFilters", "myFilters"),
}


def test_every_account_endpoint_is_declared() -> None:
    assert {e.name: (e.path, e.ws_method) for e in ACCOUNT} == EXPECTED
    documented = {k for k, v in INDEX["rest_endpoint_headings"].items() if k.startswith("GET ")}
    for path, ws in EXPECTED.values():
        assert f"GET {path}" in documented
        assert ws in INDEX["wsapi_methods"]


@pytest.mark.parametrize("endpoint", ACCOUNT, ids=[e.name for e in ACCOUNT])
def test_signed_get_with_recv_window(endpoint: Endpoint) -> None:
    assert endpoint.verb == "GET" and endpoint.security is Security.SIGNED
    assert endpoint.idempotent and not endpoint.places_order
    assert endpoint.params.signed and "recvWindow" in endpoint.params.model_fields
    assert endpoint.summary and not endpoint.summary.endswith(" ")


@pytest.mark.parametrize("endpoint", [e for e in ACCOUNT if isinstance(e.weight, int)],
                         ids=[e.name for e in ACCOUNT if isinstance(e.weight, int)])
def test_fixed_weights_match_the_docs(endpoint: Endpoint) -> None:
    assert str(endpoint.weight) == WEIGHTS["rest"][f"GET {endpoint.path}"]["weight"].strip()


def _weight(endpoint: Endpoint, **values: Any) -> int:
    return endpoint.weight_for(endpoint.params.build(**values))


def test_parameter_dependent_weights() -> None:
    assert _weight(account.GET_OPEN_ORDERS, symbol="BTCUSDT") == 6
    assert _weight(account.GET_OPEN_ORDERS) == 80
    assert _weight(account.MY_TRADES, symbol="BTCUSDT") == 20
    assert _weight(account.MY_TRADES, symbol="BTCUSDT", orderId=1) == 5
    assert _weight(account.MY_TRADES, symbol="BTCUSDT", orderId=1, fromId=2) == 5
    assert _weight(account.MY_PREVENTED_MATCHES, symbol="BTCUSDT", preventedMatchId=1) == 2
    assert _weight(account.MY_PREVENTED_MATCHES, symbol="BTCUSDT", orderId=1) == 20
    assert account.MY_TRADES.weight_for(None) == -1
    for ep in (account.GET_OPEN_ORDERS, account.MY_TRADES, account.MY_PREVENTED_MATCHES):
        assert callable(ep.weight) and ep.weight.__doc__
        assert ep.weight_text == ep.weight.__doc__.strip()


def test_params_keep_the_api_names_and_order() -> None:
    assert list(account.MyTradesParams.model_fields) == [
        "recvWindow", "symbol", "orderId", "startTime", "endTime", "fromId", "limit"]
    assert list(account.PreventedMatchesParams.model_fields)[1:] == [
        "symbol", "preventedMatchId", "orderId", "fromPreventedMatchId", "limit"]
    p = account.AccountInfoParams.build(omitZeroBalances=False)
    assert p.wire_items() == [("omitZeroBalances", "false")]


def test_my_filters_keeps_an_unknown_filter_type() -> None:
    from binance_typed.models.account import MyFilters
    from binance_typed.models.filters import MaxAsset, UnknownFilter

    value = MyFilters.model_validate({
        "exchangeFilters": [{"filterType": "EXCHANGE_SOMETHING_NEW", "max": 3}],
        "symbolFilters": [],
        "assetFilters": [{"filterType": "MAX_ASSET", "asset": "JPY", "limit": "5.5"}],
    })
    (unknown,) = value.exchange_filters
    assert type(unknown) is UnknownFilter and unknown.model_extra == {"max": 3}
    assert type(value.asset_filters[0]) is MaxAsset
