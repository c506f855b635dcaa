"""The market stream protocol, without any I/O: both the thread and the asyncio clients drive it.

It owns everything that is Binance-specific and stateful:

* the **subscription state** (the streams wanted, in order) and the ``SUBSCRIBE`` /
  ``UNSUBSCRIBE`` / ``LIST_SUBSCRIPTIONS`` control messages with their ids;
* the **limits**: at most ``max_streams`` (1024) streams per connection (the client spreads more
  over several connections, one protocol each), and at most 5 control messages per second
  (queued in an outbox and released by :meth:`StreamProtocol.next_control`);
* **decoding** frames into typed events (:class:`~binance_typed.models.events.market.StreamDecoder`)
  and matching control responses to their requests;
* the **reconnect bookkeeping**: what to resend on a new socket, the :class:`StreamGapEvent` after a
  reconnect, the duplicate filter of a rollover (two sockets delivering the same streams, read by
  two threads: the new one may still be behind the old one when the old one ends), and the
  :class:`StreamGapEvent` of a rollover that could not prove an overlap.

The transport calls ``url()``, ``on_open(session_id, ...)``, ``on_text(session_id, text)``,
``on_closed(session_id)`` (then ``take_handoff()`` until empty) and sends whatever
``next_control()`` hands out; it never needs to look inside a payload.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from ..error import ParameterValueError
from ..models.events.market import (
    MarketEvent,
    ServerShutdownEvent,
    StreamDecoder,
    StreamGapEvent,
    UnknownEvent,
    event_identity,
    follows,
    is_sequenced,
)

__all__ = ["ControlRateLimiter", "ControlResponse", "StreamProtocol", "stream_base_url"]

MAX_STREAMS_PER_CONNECTION = 1024
CONTROL_MESSAGES_PER_SECOND = 5
_CHUNK = 200  # streams per SUBSCRIBE message when restoring many streams
_MAX_URL_STREAMS_CHARS = 1500
_STREAM_NAME = re.compile(r"\A!?[A-Za-z0-9_.\-]+(@[A-Za-z0-9_+:.\-]+)*\Z")


def stream_base_url(url: str) -> str:
    """``wss://host:port`` without a trailing ``/ws``, ``/stream`` or slash."""
    url = url.rstrip("/")
    for suffix in ("/stream", "/ws"):
        if url.endswith(suffix):
            return url[: -len(suffix)]
    return url


class ControlRateLimiter:
    """Sliding window: at most ``limit`` control messages in any ``window`` seconds.

    Binance disconnects a connection that sends more than 5 messages per second (pings, pongs and
    JSON control messages count). The window is widened slightly to absorb clock jitter.
    """

    def __init__(self, limit: int = CONTROL_MESSAGES_PER_SECOND, window: float = 1.05) -> None:
        self.limit = limit
        self.window = window
        self._sent: deque[float] = deque()

    def wait_time(self, now: float) -> float:
        """Seconds until one more message may be sent (0 when it may go now)."""
        sent = self._sent
        while sent and now - sent[0] >= self.window:
            sent.popleft()
        if len(sent) < self.limit:
            return 0.0
        return self.window - (now - sent[0])

    def record(self, now: float) -> None:
        self._sent.append(now)


@dataclass
class ControlResponse:
    """The answer to one control message."""

    id: int
    method: str
    params: list[Any]
    result: Any = None
    error: dict[str, Any] | None = None
    done: bool = False


@dataclass
class _Rollover:
    new_session: int
    old_session: int
    covered_until: float
    """Wall-clock time of the last message before the rollover began (its start when none)."""
    seen: dict[str, Any] = field(default_factory=dict)
    """Per stream: the identity of the last event delivered before the rollover began (the new
    socket may deliver it again: it can be subscribed before the old one's copy was read)."""
    last_key: dict[str, Any] = field(default_factory=dict)
    """Per stream: the identity of the last event the old socket delivered during the overlap."""
    last_at: dict[str, float] = field(default_factory=dict)
    """Per stream: when the old socket delivered it."""
    buffered: list[tuple[str, Any]] = field(default_factory=list)
    first_at: dict[str, float] = field(default_factory=dict)
    """Per stream: when the new socket delivered its first event not seen on the old one."""
    proven: set[str] = field(default_factory=set)


