"""Cases of ``client.account``."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from binance_typed.models.account import (
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
from binance_typed.models.filters import ExchangeMaxNumOrders, MaxAsset, MaxNumOrderLists

from . import Case

UTC = timezone.utc
_ORDER_TIME = datetime(2017, 7, 12, 2, 41, 59, 559000, tzinfo=UTC)


def _is_decimal(value: Any, expected: str) -> None:
    assert type(value) is Decimal, f"{value!r} is not a Decimal"
    assert value == Decimal(expected)


def _info(v: Any) -> None:
    assert type(v) is AccountInfo
    _is_decimal(v.commission_rates.maker, "0.0015")
    _is_decimal(v.balances[0].free, "4723846.89208129")
    _is_decimal(v.balances[1].locked, "0")
    assert v.balance("LTC") is v.balances[1]
    assert v.balance("ETH") is None
    assert v.update_time == datetime(1970, 1, 2, 10, 17, 36, 789000, tzinfo=UTC)
    assert v.permissions == ["SPOT"]
    assert v.maker_commission == 15 and v.can_trade is True


def _order(v: Any) -> None:
    assert type(v) is Order
    _is_decimal(v.price, "0.1")
    _is_decimal(v.cummulative_quote_qty, "0")
    _is_decimal(v.orig_quote_order_qty, "0")
    assert v.time == _ORDER_TIME and v.working_time == _ORDER_TIME
    assert v.order_list_id == -1 and v.is_working is True
    assert v.status == "NEW" and v.self_trade_prevention_mode == "NONE"


def _orders(v: Any) -> None:
    assert isinstance(v, list) and len(v) == 1
    _order(v[0])


def _order_list(v: Any) -> None:
    assert type(v) is OrderList
    assert v.order_list_id == 27 and v.contingency_type == "OCO"
    assert v.transaction_time == datetime(2019, 8, 8, 6, 27, 36, 253000, tzinfo=UTC)
    assert [o.order_id for o in v.orders] == [4, 5]


def _all_order_lists(v: Any) -> None:
    assert [type(x) for x in v] == [OrderList, OrderList]
    assert [x.order_list_id for x in v] == [29, 28]
    assert v[0].transaction_time == datetime(2019, 8, 8, 6, 31, 53, 483000, tzinfo=UTC)


def _open_order_lists(v: Any) -> None:
    (ol,) = v
    assert type(ol) is OrderList and ol.list_status_type == "EXEC_STARTED"
    assert ol.orders[1].client_order_id == "Cv1SnyPD3qhqpbjpYEHbd2"


def _my_trades(v: Any) -> None:
    (t,) = v
    assert type(t) is AccountTrade
    _is_decimal(t.price, "4.00000100")
    _is_decimal(t.quote_qty, "48.000012")
    _is_decimal(t.commission, "10.1")
    assert t.time == datetime(2017, 7, 12, 13, 19, 9, 590000, tzinfo=UTC)
    assert t.is_buyer is True and t.is_maker is False


def _rate_limit_order(v: Any) -> None:
    assert [type(x) for x in v] == [UnfilledOrderCount, UnfilledOrderCount]
    assert (v[0].interval, v[0].interval_num, v[0].limit, v[0].count) == ("SECOND", 10, 50, 0)
    assert v[1].limit == 160000


def _prevented(v: Any) -> None:
    (m,) = v
    assert type(m) is PreventedMatch
    _is_decimal(m.price, "1.1")
    _is_decimal(m.maker_prevented_quantity, "1.3")
    assert m.transact_time == datetime(2022, 11, 22, 7, 21, 27, 94000, tzinfo=UTC)


def _allocations(v: Any) -> None:
    (a,) = v
    assert type(a) is Allocation
    _is_decimal(a.qty, "5")
    _is_decimal(a.commission, "0")
    assert a.allocation_type == "SOR" and a.is_allocator is False
    assert a.time == datetime(2023, 6, 23, 7, 54, 38, 118000, tzinfo=UTC)


def _commission(v: Any) -> None:
    assert type(v) is AccountCommission
    _is_decimal(v.standard_commission.maker, "0.0000001")
    assert v.special_commission is not None
    _is_decimal(v.special_commission.seller, "0.04")
    _is_decimal(v.tax_commission.buyer, "0.00000118")
    _is_decimal(v.discount.discount, "0.75")
    assert v.discount.discount_asset == "BNB" and v.discount.enabled_for_symbol is True


def _amendments(v: Any) -> None:
    assert [type(x) for x in v] == [OrderAmendmentRecord, OrderAmendmentRecord]
    _is_decimal(v[0].orig_qty, "5")
    _is_decimal(v[1].new_qty, "3")
    assert [x.execution_id for x in v] == [22, 25]
    assert v[0].time == datetime(2025, 3, 11, 5, 7, 41, 670000, tzinfo=UTC)


def _filters(v: Any) -> None:
    assert type(v) is MyFilters
    (exchange,), (symbol,), (asset,) = v.exchange_filters, v.symbol_filters, v.asset_filters
    assert type(exchange) is ExchangeMaxNumOrders and exchange.max_num_orders == 1000
    assert type(symbol) is MaxNumOrderLists and symbol.max_num_order_lists == 20
    assert type(asset) is MaxAsset and asset.asset == "JPY"
    _is_decimal(asset.limit, "1000000")


_START = datetime(2024, 1, 1, tzinfo=UTC)
_END = datetime(2024, 1, 1, 23, 59, tzinfo=UTC)

CASES = [
    Case("account.info", "GET__api_v3_account.json", "omitZeroBalances=true&recvWindow=5000",
         kwargs={"omitZeroBalances": True}, check=_info),
    Case("account.get_order", "GET__api_v3_order.json", "symbol=LTCBTC&orderId=1&recvWindow=5000",
         args=("LTCBTC",), kwargs={"orderId": 1}, check=_order),
    Case("account.get_open_orders", "GET__api_v3_openOrders.json", "symbol=LTCBTC&recvWindow=5000",
         kwargs={"symbol": "LTCBTC"}, check=_orders),
    Case("account.get_all_orders", "GET__api_v3_allOrders.json",
         "symbol=LTCBTC&startTime=1704067200000&endTime=1704153540000&limit=10&recvWindow=5000",
         args=("LTCBTC",), kwargs={"startTime": _START, "endTime": _END, "limit": 10}, check=_orders),
    Case("account.get_order_list", "GET__api_v3_orderList.json", "orderListId=27&recvWindow=5000",
         kwargs={"orderListId": 27}, check=_order_list),
    Case("account.get_all_order_lists", "GET__api_v3_allOrderList.json", "fromId=28&limit=2&recvWindow=5000",
         kwargs={"fromId": 28, "limit": 2}, check=_all_order_lists),
    Case("account.get_open_order_lists", "GET__api_v3_openOrderList.json", "recvWindow=5000",
         check=_open_order_lists),
    Case("account.my_trades", "GET__api_v3_myTrades.json", "symbol=BNBBTC&orderId=100234&fromId=28457&recvWindow=5000",
         args=("BNBBTC",), kwargs={"orderId": 100234, "fromId": 28457}, check=_my_trades),
    Case("account.rate_limit_order", "GET__api_v3_rateLimit_order.json", "recvWindow=5000",
         check=_rate_limit_order),
    Case("account.my_prevented_matches", "GET__api_v3_myPreventedMatches.json",
         "symbol=BTCUSDT&orderId=5&fromPreventedMatchId=1&limit=20&recvWindow=5000",
         args=("BTCUSDT",), kwargs={"orderId": 5, "fromPreventedMatchId": 1, "limit": 20}, check=_prevented),
    Case("account.my_allocations", "GET__api_v3_myAllocations.json",
         "symbol=BTCUSDT&fromAllocationId=0&orderId=1&recvWindow=5000",
         args=("BTCUSDT",), kwargs={"orderId": 1, "fromAllocationId": 0}, check=_allocations),
    Case("account.commission", "GET__api_v3_account_commission.json", "symbol=BTCUSDT&recvWindow=5000",
         args=("BTCUSDT",), check=_commission),
    Case("account.order_amendments", "GET__api_v3_order_amendments.json",
         "symbol=BTCUSDT&orderId=9&fromExecutionId=22&limit=2&recvWindow=5000",
         args=("BTCUSDT", 9), kwargs={"fromExecutionId": 22, "limit": 2}, check=_amendments),
    Case("account.my_filters", "GET__api_v3_myFilters.json", "symbol=JPYUSDT&recvWindow=5000",
         args=("JPYUSDT",), check=_filters),
]
