"""One physical WebSocket of a :class:`~binance_typed.ws._connection.WebSocketConnection`.

A :class:`Session` owns its socket's frames. Exactly one thread at a time holds its *read role*
and reads: the session's background reader thread, or a caller of :meth:`Session.read_until` (a
blocking request waiting for its response reads the socket itself, so no thread hand-off sits
between the response and the caller). Whoever holds the role dispatches every frame it reads:
text to ``on_message``, pings answered with a pong, a close frame ending the session. A caller
that wants the role while the background reader waits for data interrupts that wait through a
socket pair (:meth:`Session._poke`).
"""

from __future__ import annotations

import contextlib
import itertools
import select
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import websocket

from ._frames import OP_BINARY, OP_CLOSE, OP_PING, OP_TEXT, FrameReader, close_frame, text_frame

__all__ = ["ReadWaiter", "Session", "wake"]

_session_ids = itertools.count(1)

_BACKGROUND = object()
"""The read role's holder while the background reader thread of the session reads."""

End = tuple[int | None, str | None]
"""How a socket ended: the close code and reason, when known."""


class ReadWaiter(Protocol):
    """What :meth:`Session.read_until` waits for: ``done`` turns True, then ``lock`` is released.

    ``lock`` is held by the waiter while it waits and may also be released to hand it the read
    role (a spurious wake-up as far as ``done`` is concerned): waiters always re-check.
    """

    @property
    def done(self) -> bool: ...

    @property
    def lock(self) -> threading.Lock: ...


def wake(lock: threading.Lock) -> None:
    """Release ``lock`` unless already released (wake-ups of a :class:`ReadWaiter` may coincide)."""
    with contextlib.suppress(RuntimeError):
        lock.release()


