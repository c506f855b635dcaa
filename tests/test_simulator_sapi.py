"""The local exchange serves every /sapi path of the catalogue: checks, weights and bodies.

Raw HTTP calls signed with the SDK's own signing code (``HmacSigner`` over ``encode_params``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_simulator_sapi_support import error, ok, sapi_call

from binance_typed.testing import LocalBinance
from binance_typed.testing._sapi import HANDLERS, load_handlers, table

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = json.loads((ROOT / "spec" / "sapi" / "catalogue.json").read_text())
KEYS = [f"{ep['verb']} {ep['path']}" for ep in CATALOGUE]
load_handlers()
STATEFUL = sorted(HANDLERS)

# Values for mandatory parameters; the stateful endpoints get ones that their state accepts.
BY_NAME: dict[str, str] = {
    "coin": "BTC", "asset": "USDT", "symbol": "BTCUSDT", "productId": "USDT001", "amount": "1",
    "fromAsset": "USDT", "toAsset": "BTC", "address": "bc1qexampleaddress", "email": "sub@example.com",
    "startTime": "1", "endTime": "99999999999999", "side": "BUY", "type": "MARKET", "quantity": "0.001",
    "recvWindow": "5000", "isIsolated": "FALSE", "fromAmount": "10",
}
BY_ENDPOINT: dict[str, dict[str, str]] = {
    "GET /sapi/v1/asset/transfer": {"type": "MAIN_FUNDING"},
    "POST /sapi/v1/asset/transfer": {"type": "MAIN_FUNDING"},
    "POST /sapi/v1/capital/withdraw/apply": {"coin": "USDT", "amount": "20"},
    "POST /sapi/v1/margin/borrow-repay": {"type": "BORROW", "amount": "10"},
    "POST /sapi/v1/simple-earn/flexible/redeem": {"amount": "1"},
    "DELETE /sapi/v1/margin/openOrders": {"symbol": "ETHUSDT"},
    "POST /sapi/v1/convert/getQuote": {"fromAmount": "10"},
    "POST /sapi/v1/margin/order/oco": {"side": "SELL", "quantity": "0.01", "price": "70000", "stopPrice": "50000",
                                       "stopLimitPrice": "49900", "stopLimitTimeInForce": "GTC"},
    "POST /sapi/v1/margin/order/oto": {
        "workingType": "LIMIT", "workingSide": "BUY", "workingPrice": "50000", "workingQuantity": "0.001",
        "workingIcebergQty": "0.0005", "workingTimeInForce": "GTC", "pendingType": "LIMIT", "pendingSide": "SELL",
        "pendingQuantity": "0.001", "pendingPrice": "70000", "pendingTimeInForce": "GTC"},
    "POST /sapi/v1/margin/order/otoco": {
        "workingType": "LIMIT", "workingSide": "BUY", "workingPrice": "50000", "workingQuantity": "0.001",
        "workingTimeInForce": "GTC", "pendingSide": "SELL", "pendingQuantity": "0.001",
        "pendingAboveType": "LIMIT_MAKER", "pendingAbovePrice": "70000", "pendingBelowType": "STOP_LOSS_LIMIT",
        "pendingBelowStopPrice": "45000", "pendingBelowPrice": "44900", "pendingBelowTimeInForce": "GTC"},
}


def sample(key: str, name: str) -> str:
    meta = table()[key]
    if name in BY_ENDPOINT.get(key, {}):
        return BY_ENDPOINT[key][name]
    spec = meta.get("types", {}).get(name)
    if spec and spec[0] == "enum":
        return BY_NAME[name] if BY_NAME.get(name) in spec[1:] else str(spec[1])
    if name in BY_NAME and (spec is None or spec[0] != "integer" or BY_NAME[name].isdigit()):
        return BY_NAME[name]
    if spec and spec[0] in ("integer", "number"):
        return "1"
    if spec and spec[0] == "boolean":
        return "true"
    return "x"


def required_params(key: str) -> dict[str, str]:
    return {name: sample(key, name) for name in table()[key]["req"]}


@pytest.fixture(scope="module")
def exchange() -> Iterator[LocalBinance]:
    """One exchange for the module, with /sapi budgets large enough for every call below, and the
    state the stateful endpoints need (a margin loan to repay, an earn position, a quote, orders)."""
    with LocalBinance() as ex:
        ex.sapi.ip_limits.weight_limit = 10**9
        ex.sapi.uid_limit = 10**9
        ok(sapi_call(ex, "POST", "/sapi/v1/asset/transfer", {"type": "MAIN_MARGIN", "asset": "USDT", "amount": "5000"}))
        ok(sapi_call(ex, "POST", "/sapi/v1/asset/transfer", {"type": "MAIN_MARGIN", "asset": "BTC", "amount": "0.5"}))
        ok(sapi_call(ex, "POST", "/sapi/v1/margin/borrow-repay",
                     {"asset": "USDT", "isIsolated": "FALSE", "amount": "100", "type": "BORROW"}))
        ok(sapi_call(ex, "POST", "/sapi/v1/simple-earn/flexible/subscribe", {"productId": "USDT001", "amount": "50"}))
        for _ in range(3):
            ok(sapi_call(ex, "POST", "/sapi/v1/margin/order", {"symbol": "ETHUSDT", "side": "BUY", "type": "LIMIT",
                                                              "timeInForce": "GTC", "quantity": "0.01", "price": "2000"}))
        yield ex


def prepared(exchange: LocalBinance, key: str) -> dict[str, str]:
    """Mandatory parameters, with ids of objects created for the endpoints that look one up."""
    params = {**required_params(key), **BY_ENDPOINT.get(key, {})}
    if key == "POST /sapi/v1/convert/acceptQuote":
        quote = ok(sapi_call(exchange, "POST", "/sapi/v1/convert/getQuote",
                             {"fromAsset": "USDT", "toAsset": "BTC", "fromAmount": "10"}))
        params["quoteId"] = quote["quoteId"]
    if key in ("DELETE /sapi/v1/margin/order", "GET /sapi/v1/margin/order"):
        placed = ok(sapi_call(exchange, "POST", "/sapi/v1/margin/order", {
            "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.001",
            "price": "50000"}))
        params["orderId"] = str(placed["orderId"])
    if key in ("DELETE /sapi/v1/margin/orderList", "GET /sapi/v1/margin/orderList"):
        placed = ok(sapi_call(exchange, "POST", "/sapi/v1/margin/order/oco", {
            "symbol": "BTCUSDT", **BY_ENDPOINT["POST /sapi/v1/margin/order/oco"]}))
        params["orderListId"] = str(placed["orderListId"])
    if key == "POST /sapi/v1/margin/order":
        params.update(type="LIMIT", timeInForce="GTC", quantity="0.001", price="50000")
    if key == "GET /sapi/v1/convert/orderStatus":
        quote = ok(sapi_call(exchange, "POST", "/sapi/v1/convert/getQuote",
                             {"fromAsset": "USDT", "toAsset": "BTC", "fromAmount": "10"}))
        params["orderId"] = ok(sapi_call(exchange, "POST", "/sapi/v1/convert/acceptQuote",
                                         {"quoteId": quote["quoteId"]}))["orderId"]
    return params


def test_the_table_is_the_catalogue() -> None:
    assert sorted(table()) == sorted(KEYS)
    assert len(KEYS) == 354
    sources = [table()[k]["src"] for k in KEYS]
    assert sources.count("example") == 242 and sources.count("schema") == 112
    for ep in CATALOGUE:
        meta = table()[f"{ep['verb']} {ep['path']}"]
        if ep["example_response"] is not None:
            assert meta["body"] == ep["example_response"]
        assert meta["req"] == [p["name"] for p in ep["params"] if p["required"]]
        assert meta["signed"] is ep["signed"] and meta["w"][0] == (ep["weight"]["kind"] or "IP")


def test_the_data_file_is_generated_from_the_catalogue() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import _gen_sapi_sim
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    ((path, text),) = _gen_sapi_sim.outputs().items()
    assert path.read_text() == text


@pytest.mark.parametrize("key", KEYS)
def test_every_path_answers_a_signed_call(exchange: LocalBinance, key: str) -> None:
    verb, path = key.split(" ", 1)
    meta = table()[key]
    response = sapi_call(exchange, verb, path, prepared(exchange, key), signed=meta["signed"])
    body = ok(response)
    header = f"X-SAPI-USED-{meta['w'][0]}-WEIGHT-1M"
    assert int(response.headers[header]) >= 1
    other = "X-SAPI-USED-UID-WEIGHT-1M" if meta["w"][0] == "IP" else "X-SAPI-USED-IP-WEIGHT-1M"
    assert other not in response.headers and "X-MBX-USED-WEIGHT-1M" not in response.headers
    if key not in HANDLERS:
        assert body == meta["body"]


@pytest.mark.parametrize("key", [k for k in KEYS if table()[k]["signed"]])
def test_a_signed_path_refuses_a_missing_or_wrong_signature(exchange: LocalBinance, key: str) -> None:
    verb, path = key.split(" ", 1)
    params = required_params(key)
    code, msg = error(sapi_call(exchange, verb, path, params, signed=False))
    assert (code, msg) == (-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.")
    code, _ = error(sapi_call(exchange, verb, path, params, signature="ab" * 32))
    assert code == -1022
    code, _ = error(sapi_call(exchange, verb, path, params, secret="x" * 64))
    assert code == -1022


@pytest.mark.parametrize("key", [k for k in KEYS if table()[k]["req"]])
def test_a_missing_mandatory_parameter_is_1102(exchange: LocalBinance, key: str) -> None:
    verb, path = key.split(" ", 1)
    meta = table()[key]
    params = required_params(key)
    missing = meta["req"][0]
    del params[missing]
    code, msg = error(sapi_call(exchange, verb, path, params, signed=meta["signed"]))
    assert (code, msg) == (-1102, f"Mandatory parameter '{missing}' was not sent, was empty/null, or malformed.")


@pytest.mark.parametrize("key", [k for k in KEYS if table()[k]["sec"] != "NONE"])
def test_a_keyed_path_needs_the_api_key(exchange: LocalBinance, key: str) -> None:
    verb, path = key.split(" ", 1)
    meta = table()[key]
    code, _ = error(sapi_call(exchange, verb, path, required_params(key), signed=meta["signed"], api_key=""), 401)
    assert code == -2014
    code, _ = error(sapi_call(exchange, verb, path, required_params(key), signed=meta["signed"], api_key="A" * 64), 401)
    assert code == -2015


def test_public_paths_need_no_key(exchange: LocalBinance) -> None:
    public = [k for k in KEYS if table()[k]["sec"] == "NONE"]
    assert public == ["GET /sapi/v1/convert/exchangeInfo", "GET /sapi/v1/system/status"]
    for key in public:
        assert ok(sapi_call(exchange, "GET", key.split(" ", 1)[1], signed=False, api_key="")) == table()[key]["body"]


def test_timestamp_outside_recv_window_is_1021(exchange: LocalBinance) -> None:
    stale = exchange.engine.now() - 10_000
    code, _ = error(sapi_call(exchange, "GET", "/sapi/v1/account/status", timestamp=stale))
    assert code == -1021
    assert ok(sapi_call(exchange, "GET", "/sapi/v1/account/status", {"recvWindow": 20_000}, timestamp=stale))


def test_parameter_shapes_are_checked(exchange: LocalBinance) -> None:
    path = "/sapi/v1/margin/borrow-repay"
    base = {"asset": "USDT", "isIsolated": "FALSE", "amount": "1", "type": "BORROW"}
    assert error(sapi_call(exchange, "POST", path, {**base, "type": "LEND"}))[0] == -1130
    assert error(sapi_call(exchange, "POST", path, {**base, "amount": "1e3"}))[0] == -1100
    assert error(sapi_call(exchange, "GET", "/sapi/v1/capital/deposit/hisrec", {"limit": "ten"}))[0] == -1100


def test_unknown_sapi_path_is_404(exchange: LocalBinance) -> None:
    assert sapi_call(exchange, "GET", "/sapi/v1/nothing/here").status_code == 404


def test_schema_built_bodies_are_typed_like_the_schema() -> None:
    decimals = 0

    def check(value: Any, schema: dict[str, Any]) -> None:
        nonlocal decimals
        kind = schema.get("type")
        if kind == "array":
            assert isinstance(value, list) and len(value) == (1 if isinstance(schema.get("items"), dict) else 0)
            for item in value:
                check(item, schema["items"])
        elif kind == "object" or "properties" in schema:
            assert isinstance(value, dict)
            props = schema.get("properties") or {}
            assert set(props) <= set(value)
            for name, sub in props.items():
                check(value[name], sub)
        elif kind == "string":
            assert isinstance(value, str)
            if value != "text":  # an amount, by the field's name
                assert Decimal(value) == 1
                decimals += 1
        elif kind == "integer":
            assert isinstance(value, int) and not isinstance(value, bool)
        elif kind == "number":
            assert isinstance(value, (int, float)) and not isinstance(value, bool)
        elif kind == "boolean":
            assert isinstance(value, bool)

    for ep in CATALOGUE:
        meta = table()[f"{ep['verb']} {ep['path']}"]
        if meta["src"] == "schema" and not ep["response"].get("empty"):
            check(meta["body"], ep["response"])
    assert decimals > 0


def test_ip_weight_is_counted_and_limited() -> None:
    with LocalBinance() as ex:
        ex.sapi.ip_limits.weight_limit = 25
        first = sapi_call(ex, "GET", "/sapi/v1/capital/config/getall")  # weight 10 (IP)
        assert first.headers["X-SAPI-USED-IP-WEIGHT-1M"] == "10"
        assert sapi_call(ex, "GET", "/sapi/v1/capital/config/getall").headers["X-SAPI-USED-IP-WEIGHT-1M"] == "20"
        refused = sapi_call(ex, "GET", "/sapi/v1/capital/config/getall")
        code, msg = error(refused, 429)
        assert code == -1003 and "current limit is 25 request weight" in msg
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.headers["X-SAPI-USED-IP-WEIGHT-1M"] == "30"
        # the /api/v3 budget is a different one
        assert ex.call("GET", "/api/v3/time").status_code == 200


def test_uid_weight_is_per_account_and_limited() -> None:
    with LocalBinance() as ex:
        ex.sapi.uid_limit = 1000
        path = "/sapi/v1/capital/withdraw/apply"  # weight 900 (UID)
        params = {"coin": "USDT", "address": "0xabc", "amount": "20"}
        first = sapi_call(ex, "POST", path, params)
        assert first.headers["X-SAPI-USED-UID-WEIGHT-1M"] == "900"
        code, _ = error(sapi_call(ex, "POST", path, params), 429)
        assert code == -1003
        assert ex.balances()["USDT"][0] == Decimal("99980")  # the refused one moved nothing
        other_key, other_secret = ex.new_key("HMAC", account=2)
        ex.fund("USDT", "100", account=2)
        second = sapi_call(ex, "POST", path, params, api_key=other_key, secret=other_secret)
        assert ok(second) and second.headers["X-SAPI-USED-UID-WEIGHT-1M"] == "900"


@pytest.mark.parametrize(("params", "weight"), [({"coin": "BTC"}, 1), ({}, 5)])
def test_a_weight_rule_follows_its_parameter(params: dict[str, str], weight: int) -> None:
    with LocalBinance() as ex:
        response = sapi_call(ex, "GET", "/sapi/v1/margin/crossMarginData", params)
        assert ok(response) and response.headers["X-SAPI-USED-IP-WEIGHT-1M"] == str(weight)


@pytest.mark.parametrize(("effect", "weight"), [("MARGIN_BUY", 1500), ("NO_SIDE_EFFECT", 6), (None, 6)])
def test_a_margin_order_weighs_by_side_effect(effect: str | None, weight: int) -> None:
    with LocalBinance() as ex:
        ok(sapi_call(ex, "POST", "/sapi/v1/asset/transfer", {"type": "MAIN_MARGIN", "asset": "USDT", "amount": "500"}))
        params = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.001",
                  "price": "50000", **({"sideEffectType": effect} if effect else {})}
        response = sapi_call(ex, "POST", "/sapi/v1/margin/order", params)
        ok(response)
        assert int(response.headers["X-SAPI-USED-UID-WEIGHT-1M"]) == 300 + weight  # after the transfer's 300


def test_faults_apply_to_sapi_paths() -> None:
    with LocalBinance() as ex:
        ex.faults.next(1, "503", "POST /sapi/v1/capital/withdraw/apply")
        params = {"coin": "USDT", "address": "0xabc", "amount": "20"}
        assert sapi_call(ex, "POST", "/sapi/v1/capital/withdraw/apply", params).status_code == 503
        assert ok(sapi_call(ex, "POST", "/sapi/v1/capital/withdraw/apply", params))["id"]
        assert len(ex.requests_to("/sapi/v1/capital/withdraw/apply", "POST")) == 2


def test_fiat_deposit_reads_its_json_body_and_signs_the_query() -> None:
    import httpx

    from binance_typed._signing import HmacSigner, encode_params

    with LocalBinance() as ex:
        query = encode_params([("timestamp", str(ex.engine.now()))])
        url = f"{ex.rest_url}/sapi/v1/fiat/deposit?{query}&signature={HmacSigner(ex.api_secret).sign(query)}"
        headers = {"X-MBX-APIKEY": ex.api_key, "Content-Type": "application/json"}
        body = {"currency": "BRL", "apiPaymentMethod": "pix", "amount": 100}
        answer = httpx.post(url, headers=headers, content=json.dumps(body))
        assert ok(answer) == table()["POST /sapi/v1/fiat/deposit"]["body"]
        del body["currency"]
        code, msg = error(httpx.post(url, headers=headers, content=json.dumps(body)))
        assert code == -1102 and "'currency'" in msg
