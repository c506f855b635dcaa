"""Construction and dispatch of the connector-compatible WebSocket API client.

The generated methods (:mod:`._api_methods`) call :meth:`WebsocketAPIBase._request` with the
WebSocket method name; the declaration with that ``ws_method`` validates the parameters and the
typed :class:`binance_typed.ws.api.SpotWebsocketAPIClient` sends the request without waiting, as
the connector did. Its answer reaches ``on_message(client, text)`` as the JSON text Binance sent.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..._config import LIVE_WS_API
from ...spot._core import RetiredEndpointError, decimal_safe
from ...ws._api_protocol import ws_endpoints
from ...ws.api import SpotWebsocketAPIClient as TypedWebsocketAPIClient
from ...ws.api import UserDataMessage, WsResponse
from ._callbacks import ConnectorCallbacks

__all__ = ["WebsocketAPIBase"]



class WebsocketAPIBase(ConnectorCallbacks):
    """binance-connector's ``SpotWebsocketAPIClient`` arguments over the typed client.

    Args:
        stream_url: the WebSocket API URL (``wss://ws-api.binance.com/ws-api/v3``).
        api_key, api_secret: HMAC credentials (or ``private_key`` / ``private_key_pass``).
        on_message: ``on_message(client, message)``: each response and event as the JSON text
            Binance sent (with ``typed_events=True``: a :class:`~binance_typed.ws.api.WsResponse`
            or :class:`~binance_typed.ws.api.UserDataMessage` instead).
        on_open: ``on_open(client)`` once the socket is open.
        on_close: ``on_close(client)`` when the socket closes.
        on_error: ``on_error(client, exception)`` for errors in callbacks and the transport.
        on_ping, on_pong: accepted for compatibility; pings are answered by the connection and
            these are not called.
        timeout: seconds to wait for the connection.
        logger: accepted for compatibility; logging goes to the ``binance_typed`` logger.
        time_unit: ``"MICROSECOND"`` or ``"MILLISECOND"``.
        proxies: ``{"https": "http://host:port"}``.
        typed_events: hand ``on_message`` the typed objects instead of text.
    """

    _callback_kind = "WebSocket API"

    def __init__(
        self,
        stream_url: str = LIVE_WS_API,
        api_key: str | None = None,
        api_secret: str | None = None,
        on_message: Callable[[Any, Any], Any] | None = None,
        on_open: Callable[[Any], Any] | None = None,
        on_close: Callable[[Any], Any] | None = None,
        on_error: Callable[[Any, BaseException], Any] | None = None,
        on_ping: Callable[..., Any] | None = None,
        on_pong: Callable[..., Any] | None = None,
        timeout: float | None = None,
        logger: logging.Logger | None = None,
        time_unit: str | None = None,
        proxies: Mapping[str, str] | None = None,
        *,
        private_key: str | bytes | Path | None = None,
        private_key_pass: str | bytes | None = None,
        typed_events: bool = False,
    ) -> None:
        self.on_message = on_message
        self.on_open = on_open
        self.on_close = on_close
        self.on_error = on_error
        self.on_ping = on_ping
        self.on_pong = on_pong
        self.typed_events = typed_events
        self._ids: dict[int, Any] = {}
        self._ids_lock = threading.Lock()
        self._close_reported = False
        self.typed = TypedWebsocketAPIClient(
            api_key,
            api_secret,
            private_key=private_key,
            private_key_pass=private_key_pass,
            on_message=self._message,
            on_open=self._opened,
            on_close=self._closed,
            on_error=self._error,
            stream_url=stream_url,
            time_unit=time_unit,
            proxies=proxies,
            timeout=timeout if timeout is not None else 10.0,
        )
        """The typed client underneath (``client.typed.market.klines(...)`` returns models)."""

    # -- callbacks, as the connector called them ----------------------------------------------------
    def _message(self, message: Any) -> None:
        if self.typed_events:
            self._callback(self.on_message, message)
            return
        if isinstance(message, WsResponse):
            frame = dict(message.raw)
            with self._ids_lock:
                if message.id in self._ids:
                    frame["id"] = self._ids.pop(message.id)
            text = json.dumps(frame)
        elif isinstance(message, UserDataMessage):
            from ...spot._wire import to_wire

            text = json.dumps({"subscriptionId": message.subscription_id, "event": to_wire(message.event)})
        else:
            text = json.dumps(message)
        self._callback(self.on_message, text)

    def _opened(self, _client: Any) -> None:
        self._callback(self.on_open)

    def _closed(self, _client: Any, _code: int | None, _reason: str | None) -> None:
        self._close_reported = True
        self._callback(self.on_close)

    def _error(self, exc: BaseException) -> None:
        self._callback(self.on_error, exc)

    # -- requests -------------------------------------------------------------------------------------
    def _request(self, name: str, method: str, args: dict[str, Any], kwargs: dict[str, Any]) -> int:
        """Validate and send ``method`` without waiting; returns the request id sent."""
        endpoint = ws_endpoints().get(method)
        if endpoint is None:
            raise NotImplementedError(f"{name}(): WebSocket API method {method!r} has no declaration")
        values = {k: decimal_safe(v) for k, v in {**args, **kwargs}.items() if v is not None}
        values.pop("apiKey", None)  # the client adds the key itself
        user_id = values.pop("id", None)
        params = endpoint.params.build(**values)
        with self._ids_lock:
            request_id: int = self.typed.submit(self.typed.call, endpoint, params)
            if user_id is not None:
                self._ids[request_id] = user_id
        return request_id

    def _retired(self, name: str, method: str, replacement: str) -> Any:
        raise RetiredEndpointError(name, method, replacement)

    def stop(self, id: Any = None) -> None:
        """Close the connection (the connector's ``stop``); ``on_close`` is called once closed."""
        self.typed.close()
        if not self._close_reported:
            self._close_reported = True
            self._callback(self.on_close)
