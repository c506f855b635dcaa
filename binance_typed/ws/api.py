"""The Binance Spot WebSocket API client: blocking, callback and asyncio flavours.

    from binance_typed.ws.api import SpotWebsocketAPIClient

    with SpotWebsocketAPIClient(api_key, private_key=pem) as ws:
        candles = ws.market.klines("BTCUSDT", "1m", limit=10)      # list[Kline], like REST
        ws.session.logon()                                         # Ed25519: later calls unsigned
        order = ws.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC",
                                   quantity="0.001", price="20000")
        ws.user_data.subscribe()                                   # events -> on_user_data

Every method shares its params and response models with the REST method of the same name
(``ws.market.klines`` and ``client.market.klines`` come from one declaration); ``ws.session`` and
``ws.user_data`` hold the WebSocket-only methods. A call blocks until its response (correlated by
request id) and returns the typed result, or raises the same errors as REST. Callback style:
``ws.submit(ws.market.klines, "BTCUSDT", "1m")`` returns the request id at once and hands a
:class:`WsResponse` to ``on_message(message)`` later (one argument, typed
:data:`WsMessage`, as the stream client's events).

The connection (:class:`~binance_typed.ws.WebSocketConnection`) answers pings, watches for stalls and
reconnects with backoff; after a reconnect the client logs on again and restores user data
subscriptions; once a subscription is back, ``on_user_data`` first receives a
:class:`~binance_typed.models.events.user_data.UserDataGapEvent` (events of the outage are lost)
and :meth:`SpotWebsocketAPIClient.resync_user_data` reads what they would have said. Requests made
while connecting wait for the connection (up to ``timeout``). A
request in flight when the connection drops fails: an order with
:class:`~binance_typed.error.ExecutionStatusUnknown` carrying its ``newClientOrderId`` (generated
when absent), anything else with :class:`WsConnectionLost` (safe to retry). Orders are never
resent automatically.

The implementation is split in :mod:`._api_protocol` (I/O-free envelopes, signing, errors),
:mod:`._api_core` (connection, correlation, session restore), :mod:`._api_client` (this blocking
client) and :mod:`._api_async` (the asyncio client); this module is their public face.
"""

from __future__ import annotations

from ._api_async import AsyncWebsocketAPIClient
from ._api_client import SpotWebsocketAPIClient
from ._api_core import UserDataMessage, WsMessage
from ._api_methods import AsyncWsSession, AsyncWsUserData, WsSession, WsUserData
from ._api_protocol import RateLimit, WsConnectionLost, WsRequestTimeout, WsResponse
from ._resync import UserDataResync

__all__ = [
    "AsyncWebsocketAPIClient",
    "AsyncWsSession",
    "AsyncWsUserData",
    "RateLimit",
    "SpotWebsocketAPIClient",
    "UserDataMessage",
    "UserDataResync",
    "WsConnectionLost",
    "WsMessage",
    "WsRequestTimeout",
    "WsResponse",
    "WsSession",
    "WsUserData",
]
