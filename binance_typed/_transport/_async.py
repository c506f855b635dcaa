"""Asyncio transport: httpx.AsyncClient plus tenacity.AsyncRetrying around the shared core."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._base import (
    LazyHttp,
    TransportState,
    areplay_then,
    cost_of,
    extra_items,
    handle,
    needs_resync,
    prepare,
    retry_kwargs,
    transport_error,
    wants_retry,
    with_client_order_id,
)

if TYPE_CHECKING:  # not imported at run time: pydantic stays unloaded until a call is made
    from .._config import ClientConfig
    from .._endpoint import Endpoint
    from .._params import Params
    from .._policy import Cost

__all__ = ["AsyncTransport"]


class AsyncTransport(TransportState):
    """Sends requests over one ``httpx.AsyncClient``.

    Each attempt passes the rate-limit gate, then is prepared (and signed) afresh, so a retry
    never resends a stale ``timestamp``.
    """

    def __init__(
        self,
        config: ClientConfig,
        http: httpx.AsyncClient | None = None,
        *,
        make_http: Callable[[], httpx.AsyncClient] | None = None,
    ) -> None:
        """``http``: the client to send with; or ``make_http``, which builds it at the first
        request (see :class:`~binance_typed._transport._sync.SyncTransport`)."""
        super().__init__(config)
        self._http = LazyHttp(http, make_http, "AsyncTransport")
        self._retrying_state: Any = None

    @property
    def http(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` requests go through (built on first use when made lazily)."""
        return self._http.get()

    @property
    def _retrying(self) -> Any:
        """tenacity's ``AsyncRetrying``, imported and built when a first attempt has failed."""
        if self._retrying_state is None:
            from tenacity import AsyncRetrying

            self._retrying_state = AsyncRetrying(**retry_kwargs(self.config))
        return self._retrying_state

    async def call(
        self,
        endpoint: Endpoint,
        params: Params,
        *,
        timeout: float | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        params, _ = with_client_order_id(endpoint, params)  # once: every attempt carries the same id
        extra = extra_items(extra_params) if extra_params else None
        if endpoint.security == "SIGNED" and self.clock.due():
            await self.sync_time()
        return await self.request(endpoint, params, extra, timeout)

    async def request(
        self, endpoint: Endpoint, params: Params, extra: list[tuple[str, str]] | None, timeout: float | None
    ) -> Any:
        """Send with the gate, fresh signatures per attempt, retries (idempotent only) and resync."""
        cost = cost_of(endpoint, params)

        async def attempt() -> Any:
            return await self._attempt(endpoint, params, extra, cost, timeout)

        try:
            return await self._with_retries(endpoint, attempt)
        except Exception as exc:
            if not needs_resync(endpoint, exc, self.config):
                raise
        await self.sync_time()
        return await attempt()

    async def _with_retries(self, endpoint: Endpoint, attempt: Any) -> Any:
        try:
            return await attempt()
        except Exception as exc:
            if not (endpoint.idempotent and wants_retry(exc, self.config)):
                raise
            first = exc
        # tenacity only once a first attempt failed: the happy path pays nothing for retries
        return await self._retrying(areplay_then(first, attempt))

    async def _attempt(
        self,
        endpoint: Endpoint,
        params: Params,
        extra: list[tuple[str, str]] | None,
        cost: Cost,
        timeout: float | None,
    ) -> Any:
        policy = self.config.rate_limit
        if policy != "off":
            while (wait := self.gate.reserve(cost, policy)) > 0:
                await asyncio.sleep(wait)
        sent_ms = self.clock.now_ms()
        prepared = prepare(endpoint, params, self.config, self.clock.offset_ms, extra)
        try:
            response = await self.http.request(
                prepared.method,
                prepared.url,
                headers=prepared.headers,
                content=prepared.content,
                timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
                follow_redirects=False,
            )
        except httpx.HTTPError as exc:
            raise transport_error(prepared, exc) from exc
        finally:
            if policy != "off":
                self.gate.answered(cost, sent_ms)
        return handle(
            prepared, response.status_code, response.headers, response.content, self.config, self.gate, sent_ms
        )

    async def sync_time(self) -> int:
        """Measure the offset between Binance's clock and ours; later timestamps include it."""
        from ..endpoints.market import TIME

        sent = time.time()
        server = await self._attempt(TIME, TIME.params(), None, cost_of(TIME, TIME.params()), None)
        return self.clock.apply(server.server_time_ms, sent, time.time())

    async def close(self) -> None:
        await self.http.aclose()  # built first if never used: later requests fail as on a closed client
