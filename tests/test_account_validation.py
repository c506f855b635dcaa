"""``client.account``: parameter rules checked before sending, recvWindow, microsecond time unit."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import httpx
import pytest
from support import API_KEY, API_SECRET, TESTNET, assert_hmac_signed, example, unsigned_query

from binance_typed import AsyncClient, Client
from binance_typed.endpoints import account as ep
from binance_typed.error import ParameterRequiredError, ParameterValueError

UTC = timezone.utc
DAY_MS = 24 * 60 * 60 * 1000
T0 = 1_704_067_200_000  # 2024-01-01T00:00:00Z


def _never(request: httpx.Request) -> httpx.Response:
    pytest.fail(f"a request was sent: {request.method} {request.url}")


@pytest.fixture
def client() -> Any:
    with Client(API_KEY, API_SECRET, base_url=TESTNET, http_client=httpx.Client(transport=httpx.MockTransport(_never))) as c:
        yield c


REQUIRED: list[tuple[str, tuple[Any, ...], dict[str, Any], list[str]]] = [
    ("get_order", ("BTCUSDT",), {}, ["orderId", "origClientOrderId"]),
    ("get_order_list", (), {}, ["orderListId", "origClientOrderId"]),
    ("my_prevented_matches", ("BTCUSDT",), {}, ["preventedMatchId", "orderId"]),
    ("my_prevented_matches", ("BTCUSDT",), {"fromPreventedMatchId": 3}, ["preventedMatchId", "orderId"]),
]


@pytest.mark.parametrize(("method", "args", "kwargs", "names"), REQUIRED)
def test_one_of_several_ids_is_required(client: Client, method: str, args: Any, kwargs: Any, names: list[str]) -> None:
    with pytest.raises(ParameterRequiredError) as info:
        getattr(client.account, method)(*args, **kwargs)
    assert info.value.params == names
    assert all(n in str(info.value) for n in names)


@pytest.mark.parametrize(
    "params",
    [ep.GetOrderParams, ep.AllOrdersParams, ep.MyTradesParams, ep.PreventedMatchesParams, ep.MyAllocationsParams,
     ep.SymbolParams],
)
def test_missing_symbol(params: Any) -> None:
    with pytest.raises(ParameterRequiredError) as info:
        params.build(orderId=1) if "orderId" in params.model_fields else params.build()
    assert info.value.params == ["symbol"]


def test_order_amendments_needs_order_id(client: Client) -> None:
    with pytest.raises(TypeError):
        client.account.order_amendments("BTCUSDT")  # type: ignore[call-arg]
    with pytest.raises(ParameterRequiredError) as info:
        ep.OrderAmendmentsParams.build(symbol="BTCUSDT")
    assert info.value.params == ["orderId"]


INVALID: list[tuple[str, tuple[Any, ...], dict[str, Any], str]] = [
    # myTrades: symbol alone, + orderId, + startTime, + endTime, + fromId, + both times, + orderId + fromId
    ("my_trades", ("BNBBTC",), {"orderId": 1, "startTime": T0}, "startTime"),
    ("my_trades", ("BNBBTC",), {"orderId": 1, "endTime": T0}, "endTime"),
    ("my_trades", ("BNBBTC",), {"fromId": 1, "startTime": T0}, "startTime"),
    ("my_trades", ("BNBBTC",), {"fromId": 1, "startTime": T0, "endTime": T0 + 1}, "startTime"),
    ("my_trades", ("BNBBTC",), {"startTime": T0, "endTime": T0 + DAY_MS + 1}, "endTime"),
    ("my_trades", ("BNBBTC",), {"limit": 1001}, "limit"),
    ("my_trades", ("BNBBTC",), {"limit": 0}, "limit"),
    # myPreventedMatches: preventedMatchId | orderId [+ fromPreventedMatchId [+ limit]]
    ("my_prevented_matches", ("BTCUSDT",), {"preventedMatchId": 1, "orderId": 2}, "orderId"),
    ("my_prevented_matches", ("BTCUSDT",), {"preventedMatchId": 1, "fromPreventedMatchId": 2}, "fromPreventedMatchId"),
    ("my_prevented_matches", ("BTCUSDT",), {"preventedMatchId": 1, "limit": 10}, "limit"),
    ("my_prevented_matches", ("BTCUSDT",), {"orderId": 1, "limit": 10}, "fromPreventedMatchId"),
    ("my_prevented_matches", ("BTCUSDT",), {"orderId": 1, "fromPreventedMatchId": 2, "limit": 1001}, "limit"),
    # allOrders / allOrderList / myAllocations
    ("get_all_orders", ("LTCBTC",), {"startTime": T0, "endTime": T0 + DAY_MS + 1}, "endTime"),
    ("get_all_orders", ("LTCBTC",), {"limit": 5000}, "limit"),
    ("get_all_order_lists", (), {"fromId": 1, "startTime": T0}, "startTime"),
    ("get_all_order_lists", (), {"fromId": 1, "endTime": T0}, "endTime"),
    ("get_all_order_lists", (), {"startTime": T0, "endTime": T0 + 2 * DAY_MS}, "endTime"),
    ("my_allocations", ("BTCUSDT",), {"startTime": T0, "orderId": 1}, "orderId"),
    ("my_allocations", ("BTCUSDT",), {"endTime": T0, "fromAllocationId": 1}, "fromAllocationId"),
    ("my_allocations", ("BTCUSDT",), {"startTime": T0, "endTime": T0 + DAY_MS + 1}, "endTime"),
    ("order_amendments", ("BTCUSDT", 1), {"limit": 1001}, "limit"),
    # ids are never negative; times are epochs or aware datetimes
    ("get_order", ("BTCUSDT",), {"orderId": -1}, "orderId"),
    ("get_all_orders", ("LTCBTC",), {"startTime": datetime(2024, 1, 1)}, "startTime"),
    ("get_all_orders", ("LTCBTC",), {"startTime": -5}, "startTime"),
]


@pytest.mark.parametrize(("method", "args", "kwargs", "param"), INVALID)
def test_invalid_combinations_and_values(client: Client, method: str, args: Any, kwargs: Any, param: str) -> None:
    with pytest.raises(ParameterValueError) as info:
        getattr(client.account, method)(*args, **kwargs)
    assert info.value.param == param


VALID: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("my_trades", ("BNBBTC",), {}),
    ("my_trades", ("BNBBTC",), {"orderId": 1}),
    ("my_trades", ("BNBBTC",), {"startTime": T0}),
    ("my_trades", ("BNBBTC",), {"endTime": T0}),
    ("my_trades", ("BNBBTC",), {"fromId": 1, "limit": 1000}),
    ("my_trades", ("BNBBTC",), {"startTime": T0, "endTime": T0 + DAY_MS}),
    ("my_trades", ("BNBBTC",), {"orderId": 1, "fromId": 2}),
    ("my_prevented_matches", ("BTCUSDT",), {"preventedMatchId": 1}),
    ("my_prevented_matches", ("BTCUSDT",), {"orderId": 1}),
    ("my_prevented_matches", ("BTCUSDT",), {"orderId": 1, "fromPreventedMatchId": 0}),
    ("my_allocations", ("BTCUSDT",), {"fromAllocationId": 0, "limit": 5, "orderId": 1}),
    ("my_allocations", ("BTCUSDT",), {"startTime": T0, "endTime": T0 + DAY_MS}),
    ("get_all_order_lists", (), {"startTime": T0, "endTime": T0 + DAY_MS}),
    ("get_all_orders", ("LTCBTC",), {"orderId": 3, "startTime": T0}),
    ("get_order", ("BTCUSDT",), {"orderId": 1, "origClientOrderId": "x"}),
    ("get_order_list", (), {"origClientOrderId": "x"}),
    # microsecond epochs: a 24-hour window is 86_400_000_000 µs
    ("my_trades", ("BNBBTC",), {"startTime": T0 * 1000, "endTime": (T0 + DAY_MS) * 1000}),
]


EXAMPLES = {
    "my_trades": "GET__api_v3_myTrades.json",
    "my_prevented_matches": "GET__api_v3_myPreventedMatches.json",
    "my_allocations": "GET__api_v3_myAllocations.json",
    "get_all_order_lists": "GET__api_v3_allOrderList.json",
    "get_all_orders": "GET__api_v3_allOrders.json",
    "get_order": "GET__api_v3_order.json",
    "get_order_list": "GET__api_v3_orderList.json",
}


@pytest.mark.parametrize(("method", "args", "kwargs"), VALID)
def test_documented_combinations_are_sent(method: str, args: Any, kwargs: Any) -> None:
    client, sent = _recording_client(example(f"rest/{EXAMPLES[method]}"))
    with client:
        getattr(client.account, method)(*args, **kwargs)
    assert len(sent) == 1
    assert_hmac_signed(sent[0])
    expected = "&".join(f"{k}={v}" for k, v in kwargs.items())
    assert unsigned_query(sent[0]).endswith(f"{expected}&recvWindow=5000".lstrip("&"))


def test_my_trades_span_exactly_24_hours_with_datetimes(client: Client) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    params = ep.MyTradesParams.build(symbol="BNBBTC", startTime=start, endTime=start + timedelta(days=1))
    assert params.endTime - params.startTime == DAY_MS  # type: ignore[operator]
    with pytest.raises(ParameterValueError):
        client.account.my_trades("BNBBTC", startTime=start, endTime=start + timedelta(days=1, milliseconds=1))


def test_validation_raises_before_sending_async() -> None:
    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(_never))
        async with AsyncClient(API_KEY, API_SECRET, base_url=TESTNET, http_client=http) as c:
            with pytest.raises(ParameterRequiredError):
                await c.account.get_order("BTCUSDT")
            with pytest.raises(ParameterValueError):
                await c.account.my_trades("BTCUSDT", orderId=1, startTime=T0)

    asyncio.run(run())


# -- recvWindow ---------------------------------------------------------------------------------
def _recording_client(body: Any, **options: Any) -> tuple[Client, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    return Client(API_KEY, API_SECRET, base_url=TESTNET, http_client=http, **options), sent


@pytest.mark.parametrize(("value", "wire"), [(6000.5, "6000.5"), ("6000.346", "6000.346"), (Decimal("60000"), "60000"), (1, "1")])
def test_per_call_recv_window(value: Any, wire: str) -> None:
    client, sent = _recording_client(example("rest/GET__api_v3_account.json"))
    with client:
        info = client.account.info(recvWindow=value)
    assert info.uid == 354937868
    assert unsigned_query(sent[0]) == f"recvWindow={wire}"
    assert_hmac_signed(sent[0])


def test_client_recv_window_is_the_default_and_a_call_overrides_it() -> None:
    client, sent = _recording_client([], recv_window=7000)
    with client:
        client.account.get_open_orders()
        client.account.get_open_orders(symbol="BTCUSDT", recvWindow=250.125)
    assert [unsigned_query(r) for r in sent] == ["recvWindow=7000", "symbol=BTCUSDT&recvWindow=250.125"]


@pytest.mark.parametrize("value", [60001, 60000.001, "6000.1234", 0, -1, "abc"])
def test_bad_recv_window_is_rejected(client: Client, value: Any) -> None:
    with pytest.raises(ParameterValueError) as info:
        client.account.info(recvWindow=value)
    assert info.value.param == "recvWindow"


# -- microsecond time unit ----------------------------------------------------------------------
def test_microsecond_time_unit_header_and_parsing() -> None:
    order = example("rest/GET__api_v3_order.json")
    order.update(time=1499827319559123, updateTime=1499827319559124, workingTime=1499827319559125)
    client, sent = _recording_client(order, time_unit="microsecond")
    with client:
        value = client.account.get_order("LTCBTC", origClientOrderId="myOrder1")
    assert sent[0].headers["X-MBX-TIME-UNIT"] == "MICROSECOND"
    assert unsigned_query(sent[0]) == "symbol=LTCBTC&origClientOrderId=myOrder1&recvWindow=5000"
    assert value.time == datetime(2017, 7, 12, 2, 41, 59, 559123, tzinfo=UTC)
    assert value.update_time.microsecond == 559124
    assert value.working_time is not None and value.working_time.microsecond == 559125


def test_microsecond_time_unit_async_trades() -> None:
    trades = example("rest/GET__api_v3_myTrades.json")
    trades[0]["time"] = 1499865549590999
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=trades)

    async def run() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with AsyncClient(API_KEY, API_SECRET, base_url=TESTNET, http_client=http, time_unit="MICROSECOND") as c:
            return await c.account.my_trades("BNBBTC", orderId=100234)

    (trade,) = asyncio.run(run())
    assert seen[0].headers["X-MBX-TIME-UNIT"] == "MICROSECOND"
    assert trade.time == datetime(2017, 7, 12, 13, 19, 9, 590999, tzinfo=UTC)
    assert trade.price == Decimal("4.00000100")


def test_millisecond_default_sends_no_time_unit_header() -> None:
    client, sent = _recording_client([])
    with client:
        client.account.rate_limit_order()
    assert "X-MBX-TIME-UNIT" not in sent[0].headers
