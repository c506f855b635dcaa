"""``binance.websocket.spot.websocket_stream`` of binance-connector, served by binance-typed.

    from binance_typed.websocket.spot.websocket_stream import SpotWebsocketStreamClient

    def message_handler(_, message):
        print(message)                                  # the event's JSON text

    client = SpotWebsocketStreamClient(on_message=message_handler)
    client.ticker(symbol="bnbusdt")
    client.stop()

Underneath is the typed :class:`binance_typed.ws.SpotWebsocketStreamClient` (``client.typed``):
reconnects, resubscribes and 24-hour rollovers happen on their own. Each event is decoded into its
typed model and handed to ``on_message(client, text)`` as the payload's JSON text (wrapped as
``{"stream": ..., "data": ...}`` with ``is_combined=True``); ``typed_events=True`` hands the typed
event itself instead. Differences from the connector: subscription acknowledgements
(``{"result": null, "id": 1}``) are not passed to ``on_message``, the client's own
:class:`~binance_typed.models.events.market.StreamGapEvent` notices are (as
``{"e": "streamGap", ...}`` text), and ``on_ping`` / ``on_pong`` are accepted but not called
(the connection answers pings itself).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from ..._config import LIVE_STREAMS
from ...models.events.market import (
    AllMarketMiniTickersEvent,
    AllMarketRollingWindowTickersEvent,
    AllMarketTickersEvent,
    StreamGapEvent,
    UnknownEvent,
)
from ...spot._core import RetiredEndpointError
from ...spot._wire import to_wire
from ...ws.streams import SpotWebsocketStreamClient as TypedStreamClient
from ._callbacks import ConnectorCallbacks

__all__ = ["SpotWebsocketStreamClient", "event_to_wire"]


_SYNTHETIC = ("Not on the wire", "Not from Binance")
_SYNTHETIC_KEYS: dict[type, frozenset[str]] = {}

# event type -> stream suffix (after "<symbol>@") that carries it
_SUFFIX = {
    "trade": "trade",
    "aggTrade": "aggTrade",
    "blockTrade": "blockTrade",
    "kline": "kline_",
    "24hrMiniTicker": "miniTicker",
    "24hrTicker": "ticker",
    "1hTicker": "ticker_1h",
    "4hTicker": "ticker_4h",
    "1dTicker": "ticker_1d",
    "bookTicker": "bookTicker",
    "avgPrice": "avgPrice",
    "referencePrice": "referencePrice",
    "depthUpdate": "depth",
    "depthPartial": "depth",
}


def _synthetic_keys(cls: type[BaseModel]) -> frozenset[str]:
    """Wire keys of fields the decoder fills from the stream name (not sent by Binance)."""
    keys = _SYNTHETIC_KEYS.get(cls)
    if keys is None:
        keys = _SYNTHETIC_KEYS[cls] = frozenset(
            info.alias or name
            for name, info in cls.model_fields.items()
            if (info.description or "").startswith(_SYNTHETIC)
        )
    return keys


def event_to_wire(event: Any) -> Any:
    """A typed market event back as the JSON payload Binance sent (a dict, or a list for arrays)."""
    if isinstance(event, UnknownEvent):
        return event.data
    if isinstance(
        event, (AllMarketMiniTickersEvent, AllMarketTickersEvent, AllMarketRollingWindowTickersEvent)
    ):
        return [event_to_wire(ticker) for ticker in event.tickers]
    if isinstance(event, StreamGapEvent):
        return {"e": "streamGap", **{k: v for k, v in to_wire(event).items() if k != "event_type"}}
    wire = to_wire(event)
    if isinstance(event, BaseModel) and isinstance(wire, dict):
        for key in _synthetic_keys(type(event)):
            wire.pop(key, None)
    return wire


def _lower(symbol: str) -> str:
    return symbol.lower()


def _speed(speed: int) -> str:
    """``@100ms``; 1000 ms is the stream's default, named without a suffix (the same stream)."""
    return "" if int(speed) == 1000 else f"@{int(speed)}ms"


