"""WebSocket API core without sockets: signing vectors, envelopes, error mapping, user data events."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from support import API_KEY, API_SECRET, EXAMPLES, example

from binance_typed._signing import Ed25519Signer, HmacSigner, RsaSigner
from binance_typed.endpoints.ws_only import SESSION_LOGON, LogonParams
from binance_typed.error import (
    ClientError,
    ExecutionStatusUnknown,
    IPBannedError,
    ParameterRequiredError,
    ParameterValueError,
    RateLimitError,
    ServerError,
)
from binance_typed.models.events.user_data import (
    BalanceUpdate,
    EventStreamTerminated,
    ExecutionReport,
    ExternalLockUpdate,
    ListStatus,
    OutboundAccountPosition,
    UnknownEvent,
    parse_user_data_event,
)
from binance_typed.ws._api_protocol import (
    Pending,
    WsConnectionLost,
    build_request,
    classify,
    decode_result,
    envelope,
    lost_error,
    signature_payload,
    timeout_error,
    ws_endpoints,
)

SIGNED = sorted((EXAMPLES / "general").glob("wsapi__SIGNED_*.json"))
DOC_PAYLOADS = {
    # the payloads the docs print for the two parameter sets, with each example's key
    "ascii": "apiKey={key}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT"
    "&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
}


def new_order_endpoint():  # type: ignore[no-untyped-def]
    return ws_endpoints()["order.place"]


# -- signing --------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", SIGNED, ids=lambda p: p.stem.removeprefix("wsapi__"))
def test_signature_payload_is_sorted_params(path: Path) -> None:
    params = json.loads(path.read_text())["params"]
    text = signature_payload(params)
    names = [pair.split("=", 1)[0] for pair in text.split("&")]
    assert names == sorted(k for k in params if k != "signature")
    assert "signature=" not in text
    assert f"symbol={params['symbol']}" in text  # UTF-8 as is, never percent-encoded


@pytest.mark.parametrize("path", [p for p in SIGNED if "HMAC" in p.name], ids=lambda p: p.stem[-12:])
def test_hmac_vectors(path: Path) -> None:
    params = json.loads(path.read_text())["params"]
    if "FILL" in params["signature"]:
        pytest.skip("the docs leave this signature to fill in")
    assert HmacSigner(API_SECRET).sign(signature_payload(params)) == params["signature"]


def test_docs_ascii_payload() -> None:
    params = example("general/wsapi__SIGNED_request_example_HMAC__request.json")["params"]
    assert signature_payload(params) == DOC_PAYLOADS["ascii"].format(key=params["apiKey"])


def test_build_request_signs_like_the_docs() -> None:
    endpoint = new_order_endpoint()
    doc = example("general/wsapi__SIGNED_request_example_HMAC__request__3.json")["params"]
    user = {k: v for k, v in doc.items() if k not in ("apiKey", "signature", "timestamp")}
    params = endpoint.params.build(newClientOrderId="x", **user).model_copy(update={"newClientOrderId": None})
    out = build_request(
        endpoint,
        params,
        api_key=doc["apiKey"],
        signer=HmacSigner(API_SECRET),
        authenticated=False,
        timestamp_ms=doc["timestamp"],
    )
    assert out["signature"] == doc["signature"]
    assert out["recvWindow"] == 100 and out["quantity"] == "0.01000000" and out["price"] == "52000.00"


@pytest.mark.parametrize("kind", ["rsa", "ed25519"])
def test_asymmetric_signatures_verify(kind: str) -> None:
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else (ed25519.Ed25519PrivateKey.generate())
    )
    signer = RsaSigner(key) if kind == "rsa" else Ed25519Signer(key)
    name = "RSA" if kind == "rsa" else "Ed25519"
    for path in [p for p in SIGNED if name in p.name]:
        params = json.loads(path.read_text())["params"]
        text = signature_payload(params)
        signature = base64.b64decode(signer.sign(text))
        if kind == "rsa":
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding

            key.public_key().verify(signature, text.encode(), padding.PKCS1v15(), hashes.SHA256())  # type: ignore[call-arg, union-attr]
        else:
            key.public_key().verify(signature, text.encode())  # type: ignore[call-arg]


def test_authenticated_session_omits_key_and_signature() -> None:
    endpoint = new_order_endpoint()
    params = endpoint.params.build(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="1")
    out = build_request(
        endpoint, params, api_key=API_KEY, signer=HmacSigner(API_SECRET), authenticated=True, timestamp_ms=1
    )
    assert "apiKey" not in out and "signature" not in out and out["timestamp"] == 1
    logon = build_request(
        SESSION_LOGON,
        LogonParams(),
        api_key=API_KEY,
        signer=HmacSigner(API_SECRET),
        authenticated=True,
        timestamp_ms=1649729878532,
    )
    assert logon == example("wsapi_requests/session.logon.json")["params"]  # the docs' own vector


def test_unsigned_and_missing_credentials() -> None:
    endpoint = new_order_endpoint()
    params = endpoint.params.build(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="1")
    with pytest.raises(ClientError, match="API key"):
        build_request(endpoint, params, api_key=None, signer=None, authenticated=False, timestamp_ms=1)
    with pytest.raises(ClientError, match="signed"):
        build_request(endpoint, params, api_key=API_KEY, signer=None, authenticated=False, timestamp_ms=1)


def test_validation_before_signing_is_the_rest_one() -> None:
    endpoint = new_order_endpoint()
    with pytest.raises(ParameterRequiredError):
        endpoint.params.build(symbol="BTCUSDT", side="BUY")
    with pytest.raises(ParameterValueError):
        endpoint.params.build(symbol="BTCUSDT", side="BUY", type="LIMIT", quantity="1")


def test_envelope_and_json_values() -> None:
    klines = ws_endpoints()["klines"]
    params = klines.params.build(symbol="BTCUSDT", interval="1m", limit=5)
    frame = json.loads(
        envelope(
            7,
            "klines",
            build_request(klines, params, api_key=None, signer=None, authenticated=False, timestamp_ms=0),
        )
    )
    assert frame == {
        "id": 7,
        "method": "klines",
        "params": {"symbol": "BTCUSDT", "interval": "1m", "limit": 5},
    }
    assert json.loads(envelope(8, "ping", {})) == {"id": 8, "method": "ping"}


# -- responses and errors -------------------------------------------------------------------------
def finished(method: str, response: dict) -> Pending:  # type: ignore[type-arg]
    endpoint = ws_endpoints()[method]
    params = endpoint.params.model_construct()
    pending = Pending(endpoint, params, method, "cid-1", callback=lambda p: None)
    pending.response = response
    pending.sent = True
    return pending


def test_classify() -> None:
    assert classify('{"id":1,"status":200,"result":{}}')[0] == "response"
    assert classify('{"subscriptionId":0,"event":{"e":"balanceUpdate"}}')[0] == "event"
    assert classify('{"event":{"e":"serverShutdown","E":1}}')[0] == "event"


def test_rate_limited_429_and_418_carry_retry_after() -> None:
    banned = example("general/wsapi__IP_limits__response__2.json")
    with pytest.raises(IPBannedError) as info:
        decode_result(finished("time", banned), None)
    assert info.value.retry_after == pytest.approx(3492.469)
    assert info.value.error_code == -1003
    body = {
        "id": 1,
        "status": 429,
        "error": {
            "code": -1003,
            "msg": "Too many requests",
            "data": {"serverTime": 1000, "retryAfter": 3000},
        },
    }
    with pytest.raises(RateLimitError) as rate:
        decode_result(finished("time", body), None)
    assert rate.value.retry_after == 2.0


def test_server_error_on_order_is_execution_status_unknown() -> None:
    body = {"id": 1, "status": 503, "error": {"code": -1007, "msg": "Timeout waiting for response"}}
    with pytest.raises(ExecutionStatusUnknown) as info:
        decode_result(finished("order.place", body), None)
    assert info.value.new_client_order_id == "cid-1"
    with pytest.raises(ServerError) as plain:
        decode_result(finished("time", body), None)
    assert not isinstance(plain.value, ExecutionStatusUnknown)
    body4xx = {"id": 1, "status": 400, "error": {"code": -1007, "msg": "execution status unknown"}}
    with pytest.raises(ExecutionStatusUnknown):  # Binance's own "status unknown" code, even on a 4XX
        decode_result(finished("order.place", body4xx), None)


def test_lost_and_timeout_errors_say_whether_sent() -> None:
    order = finished("order.place", {})
    assert isinstance(lost_error(order, "reset"), ExecutionStatusUnknown)
    assert isinstance(timeout_error(order, 1.0), ExecutionStatusUnknown)
    query = finished("order.status", {})
    err = lost_error(query, "reset")
    assert isinstance(err, WsConnectionLost) and err.may_have_reached_server and err.retryable
    query.sent = False
    assert not lost_error(query, "reset").may_have_reached_server  # type: ignore[attr-defined]
    order.sent = False
    assert not isinstance(lost_error(order, "reset"), ExecutionStatusUnknown)


# -- user data events -----------------------------------------------------------------------------
EXPECTED = {
    "balanceUpdate": BalanceUpdate,
    "eventStreamTerminated": EventStreamTerminated,
    "executionReport": ExecutionReport,
    "externalLockUpdate": ExternalLockUpdate,
    "listStatus": ListStatus,
    "outboundAccountPosition": OutboundAccountPosition,
}


@pytest.mark.parametrize("path", sorted((EXAMPLES / "userdata").glob("*.json")), ids=lambda p: p.stem)
def test_every_user_data_example(path: Path) -> None:
    frame = json.loads(path.read_text())
    event = parse_user_data_event(frame["event"])
    assert isinstance(event, EXPECTED[frame["event"]["e"]])
    assert event.event_time.tzinfo is not None
    # every key of the example is read into a declared field (nothing left in extras)
    assert not (event.model_extra or {}), event.model_extra
    dumped = event.model_dump(by_alias=True, mode="json", exclude_unset=True)
    assert set(dumped) == set(frame["event"])
    assert parse_user_data_event(path.read_text().split('"event":', 1)[1].rsplit("}", 1)[0]) == event


def test_user_data_fields() -> None:
    report = parse_user_data_event(example("userdata/executionReport.json")["event"])
    assert isinstance(report, ExecutionReport)
    assert report.price == Decimal("0.10264410") and report.order_id == 4293153
    assert report.order_status == "NEW" and report.commission_asset is None and report.is_on_book
    position = parse_user_data_event(example("userdata/outboundAccountPosition.json")["event"])
    assert isinstance(position, OutboundAccountPosition)
    assert position.balances[0].free == Decimal("10000.000000")
    listing = parse_user_data_event(example("userdata/listStatus.json")["event"])
    assert isinstance(listing, ListStatus) and [o.order_id for o in listing.orders] == [17, 18]
    micro = parse_user_data_event(
        {"e": "balanceUpdate", "E": 1573200697110123, "a": "BTC", "d": "1", "T": 1573200697068000},
        time_unit="MICROSECOND",
    )
    assert micro.event_time.microsecond == 110123


def test_unknown_event_is_kept() -> None:
    event = parse_user_data_event({"e": "somethingNew", "E": 1, "x": [1, 2]})
    assert isinstance(event, UnknownEvent) and event.event_type == "somethingNew"
    assert event.model_extra == {"x": [1, 2]}
