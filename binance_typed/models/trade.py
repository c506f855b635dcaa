"""Response models of the trading endpoints: order acknowledgements, results and fills."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Tag

from ._base import BinanceModel, DecimalStr, Timestamp

__all__ = ["Fill", "OrderAck", "OrderFull", "OrderResponse", "OrderResult"]


class OrderAck(BinanceModel):
    """``newOrderRespType=ACK``: the order was accepted; ids and time only."""

    symbol: str
    order_id: int
    order_list_id: int = -1
    client_order_id: str
    transact_time: Timestamp


class OrderResult(OrderAck):
    """``newOrderRespType=RESULT``: the order's state right after it was placed."""

    price: DecimalStr
    orig_qty: DecimalStr
    executed_qty: DecimalStr
    orig_quote_order_qty: DecimalStr | None = None
    cummulative_quote_qty: DecimalStr
    status: str
    time_in_force: str
    type: str
    side: str
    working_time: Timestamp | None = None
    self_trade_prevention_mode: str | None = None
    stop_price: DecimalStr | None = None
    iceberg_qty: DecimalStr | None = None
    trailing_delta: int | None = None
    trailing_time: Timestamp | None = None
    strategy_id: int | None = None
    strategy_type: int | None = None
    prevented_match_id: int | None = None
    prevented_quantity: DecimalStr | None = None
    used_sor: bool | None = None
    working_floor: str | None = None
    peg_price_type: str | None = None
    peg_offset_type: str | None = None
    peg_offset_value: int | None = None
    pegged_price: DecimalStr | None = None


class Fill(BinanceModel):
    """One trade that (partly) filled an order."""

    price: DecimalStr
    qty: DecimalStr
    commission: DecimalStr
    commission_asset: str
    trade_id: int
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
"""What ``new_order`` returns when ``newOrderRespType`` is not given: the shape Binance chose."""
