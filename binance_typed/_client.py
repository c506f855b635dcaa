"""``Client`` and ``AsyncClient``: options, credentials and lazily loaded endpoint groups."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

import httpx

from ._config import (
    LIVE_REST,
    TESTNET_REST,
    ClientConfig,
    RetryPolicy,
    check_recv_window,
    normalise_time_unit,
)
from ._groups import GROUPS, AsyncGroups, SyncGroups
from ._signing import load_signer
from ._transport._base import USER_AGENT, HeaderCapture, RateLimitState
from ._transport._sync import SyncTransport

if TYPE_CHECKING:
    from .rules import OrderRulesMode

__all__ = ["AsyncClient", "Client"]

P = ParamSpec("P")
T = TypeVar("T")

# The groups (GROUPS) and their typed properties (SyncGroups / AsyncGroups) are generated into
# _groups.py by scripts/generate.py; a group's module is loaded on first use to keep import fast.


def _config(
    api_key: str | None,
    api_secret: str | None,
    private_key: str | bytes | Path | None,
    private_key_pass: str | bytes | None,
    base_url: str,
    time_unit: str | None,
    recv_window: int | float,
    retry: RetryPolicy | None,
    rate_limit: str = "wait",
    time_sync_interval: float | None = None,
) -> ClientConfig:
    if rate_limit not in ("wait", "raise", "off"):
        raise ValueError(f"rate_limit must be 'wait', 'raise' or 'off', not {rate_limit!r}")
    return ClientConfig(
        base_url=base_url.rstrip("/"),
        api_key=api_key,
        signer=load_signer(api_secret, private_key, private_key_pass),
        recv_window=check_recv_window(recv_window),
        time_unit=normalise_time_unit(time_unit),
        retry=retry or RetryPolicy(),
        rate_limit=rate_limit,  # type: ignore[arg-type]
        time_sync_interval=time_sync_interval,
    )


def _http_options(timeout: float | None, proxies: Mapping[str, str] | None) -> dict[str, Any]:
    """httpx options from the connector-style ``timeout`` (seconds) and ``proxies`` dict."""
    options: dict[str, Any] = {
        "timeout": httpx.Timeout(timeout),
        "headers": {"User-Agent": USER_AGENT},
    }
    if proxies:
        options["mounts"] = {
            f"{scheme}://": httpx.HTTPTransport(proxy=url) for scheme, url in proxies.items()
        }
    return options


def _order_guard(mode: OrderRulesMode | None, transport: Any, rules: Callable[[str], Any], is_async: bool) -> Any:
    """The ``order_rules`` wrapper of the trade group's transport (see :mod:`binance_typed.rules`)."""
    if mode is None:
        return None
    from .rules import AsyncOrderGuard, SyncOrderGuard

    return (AsyncOrderGuard if is_async else SyncOrderGuard)(transport, mode, rules)


class _BaseClient:
    _groups: dict[str, Any]
    _order_guard: Any = None
    config: ClientConfig

    def _group(self, name: str, sync: bool) -> Any:
        group = self._groups.get(name)
        if group is None:
            module, sync_cls, async_cls = GROUPS[name]
            cls = getattr(importlib.import_module(module), sync_cls if sync else async_cls)
            transport = self._order_guard if name == "trade" and self._order_guard else self._transport  # type: ignore[attr-defined]
            group = self._groups[name] = cls(transport)
        return group

    @property
    def rate_limits(self) -> RateLimitState:
        """Used weight and order counts, as reported by the last responses' headers."""
        return self._transport.limits  # type: ignore[attr-defined, no-any-return]

    @property
    def time_offset_ms(self) -> int:
        """Milliseconds added to the local clock for ``timestamp`` (set by ``sync_time``)."""
        return self._transport.time_offset_ms  # type: ignore[attr-defined, no-any-return]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config!r})"

    def __reduce__(self) -> Any:
        raise TypeError(f"{type(self).__name__} holds credentials and an open connection pool; it cannot be pickled")

    def _raw(self, method: str, path: str, params: Any, security: str, weight: int) -> tuple[Any, Any, Any]:
        from ._raw import raw_endpoint, raw_params

        endpoint = raw_endpoint(method, path, security, weight)
        model, extra = raw_params(endpoint, params)
        return endpoint, model, extra