class Session:
    """One open socket: sends text frames, shares its read role, runs its background reader.

    Args:
        ws: the connected ``websocket.WebSocket``.
        url: the URL it was opened with.
        on_message: called with the session and each text frame, by the read role's holder.
        on_failure: called with a label and the exception when ``on_message`` raises.
        on_end: called once the socket is gone, with the close code and reason when known.
        stopping: set when the owning connection stops (failures then carry no reason).
        reader_grace: after a :meth:`read_until` caller gave up the read role, how long the
            background reader leaves it free for the next caller before reading itself.
    """

    def __init__(
        self,
        ws: Any,
        url: str,
        *,
        on_message: Callable[[Session, str], None] | None,
        on_failure: Callable[[str, BaseException], None],
        on_end: Callable[[Session, int | None, str | None], None],
        stopping: threading.Event,
        reader_grace: float,
    ) -> None:
        self.id: int = next(_session_ids)
        self.url = url
        self._ws = ws
        self._sock: Any = ws.sock
        self._frames = FrameReader(ws.sock)
        self._on_message = on_message
        self._on_failure = on_failure
        self._on_end = on_end
        self._stopping = stopping
        self._reader_grace = reader_grace
        self.opened_at = time.monotonic()
        self.last_activity = self.opened_at
        """Monotonic time of the last data frame or ping received (read by the watchdog)."""
        self.closed = threading.Event()
        self.close_reason: str | None = None
        self.retiring = False
        self.retire_at: float | None = None
        self.reader: threading.Thread | None = None
        """The background reader thread (set once started)."""
        self._send_lock: Any = ws.lock
        """websocket-client's own send lock: its pongs and close frames never interleave with ours."""
        # the read role (see the module docstring), guarded by _role
        self._role = threading.Condition(threading.Lock())
        self._holder: object | None = None
        self._holder_thread: int | None = None
        self._waiters: dict[ReadWaiter, None] = {}
        self._released_at = float("-inf")
        self._poked = False
        self._ended: End | None = None
        """Set when a caller reading the socket met its end (close frame or error)."""
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)

    @property
    def connected(self) -> bool:
        return not self.closed.is_set()

    @property
    def usable(self) -> bool:
        """Open and not being closed or aborted: a request sent now may get its answer."""
        return self.close_reason is None and not self.closed.is_set()

    @property
    def ending(self) -> bool:
        """Aborted or closing, or its end already read, while its reader has not finished."""
        return not self.closed.is_set() and (self.close_reason is not None or self._ended is not None)

    def read_by_current_thread(self) -> bool:
        """Whether the calling thread holds the read role (a callback of this session runs)."""
        return self._holder_thread == threading.get_ident()

    def send(self, text: str) -> None:
        """Send one text frame; raises ``websocket.WebSocketConnectionClosedException`` if closed."""
        frame = text_frame(text)
        ws = self._ws
        with self._send_lock:
            if ws.sock is None or self.close_reason is not None:
                raise websocket.WebSocketConnectionClosedException("socket is already closed.")
            self._sock.sendall(frame)

    def abort(self, reason: str) -> None:
        """Cut the socket at once: shut it down for both directions, which wakes whoever waits
        on it (``select`` sees the end of file). Any thread may call it, any number of times.

        Only the session's reader closes the file descriptor (when its thread ends, or
        :meth:`release` when no reader ever started): closing a descriptor another thread is
        blocked on in ``select`` would not wake that thread, and websocket-client's own
        ``abort`` does nothing once a close frame was sent.
        """
        if self.close_reason is None:
            self.close_reason = reason
        with contextlib.suppress(Exception):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._poke()
        self._nudge()

    def close(self, reason: str = "closed by client", timeout: float = 2.0) -> None:
        """Close politely (close frame), falling back to an abort after ``timeout`` seconds."""
        if self.close_reason is None:
            self.close_reason = reason
        self.send_close(reason)
        if not self.closed.wait(timeout):
            self.abort(reason)

    def send_close(self, reason: str) -> None:
        """Send a close frame without waiting for the answer (an abort when it cannot be sent)."""
        if self.close_reason is None:
            self.close_reason = reason
        try:
            with self._send_lock:
                self._sock.sendall(close_frame(1000, reason.encode()[:120]))
        except Exception:
            self.abort(reason)
            return
        self._nudge()

    def release(self) -> None:
        """Close the socket and the wake-up pair of a session whose reader never started."""
        self.abort(self.close_reason or "released")
        self._dispose()
        self.closed.set()

    def _dispose(self) -> None:
        """Close the file descriptors (the reader's last act, or :meth:`release`)."""
        with contextlib.suppress(Exception):
            self._ws.shutdown()
        with contextlib.suppress(Exception):
            self._sock.close()
        with contextlib.suppress(Exception):
            self._wake_r.close()
        with contextlib.suppress(Exception):
            self._wake_w.close()

    def __repr__(self) -> str:
        return f"Session(id={self.id}, url={self.url!r}, connected={self.connected})"

    # ------------------------------------------------------------------ a caller reads

    def read_until(self, waiter: ReadWaiter, deadline: float | None) -> bool:
        """Wait until ``waiter.done`` (True) or the monotonic ``deadline`` (False).

        While no other thread reads, the calling thread takes the read role and reads and
        dispatches frames itself until its own answer is among them. Otherwise it sleeps on
        ``waiter.lock``, woken when its answer was dispatched or when the read role is handed to
        it. Safe to call from a callback running in a reader (nested).
        """
        me = threading.get_ident()
        if self._holder_thread == me:  # a callback of this thread's read loop is waiting
            self._pump(waiter, deadline)
            return waiter.done
        role = self._role
        lock = waiter.lock
        try:
            while True:
                poke = read = False
                with role:
                    if waiter.done:
                        return True
                    holder = self._holder
                    if self._ended is not None or self.closed.is_set():
                        self._waiters.pop(waiter, None)  # its end fails the waiter: just wait
                        if holder is waiter:
                            self._pass_role()
                    elif holder is None or holder is waiter:
                        self._holder = waiter
                        self._holder_thread = me
                        self._waiters.pop(waiter, None)
                        read = True
                    else:
                        self._waiters[waiter] = None
                        if holder is _BACKGROUND and not self._poked:
                            self._poked = poke = True
                if read:
                    self._pump(waiter, deadline)
                    if waiter.done:
                        return True
                else:
                    if poke:
                        self._poke()
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
                self._waiters.pop(waiter, None)
                if self._holder is waiter:
                    self._pass_role()

    def _pass_role(self) -> None:
        """Give up the read role (caller holds ``_role``): to a waiter, else leave it free."""
        self._holder = self._holder_thread = None
        waiters = self._waiters
        while waiters:
            waiter = next(iter(waiters))
            del waiters[waiter]
            if not waiter.done:
                self._holder = waiter
                wake(waiter.lock)
                return
        self._released_at = time.monotonic()

    def _pump(self, waiter: ReadWaiter, deadline: float | None) -> None:
        """Read and dispatch frames in the calling thread (holding the role) until ``waiter.done``."""
        sock = (self._sock,)

        def readable() -> bool:
            timeout = None if deadline is None else deadline - time.monotonic()
            return (timeout is None or timeout > 0) and bool(select.select(sock, (), (), timeout)[0])

        try:
            end = self._read_frames(lambda: waiter.done, readable)
        except Exception as exc:
            end = (None, self._failure(exc))
        if end is not None:
            with self._role:  # the background reader winds the session up
                if self._ended is None:
                    self._ended = end
                self._role.notify_all()

    # ------------------------------------------------------------------ both readers

    def _read_frames(self, enough: Callable[[], bool], readable: Callable[[], bool]) -> End | None:
        """Read and dispatch frames until ``enough()``, or ``readable()`` says to stop waiting for
        data (None), or a close frame (its code and reason)."""
        frames = self._frames
        while not enough():
            message = frames.next()
            if message is None:
                if not frames.tls_pending() and not readable():
                    return None
                frames.fill()
                continue
            end = self._handle_frame(*message)
            if end is not None:
                return end
        return None

    def _handle_frame(self, opcode: int, payload: bytes) -> End | None:
        """Dispatch one message, answer a ping; returns ``(code, reason)`` for a close frame."""
        self.last_activity = time.monotonic()
        if opcode in (OP_TEXT, OP_BINARY):
            on_message = self._on_message
            if on_message is not None and not self._stopping.is_set():  # stopping: drain, deliver nothing
                text = payload.decode("utf-8")
                try:
                    on_message(self, text)
                except Exception as exc:
                    self._on_failure("on_message", exc)
        elif opcode == OP_PING:
            self._ws.pong(payload)
        elif opcode == OP_CLOSE:
            if self.close_reason is None:  # the server closes first: answer its close frame
                with contextlib.suppress(Exception), self._send_lock:
                    self._sock.sendall(close_frame(1000))
            if len(payload) >= 2:
                return int.from_bytes(payload[:2], "big"), payload[2:].decode("utf-8", "replace") or None
            return None, None
        return None

    def _failure(self, exc: BaseException) -> str | None:
        """The close reason for a read error, None when the session was closed or is stopping."""
        if self.close_reason is None and not self._stopping.is_set():
            return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return None

    # ------------------------------------------------------------------ the background reader

    def run_reader(self) -> None:
        """The background reader thread: read whenever no caller does, until the socket ends."""
        code: int | None = None
        reason: str | None = None
        try:
            while self._take_role():
                try:
                    end = self._read_background()
                finally:
                    with self._role:
                        if self._holder is _BACKGROUND:
                            self._pass_role()
                if end is not None:
                    code, reason = end
                    break
            else:
                assert self._ended is not None
                code, reason = self._ended
        except Exception as exc:
            reason = self._failure(exc)
        finally:
            self._dispose()
            if self.close_reason is None:
                self.close_reason = reason or (f"closed by server (code {code})" if code else "closed")
            self.closed.set()
            self._on_end(self, code, reason)

    def _take_role(self) -> bool:
        """Wait until the read role is free (and idle), then take it.

        False when a caller reading the socket met its end meanwhile.
        """
        role = self._role
        grace = self._reader_grace
        with role:
            while self._ended is None:
                if self._holder is None:
                    idle = time.monotonic() - self._released_at
                    if idle >= grace or self.close_reason is not None:
                        self._holder = _BACKGROUND
                        self._holder_thread = threading.get_ident()
                        return True
                    role.wait(grace - idle)
                else:
                    role.wait(grace)  # a caller reads; look again later
            return False

    def _read_background(self) -> End | None:
        """Holding the role: read until a caller wants it (None) or the end."""
        sock, wake_r = self._sock, self._wake_r
        watch = (sock, wake_r)
        waiters = self._waiters

        def readable() -> bool:  # the socket has data (True), or a caller asks for the role (False)
            while True:
                ready = select.select(watch, (), ())[0]
                if wake_r in ready:
                    with contextlib.suppress(OSError):
                        wake_r.recv(4096)
                    with self._role:
                        self._poked = False
                    if waiters:
                        return False
                if sock in ready:
                    return True

        return self._read_frames(lambda: bool(waiters), readable)

    def _nudge(self) -> None:
        """Have the background reader take the read role now (a close reply or an EOF to read)."""
        with self._role:
            self._role.notify_all()

    def _poke(self) -> None:
        """Interrupt the background reader's wait for data (it then hands the role over)."""
        with contextlib.suppress(OSError):
            self._wake_w.send(b"\0")
