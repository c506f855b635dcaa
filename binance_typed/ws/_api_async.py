"""The asyncio WebSocket API client: the socket runs in the connection's threads, answers are handed
to the event loop."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from .._endpoint import Endpoint
from .._params import Params
from ..endpoints.ws_only import SESSION_LOGON, LogonParams
from ..error import InvalidTimestampError
from ._api_client import _ClientBase
from ._api_core import (
    UserDataMessage,
    call_overrides,
    capturing_rate_limits,
    resync_allowed,
    submit_mode,
    submitting,
    ws_overrides,
)
from ._api_protocol import Pending, RateLimit, parse_rate_limits, timeout_error

if TYPE_CHECKING:
    from ..api.account import AsyncAccount
    from ..api.market import AsyncMarket
    from ..api.trade import AsyncTrade
    from ._api_methods import AsyncWsSession, AsyncWsUserData

__all__ = ["AsyncWebsocketAPIClient"]

log = logging.getLogger("binance_typed")
P = ParamSpec("P")
T = TypeVar("T")


class AsyncWebsocketAPIClient(_ClientBase):
    """Asyncio client of the Binance Spot WebSocket API; same options as :class:`SpotWebsocketAPIClient`.

    The socket runs in the connection's threads; responses are handed to the event loop, so
    ``await ws.market.klines(...)`` never blocks the loop while waiting.
    """

    _async = True


    def _user_data_sink(
        self, on_user_data: Callable[[Any, UserDataMessage], None] | None
    ) -> Callable[[Any, UserDataMessage], None] | None:
        self._user_queue: asyncio.Queue[UserDataMessage] = asyncio.Queue(maxsize=100_000)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_user_data = on_user_data
        return self._user_data

    @property
    def market(self) -> AsyncMarket:
        """General and market data methods (public)."""
        return self._group("market")  # type: ignore[no-any-return]

    @property
    def trade(self) -> AsyncTrade:
        """Trading methods: orders, order lists, SOR (signed)."""
        return self._group("trade")  # type: ignore[no-any-return]

    @property
    def account(self) -> AsyncAccount:
        """Account methods: balances, order queries, trades, limits (signed)."""
        return self._group("account")  # type: ignore[no-any-return]

    @property
    def session(self) -> AsyncWsSession:
        """Session authentication: ``logon`` (Ed25519), ``status``, ``logout``, ``subscriptions``."""
        return self._group("session")  # type: ignore[no-any-return]

    @property
    def user_data(self) -> AsyncWsUserData:
        """User data stream subscriptions; events via ``on_user_data`` or :meth:`user_data_events`."""
        return self._group("user_data")  # type: ignore[no-any-return]

    # -- user data ------------------------------------------------------------------------------
    def _user_data(self, client: Any, message: UserDataMessage) -> None:
        if self._on_user_data is not None:
            self._on_user_data(client, message)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._enqueue, message)

    def _enqueue(self, message: UserDataMessage) -> None:
        try:
            self._user_queue.put_nowait(message)
        except asyncio.QueueFull:
            log.warning("ws-api: user data queue full (nobody reads user_data_events?); event dropped")

    async def user_data_events(self) -> AsyncIterator[UserDataMessage]:
        """Async iterator over user data events: ``async for msg in ws.user_data_events(): ...``.

        Events are queued from the moment the client is used on an event loop.
        """
        self._loop = asyncio.get_running_loop()
        while True:
            yield await self._user_queue.get()

    # -- calls ------------------------------------------------------------------------------------
    async def _wait_ready(self, deadline: float | None) -> None:
        core = self._core
        if core.connected:
            return
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, core.wait_ready, remaining)

    async def call(
        self,
        endpoint: Endpoint,
        params: Params,
        *,
        timeout: float | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one validated request and return its typed result (what the groups call).

        A signed request refused with -1021 resyncs the clock and is sent once more (see the
        blocking client). ``timeout`` and ``extra_params`` apply to this call only.
        """
        if timeout is not None or extra_params:
            token = call_overrides.set(ws_overrides(timeout, extra_params))
            try:
                return await self.call(endpoint, params)
            finally:
                call_overrides.reset(token)
        try:
            return await self._call_once(endpoint, params)
        except InvalidTimestampError:
            if not resync_allowed(endpoint):
                raise
        await self.sync_time()
        return await self._call_once(endpoint, params)

    async def _call_once(self, endpoint: Endpoint, params: Params) -> Any:
        core = self._core
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        overrides = call_overrides.get()
        timeout = overrides[0] if overrides is not None and overrides[0] is not None else core.timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        while (wait := core.spend(endpoint, params)) > 0:
            await asyncio.sleep(wait)
        if core.needs_logon(endpoint):
            await self.call(SESSION_LOGON, LogonParams())
        loop = asyncio.get_running_loop()
        if submit_mode.get():
            pending = core.new_pending(endpoint, params, core._deliver)
            await self._wait_ready(deadline)
            core.dispatch(pending, deadline)
            return pending.id
        future: asyncio.Future[None] = loop.create_future()

        def done(_: Pending) -> None:
            loop.call_soon_threadsafe(_resolve, future)

        pending = core.new_pending(endpoint, params, done)
        await self._wait_ready(deadline)
        core.dispatch(pending, deadline)
        try:
            if deadline is None:
                await future
            else:
                await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
        except (asyncio.TimeoutError, TimeoutError):
            with core._lock:
                mine = core._pending.pop(pending.id, None) is not None
            if mine:
                raise timeout_error(pending, core.timeout) from None
        except asyncio.CancelledError:  # the caller gave up: forget the request (no leak on a long session)
            with core._lock:
                core._pending.pop(pending.id, None)
            raise
        return core.result(pending)

    async def request(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        """Call a method by its WebSocket API name with API-named parameters; typed result."""
        endpoint = self._endpoint(method)
        return await self.call(endpoint, endpoint.params.build(**dict(params or {})))

    async def submit(self, method: Callable[P, Awaitable[Any]], *args: P.args, **kwargs: P.kwargs) -> int:
        """Send without waiting for the answer; it reaches ``on_message`` as a :class:`WsResponse`."""
        with submitting():
            return await method(*args, **kwargs)  # type: ignore[no-any-return]

    async def with_rate_limits(
        self, method: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs
    ) -> tuple[T, list[RateLimit]]:
        """Await ``method`` and return its result with the ``rateLimits`` of that response."""
        with capturing_rate_limits() as bucket:
            result = await method(*args, **kwargs)
        return result, parse_rate_limits(bucket[-1] if bucket else None)

    async def sync_time(self) -> int:
        """Measure the clock offset to Binance (``time``) and apply it to ``timestamp``; ms."""
        sent = time.time()
        server = await self.market.time()
        received = time.time()
        return self._core.apply_clock(sent, server.server_time_ms, received)

    async def connect(self, timeout: float | None = None) -> None:
        """Start (if needed) and wait until the connection is ready."""
        self._loop = asyncio.get_running_loop()
        wait_for = timeout if timeout is not None else self._core.timeout
        await self._loop.run_in_executor(None, lambda: self._core.start(wait=True, timeout=wait_for))

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._core.stop)

    async def __aenter__(self) -> AsyncWebsocketAPIClient:
        await self.connect()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
