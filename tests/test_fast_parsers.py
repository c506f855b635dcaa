"""The fast list parsers (klines, trades, aggTrades, block trades) build exactly what full pydantic
validation builds, or raise exactly its error, on any body: property tests over values of every
JSON type in every column, ms and µs time units, empty bodies and bad rows, with the optional
orjson reader and with the standard library reader."""

from __future__ import annotations

import json
import math
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from binance_typed.models import _base
from binance_typed.models.market import (
    AggTrade,
    BlockTrade,
    Kline,
    Trade,
    parse_agg_trades,
    parse_block_trades,
    parse_klines,
    parse_trades,
)

MICRO = {"time_unit": "MICROSECOND"}
CONTEXTS = [None, MICRO]
T0 = 1_700_000_000_000

# -- values: mostly what Binance sends, often something else --------------------------------------
plain_decimal = st.decimals(allow_nan=False, allow_infinity=False, places=8, min_value=-(10**9), max_value=10**9).map(
    lambda d: format(d, "f")
)
odd_string = st.sampled_from(
    ["", "-", ".", "1.2.3", "NaN", "-Infinity", "1e3", " 1", "1_000", "+1", "0x1", "１", "²", "abc", "-0", ".5", "5."]
)
odd_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_string,
    st.lists(st.integers(), max_size=2),
)
epoch = st.integers(0, 4_000_000_000_000_000)


