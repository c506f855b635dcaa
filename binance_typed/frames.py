"""pandas DataFrames from any list of rows: models, candles (named tuples) or dicts.

    from binance_typed.frames import to_frame

    df = to_frame(client.market.klines("BTCUSDT", "1h", limit=500))            # float64 prices
    df = to_frame(client.account.my_trades("BTCUSDT"), numbers="decimal")      # exact Decimals
    df = to_frame(client.market.klines_history("BTCUSDT", "1m", start), index="open_time")

Columns are the fields' Python names (``open_time``, ``close``, ``quote_volume``). Decimal columns
become ``float64`` (default) or stay ``Decimal`` objects (``numbers="decimal"``, exact, ``object``
dtype); datetime columns become ``datetime64[ns, UTC]``; whole numbers ``int64`` and flags
``bool`` (a column with a missing value keeps a nullable dtype). Other values (nested models,
lists) are kept as they are.

pandas is an optional dependency (``pip install 'binance-typed[pandas]'``); it is imported when
:func:`to_frame` is first called, never by ``import binance_typed``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Numbers", "row_dict", "to_frame"]

Numbers = Literal["float", "decimal"]
"""How Decimal columns come out: ``"float"`` (float64) or ``"decimal"`` (Decimal objects)."""


def row_dict(row: Any) -> dict[str, Any]:
    """One row as a ``{column: value}`` dict: a pydantic model (its fields and extras), a named
    tuple (``Kline``), a mapping, or any object with attributes."""
    if isinstance(row, Mapping):
        return dict(row)
    fields = getattr(row, "_fields", None)
    if isinstance(row, tuple) and fields is not None:
        return dict(zip(fields, row, strict=False))
    model_fields = getattr(type(row), "model_fields", None)
    if model_fields is not None:
        out = {name: getattr(row, name) for name in model_fields}
        out.update(getattr(row, "model_extra", None) or {})
        return out
    if hasattr(row, "__dict__"):
        return {k: v for k, v in vars(row).items() if not k.startswith("_")}
    raise TypeError(f"cannot make a row of {type(row).__name__}")


def _kind(values: list[Any]) -> str | None:
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return None
    if all(issubclass(k, Decimal) for k in kinds):
        return "decimal"
    if all(issubclass(k, datetime) for k in kinds):
        return "datetime"
    if all(issubclass(k, bool) for k in kinds):
        return "bool"
    if all(issubclass(k, int) and not issubclass(k, bool) for k in kinds):
        return "int"
    if all(issubclass(k, Enum) for k in kinds):
        return "enum"
    return None


def to_frame(rows: Iterable[Any], *, numbers: Numbers = "float", index: str | None = None) -> pd.DataFrame:
    """A DataFrame of ``rows`` with typed columns (see the module docs).

    Args:
        rows: models, named tuples or dicts (a list, or an iterator such as a history download).
        numbers: ``"float"`` for float64 Decimal columns, ``"decimal"`` to keep exact Decimals.
        index: a column to use as the index (``"open_time"`` for candles).
    """
    if numbers not in ("float", "decimal"):
        raise ValueError(f"numbers must be 'float' or 'decimal', not {numbers!r}")
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_frame needs pandas: pip install 'binance-typed[pandas]'") from None

    dicts = [row_dict(row) for row in rows]
    columns: dict[str, None] = {}
    for d in dicts:
        columns.update(dict.fromkeys(d))
    data: dict[str, Any] = {}
    for name in columns:
        values = [d.get(name) for d in dicts]
        kind = _kind(values)
        missing = any(v is None for v in values)
        if kind == "decimal":
            if numbers == "float":
                data[name] = pd.Series([float(v) if v is not None else float("nan") for v in values],
                                       dtype="float64")
            else:
                data[name] = pd.Series(values, dtype=object)
        elif kind == "datetime":
            data[name] = pd.Series(pd.to_datetime(values, utc=True)).astype("datetime64[ns, UTC]")
        elif kind == "int":
            data[name] = pd.Series(values, dtype="Int64" if missing else "int64")
        elif kind == "bool":
            data[name] = pd.Series(values, dtype="boolean" if missing else "bool")
        elif kind == "enum":
            data[name] = pd.Series([v.value if v is not None else None for v in values], dtype=object)
        else:
            data[name] = pd.Series(values, dtype=object)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(dicts)))
    if index is not None:
        frame = frame.set_index(index)
    return frame
