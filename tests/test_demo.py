"""``python -m binance_typed demo`` runs end to end against the embedded exchange."""

from __future__ import annotations

import subprocess
import sys
import time


def test_demo_runs_and_exits_zero() -> None:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "binance_typed", "demo"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    for needle in ("Server time", "klines", "FILLED", "Balances", "trade #"):
        assert needle in done.stdout
    assert time.monotonic() - start < 30
