"""The WebSocket API of LocalBinance: envelopes, signatures, session.logon, user data events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from decimal import Decimal as D
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from websockets.sync.client import ClientConnection, connect

from binance_typed.testing import LocalBinance


@pytest.fixture
def exchange() -> Iterator[LocalBinance]:
    with LocalBinance() as ex:
        yield ex


def request(ws: ClientConnection, method: str, params: dict[str, Any] | None = None, rid: Any = "r1") -> Any:
    message: dict[str, Any] = {"id": rid, "method": method}
    if params is not None:
        message["params"] = params
    ws.send(json.dumps(message))
    return recv_response(ws, rid)


def recv_response(ws: ClientConnection, rid: Any) -> Any:
    while True:
        msg = json.loads(ws.recv(timeout=3))
        if msg.get("id") == rid and "status" in msg:
            return msg


def payload(params: dict[str, Any]) -> str:
    def wire(v: Any) -> str:
        return ("true" if v else "false") if isinstance(v, bool) else str(v)

    return "&".join(f"{k}={wire(v)}" for k, v in sorted(params.items()))


def hmac_signed(exchange: LocalBinance, params: dict[str, Any]) -> dict[str, Any]:
    params = {**params, "apiKey": exchange.api_key, "timestamp": exchange.engine.now()}
    params["signature"] = hmac.new(exchange.api_secret.encode(), payload(params).encode(), hashlib.sha256).hexdigest()
    return params


def ed25519_signed(key: str, pem: str, params: dict[str, Any], now: int) -> dict[str, Any]:
    private: Any = load_pem_private_key(pem.encode(), password=None)
    params = {**params, "apiKey": key, "timestamp": now}
    params["signature"] = base64.b64encode(private.sign(payload(params).encode())).decode()
    return params


def test_envelopes_and_rate_limits(exchange: LocalBinance) -> None:
    with connect(exchange.ws_api_url) as ws:
        reply = request(ws, "depth", {"symbol": "BTCUSDT", "limit": 2}, rid=7)
        assert reply["id"] == 7 and reply["status"] == 200 and len(reply["result"]["bids"]) == 2
        assert reply["rateLimits"][0]["rateLimitType"] == "REQUEST_WEIGHT" and reply["rateLimits"][0]["count"] == 5
        error = request(ws, "klines", {"symbol": "BTCUSDT", "interval": "7m"}, rid="x")
        assert error == {"id": "x", "status": 400, "error": {"code": -1120, "msg": "Invalid interval."},
                         "rateLimits": error["rateLimits"]}
        assert request(ws, "no.such.method")["status"] == 400
        ws.send("[1, 2")
        assert json.loads(ws.recv(timeout=3))["error"]["code"] == -1135
    with connect(exchange.ws_api_url + "?returnRateLimits=false") as ws:
        assert "rateLimits" not in request(ws, "ping")


def test_signed_request_with_sorted_params(exchange: LocalBinance) -> None:
    with connect(exchange.ws_api_url) as ws:
        order = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.01",
                 "price": "50000"}
        reply = request(ws, "order.place", hmac_signed(exchange, order))
        assert reply["status"] == 200 and reply["result"]["status"] == "NEW"
        assert {r["rateLimitType"] for r in reply["rateLimits"]} == {"ORDERS", "REQUEST_WEIGHT"}
        bad = hmac_signed(exchange, order)
        bad["quantity"] = "0.02"
        assert request(ws, "order.place", bad)["error"] == {"code": -1022,
                                                            "msg": "Signature for this request is not valid."}
        status = request(ws, "order.status", hmac_signed(exchange, {"symbol": "BTCUSDT",
                                                                    "orderId": reply["result"]["orderId"]}))
        assert status["result"]["status"] == "NEW"


def test_logon_with_ed25519_then_unsigned_calls_and_user_data(exchange: LocalBinance) -> None:
    key, pem = exchange.new_key("Ed25519")
    with connect(exchange.ws_api_url) as ws:
        assert request(ws, "session.status")["result"]["apiKey"] is None
        logon = request(ws, "session.logon", ed25519_signed(key, pem, {}, exchange.engine.now()))
        assert logon["status"] == 200 and logon["result"]["apiKey"] == key
        assert logon["result"]["authorizedSince"] is not None
        sub = request(ws, "userDataStream.subscribe")
        assert sub["result"] == {"subscriptionId": 0}
        assert request(ws, "userDataStream.subscribe")["error"]["code"] == -2035
        ws.send(json.dumps({"id": "o", "method": "order.place", "params": {
            "symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.01",
            "timestamp": exchange.engine.now()}}))
        events: list[Any] = []
        placed: Any = None
        deadline = time.monotonic() + 3
        while (placed is None or len(events) < 3) and time.monotonic() < deadline:
            msg = json.loads(ws.recv(timeout=3))
            if "event" in msg:
                assert msg["subscriptionId"] == 0
                events.append(msg["event"])
            elif msg.get("id") == "o":
                placed = msg
        assert placed["result"]["status"] == "FILLED"
        kinds = [(e["e"], e.get("x")) for e in events]
        assert kinds == [("executionReport", "NEW"), ("executionReport", "TRADE"), ("outboundAccountPosition", None)]
        assert {b["a"] for b in events[2]["B"]} == {"BTC", "USDT"}
        exchange.fund("BNB", "5")
        deposit = json.loads(ws.recv(timeout=3))["event"]
        assert deposit["e"] == "balanceUpdate" and D(deposit["d"]) == 5
        assert request(ws, "userDataStream.unsubscribe")["result"] == {}
        logout = request(ws, "session.logout")
        assert logout["result"]["apiKey"] is None
        assert request(ws, "account.status", {"timestamp": exchange.engine.now()})["error"]["code"] == -1102


def test_hmac_key_cannot_logon_but_can_subscribe_with_signature(exchange: LocalBinance) -> None:
    with connect(exchange.ws_api_url) as ws:
        assert request(ws, "session.logon", hmac_signed(exchange, {}))["status"] == 400
        sub = request(ws, "userDataStream.subscribe.signature", hmac_signed(exchange, {}))
        assert sub["result"] == {"subscriptionId": 0}
        exchange.fund("USDT", "1")
        assert json.loads(ws.recv(timeout=3))["event"]["e"] == "balanceUpdate"


def test_wsapi_faults_and_shutdown(exchange: LocalBinance) -> None:
    with connect(exchange.ws_api_url) as ws:
        exchange.faults.next(1, 503, "time")
        assert request(ws, "time")["status"] == 503
        assert request(ws, "time")["status"] == 200
        exchange.shutdown_streams()
        assert json.loads(ws.recv(timeout=3)) == {"event": {"e": "serverShutdown", "E": pytest.approx(
            exchange.engine.now(), abs=5000)}}


def test_signed_request_asking_for_rate_limits_is_signed_over_that_parameter(exchange: LocalBinance) -> None:
    """``with_rate_limits`` on a connection opened without them adds returnRateLimits before signing."""
    from binance_typed.ws.api import SpotWebsocketAPIClient

    key, secret = exchange.api_key, exchange.api_secret
    with SpotWebsocketAPIClient(key, secret, stream_url=exchange.ws_api_url, return_rate_limits=False) as ws:
        info, limits = ws.with_rate_limits(ws.account.info)
        assert info.balances and any(limit.key == "REQUEST_WEIGHT 1MINUTE" for limit in limits)


def test_ws_api_resyncs_its_clock_on_1021_and_resends_once() -> None:
    """Server clock 20 s behind: a signed WS call gets -1021, resyncs from ``time``, then succeeds."""
    import asyncio

    from binance_typed.ws.api import AsyncWebsocketAPIClient, SpotWebsocketAPIClient

    with LocalBinance(clock_offset_ms=-20_000) as exchange:
        key, secret = exchange.api_key, exchange.api_secret
        with SpotWebsocketAPIClient(key, secret, stream_url=exchange.ws_api_url) as ws:
            before = len(exchange.requests)
            info = ws.account.info()
            methods = [r.method for r in exchange.requests[before:]]
            assert info.balances and ws.time_offset_ms < -15_000
            assert methods == ["account.status", "time", "account.status"]

        async def run() -> None:
            async with AsyncWebsocketAPIClient(key, secret, stream_url=exchange.ws_api_url) as aws:
                order = await aws.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity="0.01",
                                                  price="50000", newOrderRespType="ACK")
                assert order.order_id > 0 and aws.time_offset_ms < -15_000

        asyncio.run(run())


def test_one_user_data_subscription_per_account_per_connection(exchange: LocalBinance) -> None:
    with connect(exchange.ws_api_url) as ws, connect(exchange.ws_api_url) as ws2:
        first = request(ws, "userDataStream.subscribe.signature", hmac_signed(exchange, {}))
        assert first["result"] == {"subscriptionId": 0}
        again = request(ws, "userDataStream.subscribe.signature", hmac_signed(exchange, {}), rid="r2")
        assert again["status"] == 400 and again["error"]["code"] == -2035
        # another connection may subscribe the same account
        other = request(ws2, "userDataStream.subscribe.signature", hmac_signed(exchange, {}))
        assert other["status"] == 200
        # after an unsubscribe, the account may subscribe again on the first connection
        assert request(ws, "userDataStream.unsubscribe", {"subscriptionId": 0}, rid="r3")["status"] == 200
        assert request(ws, "userDataStream.subscribe.signature", hmac_signed(exchange, {}), rid="r4")["status"] == 200


@pytest.mark.parametrize("close_after", [0.6, 0.0])
def test_server_shutdown_warns_then_closes_later(exchange: LocalBinance, close_after: float) -> None:
    from websockets.exceptions import ConnectionClosed

    with connect(exchange.ws_api_url) as ws:
        assert request(ws, "ping")["status"] == 200
        warned = time.monotonic()
        exchange.shutdown_streams(close_after=close_after)
        assert json.loads(ws.recv(timeout=3))["event"]["e"] == "serverShutdown"
        if close_after:
            assert request(ws, "time", rid="after")["status"] == 200  # still served meanwhile
        with pytest.raises(ConnectionClosed):
            while True:
                ws.recv(timeout=3)
        closed = time.monotonic() - warned
        assert closed >= close_after - 0.05 and closed < close_after + 1.5


def test_server_shutdown_default_delay_is_configurable(exchange: LocalBinance) -> None:
    assert exchange.hub.shutdown_close_after == 2.0
    exchange.hub.shutdown_close_after = 0.3
    with connect(exchange.ws_api_url) as ws:
        assert request(ws, "ping", rid="first")["status"] == 200  # the simulator has registered it
        exchange.shutdown_streams()
        began = time.monotonic()
        # generous timeouts: on a loaded machine the simulator's loop may be late; the bound that
        # matters is the close coming after the configured 0.3 s and well before the 2 s default
        assert json.loads(ws.recv(timeout=10))["event"]["e"] == "serverShutdown"
        assert request(ws, "ping")["status"] == 200
        with pytest.raises(Exception):  # noqa: B017 - closed by the server
            ws.recv(timeout=10)
        assert 0.25 <= time.monotonic() - began < 2.0
