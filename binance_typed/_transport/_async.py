"""Asyncio transport: httpx.AsyncClient plus tenacity.AsyncRetrying around the shared core."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx
from tenacity import AsyncRetrying

from ._base import (
    Prepared,
    RateLimitState,
    areplay_then,
    handle,
    needs_resync,
    offset_from,
    prepare,
    retry_kwargs,
    transport_error,
    wants_retry,
)

if TYPE_CHECKING:  # not imported at run time: pydantic stays unloaded until a call is made
    from .._config import ClientConfig
    from .._endpoint import Endpoint
    from .._params import Params

__all__ = ["AsyncTransport"]


class AsyncTransport:
    """Sends prepared requests over one ``httpx.AsyncClient``."""

    def __init__(self, config: ClientConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self.http = http
        self.limits = RateLimitState()
        self.time_offset_ms = 0
        self._retrying = AsyncRetrying(**retry_kwargs(config))

    async def call(self, endpoint: Endpoint, params: Params) -> Any:
        prepared = prepare(endpoint, params, self.config, self.time_offset_ms)
        try:
            return await self._send_with_retries(prepared)
        except Exception as exc:
            if not needs_resync(prepared, exc, self.config):
                raise
        await self.sync_time()
        return await self._send(prepare(endpoint, prepared.params, self.config, self.time_offset_ms))

    async def _send_with_retries(self, prepared: Prepared) -> Any:
        try:
            return await self._send(prepared)
        except Exception as exc:
            if not (prepared.endpoint.idempotent and wants_retry(exc, self.config)):
                raise
            first = exc
        # tenacity only once a first attempt failed: the happy path pays nothing for retries
        return await self._retrying(areplay_then(first, self._send), prepared)

    async def _send(self, prepared: Prepared) -> Any:
        try:
            response = await self.http.request(
                prepared.method, prepared.url, headers=prepared.headers, content=prepared.content
            )
        except httpx.HTTPError as exc:
            raise transport_error(prepared, exc) from exc
        return handle(
            prepared, response.status_code, response.headers, response.content, self.config, self.limits
        )

    async def sync_time(self) -> int:
        """Measure the offset between Binance's clock and ours; later timestamps include it."""
        from ..endpoints.market import TIME

        sent = time.time()
        server = await self._send(prepare(TIME, TIME.params(), self.config))
        self.time_offset_ms = offset_from(server.server_time_ms, sent, time.time())
        return self.time_offset_ms

    async def close(self) -> None:
        await self.http.aclose()
