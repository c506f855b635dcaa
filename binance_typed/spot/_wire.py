"""``to_wire``: any result of this package as plain JSON data, the way Binance sent it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ..models._base import EPOCH, fmt_decimal

__all__ = ["to_wire"]

_ONE_MS = 1000  # microseconds


def to_wire(obj: Any) -> Any:
    """Turn a result (model, ``Kline``, list, dict...) into ``json.dumps``-able data.

    Models become dicts keyed by the wire names Binance sent (camelCase; absent fields stay
    absent); ``Decimal`` becomes its plain string (``"0.00100000"``, as sent); a ``datetime``
    becomes integer epoch milliseconds; enums their string value. A :class:`Kline` becomes the
    12-element row binance-connector returned, the unused last element restored as ``"0"``.
    """
    if isinstance(obj, BaseModel):
        return to_wire(obj.model_dump(by_alias=True, exclude_unset=True))
    if isinstance(obj, Decimal):
        return fmt_decimal(obj)
    if isinstance(obj, datetime):
        delta = obj - EPOCH
        return (delta.days * 86_400_000_000 + delta.seconds * 1_000_000 + delta.microseconds) // _ONE_MS
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        row = [to_wire(value) for value in obj]
        if type(obj).__name__ == "Kline":
            row.append("0")
        return row
    if isinstance(obj, (list, tuple)):
        return [to_wire(value) for value in obj]
    if isinstance(obj, dict):
        return {key: to_wire(value) for key, value in obj.items()}
    if isinstance(obj, Sequence) and not isinstance(obj, (str, bytes)):
        return [to_wire(value) for value in obj]
    return obj
