"""The connector's WebSocket clients: :mod:`.websocket_api` and :mod:`.websocket_stream`."""
