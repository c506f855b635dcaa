"""Helpers of the /sapi tests: catalogue cases, argument values, replay clients, body checks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

import httpx
from pydantic import BaseModel
from support import ROOT

from binance_typed import AsyncClient, Client, RetryPolicy
from binance_typed._endpoint import Endpoint
from binance_typed.endpoints import find_endpoint

CATALOGUE: list[dict[str, Any]] = json.loads((ROOT / "spec" / "sapi" / "catalogue.json").read_text())
SIGNING = {"recvWindow", "timestamp", "signature"}


def case_id(entry: dict[str, Any]) -> str:
    return f"{entry['verb']} {entry['path']}"


def declared(entry: dict[str, Any]) -> Endpoint:
    return find_endpoint(entry["verb"], entry["path"])


# -- argument values from the catalogue's parameter types -------------------------------------------
def sample_value(p: dict[str, Any]) -> tuple[Any, Any]:
    """(value passed to the method, what must appear on the wire: text, or decoded JSON)."""
    t = p["type"]
    if p.get("enum"):
        value = p["enum"][0]
        return value, value if isinstance(value, str) else str(value)
    if t == "string":
        return f"v-{p['name']}", f"v-{p['name']}"
    if t == "integer":
        return 7, "7"
    if t == "number":
        return Decimal("0.00000012"), "0.00000012"  # plain notation, never 1.2E-7
    if t == "boolean":
        return True, "true"
    if t == "object":
        return {"k": "v", "n": 1}, {"k": "v", "n": 1}
    if t == "array":
        return [{"symbol": "BTCUSDT", "quantity": "0.1"}], [{"symbol": "BTCUSDT", "quantity": "0.1"}]
    raise AssertionError(t)


def arguments(entry: dict[str, Any], with_optional: bool) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    """Positional args, keyword args and the expected wire values (by wire name, in order)."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    wire: dict[str, Any] = {}
    fields = declared(entry).params.model_fields
    for p in entry["params"]:
        if p["name"] == "recvWindow":
            continue
        if not p["required"] and not with_optional:
            continue
        if "Decimal" in str(fields[p["name"]].annotation):  # an amount the overlay retyped
            p = {**p, "type": "number"}
        value, on_wire = sample_value(p)
        if p["required"]:
            args.append(value)
        else:
            kwargs[p["name"]] = value
        wire[p["name"]] = on_wire
    return args, kwargs, wire


# -- response bodies --------------------------------------------------------------------------------
def body_from_schema(schema: dict[str, Any], name: str = "") -> Any:
    """A body shaped like the catalogue's response schema (leaf examples where it has them)."""
    if "example" in schema:
        return schema["example"]
    t = schema.get("type")
    if t == "object":
        props = schema.get("properties") or {}
        if props:
            return {k: body_from_schema(v, k) for k, v in props.items()}
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return {"KEY1": body_from_schema(extra, name)}
        return {}
    if t == "array":
        return [body_from_schema(schema.get("items") or {}, name)]
    if t == "string":
        return "12345"  # reads as text, as a Decimal and as an epoch: every generated leaf type
    if t == "integer":
        return 1700000000123
    if t == "number":
        return Decimal("0.123456789012345678901")  # more digits than a float keeps
    if t == "boolean":
        return True
    return "x"


# Typos in the catalogue's examples (from the 2024 yaml), corrected before replay: case -> fix.
EXAMPLE_TYPOS: dict[str, Callable[[Any], None]] = {
    # "isComplete": "true," (a stray comma inside the string)
    "GET /sapi/v1/simple-earn/locked/history/redemptionRecord": lambda body: body["rows"][0].update(isComplete=True),
}


def response_body(entry: dict[str, Any]) -> Any:
    if entry["example_response"] is not None:
        body = json.loads(json.dumps(entry["example_response"]))
        fix = EXAMPLE_TYPOS.get(case_id(entry))
        if fix is not None:
            fix(body)
        return body
    if entry["response"].get("empty") or entry["response"].get("untyped"):
        return {}
    return body_from_schema(entry["response"])


def to_json(body: Any) -> bytes:
    """JSON text of a body; Decimals are written as JSON numbers with every digit."""
    import re

    text = json.dumps(body, default=lambda d: f"__DECIMAL__{d}")
    return re.sub(r'"__DECIMAL__([-0-9.Ee+]+)"', r"\1", text).encode()


