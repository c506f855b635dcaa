"""The generated group modules match the endpoint declarations; the catalogue lists them all."""

from __future__ import annotations

import json
import subprocess
import sys

from support import ROOT


def test_generated_modules_are_fresh() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_catalogue_command_prints_every_endpoint() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "binance_typed", "endpoints", "--json"], capture_output=True, text=True, check=True
    )
    rows = json.loads(done.stdout)
    by_method = {row["method"]: row for row in rows}
    assert by_method["market.klines"] == {
        "method": "market.klines", "product": "spot", "group": "market", "verb": "GET",
        "path": "/api/v3/klines", "security": "NONE", "weight_kind": "IP", "weight": 2,
        "ws_method": "klines", "moves_money": False,
    }
    assert by_method["trade.new_order"]["security"] == "SIGNED"
    assert len(by_method) == len(rows)
