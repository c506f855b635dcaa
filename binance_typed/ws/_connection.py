"""A generic, self-healing WebSocket connection on top of ``websocket-client``.

Shared by the market stream client and the WebSocket API client. It knows nothing about Binance
payloads: it moves text frames, keeps the socket alive and reconnects. The protocol on top plugs in
through three callbacks, each told which :class:`Session` (physical socket) it concerns::

    conn = WebSocketConnection(
        url,                                   # str, or a callable returning the URL of each attempt
        on_open=lambda session: ...,           # a socket is open: (re)authenticate, (re)subscribe
        on_message=lambda session, text: ...,  # one text frame, in the reader thread of that socket
        on_close=lambda session, code, reason: ...,
        on_event=lambda event: ...,            # a ConnectionEvent for every (dis)connect, stall, rollover
        watchdog_timeout=30.0,
        reconnect=ReconnectPolicy(initial_delay=0.5, max_delay=30.0),
    )
    conn.start()               # connects (blocks until the first socket is open, or raises)
    conn.send('{"method": "LIST_SUBSCRIPTIONS", "id": 1}')
    conn.stop()

What it does:

* **pings**: every ping frame is answered at once with a pong carrying the same payload.
* **watchdog**: a socket on which neither data nor a ping arrived for ``watchdog_timeout`` seconds
  is considered stalled: it is aborted and replaced (``kind="stalled"``, then a reconnect).
* **reconnect**: a lost primary socket is replaced after an exponential backoff with jitter
  (:class:`ReconnectPolicy`); ``on_open`` runs again on the new socket so the protocol can restore
  its state (subscriptions, session logon).
* **rollover without loss**: :meth:`WebSocketConnection.rollover` (called by the protocol on a
  ``serverShutdown`` event, and automatically when a socket reaches ``max_lifetime``, i.e. before
  Binance's 24-hour cut) opens the new socket *before* the old one is closed. The new one becomes
  the primary (``send`` goes there) while the old one keeps delivering for ``overlap_timeout``
  seconds, or until the protocol calls :meth:`WebSocketConnection.retire`. Messages of both sockets
  reach ``on_message`` during the overlap: the protocol deduplicates them.
* **reporting**: every transition is passed to ``on_event`` and logged on the ``binance_typed``
  logger (warnings for unexpected disconnects and stalls, info for the rest).

Threads: one supervisor thread (connects, reconnects, runs the watchdog and timers) and one reader
thread per open socket. Callbacks run in those threads; keep them short, or hand work to a queue.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import random
import select
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import urlparse

import websocket

from ._frames import OP_BINARY, OP_CLOSE, OP_PING, OP_TEXT, FrameReader, text_frame

__all__ = [
    "ConnectionEvent",
    "ConnectionEventKind",
    "ReconnectPolicy",
    "ReadWaiter",
    "Session",
    "WebSocketConnection",
    "proxy_options",
]

logger = logging.getLogger("binance_typed")


ConnectionEventKind = Literal[
    "connected",
    "disconnected",
    "stalled",
    "reconnecting",
    "reconnected",
    "rollover",
    "retired",
    "gave_up",
    "stopped",
]


@dataclass(frozen=True)
class ReconnectPolicy:
    """Exponential backoff with jitter between reconnect attempts.

    The n-th consecutive failed attempt waits ``min(max_delay, initial_delay * multiplier**n)``
    seconds, spread by ``±jitter`` (a fraction) so many clients do not reconnect in lockstep.
    ``max_attempts=None`` retries forever; ``enabled=False`` never reconnects.
    """

    initial_delay: float = 0.5
    max_delay: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.25
    max_attempts: int | None = None
    enabled: bool = True

    def delay(self, attempt: int) -> float:
        """Seconds to wait before attempt number ``attempt`` (0 = the first reconnect)."""
        base = min(self.max_delay, self.initial_delay * (self.multiplier ** max(0, attempt)))
        if self.jitter:
            base *= 1.0 + random.uniform(-self.jitter, self.jitter)
        return max(0.0, base)


@dataclass(frozen=True)
class ConnectionEvent:
    """One transition of a :class:`WebSocketConnection`, passed to ``on_event`` and logged.

    ``kind`` is one of ``connected`` (first socket open), ``disconnected`` (the primary socket was
    lost), ``stalled`` (the watchdog aborted a silent socket), ``reconnecting`` (waiting ``delay``
    seconds before attempt ``attempt``), ``reconnected`` (a replacement is open; ``downtime`` is the
    time without a primary socket), ``rollover`` (a replacement was opened while the old socket was
    still alive), ``retired`` (the old socket of a rollover was closed), ``gave_up`` and ``stopped``.
    """

    kind: ConnectionEventKind
    session_id: int
    url: str
    reason: str | None = None
    attempt: int = 0
    delay: float | None = None
    downtime: float | None = None
    at: float = field(default_factory=time.time)
    """Wall-clock time of the transition (``time.time()``)."""


def proxy_options(proxies: Mapping[str, str] | None) -> dict[str, Any]:
    """Translate a connector-style ``{"https": "http://user:pw@host:port"}`` dict for websocket-client.

    The ``https`` entry wins, then ``http``; ``socks5://``/``socks4://`` URLs select a SOCKS proxy.
    """
    if not proxies:
        return {}
    url = proxies.get("https") or proxies.get("wss") or proxies.get("http") or proxies.get("ws")
    if not url:
        return {}
    parsed = urlparse(url if "://" in url else f"http://{url}")
    scheme = parsed.scheme or "http"
    options: dict[str, Any] = {
        "http_proxy_host": parsed.hostname,
        "http_proxy_port": parsed.port or (1080 if scheme.startswith("socks") else 8080),
        "proxy_type": scheme if scheme in ("http", "socks4", "socks4a", "socks5", "socks5h") else "http",
    }
    if parsed.username:
        options["http_proxy_auth"] = (parsed.username, parsed.password or "")
    return options


_session_ids = itertools.count(1)

_BACKGROUND = object()
"""The read role's holder while the background reader thread of the session reads."""


