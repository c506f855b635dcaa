from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_rate_limit_gates() -> None:
    """Rate-limit gates are process-wide per (host, key): each test starts with open, empty ones."""
    from binance_typed._policy import reset_gates

    reset_gates()
