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
:class:`~binance_typed.models.events.market.StreamGapEvent` (to ``on_message`` and as a warning on
the ``binance_typed`` logger) when events may have been missed: after a reconnect, and after a
rollover that could not prove an overlap (for streams numbered without holes, such as trades,
the next event's number settles it). Beyond 1024 streams it opens more connections (each with
at most 1024 streams and its own 5 control messages per second); their events all arrive on the one
client.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any

from .._config import LIVE_STREAMS, normalise_time_unit
from ..error import ParameterValueError
from ..models.events.market import MarketEvent, StreamGapEvent
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


class _Shard:
    """One connection of a client and the :class:`StreamProtocol` of the streams it carries."""

    def __init__(self, client: SpotWebsocketStreamClient, index: int, options: dict[str, Any]) -> None:
        self.client = client
        self.index = index
        self.started = False
        self.session: Session | None = None
        """The socket the queued control messages are for: the last one opened (it may not be the
        connection's primary yet while ``on_open`` runs, nor during a rollover)."""
        self.protocol = StreamProtocol(
            client.time_unit,
            max_streams=client.max_streams,
            rate_limiter=ControlRateLimiter(client.control_rate),
            ids=client._ids,
        )
        self.protocol.on_response = client._response_arrived
        self.connection = WebSocketConnection(
            lambda: self.protocol.url(client.stream_url),
            on_open=self._opened,
            on_message=self._message,
            on_close=self._closed,
            on_event=client._connection_event,
            on_error=client._error,
            name="streams" if index == 0 else f"streams-{index}",
            **options,
        )

    def _opened(self, session: Session) -> None:
        client = self.client
        primary = self.connection.primary
        rollover = primary is not None and primary is not session and primary.connected
        with client._lock:
            events = self.protocol.on_open(session.id, rollover=rollover)
            self.session = session
        client._wake_sender.set()
        if rollover:  # the end of an unfinished rollover, when it returned events
            self._hand_over(events)
        else:  # the gap of a reconnect
            client._report_gaps(events)
            client._deliver(events)

    def _message(self, session: Session, text: str) -> None:
        client = self.client
        protocol = self.protocol
        with client._lock:
            events = protocol.on_text(session.id, text)
            ready = protocol.rollover_ready
            old = protocol.rollover_old_session
            shutdown = protocol.rollover_requested
            if shutdown is not None:
                protocol.rollover_requested = None
        if events:
            if len(events) > 1:  # the gap of an earlier rollover, settled by this event
                client._report_gaps(events)
            client._deliver(events)
        if shutdown is not None and not client._stopped.is_set():
            logger.info("%s: serverShutdown received, opening a new connection", self.connection.name)
            self.connection.rollover(shutdown)
        if ready and old is not None:
            for candidate in self.connection.sessions:
                if candidate.id == old:
                    self.connection.retire(candidate)

    def send(self, text: str) -> None:
        """Send a control message on the socket it was queued for."""
        session = self.session
        if session is not None and session.connected:
            session.send(text)
        else:
            self.connection.send(text)

    def _closed(self, session: Session, code: int | None, reason: str | None) -> None:
        client = self.client
        protocol = self.protocol
        with client._lock:
            events = protocol.on_closed(session.id, reason or session.close_reason)
            if self.session is session:
                self.session = None
        self._hand_over(events)

    def _hand_over(self, events: list[MarketEvent]) -> None:
        """Deliver what ``on_open`` / ``on_closed`` returned; after the end of a rollover, then
        what the new socket delivered meanwhile (``take_handoff``), so that nothing overtakes."""
        client = self.client
        while events:
            client._report_gaps(events)
            client._deliver(events)
            with client._lock:
                events = self.protocol.take_handoff()


