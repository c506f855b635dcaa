"""The generated /sapi methods are typed both ways: mypy checks arguments and result types."""

from __future__ import annotations

from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

GOOD = '''
from datetime import datetime
from decimal import Decimal

from binance_typed import AsyncClient, Client


def bot(client: Client) -> Decimal | None:
    address = client.wallet.deposit_address("BTC", network="BTC")
    text: str | None = address.address
    client.wallet.withdraw("BTC", "addr", Decimal("0.1"), network="BTC", withdrawOrderId="w-1")
    for deposit in client.wallet.deposit_history(coin="BTC"):
        when: datetime | None = deposit.insert_time
    client.margin.borrow_repay("USDT", "FALSE", "25", "BORROW")
    flexible = client.simple_earn.flexible_position(asset="USDT")
    return flexible.rows[0].total_amount if flexible.rows else None


async def async_bot(client: AsyncClient) -> str | None:
    quote = await client.convert.get_quote("USDT", "BTC", fromAmount="10")
    return quote.quote_id
'''

BAD = '''
from binance_typed import Client

def bot(client: Client) -> None:
    client.wallet.deposit_address("BTC", netwrk="BTC")
    client.margin.borrow_repay("USDT", "FALSE", "25", "LEND")
    client.wallet.withdraw("BTC", "addr")
    client.wallet.deposit_address("BTC").adress
    client.simple_earn.flexible_position(asset=1)
    client.walet
'''


def _mypy(tmp_path: Path, source: str) -> tuple[int, list[str]]:
    path = tmp_path / "bot.py"
    path.write_text(source)
    out, err, status = mypy_api.run(["--strict", "--no-incremental", str(path)])
    return status, [line for line in (out + err).splitlines() if ": error:" in line]


def test_good_calls_type_check(tmp_path: Path) -> None:
    status, errors = _mypy(tmp_path, GOOD)
    assert status == 0, errors


def test_mypy_rejects_mistakes(tmp_path: Path) -> None:
    status, errors = _mypy(tmp_path, BAD)
    assert status == 1
    for line_no in range(5, 11):
        assert any(f":{line_no}:" in line for line in errors), (line_no, errors)