def sometimes(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(good, good, good, good, good, good, good, odd_value)


@pytest.fixture(params=["orjson", "json"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "orjson":
        pytest.importorskip("orjson")
        assert _base._orjson_loads is not None
    else:
        monkeypatch.setattr(_base, "_orjson_loads", None)
    return str(request.param)


def exact(value: Any) -> Any:
    """Everything that distinguishes two results (types, Decimal exponents, fields set, extras)."""
    if isinstance(value, list):
        return [exact(v) for v in value]
    if isinstance(value, BaseModel):
        return (
            type(value),
            [(k, exact(v)) for k, v in value.__dict__.items()],
            sorted(value.__pydantic_fields_set__),
            value.__pydantic_extra__,
            value.__pydantic_private__,
        )
    if isinstance(value, tuple):
        return (type(value), [exact(v) for v in value])
    if isinstance(value, datetime):
        return (datetime, value.isoformat(), value.tzinfo)
    return (type(value), repr(value))


def outcome(parse: Any, body: bytes, context: Any) -> Any:
    try:
        return exact(parse(body, context))
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # repr: a NaN input equals itself, an exception in ctx compares by its text
        return ("error", repr([e | {"ctx": {k: str(v) for k, v in e.get("ctx", {}).items()}} for e in errors]))
    except OverflowError as exc:  # pragma: no cover - reported like full validation, see below
        return ("overflow", str(exc))


def body_of(rows: Any) -> bytes:
    return json.dumps(rows, allow_nan=True).encode()


def check(parse: Any, model: Any, body: bytes, context: Any) -> None:
    full = TypeAdapter(list[model])
    assert outcome(parse, body, context) == outcome(
        lambda b, c: full.validate_json(b, context=c), body, context
    )


# -- klines ---------------------------------------------------------------------------------------
def kline_rows() -> st.SearchStrategy[list[list[Any]]]:
    row = st.tuples(
        sometimes(epoch), sometimes(plain_decimal), sometimes(plain_decimal), sometimes(plain_decimal),
        sometimes(plain_decimal), sometimes(plain_decimal), sometimes(epoch), sometimes(plain_decimal),
        sometimes(st.integers(0, 10**6)), sometimes(plain_decimal), sometimes(plain_decimal), st.just("0"),
    ).map(list)  # fmt: skip
    return st.lists(row, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=kline_rows(), context=st.sampled_from(CONTEXTS))
def test_klines_equal_full_validation(reader: str, rows: list[list[Any]], context: Any) -> None:
    check(parse_klines, Kline, body_of(rows), context)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.integers(0, 2 * 10**15), step=st.sampled_from([1, 60_000, 3_600_000]), n=st.integers(1, 5),
    span=st.integers(0, 10**6), context=st.sampled_from(CONTEXTS),
)  # fmt: skip
def test_evenly_spaced_klines_equal_full_validation(
    reader: str, start: int, step: int, n: int, span: int, context: Any
) -> None:
    rows = [[start + i * step, "1.5", "2", "0.1", "1.00000000", "3", start + i * step + span, "0", i, "0", "0", "0"]
            for i in range(n)]  # fmt: skip
    check(parse_klines, Kline, body_of(rows), context)


@pytest.mark.parametrize(
    "body",
    [b"[]", b"{}", b'{"code": 0}', b"[[]]", b"[1, 2]", b'["0123456789ab"]', b"[null]", b"[[1,2,3]]"],
)
def test_klines_odd_bodies_equal_full_validation(reader: str, body: bytes) -> None:
    for context in CONTEXTS:
        check(parse_klines, Kline, body, context)


@pytest.mark.parametrize(
    ("index", "value"),
    [(0, 1.5e12), (0, True), (6, 1.0), (8, 2.5), (8, "12"), (1, 1.5), (1, 0.1), (1, 3), (2, "NaN"),
     (3, "Infinity"), (4, "1e3"), (5, " 1"), (7, "1_0"), (1, True), (0, "1700000000000"), (1, "+1"),
     (2, "１"), (3, "-0"), (4, ".5"), (5, "5."), (7, "1E+3"), (9, "sNaN"), (10, "inf"), (1, "-nan"), (2, "²"),
     (3, "0x1"), (4, ""), (5, "1.2.3"), (7, "1 000")],
)  # fmt: skip
def test_klines_value_of_another_type_goes_through_validation(reader: str, index: int, value: Any) -> None:
    """Each of these was, or could have been, converted by the fast path differently from pydantic
    (``Decimal(0.1)`` is not ``Decimal("0.1")``, ``Decimal("NaN")`` is refused by validation)."""
    row = [T0, "1.5", "2", "0.1", "1.0", "3", T0 + 59_999, "0", 7, "0", "0", "0"]
    rows = [list(row), list(row)]
    rows[1][index] = value
    check(parse_klines, Kline, body_of(rows), None)


# -- trades ---------------------------------------------------------------------------------------
TRADE_LISTS = [
    (parse_trades, Trade, {"id": st.integers(0, 2**40), "price": plain_decimal, "qty": plain_decimal,
                           "quoteQty": plain_decimal, "time": epoch, "isBuyerMaker": st.booleans(),
                           "isBestMatch": st.booleans()}),
    (parse_block_trades, BlockTrade, {"id": st.integers(0, 2**40), "price": plain_decimal, "qty": plain_decimal,
                                      "quoteQty": plain_decimal, "time": epoch, "isBuyerMaker": st.booleans()}),
    (parse_agg_trades, AggTrade, {"a": st.integers(0, 2**40), "p": plain_decimal, "q": plain_decimal,
                                  "f": st.integers(0, 2**40), "l": st.integers(0, 2**40), "T": epoch,
                                  "m": st.booleans(), "M": st.booleans()}),
]  # fmt: skip


def trade_rows(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[list[dict[str, Any]]]:
    row = st.fixed_dictionaries({k: sometimes(v) for k, v in fields.items()})
    shuffled = row.flatmap(lambda r: st.permutations(list(r.items())).map(dict))
    extra = row.map(lambda r: r | {"venue": "X"})
    missing = row.map(lambda r: dict(list(r.items())[1:]))
    return st.lists(st.one_of(row, row, row, row, shuffled, extra, missing), max_size=5)


@pytest.mark.parametrize(("parse", "model", "fields"), TRADE_LISTS, ids=["trades", "blocks", "aggs"])
def test_trade_lists_equal_full_validation(
    reader: str, parse: Any, model: Any, fields: dict[str, st.SearchStrategy[Any]]
) -> None:
    @settings(max_examples=120, deadline=None)
    @given(rows=trade_rows(fields), context=st.sampled_from(CONTEXTS))
    def run(rows: list[dict[str, Any]], context: Any) -> None:
        check(parse, model, body_of(rows), context)

    run()


@pytest.mark.parametrize("body", [b"[]", b"{}", b"[[]]", b"[1]", b"[null]", b"[{}]", b'"x"'])
def test_trade_lists_odd_bodies_equal_full_validation(reader: str, body: bytes) -> None:
    for parse, model, _ in TRADE_LISTS:
        check(parse, model, body, None)


def test_trade_rows_are_assembled_like_validation(reader: str) -> None:
    rows = [{"a": 1, "p": "0.00000100", "q": "10", "f": 2, "l": 3, "T": T0 + 7, "m": True, "M": False}] * 3
    body = body_of(rows)
    fast = parse_agg_trades(body, MICRO)
    full = TypeAdapter(list[AggTrade]).validate_json(body, context=MICRO)
    assert exact(fast) == exact(full)
    assert fast[0].price.as_tuple().exponent == -8 and fast[0].time.microsecond == 7
    assert fast[0].__pydantic_fields_set__ is not fast[1].__pydantic_fields_set__
    assert fast[0].model_extra is not fast[1].model_extra
    ms = parse_agg_trades(body, None)
    assert ms[0]["p"] == "0.00000100" and ms[0].model_dump(by_alias=True, mode="json") == rows[0]
    with pytest.raises(ValidationError):  # frozen like a validated instance
        fast[0].price = Decimal(1)  # type: ignore[misc]


@pytest.mark.parametrize(
    "row",
    [{"a": 1, "p": "1", "q": "1", "f": 2, "l": 3, "T": T0, "m": True, "M": 1},
     {"a": 1, "p": 1, "q": "1", "f": 2, "l": 3, "T": T0, "m": True, "M": True},
     {"a": 1, "p": "1", "q": "1", "f": 2, "l": 3, "T": float(T0), "m": True, "M": True},
     {"a": "1", "p": "1", "q": "1", "f": 2, "l": 3, "T": T0, "m": True, "M": True},
     {"p": "1", "a": 1, "q": "1", "f": 2, "l": 3, "T": T0, "m": True, "M": True}],
)  # fmt: skip
def test_values_of_another_json_type_are_validated(reader: str, row: dict[str, Any]) -> None:
    check(parse_agg_trades, AggTrade, body_of([row]), None)


# -- the JSON reader ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [b"[1, 2.5, -0.0, 1e400]", b'{"a": NaN}', b'["\\ud800"]', b'{"a": 1, "a": 2}', b" [] ", b"[18446744073709551615]"],
)
def test_loads_equals_json_loads_with_either_reader(reader: str, body: bytes) -> None:
    got, want = _base.loads(body), json.loads(body)
    assert repr(got) == repr(want) or (isinstance(got, dict) and math.isnan(got["a"]) and math.isnan(want["a"]))


def test_integers_beyond_64_bits_are_parsed_exactly(reader: str) -> None:
    """orjson reads such an integer as a float; the column checks send the body to validation."""
    big = 2**64 + 1
    rows = [{"a": big, "p": "1", "q": "1", "f": 2, "l": 3, "T": T0, "m": True, "M": True}]
    (agg,) = parse_agg_trades(body_of(rows), None)
    assert agg.agg_trade_id == big and type(agg.agg_trade_id) is int
    row = [T0, "1", "1", "1", "1", "1", T0 + 1, "1", big, "1", "1", "0"]
    (kline,) = parse_klines(body_of([row]), None)
    assert kline.trades == big and type(kline.trades) is int
    check(parse_klines, Kline, body_of([row]), None)


def test_loads_raises_like_json_loads_on_bad_json(reader: str) -> None:
    with pytest.raises(ValueError):
        _base.loads(b"[1,")


# -- schemas built on first use -------------------------------------------------------------------
def test_response_models_build_their_schema_on_first_use() -> None:
    """``defer_build``: loading the declarations of ``client.market`` and ``client.trade`` (what
    their first calls import) builds no response schema (that was about half of the first-call
    start-up); the first validation of a model builds it."""
    import subprocess
    import sys
    from pathlib import Path

    code = """
import binance_typed
client = binance_typed.Client()
client.market, client.trade
import binance_typed.endpoints.market, binance_typed.endpoints.trade  # loaded by their first calls
from binance_typed.models._base import BinanceModel
def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)
models = list(subclasses(BinanceModel))
assert len(models) > 50, len(models)
built = [m.__name__ for m in models if m.__pydantic_complete__]
assert built == [], built
from binance_typed.models.market import ServerTime
assert ServerTime.model_validate_json(b'{"serverTime": 1}').server_time.microsecond == 1000
assert ServerTime.__pydantic_complete__
print("ok")
"""
    root = Path(__file__).resolve().parent.parent  # this checkout's package, first on sys.path
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root)
    assert done.stdout.strip() == "ok", done.stderr
