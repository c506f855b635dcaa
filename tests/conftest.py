from __future__ import annotations

import sys
import time as _time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_rate_limit_gates() -> None:
    """Rate-limit gates are process-wide per (host, key): each test starts with open, empty ones."""
    from binance_typed._policy import reset_gates

    reset_gates()


class _ShiftedTime:
    """The ``time`` module as the rate-limit gate sees it, ``shift`` seconds behind."""

    def __init__(self, shift: float) -> None:
        self.shift = shift

    def time(self) -> float:
        return _time.time() - self.shift

    def __getattr__(self, name: str) -> object:
        return getattr(_time, name)


@pytest.fixture
def steady_rate_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests that read usage counts from mocked or recorded headers: the gate's windows are
    real minutes, 10 seconds and days, and a count read across a boundary may belong to either
    window (the gate sets it aside). This starts the gate's clock 35 s into a minute (5 s into a
    10-second window), so that a test of a few seconds never meets a boundary."""
    now = _time.time()
    monkeypatch.setattr("binance_typed._policy.time", _ShiftedTime(now % 60 - 35))


@pytest.fixture
def clear_of_rate_windows() -> None:
    """For tests that read usage counts from LocalBinance, whose windows are real ones: wait (at
    most 3 s) until the next 10-second boundary is at least 3 s away."""
    left = 10 - _time.time() % 10
    if left < 3:
        _time.sleep(left + 0.05)
