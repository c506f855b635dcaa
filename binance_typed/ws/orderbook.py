"""A local order book kept in sync from the diff-depth stream and a REST snapshot.

:class:`OrderBook` joins ``depthUpdate`` events (fed with :meth:`OrderBook.apply`) with a depth
snapshot (``fetch_snapshot()`` returns ``lastUpdateId``, ``bids``, ``asks``, e.g.
``client.market.depth(symbol, limit=5000)``), following Binance's procedure:

1. buffer the events while no snapshot is loaded;
2. fetch a snapshot; while its ``lastUpdateId`` is older than the first buffered ``U``, fetch
   again later (the REST answer lags the stream);
3. drop buffered events with ``u <= lastUpdateId``, load the snapshot and apply the rest in order;
4. apply every later event; one whose ``U`` is beyond the book's id + 1 means events were missed:
   the book is discarded and rebuilt the same way (``resyncs`` counts it).

The snapshot costs request weight (250 at ``limit=5000``), so the book is careful with it:

* at most one snapshot request is in flight, and it runs in a background thread of the book
  (``background=False`` fetches in the thread calling :meth:`OrderBook.apply` instead, still
  one at a time and still outside the book's lock); ``apply`` only buffers, never waits;
* a failed or unusable snapshot (an error, or one older than the buffered events) is retried
  after an exponential backoff with jitter (``retry_delay``, doubling up to ``max_retry_delay``);
* a 429 (:class:`~binance_typed.error.RateLimitError`) or 418
  (:class:`~binance_typed.error.IPBannedError`) from the fetch is honoured: nothing is fetched
  before its ``Retry-After`` has passed. The REST client's own retry and rate-limit bookkeeping
  see the answer first, since the fetch goes through it;
* readers (:meth:`OrderBook.best_bid`, :meth:`OrderBook.bids`, ...) hold the book's lock only
  for the copy they return, never during a fetch.

A zero quantity removes a level. ``on_change`` is called after every applied change.
:func:`LocalOrderBook` wires a book to a stream client.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from types import TracebackType
from typing import Any

from ..error import IPBannedError, RateLimitError
from ..models.events.market import DepthUpdateEvent, MarketEvent, StreamGapEvent
from ..models.market import PriceLevel

__all__ = ["LocalOrderBook", "OrderBook", "OrderBookDesync"]

logger = logging.getLogger("binance_typed")

_ZERO = Decimal(0)


class OrderBookDesync(Exception):
    """The snapshot and the buffered events cannot be joined (kept for compatibility)."""


def _field(snapshot: Any, *names: str) -> Any:
    for name in names:
        if isinstance(snapshot, dict):
            if name in snapshot:
                return snapshot[name]
        elif hasattr(snapshot, name):
            return getattr(snapshot, name)
    raise KeyError(names[0])


def _pairs(levels: Iterable[Any]) -> Iterable[tuple[Decimal, Decimal]]:
    pairs = getattr(levels, "pairs", None)
    if pairs is not None:
        yield from pairs()
        return
    for level in levels:
        yield Decimal(level[0]), Decimal(level[1])


class OrderBook:
    """A local order book of one symbol.

    Args:
        symbol: the symbol (only events of this symbol are applied).
        fetch_snapshot: returns a depth snapshot: a dict with ``lastUpdateId``/``bids``/``asks`` or
            an object with ``last_update_id``/``bids``/``asks`` (like the REST ``OrderBook`` model).
        on_change: called with the book after each applied event or snapshot.
        background: fetch snapshots in a thread of the book (True), or in the thread calling
            :meth:`apply` when one is due (False; nothing is fetched until the next event).
        retry_delay: seconds before fetching again after a failed or unusable snapshot, doubling
            with each consecutive failure.
        max_retry_delay: the longest of those delays (a ``Retry-After`` may be longer).
        jitter: the delays are spread by this fraction (± 25 % by default).
        max_buffer: events buffered at most while not in sync (the oldest are dropped).
    """

    def __init__(
        self,
        symbol: str,
        fetch_snapshot: Callable[[], Any],
        on_change: Callable[[OrderBook], Any] | None = None,
        *,
        background: bool = True,
        retry_delay: float = 0.25,
        max_retry_delay: float = 30.0,
        jitter: float = 0.25,
        max_buffer: int = 10_000,
    ) -> None:
        self.symbol = symbol.upper()
        self.fetch_snapshot = fetch_snapshot
        self.on_change = on_change
        self.background = background
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.jitter = jitter
        self.max_buffer = max_buffer
        self._bids: dict[Decimal, Decimal] = {}
        self._asks: dict[Decimal, Decimal] = {}
        self.last_update_id: int | None = None
        """Update ID of the book; None while not synced."""
        self._buffer: list[DepthUpdateEvent] = []
        self.resyncs = 0
        """How many times the book was rebuilt after a gap."""
        self.snapshot_requests = 0
        """How many snapshots were requested (successful or not)."""
        self.snapshot_failures = 0
        """Consecutive failed or unusable snapshots (0 once in sync); drives the backoff."""
        self.next_fetch_at = 0.0
        """Monotonic time before which no snapshot is requested (backoff, ``Retry-After``)."""
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)
        self._fetching = False
        self._fetcher: threading.Thread | None = None
        self._closed = False

    @property
    def synced(self) -> bool:
        """Whether the book was built from a snapshot and is being kept up to date."""
        return self.last_update_id is not None

    # ------------------------------------------------------------------ feeding

    def apply(self, event: DepthUpdateEvent) -> bool:
        """Feed one diff-depth event; returns True when the book changed.

        Never waits for a snapshot: while the book is not in sync the event is buffered and a
        snapshot is requested (in the background, or here when ``background=False``).
        """
        if event.symbol.upper() != self.symbol:
            return False
        with self._lock:
            if self.last_update_id is not None:
                changed = self._apply_live(event)
            else:
                self._buffer.append(event)
                if len(self._buffer) > self.max_buffer:
                    del self._buffer[0]
                changed = False
            fetch_here = self._want_snapshot()
        if changed:
            self._changed()
        if fetch_here:
            return self._fetch_once()
        return changed

    def _want_snapshot(self) -> bool:
        """With the lock held: arrange a snapshot if one is needed. True when the caller should
        fetch it itself (``background=False`` and one is due now)."""
        if self.last_update_id is not None or not self._buffer or self._fetching or self._closed:
            return False
        if self.background:
            if self._fetcher is None:
                self._fetcher = threading.Thread(
                    target=self._fetch_loop, name=f"orderbook-{self.symbol}", daemon=True
                )
                self._fetcher.start()
            else:
                self._wake.notify_all()
            return False
        if time.monotonic() < self.next_fetch_at:
            return False
        self._fetching = True
        return True

    def _apply_live(self, event: DepthUpdateEvent) -> bool:
        assert self.last_update_id is not None
        if event.final_update_id <= self.last_update_id:
            return False  # old news
        if event.first_update_id > self.last_update_id + 1:  # an overlap (U <= id + 1 <= u) is fine
            logger.warning(
                "order book %s: gap (expected U=%s, got U=%s): resyncing",
                self.symbol,
                self.last_update_id + 1,
                event.first_update_id,
            )
            self.resyncs += 1
            self._reset()
            self._buffer.append(event)
            return False
        self._update(event)
        return True

    def _update(self, event: DepthUpdateEvent) -> None:
        bids, asks = self._bids, self._asks
        for price, qty in _pairs(event.bids):
            if qty == _ZERO:
                bids.pop(price, None)
            else:
                bids[price] = qty
        for price, qty in _pairs(event.asks):
            if qty == _ZERO:
                asks.pop(price, None)
            else:
                asks[price] = qty
        self.last_update_id = event.final_update_id

    def _reset(self) -> None:
        self._bids.clear()
        self._asks.clear()
        self.last_update_id = None

    def invalidate(self) -> None:
        """Forget the book (e.g. after a stream gap); it is rebuilt from the next events."""
        with self._lock:
            self._reset()
            self._buffer.clear()

    def close(self) -> None:
        """Stop fetching snapshots and end the background thread (the book keeps its levels)."""
        with self._lock:
            self._closed = True
            self._wake.notify_all()
            fetcher = self._fetcher
        if fetcher is not None and fetcher is not threading.current_thread():
            fetcher.join(5)

    def __enter__(self) -> OrderBook:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ snapshots

    def _fetch_loop(self) -> None:
        """The background fetcher: one snapshot at a time, when due; ends once in sync."""
        try:
            while True:
                with self._lock:
                    while True:
                        if self._closed or self.last_update_id is not None or not self._buffer:
                            self._fetcher = None
                            return
                        wait = self.next_fetch_at - time.monotonic()
                        if wait <= 0:
                            break
                        self._wake.wait(wait)
                    self._fetching = True
                self._fetch_once()
        finally:
            with self._lock:
                if self._fetcher is threading.current_thread():
                    self._fetcher = None

    def _backoff(self, retry_after: float | None = None) -> float:
        """With the lock held: count a failure and schedule the next fetch; returns the delay."""
        self.snapshot_failures += 1
        delay: float = min(self.max_retry_delay, self.retry_delay * 2.0 ** (self.snapshot_failures - 1))
        if self.jitter:
            delay *= 1.0 + random.uniform(-self.jitter, self.jitter)
        if retry_after is not None:
            delay = max(delay, retry_after)
        self.next_fetch_at = time.monotonic() + delay
        return delay

    def _fetch_once(self) -> bool:
        """Request one snapshot (outside the lock) and join it; True when the book is live."""
        try:
            with self._lock:
                self.snapshot_requests += 1
            try:
                snapshot = self.fetch_snapshot()
            except (RateLimitError, IPBannedError) as exc:
                with self._lock:
                    delay = self._backoff(exc.retry_after)
                logger.warning(
                    "order book %s: snapshot refused with HTTP %s; next attempt in %.1f s",
                    self.symbol,
                    exc.status_code,
                    delay,
                )
                return False
            except Exception:
                with self._lock:
                    delay = self._backoff()
                logger.exception("order book %s: snapshot failed; next attempt in %.1f s", self.symbol, delay)
                return False
            last_id = int(_field(snapshot, "lastUpdateId", "last_update_id"))
            bids = {p: q for p, q in _pairs(_field(snapshot, "bids")) if q != _ZERO}  # parsed unlocked
            asks = {p: q for p, q in _pairs(_field(snapshot, "asks")) if q != _ZERO}
            with self._lock:
                live = self._join(last_id, bids, asks)
        finally:
            with self._lock:
                self._fetching = False
        if live:
            self._changed()
        return live

    def _join(self, last_id: int, bids: dict[Decimal, Decimal], asks: dict[Decimal, Decimal]) -> bool:
        """With the lock held: load a snapshot and apply the buffered events after it."""
        if self.last_update_id is not None or not self._buffer:
            return False  # invalidated or already in sync meanwhile: this snapshot is not needed
        if last_id < self._buffer[0].first_update_id:
            delay = self._backoff()
            logger.info(
                "order book %s: snapshot %s older than the buffered events (U=%s); again in %.2f s",
                self.symbol,
                last_id,
                self._buffer[0].first_update_id,
                delay,
            )
            return False
        events = [e for e in self._buffer if e.final_update_id > last_id]
        previous = last_id
        for index, event in enumerate(events):
            if event.first_update_id > previous + 1:  # the buffered events themselves have a gap
                self.resyncs += 1
                self._buffer = events[index:]
                self._backoff()
                return False
            previous = event.final_update_id
        self._bids, self._asks, self.last_update_id = bids, asks, last_id
        self._buffer = []
        for event in events:
            self._update(event)
        self.snapshot_failures = 0
        self.next_fetch_at = 0.0
        return True

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change(self)
            except Exception:
                logger.exception("order book on_change callback failed")

    # ------------------------------------------------------------------ reading

    def bids(self, depth: int | None = None) -> list[PriceLevel]:
        """Bids, best (highest) first; the top ``depth`` levels when given."""
        with self._lock:
            prices = sorted(self._bids, reverse=True)[:depth]
            return [PriceLevel(p, self._bids[p]) for p in prices]

    def asks(self, depth: int | None = None) -> list[PriceLevel]:
        """Asks, best (lowest) first; the top ``depth`` levels when given."""
        with self._lock:
            prices = sorted(self._asks)[:depth]
            return [PriceLevel(p, self._asks[p]) for p in prices]

    def best_bid(self) -> PriceLevel | None:
        """The highest bid (price and quantity), or None when the bid side is empty."""
        with self._lock:
            if not self._bids:
                return None
            price = max(self._bids)
            return PriceLevel(price, self._bids[price])

    def best_ask(self) -> PriceLevel | None:
        """The lowest ask (price and quantity), or None when the ask side is empty."""
        with self._lock:
            if not self._asks:
                return None
            price = min(self._asks)
            return PriceLevel(price, self._asks[price])

    def __repr__(self) -> str:
        return (
            f"OrderBook({self.symbol}, last_update_id={self.last_update_id}, "
            f"best_bid={self.best_bid()}, best_ask={self.best_ask()})"
        )


def LocalOrderBook(  # noqa: N802 - a factory that reads like a class
    client: Any,
    symbol: str,
    fetch_snapshot: Callable[[], Any],
    on_change: Callable[[OrderBook], Any] | None = None,
    speed: int = 100,
) -> tuple[OrderBook, Callable[[MarketEvent], None]]:
    """Wire an :class:`OrderBook` to a :class:`~binance_typed.ws.streams.SpotWebsocketStreamClient`.

    Subscribes ``<symbol>@depth[@100ms]`` and returns the book plus the handler to call with every
    event of the client (``on_message``): it applies the symbol's depth updates and rebuilds the
    book after a :class:`StreamGapEvent` covering that stream::

        book, handle = LocalOrderBook(client, "BTCUSDT", lambda: rest.market.depth("BTCUSDT", limit=5000))
        # client = SpotWebsocketStreamClient(on_message=handle) ... or call handle(event) yourself
    """
    book = OrderBook(symbol, fetch_snapshot, on_change)
    stream = f"{symbol.lower()}@depth" + ("@100ms" if speed == 100 else "")

    def handle(event: MarketEvent) -> None:
        if isinstance(event, DepthUpdateEvent):
            book.apply(event)
        elif isinstance(event, StreamGapEvent) and stream in event.streams:
            book.invalidate()

    client.diff_book_depth(symbol, speed=speed)
    return book, handle
