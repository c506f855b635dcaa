"""Request parameter models: validated before signing, serialised to Binance's wire format.

Field names are the API's own (``orderListId``, ``newClientOrderId``). A params model is built by
:meth:`Params.build`, which turns pydantic's errors into :class:`ParameterRequiredError` (missing)
or :class:`ParameterValueError` (bad value), and then runs the model's cross-field :meth:`check`.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Any, ClassVar, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from .error import ConditionalParameterRequiredError, ParameterRequiredError, ParameterValueError
from .models._base import EPOCH, fmt_decimal

__all__ = [
    "DecimalLike",
    "DecimalParam",
    "Params",
    "PositiveDecimal",
    "RecvWindow",
    "SignedParams",
    "TimeParam",
    "to_decimal",
]

DecimalLike = Decimal | str | int | float
"""What a price or quantity parameter accepts; it is sent in plain notation, never ``1e-05``."""


_MAX_TEXT = 100
"""Longest number text read (Binance's prices and quantities have at most ~40 characters)."""
_MAX_ADJUSTED = 40
"""Largest power of ten (either way) a parameter number may have: beyond it, nothing Binance
accepts; and refusing it before any arithmetic keeps ``1E999999999`` from exhausting memory."""


def to_decimal(value: Any) -> Decimal:
    """Read a Decimal from Decimal, str, int or float (a float through its shortest repr).

    Sizes are checked before any arithmetic: at most 100 characters, and a magnitude between
    1e-40 and 1e40 (zero allowed), so a hostile value fails fast instead of hanging.
    """
    if type(value) is str and len(value) <= 2 * _MAX_ADJUSTED:  # the usual case, checked the same way
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"expected a decimal number, got {value!r}") from None
        if not result.is_finite():
            raise ValueError(f"expected a finite number, got {value!r}")
        if result and not -_MAX_ADJUSTED <= result.adjusted() <= _MAX_ADJUSTED:
            raise ValueError("number out of range (more than 40 digits either side of the point)")
        return result  # at most 80 characters: at most 80 digits
    if isinstance(value, bool):
        raise ValueError("expected a number, got a bool")
    if isinstance(value, str) and len(value) > _MAX_TEXT:
        raise ValueError(f"expected a decimal number of at most {_MAX_TEXT} characters")
    if isinstance(value, int) and not -(10**_MAX_ADJUSTED) < value < 10**_MAX_ADJUSTED:
        raise ValueError("number out of range")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value!r}")
        result = Decimal(repr(value))
    elif isinstance(value, (int, str)):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"expected a decimal number, got {value!r}") from None
    else:
        raise ValueError(f"expected a decimal number, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    if result and not -_MAX_ADJUSTED <= result.adjusted() <= _MAX_ADJUSTED:
        raise ValueError("number out of range (more than 40 digits either side of the point)")
    if len(result.as_tuple().digits) > 2 * _MAX_ADJUSTED:
        raise ValueError("number has too many digits")
    return result


def _to_ms(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("datetime parameters must be timezone-aware")
        return (value - EPOCH) // _ONE_MS
    return value


DecimalParam = Annotated[Decimal, BeforeValidator(to_decimal)]
PositiveDecimal = Annotated[Decimal, BeforeValidator(to_decimal), Field(gt=0)]
TimeParam = Annotated[int, BeforeValidator(_to_ms), Field(ge=0)]
"""A time parameter: epoch ms (int) or an aware datetime."""


def _check_recv_window(value: Any) -> Decimal:
    window = to_decimal(value)
    if not 0 < window <= 60000:
        raise ValueError("recvWindow must be greater than 0 and at most 60000 ms")
    exponent = window.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        raise ValueError("recvWindow takes at most three decimal places")
    return window


RecvWindow = Annotated[Decimal, BeforeValidator(_check_recv_window)]

P = TypeVar("P", bound="Params")
_ONE_MS = timedelta(milliseconds=1)


def wire_value(value: Any) -> str:
    """The text Binance expects for a parameter value (enums by value, Decimals in plain notation)."""
    kind = type(value)  # exact-type fast paths for the common cases; subclasses take the long way
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    if kind is Decimal:
        return fmt_decimal(value)
    if isinstance(value, str):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return fmt_decimal(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (list, tuple)):
        return json.dumps([wire_value(v) for v in value], separators=(",", ":"))
    return str(value)


_URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-"
"""RFC 3986 unreserved characters: text made only of them is sent as it is."""


def _url_text(text: str) -> str:
    """``text`` percent-encoded as :func:`binance_typed._signing.encode_params` encodes a value.

    ``rstrip`` of the unreserved characters leaves nothing exactly when every character is
    unreserved (one C-level pass; the common case: symbols, enum names, numbers, hex ids).
    """
    return quote(text, safe="-_.~") if text.rstrip(_URL_SAFE) else text


def _decimal_text(value: Decimal) -> str:
    """:func:`fmt_decimal` of ``value``, by ``str`` when that already has no exponent.

    ``str`` of a Decimal is its plain notation unless the exponent is positive or the number is
    below 1e-6 (then it holds an ``E``, or an ``e`` under a context with ``capitals=0``): only
    those take the slower ``format(value, "f")``. Plain-notation text is always URL-safe.
    """
    text = str(value)
    if "E" in text or "e" in text:
        return fmt_decimal(value)
    return text


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


_QUERY_TEXT: dict[type, Any] = {str: _url_text, int: str, Decimal: _decimal_text, bool: _bool_text}
"""Per exact type of a parameter value: the URL-encoded wire text (see :meth:`Params.wire_query`)."""


def _query_text_for(kind: type) -> Any:
    """The encoder of values of type ``kind`` (built once per type, then looked up)."""
    encoder = _QUERY_TEXT.get(kind)
    if encoder is not None:
        return encoder
    if issubclass(kind, Enum) and issubclass(kind, str) and all(str.__str__(m) == m.value for m in kind):
        if all(_url_text(m.value) == m.value for m in kind):
            # a str enum whose text is its value, and URL-safe: ``str.__str__`` reads it in C
            encoder = str.__str__
        else:

            def encoder(value: Any) -> str:
                return _url_text(str.__str__(value))
    else:

        def encoder(value: Any) -> str:
            return _url_text(wire_value(value))

    _QUERY_TEXT[kind] = encoder
    return encoder


class Params(BaseModel):
    """Base of every request model. Unknown names are rejected; ``None`` means 'not sent'."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, defer_build=True)
    signed: ClassVar[bool] = False

    @classmethod
    def build(cls: type[P], **values: Any) -> P:
        """Validate ``values`` into this model, raising this package's parameter errors.

        Sizes are checked first (:func:`precheck`), so no value reaches big-integer or Decimal
        arithmetic, a regular expression or an error message at a size that could hang.
        """
        for name, value in values.items():
            precheck(name, value)
        try:
            model = cls.model_validate(values)
        except ValidationError as exc:
            raise _parameter_error(exc) from None
        try:
            model.check()
        except (ArithmeticError, TypeError) as exc:  # a rule's arithmetic on a legal but odd value
            raise ParameterValueError(f"invalid parameters: {type(exc).__name__}", None) from None
        return model

    def check(self) -> None:
        """Cross-field rules of the endpoint; override and raise :class:`ParameterValueError`."""

    def wire_items(self) -> list[tuple[str, str]]:
        """The parameters to send, in declaration order, each as a ``(name, text)`` pair."""
        return [(k, wire_value(v)) for k, v in self.__dict__.items() if v is not None and k != "recvWindow"]

    def wire_query(self) -> str:
        """The URL-encoded query of :meth:`wire_items`: equal to ``encode_params(self.wire_items())``,
        built in one pass with an encoder per value type."""
        get = _QUERY_TEXT.get
        return "&".join(
            [
                f"{k}={(get(type(v)) or _query_text_for(type(v)))(v)}"
                for k, v in self.__dict__.items()
                if v is not None and k != "recvWindow"
            ]
        )

    def with_value(self: P, name: str, value: Any) -> P:
        """A copy with field ``name`` set to the already valid ``value`` (no validation, as
        ``model_copy(update=...)``), made without pydantic's generic copy machinery."""
        cls = type(self)
        new = cls.__new__(cls)
        setattr_ = object.__setattr__
        setattr_(new, "__dict__", {**self.__dict__, name: value})
        setattr_(new, "__pydantic_fields_set__", self.__pydantic_fields_set__ | {name})
        extra, private = self.__pydantic_extra__, self.__pydantic_private__
        setattr_(new, "__pydantic_extra__", None if extra is None else dict(extra))
        setattr_(new, "__pydantic_private__", None if private is None else dict(private))
        return new

    def recv_window_text(self, default: int | float) -> str:
        """``recvWindow`` as sent: this call's value if it has one, else the client's default."""
        return wire_value(getattr(self, "recvWindow", None) or default)

    # -- helpers for check() ------------------------------------------------------------------
    def require(self, *names: str, because: str) -> None:
        missing = [n for n in names if getattr(self, n) is None]
        if missing:
            raise ConditionalParameterRequiredError(missing, because)

    def forbid(self, *names: str, because: str) -> None:
        present = [n for n in names if getattr(self, n) is not None]
        if present:
            raise ParameterValueError(f"{', '.join(present)} not allowed {because}", present[0])

    def one_of(self, *names: str, exactly: bool = False) -> None:
        given = [n for n in names if getattr(self, n) is not None]
        if len(given) > 1:
            raise ParameterValueError(f"send only one of {', '.join(names)}", given[1])
        if exactly and not given:
            raise ConditionalParameterRequiredError(list(names), "(send exactly one)")

    def require_any(self, *names: str, because: str = "(send at least one)") -> None:
        if all(getattr(self, n) is None for n in names):
            raise ConditionalParameterRequiredError(list(names), because)


LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
_MAX_STR = 1000


def precheck(name: str, value: Any) -> None:
    """Rules every parameter obeys, whatever its declaration, checked before pydantic sees it.

    Integers fit Binance's LONG; text is non-empty, at most 1000 characters and free of control
    characters (a trailing newline would otherwise pass a ``$``-anchored check); Decimals and
    floats are finite and of a sane magnitude (see :func:`to_decimal`); lists obey the same.
    """
    kind = type(value)
    if kind is str:
        if not value or len(value) > _MAX_STR or not value.isprintable() or value != value.strip():
            raise ParameterValueError(f"{name}: must be non-empty printable text without surrounding spaces", name)
    elif kind is int:
        if not LONG_MIN <= value <= LONG_MAX:
            raise ParameterValueError(f"{name}: out of the LONG range (|value| < 2**63)", name)
    elif kind is Decimal or kind is float:
        try:
            to_decimal(value)
        except ValueError as exc:
            raise ParameterValueError(f"{name}: {exc}", name) from None
    elif kind is list or kind is tuple:
        if len(value) > 1000:
            raise ParameterValueError(f"{name}: too many values", name)
        for item in value:
            precheck(name, item)


class SignedParams(Params):
    """Parameters of a signed endpoint: adds the per-call ``recvWindow`` (ms, at most 60000)."""

    signed: ClassVar[bool] = True
    recvWindow: RecvWindow | None = None


def _parameter_error(exc: ValidationError) -> Exception:
    errors = exc.errors(include_url=False)
    missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing"]
    if missing:
        return ParameterRequiredError(missing)
    extra = [str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden"]
    if extra:
        return TypeError(f"unexpected parameter(s): {', '.join(extra)}")
    first = errors[0]
    name = ".".join(str(p) for p in first["loc"]) or "parameters"
    message = first["msg"].removeprefix("Value error, ")
    if "got " not in message:  # our own validators already quote the value
        message = f"{message} (got {_short_repr(first.get('input'))})"
    return ParameterValueError(f"{name}: {message}", name)


def _short_repr(value: Any) -> str:
    """``repr`` for an error message, bounded (a huge int's repr alone can raise or take seconds)."""
    if isinstance(value, int) and not isinstance(value, bool) and not LONG_MIN <= value <= LONG_MAX:
        return "<an integer out of range>"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001
        return f"<{type(value).__name__}>"
    return text if len(text) <= 120 else text[:117] + "..."
