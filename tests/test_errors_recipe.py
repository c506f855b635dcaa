"""The recovery recipe of docs/errors.md runs, unmodified: after ExecutionStatusUnknown, a -2013
lookup is final only once ``timestamp + recvWindow`` has passed."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import httpx
from support import API_KEY, API_SECRET, example_text

from binance_typed import Client, RetryPolicy

PAGE = Path(__file__).resolve().parent.parent / "docs" / "errors.md"
ORDER = example_text("rest/GET__api_v3_order.json")


def recipe() -> Any:
    text = PAGE.read_text()
    block = re.search(r"```python\n(import time\n.*?def place_or_find.*?)```", text, re.S)
    assert block, "the recipe is on the page"
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), str(PAGE), "exec"), namespace)  # noqa: S102
    return namespace["place_or_find"]


def exchange(appears_after: float | None) -> tuple[Client, list[tuple[float, str]]]:
    """POST answers 503; the order becomes visible ``appears_after`` s later (None: never)."""
    log: list[tuple[float, str]] = []
    placed: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        now = time.monotonic()
        log.append((now, request.method))
        if request.method == "POST":
            placed.append(now)
            return httpx.Response(503, text=json.dumps({"code": -1001, "msg": "internal error"}))
        if appears_after is not None and now - placed[0] >= appears_after:
            return httpx.Response(200, text=ORDER)
        return httpx.Response(400, text=json.dumps({"code": -2013, "msg": "Order does not exist."}))

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Client(API_KEY, API_SECRET, http_client=http, retry=RetryPolicy(max_retries=0)), log


def test_a_slow_order_found_after_first_lookups_said_2013() -> None:
    place_or_find = recipe()
    client, log = exchange(appears_after=0.5)
    order = place_or_find(client, "LTCBTC", "BUY", "LIMIT", timeInForce="GTC", quantity="1", price="0.1",
                          recvWindow=1500)
    assert order is not None and order.order_id == 1
    lookups = [t for t, method in log if method == "GET"]
    assert len(lookups) >= 2  # the first lookup(s) said -2013; the recipe kept looking


def test_not_found_is_final_only_after_timestamp_plus_recv_window() -> None:
    place_or_find = recipe()
    client, log = exchange(appears_after=None)
    start = time.monotonic()
    assert place_or_find(client, "LTCBTC", "BUY", "LIMIT", timeInForce="GTC", quantity="1", price="0.1",
                         recvWindow=800) is None
    assert time.monotonic() - start >= 0.75  # waited out the 800 ms window
    assert [m for _, m in log].count("POST") == 1  # and never resent the order itself
