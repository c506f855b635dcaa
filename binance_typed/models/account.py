"""Response models of the account endpoints: balances, orders, trades, limits and filters."""

from __future__ import annotations

from decimal import Decimal

from ._base import BinanceModel, Timestamp
from .filters import AssetFilter, ExchangeFilter, SymbolFilter
from .trade import CommissionDiscount, OrderList, OrderListOrder, OrderState

__all__ = [
    "AccountCommission",
    "AccountCommissionRates",
    "AccountInfo",
    "AccountFill",
    "AccountTrade",
    "Allocation",
    "Balance",
    "CommissionDiscount",
    "MyFilters",
    "Order",
    "OrderAmendmentRecord",
    "OrderList",
    "OrderListOrder",
    "PreventedMatch",
    "UnfilledOrderCount",
]


class AccountCommissionRates(BinanceModel):
    """Maker, taker, buyer and seller commission rates as fractions (``0.001`` is 0.1%)."""

    maker: Decimal
    taker: Decimal
    buyer: Decimal
    seller: Decimal


class Balance(BinanceModel):
    """One asset of the account: the amount available and the amount held by open orders."""

    asset: str
    free: Decimal
    locked: Decimal


class AccountInfo(BinanceModel):
    """The account: permissions, commission rates and balances."""

    maker_commission: int
    """Maker commission in basis points (legacy form of ``commission_rates.maker``)."""
    taker_commission: int
    buyer_commission: int
    seller_commission: int
    commission_rates: AccountCommissionRates | None = None
    can_trade: bool
    can_withdraw: bool
    can_deposit: bool
    brokered: bool | None = None
    require_self_trade_prevention: bool | None = None
    prevent_sor: bool | None = None
    update_time: Timestamp
    account_type: str
    balances: list[Balance]
    permissions: list[str]
    uid: int | None = None
    """``commission_rates``, ``brokered``, ``require_self_trade_prevention``, ``prevent_sor`` and
    ``uid`` came after the endpoint's launch: None when an older or regional server omits them."""

    def balance(self, asset: str) -> Balance | None:
        """The balance row of ``asset``, or None when the account has none.

        Args:
            asset: the asset's code as Binance spells it, e.g. ``"BTC"``.
        """
        return next((b for b in self.balances if b.asset == asset), None)


class Order(OrderState):
    """An order's full state, as the order query endpoints report it.

    ``order_list_id`` is -1 unless the order belongs to an order list. ``cummulative_quote_qty``
    may be negative for some historical orders (the value is not available). The optional fields
    appear only for the order types or situations that use them (stop prices, STP, pegs, SOR).
    """

    orig_qty: Decimal
    orig_quote_order_qty: Decimal
    time: Timestamp
    update_time: Timestamp
    is_working: bool


class AccountFill(BinanceModel):
    """What the account's trades and SOR allocations share: a priced, commissioned fill."""

    symbol: str
    order_id: int
    order_list_id: int = -1
    price: Decimal
    qty: Decimal
    quote_qty: Decimal
    commission: Decimal
    commission_asset: str
    time: Timestamp
    is_buyer: bool
    is_maker: bool


class AccountTrade(AccountFill):
    """One of the account's own trades (a fill of one of its orders)."""

    id: int
    is_best_match: bool


class UnfilledOrderCount(BinanceModel):
    """The account's order count in one rate-limit interval, next to the limit."""

    rate_limit_type: str
    interval: str
    interval_num: int
    limit: int
    count: int


class PreventedMatch(BinanceModel):
    """A match prevented by self-trade prevention: which orders met and what expired."""

    symbol: str
    prevented_match_id: int
    taker_order_id: int
    maker_symbol: str | None = None
    """Added after the endpoint's launch: older servers leave it out."""
    maker_order_id: int
    trade_group_id: int
    self_trade_prevention_mode: str
    price: Decimal
    maker_prevented_quantity: Decimal
    transact_time: Timestamp


class Allocation(AccountFill):
    """A fill allocated to the account by a SOR order."""

    allocation_id: int
    allocation_type: str
    is_allocator: bool


class AccountCommission(BinanceModel):
    """The account's commission rates on one symbol."""

    symbol: str
    standard_commission: AccountCommissionRates
    special_commission: AccountCommissionRates | None = None
    tax_commission: AccountCommissionRates
    discount: CommissionDiscount


class OrderAmendmentRecord(BinanceModel):
    """One past quantity amendment of an order (keep-priority amend), from its history."""

    symbol: str
    order_id: int
    execution_id: int
    orig_client_order_id: str
    new_client_order_id: str
    orig_qty: Decimal
    new_qty: Decimal
    time: Timestamp


class MyFilters(BinanceModel):
    """The exchange, symbol and asset filters that apply to the account on a symbol.

    Each filter is parsed into its own model by ``filterType``; a type this version does not
    know is kept as an ``UnknownFilter``.
    """

    exchange_filters: list[ExchangeFilter]
    symbol_filters: list[SymbolFilter]
    asset_filters: list[AssetFilter]