class SpotWebsocketStreamClient:
    """Market streams with typed events, on as many connections as they need (1024 streams each).

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
        max_streams: streams per connection (Binance allows 1024). More streams open more
            connections, transparently: ``subscribe``, ``unsubscribe``, ``list_subscriptions`` and
            the events cover all of them.
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
        if max_streams < 1:
            raise ParameterValueError("max_streams must be at least 1", "max_streams")
        self.max_streams = max_streams
        self.control_rate = control_rate
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._responses: dict[int, threading.Event] = {}
        self._queue: queue.Queue[Any] = queue.Queue(queue_size)
        self._wake_sender = threading.Event()
        self._stopped = threading.Event()
        self._sender: threading.Thread | None = None
        self._options: dict[str, Any] = {
            "watchdog_timeout": watchdog_timeout,
            "reconnect": reconnect,
            "max_lifetime": max_lifetime,
            "overlap_timeout": overlap_timeout,
            "connect_timeout": connect_timeout,
            "proxies": proxies,
        }
        self._shards: list[_Shard] = [_Shard(self, 0, self._options)]
        self.protocol = self._shards[0].protocol
        """The protocol of the first connection."""
        self.connection = self._shards[0].connection
        """The first connection (more are opened beyond ``max_streams`` streams)."""
        self._started = False
        if start:
            self.start()

    # ------------------------------------------------------------------ lifecycle

    def start(self, timeout: float | None = 30.0) -> None:
        """Connect (blocking until the sockets are open); called by the first subscription."""
        with self._lock:
            if self._started or self._stopped.is_set():
                return
            self._started = True
            shards = list(self._shards)
            self._sender = threading.Thread(target=self._send_loop, name="streams-sender", daemon=True)
            self._sender.start()
        try:
            self._start_shards(shards, timeout)
        except BaseException:
            self.stop()  # a failed start leaves no thread behind (none keeps reconnecting)
            raise

    def _start_shards(self, shards: list[_Shard], timeout: float | None) -> list[_Shard]:
        """Start the connections of ``shards`` not started yet (blocking until each is open)."""
        started: list[_Shard] = []
        for shard in shards:
            with self._lock:
                if shard.started or self._stopped.is_set():
                    continue
                shard.started = True
            shard.connection.start(wait=True, timeout=timeout)
            started.append(shard)
        return started

    @property
    def threads(self) -> list[threading.Thread]:
        """The threads of this client still alive (none once :meth:`stop` returned)."""
        found = [t for shard in self._shards for t in shard.connection.threads]
        sender = self._sender
        if sender is not None and sender.is_alive():
            found.append(sender)
        return found

    @property
    def connections(self) -> list[WebSocketConnection]:
        """Every connection of the client (one per ``max_streams`` streams)."""
        with self._lock:
            return [shard.connection for shard in self._shards]

    def stop(self, timeout: float = 5.0) -> None:
        """Close the connections for good; iterators end (a full bounded queue included).

        Returns once every thread of the client has ended and every socket is shut down
        (``timeout`` bounds the wait); see :attr:`threads`.
        """
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._wake_sender.set()
        with self._lock:
            shards = list(self._shards)
            sender = self._sender
        deadline = time.monotonic() + timeout
        for shard in shards:
            shard.connection.stop(max(0.1, deadline - time.monotonic()))
        if sender is not None and sender is not threading.current_thread():
            sender.join(max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(_STOP)  # iterators also end on their own once stopped
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
        new_shards: list[_Shard] = []
        with self._lock:
            first = self._shards[0].protocol
            if len(self._shards) == 1 and first.room >= len(names):
                ids = first.subscribe(names)  # the usual case: one connection with room
            else:
                ids, new_shards = self._spread(names)
            events = {i: self._expect(i) for i in ids}
        deadline = time.monotonic() + timeout
        if not self._started:
            self.start()
            opened = self._shards if wait else []
        else:
            opened = self._start_shards(new_shards, timeout)
        self._wake_sender.set()
        if wait:
            self._wait_all(events, timeout)
            for shard in opened:
                self._wait_restored(shard, deadline)
        return ids

    def _spread(self, names: list[str]) -> tuple[list[int], list[_Shard]]:
        """Subscribe ``names`` on the connections with room, adding connections when all are full.

        Returns the request ids and the connections added. Called with the lock held.
        """
        held: set[str] = set()
        for shard in self._shards:
            held.update(shard.protocol.streams)
        wanted = [n for n in dict.fromkeys(self._shards[0].protocol.check_names(names)) if n not in held]
        ids: list[int] = []
        for shard in self._shards:
            room = shard.protocol.room
            if wanted and room > 0:
                ids += shard.protocol.subscribe(wanted[:room])
                wanted = wanted[room:]
        added: list[_Shard] = []
        while wanted:
            shard = _Shard(self, len(self._shards), self._options)
            self._shards.append(shard)
            added.append(shard)
            ids += shard.protocol.subscribe(wanted[: self.max_streams])
            wanted = wanted[self.max_streams :]
        if added:
            logger.info(
                "streams: %d streams on %d connections (at most %d each)",
                sum(len(s.protocol.streams) for s in self._shards),
                len(self._shards),
                self.max_streams,
            )
        return ids, added

    def _wait_restored(self, shard: _Shard, deadline: float) -> None:
        """Wait until the SUBSCRIBE messages a new socket queued for itself were answered."""
        while True:
            with self._lock:
                pending = any(r.method == "SUBSCRIBE" for r in shard.protocol.pending.values())
            if not pending:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{shard.connection.name}: subscriptions not confirmed in time")
            time.sleep(0.01)

    def unsubscribe(
        self, streams: str | Iterable[str], wait: bool = False, timeout: float = 10.0
    ) -> list[int]:
        """Unsubscribe from stream names; returns the request ids."""
        names = [streams] if isinstance(streams, str) else list(streams)
        with self._lock:
            if len(self._shards) == 1:
                ids = self.protocol.unsubscribe(names)
            else:
                names = self.protocol.check_names(names)
                ids = []
                for shard in self._shards:
                    mine = [n for n in names if n in shard.protocol.streams]
                    if mine:
                        ids += shard.protocol.unsubscribe(mine)
            events = {i: self._expect(i) for i in ids}
        self._wake_sender.set()
        if wait:
            self._wait_all(events, timeout)
        return ids

    def list_subscriptions(self, timeout: float = 10.0) -> list[str]:
        """Ask Binance which streams the client's connections carry (LIST_SUBSCRIPTIONS on each)."""
        if not self._started:
            self.start()
        with self._lock:
            events: dict[int, threading.Event] = {}
            responses: list[ControlResponse] = []
            for shard in self._shards:
                if not shard.started:
                    continue
                request_id = shard.protocol.list_subscriptions()
                events[request_id] = self._expect(request_id)
                responses.append(shard.protocol.pending[request_id])
        self._wake_sender.set()
        self._wait_all(events, timeout)
        result: list[str] = []
        for response in responses:
            if response.error:
                raise ParameterValueError(f"LIST_SUBSCRIPTIONS failed: {response.error}")
            result += response.result or []
        return result

    @property
    def subscriptions(self) -> list[str]:
        """The streams this client keeps subscribed (restored after every reconnect)."""
        with self._lock:
            if len(self._shards) == 1:
                return list(self.protocol.streams)
            return [name for shard in self._shards for name in shard.protocol.streams]

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
        """Yield events as they arrive, until :meth:`stop` (only without ``on_message``).

        After :meth:`stop` the events still queued are yielded, then iteration ends.
        """
        while True:
            try:
                item = self._queue.get(timeout=0.25)
            except queue.Empty:
                if self._stopped.is_set():
                    return
                continue
            if item is _STOP:
                with contextlib.suppress(queue.Full):
                    self._queue.put_nowait(_STOP)  # let other iterators end too
                return
            yield item

    def get(self, timeout: float | None = None) -> MarketEvent:
        """The next event (raises ``queue.Empty`` after ``timeout``, ``StopIteration`` once stopped
        and drained)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = 0.25 if deadline is None else min(0.25, max(0.0, deadline - time.monotonic()))
            try:
                item = self._queue.get(timeout=wait)
            except queue.Empty:
                if self._stopped.is_set():
                    raise StopIteration from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                continue
            if item is _STOP:
                with contextlib.suppress(queue.Full):
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
                self._enqueue(event)

    def _enqueue(self, event: MarketEvent) -> None:
        """Queue an event for the iterator; a full queue blocks the reader (back pressure) until
        there is room or the client stops (the event is then dropped)."""
        q = self._queue
        while True:
            if self._stopped.is_set():  # after stop() nothing new is queued, so iteration ends
                return
            try:
                q.put(event, timeout=0.1)
                return
            except queue.Full:
                if self._stopped.is_set():
                    return

    def _report_gaps(self, events: list[MarketEvent]) -> None:
        """Log every :class:`StreamGapEvent` (they also go to ``on_message`` / the iterator)."""
        for event in events:
            if type(event) is StreamGapEvent:
                logger.warning(
                    "streams: events may be missing on %d stream(s) (%s) between %s and %s: %s",
                    len(event.streams),
                    ", ".join(event.streams[:10]) + (", ..." if len(event.streams) > 10 else ""),
                    event.start.isoformat(),
                    event.end.isoformat(),
                    event.reason,
                )

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
        """Release queued control messages, within each connection's rate limit."""
        wake = self._wake_sender
        while not self._stopped.is_set():
            wake.clear()
            wait = 1.0
            sent = False
            for shard in tuple(self._shards):
                with self._lock:
                    text, shard_wait = shard.protocol.next_control()
                if text is None:
                    wait = min(wait, shard_wait)
                    continue
                sent = True
                try:
                    shard.send(text)
                except Exception as exc:  # not connected: on_open queues a fresh SUBSCRIBE
                    logger.debug("%s: control message not sent (%r)", shard.connection.name, exc)
            if not sent:
                wake.wait(wait)


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
        """Start the underlying client (done by the first subscription or ``async with``)."""
        if self.client is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self.client = SpotWebsocketStreamClient(on_message=self._push, **self._kwargs)
        await asyncio.to_thread(self.client.start)
        if self._initial:
            await self.subscribe(self._initial)

    async def subscribe(self, streams: str | Iterable[str], wait: bool = True) -> list[int]:
        """Subscribe to ``streams``; with ``wait``, return once Binance confirmed (the request ids)."""
        await self.start()
        assert self.client is not None
        return await asyncio.to_thread(self.client.subscribe, streams, wait)

    async def unsubscribe(self, streams: str | Iterable[str], wait: bool = True) -> list[int]:
        """Unsubscribe from ``streams``; with ``wait``, return once Binance confirmed (the request ids)."""
        await self.start()
        assert self.client is not None
        return await asyncio.to_thread(self.client.unsubscribe, streams, wait)

    async def list_subscriptions(self) -> list[str]:
        """The streams subscribed now, as Binance lists them (starts the client if needed)."""
        await self.start()
        assert self.client is not None
        return await asyncio.to_thread(self.client.list_subscriptions)

    async def stop(self) -> None:
        """Stop the client; iteration over the events ends."""
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
