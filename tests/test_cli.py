"""Small things a newcomer meets first: the CLI, the quickstart, Decimal printing, error texts."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import binance_typed
from binance_typed import Client, ParameterValueError
from binance_typed.__main__ import main
from binance_typed.models.filters import MarketLotSize

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout, not another installed copy


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60, cwd=ROOT, env=ENV)


@pytest.mark.parametrize("flag", [[], ["--json"]])
def test_endpoints_into_a_closed_pipe_exits_quietly(flag: list[str]) -> None:
    # as `python -m binance_typed endpoints | head -1`: the reader is gone before the output is written
    proc = subprocess.Popen([sys.executable, "-m", "binance_typed", "endpoints", *flag], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(60) == 0
    assert err == ""


def test_endpoints_into_head() -> None:
    done = subprocess.run(f'"{sys.executable}" -m binance_typed endpoints | head -1', shell=True, cwd=ROOT,
                          env=ENV, capture_output=True, text=True, timeout=60)
    assert done.stderr == "" and done.stdout.startswith("market.ping")


def test_endpoints_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["endpoints"]) == 0
    out = capsys.readouterr().out
    assert "market.klines" in out and "/api/v3/klines" in out and out.rstrip().endswith("endpoints")


@pytest.mark.parametrize("argv", [["--help"], ["endpoints", "--help"], ["demo", "--help"]])
def test_help_has_no_raw_markup(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "usage: python -m binance_typed" in out and "``" not in out


def test_quickstart_local_uses_the_local_exchange() -> None:
    done = _run(sys.executable, "examples/quickstart.py", "--local")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "tick 0.01, step 0.00001" in done.stdout and "cancelled: CANCELED" in done.stdout


def test_demo_prints_no_exponents() -> None:
    done = _run(sys.executable, "-m", "binance_typed", "demo")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Decimal('0.00000000')" in done.stdout  # MARKET_LOT_SIZE's zero step, in plain notation
    assert "E-" not in done.stdout and "E+" not in done.stdout
    assert "the rounded order passes every filter" in done.stdout


def test_model_repr_shows_zero_decimals_plainly() -> None:
    f = MarketLotSize(min_qty=Decimal("0E-8"), max_qty=Decimal("9000.00000000"), step_size=Decimal("1E-5"))
    text = repr(f)
    assert "min_qty=Decimal('0.00000000')" in text and "step_size=Decimal('0.00001')" in text
    assert "E-" not in text
    assert f.min_qty == 0  # the value itself is unchanged


def test_bad_value_message_says_got_once() -> None:
    with pytest.raises(ParameterValueError) as exc:
        Client().trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=1, price="abc")
    assert str(exc.value) == "price: expected a decimal number, got 'abc'"
    with pytest.raises(ParameterValueError) as exc:
        Client().market.klines("BTCUSDT", "1m", limit=0)
    assert str(exc.value).count("got") == 1 and str(exc.value).endswith("(got 0)")


def test_default_url_constants() -> None:
    assert binance_typed.STREAM_URL == "wss://stream.binance.com:9443"
    assert binance_typed.REST_URL == "https://api.binance.com"
    assert binance_typed.WS_API_URL == "wss://ws-api.binance.com/ws-api/v3"
    assert binance_typed.TESTNET_STREAM_URL == "wss://stream.testnet.binance.vision"
    import inspect

    from binance_typed.ws.streams import SpotWebsocketStreamClient

    default = inspect.signature(SpotWebsocketStreamClient).parameters["stream_url"].default
    assert default == binance_typed.STREAM_URL
    assert inspect.signature(Client).parameters["base_url"].default == binance_typed.REST_URL
    assert {"STREAM_URL", "REST_URL", "SymbolRules", "FilterViolation", "to_frame"} <= set(binance_typed.__all__)
