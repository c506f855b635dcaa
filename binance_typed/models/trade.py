"""Response models of the trading endpoints: orders, cancellations, order lists, SOR, test orders.

The order shapes are shared with ``client.account`` (queries return the same fields):
:class:`OrderAck` < :class:`OrderResult` < :class:`OrderFull` for placements,
:class:`CancelledOrder` for cancellations, :class:`OrderList` and its report-carrying subclasses
for order lists. Prices, quantities and commissions are ``Decimal``; times are aware datetimes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, PlainSerializer, Tag

from ._base import EPOCH, BinanceModel, Timestamp

_MS = timedelta(milliseconds=1)


def _negative_is_none(value: Any) -> Any:
    """Binance writes ``-1`` for "no such time yet" (``workingTime`` of a pending order,
    ``trailingTime`` of an untriggered trailing stop)."""
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return None
    if isinstance(value, str) and value.startswith("-") and value[1:].isdigit():
        return None
    return value


def _none_is_negative(value: datetime | None) -> int:
    return -1 if value is None else (value - EPOCH) // _MS


OptionalTime = Annotated[
    Timestamp | None, BeforeValidator(_negative_is_none), PlainSerializer(_none_is_negative, return_type=int)
]
"""A time that may be absent or ``-1``: both read as None (never as a 1969 datetime); a None that
was sent as ``-1`` is written back as ``-1``."""

__all__ = [
    "AmendedOrder",
    "CancelOpenOrdersItem",
    "CancelReplaceAck",
    "CancelReplaceFailure",
    "CancelReplaceFull",
    "CancelReplaceResponse",
    "CancelReplaceResult",
    "CancelledOrder",
    "CancelledOrderList",
    "CommissionDiscount",
    "CommissionRates",
    "ErrorPayload",
    "Fill",
    "OrderAck",
    "OrderAmendment",
    "OrderCommissionRates",
    "OrderDetails",
    "OrderFull",
    "OrderList",
    "OrderListAck",
    "OrderListFull",
    "OrderIds",
    "OrderListOrder",
    "OrderReport",
    "OrderListResponse",
    "OrderListResult",
    "OrderListStatus",
    "OrderResponse",
    "OrderResult",
    "OrderState",
    "PendingOrder",
    "TestOrderAccepted",
]


# -- single orders ------------------------------------------------------------------------------
class OrderIds(BinanceModel):
    """What identifies an order: symbol, Binance's id, its list and the client's id."""

    symbol: str
    order_id: int
    order_list_id: int = -1
    """The order list the order belongs to; -1 for a standalone order."""
    client_order_id: str


class OrderAck(OrderIds):
    """``newOrderRespType=ACK``: the order was accepted; ids and time only."""

    transact_time: Timestamp


class OrderState(OrderIds):
    """The state of an order as the matching engine reports it (every field but ``origQty``).

    Shared by the placement responses and the order queries (``models.account.Order``).
    Enum-valued fields (``status``, ``type``, ``side``...) are plain ``str`` so that a value
    Binance adds later still parses; compare them with the enums of
    :mod:`binance_typed.models.enums` (they are ``str`` enums).
    """

    price: Decimal
    executed_qty: Decimal
    orig_quote_order_qty: Decimal | None = None
    cummulative_quote_qty: Decimal
    status: str
    time_in_force: str
    type: str
    side: str
    working_time: OptionalTime = None
    """When the order went on the book; None while it is pending (Binance sends ``-1``)."""
    self_trade_prevention_mode: str | None = None
    stop_price: Decimal | None = None
    iceberg_qty: Decimal | None = None
    trailing_delta: int | None = None
    trailing_time: OptionalTime = None
    strategy_id: int | None = None
    strategy_type: int | None = None
    prevented_match_id: int | None = None
    prevented_quantity: Decimal | None = None
    used_sor: bool | None = None
    working_floor: str | None = None
    """``EXCHANGE`` or ``SOR``: which venue fills an order placed through SOR."""
    peg_price_type: str | None = None
    peg_offset_type: str | None = None
    peg_offset_value: int | None = None
    pegged_price: Decimal | None = None
    expiry_reason: str | None = None


class OrderDetails(OrderState, OrderAck):
    """An order's state right after a placement (with its ``transactTime``)."""


class OrderResult(OrderDetails):
    """``newOrderRespType=RESULT``: the order's state right after it was placed."""

    orig_qty: Decimal


