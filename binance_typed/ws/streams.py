"""Market streams over WebSocket: typed events by callback, iterator or ``async for``.

    from binance_typed.ws import SpotWebsocketStreamClient

    def handle(event):
        print(event)                       # TradeEvent, KlineEvent, ... (typed, Decimals)

    client = SpotWebsocketStreamClient(on_message=handle)
    client.trade("BTCUSDT")
    client.kline("ETHUSDT", "1m")
    ...
    client.stop()

    # or pull them:
    with SpotWebsocketStreamClient() as client:
        client.agg_trade("BTCUSDT")
        for event in client:
            ...

    # or in asyncio:
    async with AsyncStreamClient() as client:
        await client.subscribe(["btcusdt@bookTicker"])
        async for event in client:
            ...

The client connects to the combined endpoint (``/stream``), so every event is tagged with its
stream and payloads without ``e`` are recognised. It reconnects on its own (exponential backoff,
watchdog for silent sockets), restores every subscription, rolls over to a new socket before
Binance's 24-hour cut and on ``serverShutdown`` without losing or repeating events, and reports a
:class:`~binance_typed.models.events.market.StreamGapEvent` when events may have been missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any

from .._config import LIVE_STREAMS, normalise_time_unit
from ..error import ParameterValueError
from ..models.events.market import MarketEvent
from ._connection import ConnectionEvent, ReconnectPolicy, Session, WebSocketConnection
from ._stream_protocol import ControlRateLimiter, ControlResponse, StreamProtocol

__all__ = ["AsyncStreamClient", "SpotWebsocketStreamClient"]

logger = logging.getLogger("binance_typed")

_KLINE_INTERVALS = frozenset(
    ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"]
)
_WINDOWS = frozenset(["1h", "4h", "1d"])
_STOP = object()


def _symbol(symbol: str) -> str:
    if not symbol or not isinstance(symbol, str):
        raise ParameterValueError("symbol is required", "symbol")
    return symbol.lower()


class SpotWebsocketStreamClient:
    """Market streams on one connection (up to 1024 streams), with typed events.

    Args:
        on_message: called with each typed event (in the socket's reader thread). Without it,
            events are queued for iteration (``for event in client``).
        on_close: called once the client has stopped for good.
        on_error: called with exceptions raised in callbacks or the transport.
        on_reconnect: called with each :class:`~binance_typed.ws._connection.ConnectionEvent`
            (disconnects, stalls, reconnects, rollovers).
        stream_url: base URL (``wss://stream.binance.com:9443``; the testnet's is in
            ``binance_typed._config.TESTNET_STREAMS``).
        time_unit: ``"MICROSECOND"`` for µs timestamps.
        proxies: connector-style proxy dict, e.g. ``{"https": "http://1.2.3.4:8080"}``.
        watchdog_timeout: seconds without data or ping before a socket counts as stalled.
        reconnect: the :class:`ReconnectPolicy` (backoff with jitter).
        max_lifetime: seconds before a proactive rollover (default 23 h 30 min).
        overlap_timeout: the longest a rollover keeps both sockets.
        control_rate: control messages per second (Binance allows 5).
        max_streams: streams per connection (Binance allows 1024).
        start: connect at once (otherwise on the first subscription or :meth:`start`).
        queue_size: bound of the iterator queue (0 = unbounded).
    """

    def __init__(
        self,
        on_message: Callable[[MarketEvent], Any] | None = None,
        on_close: Callable[[], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
        on_reconnect: Callable[[ConnectionEvent], Any] | None = None,
        stream_url: str = LIVE_STREAMS,
        time_unit: str | None = None,
        proxies: Mapping[str, str] | None = None,
        *,
        watchdog_timeout: float | None = 60.0,
        reconnect: ReconnectPolicy | None = None,
        max_lifetime: float | None = 23.5 * 3600,
        overlap_timeout: float = 5.0,
        control_rate: int = 5,
        max_streams: int = 1024,
        start: bool = False,
        queue_size: int = 0,
        connect_timeout: float = 10.0,
    ) -> None:
        self._on_message = on_message
        self._on_close = on_close
        self._on_error = on_error
        self._on_reconnect = on_reconnect
        self.stream_url = stream_url
        self.time_unit = normalise_time_unit(time_unit)
        self.protocol = StreamProtocol(
            self.time_unit, max_streams=max_streams, rate_limiter=ControlRateLimiter(control_rate)
        )
        self.protocol.on_response = self._response_arrived
        self._lock = threading.RLock()
        self._responses: dict[int, threading.Event] = {}
        self._queue: queue.Queue[Any] = queue.Queue(queue_size)
        self._wake_sender = threading.Event()
        self._stopped = threading.Event()
        self._sender: threading.Thread | None = None
        self.connection = WebSocketConnection(
            lambda: self.protocol.url(self.stream_url),
            on_open=self._opened,
            on_message=self._message,
            on_close=self._closed,
            on_event=self._connection_event,
            on_error=self._error,
            watchdog_timeout=watchdog_timeout,
            reconnect=reconnect,
            max_lifetime=max_lifetime,
            overlap_timeout=overlap_timeout,
            connect_timeout=connect_timeout,
            proxies=proxies,
            name="streams",
        )
        self._started = False
        if start:
            self.start()

    # ------------------------------------------------------------------ lifecycle

    def start(self, timeout: float | None = 30.0) -> None:
        """Connect (blocking until the socket is open); called by the first subscription."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self._sender = threading.Thread(target=self._send_loop, name="streams-sender", daemon=True)
        self._sender.start()
        self.connection.start(wait=True, timeout=timeout)

    def stop(self) -> None:
        """Close the connection for good; iterators end."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._wake_sender.set()
        self.connection.stop()
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(_STOP)
        if self._on_close is not None:
            try:
                self._on_close()
            except Exception as exc:
                self._error(exc)

    def __enter__(self) -> SpotWebsocketStreamClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ subscriptions

    def subscribe(self, streams: str | Iterable[str], wait: bool = False, timeout: float = 10.0) -> list[int]:
        """Subscribe to raw stream names (``"btcusdt@trade"``); returns the request ids.

        With ``wait``, blocks until Binance acknowledged every request (raises
        ``TimeoutError`` otherwise).
        """
        names = [streams] if isinstance(streams, str) else list(streams)
        with self._lock:
            ids = self.protocol.subscribe(names)
            events = {i: self._expect(i) for i in ids}
        if not self._started:
            self.start()
        self._wake_sender.set()
        if wait:
            self._wait_all(events, timeout)
        return ids

    def unsubscribe(
        self, streams: str | Iterable[str], wait: bool = False, timeout: float = 10.0
    ) -> list[int]:
        """Unsubscribe from stream names; returns the request ids."""
        names = [streams] if isinstance(streams, str) else list(streams)
        with self._lock:
            ids = self.protocol.unsubscribe(names)
            events = {i: self._expect(i) for i in ids}
        self._wake_sender.set()
        if wait:
            self._wait_all(events, timeout)
        return ids

    def list_subscriptions(self, timeout: float = 10.0) -> list[str]:
        """Ask Binance which streams this connection carries (LIST_SUBSCRIPTIONS)."""
        if not self._started:
            self.start()
        with self._lock:
            request_id = self.protocol.list_subscriptions()
            event = self._expect(request_id)
            response = self.protocol.pending[request_id]
        self._wake_sender.set()
        self._wait_all({request_id: event}, timeout)
        if response.error:
            raise ParameterValueError(f"LIST_SUBSCRIPTIONS failed: {response.error}")
        return list(response.result or [])

    @property
    def subscriptions(self) -> list[str]:
        """The streams this client keeps subscribed (restored after every reconnect)."""
        return list(self.protocol.streams)

    def _expect(self, request_id: int) -> threading.Event:
        event = threading.Event()
        self._responses[request_id] = event
        return event

    def _wait_all(self, events: dict[int, threading.Event], timeout: float) -> None:
        for request_id, event in events.items():
            if not event.wait(timeout):
                raise TimeoutError(f"no answer to control request {request_id} within {timeout} s")

    def _response_arrived(self, response: ControlResponse) -> None:
        event = self._responses.pop(response.id, None)
        if response.error:
            logger.warning(
                "stream control request %s %s failed: %s", response.id, response.method, response.error
            )
        if event is not None:
            event.set()

    # typed helpers -----------------------------------------------------

    def agg_trade(self, symbol: str, **kw: Any) -> list[int]:
        """``<symbol>@aggTrade``: aggregated trades."""
        return self.subscribe(f"{_symbol(symbol)}@aggTrade", **kw)

    def trade(self, symbol: str, **kw: Any) -> list[int]:
        """``<symbol>@trade``: raw trades."""
        return self.subscribe(f"{_symbol(symbol)}@trade", **kw)

    def block_trade(self, symbol: str, **kw: Any) -> list[int]:
        """``<symbol>@blockTrade``: block trades."""
        return self.subscribe(f"{_symbol(symbol)}@blockTrade", **kw)

    def kline(self, symbol: str, interval: str, timezone: str | None = None, **kw: Any) -> list[int]:
        """``<symbol>@kline_<interval>`` (``timezone="+08:00"`` for UTC+8 klines)."""
        if interval not in _KLINE_INTERVALS:
            raise ParameterValueError(f"invalid kline interval {interval!r}", "interval")
        suffix = f"@{timezone}" if timezone else ""
        return self.subscribe(f"{_symbol(symbol)}@kline_{interval}{suffix}", **kw)

    def mini_ticker(self, symbol: str | None = None, **kw: Any) -> list[int]:
        """``<symbol>@miniTicker``, or ``!miniTicker@arr`` (all symbols) without a symbol."""
        return self.subscribe(f"{_symbol(symbol)}@miniTicker" if symbol else "!miniTicker@arr", **kw)

    def ticker(self, symbol: str | None = None, **kw: Any) -> list[int]:
        """``<symbol>@ticker``, or ``!ticker@arr`` (all symbols) without a symbol."""
        return self.subscribe(f"{_symbol(symbol)}@ticker" if symbol else "!ticker@arr", **kw)

    def rolling_window_ticker(self, symbol: str | None, window_size: str, **kw: Any) -> list[int]:
        """``<symbol>@ticker_<window>`` (1h, 4h, 1d), or ``!ticker_<window>@arr`` without a symbol."""
        if window_size not in _WINDOWS:
            raise ParameterValueError(
                f"window_size must be one of 1h, 4h, 1d, not {window_size!r}", "window_size"
            )
        name = f"{_symbol(symbol)}@ticker_{window_size}" if symbol else f"!ticker_{window_size}@arr"
        return self.subscribe(name, **kw)

    def book_ticker(self, symbol: str, **kw: Any) -> list[int]:
        """``<symbol>@bookTicker``: best bid and ask, real time."""
        return self.subscribe(f"{_symbol(symbol)}@bookTicker", **kw)

    def partial_book_depth(self, symbol: str, levels: int = 10, speed: int = 1000, **kw: Any) -> list[int]:
        """``<symbol>@depth<levels>[@100ms]``: top 5, 10 or 20 levels every 1000 or 100 ms."""
        if levels not in (5, 10, 20):
            raise ParameterValueError("levels must be 5, 10 or 20", "levels")
        return self.subscribe(f"{_symbol(symbol)}@depth{levels}{_speed(speed)}", **kw)

    def diff_book_depth(self, symbol: str, speed: int = 1000, **kw: Any) -> list[int]:
        """``<symbol>@depth[@100ms]``: order book changes, for a local order book."""
        return self.subscribe(f"{_symbol(symbol)}@depth{_speed(speed)}", **kw)

    def avg_price(self, symbol: str, **kw: Any) -> list[int]:
        """``<symbol>@avgPrice``: average price over the symbol's interval."""
        return self.subscribe(f"{_symbol(symbol)}@avgPrice", **kw)

    def reference_price(self, symbol: str, **kw: Any) -> list[int]:
        """``<symbol>@referencePrice``."""
        return self.subscribe(f"{_symbol(symbol)}@referencePrice", **kw)

    # ------------------------------------------------------------------ iteration

    def __iter__(self) -> Iterator[MarketEvent]:
        """Yield events as they arrive, until :meth:`stop` (only without ``on_message``)."""
        while True:
            item = self._queue.get()
            if item is _STOP:
                with contextlib.suppress(queue.Full):
                    self._queue.put_nowait(_STOP)  # let other iterators end too
                return
            yield item

    def get(self, timeout: float | None = None) -> MarketEvent:
        """The next event (raises ``queue.Empty`` after ``timeout``, ``StopIteration`` once stopped)."""
        item = self._queue.get(timeout=timeout)
        if item is _STOP:
            self._queue.put_nowait(_STOP)
            raise StopIteration
        event: MarketEvent = item
        return event

    # ------------------------------------------------------------------ transport callbacks

    def _deliver(self, events: list[MarketEvent]) -> None:
        on_message = self._on_message
        for event in events:
            if on_message is not None:
                try:
                    on_message(event)
                except Exception as exc:
                    logger.exception("stream on_message callback failed")
                    self._error(exc)
            else:
                self._queue.put(event)

    def _opened(self, session: Session) -> None:
        primary = self.connection.primary
        rollover = primary is not None and primary is not session and primary.connected
        with self._lock:
            events = self.protocol.on_open(session.id, rollover=rollover)
        self._wake_sender.set()
        self._deliver(events)

    def _message(self, session: Session, text: str) -> None:
        protocol = self.protocol
        with self._lock:
            events = protocol.on_text(session.id, text)
            ready = protocol.rollover_ready
            old = protocol.rollover_old_session
            shutdown = protocol.rollover_requested
            if shutdown is not None:
                protocol.rollover_requested = None
        if events:
            self._deliver(events)
        if shutdown is not None and not self._stopped.is_set():
            logger.info("streams: serverShutdown received, opening a new connection")
            self.connection.rollover(shutdown)
        if ready and old is not None:
            for candidate in self.connection.sessions:
                if candidate.id == old:
                    self.connection.retire(candidate)

    def _closed(self, session: Session, code: int | None, reason: str | None) -> None:
        with self._lock:
            events = self.protocol.on_closed(session.id, reason or session.close_reason)
        self._deliver(events)

    def _connection_event(self, event: ConnectionEvent) -> None:
        if self._on_reconnect is not None:
            try:
                self._on_reconnect(event)
            except Exception as exc:
                self._error(exc)
        if event.kind == "gave_up" and not self._stopped.is_set():
            threading.Thread(target=self.stop, daemon=True).start()

    def _error(self, exc: BaseException) -> None:
        if self._on_error is not None:
            try:
                self._on_error(exc)
            except Exception:
                logger.exception("stream on_error callback failed")

    def _send_loop(self) -> None:
        """Release queued control messages within the rate limit."""
        while not self._stopped.is_set():
            with self._lock:
                text, wait = self.protocol.next_control()
            if text is not None:
                try:
                    self.connection.send(text)
                except Exception as exc:  # not connected: on_open queues a fresh SUBSCRIBE
                    logger.debug("streams: control message not sent (%r)", exc)
                continue
            self._wake_sender.wait(min(wait, 1.0))
            self._wake_sender.clear()


def _speed(speed: int) -> str:
    if speed == 1000:
        return ""
    if speed == 100:
        return "@100ms"
    raise ParameterValueError("speed must be 1000 or 100 (ms)", "speed")


class AsyncStreamClient:
    """The asyncio face of :class:`SpotWebsocketStreamClient`: ``async for event in client``.

    The transport stays websocket-client in its threads; events cross into the event loop
    through an :class:`asyncio.Queue`. Every keyword argument goes to the thread client.
    """

    def __init__(self, *streams: str, **kwargs: Any) -> None:
        self._initial = list(streams)
        self._kwargs = kwargs
        self._queue: asyncio.Queue[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.client: SpotWebsocketStreamClient | None = None

    def _push(self, event: MarketEvent) -> None:
        loop, q = self._loop, self._queue
        if loop is not None and q is not None:
            loop.call_soon_threadsafe(q.put_nowait, event)

    async def start(self) -> None:
        if self.client is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self.client = SpotWebsocketStreamClient(on_message=self._push, **self._kwargs)
        await asyncio.to_thread(self.client.start)
        if self._initial:
            await self.subscribe(self._initial)

    async def subscribe(self, streams: str | Iterable[str], wait: bool = True) -> list[int]:
        await self.start()
        assert self.client is not None
        return await asyncio.to_thread(self.client.subscribe, streams, wait)

    async def unsubscribe(self, streams: str | Iterable[str], wait: bool = True) -> list[int]:
        await self.start()
        assert self.client is not None
        return await asyncio.to_thread(self.client.unsubscribe, streams, wait)

    async def list_subscriptions(self) -> list[str]:
        await self.start()
        assert self.client is not None
        return await asyncio.to_thread(self.client.list_subscriptions)

    async def stop(self) -> None:
        client = self.client
        if client is not None:
            await asyncio.to_thread(client.stop)
        if self._queue is not None and self._loop is not None:
            self._queue.put_nowait(_STOP)

    async def __aenter__(self) -> AsyncStreamClient:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def __aiter__(self) -> AsyncIterator[MarketEvent]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[MarketEvent]:
        await self.start()
        assert self._queue is not None
        while True:
            item = await self._queue.get()
            if item is _STOP:
                self._queue.put_nowait(_STOP)
                return
            yield item
