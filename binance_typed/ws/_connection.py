"""A generic, self-healing WebSocket connection on top of ``websocket-client``.

Shared by the market stream client and the WebSocket API client. It knows nothing about Binance
payloads: it moves text frames, keeps the socket alive and reconnects. The protocol on top plugs in
through three callbacks, each told which :class:`Session` (physical socket) it concerns::

    conn = WebSocketConnection(
        url,                                   # str, or a callable returning the URL of each attempt
        on_open=lambda session: ...,           # a socket is open: (re)authenticate, (re)subscribe
        on_message=lambda session, text: ...,  # one text frame, in the thread reading that socket
        on_close=lambda session, code, reason: ...,
        on_event=lambda event: ...,            # a ConnectionEvent for every (dis)connect, stall, rollover
        watchdog_timeout=30.0,
        reconnect=ReconnectPolicy(initial_delay=0.5, max_delay=30.0),
    )
    conn.start()               # connects (blocks until the first socket is open, or raises)
    conn.send('{"method": "LIST_SUBSCRIPTIONS", "id": 1}')
    conn.stop()

What it does:

* **watchdog**: a socket silent (no data, no ping) for ``watchdog_timeout`` seconds is aborted
  and replaced (``kind="stalled"``, then a reconnect). Pings are answered by the :class:`Session`.
* **reconnect**: a lost primary socket is replaced after a :class:`ReconnectPolicy` backoff;
  ``on_open`` runs again so the protocol can restore its state (subscriptions, session logon).
* **rollover without loss**: :meth:`WebSocketConnection.rollover` (on ``serverShutdown``, and at
  ``max_lifetime``, before Binance's 24-hour cut) opens the new socket *before* closing the old
  one. The new one becomes the primary (``send`` goes there); the old one keeps delivering for
  ``overlap_timeout`` seconds or until :meth:`WebSocketConnection.retire`. Messages of both reach
  ``on_message`` during the overlap: the protocol deduplicates them. One rollover at a time: a
  rollover that falls due while the previous one's old socket is still open waits for it to end.
* **reporting**: every transition goes to ``on_event`` and the ``binance_typed`` logger.

Threads: one supervisor thread (connects, reconnects, runs the watchdog and timers) and one reader
thread per open socket, whose read role a blocking caller of :meth:`WebSocketConnection.read_until`
may take over (see :mod:`binance_typed.ws._session`). Callbacks run in those threads; keep them
short, or hand work to a queue.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import websocket

from ._connection_types import ConnectionEvent, ConnectionEventKind, ReconnectPolicy, proxy_options
from ._session import ReadWaiter, Session, wake

__all__ = [
    "ConnectionEvent",
    "ConnectionEventKind",
    "ReconnectPolicy",
    "ReadWaiter",
    "Session",
    "WebSocketConnection",
    "proxy_options",
    "wake",
]

logger = logging.getLogger("binance_typed")

_ROLLOVER_WAIT_GRACE = 5.0
"""Seconds beyond ``overlap_timeout`` that a due rollover waits for the previous one's old socket
to be gone (its polite close takes up to 2 s, then it is cut)."""

_LOSS_REPORT_WAIT = 10.0
"""Seconds a new socket's ``on_open`` waits for the lost primary's ``on_close`` to return (see
``_await_loss_reported``); past it, the new socket opens anyway and a warning is logged."""


class WebSocketConnection:
    """A WebSocket connection that reconnects, watches for stalls and rolls over without loss.

    Args:
        url: the URL, or a callable returning it (called for every attempt, so the protocol can put
            its current subscriptions in the URL).
        on_open: called with the new :class:`Session` once it is open, before its first message is
            read; a failure here (exception) closes that socket and counts as a failed attempt.
        on_message: called with the session and each text frame, by the thread reading that session.
        on_close: called when a socket is gone, with the close code and reason when known.
        on_event: called with a :class:`ConnectionEvent` for every transition.
        on_error: called with exceptions raised by the callbacks or the socket.
        watchdog_timeout: seconds without data and without ping before a socket is declared stalled
            (None switches the watchdog off). Binance pings every 20 s, so 30-60 s is safe.
        reconnect: the :class:`ReconnectPolicy`.
        max_lifetime: seconds after which a socket is rolled over (Binance cuts at 24 h), or None.
        overlap_timeout: how long the old socket of a rollover keeps running at most.
        connect_timeout: timeout of the TCP/TLS/HTTP handshake.
        proxies: connector-style proxy dict, see :func:`proxy_options`.
        header: extra HTTP headers of the handshake.
        sslopt: passed to websocket-client (e.g. ``{"cert_reqs": ssl.CERT_NONE}``).
        name: a label for log lines and thread names.
        reader_grace: after a :meth:`read_until` caller gave up the read role, how long the
            background reader leaves it free for the next caller before reading itself.
    """

    def __init__(
        self,
        url: str | Callable[[], str],
        *,
        on_open: Callable[[Session], None] | None = None,
        on_message: Callable[[Session, str], None] | None = None,
        on_close: Callable[[Session, int | None, str | None], None] | None = None,
        on_event: Callable[[ConnectionEvent], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        watchdog_timeout: float | None = 60.0,
        reconnect: ReconnectPolicy | None = None,
        max_lifetime: float | None = 23.5 * 3600,
        overlap_timeout: float = 5.0,
        connect_timeout: float = 10.0,
        proxies: Mapping[str, str] | None = None,
        header: Mapping[str, str] | None = None,
        sslopt: Mapping[str, Any] | None = None,
        name: str = "ws",
        reader_grace: float = 0.002,
    ) -> None:
        self._url = url
        self._on_open = on_open
        self._on_message = on_message
        self._on_close = on_close
        self._on_event = on_event
        self._on_error = on_error
        self.watchdog_timeout = watchdog_timeout
        self.reconnect_policy = reconnect or ReconnectPolicy()
        self.max_lifetime = max_lifetime
        self.overlap_timeout = overlap_timeout
        self.connect_timeout = connect_timeout
        self._options: dict[str, Any] = proxy_options(proxies)
        if header:
            self._options["header"] = [f"{k}: {v}" for k, v in header.items()]
        if sslopt:
            self._options["sslopt"] = dict(sslopt)
        self.name = name
        self.reader_grace = reader_grace

        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._primary: Session | None = None
        self._sessions: list[Session] = []
        self._lost_at: float | None = None
        self._rollover_reason: str | None = None
        self._rollover_waiting_since: float | None = None
        self._supervisor: threading.Thread | None = None
        self._first_open = threading.Event()
        self._loss_reported = threading.Event()
        """Clear while the ``on_close`` of a lost primary runs: ``on_open`` of the next socket waits."""
        self._loss_reported.set()
        self._first_error: BaseException | None = None
        self._threads: set[threading.Thread] = set()
        """Reader and retire threads still running (joined by :meth:`stop`)."""
        self._connecting: Any = None
        """The websocket-client object of a connect in progress (:meth:`stop` cuts it)."""

    # ------------------------------------------------------------------ public API

    @property
    def primary(self) -> Session | None:
        """The socket ``send`` writes to (None while reconnecting)."""
        return self._primary

    @property
    def sessions(self) -> list[Session]:
        """Every open socket (two during a rollover)."""
        with self._lock:
            return list(self._sessions)

    @property
    def is_connected(self) -> bool:
        """Whether the current socket is open."""
        primary = self._primary
        return primary is not None and primary.connected

    @property
    def running(self) -> bool:
        """Whether the connection was started and not stopped (it may be reconnecting)."""
        return self._supervisor is not None and not self._stopping.is_set()

    @property
    def gave_up(self) -> bool:
        """Started once and stopped since (stopped by hand, or reconnecting gave up)."""
        return self._supervisor is not None and self._stopping.is_set()

    def start(self, wait: bool = True, timeout: float | None = None) -> None:
        """Start the supervisor thread; with ``wait``, block until the first socket is open.

        Raises the connection error when the first attempt fails and reconnecting is disabled or
        gives up, and ``TimeoutError`` when ``timeout`` elapses first.
        """
        with self._lock:
            if self._supervisor is not None:
                raise RuntimeError("connection already started")
            if self._stopping.is_set():
                raise websocket.WebSocketConnectionClosedException(f"{self.name}: stopped before it started")
            self._supervisor = threading.Thread(
                target=self._supervise, name=f"{self.name}-supervisor", daemon=True
            )
            self._supervisor.start()
        if not wait:
            return
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._first_open.wait(0.05):
            if self._first_error is not None and not self._supervisor.is_alive():
                self.stop()
                raise self._first_error
            if self._stopping.is_set():
                self.stop()
                raise RuntimeError(f"{self.name}: stopped before the first connection")
            if deadline is not None and time.monotonic() > deadline:
                self.stop()  # a failed start leaves nothing behind: no thread keeps reconnecting
                raise TimeoutError(f"{self.name}: no connection after {timeout} s")
        if self._first_error is not None and self._primary is None:
            self.stop()
            raise self._first_error

    def send(self, text: str) -> None:
        """Send a text frame on the primary socket.

        Raises ``websocket.WebSocketConnectionClosedException`` when there is none (reconnecting).
        """
        primary = self._primary
        if primary is None or not primary.connected:
            raise websocket.WebSocketConnectionClosedException("not connected (reconnecting)")
        primary.send(text)

    def read_until(self, session: Session, waiter: ReadWaiter, deadline: float | None) -> bool:
        """Wait until ``waiter.done`` (True) or the monotonic ``deadline`` (False): see
        :meth:`Session.read_until`. The background reader takes the read role back once callers
        leave it idle for ``reader_grace`` seconds."""
        return session.read_until(waiter, deadline)

    def rollover(self, reason: str = "rollover") -> None:
        """Open a replacement socket now, keeping the current one until the replacement is open."""
        with self._lock:
            if self._rollover_reason is None:
                self._rollover_reason = reason
        self._wake.set()

    def retire(self, session: Session) -> None:
        """Close the old socket of a rollover now (the protocol has caught up on the new one)."""
        with self._lock:
            if session is self._primary:
                return
            session.retiring = True
            session.retire_at = time.monotonic()
        self._wake.set()

    def drop(self, reason: str = "dropped by client") -> None:
        """Abort the primary socket, as if the network had failed (a reconnect follows)."""
        primary = self._primary
        if primary is not None:
            primary.abort(reason)

    def stop(self, timeout: float = 5.0) -> None:
        """Close every socket and end every thread of the connection; no reconnect follows.

        Returns once the supervisor, the readers and the retiring threads have ended and every
        socket is shut down (or after ``timeout`` seconds at most). Each socket is closed by its
        own reader thread; ``stop`` sends close frames, waits briefly for the answers, then cuts
        what is left. Safe from any thread, callbacks included (a callback's own thread is not
        waited for), in every state: connecting, connected, reconnecting, rolling over.
        """
        deadline = time.monotonic() + timeout
        first = not self._stopping.is_set()
        self._stopping.set()
        self._wake.set()
        self._loss_reported.set()  # a connect waiting on a lost socket's close goes on (and ends)
        me = threading.current_thread()
        connecting = self._connecting
        if connecting is not None:  # a handshake in progress: cut its socket
            with contextlib.suppress(Exception):
                connecting.sock.shutdown(socket.SHUT_RDWR)
        sessions = self.sessions
        if first:
            for session in sessions:
                session.send_close("client stopped")
        polite = time.monotonic() + min(1.0, timeout / 2)
        for session in sessions:
            if session.reader is not me:
                session.closed.wait(max(0.0, polite - time.monotonic()))
        for session in self.sessions:
            session.abort("client stopped")
        with self._lock:
            supervisor = self._supervisor
        if supervisor is not None and supervisor is not me:
            supervisor.join(max(0.0, deadline - time.monotonic()))
        while True:
            with self._lock:
                threads = [t for t in self._threads if t is not me and t.is_alive()]
            if not threads or time.monotonic() >= deadline:
                break
            for session in self.sessions:  # opened meanwhile (a rollover racing the stop)
                session.abort("client stopped")
            threads[0].join(min(0.1, max(0.0, deadline - time.monotonic())))

    @property
    def threads(self) -> list[threading.Thread]:
        """The threads of this connection still alive (supervisor, readers, retiring closes)."""
        with self._lock:
            alive = [t for t in self._threads if t.is_alive()]
        supervisor = self._supervisor
        if supervisor is not None and supervisor.is_alive():
            alive.append(supervisor)
        return alive

    def _spawn(self, target: Callable[..., Any], name: str, *args: Any) -> threading.Thread:
        """Start a tracked daemon thread (it forgets itself when it ends)."""

        def run() -> None:
            try:
                target(*args)
            finally:
                with self._lock:
                    self._threads.discard(thread)

        thread = threading.Thread(target=run, name=name, daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()
        return thread

    # ------------------------------------------------------------------ internals

    def _emit(self, kind: ConnectionEventKind, session_id: int, url: str, **kw: Any) -> None:
        """Log one :class:`ConnectionEvent` and pass it to ``on_event``."""
        event = ConnectionEvent(kind, session_id, url, **kw)
        event.log(self.name)
        if self._on_event is not None:
            self._call(self._on_event, event)

    def _call(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run a user callback; a failure is reported, never raised."""
        try:
            fn(*args)
        except Exception as exc:
            self._report(f"callback {getattr(fn, '__name__', fn)}", exc)

    def _report(self, what: str, exc: BaseException) -> None:
        """Log a failed callback (call it while handling ``exc``) and pass ``exc`` to ``on_error``."""
        logger.exception("%s: %s failed", self.name, what)
        if self._on_error is not None:
            with contextlib.suppress(Exception):
                self._on_error(exc)

    def _open(self) -> Session:
        """Connect one socket (blocking), run ``on_open`` and start its reader thread."""
        url = self._url() if callable(self._url) else self._url
        ws: Any = websocket.WebSocket(enable_multithread=True, skip_utf8_validation=True)
        self._connecting = ws
        try:
            if self._stopping.is_set():
                raise websocket.WebSocketConnectionClosedException("connection stopped")
            ws.connect(url, timeout=self.connect_timeout, **self._options)
            ws.settimeout(None)
        finally:
            self._connecting = None
        if self._stopping.is_set():
            ws.shutdown()
            raise websocket.WebSocketConnectionClosedException("connection stopped")
        session = Session(
            ws,
            url,
            on_message=self._on_message,
            on_failure=self._report,
            on_end=self._session_ended,
            stopping=self._stopping,
            reader_grace=self.reader_grace,
        )
        with self._lock:
            self._sessions.append(session)
        if self._on_open is not None:
            self._await_loss_reported()
            try:
                self._on_open(session)
            except Exception as exc:
                session.abort(f"on_open failed: {exc!r}")
                session.release()
                with self._lock:
                    if session in self._sessions:
                        self._sessions.remove(session)
                raise
        with self._lock:
            if self._stopping.is_set():  # stop() ran meanwhile and did not see this session
                self._sessions.remove(session)
                session.release()
                raise websocket.WebSocketConnectionClosedException("connection stopped")
            session.reader = self._spawn(session.run_reader, f"{self.name}-reader-{session.id}")
        return session

    def _await_loss_reported(self) -> None:
        """Wait until the ``on_close`` of a lost primary has returned, so the protocol on top
        learns of a loss before the replacement opens (else it would take the new socket for a
        first one and never report the gap). The close runs on the lost socket's reader thread,
        which a loaded machine or a slow callback can delay. Bounded; ``stop`` ends it at once."""
        if not self._loss_reported.wait(_LOSS_REPORT_WAIT):
            logger.warning("%s: the lost socket's close is still being handled; opening anyway", self.name)

    def _session_ended(self, session: Session, code: int | None, reason: str | None) -> None:
        """A socket is gone (its reader thread ends): report it and wake the supervisor."""
        with self._lock:
            if session in self._sessions:
                self._sessions.remove(session)
            was_primary = session is self._primary
            if was_primary:
                self._primary = None
                self._lost_at = time.monotonic()
                self._loss_reported.clear()
        try:
            if self._on_close is not None:
                self._call(self._on_close, session, code, reason or session.close_reason)
        finally:
            if was_primary:
                self._loss_reported.set()
        if self._stopping.is_set():
            return
        if was_primary:
            self._emit("disconnected", session.id, session.url, reason=session.close_reason)
        elif session.retiring:
            self._emit("retired", session.id, session.url, reason=session.close_reason)
        self._wake.set()

    def _promote(self, session: Session) -> tuple[Session | None, float | None]:
        """Make ``session`` the primary. Returns the previous primary, now retiring after
        ``overlap_timeout``, and the time spent without a primary (None without an outage).

        Raises ``WebSocketConnectionClosedException`` when ``session`` has already ended: its
        reader starts before the promotion and may see the server's close first (a socket
        closed as soon as it opened). A dead socket never becomes the primary; the caller
        counts it as a failed attempt."""
        with self._lock:
            if session not in self._sessions:
                raise websocket.WebSocketConnectionClosedException(
                    f"closed as soon as it opened: {session.close_reason}"
                )
            old, self._primary = self._primary, session
            self._rollover_reason = None
            if old is not None:
                old.retiring = True
                old.retire_at = time.monotonic() + self.overlap_timeout
            lost_at, self._lost_at = self._lost_at, None
        return old, None if lost_at is None else time.monotonic() - lost_at

    def _supervise(self) -> None:
        """The supervisor thread: (re)connect while there is no primary, else tick."""
        attempt = 0  # attempts since the last loss (for max_attempts and the events)
        step = 0  # the backoff step of the next failed attempt
        streak = 0  # losses in a row, each soon after its connection opened
        promoted_at = time.monotonic()
        ever_connected = False
        try:
            while not self._stopping.is_set():
                if self._primary is None:
                    if ever_connected and not self.reconnect_policy.enabled:
                        self._emit("gave_up", 0, "", reason="reconnect disabled")
                        break
                    if ever_connected and attempt == 0:
                        # the first reconnect after a loss waits a short jittered delay too, so
                        # many clients cut at once do not all come back in the same millisecond;
                        # a connection that did not last keeps the backoff growing
                        policy = self.reconnect_policy
                        if time.monotonic() - promoted_at >= policy.reset_after:
                            streak = 0
                        delay = policy.delay(streak)
                        streak += 1
                        attempt = 1
                        step = streak  # a failed attempt after it keeps doubling from there
                        self._emit("reconnecting", 0, "", reason="connection lost", attempt=attempt, delay=delay)
                        if self._stopping.wait(delay):
                            break
                    try:
                        session = self._open()
                        downtime = self._promote(session)[1]
                    except Exception as exc:
                        if not ever_connected:
                            self._first_error = exc
                        policy = self.reconnect_policy
                        if not policy.enabled or (
                            policy.max_attempts is not None and attempt >= policy.max_attempts
                        ):
                            self._emit("gave_up", 0, "", reason=repr(exc), attempt=attempt)
                            break
                        delay = policy.delay(step)
                        step += 1
                        attempt += 1
                        self._emit("reconnecting", 0, "", reason=repr(exc), attempt=attempt, delay=delay)
                        if self._stopping.wait(delay):
                            break
                        continue
                    promoted_at = time.monotonic()
                    if ever_connected:
                        self._emit("reconnected", session.id, session.url, attempt=attempt, downtime=downtime)
                    else:
                        ever_connected = True
                        self._first_error = None
                        self._first_open.set()
                        self._emit("connected", session.id, session.url)
                    attempt = 0
                    continue

                self._tick()
                self._wake.wait(self._tick_interval())
                self._wake.clear()
        finally:
            self._stopping.set()
            for session in self.sessions:
                session.abort("client stopped")
            self._emit("stopped", 0, "")

    def _tick_interval(self) -> float:
        interval = 1.0
        if self.watchdog_timeout:
            interval = min(interval, self.watchdog_timeout / 4)
        return max(0.02, min(interval, self.overlap_timeout / 4 if self.overlap_timeout else interval))

    def _tick(self) -> None:
        """Watchdog, retiring old sockets, and rollover when requested or at ``max_lifetime``."""
        now = time.monotonic()
        primary = self._primary
        # watchdog
        if self.watchdog_timeout:
            for session in self.sessions:
                if session.connected and now - session.last_activity > self.watchdog_timeout:
                    why = f"no data and no ping for {now - session.last_activity:.1f}s"
                    self._emit("stalled", session.id, session.url, reason=why)
                    session.abort(f"stalled: {why}")
        # retire old sockets of a rollover
        for session in self.sessions:
            retire_at = session.retire_at
            if session is not primary and session.retiring and retire_at is not None and now >= retire_at:
                session.retire_at = None
                if session.connected:
                    self._spawn(session.close, f"{self.name}-retire", "rolled over")
        # rollover: requested, or the socket is near Binance's 24-hour limit
        if primary is None or not primary.connected:
            return
        reason: str | None = self._rollover_reason
        if reason is None and self.max_lifetime is not None and now - primary.opened_at >= self.max_lifetime:
            reason = "max lifetime reached"
        if reason is None:
            return
        if any(session is not primary for session in self.sessions):
            # one rollover at a time: the old socket of the previous one is still open (its reader
            # may still deliver). A third socket would make the protocol on top switch twice
            # while the oldest still delivers. The wait is bounded; the old socket's end wakes
            # the supervisor.
            since = self._rollover_waiting_since
            if since is None:
                since = self._rollover_waiting_since = now
            if now - since < self.overlap_timeout + _ROLLOVER_WAIT_GRACE:
                return
            logger.warning("%s: the previous rollover has not ended; rolling over anyway", self.name)
        self._rollover_waiting_since = None
        try:
            new = self._open()
            old, downtime = self._promote(new)
        except Exception as exc:
            logger.warning("%s: rollover connect failed (%r); keeping the current socket", self.name, exc)
            self._stopping.wait(self.reconnect_policy.delay(0))
            return
        if old is None:  # the old socket died while the replacement was connecting
            self._emit("reconnected", new.id, new.url, reason=reason, downtime=downtime)
        else:
            self._emit("rollover", new.id, new.url, reason=reason)
