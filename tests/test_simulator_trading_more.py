"""LocalBinance's cancel-replace, keep-priority amendments, OTO/OTOCO/OPO lists and SOR, through the real Client."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from typing import Any

import pytest

from binance_typed import Client
from binance_typed.error import ClientError
from binance_typed.models.trade import (
    CancelReplaceFailure,
    ErrorPayload,
    OrderCommissionRates,
    OrderFull,
    OrderResult,
    PendingOrder,
    TestOrderAccepted,
)
from binance_typed.testing import LocalBinance
from binance_typed.testing._exchange import OrderRequest

MAKER = 0  # the market-maker account of the simulator


@pytest.fixture
def exchange() -> Iterator[LocalBinance]:
    with LocalBinance(levels=2) as ex:  # a thin book: asks 60012 (0.25), 60024 (0.3125); bids 59988, 59976
        yield ex


@pytest.fixture
def client(exchange: LocalBinance) -> Iterator[Client]:
    with exchange.client(timeout=5) as c:
        yield c


@pytest.fixture
def events(exchange: LocalBinance) -> list[dict[str, Any]]:
    """The test account's user data events, as the engine publishes them."""
    seen: list[dict[str, Any]] = []
    exchange.engine.user_listeners.append(lambda account, event: seen.append(event) if account == 1 else None)
    return seen


def maker_order(exchange: LocalBinance, side: str, qty: str, price: str, tif: str = "GTC") -> None:
    """An order of the market-maker account (the counterparty of the test account)."""
    exchange.engine.place(MAKER, OrderRequest("BTCUSDT", side, "LIMIT", D(qty), price=D(price), time_in_force=tif))


def sweep_to(exchange: LocalBinance, side: str, price: str, qty: str) -> None:
    """A market-maker order taking every better level, then ``qty`` at ``price``."""
    book = exchange.engine.books["BTCUSDT"]
    levels = book.levels("BUY" if side == "SELL" else "SELL", 100)
    better = sum((q for p, q in levels if (p > D(price) if side == "SELL" else p < D(price))), D(0))
    maker_order(exchange, side, str(better + D(qty)), price)


def rest_buy(client: Client, qty: str = "0.1", price: str = "50000", **kw: Any) -> OrderResult:
    order = client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=D(qty), price=D(price),
                                   newOrderRespType="RESULT", **kw)
    assert isinstance(order, OrderResult)
    return order


# -- cancel-replace -----------------------------------------------------------------------------
def test_cancel_replace_success(exchange: LocalBinance, client: Client, events: list[dict[str, Any]]) -> None:
    old = rest_buy(client)
    reply = client.trade.cancel_replace_order("BTCUSDT", "BUY", "LIMIT", "STOP_ON_FAILURE", cancelOrderId=old.order_id,
                                              timeInForce="GTC", quantity=D("0.2"), price=D("51000"),
                                              newOrderRespType="RESULT", cancelNewClientOrderId="cxl-1")
    assert (reply.cancel_result, reply.new_order_result) == ("SUCCESS", "SUCCESS")
    cancel = reply.cancel_response
    assert cancel.status == "CANCELED" and cancel.orig_client_order_id == old.client_order_id
    assert cancel.client_order_id == "cxl-1" and cancel.orig_qty == D("0.1")
    new = reply.new_order_response
    assert new.status == "NEW" and new.orig_qty == D("0.2") and new.price == D("51000")
    assert exchange.balances()["USDT"] == (D("100000") - D("10200"), D("10200"))
    assert [(e.get("x"), e.get("X")) for e in events if e["e"] == "executionReport"][-2:] == [
        ("CANCELED", "CANCELED"), ("NEW", "NEW")]
    full = client.trade.cancel_replace_order("BTCUSDT", "BUY", "LIMIT", "ALLOW_FAILURE",
                                             cancelOrigClientOrderId=new.client_order_id, timeInForce="GTC",
                                             quantity=D("0.1"), price=D("60100"))
    assert isinstance(full.new_order_response, OrderFull) and full.new_order_response.status == "FILLED"
    assert [f.price for f in full.new_order_response.fills] == [D("60012")]


