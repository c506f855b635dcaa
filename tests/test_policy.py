"""The request policy shared by REST and the WebSocket API: fresh signatures per attempt, one
clock, the rate-limit gate, per-call options and the raw call."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from support import API_KEY, API_SECRET, assert_hmac_signed, example_text

from binance_typed import AsyncClient, Client, RetryPolicy
from binance_typed._endpoint import Endpoint, Security
from binance_typed._params import Params
from binance_typed._policy import Clock, Cost, RateLimitGate, gate_for
from binance_typed._transport._base import cost_of, host_of
from binance_typed.error import (
    ExecutionStatusUnknown,
    ParameterValueError,
    RateLimitBudgetError,
    RateLimitError,
)
from binance_typed.testing import LocalBinance

FAST = RetryPolicy(max_retries=2, initial_wait=0, max_wait=0, jitter=0)
ACCOUNT_BODY = example_text("rest/GET__api_v3_account.json")
TIME_BODY = example_text("rest/GET__api_v3_time.json")
KLINES_BODY = example_text("rest/GET__api_v3_klines.json")

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


# -- item 1: sign inside each attempt -----------------------------------------------------------
def test_a_retried_signed_get_is_signed_again_and_needs_no_resync() -> None:
    answers = [json_response(429, {"code": -1003, "msg": "slow down"}, **{"Retry-After": "0.2"}),
               httpx.Response(200, text=ACCOUNT_BODY)]
    client, seen = make_client(lambda r: answers.pop(0))
    account = client.account.info()
    assert account.balances
    assert [r.url.path for r in seen] == ["/api/v3/account", "/api/v3/account"]  # no /api/v3/time
    first, second = seen
    assert first.url.params["signature"] != second.url.params["signature"]
    assert int(second.url.params["timestamp"]) - int(first.url.params["timestamp"]) >= 200
    for request in seen:
        assert_hmac_signed(request)


async def test_async_retry_is_signed_again() -> None:
    answers = [json_response(503, {"code": -1001, "msg": "busy"}), httpx.Response(200, text=ACCOUNT_BODY)]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        time.sleep(0.002)  # the two attempts get different milliseconds
        return answers.pop(0)

    async with AsyncClient(API_KEY, API_SECRET, retry=FAST,
                           http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))) as client:
        await client.account.info()
    assert len(seen) == 2 and seen[0].url.params["signature"] != seen[1].url.params["signature"]


def test_one_clock_per_host_and_key_with_periodic_resync() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(200, text=TIME_BODY if request.url.path == "/api/v3/time" else ACCOUNT_BODY)

    client, _ = make_client(handler, time_sync_interval=3600)
    other, _ = make_client(handler)
    client.account.info()
    client.account.info()
    assert calls == ["/api/v3/time", "/api/v3/account", "/api/v3/account"]  # measured once, then due in 1 h
    assert client._transport.clock is other._transport.clock  # same host and key: one clock
    assert other.time_offset_ms == client.time_offset_ms != 0


def test_clock_offset_formula() -> None:
    clock = Clock()
    assert clock.apply(10_500, 1.0, 2.0) == 9_000  # server stamped mid-flight at local 1.5 s
    assert clock.offset_ms == 9_000


# -- item 2: the gate -----------------------------------------------------------------------------
def test_weights_are_known_before_sending() -> None:
    from binance_typed.endpoints.market import DEPTH, TICKER_24HR
    from binance_typed.endpoints.trade import NEW_ORDER

    assert cost_of(DEPTH, DEPTH.params.build(symbol="BTCUSDT", limit=5000)) == Cost(250, "REQUEST_WEIGHT", 0)
    assert cost_of(TICKER_24HR, TICKER_24HR.params.build()).weight == 80
    order = NEW_ORDER.params.build(symbol="BTCUSDT", side="BUY", type="MARKET", quantity=1)
    assert cost_of(NEW_ORDER, order) == Cost(1, "REQUEST_WEIGHT", 1)
    sapi = Endpoint(group="wallet", name="x", verb="GET", path="/sapi/v1/x", security=Security.SIGNED,
                    params=Params, response=Any, weight=150, summary="x", weight_kind="UID")
    assert cost_of(sapi, Params()) == Cost(150, "SAPI_UID_WEIGHT", 0)


@pytest.mark.usefixtures("steady_rate_windows")
def test_headers_of_both_apis_correct_the_counts_and_never_go_back() -> None:
    gate = RateLimitGate()
    gate.observe_headers({"X-MBX-USED-WEIGHT-1M": "40", "X-SAPI-USED-UID-WEIGHT-1M": "300",
                          "X-SAPI-USED-IP-WEIGHT-1M": "7", "X-MBX-ORDER-COUNT-10S": "3"})
    assert gate.used("REQUEST_WEIGHT") == {"1M": 40}
    assert gate.used("SAPI_UID_WEIGHT") == {"1M": 300} and gate.used("SAPI_IP_WEIGHT") == {"1M": 7}
    assert gate.used("ORDERS")["10S"] == 3
    gate.observe_headers({"X-MBX-USED-WEIGHT-1M": "12"})  # an older answer arriving late
    assert gate.used("REQUEST_WEIGHT") == {"1M": 40}
    gate.observe_ws([{"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1,
                      "limit": 1200, "count": 55}])
    assert gate.used("REQUEST_WEIGHT") == {"1M": 55} and gate.limits()[("REQUEST_WEIGHT", 60_000)] == 1200


def test_tracked_usage_never_goes_backwards_under_16_threads() -> None:
    gate = RateLimitGate()
    gate.set_limit("REQUEST_WEIGHT", 60_000, 10**9)
    samples: list[tuple[int, int]] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            index = int(time.time() * 1000 - gate.margin_ms) // 60_000
            samples.append((index, gate.used("REQUEST_WEIGHT")["1M"]))

    def work(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(300):
            gate.reserve(Cost(rng.randint(1, 5)))
            gate.observe_headers({"X-MBX-USED-WEIGHT-1M": str(rng.randint(0, 3000))})

    watcher = threading.Thread(target=watch)
    watcher.start()
    workers = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    stop.set()
    watcher.join()
    backwards = sum(1 for (i1, a), (i2, b) in zip(samples, samples[1:], strict=False) if i1 == i2 and b < a)
    assert len(samples) > 100 and backwards == 0


def test_raise_policy_refuses_before_sending_and_wait_policy_waits() -> None:
    client, seen = make_client(lambda r: httpx.Response(200, text=TIME_BODY), rate_limit="raise")
    gate = client._transport.gate
    gate.set_limit("REQUEST_WEIGHT", 86_400_000, 2)  # a day-long window: no rollover mid-test
    client.market.time()
    client.market.time()
    with pytest.raises(RateLimitBudgetError) as info:
        client.market.time()
    assert isinstance(info.value, RateLimitError) and 0 < (info.value.retry_after or 0) <= 86_400.1
    assert len(seen) == 2
    # the "wait" policy computes the same wait instead of raising
    assert gate.reserve(Cost(1), "wait") > 0 and gate.waits == 1


def test_exchange_info_limits_feed_the_gate(local_binance: LocalBinance) -> None:
    with local_binance.client() as client:
        client.market.exchange_info()
        limits = client._transport.gate.limits()
    assert limits[("REQUEST_WEIGHT", 60_000)] == local_binance.limits.weight_limit
    assert limits[("ORDERS", 10_000)] == local_binance.limits.orders_10s
    assert limits[("RAW_REQUESTS", 300_000)] == 61_000


def test_a_burst_of_16_threads_never_gets_a_429() -> None:
    """LocalBinance allows 60 weight per 2 s; 16 threads ask for 128 weight of klines at once."""
    with LocalBinance(weight_limit=60, weight_window=2) as exchange, \
            exchange.client(retry=RetryPolicy(max_retries=0)) as client:
        client.market.exchange_info(symbol="BTCUSDT")  # 20: teaches the gate the 2 s window
        assert client._transport.gate.limits()[("REQUEST_WEIGHT", 2000)] == 60
        errors: list[BaseException] = []
        done: list[int] = []

        def burst() -> None:
            try:
                for _ in range(4):
                    client.market.klines("BTCUSDT", "1m", limit=5)
                    done.append(1)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=burst) for _ in range(16)]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        assert errors == [] and len(done) == 64
        assert client._transport.gate.waits > 0
        assert len(exchange.requests_to("/api/v3/klines")) == 64  # nothing refused, nothing resent
        print(f"16 threads, 64 klines calls (128 weight, limit 60/2 s): 0 x 429 in {elapsed:.2f} s")


@pytest.mark.usefixtures("clear_of_rate_windows")
def test_a_429_closes_the_gate_for_the_websocket_api_too(local_binance: LocalBinance) -> None:
    from binance_typed.ws import SpotWebsocketAPIClient

    url = local_binance.ws_api_url
    with SpotWebsocketAPIClient(local_binance.api_key, local_binance.api_secret, stream_url=url) as ws:
        ws.market.time()
        gate = gate_for(host_of(url), local_binance.api_key)
        assert ws._core.gate is gate and gate.used("REQUEST_WEIGHT")["1M"] >= 1
        gate.close_for(0.3)
        start = time.monotonic()
        ws.market.ping()
        assert time.monotonic() - start >= 0.25


# -- item 3: per-call options and the raw call ----------------------------------------------------
def test_extra_params_send_new_parameters_and_enum_values() -> None:
    client, seen = make_client(lambda r: httpx.Response(200, text=KLINES_BODY))
    client.market.klines("BTCUSDT", "1m", limit=5, extra_params={"newKnob": "on", "limit": 7})
    query = seen[0].url.params
    assert query["newKnob"] == "on" and query["limit"] == "7" and query.get_list("limit") == ["7"]
    ack = example_text("rest/POST__api_v3_order__01_ACK.json")
    client, seen = make_client(lambda r: httpx.Response(200, text=ack))
    client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newOrderRespType="ACK",
                           extra_params={"selfTradePreventionMode": "EXPIRE_SOMETHING_NEW"})
    assert seen[0].url.params["selfTradePreventionMode"] == "EXPIRE_SOMETHING_NEW"
    assert_hmac_signed(seen[0])  # the extra parameter is covered by the signature
    for bad in ({"signature": "x"}, {"": "1"}, {"a b": "1"}, {"x": 2**64}, {"x": ""}, {"x": 1.5}):
        with pytest.raises(ParameterValueError):
            client.market.klines("BTCUSDT", "1m", extra_params=bad)  # type: ignore[dict-item]
    assert len(seen) == 1


def test_per_call_timeout_reaches_httpx() -> None:
    client, seen = make_client(lambda r: httpx.Response(200, text=TIME_BODY))
    client.market.time(timeout=1.5)
    client.market.time()
    assert seen[0].extensions["timeout"] == httpx.Timeout(1.5).as_dict()
    assert seen[1].extensions["timeout"] == client._transport.http.timeout.as_dict() != seen[0].extensions["timeout"]
    with pytest.raises(ParameterValueError):
        client.market.time(timeout=-1)


@pytest.mark.usefixtures("steady_rate_windows")
def test_raw_request_goes_through_the_same_policy() -> None:
    answers = [json_response(503, {"code": -1001, "msg": "busy"}),
               json_response(200, {"value": 1.25, "n": 3, "items": ["a"]})]
    client, seen = make_client(lambda r: answers.pop(0))
    result = client.request("GET", "/api/v3/newThing", {"symbol": "BTCUSDT", "recvWindow": 3000}, security="SIGNED",
                            weight=3)
    assert result == {"value": Decimal("1.25"), "n": 3, "items": ["a"]}
    assert [r.url.path for r in seen] == ["/api/v3/newThing"] * 2  # a GET is retried
    assert seen[1].url.params["recvWindow"] == "3000" and seen[1].headers["X-MBX-APIKEY"] == API_KEY
    assert seen[0].url.params["signature"] != seen[1].url.params["signature"] or \
        seen[0].url.params["timestamp"] == seen[1].url.params["timestamp"]
    assert_hmac_signed(seen[1])
    assert client.rate_limits.used_weight["1M"] == 6  # 3 per attempt

    client, seen = make_client(lambda r: json_response(503, {"code": -1001, "msg": "busy"}))
    with pytest.raises(Exception) as info:
        client.request("POST", "/api/v3/newAction", {"x": 1}, security="SIGNED")
    assert not isinstance(info.value, ExecutionStatusUnknown) and len(seen) == 1  # a POST is never resent
    for args in (("GET", "https://evil/x"), ("GET", "/api/v3/a?b=1"), ("FETCH", "/api/v3/a")):
        with pytest.raises(ParameterValueError):
            client.request(*args)
    assert len(seen) == 1


async def test_async_raw_request() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200, [1, 2])

    async with AsyncClient(API_KEY, API_SECRET,
                           http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))) as client:
        assert await client.request("GET", "/api/v3/newList", {"a": "b"}, security="API_KEY") == [1, 2]
    assert seen[0].url.params["a"] == "b" and "signature" not in seen[0].url.params
    assert seen[0].headers["X-MBX-APIKEY"] == API_KEY


def test_websocket_api_per_call_options(local_binance: LocalBinance) -> None:
    from binance_typed.ws import SpotWebsocketAPIClient

    with SpotWebsocketAPIClient(local_binance.api_key, local_binance.api_secret,
                                stream_url=local_binance.ws_api_url) as ws:
        candles = ws.market.klines("BTCUSDT", "1m", limit=2, extra_params={"limit": 3}, timeout=5)
        assert len(candles) == 3


# -- item 7: secrets ------------------------------------------------------------------------------
def test_secrets_do_not_travel_in_pickles() -> None:
    import copy
    import pickle

    from binance_typed._signing import load_signer

    client = Client(API_KEY, API_SECRET)
    for obj in (client, client.config, client.config.signer):
        with pytest.raises(TypeError, match="pickled"):
            pickle.dumps(obj)
    with pytest.raises(TypeError):
        copy.deepcopy(client.config.signer)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(TypeError):
        pickle.dumps(load_signer(private_key=pem))


def test_httpx_info_line_never_shows_a_signature(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    client, seen = make_client(lambda r: httpx.Response(200, text=ACCOUNT_BODY))
    with caplog.at_level(logging.INFO, logger="httpx"):
        client.account.info()
    signature = seen[0].url.params["signature"]
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert lines and "/api/v3/account" in lines[0] and "signature=<redacted>" in lines[0]
    assert all(signature not in line and API_SECRET not in line for line in lines)


def test_a_redirect_is_never_followed_even_by_a_following_client() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "https://elsewhere.example/steal"})

    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    from binance_typed.error import ClientError

    with Client(API_KEY, API_SECRET, http_client=http, retry=FAST) as client, \
            pytest.raises(ClientError, match="redirect"):
        client.account.info()
    assert [r.url.host for r in seen] == ["api.binance.com"]


async def test_async_redirect_is_never_followed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(307, headers={"Location": "https://elsewhere.example/"})

    from binance_typed.error import ClientError

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), follow_redirects=True)
    async with AsyncClient(API_KEY, API_SECRET, http_client=http, retry=FAST) as client:
        with pytest.raises(ClientError, match="redirect"):
            await client.account.info()
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("answered_at", "second_waits"),
    [(0.50, False), (0.95, False), (None, True), (1.01, True), (1.04, True)],
)
def test_weight_counts_in_every_window_binance_may_have_counted_it_in(
    monkeypatch: pytest.MonkeyPatch, answered_at: float | None, second_waits: bool
) -> None:
    """A request reserved at 0.4 s of a 1 s window and answered before the boundary reached
    Binance in that window: the next one starts empty. Still unanswered at the boundary (a loaded
    machine, a slow network), or answered just after it but before the gate looked again, it may
    have reached Binance in the next window: that window starts with its weight spent."""
    now = [1_000_000.4]  # epoch seconds: boundaries of a 1 s window at whole seconds
    monkeypatch.setattr("binance_typed._policy.time.time", lambda: now[0])
    gate = RateLimitGate(margin_ms=0, late_ms=250)
    gate.set_limit("REQUEST_WEIGHT", 1000, 10)
    assert gate.reserve(Cost(8)) == 0.0
    sent_ms = gate.clock.now_ms()
    if answered_at is not None:
        now[0] = 1_000_000 + answered_at
        gate.answered(Cost(8), sent_ms)
    now[0] = 1_000_001.05  # the next window
    wait = gate.reserve(Cost(5))
    assert (wait > 0) is second_waits, wait
    if second_waits:
        assert gate.used("REQUEST_WEIGHT")["1S"] == 8  # the carried weight, nothing spent twice
        assert 0.9 < wait <= 1.0


def test_the_late_zone_admits_only_what_fits_in_the_next_window_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Near a window's end a request must fit in both windows: weight still in flight counts in
    the next one, so a request that would overflow it waits for the boundary."""
    now = [1_000_000.2]
    monkeypatch.setattr("binance_typed._policy.time.time", lambda: now[0])
    gate = RateLimitGate(margin_ms=0, late_ms=250)
    gate.set_limit("REQUEST_WEIGHT", 1000, 100)
    assert gate.reserve(Cost(30)) == 0.0  # in flight
    assert gate.reserve(Cost(20)) == 0.0
    gate.answered(Cost(20), gate.clock.now_ms())
    now[0] = 1_000_000.9  # the late zone: 30 in flight + 60 fits in the next window; + 75 does not
    assert gate.reserve(Cost(75)) > 0
    assert gate.reserve(Cost(40)) == 0.0
    assert gate.used("REQUEST_WEIGHT")["1S"] == 90


