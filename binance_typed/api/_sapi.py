"""Base classes of the generated /sapi groups: the /api/v3 group classes plus a testnet guard.

Binance runs no /sapi on the Spot testnet, so a /sapi method called on a testnet client raises
:class:`~binance_typed.error.NotOnTestnetError` before anything is signed or sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._resource import AsyncGroup, SyncGroup

if TYPE_CHECKING:
    from .._endpoint import Endpoint

__all__ = ["AsyncSapiGroup", "SapiGroup", "check_not_testnet"]

TESTNET_HOSTS = ("testnet.binance.vision",)


def check_not_testnet(transport: Any, endpoint: Endpoint) -> None:
    """Raise when ``transport`` talks to the Spot testnet, which has no /sapi endpoints."""
    config = getattr(transport, "config", None)
    base_url = str(getattr(config, "base_url", ""))
    if any(host in base_url for host in TESTNET_HOSTS):
        from ..error import NotOnTestnetError

        raise NotOnTestnetError(
            f"{endpoint.dotted} ({endpoint.verb} {endpoint.path}) is a /sapi endpoint; the Spot testnet "
            f"({base_url}) has none: use a live client, or LocalBinance for tests"
        )


class SapiGroup(SyncGroup):
    """A blocking /sapi group."""

    __slots__ = ()

    def _call(self, endpoint: Endpoint, values: dict[str, Any]) -> Any:
        check_not_testnet(self._transport, endpoint)
        return super()._call(endpoint, values)


class AsyncSapiGroup(AsyncGroup):
    """An asyncio /sapi group."""

    __slots__ = ()

    async def _call(self, endpoint: Endpoint, values: dict[str, Any]) -> Any:
        check_not_testnet(self._transport, endpoint)
        return await super()._call(endpoint, values)