def test_cancel_replace_stop_on_failure_does_not_place(client: Client) -> None:
    with pytest.raises(ClientError) as caught:
        client.trade.cancel_replace_order("BTCUSDT", "BUY", "LIMIT", "STOP_ON_FAILURE", cancelOrderId=999,
                                          timeInForce="GTC", quantity=D("0.1"), price=D("50000"))
    error = caught.value
    assert (error.status_code, error.error_code, error.error_message) == (400, -2022, "Order cancel-replace failed.")
    failure = CancelReplaceFailure.from_error(error)
    assert failure is not None and failure.new_order_result == "NOT_ATTEMPTED" and failure.new_order_response is None
    assert failure.cancel_response == ErrorPayload(code=-2011, msg="Unknown order sent.")
    assert client.account.get_open_orders(symbol="BTCUSDT") == []


def test_cancel_replace_partial_failures(exchange: LocalBinance, client: Client) -> None:
    # the cancel fails, ALLOW_FAILURE places the new order anyway: 409 -2021
    with pytest.raises(ClientError) as caught:
        client.trade.cancel_replace_order("BTCUSDT", "BUY", "LIMIT", "ALLOW_FAILURE", cancelOrderId=999,
                                          timeInForce="GTC", quantity=D("0.1"), price=D("50000"))
    assert (caught.value.status_code, caught.value.error_code) == (409, -2021)
    assert caught.value.error_message == "Order cancel-replace partially failed."
    failure = CancelReplaceFailure.from_error(caught.value)
    assert failure is not None and (failure.cancel_result, failure.new_order_result) == ("FAILURE", "SUCCESS")
    placed = failure.new_order_response
    assert isinstance(placed, OrderFull) and placed.status == "NEW" and placed.orig_qty == D("0.1")
    # the cancel succeeds, the new LIMIT_MAKER would take: 409 -2021 and the old order stays cancelled
    with pytest.raises(ClientError) as caught:
        client.trade.cancel_replace_order("BTCUSDT", "BUY", "LIMIT_MAKER", "STOP_ON_FAILURE",
                                          cancelOrderId=placed.order_id, quantity=D("0.1"), price=D("60100"))
    assert (caught.value.status_code, caught.value.error_code) == (409, -2021)
    failure = CancelReplaceFailure.from_error(caught.value)
    assert failure is not None and failure.cancel_result == "SUCCESS"
    assert failure.new_order_response == ErrorPayload(code=-2010, msg="Order would immediately match and take.")
    assert not isinstance(failure.cancel_response, ErrorPayload) and failure.cancel_response.status == "CANCELED"
    assert exchange.balances()["USDT"] == (D("100000"), D("0"))
    # both fail: 400 -2022
    with pytest.raises(ClientError) as caught:
        client.trade.cancel_replace_order("BTCUSDT", "BUY", "LIMIT_MAKER", "ALLOW_FAILURE",
                                          cancelOrderId=placed.order_id, quantity=D("0.1"), price=D("60100"))
    assert (caught.value.status_code, caught.value.error_code) == (400, -2022)
    failure = CancelReplaceFailure.from_error(caught.value)
    assert failure is not None and (failure.cancel_result, failure.new_order_result) == ("FAILURE", "FAILURE")


def test_cancel_replace_parameter_and_filter_errors(exchange: LocalBinance, client: Client) -> None:
    old = rest_buy(client)
    base = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "cancelReplaceMode": "STOP_ON_FAILURE",
            "timeInForce": "GTC", "quantity": "0.1", "price": "50000"}
    body = exchange.call("POST", "/api/v3/order/cancelReplace", base, signed=True).json()
    assert body == {"code": -1102, "msg": "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, "
                                          "but both were empty/null!"}
    bad_tick = {**base, "cancelOrderId": old.order_id, "price": "50000.001"}
    reply = exchange.call("POST", "/api/v3/order/cancelReplace", bad_tick, signed=True)
    assert reply.status_code == 400 and reply.json() == {"code": -1013, "msg": "Filter failure: PRICE_FILTER"}
    reply = exchange.call("POST", "/api/v3/order/cancelReplace", {**base, "cancelOrderId": old.order_id,
                                                                   "cancelReplaceMode": "NOPE"}, signed=True)
    assert reply.json()["code"] == -1130
    assert client.account.get_order("BTCUSDT", orderId=old.order_id).status == "NEW"  # untouched


