"""LocalBinance checks requests as Binance does: keys, signatures, timestamps, parameters."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from decimal import Decimal as D

import pytest

from binance_typed import Client
from binance_typed.error import InvalidSignatureError, InvalidTimestampError
from binance_typed.testing import LocalBinance

ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.01",
         "price": "50000"}


@pytest.fixture(scope="module")
def exchange() -> Iterator[LocalBinance]:
    with LocalBinance() as ex:
        yield ex


def test_wrong_hmac_secret_is_rejected_with_1022(exchange: LocalBinance) -> None:
    with Client(exchange.api_key, "not-the-secret", base_url=exchange.rest_url) as client, \
            pytest.raises(InvalidSignatureError) as info:
        client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=D("0.01"), price=D("50000"))
    assert info.value.error_code == -1022
    assert info.value.error_message == "Signature for this request is not valid."


def test_signature_covers_the_exact_query(exchange: LocalBinance) -> None:
    good = exchange.call("POST", "/api/v3/order/test", ORDER, signed=True)
    assert good.status_code == 200
    query = good.request.url.query.decode().replace("quantity=0.01", "quantity=0.02")
    tampered = exchange.call("POST", "/api/v3/order/test?" + query, api_key=exchange.api_key)
    assert tampered.json() == {"code": -1022, "msg": "Signature for this request is not valid."}


@pytest.mark.parametrize("kind", ["Ed25519", "RSA"])
def test_asymmetric_keys_sign_requests(exchange: LocalBinance, kind: str) -> None:
    with exchange.key_client(kind) as client:
        order = client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=D("0.01"),
                                       price=D("40000"), newOrderRespType="ACK")
        assert order.order_id > 0


def test_api_key_errors(exchange: LocalBinance) -> None:
    missing = exchange.call("GET", "/api/v3/openOrders", {"timestamp": exchange.engine.now(), "signature": "x"})
    assert (missing.status_code, missing.json()["code"]) == (401, -2014)
    malformed = exchange.call("GET", "/api/v3/openOrders", {}, signed=True, api_key="short")
    assert malformed.json() == {"code": -2014, "msg": "API-key format invalid."}
    unknown = exchange.call("GET", "/api/v3/openOrders", {}, signed=True, api_key="A" * 64)
    assert unknown.json() == {"code": -2015, "msg": "Invalid API-key, IP, or permissions for action."}
    no_signature = exchange.call("GET", "/api/v3/openOrders", {"timestamp": exchange.engine.now()},
                                 api_key=exchange.api_key)
    assert no_signature.json()["code"] == -1102


def test_timestamp_outside_recv_window_is_1021() -> None:
    with LocalBinance(clock_offset_ms=-20_000) as exchange:
        late = exchange.call("GET", "/api/v3/openOrders",
                             {"recvWindow": 5000, "timestamp": exchange.engine.now() - 6000}, signed=True)
        assert late.json() == {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."}
        ahead = exchange.call("GET", "/api/v3/openOrders", {"timestamp": exchange.engine.now() + 5000}, signed=True)
        assert ahead.json()["msg"] == "Timestamp for this request was 1000ms ahead of the server's time."
        # the client's clock is 20 s ahead of this server: without resync it gets -1021 ...
        from binance_typed._config import ClientConfig

        with exchange.client() as client:
            client.config.resync_on_timestamp_error = False
            with pytest.raises(InvalidTimestampError):
                client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=D("0.01"),
                                       price=D("50000"))
            # ... and with it (the default), it syncs its clock and the order goes through
            client.config.resync_on_timestamp_error = True
            order = client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=D("0.01"),
                                           price=D("50000"), newOrderRespType="ACK")
            assert order.order_id > 0 and client.time_offset_ms < -15_000
        assert isinstance(client.config, ClientConfig)


@pytest.mark.parametrize(("params", "code", "msg"), [
    ({"side": "BUY"}, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."),
    ({**ORDER, "foo": "1"}, -1104, "Not all sent parameters were read; read '7' parameter(s) but was sent '8'."),
    ({**ORDER, "symbol": "btcusdt"}, -1100,
     "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'."),
    ({**ORDER, "symbol": "NOPE"}, -1121, "Invalid symbol."),
    ({**ORDER, "side": "UP"}, -1117, "Invalid side."),
    ({**ORDER, "type": "FANCY"}, -1116, "Invalid orderType."),
    ({**ORDER, "quantity": "1e3"}, -1100,
     "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."),
    ({k: v for k, v in ORDER.items() if k != "timeInForce"}, -1102,
     "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed."),
    ({"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET"}, -1102,
     "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!"),
    ({"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "1", "price": "1"}, -1106,
     "Parameter 'price' sent when not required."),
])
def test_bad_parameters_get_binance_errors(exchange: LocalBinance, params: dict[str, str], code: int,
                                           msg: str) -> None:
    response = exchange.call("POST", "/api/v3/order", params, signed=True)
    assert response.status_code == 400
    assert response.json() == {"code": code, "msg": msg}


def test_duplicate_parameter_is_1101(exchange: LocalBinance) -> None:
    response = exchange.call("GET", "/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT")
    assert response.json()["code"] == -1101


def test_bad_input_never_crashes_the_server(exchange: LocalBinance) -> None:
    rng = random.Random(7)
    alphabet = string.printable + "é€\x00"
    paths = ["/api/v3/order", "/api/v3/depth", "/api/v3/klines", "/api/v3/ticker/24hr", "/api/v3/myTrades",
             "/api/v3/orderList/oco", "/api/v3/exchangeInfo", "/api/v3/openOrders", "/api/v3/account",
             "/api/v3/order/cancelReplace", "/api/v3/order/amend/keepPriority", "/api/v3/orderList/oto",
             "/api/v3/orderList/otoco", "/api/v3/orderList/opo", "/api/v3/sor/order", "/api/v3/order/amendments"]
    names = ["symbol", "side", "type", "quantity", "price", "limit", "interval", "symbols", "orderId", "startTime",
             "timeInForce", "quoteOrderQty", "newOrderRespType", "recvWindow", "aboveType", "belowType",
             "cancelReplaceMode", "cancelOrderId", "newQty", "workingType", "workingPrice", "workingQuantity",
             "pendingType", "pendingSide", "pendingQuantity"]
    for _ in range(200):
        params = {rng.choice(names): "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
                  for _ in range(rng.randint(0, 5))}
        method = rng.choice(["GET", "POST", "DELETE", "PUT"])
        response = exchange.call(method, rng.choice(paths), params, signed=rng.random() < 0.7)
        assert response.status_code in (200, 400, 401, 404), response.text
        if response.status_code in (400, 401):
            body = response.json()
            assert isinstance(body["code"], int) and body["code"] < 0 and body["msg"]
    assert exchange.call("GET", "/api/v3/ping").status_code == 200
