"""Transport behaviour of the REST clients: errors, retries, clock resync, limits, secrecy, options."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from support import API_KEY, API_SECRET, assert_hmac_signed, example_text

from binance_typed import AsyncClient, Client, RetryPolicy
from binance_typed.error import (
    ClientError,
    ExecutionStatusUnknown,
    InvalidSignatureError,
    IPBannedError,
    NonJSONResponseError,
    ParameterRequiredError,
    ParameterValueError,
    RateLimitBudgetError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
)
from binance_typed.error_codes import ErrorCode

FAST = RetryPolicy(max_retries=2, initial_wait=0, max_wait=0, jitter=0)
TIME_BODY = example_text("rest/GET__api_v3_time.json")
ACK_BODY = example_text("rest/POST__api_v3_order__01_ACK.json")
HTML = "<html><body><h1>502 Bad Gateway</h1></body></html>"

Handler = Callable[[httpx.Request], httpx.Response]


def make_client(handler: Handler, **kwargs: Any) -> tuple[Client, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    kwargs.setdefault("retry", FAST)
    client = Client(API_KEY, API_SECRET, http_client=httpx.Client(transport=httpx.MockTransport(record)), **kwargs)
    return client, seen


def json_response(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


def sequence(*responses: httpx.Response | Exception) -> Handler:
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item

    return handler


# -- error mapping ------------------------------------------------------------------------------
def test_client_error_carries_status_code_message_and_headers() -> None:
    client, _ = make_client(lambda r: json_response(400, {"code": -1121, "msg": "Invalid symbol."}, **{"x-mbx-used-weight-1m": "3"}))
    with pytest.raises(ClientError) as info:
        client.market.depth("NOPE")
    err = info.value
    assert (err.status_code, err.error_code, err.error_message) == (400, -1121, "Invalid symbol.")
    assert err.error_code == ErrorCode.BAD_SYMBOL
    assert err.header["x-mbx-used-weight-1m"] == "3"


def test_rate_limited_and_banned_carry_retry_after() -> None:
    client, seen = make_client(lambda r: json_response(429, {"code": -1003, "msg": "Too many requests."}, **{"Retry-After": "30"}))
    with pytest.raises(RateLimitError) as info:
        client.market.time()
    assert info.value.retry_after == 30.0
    assert len(seen) == 1  # 30 s is more than the policy's max_retry_after: not retried
    # the 429 closed the gate of this host and key for every client: nothing is sent meanwhile
    other, other_seen = make_client(lambda r: pytest.fail("sent while the gate is closed"), rate_limit="raise")
    with pytest.raises(RateLimitBudgetError) as closed:
        other.market.time()
    assert 29 < (closed.value.retry_after or 0) <= 30 and other_seen == []
    from binance_typed._policy import reset_gates

    reset_gates()
    client, seen = make_client(lambda r: json_response(418, {"code": -1003, "msg": "banned"}, **{"Retry-After": "120"}))
    with pytest.raises(IPBannedError) as banned:
        client.market.time()
    assert banned.value.retry_after == 120.0 and len(seen) == 1


def test_short_429_on_get_is_retried_after_retry_after() -> None:
    client, seen = make_client(
        sequence(json_response(429, {"code": -1003, "msg": "slow down"}, **{"Retry-After": "0"}), httpx.Response(200, text=TIME_BODY))
    )
    assert client.market.time().server_time_ms == 1499827319559
    assert len(seen) == 2


def test_html_body_gives_a_clear_error_not_a_json_error() -> None:
    client, _ = make_client(lambda r: httpx.Response(502, text=HTML), retry=RetryPolicy(max_retries=0))
    with pytest.raises(NonJSONResponseError) as info:
        client.market.time()
    assert "502 Bad Gateway" in str(info.value) and info.value.status_code == 502
    client, _ = make_client(lambda r: httpx.Response(403, text=HTML))
    with pytest.raises(ClientError) as forbidden:
        client.market.time()
    assert forbidden.value.error_code is None and "non-JSON response" in forbidden.value.error_message


# -- retries ------------------------------------------------------------------------------------
def test_get_is_retried_on_5xx_and_connection_errors_then_succeeds() -> None:
    client, seen = make_client(
        sequence(httpx.Response(503, text="busy"), httpx.ConnectError("refused"), httpx.Response(200, text=TIME_BODY))
    )
    assert client.market.time().server_time_ms == 1499827319559
    assert len(seen) == 3


def test_retries_give_up_after_max_retries() -> None:
    client, seen = make_client(lambda r: json_response(500, {"code": -1001, "msg": "Internal error"}))
    with pytest.raises(ServerError) as info:
        client.market.time()
    assert len(seen) == 3 and info.value.error_code == -1001


def test_retries_can_be_switched_off() -> None:
    client, seen = make_client(lambda r: httpx.Response(503, text="busy"), retry=RetryPolicy(max_retries=0))
    with pytest.raises(ServerError):
        client.market.time()
    assert len(seen) == 1


def test_timeout_on_get_is_retried_then_raised_as_timeout() -> None:
    client, seen = make_client(sequence(httpx.ReadTimeout("slow")))
    with pytest.raises(RequestTimeoutError):
        client.market.time()
    assert len(seen) == 3


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(500, text="oops"), httpx.Response(503, text=HTML), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped")],
    ids=["500", "503-html", "timeout", "dropped"],
)
def test_order_is_never_resent_and_its_status_is_unknown(failure: httpx.Response | Exception) -> None:
    client, seen = make_client(sequence(failure))
    with pytest.raises(ExecutionStatusUnknown) as info:
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="0.01")
    assert len(seen) == 1
    sent_id = seen[0].url.params["newClientOrderId"]
    assert info.value.new_client_order_id == sent_id and sent_id.startswith("bt-")
    assert sent_id in str(info.value) and "unknown" in str(info.value)


def test_order_keeps_the_callers_client_order_id() -> None:
    client, seen = make_client(sequence(httpx.Response(502, text=HTML)))
    with pytest.raises(ExecutionStatusUnknown) as info:
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="1", newClientOrderId="mine-1")
    assert info.value.new_client_order_id == "mine-1"
    assert seen[0].url.params["newClientOrderId"] == "mine-1"


def test_connect_error_on_order_is_a_plain_transport_error() -> None:
    """A connection that was never opened cannot have placed an order."""
    from binance_typed.error import TransportError

    client, seen = make_client(sequence(httpx.ConnectError("refused")))
    with pytest.raises(TransportError) as info:
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="1")
    assert not isinstance(info.value, ExecutionStatusUnknown) and len(seen) == 1


# -- clock resync -------------------------------------------------------------------------------
def test_invalid_timestamp_resyncs_the_clock_and_retries_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    monkeypatch.setattr(time_module, "time", lambda: 1499827319.559 - 10.0)  # local clock 10 s behind
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/api/v3/time":
            return httpx.Response(200, text=TIME_BODY)
        stamp = int(request.url.params["timestamp"])
        if abs(stamp - 1499827319559) > 1000:
            return json_response(400, {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."})
        return httpx.Response(200, text=ACK_BODY)

    client, seen = make_client(handler)
    order = client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="1", newOrderRespType="ACK")
    assert order.order_id == 28
    assert calls == ["/api/v3/order", "/api/v3/time", "/api/v3/order"]
    assert client.time_offset_ms == 10_000
    first, last = int(seen[0].url.params["timestamp"]), int(seen[-1].url.params["timestamp"])
    assert last - first == 10_000
    assert_hmac_signed(seen[-1])


def test_second_invalid_timestamp_is_raised() -> None:
    from binance_typed.error import InvalidTimestampError

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v3/time":
            return httpx.Response(200, text=TIME_BODY)
        return json_response(400, {"code": -1021, "msg": "outside recvWindow"})

    client, seen = make_client(handler)
    with pytest.raises(InvalidTimestampError):
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="1")
    assert [r.url.path for r in seen] == ["/api/v3/order", "/api/v3/time", "/api/v3/order"]


def test_bad_signature_maps_to_its_own_class() -> None:
    client, _ = make_client(lambda r: json_response(400, {"code": -1022, "msg": "Signature for this request is not valid."}))
    with pytest.raises(InvalidSignatureError):
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="1")


# -- limits and headers -------------------------------------------------------------------------
@pytest.mark.usefixtures("steady_rate_windows")
def test_used_weight_and_order_counts_are_readable_and_headers_returned_on_request() -> None:
    headers = {"X-MBX-USED-WEIGHT-1M": "12", "X-MBX-ORDER-COUNT-10S": "1", "X-MBX-ORDER-COUNT-1D": "9"}
    weight_only = {"X-MBX-USED-WEIGHT-1M": "12"}  # order counts come with order responses only

    def handler(r: httpx.Request) -> httpx.Response:
        if r.method == "POST":
            return httpx.Response(200, text=ACK_BODY, headers=headers)
        return httpx.Response(200, text=TIME_BODY, headers=weight_only)

    client, _ = make_client(handler)
    client.market.time()
    assert client.rate_limits.used_weight == {"1M": 12}
    order, got = client.with_headers(client.trade.new_order, "BTCUSDT", "BUY", "MARKET", quantity=1, newOrderRespType="ACK")
    assert order.order_id == 28
    assert got["x-mbx-order-count-1d"] == "9"
    assert client.rate_limits.order_count == {"10S": 1, "1D": 9}


# -- secrets ------------------------------------------------------------------------------------
def test_secrets_never_appear_in_repr_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    client, seen = make_client(lambda r: json_response(400, {"code": -2010, "msg": "insufficient balance"}))
    assert API_SECRET not in repr(client) and API_KEY not in repr(client)
    assert API_SECRET not in repr(client.config.signer)
    with caplog.at_level(logging.DEBUG, logger="binance_typed"), pytest.raises(ClientError) as info:
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="1")
    signature = seen[0].url.params["signature"]
    text = caplog.text + str(info.value) + repr(info.value)
    assert "/api/v3/order" in caplog.text and "<redacted>" in caplog.text
    for secret in (API_SECRET, API_KEY, signature):
        assert secret not in text


# -- options ------------------------------------------------------------------------------------
def test_time_unit_header_and_microsecond_timestamps() -> None:
    client, seen = make_client(lambda r: httpx.Response(200, text='{"serverTime": 1499827319559123}'), time_unit="microsecond")
    value = client.market.time()
    assert seen[0].headers["X-MBX-TIME-UNIT"] == "MICROSECOND"
    assert value.server_time.microsecond == 559123 and value.server_time.tzinfo is not None
    with pytest.raises(ValueError):
        Client(time_unit="nanosecond")


def test_recv_window_default_per_call_and_validation() -> None:
    client, seen = make_client(lambda r: httpx.Response(200, text=ACK_BODY))
    client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newOrderRespType="ACK")
    client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newOrderRespType="ACK", recvWindow=Decimal("6000.346"))
    assert seen[0].url.params["recvWindow"] == "5000"
    assert seen[1].url.params["recvWindow"] == "6000.346"
    for bad in (60001, 0, "1.2345"):
        with pytest.raises(ParameterValueError, match="recvWindow"):
            client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, recvWindow=bad)
    assert len(seen) == 2
    with pytest.raises(ValueError):
        Client(recv_window=70000)


def test_wrong_names_and_missing_values_fail_before_any_request() -> None:
    client, seen = make_client(lambda r: pytest.fail("no request may be sent"))
    with pytest.raises(TypeError):
        client.market.klines("BTCUSDT", "1m", limits=10)  # type: ignore[call-arg]
    with pytest.raises(ParameterRequiredError, match="symbol"):
        client.market.klines(None, "1m")  # type: ignore[arg-type]
    with pytest.raises(ParameterValueError, match="interval"):
        client.market.klines("BTCUSDT", "2m")  # type: ignore[arg-type]
    with pytest.raises(ParameterValueError, match="limit"):
        client.market.klines("BTCUSDT", "1m", limit=5000)
    assert seen == []


def test_signed_call_without_credentials_is_refused_locally() -> None:
    client = Client(http_client=httpx.Client(transport=httpx.MockTransport(lambda r: pytest.fail("sent"))))
    with pytest.raises(ClientError, match="API key"):
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1)


def test_timeout_and_proxies_options_reach_httpx() -> None:
    from binance_typed._client import _http_options

    assert _http_options(None, None)["timeout"] == httpx.Timeout(None)
    assert _http_options(2.5, None)["timeout"] == httpx.Timeout(2.5)
    mounts = _http_options(None, {"https": "http://1.2.3.4:8080"})["mounts"]
    assert list(mounts) == ["https://"]
    with Client(timeout=3, proxies={"https": "http://1.2.3.4:8080"}) as client:
        assert client._transport.http.timeout == httpx.Timeout(3)


def test_testnet_preset() -> None:
    assert Client.testnet().config.base_url == "https://testnet.binance.vision"
    assert Client().config.base_url == "https://api.binance.com"


# -- async --------------------------------------------------------------------------------------
def test_async_client_retries_and_maps_order_failures() -> None:
    async def run() -> None:
        seen: list[httpx.Request] = []
        replies = [httpx.Response(503, text="busy"), httpx.Response(200, text=TIME_BODY), httpx.Response(200, text=TIME_BODY)]

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            if request.method == "POST":
                raise httpx.ReadTimeout("slow")
            return replies.pop(0)

        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with AsyncClient(API_KEY, API_SECRET, http_client=http, retry=FAST) as client:
            assert (await client.market.time()).server_time_ms == 1499827319559
            with pytest.raises(ExecutionStatusUnknown):
                await client.trade.new_order("BTCUSDT", "SELL", "MARKET", quantity="2")
            value, headers = await client.with_headers(client.market.time)
        assert len(seen) == 4 and value.server_time_ms == 1499827319559 and isinstance(headers, httpx.Headers)

    asyncio.run(run())


def test_import_is_lazy() -> None:
    code = (
        "import sys, binance_typed; c = binance_typed.Client(); "
        "assert 'binance_typed.api.market' not in sys.modules; c.market; "
        "assert 'binance_typed.api.market' in sys.modules; "
        "assert not [m for m in sys.modules if m.startswith(('binance_typed.ws', 'binance_typed.testing', 'websocket', 'starlette'))], "
        "sorted(m for m in sys.modules if m.startswith('binance_typed'))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_malformed_success_body_is_a_clear_error() -> None:
    from binance_typed.error import MalformedResponseError

    client, _ = make_client(lambda r: httpx.Response(200, text='{"serverTime": '))
    with pytest.raises(MalformedResponseError) as info:
        client.market.time()
    assert info.value.status_code == 200 and '{"serverTime": ' in str(info.value)
    client, _ = make_client(lambda r: httpx.Response(200, text="[[1, 2]]"))
    with pytest.raises(MalformedResponseError):
        client.market.klines("BTCUSDT", "1m")
    client, seen = make_client(lambda r: httpx.Response(200, text="<html>"))
    with pytest.raises(ExecutionStatusUnknown) as unknown:
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1)
    assert unknown.value.new_client_order_id == seen[0].url.params["newClientOrderId"]


@pytest.mark.parametrize("status", [400, 408, 503])
def test_binance_timeout_code_on_an_order_means_unknown_status(status: int) -> None:
    body = {"code": -1007, "msg": "Timeout waiting for response from backend server. Send status unknown; execution status unknown."}
    client, seen = make_client(lambda r: json_response(status, body))
    with pytest.raises(ExecutionStatusUnknown) as info:
        client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1)
    assert len(seen) == 1 and info.value.new_client_order_id == seen[0].url.params["newClientOrderId"]
    client, _ = make_client(lambda r: json_response(400, body))
    with pytest.raises(ClientError) as query:
        client.market.time()  # not an order: the plain error
    assert query.value.error_code == -1007


def test_every_documented_error_code_is_in_the_enum() -> None:
    import json as _json

    from support import EXAMPLES

    documented = {int(code) for code in _json.loads((EXAMPLES / "errors.json").read_text())}
    assert documented <= {int(code) for code in ErrorCode}
    assert ErrorCode.ORDER_AMEND_REJECTED == -2038 and ErrorCode.INVALID_TIMESTAMP == -1021