# -- amend keep priority ------------------------------------------------------------------------
def test_amend_keeps_priority_and_releases_funds(exchange: LocalBinance, client: Client,
                                                 events: list[dict[str, Any]]) -> None:
    first = rest_buy(client, "0.3", "60000")
    second = rest_buy(client, "0.2", "60000")
    amended = client.trade.amend_order_keep_priority("BTCUSDT", D("0.1"), orderId=first.order_id,
                                                     newClientOrderId="smaller")
    order = amended.amended_order
    assert (order.order_id, order.qty, order.status) == (first.order_id, D("0.1"), "NEW")
    assert order.orig_client_order_id == first.client_order_id and order.client_order_id == "smaller"
    assert amended.list_status is None and amended.execution_id >= 1
    assert exchange.balances()["USDT"][1] == D("0.3") * 60000  # 0.1 + 0.2 still locked at 60000
    assert client.market.depth("BTCUSDT", limit=1).bids[0] == (D("60000"), D("0.3"))
    replaced = [e for e in events if e.get("x") == "REPLACED"]
    assert replaced and replaced[0]["q"] == "0.10000000" and replaced[0]["C"] == first.client_order_id
    maker_order(exchange, "SELL", "0.1", "60000", "IOC")  # the amended order is still first in the queue
    assert client.account.get_order("BTCUSDT", orderId=first.order_id).status == "FILLED"
    assert client.account.get_order("BTCUSDT", orderId=second.order_id).executed_qty == 0
    rows = client.account.order_amendments("BTCUSDT", first.order_id)
    assert [(r.orig_qty, r.new_qty, r.new_client_order_id) for r in rows] == [(D("0.3"), D("0.1"), "smaller")]
    assert rows[0].execution_id == amended.execution_id


def test_amend_errors(client: Client) -> None:
    order = rest_buy(client, "0.3")
    cases = [(D("0.3"), "The requested action would change no state; rejecting"),
             (D("0.4"), "Order amend (quantity increase) is not supported.")]
    for qty, msg in cases:
        with pytest.raises(ClientError) as caught:
            client.trade.amend_order_keep_priority("BTCUSDT", qty, orderId=order.order_id)
        assert (caught.value.error_code, caught.value.error_message) == (-2038, msg)
    with pytest.raises(ClientError) as caught:
        client.trade.amend_order_keep_priority("BTCUSDT", D("0.1"), orderId=123456)
    assert (caught.value.error_code, caught.value.error_message) == (-2038, "Unknown order sent.")
    with pytest.raises(ClientError) as caught:
        client.trade.amend_order_keep_priority("BTCUSDT", D("0.000001"), orderId=order.order_id)
    assert (caught.value.error_code, caught.value.error_message) == (-1013, "Filter failure: LOT_SIZE")
    with pytest.raises(ClientError) as caught:
        client.account.order_amendments("BTCUSDT", 123456)
    assert caught.value.error_code == -2013


# -- OTO / OTOCO / OPO --------------------------------------------------------------------------
def test_oto_pending_order_is_placed_when_the_working_order_fills(exchange: LocalBinance, client: Client,
                                                                  events: list[dict[str, Any]]) -> None:
    placed = client.trade.new_order_list_oto(
        "BTCUSDT", "LIMIT", "BUY", D("59000"), D("0.1"), "LIMIT_MAKER", "SELL", pendingQuantity=D("0.1"),
        workingTimeInForce="GTC", pendingPrice=D("65000"), listClientOrderId="my-oto")
    assert (placed.contingency_type, placed.list_status_type, placed.list_order_status) == (
        "OTO", "EXEC_STARTED", "EXECUTING")
    working, pending = placed.order_reports
    assert isinstance(working, OrderResult) and working.status == "NEW" and working.orig_qty == D("0.1")
    assert isinstance(pending, OrderResult) and pending.status == "PENDING_NEW" and pending.price == D("65000")
    assert [o.order_id for o in placed.orders] == [working.order_id, pending.order_id]
    assert [lst.order_list_id for lst in client.account.get_open_order_lists()] == [placed.order_list_id]
    status = [e for e in events if e["e"] == "listStatus"]
    assert status and (status[0]["c"], status[0]["l"], status[0]["C"]) == ("OTO", "EXEC_STARTED", "my-oto")
    sweep_to(exchange, "SELL", "59000", "0.1")
    assert client.account.get_order("BTCUSDT", orderId=working.order_id).status == "FILLED"
    now_pending = client.account.get_order("BTCUSDT", orderId=pending.order_id)
    assert now_pending.status == "NEW" and now_pending.is_working
    assert exchange.balances()["BTC"][1] == D("0.1")  # the pending LIMIT_MAKER sell locks what was bought
    cancelled = client.trade.cancel_order_list("BTCUSDT", orderListId=placed.order_list_id)
    assert cancelled.list_order_status == "ALL_DONE"
    assert [r.status for r in cancelled.order_reports] == ["FILLED", "CANCELED"]
    assert client.account.get_open_order_lists() == []
    assert [e["l"] for e in events if e["e"] == "listStatus"][-1] == "ALL_DONE"
    every = client.account.get_all_order_lists()
    assert [(x.order_list_id, x.list_client_order_id, x.contingency_type) for x in every] == [
        (placed.order_list_id, "my-oto", "OTO")]


