"""A fast first call: what ``Client()`` and its first groups load, and the lazily built HTTP client
(built once, at the first request, with the client's options; closing an unused client works)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from typing import Any

import httpx
import pytest

from binance_typed import AsyncClient, Client, RetryPolicy

TIME_BODY = '{"serverTime": 1499827319559}'


def test_client_and_first_groups_load_no_retry_asyncio_or_connection_code() -> None:
    """tenacity (retries), asyncio (async paging) and httpcore (the connection pool, with the TLS
    context) are not loaded by a blocking client that has not sent a request yet."""
    code = (
        "import sys, binance_typed; c = binance_typed.Client('k', 's'); c.market; c.trade; "
        "loaded = [m for m in ('tenacity', 'asyncio', 'httpcore') if m in sys.modules]; "
        "assert not loaded, loaded; "
        "assert c._transport._http._value is None; "
        "c._transport.http; assert 'httpcore' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_groups_build_no_pydantic_class_until_their_first_call() -> None:
    """Every group of both clients is ready without loading its declarations: no params or
    response model is built (pydantic's model machinery is not even imported) until a method is
    called; the first call loads its own group's declarations and no other group's."""
    code = (
        "import sys, binance_typed\n"
        "from binance_typed._groups import GROUPS\n"
        "c = binance_typed.Client('k', 's'); a = binance_typed.AsyncClient('k', 's')\n"
        "for name in GROUPS: getattr(c, name); getattr(a, name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('pydantic', 'binance_typed.endpoints', "
        "'binance_typed.models', 'binance_typed.rules', 'binance_typed.history')))\n"
        "assert loaded == [], loaded\n"
        "import httpx\n"
        "c = binance_typed.Client(http_client=httpx.Client(transport=httpx.MockTransport("
        "lambda r: httpx.Response(200, text='{\"serverTime\": 1}'))))\n"
        "assert c.market.time().server_time_ms == 1\n"
        "assert 'binance_typed.endpoints.market' in sys.modules\n"
        "others = sorted(m for m in sys.modules if m.startswith('binance_typed.endpoints.') and m != 'binance_typed.endpoints.market'\n"
        "                and m != 'binance_typed.endpoints._param_docs')\n"
        "assert others == [], others\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_declarations_load_once_and_name_what_is_missing() -> None:
    from binance_typed.api._resource import Declarations
    from binance_typed.endpoints import market

    declared = Declarations("binance_typed.endpoints.market")
    barrier = threading.Barrier(8)
    got: list[Any] = []

    def first_use() -> None:
        barrier.wait()
        got.append(declared.KLINES)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [market.KLINES] * 8
    assert vars(declared)["KLINES"] is market.KLINES  # copied: later reads skip __getattr__
    with pytest.raises(AttributeError, match="binance_typed.endpoints.market declares no 'NO_SUCH'"):
        declared.NO_SUCH  # noqa: B018


class _Recorder:
    """Stands in for ``httpx.Client``: builds real clients over a mock transport and counts them."""

    def __init__(self, handler: Any, cls: Any) -> None:
        self.handler, self.cls = handler, cls
        self.built: list[dict[str, Any]] = []

    def __call__(self, **options: Any) -> Any:
        self.built.append(options)
        mock = httpx.MockTransport(self.handler)
        return self.cls(transport=mock, **options)


def test_http_client_is_built_at_the_first_request_with_the_client_options(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=TIME_BODY)

    recorder = _Recorder(handler, httpx.Client)
    monkeypatch.setattr(httpx, "Client", recorder)
    client = Client(timeout=7)
    client.market  # noqa: B018 - a group is ready without an HTTP client
    assert recorder.built == []
    assert client.market.time().server_time_ms == 1499827319559
    assert client.market.time().server_time_ms == 1499827319559
    assert len(recorder.built) == 1 and len(seen) == 2  # built once, reused (connection pool)
    assert recorder.built[0]["timeout"] == httpx.Timeout(7)
    assert seen[0].headers["User-Agent"].startswith("binance-typed/")
    assert client._transport.http.timeout == httpx.Timeout(7)


def test_lazy_http_client_is_built_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _Recorder(lambda r: httpx.Response(200, text=TIME_BODY), httpx.Client)
    monkeypatch.setattr(httpx, "Client", recorder)
    client = Client()
    barrier = threading.Barrier(8)
    got: list[Any] = []

    def first_use() -> None:
        barrier.wait()
        got.append(client._transport.http)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(recorder.built) == 1 and len({id(h) for h in got}) == 1


def test_closing_an_unused_client_then_calling_fails_as_a_closed_httpx_client(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _Recorder(lambda r: httpx.Response(200, text=TIME_BODY), httpx.Client)
    monkeypatch.setattr(httpx, "Client", recorder)
    with Client() as client:
        pass
    assert client._transport.http.is_closed
    with pytest.raises(RuntimeError, match="closed"):
        client.market.time()


def test_retry_after_a_5xx_loads_tenacity_on_demand_and_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    replies = [httpx.Response(503, text="busy"), httpx.Response(200, text=TIME_BODY)]
    recorder = _Recorder(lambda r: replies.pop(0), httpx.Client)
    monkeypatch.setattr(httpx, "Client", recorder)
    client = Client(retry=RetryPolicy(max_retries=2, initial_wait=0, max_wait=0, jitter=0))
    assert client._transport._retrying_state is None
    assert client.market.time().server_time_ms == 1499827319559
    assert replies == [] and client._transport._retrying_state is not None


def test_async_client_builds_its_http_client_at_the_first_request(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _Recorder(lambda r: httpx.Response(200, text=TIME_BODY), httpx.AsyncClient)
    monkeypatch.setattr(httpx, "AsyncClient", recorder)

    async def run() -> None:
        async with AsyncClient(timeout=3) as client:
            assert recorder.built == []
            assert (await client.market.time()).server_time_ms == 1499827319559
            assert len(recorder.built) == 1 and recorder.built[0]["timeout"] == httpx.Timeout(3)
        assert client._transport.http.is_closed
        unused = AsyncClient()
        await unused.close()
        assert unused._transport.http.is_closed and len(recorder.built) == 2

    asyncio.run(run())