class ReadWaiter(Protocol):
    """What :meth:`WebSocketConnection.read_until` waits for: ``done`` turns True, then ``lock`` is
    released. ``lock`` is held by the waiter while it waits and may also be released to hand it
    the read role (a spurious wake-up as far as ``done`` is concerned): waiters always re-check."""

    @property
    def done(self) -> bool: ...

    @property
    def lock(self) -> threading.Lock: ...


def wake(lock: threading.Lock) -> None:
    """Release ``lock`` unless already released (wake-ups of a :class:`ReadWaiter` may coincide)."""
    with contextlib.suppress(RuntimeError):
        lock.release()


class Session:
    """One physical WebSocket connection of a :class:`WebSocketConnection`.

    Exactly one thread at a time holds the session's *read role* and reads its frames: the
    session's background reader thread, or a caller of :meth:`WebSocketConnection.read_until`
    (a blocking request waiting for its response reads the socket itself, so no thread hand-off
    sits between the response and the caller). The holder dispatches every frame it reads.
    """

    def __init__(self, ws: Any, url: str) -> None:
        self.id: int = next(_session_ids)
        self.url = url
        self._ws = ws
        self._sock: Any = ws.sock
        self._frames = FrameReader(ws.sock)
        self.opened_at = time.monotonic()
        self.last_activity = self.opened_at
        """Monotonic time of the last data frame or ping received (read by the watchdog)."""
        self.last_data: float | None = None
        """Wall-clock time (``time.time()``) of the last data frame, None before the first."""
        self.messages = 0
        self.closed = threading.Event()
        self.close_reason: str | None = None
        self.retiring = False
        self.retire_at: float | None = None
        self._send_lock: Any = ws.lock
        """websocket-client's own send lock: its pongs and close frames never interleave with ours."""
        # the read role (see the class docstring), guarded by _role
        self._role = threading.Condition(threading.Lock())
        self._holder: object | None = None
        self._holder_thread: int | None = None
        self._waiters: dict[ReadWaiter, None] = {}
        self._released_at = float("-inf")
        self._poked = False
        self._ended: tuple[int | None, str | None] | None = None
        """Set when a caller reading the socket met its end (close frame or error)."""
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)

    @property
    def connected(self) -> bool:
        return not self.closed.is_set()

    def send(self, text: str) -> None:
        """Send one text frame; raises ``websocket.WebSocketConnectionClosedException`` if closed."""
        frame = text_frame(text)
        ws = self._ws
        with self._send_lock:
            sock = ws.sock
            if sock is None:
                raise websocket.WebSocketConnectionClosedException("socket is already closed.")
            sock.sendall(frame)

    def abort(self, reason: str) -> None:
        """Cut the socket at once (wakes up whoever reads it)."""
        if self.close_reason is None:
            self.close_reason = reason
        with contextlib.suppress(Exception):
            self._ws.abort()
        with contextlib.suppress(Exception):
            self._ws.shutdown()
        self._nudge()

    def close(self, reason: str = "closed by client", timeout: float = 2.0) -> None:
        """Close politely (close frame), falling back to an abort after ``timeout`` seconds."""
        if self.close_reason is None:
            self.close_reason = reason
        try:
            self._ws.send_close(reason=reason.encode()[:120])
        except Exception:
            self.abort(reason)
            return
        self._nudge()
        if not self.closed.wait(timeout):
            self.abort(reason)

    def _nudge(self) -> None:
        """Have the background reader take the read role now (a close reply or an EOF to read)."""
        with self._role:
            self._role.notify_all()

    def _poke(self) -> None:
        """Interrupt the background reader's wait for data (it then hands the role over)."""
        with contextlib.suppress(OSError):
            self._wake_w.send(b"\0")

    def __repr__(self) -> str:
        return f"Session(id={self.id}, url={self.url!r}, connected={self.connected})"


