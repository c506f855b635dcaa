"""User data stream events, decoded into a discriminated union on the event type ``e``.

Binance sends one-letter keys (``"s"``, ``"X"``, ``"z"``); the models expose readable snake_case
attributes and keep the wire keys as aliases, so ``event.cumulative_filled_qty`` reads ``"z"``.
Quantities and prices are :class:`~decimal.Decimal`, times are aware UTC datetimes. An event type
this version does not know decodes into :class:`UnknownEvent` instead of failing.

    event = parse_user_data_event(frame["event"])
    if isinstance(event, ExecutionReport) and event.order_status == "FILLED": ...
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter

from .._base import PlainDecimals, Timestamp

__all__ = [
    "AccountBalance",
    "BalanceUpdate",
    "EventStreamTerminated",
    "ExecutionReport",
    "ExternalLockUpdate",
    "ListStatus",
    "ListStatusOrder",
    "OutboundAccountPosition",
    "UnknownEvent",
    "UserDataEvent",
    "UserDataGapEvent",
    "parse_user_data_event",
]


class _Event(PlainDecimals, BaseModel):
    """Base of the user data events: wire keys as aliases, unknown keys kept, frozen."""

    model_config = ConfigDict(populate_by_name=True, extra="allow", frozen=True, protected_namespaces=())

    event_time: Timestamp = Field(alias="E")


class AccountBalance(PlainDecimals, BaseModel):
    """One asset of an ``outboundAccountPosition`` event."""

    model_config = ConfigDict(populate_by_name=True, extra="allow", frozen=True)

    asset: str = Field(alias="a")
    free: Decimal = Field(alias="f")
    locked: Decimal = Field(alias="l")


class OutboundAccountPosition(_Event):
    """Balances that may have changed, sent after any balance change."""

    event_type: Literal["outboundAccountPosition"] = Field(alias="e")
    last_update_time: Timestamp = Field(alias="u")
    balances: list[AccountBalance] = Field(alias="B")


class BalanceUpdate(_Event):
    """A deposit, withdrawal or transfer changed one asset's balance by ``balance_delta``."""

    event_type: Literal["balanceUpdate"] = Field(alias="e")
    asset: str = Field(alias="a")
    balance_delta: Decimal = Field(alias="d")
    clear_time: Timestamp = Field(alias="T")


class ExecutionReport(_Event):
    """An order changed: placed, (partly) filled, canceled, rejected, expired, amended."""

    event_type: Literal["executionReport"] = Field(alias="e")
    symbol: str = Field(alias="s")
    client_order_id: str = Field(alias="c")
    side: str = Field(alias="S")
    order_type: str = Field(alias="o")
    time_in_force: str = Field(alias="f")
    quantity: Decimal = Field(alias="q")
    price: Decimal = Field(alias="p")
    stop_price: Decimal = Field(alias="P")
    iceberg_qty: Decimal = Field(alias="F")
    order_list_id: int = Field(alias="g")
    orig_client_order_id: str = Field(alias="C")
    execution_type: str = Field(alias="x")
    order_status: str = Field(alias="X")
    reject_reason: str = Field(alias="r")
    order_id: int = Field(alias="i")
    last_executed_qty: Decimal = Field(alias="l")
    cumulative_filled_qty: Decimal = Field(alias="z")
    last_executed_price: Decimal = Field(alias="L")
    commission: Decimal = Field(alias="n")
    commission_asset: str | None = Field(alias="N")
    transaction_time: Timestamp = Field(alias="T")
    trade_id: int = Field(alias="t")
    execution_id: int = Field(alias="I")
    is_on_book: bool = Field(alias="w")
    is_maker: bool = Field(alias="m")
    ignore: bool | None = Field(default=None, alias="M")
    creation_time: Timestamp = Field(alias="O")
    cumulative_quote_qty: Decimal = Field(alias="Z")
    last_quote_qty: Decimal = Field(alias="Y")
    quote_order_qty: Decimal = Field(alias="Q")
    self_trade_prevention_mode: str | None = Field(default=None, alias="V")
    # conditional fields
    working_time: Timestamp | None = Field(default=None, alias="W")
    trailing_delta: int | None = Field(default=None, alias="d")
    trailing_time: Timestamp | None = Field(default=None, alias="D")
    strategy_id: int | None = Field(default=None, alias="j")
    strategy_type: int | None = Field(default=None, alias="J")
    prevented_match_id: int | None = Field(default=None, alias="v")
    prevented_quantity: Decimal | None = Field(default=None, alias="A")
    last_prevented_quantity: Decimal | None = Field(default=None, alias="B")
    trade_group_id: int | None = Field(default=None, alias="u")
    counter_order_id: int | None = Field(default=None, alias="U")
    counter_symbol: str | None = Field(default=None, alias="Cs")
    prevented_execution_qty: Decimal | None = Field(default=None, alias="pl")
    prevented_execution_price: Decimal | None = Field(default=None, alias="pL")
    prevented_execution_quote_qty: Decimal | None = Field(default=None, alias="pY")
    match_type: str | None = Field(default=None, alias="b")
    allocation_id: int | None = Field(default=None, alias="a")
    working_floor: str | None = Field(default=None, alias="k")
    used_sor: bool | None = Field(default=None, alias="uS")
    peg_price_type: str | None = Field(default=None, alias="gP")
    peg_offset_type: str | None = Field(default=None, alias="gOT")
    peg_offset_value: int | None = Field(default=None, alias="gOV")
    pegged_price: Decimal | None = Field(default=None, alias="gp")
    expiry_reason: str | None = Field(default=None, alias="eR")

    @property
    def average_price(self) -> Any:
        """Average fill price (cumulative quote quantity / cumulative filled quantity), or None."""
        if not self.cumulative_filled_qty:
            return None
        return self.cumulative_quote_qty / self.cumulative_filled_qty