def test_oto_filled_at_once_reports_pending_new_then_places_it(exchange: LocalBinance, client: Client) -> None:
    placed = client.trade.new_order_list_oto(
        "BTCUSDT", "LIMIT", "BUY", D("60100"), D("0.1"), "MARKET", "SELL", pendingQuantity=D("0.1"),
        workingTimeInForce="GTC", newOrderRespType="FULL")
    working, pending = placed.order_reports
    assert isinstance(working, OrderFull) and working.status == "FILLED" and working.fills[0].price == D("60012")
    assert isinstance(pending, OrderFull) and pending.status == "PENDING_NEW" and pending.fills == []
    after = client.account.get_order("BTCUSDT", orderId=pending.order_id)
    assert after.status == "FILLED" and after.cummulative_quote_qty == D("0.1") * 59988
    assert client.account.get_order_list(orderListId=placed.order_list_id).list_order_status == "ALL_DONE"


def test_otoco_pair_behaves_as_an_oco_once_placed(exchange: LocalBinance, client: Client) -> None:
    placed = client.trade.new_order_list_otoco(
        "BTCUSDT", "LIMIT", "BUY", D("60100"), D("0.1"), "SELL", "LIMIT_MAKER", pendingQuantity=D("0.1"),
        workingTimeInForce="GTC", pendingAbovePrice=D("61000"), pendingBelowType="STOP_LOSS_LIMIT",
        pendingBelowStopPrice=D("59000"), pendingBelowPrice=D("58900"), pendingBelowTimeInForce="GTC")
    assert placed.contingency_type == "OTO" and len(placed.orders) == 3
    statuses = [r.status for r in placed.order_reports if isinstance(r, OrderResult)]
    assert statuses == ["FILLED", "PENDING_NEW", "PENDING_NEW"]
    above, below = (client.account.get_order("BTCUSDT", orderId=o.order_id) for o in placed.orders[1:])
    assert (above.status, above.type, below.status, below.type) == ("NEW", "LIMIT_MAKER", "NEW", "STOP_LOSS_LIMIT")
    assert exchange.balances()["BTC"][1] == D("0.1")  # one lock for the pair
    sweep_to(exchange, "BUY", "61000", "0.1")  # takes the cheaper asks, then the above leg
    above, below = (client.account.get_order("BTCUSDT", orderId=o.order_id) for o in placed.orders[1:])
    assert (above.status, below.status) == ("FILLED", "EXPIRED")
    assert exchange.balances()["BTC"][1] == 0
    assert client.account.get_order_list(orderListId=placed.order_list_id).list_status_type == "ALL_DONE"


def test_opo_pending_quantity_is_what_the_working_order_received(exchange: LocalBinance, client: Client) -> None:
    placed = client.trade.new_order_list_opo("BTCUSDT", "LIMIT", "BUY", D("59000"), D("0.1"), "LIMIT", "SELL",
                                             workingTimeInForce="GTC", pendingPrice=D("65000"),
                                             pendingTimeInForce="GTC")
    pending = placed.order_reports[1]
    assert isinstance(pending, PendingOrder) and pending.orig_qty is None and pending.status == "PENDING_NEW"
    with pytest.raises(ClientError) as caught:
        client.trade.amend_order_keep_priority("BTCUSDT", D("0.05"), orderId=pending.order_id)
    assert caught.value.error_message == "Order amend (pending OPO order) is not supported."
    sweep_to(exchange, "SELL", "59000", "0.1")
    after = client.account.get_order("BTCUSDT", orderId=pending.order_id)
    assert after.status == "NEW" and after.orig_qty == D("0.0999")  # 0.1 less the 0.1% commission


