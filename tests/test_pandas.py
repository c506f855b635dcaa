"""binance_typed.frames.to_frame: typed DataFrame columns; pandas never imported by the package."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pytest

from binance_typed.frames import row_dict, to_frame
from binance_typed.models.account import AccountTrade
from binance_typed.models.market import Kline
from binance_typed.testing import LocalBinance

pd = pytest.importorskip("pandas")

ROW = [1_700_000_040_000, "37000.10000000", "37010.00000000", "36990.00000000", "37005.55000000",
       "12.34500000", 1_700_000_099_999, "456789.12300000", 321, "6.10000000", "225000.00000000", "0"]


def _kline() -> Kline:
    from pydantic import TypeAdapter

    return TypeAdapter(Kline).validate_python(ROW)


def test_klines_frame_floats_and_utc_times() -> None:
    df = to_frame([_kline(), _kline()])
    assert list(df.columns) == list(Kline._fields)
    assert str(df["close"].dtype) == "float64" and df["close"][0] == 37005.55
    assert str(df["open_time"].dtype) == "datetime64[ns, UTC]"
    assert df["open_time"][0] == pd.Timestamp("2023-11-14 22:14:00", tz="UTC")
    assert str(df["trades"].dtype) == "int64" and df["trades"][1] == 321


def test_decimal_columns_stay_exact() -> None:
    df = to_frame([_kline()], numbers="decimal")
    assert df["close"].dtype == object
    assert df["close"][0] == Decimal("37005.55") and isinstance(df["close"][0], Decimal)
    assert str(df["close_time"].dtype) == "datetime64[ns, UTC]"


def test_models_dicts_missing_values_and_index() -> None:
    trade = AccountTrade.model_validate({
        "symbol": "BTCUSDT", "id": 7, "orderId": 9, "orderListId": -1, "price": "1.50000000", "qty": "2.00000000",
        "quoteQty": "3.00000000", "commission": "0.00000000", "commissionAsset": "BNB", "time": 1_700_000_000_123,
        "isBuyer": True, "isMaker": False, "isBestMatch": True,
    })
    df = to_frame([trade])
    assert df["price"][0] == 1.5 and df["commission"][0] == 0.0
    assert str(df["is_buyer"].dtype) == "bool" and bool(df["is_buyer"][0]) is True
    assert df["time"][0] == pd.Timestamp(1_700_000_000_123, unit="ms", tz="UTC")

    class Side(str, Enum):
        BUY = "BUY"

    rows = [{"t": datetime(2024, 1, 1, tzinfo=timezone.utc), "n": 1, "x": Decimal("0.1"), "side": Side.BUY},
            {"t": datetime(2024, 1, 2, tzinfo=timezone.utc), "n": None, "x": None, "side": Side.BUY}]
    df = to_frame(rows, index="t")
    assert str(df.index.dtype) == "datetime64[ns, UTC]"
    assert str(df["n"].dtype) == "Int64" and df["n"].isna().tolist() == [False, True]
    assert str(df["x"].dtype) == "float64" and pd.isna(df["x"].iloc[1])
    assert df["side"].tolist() == ["BUY", "BUY"]


def test_empty_and_errors() -> None:
    assert to_frame([]).empty
    with pytest.raises(ValueError, match="numbers"):
        to_frame([], numbers="int")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        row_dict(3)


def test_frame_from_a_history_download(local_binance: LocalBinance) -> None:
    with local_binance.client() as client:
        df = to_frame(client.market.klines_history("BTCUSDT", "1h", 1_699_920_000_000, 1_699_920_000_000 + 47 * 3_600_000),
                      index="open_time")
    assert len(df) == 48 and df.index.is_monotonic_increasing
    assert str(df["high"].dtype) == "float64" and (df["high"] >= df["low"]).all()


def test_import_binance_typed_does_not_import_pandas_or_tqdm() -> None:
    code = (
        "import sys, binance_typed, binance_typed.frames, binance_typed.history, binance_typed.rules\n"
        "from binance_typed import Client\n"
        "c = Client(); c.market; c.account\n"
        "print(sorted(m for m in ('pandas', 'tqdm', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip() == "[]"
