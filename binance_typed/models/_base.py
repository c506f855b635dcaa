"""Building blocks shared by every response model: base class, Decimal and timestamp types.

Response models read tolerantly: unknown fields are kept (``extra="allow"``) so a field that
Binance adds tomorrow never breaks a running bot. Prices, quantities and commissions are
:class:`~decimal.Decimal`; timestamps are timezone-aware UTC datetimes whose unit (milliseconds or
microseconds) comes from the client's ``time_unit`` setting, passed in as validation context.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer, ValidationInfo, WrapValidator
from pydantic.alias_generators import to_camel

__all__ = [
    "EPOCH",
    "BinanceModel",
    "DecimalStr",
    "Timestamp",
    "fmt_decimal",
    "from_epoch",
    "is_microseconds",
]

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)
_US = timedelta(microseconds=1)


def fmt_decimal(value: Decimal) -> str:
    """Plain notation for a Decimal: never an exponent (``1E-5`` becomes ``0.00001``)."""
    return format(value, "f")


def is_microseconds(context: Any) -> bool:
    """True when the validation context says timestamps are in microseconds."""
    return bool(context) and context.get("time_unit") == "MICROSECOND"


def from_epoch(value: int, microseconds: bool = False) -> datetime:
    """Convert an integer epoch in ms (or µs) to an aware UTC datetime, exactly (no float)."""
    return EPOCH + (_US if microseconds else _MS) * value


def _validate_timestamp(value: Any, handler: Any, info: ValidationInfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return from_epoch(value, is_microseconds(info.context))
        except OverflowError:
            raise ValueError(f"epoch timestamp {value} is out of range") from None
    raise ValueError(f"expected an integer epoch timestamp, got {value!r}")


def _serialize_timestamp(value: datetime) -> int:
    return (value - EPOCH) // _MS


Timestamp = Annotated[
    datetime,
    WrapValidator(_validate_timestamp),
    PlainSerializer(_serialize_timestamp, return_type=int),
]
"""An aware UTC datetime read from an epoch integer (ms, or µs when the client asked for µs)."""

DecimalStr = Annotated[Decimal, PlainSerializer(fmt_decimal, return_type=str)]
"""A Decimal read from Binance's string numbers and written back in plain notation."""


class BinanceModel(BaseModel):
    """Base of every response model: snake_case attributes, camelCase wire aliases, frozen."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        frozen=True,
        protected_namespaces=(),
    )

    def __repr_args__(self) -> Any:
        # Decimals in plain notation: Decimal('0.00000000'), never Decimal('0E-8')
        for name, value in super().__repr_args__():
            yield name, _PlainDecimal(value) if isinstance(value, Decimal) else value


class _PlainDecimal:
    """Shows a Decimal in a model's repr as ``Decimal('0.00000000')`` (same value, no exponent)."""

    __slots__ = ("text",)

    def __init__(self, value: Decimal) -> None:
        self.text = f"Decimal('{fmt_decimal(value)}')"

    def __repr__(self) -> str:
        return self.text