def test_order_list_errors(exchange: LocalBinance) -> None:
    base = {"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": "BUY", "workingPrice": "59000",
            "workingQuantity": "0.1", "pendingType": "LIMIT", "pendingSide": "SELL", "pendingQuantity": "0.1",
            "pendingPrice": "65000", "pendingTimeInForce": "GTC"}
    body = exchange.call("POST", "/api/v3/orderList/oto", base, signed=True).json()
    assert body == {"code": -1102, "msg": "Mandatory parameter 'workingTimeInForce' was not sent, was empty/null, "
                                          "or malformed."}
    body = exchange.call("POST", "/api/v3/orderList/oto", {**base, "workingTimeInForce": "GTC",
                                                            "pendingType": "SPOT"}, signed=True).json()
    assert body == {"code": -1116, "msg": "Invalid orderType."}
    body = exchange.call("POST", "/api/v3/orderList/oto", {**base, "workingTimeInForce": "GTC",
                                                            "pendingQuantity": "0.0000001"}, signed=True).json()
    assert body == {"code": -1013, "msg": "Filter failure: LOT_SIZE"}
    opo = {k: v for k, v in base.items() if k != "pendingQuantity"}
    body = exchange.call("POST", "/api/v3/orderList/opo", {**opo, "workingTimeInForce": "GTC", "workingSide": "SELL",
                                                            "pendingSide": "BUY"}, signed=True).json()
    assert body == {"code": -1222, "msg": "Working order in an OPO list must be a bid."}
    assert exchange.call("GET", "/api/v3/openOrderList", signed=True).json() == []


def test_deprecated_oco(exchange: LocalBinance, client: Client, events: list[dict[str, Any]]) -> None:
    placed = client.trade.new_oco_deprecated("BTCUSDT", "SELL", D("0.1"), D("61000"), D("59000"),
                                             stopLimitPrice=D("58900"), stopLimitTimeInForce="GTC",
                                             limitClientOrderId="lim", stopClientOrderId="stp")
    assert placed.contingency_type == "OCO" and placed.list_order_status == "EXECUTING"
    reports = {r.client_order_id: r for r in placed.order_reports if isinstance(r, OrderResult)}
    assert (reports["lim"].type, reports["lim"].price) == ("LIMIT_MAKER", D("61000"))
    assert (reports["stp"].type, reports["stp"].stop_price, reports["stp"].price) == (
        "STOP_LOSS_LIMIT", D("59000"), D("58900"))
    assert [e["c"] for e in events if e["e"] == "listStatus"] == ["OCO"]
    with pytest.raises(ClientError) as caught:
        client.trade.new_oco_deprecated("BTCUSDT", "SELL", D("0.1"), D("59500"), D("59000"))
    assert (caught.value.error_code, caught.value.error_message) == (
        -2010, "The relationship of the prices for the orders is not correct.")


# -- SOR ----------------------------------------------------------------------------------------
def test_sor_order_fills_with_allocations(exchange: LocalBinance, client: Client, events: list[dict[str, Any]]) -> None:
    order = client.trade.new_sor_order("BTCUSDT", "BUY", "MARKET", D("0.3"))
    assert isinstance(order, OrderFull) and order.status == "FILLED" and order.executed_qty == D("0.3")
    assert order.used_sor is True and order.working_floor == "SOR"
    assert [(f.price, f.qty, f.trade_id, f.match_type) for f in order.fills] == [
        (D("60012"), D("0.25"), -1, "ONE_PARTY_TRADE_REPORT"), (D("60024"), D("0.05"), -1, "ONE_PARTY_TRADE_REPORT")]
    assert [f.alloc_id for f in order.fills] == [0, 1]
    rows = client.account.my_allocations("BTCUSDT")
    assert [(r.allocation_id, r.allocation_type, r.qty, r.is_buyer, r.is_allocator) for r in rows] == [
        (0, "SOR", D("0.25"), True, False), (1, "SOR", D("0.05"), True, False)]
    assert rows[0].commission == D("0.00025") and rows[0].commission_asset == "BTC"
    assert [r.allocation_id for r in client.account.my_allocations("BTCUSDT", fromAllocationId=1)] == [1]
    assert client.account.my_allocations("BTCUSDT", orderId=order.order_id + 1) == []
    assert any(e.get("uS") is True and e.get("k") == "SOR" for e in events if e["e"] == "executionReport")
    resting = client.trade.new_sor_order("BTCUSDT", "SELL", "LIMIT", D("0.1"), timeInForce="GTC", price=D("65000"),
                                         newOrderRespType="RESULT")
    assert resting.status == "NEW" and resting.used_sor is True


