"""The asyncio WebSocket API client: the socket runs in the connection's threads, answers are handed
to the event loop."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from .._endpoint import Endpoint
from .._params import Params
from .._transport._base import cost_of
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
from ._api_protocol import Pending, RateLimit, WsRequestTimeout, parse_rate_limits, timeout_error
from ._resync import RECENT_LIMIT, UserDataResync, build, changed_since, symbols_of

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
        """Wait on a loop future until the connection is ready, the client closes or ``deadline``
        passes (no thread is held meanwhile: the connection's thread resolves the future)."""
        core = self._core
        if core.connected:
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()

        def ready() -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_resolve, future)

        core.when_ready(ready)
        try:
            if deadline is None:
                await future
            else:
                await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
        except (asyncio.TimeoutError, TimeoutError):
            pass  # dispatch raises the timeout
        finally:
            core.forget_ready(ready)

    async def _dispatch(self, pending: Pending, deadline: float | None) -> None:
        """Send ``pending`` once a session is ready, waiting for it on the loop."""
        core = self._core
        while True:
            await self._wait_ready(deadline)
            expired = deadline is not None and time.monotonic() >= deadline
            if core.dispatch(pending, deadline if not expired else time.monotonic(), block=expired) is not None:
                return

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
        cost = cost_of(endpoint, params)
        while (wait := core.spend(cost)) > 0:
            await asyncio.sleep(wait)
        reserved = (cost, core.clock.now_ms())
        if core.needs_logon(endpoint):
            await self.call(SESSION_LOGON, LogonParams())
        loop = asyncio.get_running_loop()
        if submit_mode.get():
            pending = core.new_pending(endpoint, params, core._deliver, reserved)
            await self._dispatch(pending, deadline)
            return pending.id
        future: asyncio.Future[None] = loop.create_future()

        def done(_: Pending) -> None:
            loop.call_soon_threadsafe(_resolve, future)

        pending = core.new_pending(endpoint, params, done, reserved)
        await self._dispatch(pending, deadline)
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

    async def resync_user_data(
        self, symbols: Iterable[str] | str = (), *, since: datetime | None = None
    ) -> UserDataResync:
        """Read the open orders, balances and recently changed orders of ``symbols`` after a
        :class:`~binance_typed.models.events.user_data.UserDataGapEvent` (see the blocking client)."""
        open_orders = await self.account.get_open_orders()
        info = await self.account.info(omitZeroBalances=True)
        recent = {
            symbol: changed_since(await self.account.get_all_orders(symbol, limit=RECENT_LIMIT), since)
            for symbol in symbols_of(symbols)
        }
        return build(open_orders, info, recent)

    async def sync_time(self) -> int:
        """Measure the clock offset to Binance (``time``) and apply it to ``timestamp``; ms."""
        sent = time.time()
        server = await self.market.time()
        received = time.time()
        return self._core.apply_clock(sent, server.server_time_ms, received)

    async def connect(self, timeout: float | None = None) -> None:
        """Start (if needed) and wait until the connection is ready; a failed wait closes the
        client before raising :class:`WsRequestTimeout`."""
        self._loop = asyncio.get_running_loop()
        wait_for = timeout if timeout is not None else self._core.timeout
        core = self._core
        core.start(wait=False, timeout=None)
        await self._wait_ready(None if wait_for is None else time.monotonic() + wait_for)
        if not core.connected:
            await self.close()
            raise WsRequestTimeout(f"no connection to {core.url} within {wait_for} s", "connect", False)

    async def close(self) -> None:
        """Close the connection (waiting, on a loop future, for its threads to end)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()

        def stop() -> None:
            try:
                self._core.stop()
            finally:
                if not loop.is_closed():
                    loop.call_soon_threadsafe(_resolve, future)

        threading.Thread(target=stop, name="ws-api-close", daemon=True).start()
        await future

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