def test_weight_in_flight_counts_until_answered_then_is_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request in flight across two boundaries counts in both new windows; once answered inside
    a window it counts in no later one; one never answered stops counting after ``_FLIGHT_MS``."""
    from binance_typed._policy import _FLIGHT_MS

    now = [1_000_000.2]
    monkeypatch.setattr("binance_typed._policy.time.time", lambda: now[0])
    gate = RateLimitGate(margin_ms=0, late_ms=250)
    gate.set_limit("REQUEST_WEIGHT", 1000, 100)
    assert gate.reserve(Cost(30)) == 0.0
    first_ms = gate.clock.now_ms()
    assert gate.reserve(Cost(7)) == 0.0  # never answered
    now[0] = 1_000_001.1
    assert gate.used("REQUEST_WEIGHT")["1S"] == 37
    now[0] = 1_000_002.1
    assert gate.used("REQUEST_WEIGHT")["1S"] == 37
    gate.answered(Cost(30), first_ms)  # answered inside window 2: counted there, not later
    assert gate.used("REQUEST_WEIGHT")["1S"] == 37
    now[0] = 1_000_003.1
    assert gate.used("REQUEST_WEIGHT")["1S"] == 7
    now[0] = 1_000_000.2 + _FLIGHT_MS / 1000 + 1.0
    assert gate.used("REQUEST_WEIGHT")["1S"] == 7
    now[0] = 1_000_000.2 + _FLIGHT_MS / 1000 + 2.0
    assert gate.used("REQUEST_WEIGHT")["1S"] == 0  # forgotten: nothing leaks


def test_a_count_binance_gave_for_its_next_window_starts_that_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate keeps a window open ``margin_ms`` past its end; a count Binance reported just after
    the boundary for a request sent after it belongs to the new window, and must not vanish when
    the gate's window rolls. (Seen under load: ``exchangeInfo`` answered 30 ms into a window taught
    the gate a 2 s window whose first 20 weight were then forgotten; the burst after got 429s.)"""
    now = [1_000_000.024]  # boundaries of a 2 s window at even seconds
    monkeypatch.setattr("binance_typed._policy.time.time", lambda: now[0])
    gate = RateLimitGate(margin_ms=50)
    sent_ms = gate.clock.now_ms()
    now[0] = 1_000_000.030
    gate.observe_headers({"X-MBX-USED-WEIGHT-2S": "20"}, sent_ms)  # creates the 2 s window
    gate.set_limit("REQUEST_WEIGHT", 2000, 60)
    now[0] = 1_000_000.060  # the gate's window rolls
    assert gate.used("REQUEST_WEIGHT")["2S"] == 20
    assert gate.reserve(Cost(45)) > 0
    assert gate.reserve(Cost(40)) == 0.0
    # sent before the boundary, answered after it, for a window the gate did not know: the count
    # may be the new window's, and nothing else of the gate's covers it
    now[0] = 1_000_003.990
    sent_ms = gate.clock.now_ms()
    now[0] = 1_000_004.030
    gate.observe_headers({"X-MBX-USED-WEIGHT-1S": "20"}, sent_ms)
    now[0] = 1_000_004.060
    assert gate.used("REQUEST_WEIGHT")["1S"] == 20


