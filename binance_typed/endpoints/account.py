"""Account endpoints (``client.account``): balances, order queries, trades, limits (USER_DATA)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .._endpoint import Endpoint, Security
from .._params import Params, SignedParams, TimeParam
from ..error import ParameterValueError
from ..models.account import (
    AccountCommission,
    AccountInfo,
    AccountTrade,
    Allocation,
    MyFilters,
    Order,
    OrderAmendmentRecord,
    OrderList,
    PreventedMatch,
    UnfilledOrderCount,
)

Limit1000 = Annotated[int, Field(ge=1, le=1000)]
Id = Annotated[int, Field(ge=0)]

_DAY_MS = 24 * 60 * 60 * 1000
_MICROSECOND_EPOCH = 10**14
"""Epoch integers at or above this are microseconds (ms epochs have 13 digits, µs ones 16)."""


def _ms(value: int) -> int:
    return value // 1000 if value >= _MICROSECOND_EPOCH else value


def check_span(p: Params, limit_ms: int = _DAY_MS) -> None:
    """At most 24 hours between ``startTime`` and ``endTime`` (ms or µs epochs)."""
    start, end = getattr(p, "startTime", None), getattr(p, "endTime", None)
    if start is None or end is None:
        return
    if _ms(end) - _ms(start) > limit_ms:
        raise ParameterValueError("at most 24 hours may lie between startTime and endTime", "endTime")


# -- account ------------------------------------------------------------------------------------
class AccountInfoParams(SignedParams):
    omitZeroBalances: bool | None = None


INFO = Endpoint(
    group="account", name="info", verb="GET", path="/api/v3/account", security=Security.SIGNED,
    params=AccountInfoParams, response=AccountInfo, weight=20, ws_method="account.status",
    summary="Account information: permissions, commission rates and balances.",
    extra_doc="omitZeroBalances=True leaves out the assets whose free and locked amounts are zero.",
)


# -- orders -------------------------------------------------------------------------------------
class GetOrderParams(SignedParams):
    symbol: str
    orderId: Id | None = None
    origClientOrderId: str | None = None

    def check(self) -> None:
        self.require_any("orderId", "origClientOrderId")


GET_ORDER = Endpoint(
    group="account", name="get_order", verb="GET", path="/api/v3/order", security=Security.SIGNED,
    params=GetOrderParams, response=Order, weight=4, ws_method="order.status",
    summary="Look up one order's current state.",
    extra_doc="Send orderId or origClientOrderId. With both, the order found by orderId must also\n"
    "carry that client order id, or Binance rejects the request.",
)


class OpenOrdersParams(SignedParams):
    symbol: str | None = None


def open_orders_weight(params: OpenOrdersParams) -> int:
    """6 for one symbol; 80 when symbol is left out (all symbols)."""
    return 6 if params.symbol is not None else 80


GET_OPEN_ORDERS = Endpoint(
    group="account", name="get_open_orders", verb="GET", path="/api/v3/openOrders",
    security=Security.SIGNED, params=OpenOrdersParams, response=list[Order], weight=open_orders_weight,
    ws_method="openOrders.status",
    summary="The account's open orders on a symbol, or on every symbol when none is given.",
)


class AllOrdersParams(SignedParams):
    symbol: str
    orderId: Id | None = None
    startTime: TimeParam | None = None
    endTime: TimeParam | None = None
    limit: Limit1000 | None = None

    def check(self) -> None:
        check_span(self)


GET_ALL_ORDERS = Endpoint(
    group="account", name="get_all_orders", verb="GET", path="/api/v3/allOrders",
    security=Security.SIGNED, params=AllOrdersParams, response=list[Order], weight=20, ws_method="allOrders",
    summary="The account's orders on a symbol, whatever their status (open, canceled, filled).",
    extra_doc="orderId returns orders from that id up; otherwise the most recent ones. A\n"
    "startTime/endTime window spans at most 24 hours. limit: 1-1000, default 500.",
)


# -- order lists --------------------------------------------------------------------------------
class GetOrderListParams(SignedParams):
    orderListId: Id | None = None
    origClientOrderId: str | None = None

    def check(self) -> None:
        self.require_any("orderListId", "origClientOrderId")


GET_ORDER_LIST = Endpoint(
    group="account", name="get_order_list", verb="GET", path="/api/v3/orderList", security=Security.SIGNED,
    params=GetOrderListParams, response=OrderList, weight=4, ws_method="orderList.status",
    summary="Look up one order list by orderListId or by its list client order id.",
)


class AllOrderListsParams(SignedParams):
    fromId: Id | None = None
    startTime: TimeParam | None = None
    endTime: TimeParam | None = None
    limit: Limit1000 | None = None

    def check(self) -> None:
        if self.fromId is not None:
            self.forbid("startTime", "endTime", because="with fromId")
        check_span(self)


GET_ALL_ORDER_LISTS = Endpoint(
    group="account", name="get_all_order_lists", verb="GET", path="/api/v3/allOrderList",
    security=Security.SIGNED, params=AllOrderListsParams, response=list[OrderList], weight=20,
    ws_method="allOrderLists",
    summary="The account's order lists, newest first.",
    extra_doc="Page with fromId, or select a startTime/endTime window of at most 24 hours (not both).\n"
    "limit: 1-1000, default 500.",
)


class OpenOrderListsParams(SignedParams):
    """Only recvWindow."""


GET_OPEN_ORDER_LISTS = Endpoint(
    group="account", name="get_open_order_lists", verb="GET", path="/api/v3/openOrderList",
    security=Security.SIGNED, params=OpenOrderListsParams, response=list[OrderList], weight=6,
    ws_method="openOrderLists.status",
    summary="The account's order lists that are still executing.",
)


# -- trades -------------------------------------------------------------------------------------
class MyTradesParams(SignedParams):
    symbol: str
    orderId: Id | None = None
    startTime: TimeParam | None = None
    endTime: TimeParam | None = None
    fromId: Id | None = None
    limit: Limit1000 | None = None

    def check(self) -> None:
        if self.orderId is not None:
            self.forbid("startTime", "endTime", because="with orderId")
        if self.fromId is not None:
            self.forbid("startTime", "endTime", because="with fromId")
        check_span(self)


def my_trades_weight(params: MyTradesParams) -> int:
    """5 with orderId; 20 without."""
    return 5 if params.orderId is not None else 20


MY_TRADES = Endpoint(
    group="account", name="my_trades", verb="GET", path="/api/v3/myTrades", security=Security.SIGNED,
    params=MyTradesParams, response=list[AccountTrade], weight=my_trades_weight, ws_method="myTrades",
    summary="The account's trades on a symbol.",
    extra_doc="Combine symbol with nothing, orderId, fromId, orderId + fromId, or a startTime/endTime\n"
    "window of at most 24 hours. fromId returns trades from that trade id up; limit: 1-1000.",
)


class RateLimitOrderParams(SignedParams):
    """Only recvWindow."""


RATE_LIMIT_ORDER = Endpoint(
    group="account", name="rate_limit_order", verb="GET", path="/api/v3/rateLimit/order",
    security=Security.SIGNED, params=RateLimitOrderParams, response=list[UnfilledOrderCount], weight=40,
    ws_method="account.rateLimits.orders",
    summary="The account's unfilled order count in each order rate-limit interval.",
)


class PreventedMatchesParams(SignedParams):
    symbol: str
    preventedMatchId: Id | None = None
    orderId: Id | None = None
    fromPreventedMatchId: Id | None = None
    limit: Limit1000 | None = None

    def check(self) -> None:
        self.require_any("preventedMatchId", "orderId")
        self.one_of("preventedMatchId", "orderId")
        if self.preventedMatchId is not None:
            self.forbid("fromPreventedMatchId", "limit", because="with preventedMatchId")
        if self.limit is not None:
            self.require("fromPreventedMatchId", because="with limit")


def prevented_matches_weight(params: PreventedMatchesParams) -> int:
    """2 by preventedMatchId (or for an invalid symbol); 20 by orderId."""
    return 2 if params.preventedMatchId is not None else 20


MY_PREVENTED_MATCHES = Endpoint(
    group="account", name="my_prevented_matches", verb="GET", path="/api/v3/myPreventedMatches",
    security=Security.SIGNED, params=PreventedMatchesParams, response=list[PreventedMatch],
    weight=prevented_matches_weight, ws_method="myPreventedMatches",
    summary="Orders that expired because of self-trade prevention.",
    extra_doc="Query by preventedMatchId, or by orderId (optionally paged with fromPreventedMatchId,\n"
    "then limit 1-1000, default 500).",
)


class MyAllocationsParams(SignedParams):
    symbol: str
    startTime: TimeParam | None = None
    endTime: TimeParam | None = None
    fromAllocationId: Id | None = None
    limit: Limit1000 | None = None
    orderId: Id | None = None

    def check(self) -> None:
        if self.startTime is not None or self.endTime is not None:
            self.forbid("fromAllocationId", "orderId", because="with startTime/endTime")
        check_span(self)


MY_ALLOCATIONS = Endpoint(
    group="account", name="my_allocations", verb="GET", path="/api/v3/myAllocations",
    security=Security.SIGNED, params=MyAllocationsParams, response=list[Allocation], weight=20,
    ws_method="myAllocations",
    summary="Allocations the account received from SOR orders.",
    extra_doc="Combine symbol with nothing, a startTime/endTime window (at most 24 hours),\n"
    "fromAllocationId, orderId, or orderId + fromAllocationId. limit: 1-1000, default 500.",
)


# -- commission, amendments, filters ------------------------------------------------------------
class SymbolParams(SignedParams):
    symbol: str


COMMISSION = Endpoint(
    group="account", name="commission", verb="GET", path="/api/v3/account/commission",
    security=Security.SIGNED, params=SymbolParams, response=AccountCommission, weight=20,
    ws_method="account.commission",
    summary="The account's commission rates on a symbol: standard, special, tax and BNB discount.",
)


class OrderAmendmentsParams(SignedParams):
    symbol: str
    orderId: Id
    fromExecutionId: Id | None = None
    limit: Limit1000 | None = None


ORDER_AMENDMENTS = Endpoint(
    group="account", name="order_amendments", verb="GET", path="/api/v3/order/amendments",
    security=Security.SIGNED, params=OrderAmendmentsParams, response=list[OrderAmendmentRecord], weight=4,
    ws_method="order.amendments",
    summary="Every quantity amendment of one order, oldest first.",
    extra_doc="fromExecutionId pages from that execution id; limit: 1-1000, default 500.",
)


MY_FILTERS = Endpoint(
    group="account", name="my_filters", verb="GET", path="/api/v3/myFilters", security=Security.SIGNED,
    params=SymbolParams, response=MyFilters, weight=40, ws_method="myFilters",
    summary="The filters that apply to the account on a symbol, including MAX_ASSET.",
)
