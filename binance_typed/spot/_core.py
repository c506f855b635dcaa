"""The engine under :class:`binance_typed.spot.Spot`: connector-style calls onto the declarations.

Each generated method of :mod:`._methods` names the endpoint it stands for by verb and path
(as binance-connector's method did). :func:`endpoint_for` finds the declaration with that verb and
path among :func:`binance_typed.endpoints.all_endpoints`, and the call goes through the typed
client's transport: same validation, signing, retries, errors and typed result as
``client.<group>.<method>``. There is no second copy of any endpoint here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .._client import Client
from .._config import LIVE_REST
from .._endpoint import Endpoint
from .._transport._base import HeaderCapture
from ..endpoints import all_endpoints
from ..error import BinanceError

__all__ = ["RetiredEndpointError", "SpotBase", "decimal_safe", "endpoint_for", "every_endpoint"]


class RetiredEndpointError(BinanceError, NotImplementedError):
    """A binance-connector method whose endpoint Binance has retired; nothing was sent.

    ``method`` is the connector's method name, ``endpoint`` its ``"VERB /path"`` and
    ``replacement`` what to use instead.
    """

    def __init__(self, method: str, endpoint: str, replacement: str) -> None:
        self.method = method
        self.endpoint = endpoint
        self.replacement = replacement
        super().__init__(f"{method}() called {endpoint}, which Binance has retired: {replacement}")


def every_endpoint() -> Iterator[Endpoint]:
    """Every declaration: the /api/v3 groups and, where declared, the /sapi groups."""
    from .. import endpoints

    all_groups = getattr(endpoints, "all_groups", None)
    groups: tuple[str, ...] = all_groups() if all_groups is not None else endpoints.GROUP_MODULES
    return all_endpoints(groups)


@cache
def _group_index(group: str) -> dict[tuple[str, str], Endpoint]:
    endpoints = all_endpoints((group,)) if group else every_endpoint()
    return {(ep.verb, ep.path): ep for ep in endpoints if ep.path}


def endpoint_for(verb: str, path: str, group: str = "") -> Endpoint | None:
    """The declaration serving ``verb path``, or None when none is declared.

    ``group`` (known to the generated methods) limits the search, and the imports, to that
    group's module; without it every group is searched.
    """
    endpoint = _group_index(group).get((verb, path))
    if endpoint is None and group:
        endpoint = _group_index("").get((verb, path))
    return endpoint


def decimal_safe(value: Any) -> Any:
    """A float becomes ``Decimal(str(value))`` (its shortest repr), never binary-rounded digits."""
    if isinstance(value, float):
        return Decimal(str(value))
    return value


class SpotBase:
    """Construction and dispatch of :class:`~binance_typed.spot.Spot` (connector arguments).

    Args:
        api_key: the API key.
        api_secret: the HMAC secret.
        base_url: the REST root (``https://api.binance.com``; ``https://testnet.binance.vision``
            for the testnet).
        timeout: seconds to wait for a response.
        proxies: ``{"https": "http://1.2.3.4:8080"}``.
        time_unit: ``"MICROSECOND"`` or ``"MILLISECOND"``.
        private_key: an RSA or Ed25519 private key (PEM text, or the path of a PEM file).
        private_key_pass: the passphrase of ``private_key``.
        show_limit_usage: wrap each result as ``{"data": result, "limit_usage": {...}}`` with the
            ``x-mbx-used-weight-*`` / ``x-mbx-order-count-*`` / ``x-sapi-used-*`` headers.
        show_header: wrap each result as ``{"data": result, "header": headers}``.
        http_client: an ``httpx.Client`` to send through (tests use ``httpx.MockTransport``).
    """

    def __init__(
        self,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        base_url: str = LIVE_REST,
        timeout: float | None = None,
        proxies: Mapping[str, str] | None = None,
        time_unit: str | None = None,
        private_key: str | bytes | Path | None = None,
        private_key_pass: str | bytes | None = None,
        show_limit_usage: bool = False,
        show_header: bool = False,
        **options: Any,
    ) -> None:
        self.typed = Client(
            api_key,
            api_secret,
            private_key=private_key,
            private_key_pass=private_key_pass,
            base_url=base_url,
            timeout=timeout,
            proxies=proxies,
            time_unit=time_unit,
            **options,
        )
        """The typed :class:`~binance_typed.Client` underneath (``spot.typed.market.klines``)."""
        self.api_key = api_key
        self.base_url = base_url
        self.timeout = timeout
        self.proxies = proxies
        self.show_limit_usage = show_limit_usage
        self.show_header = show_header

    def _send(
        self, method: str, verb: str, path: str, args: dict[str, Any], kwargs: dict[str, Any], group: str = ""
    ) -> Any:
        """Validate ``args`` + ``kwargs`` with the declaration of ``verb path`` and call it."""
        endpoint = endpoint_for(verb, path, group)
        if endpoint is None:
            raise NotImplementedError(
                f"{method}(): {verb} {path} has no declaration in binance_typed.endpoints"
            )
        values = {k: decimal_safe(v) for k, v in args.items() if v is not None}
        values.update((k, decimal_safe(v)) for k, v in kwargs.items() if v is not None)
        params = endpoint.params.build(**values)
        transport = self.typed._transport
        if not (self.show_limit_usage or self.show_header):
            return transport.call(endpoint, params)
        with HeaderCapture() as captured:
            data = transport.call(endpoint, params)
        headers = dict(captured[-1]) if captured else {}
        result: dict[str, Any] = {}
        if self.show_limit_usage:
            result["limit_usage"] = {
                key.lower(): value
                for key, value in headers.items()
                if key.lower().startswith(("x-mbx-used-weight", "x-mbx-order-count", "x-sapi-used"))
            }
        if self.show_header:
            result["header"] = headers
        result["data"] = data
        return result

    def _retired(self, method: str, endpoint: str, replacement: str) -> Any:
        raise RetiredEndpointError(method, endpoint, replacement)

    def close(self) -> None:
        self.typed.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
