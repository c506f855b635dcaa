"""The local order book procedure, without sockets; snapshot requests under 429/418, lag and slowness."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from binance_typed.error import IPBannedError, RateLimitError
from binance_typed.models.events.market import DepthUpdateEvent, StreamDecoder
from binance_typed.ws.orderbook import OrderBook

_decoder = StreamDecoder()


def depth(
    first: int, last: int, bids: list[list[str]] | None = None, asks: list[list[str]] | None = None
) -> DepthUpdateEvent:
    event = _decoder.decode_payload(
        {"e": "depthUpdate", "E": 1, "s": "BNBBTC", "U": first, "u": last, "b": bids or [], "a": asks or []}
    )
    assert isinstance(event, DepthUpdateEvent)
    return event


class Snapshots:
    def __init__(self, *snapshots: dict[str, Any]) -> None:
        self.snapshots = list(snapshots)
        self.calls = 0

    def __call__(self) -> dict[str, Any]:
        self.calls += 1
        return self.snapshots.pop(0) if len(self.snapshots) > 1 else self.snapshots[0]


def snap(last_id: int, bids: list[list[str]], asks: list[list[str]]) -> dict[str, Any]:
    return {"lastUpdateId": last_id, "bids": bids, "asks": asks}


def test_sync_drops_stale_and_applies_in_order() -> None:
    fetch = Snapshots(snap(105, [["10", "1"], ["9", "2"]], [["11", "1"], ["12", "3"]]))
    changes: list[int | None] = []
    book = OrderBook("bnbbtc", fetch, on_change=lambda b: changes.append(b.last_update_id), background=False)
    book.apply(depth(101, 103, bids=[["10", "5"]]))  # buffered, snapshot fetched
    assert book.synced and book.last_update_id == 105  # the 101..103 event is stale (u <= 105)
    assert book.apply(depth(104, 107, bids=[["10", "0"], ["9.5", "4"]], asks=[["11", "2"]]))
    assert book.last_update_id == 107
    assert book.best_bid() == (Decimal("9.5"), Decimal("4"))
    assert book.best_ask() == (Decimal("11"), Decimal("2"))
    assert [lvl.price for lvl in book.bids()] == [Decimal("9.5"), Decimal("9")]
    assert book.asks(1) == [(Decimal("11"), Decimal("2"))]
    assert changes[-1] == 107
    assert not book.apply(depth(100, 106))  # old news is ignored


def test_refetch_while_snapshot_older_than_first_event() -> None:
    fetch = Snapshots(snap(50, [], []), snap(120, [["1", "1"]], [["2", "1"]]))
    book = OrderBook("BNBBTC", fetch, background=False, retry_delay=0)
    book.apply(depth(110, 121, bids=[["1", "3"]]))
    assert fetch.calls == 1 and not book.synced  # too old: fetched again with the next event
    book.apply(depth(122, 122))
    assert fetch.calls == 2 and book.last_update_id == 122
    assert book.best_bid() == (Decimal("1"), Decimal("3"))


def test_gap_triggers_resync() -> None:
    fetch = Snapshots(snap(10, [["5", "1"]], [["6", "1"]]), snap(30, [["4", "9"]], [["7", "9"]]))
    book = OrderBook("BNBBTC", fetch, background=False)
    book.apply(depth(9, 11, bids=[["5", "2"]]))
    assert book.last_update_id == 11
    book.apply(depth(12, 13))
    # a forced gap: U=25 but the book is at 13
    book.apply(depth(25, 31, asks=[["7", "0"], ["8", "1"]]))
    assert book.resyncs == 1 and fetch.calls == 2
    assert book.last_update_id == 31
    assert book.best_bid() == (Decimal("4"), Decimal("9"))
    assert book.best_ask() == (Decimal("8"), Decimal("1"))


def test_other_symbols_ignored_and_invalidate() -> None:
    book = OrderBook("ETHBTC", Snapshots(snap(1, [], [])), background=False)
    assert not book.apply(depth(1, 2))
    book.invalidate()
    assert not book.synced


def test_snapshot_object_with_attributes() -> None:
    class Snap:
        last_update_id = 5
        bids = [(Decimal("1"), Decimal("1"))]
        asks = [(Decimal("2"), Decimal("0"))]

    book = OrderBook("BNBBTC", lambda: Snap(), background=False)
    book.apply(depth(5, 6, asks=[["3", "1"]]))
    assert book.best_ask() == (Decimal("3"), Decimal("1"))


def test_overlapping_update_is_applied_not_a_gap() -> None:
    """The docs call it a gap only when U > local id + 1; an event with U <= id + 1 <= u applies."""
    fetch = Snapshots(snap(100, [["1.0", "1"]], [["2.0", "1"]]))
    book = OrderBook("BNBBTC", fetch, background=False)
    assert book.apply(depth(95, 105))
    assert book.apply(depth(104, 110, bids=[["1.0", "2"]]))
    assert (book.last_update_id, book.resyncs, fetch.calls) == (110, 0, 1)
    assert book.best_bid() == (Decimal("1.0"), Decimal("2"))


# -- snapshots under pressure: 429, a lagging snapshot, a slow snapshot ---------------------------------
# A feeder plays the stream (one event every 5 ms, two update ids each) while a reader thread calls
# best_bid(); the snapshot function plays the REST endpoint. The book's bid at 100 always carries
# the last update id as its quantity, so a joined book can be checked against the stream.


class Market:
    """The exchange side: update ids, the stream feeder, snapshot requests and reader latency."""

    def __init__(self) -> None:
        self.update_id = 1000
        self.lock = threading.Lock()
        self.requests: list[float] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.apply_times: list[float] = []
        self.read_times: list[float] = []
        self.errors: list[BaseException] = []

    def snapshot_at(self, last_id: int) -> dict[str, Any]:
        return snap(last_id, [["100", str(last_id)]], [["101", "1"]])

    def fetch(self, answer: Callable[[Market], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
        def fetch_snapshot() -> dict[str, Any]:
            with self.lock:
                self.requests.append(time.monotonic())
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                return answer(self)
            finally:
                with self.lock:
                    self.in_flight -= 1

        return fetch_snapshot

    def run(self, book: OrderBook, seconds: float) -> None:
        """Feed the stream and read the book concurrently for ``seconds``."""
        stop = threading.Event()

        def read() -> None:
            while not stop.is_set():
                began = time.perf_counter()
                book.best_bid()
                book.bids(5)
                self.read_times.append(time.perf_counter() - began)
                time.sleep(0.002)

        reader = threading.Thread(target=read)
        reader.start()
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                with self.lock:
                    first, self.update_id = self.update_id + 1, self.update_id + 2
                event = depth(first, first + 1, bids=[["100", str(first + 1)]])
                began = time.perf_counter()
                try:
                    book.apply(event)
                except BaseException as exc:  # noqa: BLE001 - apply() must never raise
                    self.errors.append(exc)
                self.apply_times.append(time.perf_counter() - began)
                time.sleep(0.005)
        finally:
            stop.set()
            reader.join()

    def assert_never_blocked(self) -> None:
        """No apply() and no reader waited for a snapshot: a fetch lasts 1 s (the old code held
        the lock through up to five of them); 0.3 s leaves room for a loaded machine."""
        assert max(self.apply_times) < 0.3 and max(self.read_times) < 0.3
        assert sorted(self.apply_times)[len(self.apply_times) * 99 // 100] < 0.05
        assert sorted(self.read_times)[len(self.read_times) * 99 // 100] < 0.05

    def report(self, name: str, seconds: float) -> str:
        per_minute = len(self.requests) / seconds * 60
        return (
            f"{name}: {len(self.requests)} snapshot requests in {seconds:.0f} s ({per_minute:.0f}/min), "
            f"max in flight {self.max_in_flight}, apply max {max(self.apply_times) * 1000:.1f} ms, "
            f"best_bid max {max(self.read_times) * 1000:.1f} ms "
            f"(p99 {sorted(self.read_times)[len(self.read_times) * 99 // 100] * 1000:.2f} ms)"
        )


def rate_limited(status: int, retry_after: str) -> Callable[[Market], dict[str, Any]]:
    def answer(market: Market) -> dict[str, Any]:
        cls = RateLimitError if status == 429 else IPBannedError
        raise cls(status, -1003, "Too many requests; please use the websocket for live updates.",
                  {"Retry-After": retry_after})

    return answer


@pytest.mark.parametrize("status", [429, 418])
def test_rate_limited_snapshot_honours_retry_after(status: int) -> None:
    market = Market()
    book = OrderBook("BNBBTC", market.fetch(rate_limited(status, "1")))
    seconds = 3.2
    try:
        market.run(book, seconds)
    finally:
        book.close()
    print(market.report(f"HTTP {status}, Retry-After 1", seconds))
    assert market.errors == []
    assert 1 <= len(market.requests) <= 4  # was one to five per depth event: 600+ here
    gaps = [b - a for a, b in itertools.pairwise(market.requests)]
    assert all(gap >= 0.99 for gap in gaps), gaps  # never before Retry-After
    assert market.max_in_flight == 1
    market.assert_never_blocked()
    assert not book.synced and book.snapshot_failures == len(market.requests)


def test_lagging_snapshot_backs_off_then_joins() -> None:
    """The REST snapshot lags the stream by 0.6 s: refetched with a doubling delay until usable."""
    market = Market()
    history: list[tuple[float, int]] = []

    def lagging(m: Market) -> dict[str, Any]:
        cutoff = time.monotonic() - 0.6
        ids = [uid for at, uid in list(history) if at <= cutoff]
        return m.snapshot_at(ids[-1] if ids else 900)

    book = OrderBook("BNBBTC", market.fetch(lagging))
    stop = threading.Event()

    def record() -> None:
        while not stop.is_set():
            history.append((time.monotonic(), market.update_id))
            time.sleep(0.005)

    recorder = threading.Thread(target=record)
    recorder.start()
    seconds = 3.0
    try:
        market.run(book, seconds)
    finally:
        stop.set()
        recorder.join()
        book.close()
    print(market.report("lagging snapshot (0.6 s behind)", seconds))
    assert market.errors == []
    assert book.synced and book.last_update_id == market.update_id
    assert book.best_bid() == (Decimal("100"), Decimal(market.update_id))
    assert 2 <= len(market.requests) <= 5
    gaps = [b - a for a, b in itertools.pairwise(market.requests)]
    assert all(later > earlier for earlier, later in itertools.pairwise(gaps))  # doubling delays
    market.assert_never_blocked()


def test_slow_snapshot_blocks_nobody() -> None:
    """A snapshot taking 1 s: one request, events buffered meanwhile, readers answered at once."""
    market = Market()

    def slow(m: Market) -> dict[str, Any]:
        last_id = m.update_id
        time.sleep(1.0)
        return m.snapshot_at(last_id)

    book = OrderBook("BNBBTC", market.fetch(slow))
    seconds = 2.0
    try:
        market.run(book, seconds)
    finally:
        book.close()
    print(market.report("slow snapshot (1 s)", seconds))
    assert market.errors == []
    assert len(market.requests) == 1 and market.max_in_flight == 1
    assert book.synced and book.last_update_id == market.update_id
    assert book.best_bid() == (Decimal("100"), Decimal(market.update_id))
    market.assert_never_blocked()


def test_gap_after_sync_refetches_once_in_the_background() -> None:
    market = Market()
    book = OrderBook("BNBBTC", market.fetch(lambda m: m.snapshot_at(m.update_id)))
    try:
        market.run(book, 0.3)
        assert book.synced and len(market.requests) == 1
        market.update_id += 10  # ten update ids the book never saw
        market.run(book, 0.3)
        assert book.resyncs == 1 and len(market.requests) == 2
        assert book.synced and book.last_update_id == market.update_id
    finally:
        book.close()
    assert book._fetcher is None  # the fetcher thread ends once the book is in sync
