"""The WebSocket API client against the fake server on 127.0.0.1: sessions, user data, failures."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from support import API_KEY, API_SECRET, example
from wsapi_server import Conn, FakeWsApi, ping_all

from binance_typed.error import ExecutionStatusUnknown, ParameterRequiredError, RateLimitError
from binance_typed.models.events.user_data import BalanceUpdate, ExecutionReport
from binance_typed.ws._api_protocol import WsConnectionLost, WsRequestTimeout, WsResponse
from binance_typed.ws._connection import ReconnectPolicy
from binance_typed.ws.api import AsyncWebsocketAPIClient, SpotWebsocketAPIClient, UserDataMessage

FAST = ReconnectPolicy(initial_delay=0.05, max_delay=0.2, jitter=0.0)
ORDER = {
    "symbol": "BTCUSDT",
    "side": "SELL",
    "type": "LIMIT",
    "timeInForce": "GTC",
    "quantity": "0.01",
    "price": "52000",
}


def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


@pytest.fixture(scope="module")
def ed_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def ed_pem(ed_key: ed25519.Ed25519PrivateKey) -> bytes:
    return ed_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


@pytest.fixture
def server(ed_key: ed25519.Ed25519PrivateKey) -> Iterator[FakeWsApi]:
    with FakeWsApi(hmac_secret=API_SECRET, public_key=ed_key.public_key()) as srv:
        yield srv


@pytest.fixture
def client_factory(server: FakeWsApi) -> Iterator[Callable[..., SpotWebsocketAPIClient]]:
    made: list[SpotWebsocketAPIClient] = []

    def make(*args: Any, **kwargs: Any) -> SpotWebsocketAPIClient:
        kwargs.setdefault("stream_url", server.url)
        kwargs.setdefault("timeout", 5)
        kwargs.setdefault("reconnect", FAST)
        ws = SpotWebsocketAPIClient(*args, **kwargs)
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.close()


# -- basics ---------------------------------------------------------------------------------------
def test_typed_results_rate_limits_and_validation(
    client_factory: Callable[..., Any], server: FakeWsApi
) -> None:
    ws = client_factory()
    assert ws.market.time().server_time.year == 2022
    candles = ws.market.klines("BNBBTC", "1h", limit=1)
    assert str(candles[0].open) == "0.01086000"
    assert server.last("klines")["params"] == {"symbol": "BNBBTC", "interval": "1h", "limit": 1}
    result, limits = ws.with_rate_limits(ws.market.ping)
    assert limits[0].rate_limit_type == "REQUEST_WEIGHT" and limits[0].count == 2
    assert ws.rate_limits[0].limit == 6000
    before = len(server.requests)
    with pytest.raises(ParameterRequiredError):
        ws.market.depth(None)  # type: ignore[arg-type]
    assert len(server.requests) == before  # validated before anything is sent


def test_testnet_preset_and_url_options() -> None:
    ws = SpotWebsocketAPIClient.testnet(connect=False, time_unit="microsecond", return_rate_limits=False)
    assert (
        ws._core.url
        == "wss://ws-api.testnet.binance.vision/ws-api/v3?timeUnit=MICROSECOND&returnRateLimits=false"
    )
    assert SpotWebsocketAPIClient(connect=False)._core.url == "wss://ws-api.binance.com/ws-api/v3"


def test_return_rate_limits_false_and_per_call(client_factory: Callable[..., Any], server: FakeWsApi) -> None:
    server.rate_limits = False
    ws = client_factory(return_rate_limits=False)
    ws.market.time()
    assert "returnRateLimits=false" in server.urls[-1]
    assert ws.rate_limits == []
    _, limits = ws.with_rate_limits(ws.market.time)
    assert server.last("time")["params"] == {"returnRateLimits": True}
    assert limits and limits[0].interval == "MINUTE"


def test_hmac_signed_request(client_factory: Callable[..., Any], server: FakeWsApi) -> None:
    ws = client_factory(API_KEY, API_SECRET, recv_window=5000)
    order = ws.trade.new_order(**ORDER, newOrderRespType="ACK")
    assert order.order_id == 12569099453
    params = server.last("order.place")["params"]
    assert params["apiKey"] == API_KEY and params["recvWindow"] == 5000 and len(params["signature"]) == 64
    assert params["newClientOrderId"].startswith("bt-")  # generated, as REST does


def test_error_responses_map_to_rest_errors(client_factory: Callable[..., Any], server: FakeWsApi) -> None:
    def limited(srv: FakeWsApi, conn: Conn, request: dict[str, Any]) -> dict[str, Any]:
        return srv.error(
            request, 429, -1003, "Too much request weight used", serverTime=1_000_000, retryAfter=1_002_500
        )

    server.handlers["time"] = limited
    ws = client_factory()
    with pytest.raises(RateLimitError) as info:
        ws.market.time()
    assert info.value.retry_after == 2.5 and info.value.status_code == 429
    banned = example("general/wsapi__IP_limits__response__2.json")
    server.handlers["ping"] = lambda srv, conn, req: {**banned, "id": req["id"]}
    from binance_typed.error import IPBannedError

    with pytest.raises(IPBannedError):
        ws.market.ping()


def test_callback_style(client_factory: Callable[..., Any]) -> None:
    got: list[Any] = []
    done = threading.Event()

    def on_message(message: Any) -> None:
        got.append(message)
        done.set()

    ws = client_factory(on_message=on_message)
    request_id = ws.submit(ws.market.time)
    assert isinstance(request_id, int)
    assert done.wait(5)
    response = got[0]
    assert isinstance(response, WsResponse) and response.id == request_id and response.ok
    assert response.result.server_time.year == 2022 and response.rate_limits[0].count == 2


def test_request_by_method_name(client_factory: Callable[..., Any]) -> None:
    ws = client_factory()
    assert ws.request("v3/time").server_time.year == 2022
    with pytest.raises(ValueError, match="unknown"):
        ws.request("no.such.method")


# -- waiting and timeouts -------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_requests_wait_for_the_connection() -> None:
    port = free_port()
    late = FakeWsApi(port=port)
    ws = SpotWebsocketAPIClient(stream_url=f"ws://127.0.0.1:{port}/ws-api/v3", timeout=5, reconnect=FAST)
    try:
        timer = threading.Timer(0.3, late.start)
        timer.start()
        assert ws.market.time().server_time.year == 2022  # sent once the socket was up
        timer.join()
    finally:
        ws.close()
        late.stop()


def test_no_connection_times_out_clearly() -> None:
    ws = SpotWebsocketAPIClient(stream_url=f"ws://127.0.0.1:{free_port()}/", timeout=0.3, reconnect=FAST)
    try:
        with pytest.raises(WsRequestTimeout, match="not sent") as info:
            ws.market.time()
        assert info.value.sent is False
        with pytest.raises(WsRequestTimeout):  # even an order: it was never sent
            ws.trade.new_order(**ORDER)
    finally:
        ws.close()


def test_missing_response_times_out(client_factory: Callable[..., Any], server: FakeWsApi) -> None:
    server.hold = {"time", "order.place"}
    ws = client_factory(API_KEY, API_SECRET, timeout=0.3)
    with pytest.raises(WsRequestTimeout, match="no response within 0.3") as info:
        ws.market.time()
    assert info.value.sent
    with pytest.raises(ExecutionStatusUnknown) as order:
        ws.trade.new_order(**ORDER, newClientOrderId="my-order-1")
    assert order.value.new_client_order_id == "my-order-1"
    server.hold = set()
    assert ws.market.ping() is not None  # the connection is still fine


# -- session and user data ------------------------------------------------------------------------
def test_logon_then_signed_calls_go_without_signature(
    client_factory: Callable[..., Any], server: FakeWsApi, ed_pem: bytes
) -> None:
    ws = client_factory(API_KEY, private_key=ed_pem)
    status = ws.session.logon()
    assert status.api_key == API_KEY and ws.is_authenticated
    logon = server.last("session.logon")["params"]
    assert set(logon) == {"apiKey", "signature", "timestamp"}
    ws.account.info()
    params = server.last("account.status")["params"]
    assert "timestamp" in params and "apiKey" not in params and "signature" not in params
    assert ws.session.status().api_key == API_KEY
    out = ws.session.logout()
    assert out.api_key is None and not ws.is_authenticated
    ws.account.info()
    assert "signature" in server.last("account.status")["params"]


def test_user_data_subscribe_logs_on_and_decodes_events(
    client_factory: Callable[..., Any], server: FakeWsApi, ed_pem: bytes
) -> None:
    events: list[UserDataMessage] = []
    ws = client_factory(API_KEY, private_key=ed_pem, on_user_data=lambda c, m: events.append(m))
    sub = ws.user_data.subscribe()
    assert server.methods()[-2:] == ["session.logon", "userDataStream.subscribe"]
    assert [s.subscription_id for s in ws.session.subscriptions()] == [sub.subscription_id]
    server.push_event(example("userdata/executionReport.json")["event"])
    server.push_event(example("userdata/balanceUpdate.json")["event"])
    eventually(lambda: len(events) == 2)
    assert isinstance(events[0].event, ExecutionReport) and events[0].subscription_id == sub.subscription_id
    assert isinstance(events[1].event, BalanceUpdate)
    ws.user_data.unsubscribe(subscriptionId=sub.subscription_id)
    assert ws.subscriptions == set()


def test_subscribe_signature_without_logon(client_factory: Callable[..., Any], server: FakeWsApi) -> None:
    events: list[UserDataMessage] = []
    ws = client_factory(API_KEY, API_SECRET, on_message=lambda m: events.append(m))
    sub = ws.user_data.subscribe_signature()
    params = server.last("userDataStream.subscribe.signature")["params"]
    assert set(params) == {"apiKey", "timestamp", "signature"}
    server.push_event({"e": "eventStreamTerminated", "E": 1728973001334})
    eventually(lambda: events)
    assert isinstance(events[0], UserDataMessage) and events[0].subscription_id == sub.subscription_id


# -- resilience -----------------------------------------------------------------------------------
def test_drop_during_order_is_execution_status_unknown_and_never_resent(
    client_factory: Callable[..., Any], server: FakeWsApi
) -> None:
    server.drop_on = {"order.place"}
    ws = client_factory(API_KEY, API_SECRET)
    with pytest.raises(ExecutionStatusUnknown) as info:
        ws.trade.new_order(**ORDER)
    cid = info.value.new_client_order_id
    assert cid and cid.startswith("bt-")
    assert server.last("order.place")["params"]["newClientOrderId"] == cid
    server.drop_on = set()
    assert ws.market.time()  # reconnected
    time.sleep(0.2)
    assert server.methods().count("order.place") == 1  # never resent


def test_drop_during_query_is_retryable(client_factory: Callable[..., Any], server: FakeWsApi) -> None:
    server.drop_on = {"order.status"}
    ws = client_factory(API_KEY, API_SECRET)
    with pytest.raises(WsConnectionLost) as info:
        ws.account.get_order("BTCUSDT", orderId=1) if hasattr(ws.account, "get_order") else ws.request(
            "order.status", {"symbol": "BTCUSDT", "orderId": 1}
        )
    assert info.value.may_have_reached_server and info.value.retryable
    server.drop_on = set()
    assert ws.request("order.status", {"symbol": "BTCUSDT", "orderId": 1}).symbol == "BTCUSDT"


def test_reconnect_logs_on_again_and_resubscribes(
    client_factory: Callable[..., Any], server: FakeWsApi, ed_pem: bytes
) -> None:
    events: list[UserDataMessage] = []
    opened: list[Any] = []
    ws = client_factory(
        API_KEY,
        private_key=ed_pem,
        on_user_data=lambda c, m: events.append(m),
        on_open=lambda c: opened.append(c),
    )
    ws.session.logon()
    ws.user_data.subscribe()
    assert server.logons == 1
    server.drop_all()
    eventually(lambda: server.logons == 2 and server.methods().count("userDataStream.subscribe") == 2)
    eventually(lambda: ws.is_authenticated and len(ws.subscriptions) >= 1)
    ws.account.info()
    assert "signature" not in server.last("account.status")["params"]  # the new session is logged on
    server.push_event(example("userdata/balanceUpdate.json")["event"])
    eventually(lambda: events)
    assert len(opened) == 2 and server.connections == 2


def test_server_shutdown_rolls_over(client_factory: Callable[..., Any], server: FakeWsApi) -> None:
    ws = client_factory()
    ws.market.ping()
    server.send_raw({"event": {"e": "serverShutdown", "E": 1770123456789}})
    eventually(lambda: server.connections == 2)
    assert ws.market.time()


def test_pings_are_answered_and_watchdog_replaces_silent_socket(
    client_factory: Callable[..., Any], server: FakeWsApi
) -> None:
    ws = client_factory(watchdog_timeout=0.6)
    ws.market.ping()
    assert ping_all(server) == 1
    eventually(lambda: server.connections >= 2, timeout=5)  # silent server: stalled, replaced
    assert ws.market.time()


# -- concurrency ----------------------------------------------------------------------------------
def hold_until(count: int) -> Callable[[FakeWsApi, Conn, dict[str, Any]], None]:
    """Answer nothing until ``count`` requests arrived, then all of them in reverse order."""
    held: list[tuple[Conn, dict[str, Any]]] = []
    result = example("wsapi/order.status.json")["result"]

    def handler(srv: FakeWsApi, conn: Conn, request: dict[str, Any]) -> None:
        held.append((conn, request))
        if len(held) == count:
            for c, req in reversed(held):
                body = {**result, "orderId": req["params"]["orderId"]}
                asyncio.ensure_future(c.ws.send(json.dumps({"id": req["id"], "status": 200, "result": body})))

    return handler


def test_1000_in_flight_async(server: FakeWsApi) -> None:
    server.handlers["order.status"] = hold_until(1000)

    async def main() -> None:
        async with AsyncWebsocketAPIClient(API_KEY, API_SECRET, stream_url=server.url, timeout=20) as ws:
            calls = [ws.request("order.status", {"symbol": "BTCUSDT", "orderId": i}) for i in range(1000)]
            results = await asyncio.gather(*calls)
            assert [r.order_id for r in results] == list(range(1000))
            assert len(server.conns) == 1 and server.connections == 1

    asyncio.run(main())


def test_1000_in_flight_threads_and_callbacks(client_factory: Callable[..., Any], server: FakeWsApi) -> None:
    server.handlers["order.status"] = hold_until(1000)
    answers: dict[int, Any] = {}
    done = threading.Event()

    def on_message(message: Any) -> None:
        answers[message.id] = message.result
        if len(answers) == 1000:
            done.set()

    ws = client_factory(API_KEY, API_SECRET, on_message=on_message, timeout=20)
    ids = {ws.submit(ws.request, "order.status", {"symbol": "BTCUSDT", "orderId": i}): i for i in range(1000)}
    assert done.wait(20)
    assert all(answers[rid].order_id == order_id for rid, order_id in ids.items())
    assert server.connections == 1


def test_async_client_logon_events_and_errors(server: FakeWsApi, ed_pem: bytes) -> None:
    async def main() -> None:
        ws = AsyncWebsocketAPIClient(
            API_KEY, private_key=ed_pem, stream_url=server.url, timeout=2, reconnect=FAST
        )
        try:
            assert (await ws.market.time()).server_time.year == 2022  # waits for the connection
            stream = ws.user_data_events()
            await ws.user_data.subscribe()
            assert ws.is_authenticated
            server.push_event(example("userdata/balanceUpdate.json")["event"])
            message = await asyncio.wait_for(stream.__anext__(), 5)
            assert isinstance(message.event, BalanceUpdate)
            _, limits = await ws.with_rate_limits(ws.market.ping)
            assert limits
            server.drop_on = {"order.place"}
            with pytest.raises(ExecutionStatusUnknown):
                await ws.trade.new_order(**ORDER)
            server.hold = {"time"}
            with pytest.raises(WsRequestTimeout):
                await ws.market.time()
        finally:
            await ws.close()

    asyncio.run(main())


def test_a_connection_that_gave_up_fails_requests_with_a_binance_error() -> None:
    """Reconnecting disabled and the server unreachable: calls fail clearly, never RuntimeError."""
    import socket

    from binance_typed.error import BinanceError
    from binance_typed.ws._connection import ReconnectPolicy
    from binance_typed.ws.api import SpotWebsocketAPIClient, WsConnectionLost

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ws = SpotWebsocketAPIClient(stream_url=f"ws://127.0.0.1:{port}", reconnect=ReconnectPolicy(enabled=False), timeout=2)
    try:
        deadline = time.monotonic() + 5
        while not ws._core.conn.gave_up and time.monotonic() < deadline:
            time.sleep(0.02)
        for _ in range(2):  # and it stays a clear error on every later call
            with pytest.raises(WsConnectionLost, match="gave up reconnecting") as info:
                ws.market.ping()
            assert isinstance(info.value, BinanceError) and info.value.may_have_reached_server is False
    finally:
        ws.close()


def test_request_by_method_name_also_resyncs_on_1021() -> None:
    from binance_typed.error import InvalidTimestampError
    from binance_typed.ws.api import SpotWebsocketAPIClient

    ws = SpotWebsocketAPIClient("k", "s", connect=False)
    calls: list[str] = []

    def fake_call(endpoint: Any, params: Any) -> str:
        calls.append(endpoint.ws_method)
        if len(calls) == 1:
            raise InvalidTimestampError(400, -1021, "Timestamp for this request is outside of the recvWindow.")
        return "ok"

    ws._core.call = fake_call  # type: ignore[method-assign]
    ws.sync_time = lambda: calls.append("SYNC") or 0  # type: ignore[method-assign]
    try:
        assert ws.request("account.status") == "ok"
        assert calls == ["account.status", "SYNC", "account.status"]
    finally:
        ws.close()


def test_cancelled_async_call_is_forgotten(server: FakeWsApi) -> None:
    from binance_typed.ws.api import AsyncWebsocketAPIClient

    async def run() -> None:
        server.hold = {"time"}
        async with AsyncWebsocketAPIClient(stream_url=server.url, timeout=5) as ws:
            await ws.market.ping()
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(ws.market.time(), 0.2)
            assert ws._core._pending == {}
        server.hold = set()

    asyncio.run(run())