# -- replay -----------------------------------------------------------------------------------------
@dataclass
class Replay:
    """An httpx.MockTransport handler: records requests, answers from a queue or one body."""

    body: bytes | Callable[[httpx.Request], httpx.Response] = b"{}"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if callable(self.body):
            return self.body(request)
        return httpx.Response(self.status, content=self.body, headers=self.headers)

    def query(self, n: int = -1) -> list[tuple[str, str]]:
        return parse_qsl(self.requests[n].url.query.decode(), keep_blank_values=True)


def sync_client(replay: Replay, **kwargs: Any) -> Client:
    kwargs.setdefault("retry", RetryPolicy(max_retries=0))
    return Client("key", "secret", http_client=httpx.Client(transport=httpx.MockTransport(replay)), **kwargs)


def async_client(replay: Replay, **kwargs: Any) -> AsyncClient:
    kwargs.setdefault("retry", RetryPolicy(max_retries=0))
    return AsyncClient(
        "key", "secret", http_client=httpx.AsyncClient(transport=httpx.MockTransport(replay)), **kwargs
    )


# -- comparing a decoded model with the body it came from -----------------------------------------------
def dump(endpoint: Endpoint, result: Any) -> Any:
    return endpoint.adapter.dump_python(result, mode="json", by_alias=True)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return None


def assert_same(wire: Any, decoded: Any, where: str = "$") -> None:
    """Every key of the wire body is in the decoded dump, with an equal value (numbers compared
    as Decimals: ``"0.10"`` and ``0.1`` are the same amount)."""
    if isinstance(wire, dict):
        assert isinstance(decoded, dict), f"{where}: expected an object, got {decoded!r}"
        for k, v in wire.items():
            assert k in decoded, f"{where}.{k}: wire key dropped (decoded keys: {sorted(decoded)})"
            assert_same(v, decoded[k], f"{where}.{k}")
    elif isinstance(wire, list):
        assert isinstance(decoded, list) and len(decoded) == len(wire), f"{where}: {decoded!r}"
        for i, (a, b) in enumerate(zip(wire, decoded, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(wire, bool) or wire is None:
        assert decoded == wire, f"{where}: {decoded!r} != {wire!r}"
    else:
        a, b = _number(wire), _number(decoded)
        if a is not None and b is not None:
            assert a == b, f"{where}: {decoded!r} != {wire!r}"
        else:
            assert str(decoded) == str(wire), f"{where}: {decoded!r} != {wire!r}"


def floats_in(value: Any, where: str = "$") -> Iterator[str]:
    """Paths of every float inside a decoded result (models, their extras, lists, dicts)."""
    if isinstance(value, float):
        yield where
    elif isinstance(value, BaseModel):
        for k, v in value.__dict__.items():
            yield from floats_in(v, f"{where}.{k}")
        for k, v in (value.model_extra or {}).items():
            yield from floats_in(v, f"{where}.{k}")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from floats_in(v, f"{where}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from floats_in(v, f"{where}[{i}]")


def extras_in(value: Any, where: str = "$") -> Iterator[str]:
    """Paths of wire keys that landed on no declared field (``model_extra``)."""
    if isinstance(value, BaseModel):
        for k in value.model_extra or {}:
            yield f"{where}.{k}"
        for k, v in value.__dict__.items():
            yield from extras_in(v, f"{where}.{k}")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from extras_in(v, f"{where}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from extras_in(v, f"{where}[{i}]")


def decimal_leaves(value: Any, schema: dict[str, Any], where: str = "$") -> Iterator[tuple[str, Any]]:
    """(path, decoded value) of every leaf the catalogue marks ``format: decimal`` or ``number``."""
    t = schema.get("type")
    if isinstance(value, list) and t == "array":
        for i, v in enumerate(value):
            yield from decimal_leaves(v, schema.get("items") or {}, f"{where}[{i}]")
    elif isinstance(value, list):  # an either-shape field read as a list
        for i, v in enumerate(value):
            yield from decimal_leaves(v, schema, f"{where}[{i}]")
    elif isinstance(value, BaseModel) and t == "object":
        by_alias = {(f.alias or n): n for n, f in type(value).model_fields.items()}
        for wire, sub in (schema.get("properties") or {}).items():
            if wire in by_alias:
                inner = getattr(value, by_alias[wire])
                if inner is not None:
                    yield from decimal_leaves(inner, sub, f"{where}.{wire}")
    elif isinstance(value, dict) and t == "object":
        subs = list((schema.get("properties") or {}).values())
        for k, v in value.items():
            if subs and subs[0].get("type") == "object":
                yield from decimal_leaves(v, subs[0], f"{where}.{k}")
    elif schema.get("format") == "decimal" or t == "number":
        yield where, value
