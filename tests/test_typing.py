"""mypy rejects typos in enumerations and parameter names (the signatures are really typed)."""

from __future__ import annotations

from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

BAD = '''
from binance_typed import Client

def bot(client: Client) -> None:
    client.trade.new_order("BTCUSDT", "BYU", "MARKET", quantity=1)
    client.market.klines("BTCUSDT", "2m")
    client.market.klines("BTCUSDT", "1m", limits=10)
    client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newOrderRespType="ACK").fills
    client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantiy=1)
    client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=object())
'''


def test_mypy_rejects_typos(tmp_path: Path) -> None:
    source = tmp_path / "bot.py"
    source.write_text(BAD)
    out, err, status = mypy_api.run(["--strict", "--no-incremental", str(source)])
    assert status == 1, out + err
    lines = [line for line in out.splitlines() if ": error:" in line]
    assert any(':5:' in line and '"new_order"' in line for line in lines), out
    assert any(':6:' in line and '"klines"' in line for line in lines), out
    assert any(':7:' in line and '"limits"' in line for line in lines), out
    assert any(':8:' in line and '"fills"' in line for line in lines), out
    assert any(':9:' in line and '"new_order"' in line for line in lines), out  # misspelt option
    assert any(':10:' in line and '"new_order"' in line for line in lines), out  # wrong option type


DEFAULTS = '''
from binance_typed import Client

def bot(client: Client) -> None:
    reveal_type(client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1))
    reveal_type(client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=1, price=1))
    reveal_type(client.trade.new_order("BTCUSDT", "BUY", "STOP_LOSS", quantity=1, stopPrice=1))
    reveal_type(client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newOrderRespType="ACK"))
    reveal_type(client.trade.new_sor_order("BTCUSDT", "BUY", "LIMIT", 1, timeInForce="GTC", price=1))
    reveal_type(client.market.klines("BTCUSDT", "1m", timeout=2.5, extra_params={"newKnob": 1}))
'''


def test_default_response_types_follow_the_docs(tmp_path: Path) -> None:
    """MARKET and LIMIT answer FULL without newOrderRespType, other types ACK; SOR answers FULL."""
    source = tmp_path / "defaults.py"
    source.write_text(DEFAULTS)
    out, err, status = mypy_api.run(["--strict", "--no-incremental", str(source)])
    revealed = [line.split('"')[1] for line in out.splitlines() if "Revealed type" in line]
    short = [r.removeprefix("binance_typed.models.trade.") for r in revealed]
    assert short[:5] == ["OrderFull", "OrderFull", "OrderAck", "OrderAck", "OrderFull"], out
    assert short[5].startswith("list[") and "Kline" in short[5], out  # timeout= and extra_params= type-check
