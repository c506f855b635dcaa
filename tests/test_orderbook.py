"""The local order book procedure, without sockets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
    book = OrderBook("bnbbtc", fetch, on_change=lambda b: changes.append(b.last_update_id))
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
    book = OrderBook("BNBBTC", fetch)
    book.apply(depth(110, 121, bids=[["1", "3"]]))
    assert fetch.calls == 2 and book.last_update_id == 121
    assert book.best_bid() == (Decimal("1"), Decimal("3"))


def test_gap_triggers_resync() -> None:
    fetch = Snapshots(snap(10, [["5", "1"]], [["6", "1"]]), snap(30, [["4", "9"]], [["7", "9"]]))
    book = OrderBook("BNBBTC", fetch)
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
    book = OrderBook("ETHBTC", Snapshots(snap(1, [], [])))
    assert not book.apply(depth(1, 2))
    book.invalidate()
    assert not book.synced


def test_snapshot_object_with_attributes() -> None:
    class Snap:
        last_update_id = 5
        bids = [(Decimal("1"), Decimal("1"))]
        asks = [(Decimal("2"), Decimal("0"))]

    book = OrderBook("BNBBTC", lambda: Snap())
    book.apply(depth(5, 6, asks=[["3", "1"]]))
    assert book.best_ask() == (Decimal("3"), Decimal("1"))


def test_overlapping_update_is_applied_not_a_gap() -> None:
    """The docs call it a gap only when U > local id + 1; an event with U <= id + 1 <= u applies."""
    fetch = Snapshots(snap(100, [["1.0", "1"]], [["2.0", "1"]]))
    book = OrderBook("BNBBTC", fetch)
    assert book.apply(depth(95, 105))
    assert book.apply(depth(104, 110, bids=[["1.0", "2"]]))
    assert (book.last_update_id, book.resyncs, fetch.calls) == (110, 0, 1)
    assert book.best_bid() == (Decimal("1.0"), Decimal("2"))


def test_snapshot_retries_are_spaced_out() -> None:
    import time

    fetch = Snapshots(snap(50, [], []), snap(60, [], []), snap(120, [["1", "1"]], [["2", "1"]]))
    book = OrderBook("BNBBTC", fetch, snapshot_retry_delay=0.05)
    start = time.monotonic()
    book.apply(depth(110, 121))
    assert fetch.calls == 3 and book.last_update_id == 121
    assert time.monotonic() - start >= 0.05 + 0.1
