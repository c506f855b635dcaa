"""A local order book kept in sync from the diff-depth stream and a REST snapshot.

:class:`OrderBook` is pure logic (no sockets): feed it ``depthUpdate`` events with :meth:`OrderBook.
apply` and it follows Binance's procedure:

1. buffer the events while no snapshot is loaded, noting the first ``U``;
2. fetch a snapshot (``fetch_snapshot()`` returns ``lastUpdateId``, ``bids``, ``asks``, e.g.
   ``client.market.depth(symbol, limit=5000)``); fetch again while its ``lastUpdateId`` is older
   than the first buffered ``U``;
3. drop buffered events with ``u <= lastUpdateId``; the first one left must have
   ``U <= lastUpdateId + 1 <= u``;
4. apply the events in order; an event whose ``U`` is not the previous ``u + 1`` means events were
   missed: the book is discarded and rebuilt from a new snapshot (``resyncs`` counts it).

A zero quantity removes a level. :meth:`OrderBook.best_bid`, :meth:`OrderBook.best_ask`,
:meth:`OrderBook.bids` and :meth:`OrderBook.asks` read the book as Decimals, and ``on_change`` is
called after every applied change. :func:`LocalOrderBook` wires a book to a stream client.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from ..models.events.market import DepthUpdateEvent, MarketEvent, StreamGapEvent
from ..models.market import PriceLevel

__all__ = ["LocalOrderBook", "OrderBook", "OrderBookDesync"]

logger = logging.getLogger("binance_typed")

_ZERO = Decimal(0)


class OrderBookDesync(Exception):
    """The snapshot and the buffered events cannot be joined (raised inside, handled by resync)."""


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
        max_snapshot_attempts: snapshots fetched in one sync before giving up until the next event.
        snapshot_retry_delay: seconds before the second snapshot of a sync, doubling (at most 1 s).
    """

    def __init__(
        self,
        symbol: str,
        fetch_snapshot: Callable[[], Any],
        on_change: Callable[[OrderBook], Any] | None = None,
        max_snapshot_attempts: int = 5,
        snapshot_retry_delay: float = 0.1,
    ) -> None:
        self.symbol = symbol.upper()
        self.fetch_snapshot = fetch_snapshot
        self.on_change = on_change
        self.max_snapshot_attempts = max_snapshot_attempts
        self.snapshot_retry_delay = snapshot_retry_delay
        self._bids: dict[Decimal, Decimal] = {}
        self._asks: dict[Decimal, Decimal] = {}
        self.last_update_id: int | None = None
        """Update ID of the book; None while not synced."""
        self._buffer: list[DepthUpdateEvent] = []
        self.resyncs = 0
        """How many times the book was rebuilt after a gap."""
        self._lock = threading.RLock()

    @property
    def synced(self) -> bool:
        return self.last_update_id is not None

    # ------------------------------------------------------------------ feeding

    def apply(self, event: DepthUpdateEvent) -> bool:
        """Feed one diff-depth event; returns True when the book changed."""
        if event.symbol.upper() != self.symbol:
            return False
        with self._lock:
            if self.last_update_id is None:
                self._buffer.append(event)
                return self._sync()
            return self._apply_live(event)

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
            return self._sync()
        self._update(event)
        self._changed()
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

    def _sync(self) -> bool:
        """Try to join a snapshot with the buffered events; True when the book is live."""
        if not self._buffer:
            return False
        first_u = self._buffer[0].first_update_id
        for attempt in range(self.max_snapshot_attempts):
            if attempt:  # the REST snapshot lags the stream: give it time, do not hammer (weight!)
                time.sleep(min(1.0, self.snapshot_retry_delay * 2 ** (attempt - 1)))
            snapshot = self.fetch_snapshot()
            last_id = int(_field(snapshot, "lastUpdateId", "last_update_id"))
            if last_id < first_u:
                continue  # the snapshot is older than the buffered events: fetch again
            events = [e for e in self._buffer if e.final_update_id > last_id]
            if events and not (events[0].first_update_id <= last_id + 1 <= events[0].final_update_id):
                # the snapshot is newer than everything we saw: wait for more events
                self._buffer = events
                logger.info(
                    "order book %s: snapshot %s ahead of buffered events, waiting", self.symbol, last_id
                )
                return False
            self._load(snapshot, last_id)
            self._buffer = []
            previous = last_id
            for event in events:
                if event.first_update_id > previous + 1 and event is not events[0]:
                    self.resyncs += 1
                    self._reset()
                    self._buffer = [event]
                    return self._sync()
                self._update(event)
                previous = event.final_update_id
            self._changed()
            return True
        logger.warning(
            "order book %s: no usable snapshot after %s attempts", self.symbol, self.max_snapshot_attempts
        )
        return False

    def _load(self, snapshot: Any, last_id: int) -> None:
        self._bids = {p: q for p, q in _pairs(_field(snapshot, "bids")) if q != _ZERO}
        self._asks = {p: q for p, q in _pairs(_field(snapshot, "asks")) if q != _ZERO}
        self.last_update_id = last_id

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
        with self._lock:
            if not self._bids:
                return None
            price = max(self._bids)
            return PriceLevel(price, self._bids[price])

    def best_ask(self) -> PriceLevel | None:
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