class StreamProtocol:
    """Subscription state, control messages, decoding and overlap deduplication of one client.

    Not thread-safe by itself: the transport serialises calls (one lock).

    Args:
        time_unit: ``"MICROSECOND"`` to ask for µs timestamps (added to the URL).
        max_streams: streams allowed on one connection (Binance: 1024).
        rate_limiter: the :class:`ControlRateLimiter` of control messages.
        clock: monotonic clock (injectable for tests).
        ids: source of request ids (shared by the protocols of one client's connections, so an id
            names one request across all of them); 1, 2, 3, ... by default.
    """

    def __init__(
        self,
        time_unit: str | None = None,
        *,
        max_streams: int = MAX_STREAMS_PER_CONNECTION,
        rate_limiter: ControlRateLimiter | None = None,
        clock: Callable[[], float] = time.monotonic,
        ids: Iterator[int] | None = None,
    ) -> None:
        self.time_unit = time_unit.upper() if time_unit else None
        self.decoder = StreamDecoder(self.time_unit)
        self.max_streams = max_streams
        self.limiter = rate_limiter or ControlRateLimiter()
        self.clock = clock
        self.streams: dict[str, None] = {}
        """The streams wanted, in subscription order (the state restored after a reconnect)."""
        self.pending: dict[int, ControlResponse] = {}
        self.outbox: deque[tuple[int, str]] = deque()
        self._ids = ids if ids is not None else itertools.count(1)
        self._primary: int | None = None
        self._url_streams: tuple[str, ...] = ()
        self._rollover: _Rollover | None = None
        self._lost_at: datetime | None = None
        self._lost_reason = ""
        self._last_data_at: float | None = None
        self._latest: dict[str, MarketEvent] = {}
        self._handoff: list[MarketEvent] | None = None
        self._floor_session: int | None = None
        self._unproven: dict[str, tuple[MarketEvent, float]] = {}
        """After a rollover, per sequenced stream (trades, aggregate trades, diff depth) the old
        socket had traffic on but the new one had not yet: its last event and when. Its next event
        tells whether any was missed (a gap comes before it) or none (nothing is reported)."""
        self._floor: dict[str, Any] = {}
        """After a rollover, per stream: the identity of the last event delivered when the switch
        happened. The new socket's reader may still lag behind the old one's (each socket has its
        own reader thread), so what it then reads up to that identity was delivered already."""
        self.on_response: Callable[[ControlResponse], None] | None = None
        self.rollover_requested: str | None = None
        """Set when a ``serverShutdown`` arrived: the transport opens a new socket and clears it."""

    # ------------------------------------------------------------------ subscription state

    @property
    def room(self) -> int:
        """How many more streams this connection may carry."""
        return self.max_streams - len(self.streams)

    def check_names(self, streams: Iterable[str]) -> list[str]:
        """Validate stream names and lower-case their symbols (raises ``ParameterValueError``)."""
        return self._check_names(streams)

    def _check_names(self, streams: Iterable[str]) -> list[str]:
        names: list[str] = []
        for stream in streams:
            if not isinstance(stream, str) or not _STREAM_NAME.match(stream):
                raise ParameterValueError(f"invalid stream name: {stream!r}", "streams")
            symbol, sep, rest = stream.partition("@")
            if not symbol.startswith("!"):
                symbol = symbol.lower()  # Binance wants lower-case symbols in stream names
            names.append(symbol + sep + rest)
        return names

    def subscribe(self, streams: Iterable[str]) -> list[int]:
        """Add streams (queued SUBSCRIBE messages); returns their request ids.

        Raises :class:`~binance_typed.error.ParameterValueError` beyond ``max_streams``.
        """
        names = [s for s in self._check_names(streams) if s not in self.streams]
        if not names:
            return []
        if len(self.streams) + len(names) > self.max_streams:
            raise ParameterValueError(
                f"a connection carries at most {self.max_streams} streams "
                f"({len(self.streams)} subscribed, {len(names)} requested)",
                "streams",
            )
        for name in names:
            self.streams[name] = None
        if self._primary is None:
            return []  # not connected: the streams go into the URL / the next on_open
        return [self._queue("SUBSCRIBE", chunk) for chunk in _chunks(names)]

    def unsubscribe(self, streams: Iterable[str]) -> list[int]:
        """Remove streams (queued UNSUBSCRIBE messages); returns their request ids."""
        names = [s for s in self._check_names(streams) if s in self.streams]
        for name in names:
            del self.streams[name]
            self._latest.pop(name, None)
            self._floor.pop(name, None)
            self._unproven.pop(name, None)
        if not names or self._primary is None:
            return []
        return [self._queue("UNSUBSCRIBE", chunk) for chunk in _chunks(names)]

    def list_subscriptions(self) -> int:
        """Queue a LIST_SUBSCRIPTIONS request; returns its id."""
        return self._queue("LIST_SUBSCRIPTIONS", None)

    def _queue(self, method: str, params: list[Any] | None) -> int:
        request_id = next(self._ids)
        message: dict[str, Any] = {"method": method}
        if params is not None:
            message["params"] = params
        message["id"] = request_id
        self.pending[request_id] = ControlResponse(request_id, method, list(params or ()))
        self.outbox.append((request_id, json.dumps(message, separators=(",", ":"))))
        return request_id

    def next_control(self) -> tuple[str | None, float]:
        """The next control message allowed by the rate limit: ``(text, 0)``, or ``(None, wait)``.

        ``wait`` is how long to wait before asking again (``inf`` when the outbox is empty).
        """
        if not self.outbox:
            return None, float("inf")
        now = self.clock()
        wait = self.limiter.wait_time(now)
        if wait > 0:
            return None, wait
        _, text = self.outbox.popleft()
        self.limiter.record(now)
        return text, 0.0

    # ------------------------------------------------------------------ connection lifecycle

    def url(self, base_url: str) -> str:
        """The URL of the next socket: ``/stream``, with the streams in it when they fit."""
        base = stream_base_url(base_url)
        query: list[str] = []
        joined = "/".join(self.streams)
        if self.streams and len(joined) <= _MAX_URL_STREAMS_CHARS:
            query.append("streams=" + quote(joined, safe="/@!_:+-."))
            self._url_streams = tuple(self.streams)
        else:
            self._url_streams = ()
        if self.time_unit:
            query.append(f"timeUnit={self.time_unit}")
        return f"{base}/stream" + ("?" + "&".join(query) if query else "")

    def on_open(self, session_id: int, *, rollover: bool = False) -> list[MarketEvent]:
        """A socket is open: queue the SUBSCRIBE of what the URL did not carry.

        Returns the events to deliver: a :class:`StreamGapEvent` after a reconnect; when a rollover
        begins before the previous one finished, what finishing that one hands over (deliver them,
        then call :meth:`take_handoff` until empty, as after :meth:`on_closed`).
        """
        events: list[MarketEvent] = []
        # drop control messages meant for the previous socket; their waiters get no answer
        for request_id, _ in self.outbox:
            self.pending.pop(request_id, None)
        self.outbox.clear()
        missing = [s for s in self.streams if s not in self._url_streams]
        previous = self._primary
        if rollover and previous is not None:
            if self._rollover is not None:
                # the previous rollover has not finished (its old socket is still open): switch
                # to its replacement now, the old socket of this rollover; the oldest socket is a
                # straggler from here on
                events = self.finish_rollover()
            self._rollover = _Rollover(
                new_session=session_id,
                old_session=previous,
                covered_until=self._last_data_at or _time(),
                seen={s: event_identity(e) for s, e in self._latest.items()},
            )
        else:
            self._floor_session = None
            self._floor = {}
            if self._lost_at is not None and self.streams:
                now = datetime.now(timezone.utc)
                start = (
                    datetime.fromtimestamp(self._last_data_at, timezone.utc)
                    if self._last_data_at
                    else self._lost_at
                )
                if self._unproven:  # an unsettled rollover of a quiet stream began earlier
                    since = min(at for _, at in self._unproven.values())
                    start = min(start, datetime.fromtimestamp(since, timezone.utc))
                events.append(
                    StreamGapEvent(
                        streams=tuple(self.streams), start=start, end=now, reason=self._lost_reason
                    )
                )
            self._unproven.clear()  # the gap of this reconnect covers them
        self._lost_at = None
        self._primary = session_id
        for chunk in _chunks(missing):
            self._queue("SUBSCRIBE", chunk)
        return events

    def on_closed(self, session_id: int, reason: str | None = None) -> list[MarketEvent]:
        """A socket is gone; returns events to deliver (the rollover buffer, when it ends)."""
        rollover = self._rollover
        if rollover is not None and session_id == rollover.old_session:
            return self.finish_rollover()
        if rollover is not None and session_id == rollover.new_session:
            self._rollover = None  # the replacement died: the old socket stays the source
            self._primary = rollover.old_session
            return []
        if session_id == self._primary:
            self._primary = None
            self._lost_at = datetime.now(timezone.utc)
            self._lost_reason = reason or "disconnected"
        return []

    @property
    def rollover_ready(self) -> bool:
        """True when the new socket has proven an overlap on every stream the old one delivered."""
        rollover = self._rollover
        return rollover is not None and bool(rollover.last_key) and rollover.proven >= set(rollover.last_key)

    @property
    def rollover_old_session(self) -> int | None:
        return self._rollover.old_session if self._rollover else None

    def finish_rollover(self) -> list[MarketEvent]:
        """Switch to the new socket: deliver its buffered events that the old one had not.

        When the overlap was not proven (the old socket ended, or ``overlap_timeout`` ran out,
        before the new one delivered an event the old one had delivered too), a
        :class:`StreamGapEvent` comes first, naming the streams that had traffic during the
        rollover without a proven overlap, from their last event on the old socket to their first
        on the new one. A rollover without any traffic reports nothing: no event was missed.
        On a sequenced stream (trades, aggregate trades, diff depth) the new socket's first event
        proves the overlap when it is the very next one after the old socket's last; one still
        quiet on the new socket is settled by its next event (:meth:`_settle`).

        From then on, the new socket's events up to the last one delivered on each stream are
        dropped as repeats: its reader may not have caught up with the old one's yet.
        """
        rollover, self._rollover = self._rollover, None
        if rollover is None:
            return []
        out: list[MarketEvent] = []
        last_key = rollover.last_key
        seen = rollover.seen
        proven = rollover.proven
        latest = self._latest
        delivered_by_old = set(last_key)
        firsts: set[str] = set()
        for stream, event in rollover.buffered:
            key = event_identity(event)
            last = last_key.get(stream, seen.get(stream))
            if key is not None and last is not None and key <= last:
                proven.add(stream)  # the old socket delivered it too (it was just later)
                continue
            if stream not in firsts:
                firsts.add(stream)
                previous = latest.get(stream)
                if previous is not None and follows(previous, event):
                    proven.add(stream)  # the old socket's last event and the new one's first touch
            last_key[stream] = key
            latest[stream] = event
            out.extend(self._settle(stream, event))
        gap = self._rollover_gap(rollover) if not delivered_by_old or not proven >= delivered_by_old else None
        if gap is not None:
            out.insert(0, gap)
        # the new socket may not have read yet what the old one delivered last (its reader lags):
        # those events, when they come, are repeats
        floor = {s: k for s in {*seen, *last_key} if (k := last_key.get(s, seen.get(s))) is not None}
        self._floor_session = rollover.new_session if floor else None
        self._floor = floor
        if out:
            if self._handoff is not None:
                # the events of an earlier switch are still being handed over: these follow them
                self._handoff.extend(out)
                return []
            # until the transport delivered these (take_handoff), the new socket's events wait
            self._handoff = []
        return out

    def _rollover_gap(self, rollover: _Rollover) -> StreamGapEvent | None:
        """The gap of a rollover without a proven overlap (None when no stream had traffic)."""
        proven = rollover.proven
        unproven = [
            s for s in self.streams if s not in proven and (s in rollover.last_at or s in rollover.first_at)
        ]
        latest = self._latest
        for s in [s for s in unproven if s not in rollover.first_at and is_sequenced(latest.get(s))]:
            # quiet on the new socket so far: its next event settles it (see _settle)
            self._unproven[s] = (latest[s], rollover.last_at.get(s, rollover.covered_until))
            unproven.remove(s)
        if not unproven:
            return None
        now = _time()
        start = min(rollover.last_at.get(s, rollover.covered_until) for s in unproven)
        end = max(rollover.first_at.get(s, now) for s in unproven)
        return StreamGapEvent(
            streams=tuple(unproven),
            start=datetime.fromtimestamp(start, timezone.utc),
            end=datetime.fromtimestamp(max(start, end), timezone.utc),
            reason="rollover without a proven overlap",
        )

    def take_handoff(self) -> list[MarketEvent]:
        """After delivering what :meth:`on_closed` returned at the end of a rollover: the events the
        new socket delivered meanwhile (call again until empty), so that nothing overtakes."""
        pending = self._handoff
        if not pending:
            self._handoff = None
            return []
        self._handoff = []
        return pending

    # ------------------------------------------------------------------ incoming frames

    def on_text(self, session_id: int, text: str) -> list[MarketEvent]:
        """Decode one frame; returns the events to deliver now (usually one, possibly none)."""
        if text.startswith(('{"result"', '{"id"', '{"code"', '{"error"')) and self._handle_response(text):
            return []
        stream: str | None = None
        if text.startswith('{"stream":"'):
            stream = text[11 : text.find('"', 11)]
        event = self.decoder.decode(text, stream)
        if type(event) is ServerShutdownEvent and self.rollover_requested is None:
            self.rollover_requested = "serverShutdown"
        if session_id == self._floor_session and self._below_floor(stream or "", event):
            return []  # delivered already, by the socket this one replaced
        rollover = self._rollover
        if rollover is None:
            if session_id != self._primary and self._primary is not None:
                return []  # a straggler of a socket already replaced
            self._last_data_at = _time()
            self._latest[stream or ""] = event
            return self._pass(stream or "", event)
        key_stream = stream or ""
        if session_id == rollover.old_session:
            key = event_identity(event)
            now = self._last_data_at = _time()
            self._latest[key_stream] = event
            if key is not None:
                rollover.last_key[key_stream] = key
                rollover.last_at[key_stream] = now
            return self._pass(key_stream, event)
        if session_id == rollover.new_session:
            key = event_identity(event)
            last = rollover.last_key.get(key_stream, rollover.seen.get(key_stream))
            if key is not None and last is not None and key <= last:
                rollover.proven.add(key_stream)
                return []  # already delivered by the old socket
            rollover.buffered.append((key_stream, event))
            if key_stream not in rollover.first_at:
                rollover.first_at[key_stream] = _time()
            return []
        return []

    def _pass(self, stream: str, event: MarketEvent) -> list[MarketEvent]:
        """What delivering ``event`` of the current source gives now: it (after the gap it settles,
        if any), or nothing while a rollover's events are handed over (it waits behind them)."""
        out = self._settle(stream, event) if self._unproven else [event]
        handoff = self._handoff
        if handoff is not None:
            handoff.extend(out)
            return []
        return out

    def _settle(self, stream: str, event: MarketEvent) -> list[MarketEvent]:
        """``event`` delivered on ``stream``, preceded by the gap of an earlier rollover when the
        stream was quiet then and this event is not the next one after its last."""
        waiting = self._unproven.pop(stream, None)
        if waiting is None:
            return [event]
        previous, since = waiting
        if follows(previous, event):
            return [event]  # nothing was missed
        now = _time()
        gap = StreamGapEvent(
            streams=(stream,),
            start=datetime.fromtimestamp(since, timezone.utc),
            end=datetime.fromtimestamp(max(since, now), timezone.utc),
            reason="rollover without a proven overlap",
        )
        return [gap, event]

    def _below_floor(self, stream: str, event: MarketEvent) -> bool:
        """Whether ``event`` of the socket that took over in the last rollover is at or below what
        the replaced socket delivered last on ``stream`` (a repeat). The first event above it lifts
        the stream's floor: a socket's own events only go up."""
        floor = self._floor
        last = floor.get(stream)
        if last is None:
            return False
        key = event_identity(event)
        if key is None:
            return False
        if key <= last:
            return True
        del floor[stream]
        if not floor:
            self._floor_session = None
        return False

    def _handle_response(self, text: str) -> bool:
        try:
            message = json.loads(text)
        except ValueError:
            return False
        if not isinstance(message, dict) or "id" not in message:
            return False
        response = self.pending.pop(message["id"], None) if isinstance(message["id"], int) else None
        if response is None:
            return True
        if "result" in message:
            response.result = message["result"]
        else:
            error = message.get("error")
            response.error = (
                error if isinstance(error, dict) else {"code": message.get("code"), "msg": message.get("msg")}
            )
        response.done = True
        if self.on_response is not None:
            self.on_response(response)
        return True


def _chunks(names: list[str]) -> list[list[str]]:
    return [names[i : i + _CHUNK] for i in range(0, len(names), _CHUNK)]


_time = time.time


def is_unknown(event: Any) -> bool:
    """True for payloads the decoder could not type."""
    return isinstance(event, UnknownEvent)
