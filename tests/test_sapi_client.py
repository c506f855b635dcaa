"""/sapi behaviour through the real clients: money safety, retries, testnet, weights, wiring."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sapi_support import CATALOGUE, Replay, async_client, case_id, declared, sync_client
from support import ROOT

from binance_typed import Client, RetryPolicy
from binance_typed._groups import GROUPS
from binance_typed.endpoints import all_endpoints, all_groups, find_endpoint
from binance_typed.error import (
    ExecutionStatusUnknown,
    NotOnTestnetError,
    ParameterRequiredError,
    ParameterValueError,
    ServerError,
)

SAPI_GROUPS = (
    "wallet", "margin", "sub_account", "simple_earn", "staking", "mining", "convert", "crypto_loan",
    "vip_loan", "algo", "c2c", "fiat", "gift_card", "pay", "rebate", "nft", "copy_trading",
    "dual_investment", "portfolio_margin",
)
MONEY = [e for e in CATALOGUE if declared(e).places_order]


def _error(status: int) -> Replay:
    return Replay(b'{"code":-1000,"msg":"internal"}' if status < 600 else b"", status=status)


# -- groups and names -------------------------------------------------------------------------------
def test_nineteen_groups_on_both_clients() -> None:
    assert tuple(g for g in GROUPS if g not in ("market", "trade", "account")) == SAPI_GROUPS
    replay = Replay()
    with sync_client(replay) as client:
        for group in SAPI_GROUPS:
            assert type(getattr(client, group)).__name__ == group.title().replace("_", "")
            assert getattr(client, group) is getattr(client, group)  # built once


def test_catalogue_command_lists_402_endpoints() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "binance_typed", "endpoints", "--json"], capture_output=True, text=True,
        check=True, cwd=ROOT,
    )
    rows = json.loads(done.stdout)
    assert len(rows) == 48 + 354
    sapi = [r for r in rows if r["path"] and r["path"].startswith("/sapi/")]
    assert len(sapi) == 354
    counts: dict[str, int] = {}
    for row in sapi:
        counts[row["product"]] = counts.get(row["product"], 0) + 1
    assert counts == {
        "wallet": 50, "margin_trading": 69, "sub_account": 49, "simple_earn": 41, "staking": 37,
        "portfolio_margin_pro": 24, "vip_loan": 14, "mining": 13, "algo": 12, "crypto_loan": 12,
        "convert": 9, "gift_card": 6, "fiat": 5, "dual_investment": 4, "nft": 4, "copy_trading": 2,
        "c2c": 1, "pay": 1, "rebate": 1,
    }
    withdraw = next(r for r in rows if r["path"] == "/sapi/v1/capital/withdraw/apply")
    assert withdraw == {
        "method": "wallet.withdraw", "product": "wallet", "group": "wallet", "verb": "POST",
        "path": "/sapi/v1/capital/withdraw/apply", "security": "SIGNED", "weight_kind": "UID",
        "weight": 900, "ws_method": None, "moves_money": True,
    }
    assert {r["weight_kind"] for r in sapi} == {"IP", "UID"}


def test_method_names_are_short_and_not_the_connectors() -> None:
    for entry in CATALOGUE:
        endpoint = declared(entry)
        assert len(endpoint.name) <= 48 and not endpoint.name[-1].isdigit() or endpoint.name.endswith(("v2", "v4"))
        assert "group_" not in endpoint.name
    assert find_endpoint("GET", "/sapi/v1/capital/deposit/address").dotted == "wallet.deposit_address"
    assert find_endpoint("POST", "/sapi/v1/margin/borrow-repay").dotted == "margin.borrow_repay"
    connector_only = {e["connector_method"] for e in CATALOGUE if e["connector_method"]} - {
        declared(e).name for e in CATALOGUE
    }
    for group in SAPI_GROUPS:  # e.g. margin_max_borrowable: only the compatible layer will have it
        cls = type(getattr(Client(), group))
        assert not connector_only & set(vars(cls)), group


def test_find_endpoint_by_verb_and_path() -> None:
    endpoint = find_endpoint("post", "/sapi/v1/capital/withdraw/apply")
    assert (endpoint.group, endpoint.name, endpoint.weight_kind, endpoint.weight) == ("wallet", "withdraw", "UID", 900)
    with pytest.raises(LookupError):
        find_endpoint("GET", "/sapi/v1/nothing")
    assert len({(e.verb, e.path) for e in all_endpoints(all_groups())}) == 402


def test_wallet_calls_read_like_the_issue() -> None:
    body = b'{"address":"1HPn8Rx2y6nNSfagQBKy27GB99Vbzg89wv","coin":"BTC","tag":"","url":"https://x"}'
    replay = Replay(body)
    with sync_client(replay) as client:
        address = client.wallet.deposit_address("BTC", network="BTC")
    assert address.address == "1HPn8Rx2y6nNSfagQBKy27GB99Vbzg89wv"
    assert replay.requests[0].url.path == "/sapi/v1/capital/deposit/address"
    assert [k for k, _ in replay.query()][:2] == ["coin", "network"]


# -- validation before signing ------------------------------------------------------------------------
def test_bad_arguments_fail_before_anything_is_sent() -> None:
    replay = Replay()
    with sync_client(replay) as client:
        with pytest.raises(ParameterRequiredError):
            client.wallet.withdraw("BTC", "addr", None)  # type: ignore[arg-type]
        with pytest.raises(ParameterValueError):
            client.wallet.withdraw("BTC", "addr", "lots")
        with pytest.raises(ParameterValueError):
            client.margin.borrow_repay("BTC", "FALSE", "1", "LEND")  # type: ignore[arg-type]
        with pytest.raises(ParameterValueError):
            client.margin.borrow_repay("BTC", "FALSE", "1e400x", "BORROW")
        with pytest.raises(TypeError):
            client.wallet.deposit_address("BTC", netwrk="BTC")  # type: ignore[call-arg]
    assert replay.requests == []


def test_decimal_and_datetime_parameters_on_the_wire() -> None:
    from datetime import datetime, timezone

    replay = Replay(b"[]")
    with sync_client(replay) as client:
        client.wallet.deposit_history(startTime=datetime(2024, 1, 2, tzinfo=timezone.utc), offset=0)
        replay.body = b'{"id":"7213fea8e94b4a5593d507237e5a555b"}'
        client.wallet.withdraw("BTC", "addr", Decimal("1E-8"), withdrawOrderId="w1")
        replay.body = b'{"tranId":1}'
        client.margin.borrow_repay("BTC", "FALSE", 0.1, "BORROW")
    assert dict(replay.query(0))["startTime"] == "1704153600000"
    assert dict(replay.query(1))["amount"] == "0.00000001"
    assert dict(replay.query(2))["amount"] == "0.1"


def test_fiat_deposit_sends_a_json_body_and_signs_query_plus_body() -> None:
    import hashlib
    import hmac

    replay = Replay(b'{"code":"000000","message":"success","data":{"orderId":"x"},"success":true}')
    with sync_client(replay) as client:
        client.fiat.deposit("BRL", "pix", Decimal("12.50"), ext={"a": 1})
    request = replay.requests[0]
    assert json.loads(request.content) == {"currency": "BRL", "apiPaymentMethod": "pix", "amount": "12.50", "ext": {"a": 1}}
    query = request.url.query.decode()
    assert [k for k, _ in replay.query()] == ["recvWindow", "timestamp", "signature"]
    signed = query.rsplit("&signature=", 1)[0] + request.content.decode()
    assert dict(replay.query())["signature"] == hmac.new(b"secret", signed.encode(), hashlib.sha256).hexdigest()


def test_weight_rules_depend_on_parameters() -> None:
    cross = find_endpoint("GET", "/sapi/v1/margin/crossMarginData")
    assert cross.weight_for(cross.params.build(coin="BNB")) == 1
    assert cross.weight_for(cross.params.build()) == 5
    order = find_endpoint("POST", "/sapi/v1/margin/order")
    plain = order.params.build(symbol="BNBUSDT", side="BUY", type="MARKET")
    borrow = order.params.build(symbol="BNBUSDT", side="BUY", type="MARKET", sideEffectType="MARGIN_BUY")
    assert (order.weight_for(plain), order.weight_for(borrow), order.weight_kind) == (6, 1500, "UID")


@pytest.mark.usefixtures("steady_rate_windows")
def test_sapi_weight_headers_reach_rate_limits() -> None:
    headers = {"X-SAPI-USED-IP-WEIGHT-1M": "41", "X-MBX-USED-WEIGHT-1M": "3"}
    replay = Replay(b'{"data":"Normal"}', headers=headers)
    with sync_client(replay) as client:
        client.wallet.account_status()
        assert client.rate_limits.sapi_ip_weight == {"1M": 41}
        assert client.rate_limits.used_weight == {"1M": 3}
        replay.headers = {"X-SAPI-USED-UID-WEIGHT-1M": "900"}
        client.wallet.account_status()
        assert client.rate_limits.sapi_uid_weight == {"1M": 900}


# -- money safety -------------------------------------------------------------------------------------
MUST_BE_MONEY = [
    "POST /sapi/v1/capital/withdraw/apply", "POST /sapi/v1/asset/transfer",
    "POST /sapi/v1/sub-account/universalTransfer", "POST /sapi/v1/sub-account/transfer/subToSub",
    "POST /sapi/v1/sub-account/transfer/subToMaster", "POST /sapi/v1/sub-account/futures/transfer",
    "POST /sapi/v1/sub-account/margin/transfer", "POST /sapi/v1/sub-account/futures/internalTransfer",
    "POST /sapi/v1/margin/borrow-repay", "POST /sapi/v1/simple-earn/flexible/subscribe",
    "POST /sapi/v1/simple-earn/flexible/redeem", "POST /sapi/v1/simple-earn/locked/subscribe",
    "POST /sapi/v1/simple-earn/locked/redeem", "POST /sapi/v1/convert/acceptQuote",
    "POST /sapi/v1/margin/order", "POST /sapi/v1/margin/order/oco", "POST /sapi/v1/algo/spot/newOrderTwap",
    "POST /sapi/v1/algo/futures/newOrderVp", "POST /sapi/v1/giftcard/createCode",
    "POST /sapi/v1/giftcard/redeemCode", "POST /sapi/v2/loan/flexible/borrow", "POST /sapi/v1/loan/vip/repay",
    "POST /sapi/v2/fiat/withdraw", "POST /sapi/v1/managed-subaccount/withdraw",
]


def test_the_issues_money_endpoints_are_marked() -> None:
    marked = {case_id(e) for e in MONEY}
    assert set(MUST_BE_MONEY) <= marked
    assert all(e["verb"] != "GET" for e in MONEY)
    assert len(MONEY) >= 60


def _args(entry: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    from sapi_support import arguments

    args, kwargs, _ = arguments(entry, with_optional=False)
    return args, kwargs


@pytest.mark.parametrize("status", [500, 503])
@pytest.mark.parametrize("entry", MONEY, ids=case_id)
def test_money_endpoint_5xx_is_unknown_and_never_resent(entry: dict[str, Any], status: int) -> None:
    endpoint = declared(entry)
    replay = _error(status)
    args, kwargs = _args(entry)
    client_cm = sync_client(replay, retry=RetryPolicy(max_retries=3, initial_wait=0, jitter=0))
    with client_cm as client, pytest.raises(ExecutionStatusUnknown) as caught:
        getattr(getattr(client, endpoint.group), endpoint.name)(*args, **kwargs)
    assert len(replay.requests) == 1
    if endpoint.client_id_field:
        sent = dict(replay.query())[endpoint.client_id_field]
        assert caught.value.client_id == sent and sent.startswith("bt-")
        assert caught.value.client_id_field == endpoint.client_id_field
        assert endpoint.client_id_field in str(caught.value)


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"), httpx.ReadError("reset")],
    ids=lambda e: type(e).__name__,
)
def test_withdraw_lost_answer_raises_unknown_with_the_given_id(failure: Exception) -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise failure

    replay = Replay(boom)
    client_cm = sync_client(replay, retry=RetryPolicy(max_retries=3, initial_wait=0, jitter=0))
    with client_cm as client, pytest.raises(ExecutionStatusUnknown) as caught:
        client.wallet.withdraw("BTC", "addr", "0.5", withdrawOrderId="my-withdrawal-1")
    assert len(replay.requests) == 1
    assert caught.value.client_id == "my-withdrawal-1"
    assert "withdrawOrderId='my-withdrawal-1'" in str(caught.value)


def test_unreadable_answer_to_a_transfer_is_unknown() -> None:
    replay = Replay(b"<html>gateway</html>")
    with sync_client(replay) as client, pytest.raises(ExecutionStatusUnknown) as caught:
        client.sub_account.universal_transfer("SPOT", "USDT_FUTURE", "USDT", "10")
    assert caught.value.client_id_field == "clientTranId"
    assert dict(replay.query())["clientTranId"] == caught.value.client_id


def test_get_is_retried_as_today() -> None:
    calls = iter([httpx.Response(503, content=b"{}"), httpx.Response(200, content=b'[{"coin":"BTC"}]')])
    replay = Replay(lambda request: next(calls))
    with sync_client(replay, retry=RetryPolicy(max_retries=2, initial_wait=0, jitter=0)) as client:
        history = client.wallet.deposit_history()
    assert len(replay.requests) == 2 and history[0].coin == "BTC"


def test_non_money_post_is_not_resent_but_fails_plainly() -> None:
    replay = _error(503)
    client_cm = sync_client(replay, retry=RetryPolicy(max_retries=2, initial_wait=0, jitter=0))
    with client_cm as client, pytest.raises(ServerError) as caught:
        client.wallet.user_asset()
    assert not isinstance(caught.value, ExecutionStatusUnknown)
    assert len(replay.requests) == 1


async def test_async_money_endpoint_is_unknown_once() -> None:
    replay = _error(502)
    async with async_client(replay, retry=RetryPolicy(max_retries=2, initial_wait=0, jitter=0)) as client:
        with pytest.raises(ExecutionStatusUnknown) as caught:
            await client.margin.new_order("BNBUSDT", "BUY", "MARKET", quantity="1")
    assert len(replay.requests) == 1
    assert caught.value.client_id == dict(replay.query())["newClientOrderId"]


# -- testnet ------------------------------------------------------------------------------------------
def test_sapi_on_testnet_raises_before_sending() -> None:
    replay = Replay()
    http = httpx.Client(transport=httpx.MockTransport(replay))
    with Client.testnet("key", "secret", http_client=http) as client:
        with pytest.raises(NotOnTestnetError, match="testnet"):
            client.wallet.withdraw("BTC", "addr", "1")
        with pytest.raises(NotOnTestnetError, match="/sapi/v1/margin/account"):
            client.margin.account()
        replay.body = b'{"serverTime": 1700000000000}'
        client.market.time()  # /api/v3 still works on the testnet
    assert [r.url.path for r in replay.requests] == ["/api/v3/time"]


async def test_async_sapi_on_testnet_raises_before_sending() -> None:
    from binance_typed import AsyncClient

    replay = Replay()
    http = httpx.AsyncClient(transport=httpx.MockTransport(replay))
    async with AsyncClient.testnet("key", "secret", http_client=http) as client:
        with pytest.raises(NotOnTestnetError):
            await client.convert.accept_quote("q1")
    assert replay.requests == []


# -- lazy loading -------------------------------------------------------------------------------------
def test_nothing_of_sapi_loads_until_a_group_is_used() -> None:
    code = (
        "import sys, binance_typed\n"
        "c = binance_typed.Client()\n"
        "c.market\n"
        "print(sorted(m for m in sys.modules if '.sapi' in m or m.startswith('binance_typed.api.')))\n"
        "c.wallet\n"
        "print(sorted(m for m in sys.modules if '.sapi' in m or m.startswith('binance_typed.api.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    before, after = (eval(line) for line in done.stdout.splitlines())
    assert "binance_typed.api.market" in before
    assert not [m for m in before if ".sapi" in m or m.rsplit(".", 1)[-1] in SAPI_GROUPS]
    assert "binance_typed.api.wallet" in after
    assert "binance_typed.models.sapi.wallet" not in after  # its models load at its first call
    assert not any(m.endswith((".margin", ".sub_account", ".simple_earn")) for m in after)


# -- data-keyed maps --------------------------------------------------------------------------------
def test_asset_detail_is_a_map_from_asset_code() -> None:
    body = b'{"BTC":{"minWithdrawAmount":"0.0005","depositStatus":true,"withdrawFee":0.0000001,"withdrawStatus":true},"SKY":{"withdrawFee":35,"newField":"kept"}}'
    replay = Replay(body)
    with sync_client(replay) as client:
        details = client.wallet.asset_detail()
    assert set(details) == {"BTC", "SKY"}
    assert details["BTC"].withdraw_fee == Decimal("0.0000001") and details["BTC"].deposit_status is True
    assert details["SKY"].withdraw_fee == Decimal(35)
    assert details["SKY"].model_extra == {"newField": "kept"}


def test_tier_rates_are_a_map_of_decimals() -> None:
    body = b'{"rows":[{"asset":"BTC","latestAnnualPercentageRate":"0.00006408","tierAnnualPercentageRate":{"0-5BTC":0.05,"5-10BTC":0.03}}],"total":1}'
    replay = Replay(body)
    with sync_client(replay) as client:
        products = client.simple_earn.flexible_products(asset="BTC")
    tiers = products.rows[0].tier_annual_percentage_rate
    assert tiers == {"0-5BTC": Decimal("0.05"), "5-10BTC": Decimal("0.03")}
    assert all(type(v) is Decimal for v in tiers.values())
