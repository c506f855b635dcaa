"""binance-typed: a typed Python SDK for the Binance Spot API.

    from binance_typed import Client
    with Client() as client:
        candles = client.market.klines("BTCUSDT", "1m", limit=10)   # list[Kline]

Everything public is re-exported here and loaded on first use, so ``import binance_typed`` stays
cheap: the WebSocket clients and endpoint groups are imported only when touched.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "Client": "binance_typed._client",
    "AsyncClient": "binance_typed._client",
    "RetryPolicy": "binance_typed._config",
    "Security": "binance_typed._endpoint",
    "Endpoint": "binance_typed._endpoint",
    "ErrorCode": "binance_typed.error_codes",
    "BinanceError": "binance_typed.error",
    "ClientError": "binance_typed.error",
    "ServerError": "binance_typed.error",
    "ParameterRequiredError": "binance_typed.error",
    "ParameterValueError": "binance_typed.error",
    "RateLimitError": "binance_typed.error",
    "IPBannedError": "binance_typed.error",
    "ExecutionStatusUnknown": "binance_typed.error",
    "SpotWebsocketStreamClient": "binance_typed.ws.streams",
    "AsyncStreamClient": "binance_typed.ws.streams",
    "SpotWebsocketAPIClient": "binance_typed.ws.api",
    "AsyncWebsocketAPIClient": "binance_typed.ws.api",
    "OrderBook": "binance_typed.ws.orderbook",
    "to_wire": "binance_typed.spot._wire",
    "FilterViolation": "binance_typed.rules",
    "SymbolRules": "binance_typed.rules",
    "to_frame": "binance_typed.frames",
}

# public names of the default endpoints -> their constant in binance_typed._config
_URLS: dict[str, str] = {
    "REST_URL": "LIVE_REST",
    "STREAM_URL": "LIVE_STREAMS",
    "WS_API_URL": "LIVE_WS_API",
    "TESTNET_REST_URL": "TESTNET_REST",
    "TESTNET_STREAM_URL": "TESTNET_STREAMS",
    "TESTNET_WS_API_URL": "TESTNET_WS_API",
}

__all__ = [
    "AsyncClient",
    "AsyncStreamClient",
    "AsyncWebsocketAPIClient",
    "BinanceError",
    "Client",
    "ClientError",
    "Endpoint",
    "ErrorCode",
    "ExecutionStatusUnknown",
    "FilterViolation",
    "IPBannedError",
    "OrderBook",
    "ParameterRequiredError",
    "ParameterValueError",
    "REST_URL",
    "RateLimitError",
    "RetryPolicy",
    "STREAM_URL",
    "Security",
    "ServerError",
    "SpotWebsocketAPIClient",
    "SpotWebsocketStreamClient",
    "SymbolRules",
    "TESTNET_REST_URL",
    "TESTNET_STREAM_URL",
    "TESTNET_WS_API_URL",
    "WS_API_URL",
    "__version__",
    "to_wire",
    "to_frame",
]

if TYPE_CHECKING:
    from ._client import AsyncClient, Client
    from ._config import LIVE_REST as REST_URL
    from ._config import LIVE_STREAMS as STREAM_URL
    from ._config import LIVE_WS_API as WS_API_URL
    from ._config import TESTNET_REST as TESTNET_REST_URL
    from ._config import TESTNET_STREAMS as TESTNET_STREAM_URL
    from ._config import TESTNET_WS_API as TESTNET_WS_API_URL
    from ._config import RetryPolicy
    from ._endpoint import Endpoint, Security
    from .error import (
        BinanceError,
        ClientError,
        ExecutionStatusUnknown,
        IPBannedError,
        ParameterRequiredError,
        ParameterValueError,
        RateLimitError,
        ServerError,
    )
    from .error_codes import ErrorCode
    from .frames import to_frame
    from .rules import FilterViolation, SymbolRules
    from .spot._wire import to_wire
    from .ws.api import AsyncWebsocketAPIClient, SpotWebsocketAPIClient
    from .ws.orderbook import OrderBook
    from .ws.streams import AsyncStreamClient, SpotWebsocketStreamClient


def __getattr__(name: str) -> Any:
    if name in _URLS:
        value = getattr(importlib.import_module("binance_typed._config"), _URLS[name])
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'binance_typed' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
