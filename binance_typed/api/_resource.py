"""Base classes of the generated groups: each method builds its params model and calls here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .._endpoint import Endpoint
    from .._params import Params


class SyncCaller(Protocol):
    """What a group sends its calls through: the REST transport or the WebSocket API client."""

    def call(self, endpoint: Endpoint, params: Params) -> Any: ...


class AsyncCaller(Protocol):
    """The asyncio counterpart of :class:`SyncCaller`."""

    async def call(self, endpoint: Endpoint, params: Params) -> Any: ...

__all__ = ["AsyncCaller", "AsyncGroup", "SyncCaller", "SyncGroup", "build_params"]


def build_params(endpoint: Endpoint, values: dict[str, Any]) -> Any:
    """Validate a method's arguments (its ``locals()``) into the endpoint's params model."""
    return endpoint.params.build(**{k: v for k, v in values.items() if v is not None and k != "self"})


class SyncGroup:
    """A group of blocking endpoint methods; the same class serves REST and the WebSocket API."""

    __slots__ = ("_transport",)

    def __init__(self, transport: SyncCaller) -> None:
        self._transport = transport

    def _call(self, endpoint: Endpoint, values: dict[str, Any]) -> Any:
        return self._transport.call(endpoint, build_params(endpoint, values))


class AsyncGroup:
    """A group of asyncio endpoint methods; the same class serves REST and the WebSocket API."""

    __slots__ = ("_transport",)

    def __init__(self, transport: AsyncCaller) -> None:
        self._transport = transport

    async def _call(self, endpoint: Endpoint, values: dict[str, Any]) -> Any:
        return await self._transport.call(endpoint, build_params(endpoint, values))
