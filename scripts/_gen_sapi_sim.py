"""Stage of ``scripts/generate.py``: the data the local exchange serves /sapi from.

Reads ``spec/sapi/catalogue.json`` (the repo's copy of the /sapi catalogue) and writes
``binance_typed/testing/_sapi_examples.json``: one compact entry per ``"VERB /path"`` with what
the simulator needs at run time and nothing more:

- ``sec``: the security type; ``signed``: whether timestamp + signature are checked;
- ``w``: ``[kind, value]`` (kind ``"IP"`` or ``"UID"``); ``rule``: for the 7 endpoints whose
  weight depends on a parameter, ``{"param", "values", "then", "else"}`` (weight ``then`` when the
  parameter is sent, and, when ``values`` is given, has one of them; ``else`` otherwise);
- ``req``: the mandatory parameters; ``types``: the non-string parameter types (``integer``,
  ``number``, ``boolean``, ``enum`` with its values) for the generic shape checks;
- ``body``: the catalogue's example response or, for the endpoints without one, a body built
  from the response schema (``src`` says which: ``"example"`` or ``"schema"``).

The file is sorted and formatted deterministically so ``--check`` can compare it byte for byte.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "spec" / "sapi" / "catalogue.json"
OUTPUT = ROOT / "binance_typed" / "testing" / "_sapi_examples.json"

# Parameter-dependent weights, read from the catalogue's ``weight.rule`` text (kept here by hand:
# the rule is prose). ``then`` applies when ``param`` is sent (and in ``values`` when given).
RULES: dict[str, dict[str, Any]] = {
    "GET /sapi/v1/margin/crossMarginData": {"param": "coin", "then": 1, "else": 5},
    "GET /sapi/v1/margin/isolatedMarginData": {"param": "symbol", "then": 1, "else": 10},
    "GET /sapi/v1/portfolio/asset-index-price": {"param": "asset", "then": 1, "else": 50},
    **{
        f"POST /sapi/v1/margin/order{suffix}": {
            "param": "sideEffectType", "values": ["MARGIN_BUY", "AUTO_BORROW_REPAY"], "then": 1500, "else": 6,
        }
        for suffix in ("", "/oco", "/oto", "/otoco")
    },
}

# Leaves typed as text whose name says they carry an amount: built as decimal strings.
_DECIMAL_NAME = re.compile(
    r"(amount|price|qty|quantity|fee|rate|balance|free|locked|freeze|interest|profit|apr|apy|ltv|ratio|"
    r"valuation|value|quota|principal|borrowed|liability|netasset|collateral|asset(of|in)btc|withdrawing|"
    r"storage|ipoing|ipoable|commission)",
    re.IGNORECASE,
)
_TIME_NAME = re.compile(r"(time|date|timestamp)$|At$", re.IGNORECASE)
SAMPLE_MS = 1_700_000_000_000
# Enumerations the catalogue lists too narrowly to enforce (a symbol typed as a transfer type, one
# payment method, two of many assets): the simulator takes any text for these.
UNCHECKED_ENUMS = frozenset({"fromSymbol", "toSymbol", "apiPaymentMethod", "asset"})


def leaf(name: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "decimal" or _DECIMAL_NAME.search(name):
            return "1.00000000"
        return "text"
    if kind == "integer":
        return SAMPLE_MS if _TIME_NAME.search(name) else 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return "text"  # an untyped value (a map of free-form extras)


def build(name: str, schema: dict[str, Any]) -> Any:
    """A value valid for ``schema``: every declared field once, one item per array, one map entry."""
    kind = schema.get("type")
    if kind == "object" or "properties" in schema or "additionalProperties" in schema:
        out: dict[str, Any] = {}
        for key, sub in (schema.get("properties") or {}).items():
            out[key] = build(key, sub)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not out:
            out["BTC"] = build(name, extra)
        return out
    if kind == "array":
        items = schema.get("items")
        return [build(name, items)] if isinstance(items, dict) else []
    return leaf(name, schema)


def entry(ep: dict[str, Any]) -> dict[str, Any]:
    key = f"{ep['verb']} {ep['path']}"
    weight = ep["weight"]
    out: dict[str, Any] = {
        "product": ep["product"],
        "sec": ep["security"],
        "signed": bool(ep["signed"]),
        "w": [weight.get("kind") or "IP", weight.get("value")],
        "req": [p["name"] for p in ep["params"] if p["required"]],
    }
    if weight.get("value") is None:
        out["rule"] = RULES[key]
        out["w"][1] = RULES[key]["else"]
    types: dict[str, Any] = {}
    for p in ep["params"]:
        if p["type"] == "enum" and p["name"] not in UNCHECKED_ENUMS:
            types[p["name"]] = ["enum", *(str(v) for v in p["enum"])]
        elif p["type"] in ("integer", "number", "boolean"):
            types[p["name"]] = [p["type"]]
    if types:
        out["types"] = types
    if any(p["in"] == "body" for p in ep["params"]):
        out["json_body"] = True
    if ep.get("example_response") is not None:
        out["src"], out["body"] = "example", ep["example_response"]
    else:
        response = ep["response"]
        out["src"] = "schema"
        out["body"] = {} if response.get("empty") or response.get("untyped") else build("", response)
    return out


def render() -> str:
    catalogue = json.loads(CATALOGUE.read_text())
    table = {f"{ep['verb']} {ep['path']}": entry(ep) for ep in catalogue}
    lines = [f"{json.dumps(k)}:{json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False)}"
             for k, v in sorted(table.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def outputs() -> dict[Path, str]:
    """Path -> text, for ``scripts/generate.py`` (which writes it or, with ``--check``, compares)."""
    return {OUTPUT: render()}


if __name__ == "__main__":
    for path, text in outputs().items():
        path.write_text(text)