class WebSocketConnection:
    """A WebSocket connection that reconnects, watches for stalls and rolls over without loss.

    Args:
        url: the URL, or a callable returning it (called for every attempt, so the protocol can put
            its current subscriptions in the URL).
        on_open: called with the new :class:`Session` once it is open, before its first message is
            read; a failure here (exception) closes that socket and counts as a failed attempt.
        on_message: called with the session and each text frame, in that session's reader thread.
        on_close: called when a socket is gone, with the close code and reason when known.
        on_event: called with a :class:`ConnectionEvent` for every transition.
        on_error: called with exceptions raised by the callbacks or the socket.
        watchdog_timeout: seconds without data and without ping before a socket is declared stalled
            (None switches the watchdog off). Binance pings every 20 s, so 30-60 s is safe.
        reconnect: the :class:`ReconnectPolicy`.
        max_lifetime: seconds after which a socket is rolled over (Binance cuts at 24 h);
            None disables it.
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
        self._supervisor: threading.Thread | None = None
        self._first_open = threading.Event()
        self._first_error: BaseException | None = None

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
        primary = self._primary
        return primary is not None and primary.connected

    @property
    def running(self) -> bool:
        return self._supervisor is not None and not self._stopping.is_set()

    def start(self, wait: bool = True, timeout: float | None = None) -> None:
        """Start the supervisor thread; with ``wait``, block until the first socket is open.

        Raises the connection error when the first attempt fails and reconnecting is disabled or
        gives up, and ``TimeoutError`` when ``timeout`` elapses first.
        """
        if self._supervisor is not None:
            raise RuntimeError("connection already started")
        self._supervisor = threading.Thread(
            target=self._supervise, name=f"{self.name}-supervisor", daemon=True
        )
        self._supervisor.start()
        if not wait:
            return
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._first_open.wait(0.05):
            if self._first_error is not None and not self._supervisor.is_alive():
                raise self._first_error
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: no connection after {timeout} s")
        if self._first_error is not None and self._primary is None:
            raise self._first_error

    def send(self, text: str) -> None:
        """Send a text frame on the primary socket.

        Raises ``websocket.WebSocketConnectionClosedException`` when there is none (reconnecting).
        """
        primary = self._primary
        if primary is None or not primary.connected:
            raise websocket.WebSocketConnectionClosedException("not connected (reconnecting)")
        primary.send(text)

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
        """Close every socket and stop the threads; no reconnect follows."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._wake.set()
        for session in self.sessions:
            session.close("client stopped", timeout=min(timeout, 1.0))
        supervisor = self._supervisor
        if supervisor is not None and supervisor is not threading.current_thread():
            supervisor.join(timeout)

    # ------------------------------------------------------------------ internals

    def _emit(self, kind: ConnectionEventKind, session_id: int, url: str, **kw: Any) -> None:
        event = ConnectionEvent(kind, session_id, url, **kw)
        level = logging.WARNING if kind in ("disconnected", "stalled", "gave_up") else logging.INFO
        logger.log(
            level,
            "%s: %s (session %s%s%s%s)",
            self.name,
            kind,
            session_id,
            f", {event.reason}" if event.reason else "",
            f", retry in {event.delay:.2f}s" if event.delay is not None else "",
            f", down {event.downtime:.3f}s" if event.downtime is not None else "",
        )
        if self._on_event is not None:
            self._call(self._on_event, event)

    def _call(self, fn: Callable[..., Any], *args: Any) -> bool:
        try:
            fn(*args)
            return True
        except Exception as exc:
            logger.exception("%s: callback %s failed", self.name, getattr(fn, "__name__", fn))
            if self._on_error is not None:
                with contextlib.suppress(Exception):
                    self._on_error(exc)
            return False

    def _resolve_url(self) -> str:
        return self._url() if callable(self._url) else self._url

    def _open(self) -> Session:
        """Connect one socket (blocking), run ``on_open`` and start its reader thread."""
        url = self._resolve_url()
        ws: Any = websocket.WebSocket(enable_multithread=True, skip_utf8_validation=True)
        ws.connect(url, timeout=self.connect_timeout, **self._options)
        ws.settimeout(None)
        session = Session(ws, url)
        with self._lock:
            self._sessions.append(session)
        if self._on_open is not None:
            try:
                self._on_open(session)
            except Exception as exc:
                session.abort(f"on_open failed: {exc!r}")
                with self._lock:
                    if session in self._sessions:
                        self._sessions.remove(session)
                raise
        reader = threading.Thread(
            target=self._read, args=(session, ws), name=f"{self.name}-reader-{session.id}", daemon=True
        )
        reader.start()
        return session

    def read_until(self, session: Session, waiter: ReadWaiter, deadline: float | None) -> bool:
        """Wait until ``waiter.done`` (True) or the monotonic ``deadline`` (False).

        While no other thread reads ``session``, the calling thread takes the read role and reads
        and dispatches frames itself (``on_message``, pings, close) until its own answer is among
        them: the caller's response reaches it without a thread hand-off. Otherwise it sleeps on
        ``waiter.lock``, woken when its answer was dispatched or when the read role is handed to
        it. The background reader takes the role back once callers leave it idle for
        ``reader_grace`` seconds. Safe to call from a callback running in a reader (nested).
        """
        me = threading.get_ident()
        if session._holder_thread == me:  # a callback of this thread's read loop is waiting
            self._pump(session, waiter, deadline)
            return waiter.done
        role = session._role
        lock = waiter.lock
        try:
            while True:
                poke = read = False
                with role:
                    if waiter.done:
                        return True
                    holder = session._holder
                    if session._ended is not None or session.closed.is_set():
                        session._waiters.pop(waiter, None)  # its end fails the waiter: just wait
                        if holder is waiter:
                            self._pass_role(session)
                    elif holder is None or holder is waiter:
                        session._holder = waiter
                        session._holder_thread = me
                        session._waiters.pop(waiter, None)
                        read = True
                    else:
                        session._waiters[waiter] = None
                        if holder is _BACKGROUND and not session._poked:
                            session._poked = poke = True
                if read:
                    self._pump(session, waiter, deadline)
                    if waiter.done:
                        return True
                else:
                    if poke:
                        session._poke()
                    if deadline is None:
                        lock.acquire()
                    else:
                        remaining = deadline - time.monotonic()
                        if remaining > 0:
                            lock.acquire(timeout=remaining)
                if deadline is not None and time.monotonic() >= deadline and not waiter.done:
                    return False
        finally:
            with role:
                session._waiters.pop(waiter, None)
                if session._holder is waiter:
                    self._pass_role(session)

    @staticmethod
    def _pass_role(session: Session) -> None:
        """Give up the read role (caller holds ``session._role``): to a waiter, else leave it free."""
        session._holder = session._holder_thread = None
        waiters = session._waiters
        while waiters:
            waiter = next(iter(waiters))
            del waiters[waiter]
            if not waiter.done:
                session._holder = waiter
                wake(waiter.lock)
                return
        session._released_at = time.monotonic()

    def _pump(self, session: Session, waiter: ReadWaiter, deadline: float | None) -> None:
        """Read and dispatch frames in the calling thread (holding the role) until ``waiter.done``."""
        sock = (session._sock,)

        def readable() -> bool:
            timeout = None if deadline is None else deadline - time.monotonic()
            return (timeout is None or timeout > 0) and bool(select.select(sock, (), (), timeout)[0])

        try:
            end = self._read_frames(session, lambda: waiter.done, readable)
        except Exception as exc:
            end = (None, self._failure(session, exc))
        if end is not None:
            self._reader_met_end(session, end)

    def _read_frames(
        self, session: Session, enough: Callable[[], bool], readable: Callable[[], bool]
    ) -> tuple[int | None, str | None] | None:
        """Read and dispatch frames until ``enough()``, or ``readable()`` says to stop waiting for
        data (None), or a close frame (its code and reason)."""
        frames = session._frames
        while not enough():
            message = frames.next()
            if message is None:
                if not frames.tls_pending() and not readable():
                    return None
                frames.fill()
                continue
            end = self._handle_frame(session, *message)
            if end is not None:
                return end
        return None

    def _reader_met_end(self, session: Session, end: tuple[int | None, str | None]) -> None:
        """A caller reading ``session`` met its end: the background reader winds it up."""
        with session._role:
            if session._ended is None:
                session._ended = end
            session._role.notify_all()

    def _failure(self, session: Session, exc: BaseException) -> str | None:
        if session.close_reason is None and not self._stopping.is_set():
            return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return None

    def _handle_frame(
        self, session: Session, opcode: int, payload: bytes
    ) -> tuple[int | None, str | None] | None:
        """Dispatch one message, answer a ping; returns ``(code, reason)`` for a close frame."""
        session.last_activity = time.monotonic()
        if opcode in (OP_TEXT, OP_BINARY):
            session.last_data = time.time()
            session.messages += 1
            on_message = self._on_message
            if on_message is not None:
                text = payload.decode("utf-8")
                try:
                    on_message(session, text)
                except Exception as exc:
                    logger.exception("%s: on_message failed", self.name)
                    if self._on_error is not None:
                        with contextlib.suppress(Exception):
                            self._on_error(exc)
        elif opcode == OP_PING:
            session._ws.pong(payload)
        elif opcode == OP_CLOSE:
            with contextlib.suppress(Exception):
                session._ws.send_close()
            if len(payload) >= 2:
                return int.from_bytes(payload[:2], "big"), payload[2:].decode("utf-8", "replace") or None
            return None, None
        return None

    def _take_role(self, session: Session) -> bool:
        """Background reader: wait until the read role is free (and idle), then take it.

        False when a caller reading the socket met its end meanwhile.
        """
        role = session._role
        grace = self.reader_grace
        with role:
            while session._ended is None:
                if session._holder is None:
                    idle = time.monotonic() - session._released_at
                    if idle >= grace or session.close_reason is not None:
                        session._holder = _BACKGROUND
                        session._holder_thread = threading.get_ident()
                        return True
                    role.wait(grace - idle)
                else:
                    role.wait(grace)  # a caller reads; look again later
            return False

    def _read_background(self, session: Session) -> tuple[int | None, str | None] | None:
        """Background reader holding the role: read until a caller wants it (None) or the end."""
        sock, wake_r = session._sock, session._wake_r
        watch = (sock, wake_r)
        waiters = session._waiters

        def readable() -> bool:  # the socket has data (True), or a caller asks for the role (False)
            while True:
                ready = select.select(watch, (), ())[0]
                if wake_r in ready:
                    with contextlib.suppress(OSError):
                        wake_r.recv(4096)
                    with session._role:
                        session._poked = False
                    if waiters:
                        return False
                if sock in ready:
                    return True

        return self._read_frames(session, lambda: bool(waiters), readable)

    def _read(self, session: Session, ws: Any) -> None:
        code: int | None = None
        reason: str | None = None
        try:
            while self._take_role(session):
                try:
                    end = self._read_background(session)
                finally:
                    with session._role:
                        if session._holder is _BACKGROUND:
                            self._pass_role(session)
                if end is not None:
                    code, reason = end
                    break
            else:
                assert session._ended is not None
                code, reason = session._ended
        except Exception as exc:
            reason = self._failure(session, exc)
        finally:
            with contextlib.suppress(Exception):
                ws.shutdown()
            with contextlib.suppress(Exception):
                session._wake_r.close()
                session._wake_w.close()
            if session.close_reason is None:
                session.close_reason = reason or (f"closed by server (code {code})" if code else "closed")
            session.closed.set()
            self._session_ended(session, code, reason)

    def _session_ended(self, session: Session, code: int | None, reason: str | None) -> None:
        with self._lock:
            if session in self._sessions:
                self._sessions.remove(session)
            was_primary = session is self._primary
            if was_primary:
                self._primary = None
                self._lost_at = time.monotonic()
        if self._on_close is not None:
            self._call(self._on_close, session, code, reason or session.close_reason)
        if self._stopping.is_set():
            return
        if was_primary:
            self._emit("disconnected", session.id, session.url, reason=session.close_reason)
        elif session.retiring:
            self._emit("retired", session.id, session.url, reason=session.close_reason)
        self._wake.set()

    def _wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, waking early on stop; True when stopping."""
        return self._stopping.wait(seconds)

    def _supervise(self) -> None:
        attempt = 0
        ever_connected = False
        try:
            while not self._stopping.is_set():
                if self._primary is None:
                    if ever_connected and not self.reconnect_policy.enabled:
                        self._emit("gave_up", 0, "", reason="reconnect disabled")
                        break
                    try:
                        session = self._open()
                    except Exception as exc:
                        if not ever_connected:
                            self._first_error = exc
                        policy = self.reconnect_policy
                        if not policy.enabled or (
                            policy.max_attempts is not None and attempt >= policy.max_attempts
                        ):
                            self._emit("gave_up", 0, "", reason=repr(exc), attempt=attempt)
                            break
                        delay = policy.delay(attempt)
                        attempt += 1
                        self._emit("reconnecting", 0, "", reason=repr(exc), attempt=attempt, delay=delay)
                        if self._wait(delay):
                            break
                        continue
                    with self._lock:
                        self._primary = session
                        lost_at, self._lost_at = self._lost_at, None
                        self._rollover_reason = None
                    if ever_connected:
                        downtime = None if lost_at is None else time.monotonic() - lost_at
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
                    threading.Thread(
                        target=session.close, args=("rolled over",), name=f"{self.name}-retire", daemon=True
                    ).start()
        # rollover: requested, or the socket is near Binance's 24-hour limit
        if primary is None or not primary.connected:
            return
        reason: str | None = self._rollover_reason
        if reason is None and self.max_lifetime is not None and now - primary.opened_at >= self.max_lifetime:
            reason = "max lifetime reached"
        if reason is None:
            return
        try:
            new = self._open()
        except Exception as exc:
            logger.warning("%s: rollover connect failed (%r); keeping the current socket", self.name, exc)
            self._wait(self.reconnect_policy.delay(0))
            return
        with self._lock:
            old = self._primary
            self._primary = new
            self._rollover_reason = None
            if old is not None:
                old.retiring = True
                old.retire_at = time.monotonic() + self.overlap_timeout
            lost_at, self._lost_at = self._lost_at, None
        if old is None:  # the old socket died while the replacement was connecting
            downtime = None if lost_at is None else time.monotonic() - lost_at
            self._emit("reconnected", new.id, new.url, reason=reason, downtime=downtime)
        else:
            self._emit("rollover", new.id, new.url, reason=reason)