class Fill(BinanceModel):
    """One trade that (partly) filled an order; SOR fills also carry ``matchType``/``allocId``."""

    price: Decimal
    qty: Decimal
    commission: Decimal
    commission_asset: str
    trade_id: int
    """-1 for an SOR allocation (see ``alloc_id``)."""
    match_type: str | None = None
    alloc_id: int | None = None


class OrderFull(OrderResult):
    """``newOrderRespType=FULL``: the result plus the fills."""

    fills: list[Fill]


def _order_kind(data: Any) -> str:
    if isinstance(data, dict):
        if "fills" in data:
            return "full"
        return "result" if "status" in data else "ack"
    if isinstance(data, OrderFull):
        return "full"
    return "result" if isinstance(data, OrderResult) else "ack"


OrderResponse = Annotated[
    Annotated[OrderFull, Tag("full")] | Annotated[OrderResult, Tag("result")] | Annotated[OrderAck, Tag("ack")],
    Discriminator(_order_kind),
]
"""What an order placement returns when ``newOrderRespType`` is not given: the shape Binance chose."""


class CancelledOrder(OrderResult):
    """A cancelled order: its final state, ``origClientOrderId`` being the id it had before."""

    orig_client_order_id: str | None = None
    """Absent in the order reports of a cancelled order list over the WebSocket API."""
    transact_time: Timestamp | None = None  # type: ignore[assignment]
    """When the cancel happened; older servers leave it out."""


# -- order lists --------------------------------------------------------------------------------
class OrderListOrder(BinanceModel):
    """One order of an order list, by id."""

    symbol: str
    order_id: int
    client_order_id: str


class OrderListStatus(BinanceModel):
    """An order list's identity and status (as embedded in an amendment response)."""

    order_list_id: int
    contingency_type: str
    """``OCO`` or ``OTO`` (OTOCO, OPO and OPOCO lists report ``OTO``)."""
    list_order_status: str
    list_client_order_id: str
    symbol: str
    orders: list[OrderListOrder]


class OrderList(OrderListStatus):
    """An order list as queries return it: status, time and the ids of its orders."""

    list_status_type: str
    transaction_time: Timestamp


class PendingOrder(OrderDetails):
    """An OPO pending order: its quantity is unknown until the working order fills."""

    orig_qty: Decimal | None = None
    fills: list[Fill] | None = None


def _report_kind(data: Any) -> str:
    if isinstance(data, dict):
        if "status" in data and "origQty" not in data and "orig_qty" not in data:
            return "pending"
        return _order_kind(data)
    if isinstance(data, PendingOrder):
        return "pending"
    return _order_kind(data)


OrderReport = Annotated[
    Annotated[OrderFull, Tag("full")]
    | Annotated[OrderResult, Tag("result")]
    | Annotated[PendingOrder, Tag("pending")]
    | Annotated[OrderAck, Tag("ack")],
    Discriminator(_report_kind),
]
"""One order report of a placed order list, in the shape Binance chose (OPO pending orders
have no ``origQty`` yet and parse as :class:`PendingOrder`)."""


class OrderListResponse(OrderList):
    """A placed order list with a report per order (see :data:`OrderReport`)."""

    order_reports: Sequence[OrderReport]


class OrderListAck(OrderListResponse):
    """An order list placed with ``newOrderRespType=ACK``."""

    order_reports: Sequence[OrderAck]


class OrderListResult(OrderListResponse):
    """An order list placed with ``newOrderRespType=RESULT``."""

    order_reports: Sequence[OrderResult]


class OrderListFull(OrderListResponse):
    """An order list placed with ``newOrderRespType=FULL``: reports carry their fills."""

    order_reports: Sequence[OrderFull]


class CancelledOrderList(OrderList):
    """A cancelled order list with the final state of each of its orders."""

    order_reports: list[CancelledOrder]


def _open_order_kind(data: Any) -> str:
    if isinstance(data, dict):
        return "list" if "orderReports" in data or "order_reports" in data else "order"
    return "list" if isinstance(data, CancelledOrderList) else "order"


CancelOpenOrdersItem = Annotated[
    Annotated[CancelledOrderList, Tag("list")] | Annotated[CancelledOrder, Tag("order")],
    Discriminator(_open_order_kind),
]
"""One entry of ``cancel_open_orders``: a cancelled order, or a cancelled order list."""


# -- cancel-replace -----------------------------------------------------------------------------
class ErrorPayload(BinanceModel):
    """An error embedded in a response (``{"code": -2011, "msg": "Unknown order sent."}``)."""

    code: int
    msg: str