def test_requests_in_flight_are_added_to_a_count_that_may_miss_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Binance's count includes only the requests that reached it: weight still in flight when the
    count is read, and weight spent after it, are added (seen under load: a count of 22 for the
    new window replaced the 18 the gate knew were in flight, and the burst after got 429s)."""
    now = [1_000_001.990]
    monkeypatch.setattr("binance_typed._policy.time.time", lambda: now[0])
    gate = RateLimitGate(margin_ms=50)
    gate.set_limit("REQUEST_WEIGHT", 2000, 60)
    assert gate.reserve(Cost(16)) == 0.0  # in flight across the boundary
    now[0] = 1_000_002.010
    sent_ms = gate.clock.now_ms()
    now[0] = 1_000_002.020
    gate.observe_headers({"X-MBX-USED-WEIGHT-2S": "22"}, sent_ms)  # the new window's count
    now[0] = 1_000_002.030  # the gate's window is still the old one (the margin)
    assert gate.reserve(Cost(2)) == 0.0
    now[0] = 1_000_002.060
    assert gate.used("REQUEST_WEIGHT")["2S"] == 22 + 16 + 2


def test_an_ambiguous_count_near_a_boundary_does_not_carry_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request in flight across a boundary: its count may be either window's, so it does not
    carry into the new window (a full window's count must not throttle the next one); a count
    sent and answered within the window is taken."""
    now = [1_000_001.900]
    monkeypatch.setattr("binance_typed._policy.time.time", lambda: now[0])
    gate = RateLimitGate(margin_ms=50)
    gate.set_limit("REQUEST_WEIGHT", 2000, 60)
    sent_ms = gate.clock.now_ms()
    now[0] = 1_000_001.950
    gate.observe_headers({"X-MBX-USED-WEIGHT-2S": "30"}, sent_ms)
    assert gate.used("REQUEST_WEIGHT")["2S"] == 30
    sent_ms = gate.clock.now_ms()
    now[0] = 1_000_002.010
    gate.observe_headers({"X-MBX-USED-WEIGHT-2S": "55"}, sent_ms)
    assert gate.used("REQUEST_WEIGHT")["2S"] == 55  # the gate's window is still the old one
    now[0] = 1_000_002.100
    assert gate.used("REQUEST_WEIGHT")["2S"] == 0
    # once the gate's window is the new one, an ambiguous count is set aside
    now[0] = 1_000_003.990
    sent_ms = gate.clock.now_ms()
    now[0] = 1_000_004.070
    gate.observe_headers({"X-MBX-USED-WEIGHT-2S": "50"}, sent_ms)
    assert gate.used("REQUEST_WEIGHT")["2S"] == 0


@pytest.mark.usefixtures("clear_of_rate_windows")
def test_answered_requests_leave_no_weight_in_flight(local_binance: LocalBinance) -> None:
    """REST and WebSocket API calls tell the gate when they are answered: nothing of theirs is
    carried into the next window (only the unanswered would be)."""
    from binance_typed.ws import SpotWebsocketAPIClient

    def in_flight(gate: RateLimitGate) -> int:
        return sum(sum(w.flight.values()) for w in gate._windows.values())

    with local_binance.client() as client:
        client.market.time()
        client.market.klines("BTCUSDT", "1m", limit=5)
        gate = client._transport.gate
        assert gate.used("REQUEST_WEIGHT")["1M"] >= 3 and in_flight(gate) == 0
    url = local_binance.ws_api_url
    with SpotWebsocketAPIClient(local_binance.api_key, local_binance.api_secret, stream_url=url) as ws:
        ws.market.time()
        ws.market.klines("BTCUSDT", "1m", limit=5)
        assert ws._core.gate.used("REQUEST_WEIGHT")["1M"] >= 3 and in_flight(ws._core.gate) == 0
