"""Depth levels converted in C-level column passes equal the level-by-level conversion on every
input: the wire's ``[price, qty]`` pairs, longer or shorter rows, values of other types, bad
decimals (same exception, raised at the same element)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from binance_typed.models.events.market import PriceLevels
from binance_typed.models.market import PriceLevel


def reference(raw: list[Any]) -> Any:
    """The level-by-level conversion (the definition the fast path must match)."""
    try:
        return [(type(p), type(q), p.as_tuple(), q.as_tuple()) for p, q in
                (PriceLevel(Decimal(p), Decimal(q)) for p, q, *_ in raw)]
    except Exception as exc:  # noqa: BLE001 - compared by type and text
        return ("error", type(exc), str(exc))


def fast(raw: list[Any]) -> Any:
    try:
        levels = list(PriceLevels(raw))
    except Exception as exc:  # noqa: BLE001
        return ("error", type(exc), str(exc))
    assert all(type(level) is PriceLevel for level in levels)
    return [(type(p), type(q), p.as_tuple(), q.as_tuple()) for p, q in levels]


decimal_text = st.decimals(allow_nan=False, allow_infinity=False, places=8).map(lambda d: format(d, "f"))
value = st.one_of(
    decimal_text, decimal_text, decimal_text,
    st.sampled_from(["", "abc", "NaN", "-Infinity", "1e5", " 1", "1_0", "１"]),
    st.integers(-(10**30), 10**30), st.floats(allow_nan=False), st.none(), st.booleans(),
)  # fmt: skip
pair = st.lists(value, min_size=2, max_size=2)
row = st.one_of(pair, pair, pair, st.lists(value, max_size=4), st.integers(), st.text(max_size=3))


@settings(max_examples=400, deadline=None)
@given(st.lists(row, max_size=8))
def test_levels_equal_level_by_level_conversion(raw: list[Any]) -> None:
    assert fast(list(raw)) == reference(list(raw))


@given(st.lists(st.tuples(decimal_text, decimal_text).map(list), max_size=30))
def test_wire_levels_are_exact_decimals(raw: list[list[str]]) -> None:
    levels = PriceLevels(raw)
    assert len(levels) == len(raw)
    assert [(str(p), str(q)) for p, q in levels] == [(str(Decimal(p)), str(Decimal(q))) for p, q in raw]
    assert levels == [(Decimal(p), Decimal(q)) for p, q in raw]
