"""Weight accounting, 429/418, and every injected fault as the real Client sees it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal as D

import pytest

from binance_typed import Client
from binance_typed._config import RetryPolicy
from binance_typed.error import (
    ExecutionStatusUnknown,
    IPBannedError,
    NonJSONResponseError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TransportError,
)
from binance_typed.testing import LocalBinance

FAST_RETRY = RetryPolicy(max_retries=2, initial_wait=0.01, max_wait=0.02, jitter=0.0)


@pytest.fixture
def exchange() -> Iterator[LocalBinance]:
    with LocalBinance() as ex:
        yield ex


@pytest.fixture
def client(exchange: LocalBinance) -> Iterator[Client]:
    with exchange.client(timeout=0.5, retry=FAST_RETRY) as c:
        yield c


def _order(client: Client) -> object:
    return client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=D("0.01"),
                                  price=D("50000"), newOrderRespType="ACK")


@pytest.mark.usefixtures("clear_of_rate_windows")
def test_weight_and_order_count_headers(exchange: LocalBinance, client: Client) -> None:
    _, headers = client.with_headers(client.market.depth, "BTCUSDT", limit=500)
    assert headers["X-MBX-USED-WEIGHT-1M"] == "25"
    client.market.klines("BTCUSDT", "1m", limit=1)
    assert client.rate_limits.used_weight["1M"] == 27
    _, headers = client.with_headers(_order, client)
    assert headers["X-MBX-ORDER-COUNT-10S"] == "1" and headers["X-MBX-ORDER-COUNT-1D"] == "1"
    assert headers["X-MBX-USED-WEIGHT-1M"] == "28"


def test_weight_budget_gives_429_with_retry_after_then_418() -> None:
    # rate_limit="off": this test is about the exchange's answers, so the client's gate stands aside
    with LocalBinance(weight_limit=10, ban_after=2, ban_seconds=30) as exchange, \
            exchange.client(retry=RetryPolicy(max_retries=0), rate_limit="off") as client:
        client.market.depth("BTCUSDT")  # 5
        client.market.depth("BTCUSDT")  # 10
        with pytest.raises(RateLimitError) as info:
            client.market.depth("BTCUSDT")
        assert info.value.status_code == 429 and info.value.error_code == -1003
        assert info.value.error_message.startswith("Too much request weight used; current limit is 10 request weight")
        assert info.value.retry_after is not None and 1 <= info.value.retry_after <= 60
        with pytest.raises(RateLimitError):
            client.market.ping()
        with pytest.raises(IPBannedError) as banned:
            client.market.ping()
        assert banned.value.status_code == 418 and banned.value.retry_after == 30
        assert "IP banned until" in banned.value.error_message


def test_order_rate_limit() -> None:
    with LocalBinance(orders_10s=2) as exchange, exchange.client() as client:
        _order(client)
        _order(client)
        with pytest.raises(RateLimitError) as info:
            _order(client)
        assert info.value.error_code == -1015


@pytest.mark.parametrize("kind", ["500", "503"])
def test_5xx_on_get_is_retried_then_server_error(exchange: LocalBinance, client: Client, kind: str) -> None:
    exchange.faults.next(5, kind, "/api/v3/depth")
    with pytest.raises(ServerError) as info:
        client.market.depth("BTCUSDT")
    assert info.value.status_code == int(kind)
    assert len(exchange.requests_to("/api/v3/depth")) == 3  # first try + 2 retries
    assert exchange.faults.count(kind) == 3


def test_a_transient_5xx_is_absorbed_by_the_retry(exchange: LocalBinance, client: Client) -> None:
    exchange.faults.next(1, 503, "/api/v3/time")
    assert client.market.time().server_time is not None
    assert len(exchange.requests_to("/api/v3/time")) == 2


def test_5xx_on_an_order_is_execution_status_unknown_and_not_retried(exchange: LocalBinance,
                                                                      client: Client) -> None:
    exchange.faults.next(1, 500, "POST /api/v3/order")
    with pytest.raises(ExecutionStatusUnknown) as info:
        _order(client)
    assert info.value.new_client_order_id
    assert len(exchange.requests_to("/api/v3/order", "POST")) == 1


def test_injected_429_and_418(exchange: LocalBinance, client: Client) -> None:
    exchange.faults.next(1, 429, "/api/v3/ping", retry_after=1)
    start = time.monotonic()
    client.market.ping()  # Retry-After 1 s is short: the client waits and retries
    assert time.monotonic() - start >= 0.9
    assert len(exchange.requests_to("/api/v3/ping")) == 2
    exchange.faults.next(1, 418, "/api/v3/ping", retry_after=120)
    with pytest.raises(IPBannedError) as info:
        client.market.ping()
    assert info.value.retry_after == 120


def test_html_page_is_a_clear_non_json_error(exchange: LocalBinance) -> None:
    exchange.faults.next(3, "html", "/api/v3/ping")
    with exchange.client(retry=RetryPolicy(max_retries=0)) as client, pytest.raises(NonJSONResponseError) as info:
        client.market.ping()
    assert info.value.status_code == 502 and "non-JSON" in str(info.value) and "Bad Gateway" in str(info.value)


def test_malformed_json_body(exchange: LocalBinance, client: Client) -> None:
    exchange.faults.next(1, "malformed_json", "/api/v3/time")
    from binance_typed.error import MalformedResponseError

    with pytest.raises(MalformedResponseError) as info:
        client.market.time()
    assert info.value.status_code == 200 and "unreadable response" in str(info.value)


def test_slow_answer_times_out(exchange: LocalBinance) -> None:
    exchange.faults.next(1, "slow", "/api/v3/time", delay=1.5)
    with exchange.client(timeout=0.3, retry=RetryPolicy(max_retries=0)) as client, \
            pytest.raises(RequestTimeoutError):
        client.market.time()


def test_slow_order_is_execution_status_unknown_and_can_be_looked_up(exchange: LocalBinance,
                                                                    client: Client) -> None:
    exchange.faults.next(1, "slow", "POST /api/v3/order", delay=0.8)
    with pytest.raises(ExecutionStatusUnknown) as info:
        _order(client)
    cid = info.value.new_client_order_id
    time.sleep(0.8)  # the server places the order after its delay
    found = exchange.call("GET", "/api/v3/order", {"symbol": "BTCUSDT", "origClientOrderId": cid}, signed=True)
    assert found.json()["clientOrderId"] == cid


def test_drop_on_get_is_retried_then_transport_error(exchange: LocalBinance, client: Client) -> None:
    exchange.faults.next(3, "drop", "/api/v3/ping")
    with pytest.raises(TransportError):
        client.market.ping()
    assert exchange.faults.count("drop") == 3


def test_drop_on_new_order_is_execution_status_unknown(exchange: LocalBinance, client: Client) -> None:
    exchange.faults.next(1, "drop", "POST /api/v3/order", execute=True)
    with pytest.raises(ExecutionStatusUnknown) as info:
        _order(client)
    assert len(exchange.requests_to("/api/v3/order", "POST")) == 1  # never resent
    rows = exchange.call("GET", "/api/v3/openOrders", {"symbol": "BTCUSDT"}, signed=True).json()
    assert [r["clientOrderId"] for r in rows] == [info.value.new_client_order_id]


def test_faults_only_hit_matching_requests(exchange: LocalBinance, client: Client) -> None:
    exchange.faults.next(1, 500, "/api/v3/depth")
    client.market.time()
    assert exchange.faults.log == [] and len(exchange.faults.pending) == 1
    with pytest.raises(ValueError):
        exchange.faults.next(1, "explode")
