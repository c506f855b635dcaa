"""The endpoint declaration: everything the clients need to know about one Binance operation.

Each endpoint is declared once in ``binance_typed/endpoints/<group>.py``. The REST clients (sync
and async), the WebSocket API client, the generated typed methods in ``binance_typed/api/`` and
the ``endpoints`` catalogue are all driven by these declarations.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import TypeAdapter

from ._params import Params

__all__ = ["ABSENT", "GIVEN", "Endpoint", "Overload", "Security"]


class Security(str, enum.Enum):
    """How a request is authenticated."""

    NONE = "NONE"
    """Public: no key, no signature."""
    API_KEY = "API_KEY"
    """Sends ``X-MBX-APIKEY`` only."""
    SIGNED = "SIGNED"
    """Sends the API key, a ``timestamp`` and a ``signature`` (TRADE and USER_DATA endpoints)."""


class _Marker(enum.Enum):
    GIVEN = "given"
    ABSENT = "absent"


GIVEN = _Marker.GIVEN
"""In an :class:`Overload`: the parameter is passed (not None)."""
ABSENT = _Marker.ABSENT
"""In an :class:`Overload`: the parameter is left out."""


@dataclass(frozen=True)
class Overload:
    """A response type that applies when parameters take given values.

    ``when`` maps a parameter name to a tuple of literal values, :data:`GIVEN` or :data:`ABSENT`.
    The generator turns each into a ``typing.overload``; at run time the first matching overload
    picks the response model (so ``newOrderRespType="ACK"`` parses an ``OrderAck``).
    """

    when: Mapping[str, tuple[Any, ...] | _Marker]
    response: Any
    typing_only: bool = False
    """Only for the type checker: at run time the endpoint's own response type decodes (used for
    documented defaults, so an answer of another shape still decodes instead of failing)."""

    def matches(self, params: Params) -> bool:
        for name, cond in self.when.items():
            value = getattr(params, name)
            if cond is GIVEN:
                if value is None:
                    return False
            elif cond is ABSENT:
                if value is not None:
                    return False
            elif isinstance(cond, tuple) and value not in cond and getattr(value, "value", value) not in cond:
                return False
        return True


@dataclass(frozen=True, eq=False)
class Endpoint:
    """One Binance operation, declared once.

    Attributes:
        group: the client group (``"market"``, ``"trade"``, ``"account"``, ...).
        name: the method name in that group (``"klines"``).
        verb: the HTTP verb.
        path: the REST path (``"/api/v3/klines"``); None for WebSocket-only methods.
        security: NONE, API_KEY or SIGNED.
        params: the pydantic request model; its required fields become positional parameters.
        response: the response type (a model, ``list[Model]``, a union...).
        weight: the request weight, or a function of the parameters when the docs make it depend
            on one (``depth`` by ``limit``, tickers by the number of symbols).
        summary: one line saying what the call does (the generated docstring).
        ws_method: the WebSocket API method name (``"klines"``, ``"order.place"``), if any.
        places_order: True for calls that may create an order or move money (withdrawals,
            transfers, borrow/repay, subscriptions...): never resent; a timeout, 5XX, dropped
            connection or unreadable answer raises
            :class:`~binance_typed.error.ExecutionStatusUnknown`.
        client_id_field: the parameter holding the client-side id (``newClientOrderId``,
            ``withdrawOrderId``, ``clientTranId``...), generated when not given.
        overloads: response types that depend on parameter values (see :class:`Overload`).
        parser: an optional fast parser ``(content, context) -> response`` replacing the adapter.
        product: the Binance product (``"spot"``, or a /sapi product such as ``"wallet"``).
        weight_kind: which limit the weight counts against: ``"IP"`` or ``"UID"``.
        docs_url: the endpoint's page in Binance's documentation.
        exact_numbers: decode JSON numbers as Decimal before validation (no float on the way).
        body_encoding: ``"json"`` when the parameters travel as a JSON body, else None (query).
        order_weight: how many orders the call counts against the ORDERS limits.
    """

    group: str
    name: str
    verb: str
    path: str | None
    security: Security
    params: type[Params]
    response: Any
    weight: int | Callable[[Any], int]
    summary: str
    ws_method: str | None = None
    places_order: bool = False
    client_id_field: str | None = None
    overloads: tuple[Overload, ...] = ()
    parser: Callable[[bytes | str, Any], Any] | None = None
    extra_doc: str = ""
    order_weight: int = 0
    product: str = "spot"
    weight_kind: str = "IP"
    docs_url: str = ""
    exact_numbers: bool = False
    body_encoding: str | None = None
    _cache: dict[int, Any] = field(default_factory=dict, repr=False)

    @property
    def dotted(self) -> str:
        """``group.name``, e.g. ``"trade.new_order"``."""
        return f"{self.group}.{self.name}"

    @property
    def moves_money(self) -> bool:
        """Whether the call may create an order or move money (never resent)."""
        return self.places_order

    @property
    def idempotent(self) -> bool:
        """Whether the call may be retried safely (GET requests)."""
        return self.verb == "GET"

    def weight_for(self, params: Params | None = None) -> int:
        """The request weight of a call with ``params``; -1 when it depends on parameters not given."""
        if callable(self.weight):
            return int(self.weight(params)) if params is not None else -1
        return self.weight

    @property
    def weight_text(self) -> str:
        """The weight as the reference shows it: a number, or how it depends on the parameters."""
        if callable(self.weight):
            return str(self.weight.__doc__ or "depends on the parameters").strip()
        return str(self.weight)

    @cached_property
    def adapter(self) -> TypeAdapter[Any]:
        """The pydantic adapter that reads the declared response type."""
        return TypeAdapter(self.response)

    def response_type(self, params: Params) -> Any:
        """The response type of a call with ``params`` (the first matching run-time overload, else ``response``)."""
        for overload in self.overloads:
            if not overload.typing_only and overload.matches(params):
                return overload.response
        return self.response

    def adapter_for(self, params: Params) -> TypeAdapter[Any]:
        """The adapter that reads the answer to ``params``: the first matching run-time overload's, else the declared one."""
        if not self.overloads:
            return self.adapter
        key = next((i for i, o in enumerate(self.overloads) if not o.typing_only and o.matches(params)), -1)
        adapter = self._cache.get(key)
        if adapter is None:
            adapter = self._cache[key] = TypeAdapter(self.overloads[key].response if key >= 0 else self.response)
        return adapter

    def parse(self, content: bytes | str, params: Params, context: Any) -> Any:
        """Decode a successful response body into the declared type."""
        if self.parser is not None and not self.overloads:
            return self.parser(content, context)
        if self.exact_numbers:
            import json
            from decimal import Decimal

            return self.adapter_for(params).validate_python(json.loads(content, parse_float=Decimal), context=context)
        return self.adapter_for(params).validate_json(content, context=context)

    def parse_python(self, data: Any, params: Params, context: Any) -> Any:
        """Validate an already decoded result (the WebSocket API's ``result``)."""
        return self.adapter_for(params).validate_python(data, context=context)
