"""WebSocket clients: market streams, the WebSocket API and the local order book.

Nothing here is imported by ``import binance_typed``; the modules load on first use::

    from binance_typed.ws import SpotWebsocketStreamClient, AsyncStreamClient, OrderBook
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_LAZY: dict[str, str] = {
    "SpotWebsocketStreamClient": "binance_typed.ws.streams",
    "AsyncStreamClient": "binance_typed.ws.streams",
    "OrderBook": "binance_typed.ws.orderbook",
    "SpotWebsocketAPIClient": "binance_typed.ws.api",
    "AsyncWebsocketAPIClient": "binance_typed.ws.api",
    "LocalOrderBook": "binance_typed.ws.orderbook",
    "WebSocketConnection": "binance_typed.ws._connection",
    "ReconnectPolicy": "binance_typed.ws._connection",
    "ConnectionEvent": "binance_typed.ws._connection",
}

__all__ = [
    "AsyncStreamClient",
    "AsyncWebsocketAPIClient",
    "ConnectionEvent",
    "LocalOrderBook",
    "OrderBook",
    "ReconnectPolicy",
    "SpotWebsocketAPIClient",
    "SpotWebsocketStreamClient",
    "WebSocketConnection",
]

if TYPE_CHECKING:
    from ._connection import ConnectionEvent, ReconnectPolicy, WebSocketConnection
    from .api import AsyncWebsocketAPIClient, SpotWebsocketAPIClient
    from .orderbook import LocalOrderBook, OrderBook
    from .streams import AsyncStreamClient, SpotWebsocketStreamClient


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'binance_typed.ws' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