class CancelReplaceResponse(BinanceModel):
    """Cancel-replace that fully succeeded (HTTP 200): the cancellation and the new order."""

    cancel_result: str
    new_order_result: str
    cancel_response: CancelledOrder
    new_order_response: OrderResponse


class CancelReplaceAck(CancelReplaceResponse):
    """Cancel-replace with ``newOrderRespType=ACK``."""

    new_order_response: OrderAck


class CancelReplaceResult(CancelReplaceResponse):
    """Cancel-replace with ``newOrderRespType=RESULT``."""

    new_order_response: OrderResult


class CancelReplaceFull(CancelReplaceResponse):
    """Cancel-replace with ``newOrderRespType=FULL``."""

    new_order_response: OrderFull


def _cancel_kind(data: Any) -> str:
    if isinstance(data, dict):
        return "error" if "code" in data else "order"
    return "error" if isinstance(data, ErrorPayload) else "order"


def _new_kind(data: Any) -> str:
    if isinstance(data, dict):
        return "error" if "code" in data else _order_kind(data)
    return "error" if isinstance(data, ErrorPayload) else _order_kind(data)


class CancelReplaceFailure(BinanceModel):
    """The ``data`` of a failed or partly failed cancel-replace (HTTP 400 or 409).

    Each side is either its normal response or an :class:`ErrorPayload`; ``new_order_response``
    is None when the new order was not attempted. Read it from the raised error with
    :meth:`from_error`.
    """

    cancel_result: str
    new_order_result: str
    cancel_response: Annotated[
        Annotated[CancelledOrder, Tag("order")] | Annotated[ErrorPayload, Tag("error")],
        Discriminator(_cancel_kind),
    ]
    new_order_response: (
        Annotated[
            Annotated[OrderFull, Tag("full")]
            | Annotated[OrderResult, Tag("result")]
            | Annotated[OrderAck, Tag("ack")]
            | Annotated[ErrorPayload, Tag("error")],
            Discriminator(_new_kind),
        ]
        | None
    )

    @classmethod
    def from_error(cls, error: Any) -> CancelReplaceFailure | None:
        """Parse ``error.error_data`` of a :class:`~binance_typed.error.ClientError`, if it has one."""
        data = getattr(error, "error_data", None)
        if not isinstance(data, dict) or "cancelResult" not in data:
            return None
        return cls.model_validate(data)


# -- amend keep priority ------------------------------------------------------------------------
class AmendedOrder(BinanceModel):
    """The order after a keep-priority amendment (note Binance's names: ``qty``, ``cumulativeQuoteQty``)."""

    symbol: str
    order_id: int
    order_list_id: int
    orig_client_order_id: str
    client_order_id: str
    price: Decimal
    qty: Decimal
    executed_qty: Decimal
    prevented_qty: Decimal
    quote_order_qty: Decimal
    cumulative_quote_qty: Decimal
    status: str
    time_in_force: str
    type: str
    side: str
    working_time: OptionalTime = None
    self_trade_prevention_mode: str | None = None
    stop_price: Decimal | None = None
    iceberg_qty: Decimal | None = None
    trailing_delta: int | None = None
    trailing_time: OptionalTime = None
    strategy_id: int | None = None
    strategy_type: int | None = None
    peg_price_type: str | None = None
    peg_offset_type: str | None = None
    peg_offset_value: int | None = None
    pegged_price: Decimal | None = None


class OrderAmendment(BinanceModel):
    """Result of ``amend_order_keep_priority``: the amended order, and its list if it has one."""

    transact_time: Timestamp
    execution_id: int
    amended_order: AmendedOrder
    list_status: OrderListStatus | None = None


# -- test orders --------------------------------------------------------------------------------
class TestOrderAccepted(BinanceModel):
    """``{}``: the test order passed validation (nothing was sent to the matching engine)."""

    __test__ = False  # not a pytest test class


class CommissionRates(BinanceModel):
    """Maker and taker commission rates."""

    maker: Decimal
    taker: Decimal


class CommissionDiscount(BinanceModel):
    """The discount on standard commissions when they are paid in BNB."""

    enabled_for_account: bool
    enabled_for_symbol: bool
    discount_asset: str
    discount: Decimal


class OrderCommissionRates(BinanceModel):
    """What a test order with ``computeCommissionRates=True`` returns: the rates it would pay."""

    standard_commission_for_order: CommissionRates
    special_commission_for_order: CommissionRates | None = None
    """Absent for SOR test orders."""
    tax_commission_for_order: CommissionRates
    discount: CommissionDiscount
