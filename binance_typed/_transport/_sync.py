"""Blocking transport: httpx.Client plus tenacity.Retrying around the shared core."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._base import (
    LazyHttp,
    TransportState,
    cost_of,
    extra_items,
    handle,
    needs_resync,
    prepare,
    replay_then,
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

__all__ = ["SyncTransport"]


class SyncTransport(TransportState):
    """Sends requests over one ``httpx.Client`` (connection pooling, HTTP keep-alive).

    Each attempt passes the rate-limit gate, then is prepared (and signed) afresh, so a retry
    never resends a stale ``timestamp``.
    """

    def __init__(
        self,
        config: ClientConfig,
        http: httpx.Client | None = None,
        *,
        make_http: Callable[[], httpx.Client] | None = None,
    ) -> None:
        """``http``: the client to send with; or ``make_http``, which builds it at the first
        request (its TLS context and connection pool are not paid for by a client that has not
        sent anything yet)."""
        super().__init__(config)
        self._http = LazyHttp(http, make_http, "SyncTransport")
        self._retrying_state: Any = None

    @property
    def http(self) -> httpx.Client:
        """The ``httpx.Client`` requests go through (built on first use when made lazily)."""
        return self._http.get()

    @property
    def _retrying(self) -> Any:
        """tenacity's ``Retrying``, imported and built when a first attempt has failed."""
        if self._retrying_state is None:
            from tenacity import Retrying

            self._retrying_state = Retrying(**retry_kwargs(self.config))
        return self._retrying_state

    def call(
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
            self.sync_time()
        return self.request(endpoint, params, extra, timeout)

    def request(
        self, endpoint: Endpoint, params: Params, extra: list[tuple[str, str]] | None, timeout: float | None
    ) -> Any:
        """Send with the gate, fresh signatures per attempt, retries (idempotent only) and resync."""
        cost = cost_of(endpoint, params)

        def attempt() -> Any:
            return self._attempt(endpoint, params, extra, cost, timeout)

        try:
            return self._with_retries(endpoint, attempt)
        except Exception as exc:
            if not needs_resync(endpoint, exc, self.config):
                raise
        self.sync_time()
        return attempt()

    def _with_retries(self, endpoint: Endpoint, attempt: Any) -> Any:
        try:
            return attempt()
        except Exception as exc:
            if not (endpoint.idempotent and wants_retry(exc, self.config)):
                raise
            first = exc
        # tenacity only once a first attempt failed: the happy path pays nothing for retries
        return self._retrying(replay_then(first, attempt))

    def _attempt(
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
                time.sleep(wait)
        sent_ms = self.clock.now_ms()
        prepared = prepare(endpoint, params, self.config, self.clock.offset_ms, extra)
        try:
            response = self.http.request(
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

    def sync_time(self) -> int:
        """Measure the offset between Binance's clock and ours; later timestamps include it."""
        from ..endpoints.market import TIME

        sent = time.time()
        server = self._attempt(TIME, TIME.params(), None, cost_of(TIME, TIME.params()), None)
        return self.clock.apply(server.server_time_ms, sent, time.time())

    def close(self) -> None:
        self.http.close()  # built first if never used, so later requests fail as on a closed client
