"""Parameter kinds: each turns the sent text into a value or raises Binance's error for it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from ._errors import ApiError, bad_symbol, illegal_chars, invalid_param

__all__ = ["Kind", "boolean", "decimal", "enum", "integer", "symbol", "symbols", "text"]

Kind = Callable[[str, str], Any]
"""``kind(name, raw) -> value``."""

_SYMBOL = re.compile(r"^[A-Z0-9\-_.]{1,20}$")
_DECIMAL = re.compile(r"^([0-9]{1,20})(\.[0-9]{1,20})?$")
_INT = re.compile(r"^-?[0-9]{1,20}$")
_CLIENT_ID = re.compile(r"^[\.A-Z\:/a-z0-9_-]{1,36}$")


def symbol(name: str, raw: str) -> str:
    if not _SYMBOL.match(raw):
        raise illegal_chars(name, "^[A-Z0-9-_.]{1,20}$")
    return raw


def symbols(name: str, raw: str) -> list[str]:
    try:
        value = json.loads(raw)
    except ValueError:
        raise illegal_chars(name, '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$') from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise illegal_chars(name, '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$')
    for item in value:
        symbol(name, item)
    if len(set(value)) != len(value):
        raise ApiError(-1151)
    return value


def decimal(name: str, raw: str) -> Decimal:
    if not _DECIMAL.match(raw):
        raise illegal_chars(name, "^([0-9]{1,20})(\\.[0-9]{1,20})?$")
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise illegal_chars(name, "^([0-9]{1,20})(\\.[0-9]{1,20})?$") from None


def integer(name: str, raw: str) -> int:
    if not _INT.match(raw):
        raise illegal_chars(name, "^-?[0-9]{1,20}$")
    return int(raw)


def text(name: str, raw: str) -> str:
    return raw


def client_id(name: str, raw: str) -> str:
    if not _CLIENT_ID.match(raw):
        raise illegal_chars(name, "^[\\.A-Z\\:/a-z0-9_-]{1,36}$")
    return raw


def boolean(name: str, raw: str) -> bool:
    if raw.lower() not in ("true", "false"):
        raise invalid_param(name)
    return raw.lower() == "true"


def enum(*values: str, code: int | None = None) -> Kind:
    """One of ``values``; otherwise ``code``'s message (e.g. -1117 Invalid side.) or -1130."""

    def check(name: str, raw: str) -> str:
        if raw not in values:
            raise ApiError(code) if code is not None else invalid_param(name)
        return raw

    return check


def bounded(low: int, high: int) -> Kind:
    def check(name: str, raw: str) -> int:
        value = integer(name, raw)
        if not low <= value <= high:
            raise invalid_param(name)
        return value

    return check


def known_symbol(symbols_known: Any, name: str, raw: str) -> str:
    value = symbol(name, raw)
    if value not in symbols_known:
        raise bad_symbol()
    return value