class ListStatusOrder(PlainDecimals, BaseModel):
    """One order of an order list."""

    model_config = ConfigDict(populate_by_name=True, extra="allow", frozen=True)

    symbol: str = Field(alias="s")
    order_id: int = Field(alias="i")
    client_order_id: str = Field(alias="c")


class ListStatus(_Event):
    """An order list (OCO, OTO, OTOCO, ...) changed."""

    event_type: Literal["listStatus"] = Field(alias="e")
    symbol: str = Field(alias="s")
    order_list_id: int = Field(alias="g")
    contingency_type: str = Field(alias="c")
    list_status_type: str = Field(alias="l")
    list_order_status: str = Field(alias="L")
    list_reject_reason: str = Field(alias="r")
    list_client_order_id: str = Field(alias="C")
    transaction_time: Timestamp = Field(alias="T")
    orders: list[ListStatusOrder] = Field(alias="O")


class ExternalLockUpdate(_Event):
    """An asset was locked or unlocked by another Binance service (``locked_delta``)."""

    event_type: Literal["externalLockUpdate"] = Field(alias="e")
    asset: str = Field(alias="a")
    locked_delta: Decimal = Field(alias="d")
    transaction_time: Timestamp = Field(alias="T")


class EventStreamTerminated(_Event):
    """The subscription ended (for instance after ``session.logout``): no more events follow."""

    event_type: Literal["eventStreamTerminated"] = Field(alias="e")


class UnknownEvent(_Event):
    """An event type this version does not model; every key is kept as an extra attribute."""

    event_type: str = Field(alias="e")
    event_time: Timestamp | None = Field(default=None, alias="E")  # type: ignore[assignment]


class UserDataGapEvent(PlainDecimals, BaseModel):
    """Not from Binance: the client reports that user data events may have been missed.

    The WebSocket API client delivers it (to ``on_user_data``, ``on_message`` or
    ``user_data_events()``) after a user data subscription was restored on a new connection
    following a loss, before any event of the restored subscription. Events sent by Binance
    between ``start`` and ``end`` never arrived: fills, cancels and balance changes of that
    window are only known by asking, e.g. with ``ws.resync_user_data(...)``.
    """

    model_config = ConfigDict(frozen=True)

    event_type: Literal["userDataGap"] = "userDataGap"
    start: datetime
    """Last moment known to be covered: the last frame received on the lost connection."""
    end: datetime
    """First moment covered again: the subscription was confirmed on the new connection."""
    reason: str = ""
    """Why the connection was lost (the close reason), when known."""
    subscription_id: int | None = None
    """The id of the restored subscription (its events carry it from now on)."""

    @property
    def duration(self) -> float:
        """Seconds of the window in which events may be missing."""
        return (self.end - self.start).total_seconds()


_KNOWN = frozenset(
    {
        "outboundAccountPosition",
        "balanceUpdate",
        "executionReport",
        "listStatus",
        "externalLockUpdate",
        "eventStreamTerminated",
    }
)


def _event_tag(value: Any) -> str:
    kind = value.get("e") if isinstance(value, dict) else getattr(value, "event_type", None)
    return kind if kind in _KNOWN else "unknown"


UserDataEvent = Annotated[
    Annotated[OutboundAccountPosition, Tag("outboundAccountPosition")]
    | Annotated[BalanceUpdate, Tag("balanceUpdate")]
    | Annotated[ExecutionReport, Tag("executionReport")]
    | Annotated[ListStatus, Tag("listStatus")]
    | Annotated[ExternalLockUpdate, Tag("externalLockUpdate")]
    | Annotated[EventStreamTerminated, Tag("eventStreamTerminated")]
    | Annotated[UnknownEvent, Tag("unknown")],
    Discriminator(_event_tag),
]
"""Any user data event; narrow with ``isinstance`` or on ``event.event_type``."""

_ADAPTER: TypeAdapter[Any] = TypeAdapter(UserDataEvent)


def parse_user_data_event(data: Any, time_unit: str | None = None) -> UserDataEvent:
    """Decode one event (the ``event`` object of a WebSocket API frame, or its JSON text)."""
    context = {"time_unit": time_unit} if time_unit else None
    if isinstance(data, (str, bytes)):
        return _ADAPTER.validate_json(data, context=context)  # type: ignore[no-any-return]
    return _ADAPTER.validate_python(data, context=context)  # type: ignore[no-any-return]
