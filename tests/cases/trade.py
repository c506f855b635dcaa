"""Cases of ``client.trade``.

``CASES`` are successful calls replayed from cassettes by ``tests/test_rest_cassettes.py``.
``ERROR_CASES`` are the documented error answers (4XX, some with ``data``); they are replayed by
``tests/test_trade_errors.py``, which serves the example body with the case's status.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from binance_typed.models.trade import (
    CancelledOrder,
    CancelledOrderList,
    CancelReplaceResponse,
    OrderAck,
    OrderAmendment,
    OrderCommissionRates,
    OrderFull,
    OrderListResponse,
    OrderListResult,
    OrderResult,
    PendingOrder,
    TestOrderAccepted,
)

from . import Case


def _full(value: Any) -> None:
    assert type(value) is OrderFull
    assert value.fills[1].commission == Decimal("19.99500000")
    assert value.cummulative_quote_qty == Decimal("10.00000000")


def _rates(special: bool) -> Any:
    def check(value: Any) -> None:
        assert type(value) is OrderCommissionRates
        assert value.standard_commission_for_order.taker == Decimal("0.00000114")
        assert value.discount.discount == Decimal("0.25000000") and value.discount.enabled_for_symbol is True
        if special:
            assert value.special_commission_for_order.maker == Decimal("0.05000000")
        else:
            assert value.special_commission_for_order is None

    return check


def _cancelled(value: Any) -> None:
    assert type(value) is CancelledOrder
    assert value.orig_client_order_id == "myOrder1" and value.client_order_id == "cancelMyOrder1"
    assert value.price == Decimal("2.00000000") and value.status == "CANCELED"
    assert value.transact_time == datetime(2023, 5, 23, 1, 12, 30, 68000, tzinfo=timezone.utc)


def _cancel_all(value: Any) -> None:
    assert [type(v) for v in value] == [CancelledOrder, CancelledOrder, CancelledOrderList]
    order_list = value[2]
    assert order_list.contingency_type == "OCO" and order_list.orders[1].order_id == 21
    assert order_list.order_reports[0].iceberg_qty == Decimal("0.017083")
    assert order_list.order_reports[0].stop_price == Decimal("0.378131")


def _cancel_replace(value: Any) -> None:
    assert type(value) is CancelReplaceResponse
    assert value.cancel_result == "SUCCESS" and value.new_order_result == "SUCCESS"
    assert type(value.cancel_response) is CancelledOrder
    assert type(value.new_order_response) is OrderFull and value.new_order_response.fills == []
    assert value.new_order_response.orig_qty == Decimal("0.040000")


def _amended(in_list: bool) -> Any:
    def check(value: Any) -> None:
        assert type(value) is OrderAmendment
        assert value.amended_order.qty == Decimal("4.00000000" if in_list else "5.00000000")
        if in_list:
            assert value.list_status is not None and value.list_status.orders[1].order_id == 9
        else:
            assert value.list_status is None

    return check


def _order_list(cls: type, reports: list[type], contingency: str = "OTO") -> Any:
    def check(value: Any) -> None:
        assert type(value) is cls
        assert value.contingency_type == contingency
        assert [type(r) for r in value.order_reports] == reports
        assert len(value.orders) == len(reports)

    return check


def _sor(value: Any) -> None:
    assert type(value) is OrderFull
    assert value.used_sor is True and value.working_floor == "SOR"
    fill = value.fills[0]
    assert fill.match_type == "ONE_PARTY_TRADE_REPORT" and fill.alloc_id == 0 and fill.trade_id == -1
    assert fill.price == Decimal("28000.00000000")


def _cancelled_list(value: Any) -> None:
    assert type(value) is CancelledOrderList
    assert [type(r) for r in value.order_reports] == [CancelledOrder, CancelledOrder]
    assert value.order_reports[0].orig_client_order_id == "pO9ufTiFGg3nw2fOdgeOXa"


_LIMIT = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&newClientOrderId=bot-1"
_TEST_LIMIT = "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.00847000&price=23416.10000000"
_TEST_ARGS = {"timeInForce": "GTC", "price": "23416.10000000", "quantity": "0.00847000"}
_SOR_TEST = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1&price=0.1"
_ALLOW = "ALLOW_FAILURE"
_STOP = "STOP_ON_FAILURE"
_REPLACE = (
    "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.04&price=0.02"
    "&newClientOrderId=wOceeeOzNORyLiQfw7jd8S{resp}&cancelReplaceMode={mode}&cancelOrderId=9"
)
_REPLACE_KW: dict[str, Any] = {
    "timeInForce": "GTC", "quantity": "0.04", "price": "0.02", "newClientOrderId": "wOceeeOzNORyLiQfw7jd8S",
    "cancelOrderId": 9,
}

CASES = [
    # -- new_order
    Case("trade.new_order", "POST__api_v3_order__01_ACK.json",
         _LIMIT + "&newOrderRespType=ACK&recvWindow=5000", label="ack",
         args=("BTCUSDT", "BUY", "LIMIT"),
         kwargs={"timeInForce": "GTC", "quantity": 1, "price": "0.1", "newClientOrderId": "bot-1",
                 "newOrderRespType": "ACK"},
         check=lambda v: type(v) is OrderAck),
    Case("trade.new_order", "POST__api_v3_order__02_RESULT.json",
         _LIMIT + "&newOrderRespType=RESULT&recvWindow=5000", label="result",
         args=("BTCUSDT", "BUY", "LIMIT"),
         kwargs={"timeInForce": "GTC", "quantity": Decimal("1"), "price": 0.1, "newClientOrderId": "bot-1",
                 "newOrderRespType": "RESULT"},
         check=lambda v: type(v) is OrderResult),
    Case("trade.new_order", "POST__api_v3_order__03_FULL.json",
         "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=10&newClientOrderId=bot-2&recvWindow=5000",
         label="full", args=("BTCUSDT", "SELL", "MARKET"),
         kwargs={"quantity": 10, "newClientOrderId": "bot-2"}, check=_full),
    # -- test_new_order
    Case("trade.test_new_order", "POST__api_v3_order_test__01_Without_computeCommissionRates.json",
         _TEST_LIMIT + "&recvWindow=5000", label="empty",
         args=("BTCUSDT", "SELL", "LIMIT"), kwargs=_TEST_ARGS,
         check=lambda v: type(v) is TestOrderAccepted),
    Case("trade.test_new_order", "POST__api_v3_order_test__02_With_computeCommissionRates.json",
         _TEST_LIMIT + "&computeCommissionRates=true&recvWindow=5000", label="commission",
         args=("BTCUSDT", "SELL", "LIMIT"), kwargs={**_TEST_ARGS, "computeCommissionRates": True},
         check=_rates(special=True)),
    # -- cancels
    Case("trade.cancel_order", "DELETE__api_v3_order__01_single.json",
         "symbol=LTCBTC&origClientOrderId=myOrder1&newClientOrderId=cancelMyOrder1&recvWindow=5000",
         args=("LTCBTC",), kwargs={"origClientOrderId": "myOrder1", "newClientOrderId": "cancelMyOrder1"},
         check=_cancelled),
    Case("trade.cancel_open_orders", "DELETE__api_v3_openOrders.json", "symbol=BTCUSDT&recvWindow=5000",
         args=("BTCUSDT",), check=_cancel_all),
    Case("trade.cancel_replace_order",
         "POST__api_v3_order_cancelReplace__01_SUCCESS_and_account_has_not_exceeded_the.json",
         _REPLACE.format(mode=_STOP, resp="") + "&recvWindow=5000", label="success",
         args=("BTCUSDT", "BUY", "LIMIT", "STOP_ON_FAILURE"), kwargs=_REPLACE_KW, check=_cancel_replace),
    Case("trade.amend_order_keep_priority", "PUT__api_v3_order_amend_keepPriority__01_Response_for_a_single_order.json",
         "symbol=BTCUSDT&orderId=33&newQty=5&recvWindow=5000", label="single",
         args=("BTCUSDT", 5), kwargs={"orderId": 33}, check=_amended(in_list=False)),
    Case("trade.amend_order_keep_priority",
         "PUT__api_v3_order_amend_keepPriority__02_Response_for_an_order_that_is_part_of_an_Order.json",
         "symbol=BTCUSDT&origClientOrderId=W0fJ9fiLKHOJutovPK3oJp&newQty=4.0&recvWindow=5000", label="in_list",
         args=("BTCUSDT", 4.0), kwargs={"origClientOrderId": "W0fJ9fiLKHOJutovPK3oJp"},
         check=_amended(in_list=True)),
    # -- order lists
    Case("trade.new_oco_deprecated", "POST__api_v3_order_oco.json",
         "symbol=LTCBTC&listClientOrderId=JYVpp3F0f5CAG15DhtrqLp&side=BUY&quantity=0.624363&price=0.036435"
         "&stopPrice=0.960664&newOrderRespType=RESULT&recvWindow=5000",
         args=("LTCBTC", "BUY", "0.624363", "0.036435", "0.960664"),
         kwargs={"listClientOrderId": "JYVpp3F0f5CAG15DhtrqLp", "newOrderRespType": "RESULT"},
         check=_order_list(OrderListResult, [OrderResult, OrderResult], "OCO")),
    Case("trade.new_order_list_oco", "POST__api_v3_orderList_oco.json",
         "symbol=LTCBTC&listClientOrderId=lH1YDkuQKWiXVXHPSKYEIp&side=SELL&quantity=5&aboveType=LIMIT_MAKER"
         "&abovePrice=3&belowType=STOP_LOSS_LIMIT&belowIcebergQty=1&belowPrice=1&belowStopPrice=1"
         "&belowTimeInForce=GTC&recvWindow=5000",
         args=("LTCBTC", "SELL", 5, "LIMIT_MAKER", "STOP_LOSS_LIMIT"),
         kwargs={"listClientOrderId": "lH1YDkuQKWiXVXHPSKYEIp", "abovePrice": 3, "belowPrice": 1,
                 "belowStopPrice": 1, "belowTimeInForce": "GTC", "belowIcebergQty": 1},
         check=_order_list(OrderListResponse, [OrderResult, OrderResult], "OCO")),
    Case("trade.new_order_list_oto", "POST__api_v3_orderList_oto.json",
         "symbol=LTCBTC&listClientOrderId=yl2ERtcar1o25zcWtqVBTC&workingType=LIMIT&workingSide=SELL"
         "&workingPrice=1&workingQuantity=1&workingTimeInForce=GTC&pendingType=MARKET&pendingSide=BUY"
         "&pendingQuantity=5&recvWindow=5000",
         args=("LTCBTC", "LIMIT", "SELL", 1, 1, "MARKET", "BUY", 5),
         kwargs={"listClientOrderId": "yl2ERtcar1o25zcWtqVBTC", "workingTimeInForce": "GTC"},
         check=_order_list(OrderListResponse, [OrderResult, OrderResult])),
    Case("trade.new_order_list_otoco", "POST__api_v3_orderList_otoco.json",
         "symbol=LTCBTC&listClientOrderId=RumwQpBaDctlUu5jyG5rs0&workingType=LIMIT&workingSide=SELL"
         "&workingPrice=1&workingQuantity=1&workingTimeInForce=GTC&pendingSide=BUY"
         "&pendingAboveType=STOP_LOSS_LIMIT&pendingAbovePrice=1&pendingAboveStopPrice=6"
         "&pendingAboveTimeInForce=IOC&pendingBelowType=LIMIT_MAKER&pendingBelowPrice=3&pendingQuantity=5"
         "&recvWindow=5000",
         args=("LTCBTC", "LIMIT", "SELL", 1, 1, "BUY", "STOP_LOSS_LIMIT", 5),
         kwargs={"listClientOrderId": "RumwQpBaDctlUu5jyG5rs0", "workingTimeInForce": "GTC",
                 "pendingAbovePrice": 1, "pendingAboveStopPrice": 6, "pendingAboveTimeInForce": "IOC",
                 "pendingBelowType": "LIMIT_MAKER", "pendingBelowPrice": 3},
         check=_order_list(OrderListResponse, [OrderResult, OrderResult, OrderResult])),
    Case("trade.new_order_list_opo", "POST__api_v3_orderList_opo.json",
         "symbol=BTCUSDT&listClientOrderId=H94qCqO27P74OEiO4X8HOG&workingType=LIMIT&workingSide=BUY"
         "&workingPrice=102264&workingQuantity=0.0006&workingTimeInForce=GTC&pendingType=MARKET"
         "&pendingSide=SELL&recvWindow=5000",
         args=("BTCUSDT", "LIMIT", "BUY", 102264, "0.0006", "MARKET", "SELL"),
         kwargs={"listClientOrderId": "H94qCqO27P74OEiO4X8HOG", "workingTimeInForce": "GTC"},
         check=_order_list(OrderListResponse, [OrderResult, PendingOrder])),
    Case("trade.new_order_list_opoco", "POST__api_v3_orderList_opoco.json",
         "symbol=BTCUSDT&listClientOrderId=bcedxMpQG6nFrZUPQyshoL&workingType=LIMIT&workingSide=BUY"
         "&workingPrice=102496&workingQuantity=0.0017&workingTimeInForce=GTC&pendingSide=SELL"
         "&pendingAboveType=LIMIT_MAKER&pendingAbovePrice=104261&pendingBelowType=STOP_LOSS_LIMIT"
         "&pendingBelowPrice=101613&pendingBelowStopPrice=10100&pendingBelowTimeInForce=IOC&recvWindow=5000",
         args=("BTCUSDT", "LIMIT", "BUY", "102496", "0.0017", "SELL", "LIMIT_MAKER"),
         kwargs={"listClientOrderId": "bcedxMpQG6nFrZUPQyshoL", "workingTimeInForce": "GTC",
                 "pendingAbovePrice": "104261", "pendingBelowType": "STOP_LOSS_LIMIT",
                 "pendingBelowPrice": "101613", "pendingBelowStopPrice": "10100", "pendingBelowTimeInForce": "IOC"},
         check=_order_list(OrderListResponse, [OrderResult, PendingOrder, PendingOrder])),
    Case("trade.cancel_order_list", "DELETE__api_v3_orderList.json",
         "symbol=LTCBTC&orderListId=0&newClientOrderId=unfWT8ig8i0uj6lPuYLez6&recvWindow=5000",
         args=("LTCBTC",), kwargs={"orderListId": 0, "newClientOrderId": "unfWT8ig8i0uj6lPuYLez6"},
         check=_cancelled_list),
    # -- SOR
    Case("trade.new_sor_order", "POST__api_v3_sor_order.json",
         "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=31000"
         "&newClientOrderId=sBI1KM6nNtOfj5tccZSKly&recvWindow=5000",
         args=("BTCUSDT", "BUY", "LIMIT", 0.5),
         kwargs={"timeInForce": "GTC", "price": 31000, "newClientOrderId": "sBI1KM6nNtOfj5tccZSKly"},
         check=_sor),
    Case("trade.test_new_sor_order", "POST__api_v3_sor_order_test__01_Without_computeCommissionRates.json",
         _SOR_TEST + "&recvWindow=5000", label="empty",
         args=("BTCUSDT", "BUY", "LIMIT", 0.1), kwargs={"timeInForce": "GTC", "price": 0.1},
         check=lambda v: type(v) is TestOrderAccepted),
    Case("trade.test_new_sor_order", "POST__api_v3_sor_order_test__02_With_computeCommissionRates.json",
         _SOR_TEST + "&computeCommissionRates=true&recvWindow=5000", label="commission",
         args=("BTCUSDT", "BUY", "LIMIT", 0.1),
         kwargs={"timeInForce": "GTC", "price": 0.1, "computeCommissionRates": True},
         check=_rates(special=False)),
]

ERROR_CASES = [
    Case("trade.cancel_order", "DELETE__api_v3_order__02_error_1145.json",
         "symbol=LTCBTC&orderId=4&cancelRestrictions=ONLY_NEW&recvWindow=5000", label="error_1145", status=400,
         args=("LTCBTC",), kwargs={"orderId": 4, "cancelRestrictions": "ONLY_NEW"}),
    Case("trade.cancel_order", "DELETE__api_v3_order__03_error_2011.json",
         "symbol=LTCBTC&orderId=4&cancelRestrictions=ONLY_PARTIALLY_FILLED&recvWindow=5000", label="error_2011",
         status=400, args=("LTCBTC",), kwargs={"orderId": 4, "cancelRestrictions": "ONLY_PARTIALLY_FILLED"}),
    Case("trade.cancel_replace_order",
         "POST__api_v3_order_cancelReplace__02_when_Cancel_Order_Fails_with_STOP_ON_FAILURE.json",
         _REPLACE.format(mode=_STOP, resp="") + "&recvWindow=5000", label="cancel_failed", status=400,
         args=("BTCUSDT", "BUY", "LIMIT", _STOP), kwargs=_REPLACE_KW),
    Case("trade.cancel_replace_order",
         "POST__api_v3_order_cancelReplace__03_when_Cancel_Order_Succeeds_but_New_Order.json",
         _REPLACE.format(mode=_STOP, resp="") + "&recvWindow=5000", label="new_order_failed", status=409,
         args=("BTCUSDT", "BUY", "LIMIT", _STOP), kwargs=_REPLACE_KW),
    Case("trade.cancel_replace_order",
         "POST__api_v3_order_cancelReplace__04_when_Cancel_Order_fails_with_ALLOW_FAILURE_and.json",
         _REPLACE.format(mode=_ALLOW, resp="&newOrderRespType=ACK") + "&recvWindow=5000", label="allow_failure", status=409,
         args=("BTCUSDT", "BUY", "LIMIT", _ALLOW), kwargs={**_REPLACE_KW, "newOrderRespType": "ACK"}),
    Case("trade.cancel_replace_order",
         "POST__api_v3_order_cancelReplace__05_when_both_Cancel_Order_and_New_Order_Placement.json",
         _REPLACE.format(mode=_ALLOW, resp="") + "&recvWindow=5000", label="both_failed", status=400,
         args=("BTCUSDT", "BUY", "LIMIT", _ALLOW), kwargs=_REPLACE_KW),
    Case("trade.cancel_replace_order", "POST__api_v3_order_cancelReplace__06_error_1015.json",
         _REPLACE.format(mode=_STOP, resp="") + "&orderRateLimitExceededMode=DO_NOTHING&recvWindow=5000",
         label="error_1015", status=429,
         args=("BTCUSDT", "BUY", "LIMIT", _STOP), kwargs={**_REPLACE_KW, "orderRateLimitExceededMode": "DO_NOTHING"}),
    Case("trade.cancel_replace_order",
         "POST__api_v3_order_cancelReplace__07_when_using_orderRateLimitExceededMode_CANCEL.json",
         _REPLACE.format(mode=_ALLOW, resp="") + "&orderRateLimitExceededMode=CANCEL_ONLY&recvWindow=5000",
         label="cancel_only", status=409,
         args=("BTCUSDT", "BUY", "LIMIT", _ALLOW), kwargs={**_REPLACE_KW, "orderRateLimitExceededMode": "CANCEL_ONLY"}),
]
