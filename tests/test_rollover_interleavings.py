"""Rollover interleavings driven through :class:`StreamProtocol` by hand (no sockets, no threads).

Each socket of a rollover has its own reader thread, so the frames of the old and the new socket
reach the protocol in any interleaving. The first tests replay, call by call, the interleavings
that delivered a trade twice (traced in ``test_rollover_at_max_lifetime_without_loss`` under
load); the property test at the end runs arbitrary ones.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from binance_typed.models.events.market import StreamGapEvent
from binance_typed.ws._stream_protocol import StreamProtocol

BTC = "btcusdt@trade"
ETH = "ethusdt@trade"


def frame(i: int, stream: str = BTC) -> str:
    symbol = stream.split("@")[0].upper()
    return (
        f'{{"stream":"{stream}","data":{{"e":"trade","E":{i},"s":"{symbol}","t":{i},'
        f'"p":"1","q":"1","T":{i},"m":false,"M":true}}}}'
    )


def ids(events: list[Any]) -> list[Any]:
    """Trade ids as ``"BTC7"`` / ``"ETH7"``, and ``"gap"`` for a gap event."""
    return ["gap" if isinstance(e, StreamGapEvent) else f"{e.symbol[:3]}{e.trade_id}" for e in events]


def connected(*streams: str) -> StreamProtocol:
    protocol = StreamProtocol()
    protocol.subscribe(list(streams) or [BTC, ETH])
    assert protocol.on_open(1) == []
    return protocol


def test_new_socket_lagging_at_the_end_of_the_rollover_repeats_nothing() -> None:
    # the failing run, call by call: socket 1 delivered ETH 236 and closed before socket 2's
    # reader had read its own copy of ETH 236
    p = connected(BTC, ETH)
    for i in range(230, 234):
        assert ids(p.on_text(1, frame(i, BTC)) + p.on_text(1, frame(i, ETH))) == [f"BTC{i}", f"ETH{i}"]
    assert p.on_open(2, rollover=True) == []
    out: list[Any] = []
    out += p.on_text(1, frame(234, BTC))
    out += p.on_text(1, frame(234, ETH))
    out += p.on_text(1, frame(235, BTC))
    assert p.on_text(2, frame(234, BTC)) == []
    assert p.on_text(2, frame(234, ETH)) == []
    out += p.on_text(1, frame(235, ETH))
    assert p.on_text(2, frame(235, BTC)) == []
    assert p.on_text(2, frame(235, ETH)) == []
    out += p.on_text(1, frame(236, BTC))
    assert p.on_text(2, frame(236, BTC)) == []
    out += p.on_text(1, frame(236, ETH))
    assert p.rollover_ready  # the transport retires socket 1
    assert p.on_closed(1) == []
    assert p.take_handoff() == []
    # socket 2's reader was one frame behind: its ETH 236 is a repeat
    out += p.on_text(2, frame(236, ETH))
    out += p.on_text(2, frame(237, BTC))
    out += p.on_text(2, frame(237, ETH))
    assert ids(out) == [
        "BTC234", "ETH234", "BTC235", "ETH235", "BTC236", "ETH236", "BTC237", "ETH237",
    ]  # fmt: skip


def test_new_socket_far_behind_then_carrying_on() -> None:
    p = connected(BTC)
    p.on_text(1, frame(1))
    p.on_open(2, rollover=True)
    assert ids([e for i in range(2, 8) for e in p.on_text(1, frame(i))]) == [f"BTC{i}" for i in range(2, 8)]
    assert p.on_text(2, frame(2)) == []  # proves the overlap
    assert p.rollover_ready
    assert p.on_closed(1) == []
    # everything up to 7 came from socket 1 already; the floor lifts at 8 and stays lifted
    assert [e for i in range(3, 8) for e in p.on_text(2, frame(i))] == []
    assert ids(p.on_text(2, frame(8))) == ["BTC8"]
    assert ids(p.on_text(2, frame(9))) == ["BTC9"]
    # a reconnect starts afresh: nothing of the old floor applies to the next socket
    p.on_closed(2)
    out = p.on_open(3)
    assert ids(out) == ["gap"]
    assert ids(p.on_text(3, frame(5))) == ["BTC5"]


def test_unsubscribing_lifts_the_floor() -> None:
    p = connected(BTC, ETH)
    p.on_text(1, frame(8, BTC))
    p.on_text(1, frame(8, ETH))
    p.on_open(2, rollover=True)
    p.on_text(1, frame(9, BTC))
    p.on_text(1, frame(9, ETH))
    assert p.on_text(2, frame(9, BTC)) == [] and p.on_text(2, frame(9, ETH)) == []
    assert p.on_closed(1) == []
    p.unsubscribe([ETH])
    p.subscribe([ETH])
    # the same stream subscribed afresh owes nothing to the replaced socket; the other keeps it
    assert ids(p.on_text(2, frame(1, ETH))) == ["ETH1"]
    assert p.on_text(2, frame(9, BTC)) == []


def test_one_stream_ahead_one_behind_at_the_end() -> None:
    # socket 2 is ahead on BTC (its 6 is buffered) and behind on ETH when socket 1 closes
    p = connected(BTC, ETH)
    p.on_text(1, frame(4, BTC))
    p.on_text(1, frame(4, ETH))
    p.on_open(2, rollover=True)
    out: list[Any] = []
    out += p.on_text(1, frame(5, BTC))
    assert p.on_text(2, frame(5, BTC)) == []
    assert p.on_text(2, frame(6, BTC)) == []  # buffered: socket 1 has not delivered it
    out += p.on_text(1, frame(5, ETH))
    assert p.on_text(2, frame(4, ETH)) == []
    assert p.rollover_ready
    closing = p.on_closed(1)
    assert ids(closing) == ["BTC6"]
    out += closing
    # while the transport delivers BTC 6, socket 2 reads on: its ETH 5 is a repeat, ETH 6 waits
    assert p.on_text(2, frame(5, ETH)) == []
    assert p.on_text(2, frame(6, ETH)) == []
    out += p.take_handoff()
    assert p.take_handoff() == []
    out += p.on_text(2, frame(7, BTC))
    assert ids(out) == ["BTC5", "ETH5", "BTC6", "ETH6", "BTC7"]


def test_second_rollover_before_the_first_ended_middle_socket_behind() -> None:
    # socket 3 opens while socket 1 (the old one of the first rollover) is still open and socket
    # 2 is behind it: socket 2's repeats must not go through once it is the old one of the second
    p = connected(BTC)
    out: list[Any] = []
    out += p.on_text(1, frame(1))
    p.on_open(2, rollover=True)
    out += p.on_text(1, frame(2))
    out += p.on_text(1, frame(3))
    assert p.on_text(2, frame(2)) == []
    assert ids(p.on_open(3, rollover=True)) == []  # socket 2 had nothing socket 1 had not
    out += p.on_text(1, frame(4))  # socket 1 is a straggler now: socket 2 carries on
    out += p.on_text(2, frame(3))  # a repeat: socket 1 delivered it
    out += p.on_text(2, frame(4))
    assert p.on_text(3, frame(4)) == []  # proves the second overlap
    out += p.on_text(2, frame(5))
    assert p.on_text(3, frame(5)) == []
    assert p.on_text(3, frame(6)) == []
    assert p.on_closed(1) == []  # the oldest socket's end changes nothing
    out += p.on_closed(2)
    out += p.take_handoff()
    out += p.on_text(3, frame(7))
    assert ids(out) == [f"BTC{i}" for i in range(1, 8)]


def test_second_rollover_before_the_first_ended_middle_socket_ahead() -> None:
    # socket 2 is ahead of socket 1 when socket 3 opens: its buffered events are handed over then
    p = connected(BTC)
    out: list[Any] = []
    out += p.on_text(1, frame(1))
    p.on_open(2, rollover=True)
    out += p.on_text(1, frame(2))
    assert p.on_text(2, frame(2)) == []
    assert p.on_text(2, frame(3)) == []
    assert p.on_text(2, frame(4)) == []
    opened = p.on_open(3, rollover=True)
    assert ids(opened) == ["BTC3", "BTC4"]
    out += opened
    assert p.on_text(2, frame(5)) == []  # waits until BTC 3 and 4 were delivered
    out += p.take_handoff()
    assert p.take_handoff() == []
    out += p.on_text(2, frame(6))
    assert p.on_text(3, frame(6)) == []
    assert p.on_text(3, frame(7)) == []
    out += p.on_closed(2)
    out += p.take_handoff()
    assert ids(out) == [f"BTC{i}" for i in range(1, 8)]


def test_finish_while_an_earlier_handover_is_in_progress() -> None:
    # the first rollover ended with a hand-over the transport has not drained yet when a third
    # socket opens and the second rollover is cut short: its events queue behind the first ones
    p = connected(BTC)
    p.on_text(1, frame(1))
    p.on_open(2, rollover=True)
    p.on_text(1, frame(2))
    assert p.on_text(2, frame(2)) == []
    assert p.on_text(2, frame(3)) == []
    first = p.on_closed(1)
    assert ids(first) == ["BTC3"]  # being delivered by socket 1's thread
    assert p.on_open(3, rollover=True) == []
    assert p.on_text(2, frame(4)) == []  # behind BTC 3: queued
    assert p.on_text(3, frame(4)) == []
    assert p.on_text(3, frame(5)) == []
    assert p.on_open(4, rollover=True) == []  # BTC 5 of socket 3 joins the queue
    assert ids(p.take_handoff()) == ["BTC4", "BTC5"]
    assert p.take_handoff() == []
    assert p.on_text(3, frame(5)) == []  # a repeat
    assert ids(p.on_text(3, frame(6))) == ["BTC6"]


# ------------------------------------------------------------------ arbitrary interleavings


@st.composite
def rollovers(draw: st.DrawFn) -> tuple[int, int, int, int, list[str]]:
    """One rollover of a single stream whose trades are 1..total on the server.

    Socket 1 carries trades 1..end1 and is closed after its last one; socket 2 carries
    start2..total (it was subscribed when trade start2 happened, start2 <= end1 + 1: the sockets
    overlap or touch). ``opened`` is how many of socket 1's trades were read before the protocol
    learnt that socket 2 was open. The steps say which thread acts next: socket 1's reader, socket 2's reader, or the
    transport handing over (what a finished rollover returned, then ``take_handoff``).
    """
    total = draw(st.integers(2, 14))
    end1 = draw(st.integers(1, total - 1))
    start2 = draw(st.integers(1, end1 + 1))
    opened = draw(st.integers(0, end1))
    steps = draw(st.lists(st.sampled_from(["r1", "r2", "hand"]), min_size=0, max_size=60))
    return total, end1, start2, opened, steps + ["r1"] * (end1 + 1) + ["r2", "hand"] * (total + 2)


def replay(end1: int, start2: int, opened: int, steps: list[str], total: int) -> tuple[list[Any], bool]:
    """The events delivered, and whether the overlap was proven when socket 1 closed."""
    p = connected(BTC)
    out: list[Any] = []
    for i in range(1, opened + 1):
        out += p.on_text(1, frame(i))
    assert p.on_open(2, rollover=True) == []
    next1, next2 = opened + 1, start2
    closed = ready = False
    handing: list[Any] | None = None  # what the transport still has to deliver
    for step in steps:
        if step == "r1" and not closed:
            if next1 <= end1:
                out += p.on_text(1, frame(next1))
                next1 += 1
            else:
                closed, ready = True, p.rollover_ready
                handing = p.on_closed(1)
        elif step == "r2" and next2 <= total:
            out += p.on_text(2, frame(next2))
            next2 += 1
        elif step == "hand" and handing is not None:
            if handing:
                out += handing
                handing = p.take_handoff()
            else:
                handing = None
    assert closed and handing is None and next2 > total
    return out, ready


@settings(max_examples=400, deadline=None)
@given(rollovers())
def test_any_interleaving_delivers_each_trade_once_in_order(case: tuple[int, int, int, int, list[str]]) -> None:
    total, end1, start2, opened, steps = case
    events, proven = replay(end1, start2, opened, steps, total)
    delivered = ids(events)
    trades = [int(e[3:]) for e in delivered if e != "gap"]
    assert trades == sorted(set(trades)), delivered  # nothing twice, nothing out of order
    assert trades[-1] == total  # socket 2 carries on to the end
    assert trades == list(range(1, total + 1)), delivered  # nothing lost either: they overlap
    # a gap is reported only when socket 1 ended before socket 2 proved the overlap (the
    # transport retires it once proven, or after overlap_timeout), and then once, before socket
    # 2's first trade that socket 1 had not delivered
    assert delivered.count("gap") <= 1
    if proven:
        assert "gap" not in delivered, delivered
