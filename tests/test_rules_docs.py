"""Every ```python block of docs/trading-tools.md runs, unmodified, against the local exchange.

The blocks are written for the real Binance (``Client()`` without a URL): the test points the
clients' default ``base_url`` at a local exchange whose BTCUSDT book is not on round prices, gives
``api_key``/``api_secret``, and checks the values the page's comments promise.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from binance_typed import AsyncClient, Client
from binance_typed.testing import LocalBinance
from binance_typed.testing._symbols import SymbolSpec

PAGE = Path(__file__).resolve().parent.parent / "docs" / "trading-tools.md"
ODD = SymbolSpec("BTCUSDT", "BTC", "USDT", mid=Decimal("60000.01"), tick=Decimal("0.01"), step=Decimal("0.00001"),
                 min_qty=Decimal("0.00001"), max_qty=Decimal("9000"), min_notional=Decimal("5"),
                 maker_qty=Decimal("0.25"))


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)


@pytest.fixture(scope="module")
def exchange() -> Iterator[LocalBinance]:
    with LocalBinance(symbols=(ODD,), levels=3) as ex:
        yield ex


@pytest.fixture
def local_defaults(exchange: LocalBinance, monkeypatch: pytest.MonkeyPatch) -> LocalBinance:
    for cls in (Client, AsyncClient):
        defaults = dict(cls.__init__.__kwdefaults__ or {})
        defaults["base_url"] = exchange.rest_url
        monkeypatch.setattr(cls.__init__, "__kwdefaults__", defaults)
    return exchange


def test_page_has_the_blocks() -> None:
    assert len(blocks()) == 6


@pytest.mark.parametrize("index", range(6))
def test_block_runs(index: int, local_defaults: LocalBinance) -> None:
    code = blocks()[index]
    if "to_frame" in code:
        pytest.importorskip("pandas")
    scope: dict[str, Any] = {"api_key": local_defaults.api_key, "api_secret": local_defaults.api_secret,
                             "__name__": "__doc_snippet__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"{PAGE.name}[{index}]", "exec"), scope)
    lines = out.getvalue().splitlines()
    expected = {
        0: ["0.01 0.00001", "59988.01", "59988.02", "0.00123", "0.00009"],
        1: ["PRICE_FILTER price a multiple of the tick 0.01 from 0.01, such as 59988.01"],
        2: ["50000.12000000 0.00123000"],
        4: [],
        5: ["float64 datetime64[ns, UTC]", "Decimal"],
    }.get(index)
    if index == 3:
        count, first, *_ = lines[0].split(" ")
        assert count == "745" and first.startswith("2024-01-01")
    elif index == 4:
        progress, last = lines[:-1], lines[-1]
        assert progress and progress[0].startswith("Progress(rows=1000, pages=1")
        assert last == "2024-01-02 00:59:00+00:00 2024-01-02 01:00:00+00:00"
    else:
        assert lines == expected
