"""``python -m binance_typed demo`` runs end to end against the embedded exchange."""

from __future__ import annotations

import subprocess
import sys
import time


def test_demo_runs_and_exits_zero() -> None:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "binance_typed", "demo"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    for needle in ("Server time", "klines", "PriceFilter(", "FILLED", "Balances", "TradeEvent #"):
        assert needle in done.stdout
    assert time.monotonic() - start < 30


def test_serve_command_starts_the_exchange() -> None:
    import httpx

    proc = subprocess.Popen([sys.executable, "-m", "binance_typed.testing", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/api/v3/ping", timeout=5).json() == {}
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
