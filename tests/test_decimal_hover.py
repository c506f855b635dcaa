"""Model fields are annotated plain ``Decimal`` (what an editor's hover shows) and still dump as
plain-notation strings, never ``0E-8``."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import typing
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel
from support import ROOT

import binance_typed.models as models_pkg
from binance_typed.models._base import fmt_decimal


def model_classes() -> list[type[BaseModel]]:
    """Every pydantic model defined in binance_typed.models (hand-written, events and /sapi)."""
    out: dict[str, type[BaseModel]] = {}
    for info in pkgutil.walk_packages(models_pkg.__path__, models_pkg.__name__ + "."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__:
                out[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(out.values())


MODELS = model_classes()


def test_no_field_is_annotated_with_the_alias() -> None:
    decimal_fields = 0
    offenders = []
    for cls in MODELS:
        for name, annotation in inspect.get_annotations(cls).items():
            text = annotation if isinstance(annotation, str) else repr(annotation)
            if "DecimalStr" in text:
                offenders.append(f"{cls.__module__}.{cls.__qualname__}.{name}: {text}")
            decimal_fields += "Decimal" in text
    assert not offenders, offenders[:20]
    assert len(MODELS) > 500 and decimal_fields > 400, (len(MODELS), decimal_fields)


@pytest.mark.parametrize(
    ("module", "cls", "field"),
    [
        ("binance_typed.models.trade", "OrderFull", "price"),
        ("binance_typed.models.market", "Kline", "close"),
        ("binance_typed.models.account", "Balance", "free"),
        ("binance_typed.models.filters", "PriceFilter", "tick_size"),
        ("binance_typed.models.events.market", "TradeEvent", "price"),
        ("binance_typed.models.events.user_data", "ExecutionReport", "commission"),
    ],
)
def test_type_hints_are_plain_decimal(module: str, cls: str, field: str) -> None:
    model = getattr(importlib.import_module(module), cls)
    hints = typing.get_type_hints(model, include_extras=True)
    hint = hints[field]
    assert hint is Decimal, hint  # not Annotated[Decimal, ...]: the alias is gone from the fields


def _decimal_schemas(schema: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(schema, dict):
        if schema.get("type") == "decimal":
            found.append(schema)
        for value in schema.values():
            _decimal_schemas(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _decimal_schemas(value, found)


def test_every_decimal_of_every_model_serialises_in_plain_notation() -> None:
    """The core schema of each model gives each of its Decimals the plain-notation serializer."""
    total = 0
    for cls in MODELS:
        cls.model_rebuild()
        found: list[dict[str, Any]] = []
        _decimal_schemas(cls.__pydantic_core_schema__, found)
        for schema in found:
            ser = schema.get("serialization", {})
            assert ser.get("function") is fmt_decimal, (cls, schema)
        total += len(found)
    assert total > 400


def test_dumps_are_plain_strings() -> None:
    from binance_typed.models.events.user_data import ExecutionReport
    from binance_typed.models.market import OrderBook
    from binance_typed.models.trade import OrderFull

    body = json.loads((ROOT / "tests/spec/examples/rest/POST__api_v3_order__03_FULL.json").read_text())
    body.update(price="0E-8", origQty="1E+1")
    body["fills"][0]["commission"] = "1E-8"
    order = OrderFull.model_validate(body)
    assert order.price == 0 and str(order.price) == "0E-8"  # the value as read; only its dump is plain
    dumped = json.loads(order.model_dump_json(by_alias=True))
    assert dumped["price"] == "0.00000000" and dumped["origQty"] == "10"
    assert dumped["fills"][0]["commission"] == "0.00000001"
    assert order.model_dump()["price"] == "0.00000000"
    assert order["price"] == "0.00000000"  # dict-style access reads the wire string

    book = OrderBook.model_validate({"lastUpdateId": 1, "bids": [["1E-8", "0E-8"]], "asks": []})
    text = book.model_dump_json()
    assert "E-" not in text and "0.00000001" in text, text

    report = ExecutionReport.model_validate({
        "e": "executionReport", "E": 1, "s": "BTCUSDT", "c": "x", "S": "BUY", "o": "LIMIT", "f": "GTC",
        "q": "1.00000000", "p": "0E-8", "P": "0.00000000", "F": "0.00000000", "g": -1, "C": "", "x": "NEW",
        "X": "NEW", "r": "NONE", "i": 1, "l": "0.00000000", "z": "0.00000000", "L": "0.00000000",
        "n": "0E-8", "N": None, "T": 1, "t": -1, "w": True, "m": False, "O": 1, "Z": "0.00000000",
        "Y": "0.00000000", "Q": "0.00000000", "W": 1, "V": "NONE", "I": 1,
    })
    out = json.loads(report.model_dump_json(by_alias=True))
    assert out["p"] == "0.00000000" and out["n"] == "0.00000000", out


def test_jedi_hover_reads_decimal() -> None:
    jedi = importlib.import_module("jedi") if os.environ.get("CI") else pytest.importorskip("jedi")
    source = "from binance_typed.models.trade import OrderFull\ndef f(o: OrderFull) -> None:\n    o.price"
    script = jedi.Script(source, path=str(ROOT / "hover_probe.py"), project=jedi.Project(str(ROOT)))
    names = script.help(3, len("    o.price"))
    assert names and names[0].description == "price: Decimal", [n.description for n in names]