def test_sor_test_orders_and_errors(exchange: LocalBinance, client: Client) -> None:
    assert isinstance(client.trade.test_new_sor_order("BTCUSDT", "BUY", "MARKET", D("0.1")), TestOrderAccepted)
    rates = client.trade.test_new_sor_order("BTCUSDT", "BUY", "MARKET", D("0.1"), computeCommissionRates=True)
    assert isinstance(rates, OrderCommissionRates) and rates.special_commission_for_order is None
    assert rates.standard_commission_for_order.taker == D("0.001")
    base = {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.1"}
    body = exchange.call("POST", "/api/v3/sor/order", {**base, "type": "STOP_LOSS"}, signed=True).json()
    assert body == {"code": -1116, "msg": "Invalid orderType."}
    body = exchange.call("POST", "/api/v3/sor/order", {**base, "quoteOrderQty": "10"}, signed=True).json()
    assert body["code"] == -1104
    body = exchange.call("POST", "/api/v3/sor/order", {**base, "type": "LIMIT", "quantity": "10", "price": "60000",
                                                        "timeInForce": "GTC"}, signed=True).json()
    assert body == {"code": -2010, "msg": "Account has insufficient balance for requested action."}
    assert client.account.my_allocations("BTCUSDT") == []


# -- WebSocket API ------------------------------------------------------------------------------
def test_the_same_operations_over_the_websocket_api(exchange: LocalBinance) -> None:
    from binance_typed.ws.api import SpotWebsocketAPIClient

    with SpotWebsocketAPIClient(exchange.api_key, exchange.api_secret, stream_url=exchange.ws_api_url,
                                return_rate_limits=False) as ws:
        old = ws.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=D("0.3"), price=D("50000"),
                                 newOrderRespType="RESULT")
        amended = ws.trade.amend_order_keep_priority("BTCUSDT", D("0.2"), orderId=old.order_id)
        assert amended.amended_order.qty == D("0.2")
        assert [r.new_qty for r in ws.account.order_amendments("BTCUSDT", old.order_id)] == [D("0.2")]
        replaced = ws.trade.cancel_replace_order("BTCUSDT", "BUY", "LIMIT", "STOP_ON_FAILURE",
                                                 cancelOrderId=old.order_id, timeInForce="GTC", quantity=D("0.1"),
                                                 price=D("51000"), newOrderRespType="ACK")
        assert replaced.cancel_response.orig_qty == D("0.2") and replaced.new_order_response.order_id > old.order_id
        with pytest.raises(ClientError) as caught:
            ws.trade.cancel_replace_order("BTCUSDT", "BUY", "LIMIT", "STOP_ON_FAILURE", cancelOrderId=old.order_id,
                                          timeInForce="GTC", quantity=D("0.1"), price=D("51000"))
        failure = CancelReplaceFailure.from_error(caught.value)
        assert caught.value.error_code == -2022 and failure is not None
        assert failure.cancel_response == ErrorPayload(code=-2011, msg="Unknown order sent.")
        oto = ws.trade.new_order_list_oto("BTCUSDT", "LIMIT", "BUY", D("59000"), D("0.1"), "LIMIT", "SELL",
                                          pendingQuantity=D("0.1"), workingTimeInForce="GTC",
                                          pendingPrice=D("65000"), pendingTimeInForce="GTC")
        assert oto.contingency_type == "OTO" and len(oto.order_reports) == 2
        sor = ws.trade.new_sor_order("BTCUSDT", "BUY", "MARKET", D("0.1"))
        assert isinstance(sor, OrderFull) and sor.fills[0].alloc_id == 0
        assert [a.order_id for a in ws.account.my_allocations("BTCUSDT")] == [sor.order_id]
