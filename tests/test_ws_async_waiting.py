"""asyncio callers wait for a reconnect on loop futures, not on executor threads (issue 10, item 2)."""

from __future__ import annotations

import asyncio
import threading
import time

from stream_support import wait_for
from wsapi_server import FakeWsApi

from binance_typed.ws._api_protocol import WsConnectionLost, WsRequestTimeout
from binance_typed.ws._connection import ReconnectPolicy
from binance_typed.ws.api import AsyncWebsocketAPIClient

OUTAGE = 3.0


def test_twenty_calls_wait_through_an_outage_without_threads() -> None:
    with FakeWsApi() as api:
        policy = ReconnectPolicy(initial_delay=OUTAGE, max_delay=OUTAGE, jitter=0.0)

        async def main() -> tuple[float, float, int, int]:
            loop = asyncio.get_running_loop()
            ws = AsyncWebsocketAPIClient(stream_url=api.url, timeout=OUTAGE + 5, reconnect=policy)
            await ws.connect()
            assert (await ws.market.time()).server_time.year >= 2022
            await loop.getaddrinfo("localhost", 443)  # warm up: the executor's first thread exists
            api.drop_all()  # the next connection comes OUTAGE seconds later
            assert await asyncio.to_thread(wait_for, lambda: not ws.is_connected, 2)
            threads_before = threading.active_count()
            began = time.monotonic()
            calls = [asyncio.ensure_future(ws.market.time()) for _ in range(20)]
            await asyncio.sleep(0.3)  # every call is now waiting for the connection
            assert not any(c.done() for c in calls)
            threads_waiting = threading.active_count()
            asked = time.monotonic()
            await loop.getaddrinfo("localhost", 443)
            dns_delay = time.monotonic() - asked
            results = await asyncio.gather(*calls)
            waited = time.monotonic() - began
            assert all(r.server_time.year >= 2022 for r in results)
            await ws.close()
            return dns_delay, waited, threads_before, threads_waiting

        dns_delay, waited, threads_before, threads_waiting = asyncio.run(main())
        print(f"getaddrinfo during the outage: {dns_delay * 1000:.1f} ms; 20 calls answered after {waited:.2f} s")
        assert dns_delay < 0.5
        assert waited > OUTAGE - 0.5  # they did wait for the reconnect
        assert threads_waiting <= threads_before  # no thread per waiting call


def test_waiting_calls_fail_at_once_when_the_client_closes() -> None:
    with FakeWsApi() as api:
        policy = ReconnectPolicy(initial_delay=30.0, max_delay=30.0, jitter=0.0)

        async def main() -> float:
            ws = AsyncWebsocketAPIClient(stream_url=api.url, timeout=20, reconnect=policy)
            await ws.connect()
            api.drop_all()
            assert await asyncio.to_thread(wait_for, lambda: not ws.is_connected, 2)
            calls = [asyncio.ensure_future(ws.market.ping()) for _ in range(5)]
            await asyncio.sleep(0.1)
            began = time.monotonic()
            await ws.close()
            outcomes = await asyncio.gather(*calls, return_exceptions=True)
            assert all(isinstance(o, WsConnectionLost) for o in outcomes), outcomes
            return time.monotonic() - began

        assert asyncio.run(main()) < 2.0


def test_async_connect_timeout_closes_the_client() -> None:
    async def main() -> None:
        ws = AsyncWebsocketAPIClient(stream_url="ws://127.0.0.1:9/ws-api/v3", timeout=0.3, connect=False)
        baseline = set(threading.enumerate())
        try:
            await ws.connect()
        except WsRequestTimeout:
            pass
        else:
            raise AssertionError("connect() should time out")
        await asyncio.sleep(0.05)
        left = [t.name for t in threading.enumerate() if t not in baseline]
        assert left == []

    asyncio.run(main())
