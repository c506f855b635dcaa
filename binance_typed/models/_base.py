"""Building blocks shared by every response model: base class, Decimal and timestamp types.

Response models read tolerantly: unknown fields are kept (``extra="allow"``) so a field that
Binance adds tomorrow never breaks a running bot. Prices, quantities and commissions are
:class:`~decimal.Decimal`; timestamps are timezone-aware UTC datetimes whose unit (milliseconds or
microseconds) comes from the client's ``time_unit`` setting, passed in as validation context.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    PlainSerializer,
    ValidationInfo,
    WrapValidator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import CoreSchema, core_schema

__all__ = [
    "EPOCH",
    "BinanceModel",
    "WireAccess",
    "DecimalStr",
    "PlainDecimals",
    "Timestamp",
    "fmt_decimal",
    "from_epoch",
    "is_microseconds",
    "loads",
]

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)
_US = timedelta(microseconds=1)


def fmt_decimal(value: Decimal) -> str:
    """Plain notation for a Decimal: never an exponent (``1E-5`` becomes ``0.00001``)."""
    return format(value, "f")


_orjson_loads: Callable[[bytes | str], Any] | None
try:  # the optional ``fast`` extra
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - the tests run both readers by patching this name
    _orjson_loads = None


def loads(content: bytes | str) -> Any:
    """Decode a JSON body: with orjson when it is installed (``binance-typed[fast]``), else
    :func:`json.loads`.

    The two give the same values for every body Binance sends. Where orjson refuses a body that
    the standard reader takes (``NaN``, lone surrogates), the standard reader decides. One
    difference remains: orjson reads an integer beyond 64 bits as a float. The fast parsers
    that use this function accept a column only when every value has the exact JSON type the
    field takes, so such a body goes to full validation and the result does not depend on the
    reader.
    """
    if _orjson_loads is not None:
        try:
            return _orjson_loads(content)
        except ValueError:
            pass
    return json.loads(content)


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
"""A Decimal written back in plain notation, for use outside the models. Model fields are annotated
plain ``Decimal`` (so an editor shows ``Decimal``): :class:`PlainDecimals` gives them the same
serialisation."""

_PLAIN_DECIMAL = core_schema.plain_serializer_function_ser_schema(fmt_decimal, return_schema=core_schema.str_schema())


def _plain_row(row: tuple[Any, ...]) -> list[Any]:
    return [fmt_decimal(v) if isinstance(v, Decimal) else v for v in row]


_PLAIN_ROW = core_schema.plain_serializer_function_ser_schema(_plain_row, when_used="json")
"""NamedTuple rows (``PriceLevel``) serialise by inference, not by their fields' schemas: in JSON
their Decimals are written in plain notation too."""


def _plain_decimals(schema: Any, handler: GetCoreSchemaHandler, seen: set[str]) -> None:
    """Give every ``decimal`` schema without a serializer the plain-notation one (in place),
    following references to shared definitions (a NamedTuple row used by several fields)."""
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind == "decimal" and "serialization" not in schema:
            schema["serialization"] = _PLAIN_DECIMAL
        elif kind == "call" and "serialization" not in schema and hasattr(schema.get("function"), "_fields"):
            schema["serialization"] = _PLAIN_ROW
        elif kind == "definition-ref" and schema.get("schema_ref") not in seen:
            seen.add(schema["schema_ref"])
            with suppress(LookupError):  # a definition not built yet: its own model's schema handles it
                _plain_decimals(handler.resolve_ref_schema(schema), handler, seen)
        for value in schema.values():
            if isinstance(value, (dict, list)):
                _plain_decimals(value, handler, seen)
    elif isinstance(schema, list):
        for value in schema:
            if isinstance(value, (dict, list)):
                _plain_decimals(value, handler, seen)


class PlainDecimals:
    """Model mixin: every ``Decimal`` of the model (also inside lists, tuples and optionals) dumps as
    a string in plain notation, ``"0.00000000"`` and never ``"0E-8"``, in JSON and Python mode.

    The serializer is attached to the model's core schema once, when the schema is built, so fields
    can be annotated plain ``Decimal`` and dumping costs what ``DecimalStr`` cost.
    """

    __slots__ = ()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        _plain_decimals(schema, handler, set())
        return schema


_WIRE_KEYS: dict[type, dict[str, str]] = {}
"""Per model class: wire key -> field name (built on first subscript, never per instance)."""


def _wire_keys(cls: type[BaseModel]) -> dict[str, str]:
    keys = _WIRE_KEYS.get(cls)
    if keys is None:
        keys = _WIRE_KEYS[cls] = {info.alias or name: name for name, info in cls.model_fields.items()}
    return keys


class WireAccess:
    """Dict-style reading of a response model by its wire keys, as binance-connector returned it.

    ``order["orderId"]``, ``order.get("fills")``, ``"fills" in order``, ``list(order)`` and
    ``order.keys()`` see the keys Binance sent (camelCase, absent optional fields absent).
    A subscript returns the value as it was on the wire: prices and quantities as their original
    strings, times as integer epoch milliseconds, enums as their string value. Nested models and
    lists of models are returned as models, so ``account["balances"][0]["free"]`` reads a string
    while ``account.balances[0].free`` reads a Decimal. Attribute access is unchanged.

    Nothing is stored per instance: the key table is built once per class.
    """

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        model: BaseModel = self  # type: ignore[assignment]
        name = _wire_keys(type(model)).get(key)
        if name is None or name not in model.__pydantic_fields_set__:
            extra = model.__pydantic_extra__
            if extra is not None and key in extra:
                return extra[key]
            raise KeyError(key)
        value = getattr(model, name)
        if isinstance(value, BaseModel) or value is None:
            return value
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            return list(value)
        dumped = model.__pydantic_serializer__.to_python(model, mode="json", by_alias=True, include={name})
        return dumped[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The wire value of ``key``, or ``default`` when Binance did not send it."""
        try:
            return self[key]
        except KeyError:
            return default

    def keys(self) -> list[str]:
        """The wire keys Binance sent, in declaration order, then unknown (extra) keys."""
        model: BaseModel = self  # type: ignore[assignment]
        present = model.__pydantic_fields_set__
        keys = [key for key, name in _wire_keys(type(model)).items() if name in present]
        if model.__pydantic_extra__:
            keys += list(model.__pydantic_extra__)
        return keys

    def values(self) -> list[Any]:
        return [self[key] for key in self.keys()]

    def items(self) -> list[tuple[str, Any]]:
        return [(key, self[key]) for key in self.keys()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.keys()


class BinanceModel(PlainDecimals, WireAccess, BaseModel):
    """Base of every response model: snake_case attributes, camelCase wire aliases, frozen.

    Besides attributes, a model reads like the dict binance-connector returned (see
    :class:`WireAccess`).
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        frozen=True,
        protected_namespaces=(),
        defer_build=True,
    )

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        """The wire keys, as iterating the connector's dict did (``dict(model)`` works too)."""
        return iter(self.keys())

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
