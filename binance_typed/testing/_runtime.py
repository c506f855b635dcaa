"""The state one simulator instance shares between REST, streams and the WebSocket API."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._auth import ApiKey, KeyRing
from ._exchange import Exchange
from ._faults import Faults
from ._limits import Limits

__all__ = ["RecordedRequest", "Runtime"]

# The published HMAC example pair of Binance's docs: a pre-funded test account (id 1) uses it.
TEST_API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
TEST_API_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
TEST_ACCOUNT = 1
DEFAULT_FUNDS = {"USDT": "100000", "BTC": "2", "ETH": "20", "BNB": "100"}


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received: REST (``transport="rest"``) or WebSocket API (``"ws-api"``)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str = ""
    transport: str = "rest"
    time: float = field(default_factory=time.time)

    @property
    def params(self) -> dict[str, str]:
        from urllib.parse import parse_qsl

        return dict(parse_qsl(self.query, keep_blank_values=True))


class Runtime:
    def __init__(self, exchange: Exchange, limits: Limits, ping_interval: float | None) -> None:
        self.exchange = exchange
        self.limits = limits
        self.keys = KeyRing()
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self.ping_interval = ping_interval
        self.test_key: ApiKey = self.keys.add_hmac(TEST_ACCOUNT, TEST_API_KEY, TEST_API_SECRET)
        self.find_connection: Callable[[Any], Any] = lambda client: None
        self.stopping = threading.Event()
        self.hub: Any = None
        self.wsapi_sessions: set[Any] = set()
        for asset, amount in DEFAULT_FUNDS.items():
            exchange.fund(TEST_ACCOUNT, asset, amount)

    def record(self, request: RecordedRequest) -> None:
        self.requests.append(request)