class SpotWebsocketStreamClient(ConnectorCallbacks):
    """binance-connector's market stream client over the typed, self-healing stream client.

    Args:
        stream_url: ``wss://stream.binance.com:9443`` (the testnet's:
            ``wss://stream.testnet.binance.vision``).
        on_message: ``on_message(client, text)`` for each event.
        on_open: ``on_open(client)`` when a socket opens.
        on_close: ``on_close(client)`` once the client has stopped.
        on_error: ``on_error(client, exception)``.
        on_ping, on_pong: accepted; not called (pings are answered by the connection).
        is_combined: wrap each message as ``{"stream": name, "data": payload}``.
        timeout: seconds to wait for the connection.
        logger: accepted; logging goes to the ``binance_typed`` logger.
        time_unit: ``"MICROSECOND"`` for µs timestamps.
        proxies: ``{"https": "http://host:port"}``.
        typed_events: hand ``on_message`` the typed event instead of its text.
    """

    _callback_kind = "stream"

    def __init__(
        self,
        stream_url: str = LIVE_STREAMS,
        on_message: Callable[[Any, Any], Any] | None = None,
        on_open: Callable[[Any], Any] | None = None,
        on_close: Callable[[Any], Any] | None = None,
        on_error: Callable[[Any, BaseException], Any] | None = None,
        on_ping: Callable[..., Any] | None = None,
        on_pong: Callable[..., Any] | None = None,
        is_combined: bool = False,
        timeout: float | None = None,
        logger: logging.Logger | None = None,
        time_unit: str | None = None,
        proxies: Mapping[str, str] | None = None,
        *,
        typed_events: bool = False,
    ) -> None:
        self.on_message = on_message
        self.on_open = on_open
        self.on_close = on_close
        self.on_error = on_error
        self.on_ping = on_ping
        self.on_pong = on_pong
        self.is_combined = is_combined
        self.typed_events = typed_events
        self.typed = TypedStreamClient(
            on_message=self._event,
            on_close=self._closed,
            on_error=self._error,
            on_reconnect=self._connection_event,
            stream_url=stream_url,
            time_unit=time_unit,
            proxies=proxies,
            connect_timeout=timeout if timeout is not None else 10.0,
        )
        """The typed stream client underneath."""
        self.typed.start()

    # -- callbacks ------------------------------------------------------------------------------------
    def _event(self, event: Any) -> None:
        if self.typed_events:
            self._callback(self.on_message, event)
            return
        payload = event_to_wire(event)
        if self.is_combined:
            payload = {"stream": self._stream_of(event), "data": payload}
        self._callback(self.on_message, json.dumps(payload))

    def _stream_of(self, event: Any) -> str | None:
        """The subscribed stream an event came from (combined mode's ``stream`` key)."""
        if isinstance(event, UnknownEvent):
            return event.stream
        if isinstance(event, AllMarketMiniTickersEvent):
            return "!miniTicker@arr"
        if isinstance(event, AllMarketTickersEvent):
            return "!ticker@arr"
        if isinstance(event, AllMarketRollingWindowTickersEvent):
            return f"!ticker_{event.window}@arr"
        symbol = getattr(event, "symbol", None)
        suffix = _SUFFIX.get(getattr(event, "event_type", ""), "")
        if symbol is None or not suffix:
            return None
        prefix = f"{_lower(symbol)}@{suffix}"
        if suffix == "kline_":
            prefix += event.kline.interval
        candidates = [name for name in self.typed.subscriptions if name.startswith(prefix)]
        return candidates[0] if candidates else prefix

    def _connection_event(self, event: Any) -> None:
        if getattr(event, "kind", None) in ("connected", "reconnected"):
            self._callback(self.on_open)

    def _closed(self) -> None:
        self._callback(self.on_close)

    def _error(self, exc: BaseException) -> None:
        self._callback(self.on_error, exc)

    # -- the connector's methods ------------------------------------------------------------------------
    def send(self, message: dict[str, Any]) -> None:
        """Send a raw control message (``SUBSCRIBE`` / ``UNSUBSCRIBE`` / ``LIST_SUBSCRIPTIONS``)."""
        method = message.get("method")
        params = message.get("params") or []
        if method == "SUBSCRIBE":
            self.typed.subscribe(params)
        elif method == "UNSUBSCRIBE":
            self.typed.unsubscribe(params)
        elif method == "LIST_SUBSCRIPTIONS":
            self.typed.list_subscriptions()
        else:
            raise ValueError(f"unsupported stream control method {method!r}")

    def subscribe(self, stream: str | list[str], id: Any = None) -> None:
        """Subscribe to one stream or a list of them (``id`` is accepted for compatibility and ignored)."""
        self.typed.subscribe(stream)

    def unsubscribe(self, stream: str | list[str], id: Any = None) -> None:
        """Unsubscribe from one stream or a list of them (``id`` is accepted for compatibility and ignored)."""
        self.typed.unsubscribe(stream)

    def list_subscribe(self, id: Any = None) -> list[str]:
        """The streams subscribed now (``id`` is accepted for compatibility and ignored)."""
        return self.typed.list_subscriptions()

    def _act(self, stream: str, action: str | None) -> None:
        if action == "UNSUBSCRIBE":
            self.typed.unsubscribe(stream)
        else:
            self.typed.subscribe(stream)

    def agg_trade(self, symbol: str, id: Any = None, action: str | None = None, **kwargs: Any) -> None:
        """``<symbol>@aggTrade``."""
        self._act(f"{_lower(symbol)}@aggTrade", action)

    def trade(self, symbol: str, id: Any = None, action: str | None = None, **kwargs: Any) -> None:
        """``<symbol>@trade``."""
        self._act(f"{_lower(symbol)}@trade", action)

    def kline(self, symbol: str, interval: str, id: Any = None, action: str | None = None) -> None:
        """``<symbol>@kline_<interval>``."""
        self._act(f"{_lower(symbol)}@kline_{interval}", action)

    def kline_timezone_offset(
        self, symbol: str, interval: str, id: Any = None, action: str | None = None
    ) -> None:
        """``<symbol>@kline_<interval>@+08:00`` (candles in UTC+8)."""
        self._act(f"{_lower(symbol)}@kline_{interval}@+08:00", action)

    def mini_ticker(
        self, symbol: str | None = None, id: Any = None, action: str | None = None, **kwargs: Any
    ) -> None:
        """``<symbol>@miniTicker``, or ``!miniTicker@arr`` without a symbol."""
        self._act(f"{_lower(symbol)}@miniTicker" if symbol else "!miniTicker@arr", action)

    def ticker(
        self, symbol: str | None = None, id: Any = None, action: str | None = None, **kwargs: Any
    ) -> None:
        """``<symbol>@ticker``, or ``!ticker@arr`` without a symbol."""
        self._act(f"{_lower(symbol)}@ticker" if symbol else "!ticker@arr", action)

    def rolling_window_ticker(
        self, symbol: str, windowSize: str, id: Any = None, action: str | None = None, **kwargs: Any
    ) -> None:
        """``<symbol>@ticker_<windowSize>`` (1h, 4h, 1d)."""
        self._act(f"{_lower(symbol)}@ticker_{windowSize}", action)

    def rolling_window_ticker_all_symbols(
        self, windowSize: str, id: Any = None, action: str | None = None, **kwargs: Any
    ) -> None:
        """``!ticker_<windowSize>@arr``."""
        self._act(f"!ticker_{windowSize}@arr", action)

    def book_ticker(self, symbol: str, id: Any = None, action: str | None = None, **kwargs: Any) -> None:
        """``<symbol>@bookTicker``."""
        self._act(f"{_lower(symbol)}@bookTicker", action)

    def partial_book_depth(
        self,
        symbol: str,
        level: int = 5,
        speed: int = 1000,
        id: Any = None,
        action: str | None = None,
        **kwargs: Any,
    ) -> None:
        """``<symbol>@depth<level>@<speed>ms``."""
        self._act(f"{_lower(symbol)}@depth{level}{_speed(speed)}", action)

    def diff_book_depth(
        self, symbol: str, speed: int = 1000, id: Any = None, action: str | None = None, **kwargs: Any
    ) -> None:
        """``<symbol>@depth@<speed>ms``."""
        self._act(f"{_lower(symbol)}@depth{_speed(speed)}", action)

    def user_data(self, listen_key: str, id: Any = None, action: str | None = None, **kwargs: Any) -> None:
        """Retired: listen keys are gone; raises :class:`~binance_typed.spot.RetiredEndpointError`."""
        raise RetiredEndpointError(
            "user_data",
            "<listenKey> stream",
            "listen-key user data streams are retired; call user_data.subscribe() on the WebSocket API "
            "(binance_typed.ws.api.SpotWebsocketAPIClient, method userDataStream.subscribe)",
        )

    def stop(self, id: Any = None) -> None:
        """Close every connection."""
        self.typed.stop()
