"""Base classes of the generated groups: each method builds its params model and calls here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._endpoint import Endpoint
    from .._transport._async import AsyncTransport
    from .._transport._sync import SyncTransport

__all__ = ["AsyncGroup", "SyncGroup", "build_params"]


def build_params(endpoint: Endpoint, values: dict[str, Any]) -> Any:
    """Validate a method's arguments (its ``locals()``) into the endpoint's params model."""
    return endpoint.params.build(**{k: v for k, v in values.items() if v is not None and k != "self"})


class SyncGroup:
    """A group of blocking endpoint methods sharing the client's transport."""

    __slots__ = ("_transport",)

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def _call(self, endpoint: Endpoint, values: dict[str, Any]) -> Any:
        return self._transport.call(endpoint, build_params(endpoint, values))


class AsyncGroup:
    """A group of asyncio endpoint methods sharing the client's transport."""

    __slots__ = ("_transport",)

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    async def _call(self, endpoint: Endpoint, values: dict[str, Any]) -> Any:
        return await self._transport.call(endpoint, build_params(endpoint, values))
