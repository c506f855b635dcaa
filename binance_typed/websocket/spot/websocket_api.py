"""``binance.websocket.spot.websocket_api`` of binance-connector, served by binance-typed.

    from binance_typed.websocket.spot.websocket_api import SpotWebsocketAPIClient

    def message_handler(_, message):
        print(message)                                  # the JSON text, as with the connector

    client = SpotWebsocketAPIClient(on_message=message_handler)
    client.ticker(symbol="BNBUSDT", type="FULL")
    client.stop()

Every connector method exists; each validates its parameters with the typed declaration of the
same WebSocket method before sending. ``client.typed`` is the typed
:class:`binance_typed.ws.api.SpotWebsocketAPIClient` (blocking calls returning models).
"""

from __future__ import annotations

from ._api_methods import WebsocketAPIMethods

__all__ = ["SpotWebsocketAPIClient"]


class SpotWebsocketAPIClient(WebsocketAPIMethods):
    """binance-connector's WebSocket API client (arguments in :class:`._api_base.WebsocketAPIBase`)."""