class Client(_BaseClient, SyncGroups):
    """Blocking client of the Binance Spot REST API.

    Args:
        api_key: the API key, sent as ``X-MBX-APIKEY``.
        api_secret: the HMAC secret (for HMAC keys).
        private_key: an RSA or Ed25519 private key, as PEM text or the path of a PEM file.
        private_key_pass: the passphrase of ``private_key``, if any.
        base_url: the REST root, ``https://api.binance.com`` by default.
        timeout: seconds to wait for a response; None waits forever.
        proxies: ``{"https": "http://1.2.3.4:8080"}``.
        time_unit: ``"microsecond"`` or ``"millisecond"`` (any case): sent as ``X-MBX-TIME-UNIT``;
            response timestamps then keep their microseconds.
        recv_window: default ``recvWindow`` of signed calls in ms (at most 60000).
        retry: retry policy of idempotent calls; ``RetryPolicy(max_retries=0)`` disables retries.
        http_client: an ``httpx.Client`` to use instead of creating one.
        order_rules: ``"check"`` checks every order of a trade request (order lists included)
            against its symbol's filters before it is signed, raising
            :class:`~binance_typed.rules.FilterViolation`; ``"round"`` first rounds its prices
            and quantities to the tick and step; None (default) sends orders as given.
        http_client: an ``httpx.Client`` to use instead of creating one (redirects are never
            followed, whatever its settings).
        rate_limit: ``"wait"`` (default) sleeps until the shared budget allows a request;
            ``"raise"`` raises :class:`~binance_typed.error.RateLimitBudgetError` instead;
            ``"off"`` sends without asking the gate.
        time_sync_interval: seconds between clock measurements before signed calls (None: only
            after a -1021).
    """

    def __init__(
        self,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        private_key: str | bytes | Path | None = None,
        private_key_pass: str | bytes | None = None,
        base_url: str = LIVE_REST,
        timeout: float | None = None,
        proxies: Mapping[str, str] | None = None,
        time_unit: str | None = None,
        recv_window: int | float = 5000,
        retry: RetryPolicy | None = None,
        http_client: httpx.Client | None = None,
        order_rules: OrderRulesMode | None = None,
        rate_limit: Literal["wait", "raise", "off"] = "wait",
        time_sync_interval: float | None = None,
    ) -> None:
        self.config = _config(
            api_key, api_secret, private_key, private_key_pass, base_url, time_unit, recv_window, retry,
            rate_limit, time_sync_interval,
        )
        if http_client is not None:
            self._transport = SyncTransport(self.config, http_client)
        else:  # built at the first request: TLS context and connection pool are not paid before
            options = _http_options(timeout, proxies)
            self._transport = SyncTransport(self.config, make_http=lambda: httpx.Client(**options))
        self._groups: dict[str, Any] = {}
        self._order_guard = _order_guard(order_rules, self._transport, lambda s: self.market.rules(s), False)

    @classmethod
    def testnet(cls, api_key: str | None = None, api_secret: str | None = None, **kwargs: Any) -> Client:
        """A client of the Spot testnet (``https://testnet.binance.vision``)."""
        return cls(api_key, api_secret, base_url=TESTNET_REST, **kwargs)

    def sync_time(self) -> int:
        """Measure the clock offset to Binance and apply it to later timestamps; returns ms."""
        return self._transport.sync_time()

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        security: Literal["NONE", "API_KEY", "SIGNED"] = "NONE",
        weight: int = 1,
        timeout: float | None = None,
    ) -> Any:
        """Call an endpoint this version does not declare; returns the decoded JSON.

        ``client.request("GET", "/api/v3/newThing", {"symbol": "BTCUSDT"}, security="SIGNED")``
        goes through the same gate (spending ``weight``), signing, retries (GET only) and clock
        resync as the declared methods. Numbers with a fraction come back as ``Decimal``.
        """
        endpoint, model, extra = self._raw(method, path, params, security, weight)
        return self._transport.request(endpoint, model, extra, timeout)

    def with_headers(self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> tuple[T, httpx.Headers]:
        """Call ``method`` and return its result with the response headers of that call."""
        with HeaderCapture() as captured:
            result = method(*args, **kwargs)
        return result, httpx.Headers(captured[-1] if captured else {})

    def close(self) -> None:
        """Close the connection pool (also done by ``with``)."""
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient(_BaseClient, AsyncGroups):
    """Asyncio client of the Binance Spot REST API; same options as :class:`Client`."""

    def __init__(
        self,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        private_key: str | bytes | Path | None = None,
        private_key_pass: str | bytes | None = None,
        base_url: str = LIVE_REST,
        timeout: float | None = None,
        proxies: Mapping[str, str] | None = None,
        time_unit: str | None = None,
        recv_window: int | float = 5000,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
        order_rules: OrderRulesMode | None = None,
        rate_limit: Literal["wait", "raise", "off"] = "wait",
        time_sync_interval: float | None = None,
    ) -> None:
        self.config = _config(
            api_key, api_secret, private_key, private_key_pass, base_url, time_unit, recv_window, retry,
            rate_limit, time_sync_interval,
        )
        options = _http_options(timeout, proxies)
        if proxies:
            options["mounts"] = {
                f"{scheme}://": httpx.AsyncHTTPTransport(proxy=url) for scheme, url in proxies.items()
            }
        from ._transport._async import AsyncTransport  # only for async clients

        if http_client is not None:
            self._transport = AsyncTransport(self.config, http_client)
        else:  # built at the first request, as for Client
            self._transport = AsyncTransport(self.config, make_http=lambda: httpx.AsyncClient(**options))
        self._groups: dict[str, Any] = {}
        self._order_guard = _order_guard(order_rules, self._transport, lambda s: self.market.rules(s), True)

    @classmethod
    def testnet(cls, api_key: str | None = None, api_secret: str | None = None, **kwargs: Any) -> AsyncClient:
        """A client of the Spot testnet (``https://testnet.binance.vision``)."""
        return cls(api_key, api_secret, base_url=TESTNET_REST, **kwargs)

    async def sync_time(self) -> int:
        """Measure the clock offset to Binance and apply it to later timestamps; returns ms."""
        return await self._transport.sync_time()

    async def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        security: Literal["NONE", "API_KEY", "SIGNED"] = "NONE",
        weight: int = 1,
        timeout: float | None = None,
    ) -> Any:
        """Call an endpoint this version does not declare (see :meth:`Client.request`)."""
        endpoint, model, extra = self._raw(method, path, params, security, weight)
        return await self._transport.request(endpoint, model, extra, timeout)

    async def with_headers(
        self, method: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs
    ) -> tuple[T, httpx.Headers]:
        """Await ``method`` and return its result with the response headers of that call."""
        with HeaderCapture() as captured:
            result = await method(*args, **kwargs)
        return result, httpx.Headers(captured[-1] if captured else {})

    async def close(self) -> None:
        """Close the connection pool (also done by ``async with``)."""
        await self._transport.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
