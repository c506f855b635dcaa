"""User data events (executionReport, outboundAccountPosition, balanceUpdate, listStatus) as Binance sends them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ._book import Order, Trade
from ._symbols import fmt

__all__ = ["Balance", "account_position", "balance_update", "execution_report", "list_status"]

ZERO = Decimal(0)


@dataclass
class Balance:
    free: Decimal = ZERO
    locked: Decimal = ZERO


def execution_report(order: Order, exec_type: str, now: int, trade: Trade | None = None,
                     orig_client_id: str = "") -> dict[str, Any]:
    commission, asset = (ZERO, None)
    if trade is not None:
        commission, asset_name = trade.commission.get(order.order_id, (ZERO, ""))
        asset = asset_name or None
    maker = trade is not None and (trade.buyer_is_maker == (order.side == "BUY"))
    extra: dict[str, Any] = {"k": "SOR", "uS": True} if order.sor else {}
    return {**extra,
        "e": "executionReport", "E": now, "s": order.symbol, "c": order.client_order_id, "S": order.side,
        "o": order.type, "f": order.time_in_force, "q": fmt(order.orig_qty), "p": fmt(order.price),
        "P": fmt(order.stop_price), "F": fmt(order.iceberg_qty), "g": order.order_list_id, "C": orig_client_id,
        "x": exec_type, "X": order.status, "r": "NONE", "i": order.order_id,
        "l": fmt(trade.qty if trade else ZERO), "z": fmt(order.executed_qty),
        "L": fmt(trade.price if trade else ZERO), "n": fmt(commission) if trade else "0", "N": asset,
        "T": trade.time if trade else now, "t": trade.id if trade else -1, "v": 0, "I": order.order_id * 2 + 1,
        "w": order.is_working and order.is_open, "m": maker, "M": False, "O": order.time,
        "Z": fmt(order.cum_quote), "Y": fmt(trade.quote_qty if trade else ZERO),
        "Q": fmt(order.orig_quote_qty), "W": order.working_time, "V": "NONE",
    }


def account_position(balances: dict[str, Balance], assets: list[str], now: int) -> dict[str, Any]:
    return {
        "e": "outboundAccountPosition", "E": now, "u": now,
        "B": [{"a": a, "f": fmt(balances[a].free), "l": fmt(balances[a].locked)} for a in assets if a in balances],
    }


def balance_update(asset: str, delta: Decimal, now: int) -> dict[str, Any]:
    return {"e": "balanceUpdate", "E": now, "a": asset, "d": fmt(delta), "T": now}


def list_status(orders: list[Order], list_id: int, list_client_id: str, now: int, status: str,
                order_status: str, contingency: str = "OCO") -> dict[str, Any]:
    return {
        "e": "listStatus", "E": now, "s": orders[0].symbol, "g": list_id, "c": contingency, "l": status,
        "L": order_status, "r": "NONE", "C": list_client_id, "T": now,
        "O": [{"s": o.symbol, "i": o.order_id, "c": o.client_order_id} for o in orders],
    }
