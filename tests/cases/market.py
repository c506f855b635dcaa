"""Cases of ``client.market``."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from . import Case


def _klines(value: Any) -> None:
    (k,) = value
    assert k.open_time == datetime(2017, 7, 3, tzinfo=timezone.utc)
    assert k.close == Decimal("0.01577100")
    assert k.trades == 308
    assert k.close_time.microsecond == 999000


def _depth(value: Any) -> None:
    assert value.last_update_id == 1027024
    assert value.bids[0].price == Decimal("4.00000000")
    assert value.asks[0] == (Decimal("4.00000200"), Decimal("12.00000000"))


CASES = [
    Case("market.ping", "GET__api_v3_ping.json", ""),
    Case(
        "market.time", "GET__api_v3_time.json", "",
        check=lambda v: v.server_time == datetime(2017, 7, 12, 2, 41, 59, 559000, tzinfo=timezone.utc),
    ),
    Case("market.depth", "GET__api_v3_depth.json", "symbol=BNBBTC&limit=5", args=("BNBBTC",),
         kwargs={"limit": 5}, check=_depth),
    Case("market.klines", "GET__api_v3_klines.json", "symbol=BNBBTC&interval=1m&limit=10",
         args=("BNBBTC", "1m"), kwargs={"limit": 10}, check=_klines),
]
