"""The engine of the WebSocket API clients: connection, correlation and session state.

:class:`_Core` is shared by :class:`~binance_typed.ws.api.SpotWebsocketAPIClient` and
:class:`~binance_typed.ws.api.AsyncWebsocketAPIClient`. It sends the frames built by
:mod:`binance_typed.ws._api_protocol` on the current :class:`~binance_typed.ws._connection.Session`,
correlates the answers by request id, and restores the session (logon, user data subscriptions)
after a reconnect or rollover.

A blocking call waits with :meth:`WebSocketConnection.read_until`: while no other thread reads the
socket, the calling thread reads it itself (dispatching whatever else arrives: other answers,
user data events, pings) until its own answer is in, so no thread hand-off sits between the
response and the caller. Callback and asyncio requests are completed by whichever thread reads.
"""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NamedTuple, Union
from urllib.parse import urlencode

import websocket

from .._config import normalise_time_unit
from .._endpoint import Endpoint, Security
from .._params import Params
from .._policy import Clock, Cost, RateLimitGate, gate_for
from .._signing import Signer
from .._transport._base import cost_of, host_of, with_client_order_id
from ..endpoints.ws_only import (
    SESSION_LOGON,
    USER_DATA_SUBSCRIBE,
    USER_DATA_SUBSCRIBE_SIGNATURE,
    LogonParams,
    NoWsParams,
    SubscribeSignatureParams,
)
from ..error import BinanceError, IPBannedError, MalformedResponseError, RateLimitError
from ._api_protocol import (
    NEEDS_SESSION,
    Pending,
    RateLimitTracker,
    WsConnectionLost,
    WsRequestTimeout,
    WsResponse,
    build_request,
    capture_rate_limits,
    classify,
    decode_result,
    envelope,
    lost_error,
    timeout_error,
)
from ._connection import ConnectionEvent, ReconnectPolicy, Session, WebSocketConnection

if TYPE_CHECKING:
    from ..models.events.user_data import UserDataEvent, UserDataGapEvent

call_overrides: ContextVar[tuple[float | None, dict[str, Any] | None] | None] = ContextVar(
    "binance_typed_ws_call_overrides", default=None
)
"""Per-call ``timeout=`` and ``extra_params=`` of the call being made (set by the clients)."""


def ws_overrides(timeout: float | None, extra_params: Mapping[str, Any] | None) -> tuple[float | None, dict[str, Any] | None]:
    """Validated per-call options: ``extra_params`` as JSON values (ints kept, the rest as text)."""
    from .._transport._base import extra_items

    if not extra_params:
        return timeout, None
    pairs = extra_items(extra_params)
    return timeout, {
        k: v if isinstance(v, int) and not isinstance(v, bool) else text
        for (k, text), v in zip(pairs, extra_params.values(), strict=True)
    }

__all__ = ["UserDataMessage", "call_overrides", "ws_overrides", "capturing_rate_limits", "resync_allowed", "submit_mode", "submitting"]

log = logging.getLogger("binance_typed")

_TRACKED = frozenset(
    {
        "session.logon",
        "session.logout",
        "userDataStream.subscribe",
        "userDataStream.subscribe.signature",
        "userDataStream.unsubscribe",
    }
)
submit_mode: ContextVar[bool] = ContextVar("binance_typed_ws_submit", default=False)
"""Set by ``submit``: the call sends and returns the request id instead of waiting."""
_monotonic = time.monotonic


@contextlib.contextmanager
def submitting() -> Iterator[None]:
    """Calls made in this block send and return their request id (``submit``)."""
    token = submit_mode.set(True)
    try:
        yield
    finally:
        submit_mode.reset(token)


@contextlib.contextmanager
def capturing_rate_limits() -> Iterator[list[Any]]:
    """Responses received in this block append their raw ``rateLimits`` to the yielded list."""
    bucket: list[Any] = []
    token = capture_rate_limits.set(bucket)
    try:
        yield bucket
    finally:
        capture_rate_limits.reset(token)


_WANT_LIMITS = {"returnRateLimits": True}
"""Asked per request by ``with_rate_limits`` on a connection opened without rate limits."""


class UserDataMessage(NamedTuple):
    """A user data event with the id of the subscription it came from.

    ``event`` is a :class:`~binance_typed.models.events.user_data.UserDataGapEvent` (not from
    Binance) when the subscription was restored after a connection loss: events may be missing.
    """

    subscription_id: int | None
    event: UserDataEvent | UserDataGapEvent


WsMessage = Union[WsResponse, UserDataMessage, dict[str, Any]]
"""What the WebSocket API client's ``on_message`` callback receives: a :class:`WsResponse` for a
request sent with ``submit``, a :class:`UserDataMessage` for a user data event (when there is no
``on_user_data`` callback), or the decoded frame (a dict) of anything else Binance sends."""


def resync_allowed(endpoint: Endpoint) -> bool:
    """A -1021 on this request may be answered by a clock resync and one resend: a signed call,
    waited for (not in submit mode, whose answer goes to ``on_message``)."""
    return endpoint.security is Security.SIGNED and not submit_mode.get()


class _Core:
    """Connection, correlation and session state, shared by the sync and asyncio clients."""

    def __init__(
        self,
        owner: Any,
        *,
        api_key: str | None,
        signer: Signer | None,
        stream_url: str,
        time_unit: str | None,
        return_rate_limits: bool,
        recv_window: float | None,
        proxies: Mapping[str, str] | None,
        timeout: float | None,
        watchdog_timeout: float | None,
        reconnect: ReconnectPolicy | None,
        on_message: Callable[[WsMessage], object] | None,
        on_close: Callable[[Any, int | None, str | None], None] | None,
        on_open: Callable[[Any], None] | None,
        on_user_data: Callable[[Any, UserDataMessage], None] | None,
        on_event: Callable[[ConnectionEvent], None] | None,
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        self.owner = owner
        self.api_key = api_key
        self.signer = signer
        self.time_unit = normalise_time_unit(time_unit)
        self.context = {"time_unit": self.time_unit} if self.time_unit else None
        self.return_rate_limits = return_rate_limits
        self.recv_window = recv_window
        self.timeout = timeout
        self.gate: RateLimitGate = gate_for(host_of(stream_url), api_key)
        self.clock: Clock = self.gate.clock  # one clock and one budget per (host, key), as on REST
        self.limits = RateLimitTracker()
        self.on_message = on_message
        self.on_close_cb = on_close
        self.on_open_cb = on_open
        self.on_user_data = on_user_data
        self.on_error = on_error

        query: dict[str, str] = {}
        if self.time_unit:
            query["timeUnit"] = self.time_unit
        if not return_rate_limits:
            query["returnRateLimits"] = "false"
        self.url = (
            f"{stream_url}{'&' if '?' in stream_url else '?'}{urlencode(query)}" if query else stream_url
        )

        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._ready_callbacks: list[Callable[[], None]] = []
        """Called (once each) when the connection is ready or the client closes: how asyncio
        callers wait for a reconnect on a loop future, without parking an executor thread."""
        self._session: Session | None = None
        self._pending: dict[int, Pending] = {}
        self._auth_session: int | None = None
        self._want_logon = False
        self._want_subscribe = False
        self._want_signature = False
        self.subscriptions: set[int] = set()
        self._recent_events: collections.deque[str] = collections.deque(maxlen=512)
        self._closed = False
        self._user_on_event = on_event
        self._activated: int | None = None
        self._announced: set[int] = set()
        self._uds_sessions: set[int] = set()
        """Sessions with a confirmed user data subscription (two during a rollover)."""
        self._uds_lost: tuple[float, str] | None = None
        """When (wall clock) and why the last session carrying user data was lost; reported by a
        :class:`UserDataGapEvent` once a subscription is restored."""
        self.conn = WebSocketConnection(
            self.url,
            on_open=self._on_open,
            on_message=self._on_text,
            on_close=self._on_close,
            on_event=self._on_conn_event,
            on_error=on_error,
            watchdog_timeout=watchdog_timeout,
            reconnect=reconnect,
            connect_timeout=timeout or 10.0,
            proxies=proxies,
            name="ws-api",
        )

    # -- state ------------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self._ready.is_set() and self._session is not None and self._session.usable

    @property
    def authenticated(self) -> bool:
        session = self._session
        return session is not None and self._auth_session == session.id

    def start(self, wait: bool, timeout: float | None) -> None:
        """Start connecting; with ``wait``, block until ready. A wait that fails stops the
        connection before raising (no thread keeps reconnecting behind a failed start)."""
        if not self._closed:
            self._ensure_started()
        if wait and not self._ready.wait(timeout):
            self.stop()
            raise WsRequestTimeout(f"no connection to {self.url} within {timeout} s", "connect", False)

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (once, from any thread) when the connection is ready or the client
        is closed; at once when it already is. Starts the connection on first use."""
        if not self._closed:
            self._ensure_started()
        with self._lock:
            now = self._closed or (self._ready.is_set() and self._session is not None and self._session.usable)
            if not now:
                self._ready_callbacks.append(callback)
        if now:
            callback()

    def forget_ready(self, callback: Callable[[], None]) -> None:
        """Withdraw a :meth:`when_ready` callback (the caller gave up waiting)."""
        with self._lock, contextlib.suppress(ValueError):
            self._ready_callbacks.remove(callback)

    def _run_ready_callbacks(self) -> None:
        with self._lock:
            callbacks, self._ready_callbacks = self._ready_callbacks, []
        for callback in callbacks:
            try:
                callback()
            except Exception as exc:  # noqa: BLE001
                self._report(exc)

    def wait_ready(self, timeout: float | None) -> bool:
        if self._closed:
            return False
        self._ensure_started()
        return self._ready.wait(timeout)

    def _ensure_started(self) -> None:
        """Start the connection on first use; a connection that gave up reconnecting stays down."""
        if self.conn.running:
            return
        if self.conn.gave_up:
            raise WsConnectionLost(
                f"the connection to {self.url} gave up reconnecting; request not sent "
                "(make a new client, or allow more attempts in ReconnectPolicy)",
                "connect",
                False,
            )
        self.conn.start(wait=False)

    @property
    def time_offset_ms(self) -> int:
        return self.clock.offset_ms

    @time_offset_ms.setter
    def time_offset_ms(self, value: int) -> None:
        self.clock.offset_ms = value

    def apply_clock(self, sent: float, server_time_ms: int, received: float) -> int:
        """Set the ``timestamp`` offset from a ``time`` call sent and answered at these times."""
        return self.clock.apply(server_time_ms, sent, received)

    def spend(self, cost: Cost) -> float:
        """Ask the shared gate for this request's weight: 0.0 (go) or seconds to wait first."""
        return self.gate.reserve(cost)

    def stop(self) -> None:
        self._closed = True
        self._run_ready_callbacks()  # asyncio callers waiting for a reconnect fail at once
        self.conn.stop()

    # -- requests ---------------------------------------------------------------------------------
    def new_pending(
        self,
        endpoint: Endpoint,
        params: Params,
        callback: Callable[[Pending], None] | None = None,
        reserved: tuple[Cost, int] | None = None,
    ) -> Pending:
        client_order_id = None
        if endpoint.client_id_field is not None:
            params, client_order_id = with_client_order_id(endpoint, params)
        pending = Pending(endpoint, params, endpoint.ws_method or endpoint.dotted, client_order_id, callback)
        pending.reserved = reserved
        return pending

    def needs_logon(self, endpoint: Endpoint) -> bool:
        signer = self.signer
        return (
            endpoint.ws_method in NEEDS_SESSION
            and not self.authenticated
            and signer is not None
            and signer.kind == "Ed25519"
        )

    def dispatch(self, pending: Pending, deadline: float | None, block: bool = True) -> Session | None:
        """Send ``pending`` on the current session (waiting for one until ``deadline``); returns it.

        Without ``block``, returns None at once when no session is ready (asyncio callers then
        wait on a loop future, see :meth:`when_ready`)."""
        while True:
            session = self._session
            if session is None or not self._ready.is_set() or not session.usable:
                if session is not None and session.ending and session.read_by_current_thread():
                    # a callback run by the reader of a lost connection: the reconnect only starts
                    # once this thread returns, so waiting for it here would stall until the timeout
                    raise WsConnectionLost(
                        f"{pending.method}: connection lost ({session.close_reason or 'closed'}); not sent "
                        "(called from a callback of the lost connection, which cannot wait for the next one)",
                        pending.method,
                        False,
                    )
                if not block and not self._closed:
                    return None
                remaining = None if deadline is None else deadline - time.monotonic()
                if self._closed or (remaining is not None and remaining <= 0):
                    if self._closed:
                        raise WsConnectionLost(
                            f"{pending.method}: client closed; not sent", pending.method, False
                        )
                    raise timeout_error(pending, self.timeout)
                if session is not None and self._ready.is_set() and session.connected:
                    # the current socket is going away but is not gone yet: wait for its end
                    session.closed.wait(0.05 if remaining is None else min(0.05, remaining))
                elif not self.wait_ready(remaining):
                    if self._closed:
                        raise WsConnectionLost(
                            f"{pending.method}: client closed; not sent", pending.method, False
                        )
                    raise timeout_error(pending, self.timeout)
                continue
            if self._send_on(session, pending):
                return session

    def _frame(self, pending: Pending, session: Session) -> str:
        endpoint = pending.endpoint
        assert endpoint is not None and pending.params is not None
        params = build_request(
            endpoint,
            pending.params,
            api_key=self.api_key,
            signer=self.signer,
            authenticated=self._auth_session == session.id,
            timestamp_ms=int(_time() * 1000) + self.clock.offset_ms,
            recv_window=self.recv_window,
            extra=self._extra(),
        )
        return envelope(pending.id, pending.method, params)

    def _extra(self) -> dict[str, Any] | None:
        extra = _WANT_LIMITS if not self.return_rate_limits and capture_rate_limits.get() is not None else None
        overrides = call_overrides.get()
        if overrides is not None and overrides[1]:
            extra = {**(extra or {}), **overrides[1]}
        return extra

    def _send_on(self, session: Session, pending: Pending) -> bool:
        """Register and send; False when the session closed first (nothing sent: try again)."""
        frame = self._frame(pending, session)
        with self._lock:
            if not session.usable:
                return False
            pending.session_id = session.id
            pending.sent = True  # from here on the frame may reach the server (conservative)
            self._pending[pending.id] = pending
        try:
            session.send(frame)
        except Exception as exc:
            with self._lock:
                mine = self._pending.pop(pending.id, None) is not None
            if isinstance(exc, websocket.WebSocketConnectionClosedException) and mine:
                pending.sent = False
                return False  # nothing was written: safe to send on the next session
            if not mine:
                return True  # the close sweep already failed it; the waiter gets that error
            raise lost_error(pending, f"{type(exc).__name__}: {exc}") from exc
        return True

    def wait(self, pending: Pending, deadline: float | None, session: Session) -> Any:
        """The result of ``pending`` sent on ``session``: read by this very thread when it can."""
        if not self.conn.read_until(session, pending, deadline):
            with self._lock:
                mine = self._pending.pop(pending.id, None) is not None
            if mine:
                if session.ending or not session.connected:  # the socket ended under its reader (a callback)
                    raise lost_error(pending, session.close_reason or "connection closed")
                raise timeout_error(pending, self.timeout)
            while not pending.done:  # answered while timing out: take the answer
                pending.lock.acquire()
        return self.result(pending)

    def result(self, pending: Pending) -> Any:
        bucket = capture_rate_limits.get()
        if bucket is not None and pending.response is not None:
            bucket.append(pending.response.get("rateLimits"))
        try:
            return decode_result(pending, self.context)
        except (RateLimitError, IPBannedError) as exc:
            self.gate.close_for(exc.retry_after if exc.retry_after is not None else 1.0)
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            if isinstance(exc, BinanceError):
                raise
            raise malformed(pending, exc) from exc

    def call(self, endpoint: Endpoint, params: Params) -> Any:
        """Blocking call (or, in submit mode, send and return the request id)."""
        overrides = call_overrides.get()
        timeout = overrides[0] if overrides is not None and overrides[0] is not None else self.timeout
        cost = cost_of(endpoint, params)
        while (wait := self.spend(cost)) > 0:
            time.sleep(wait)
        reserved = (cost, self.clock.now_ms())
        deadline = None if timeout is None else _monotonic() + timeout
        if endpoint.ws_method in NEEDS_SESSION and self.needs_logon(endpoint):
            self.call(SESSION_LOGON, LogonParams())
        if submit_mode.get():
            pending = self.new_pending(endpoint, params, self._deliver, reserved)
            self.dispatch(pending, deadline)
            return pending.id
        pending = self.new_pending(endpoint, params, reserved=reserved)
        session = self.dispatch(pending, deadline)
        assert session is not None
        return self.wait(pending, deadline, session)

    def _deliver(self, pending: Pending) -> None:
        if self.on_message is not None:
            self.on_message(WsResponse(pending, self.context))

    # -- connection callbacks (connection threads) -----------------------------------------------
    def _on_open(self, session: Session) -> None:
        if self._want_logon and self.signer is not None:
            pending = self.new_pending(SESSION_LOGON, LogonParams(), lambda p: self._after_logon(session, p))
            self._send_on(session, pending)
            return
        self._activate(session)

    def _succeeded(self, pending: Pending, what: str) -> bool:
        """Whether a background request (session restore) succeeded; its error is logged and reported."""
        try:
            decode_result(pending, self.context)
        except Exception as exc:
            log.error("ws-api: %s failed: %s", what, exc)
            self._report(exc)
            return False
        return True

    def _after_logon(self, session: Session, pending: Pending) -> None:
        ok = self._succeeded(pending, "logon after reconnect")
        self._activate(session)
        if not ok:
            return
        if self._want_subscribe:
            self._background(
                session, self.new_pending(USER_DATA_SUBSCRIBE, NoWsParams(), self._after_resubscribe)
            )

    def _on_conn_event(self, event: ConnectionEvent) -> None:
        # A socket is usable once the connection made it the primary one ("connected",
        # "reconnected", "rollover") *and* this client restored its session on it (_activate).
        if event.kind in ("connected", "reconnected", "rollover"):
            with self._lock:
                self._announced.add(event.session_id)
            self._maybe_ready()
        if self._user_on_event is not None:
            self._user_on_event(event)

    def _maybe_ready(self) -> None:
        with self._lock:
            session = self._session
            if session is None or session.id not in self._announced or not session.connected:
                return
            self._announced.intersection_update({session.id})
        self._ready.set()
        self._run_ready_callbacks()

    def _activate(self, session: Session) -> None:
        with self._lock:
            if not session.connected:
                return
            self._session = session
        self._maybe_ready()
        if self._want_signature:
            self._background(
                session,
                self.new_pending(
                    USER_DATA_SUBSCRIBE_SIGNATURE, SubscribeSignatureParams(), self._after_resubscribe
                ),
            )
        if self.on_open_cb is not None:
            try:
                self.on_open_cb(self.owner)
            except Exception as exc:  # noqa: BLE001
                self._report(exc)

    def _background(self, session: Session, pending: Pending) -> None:
        try:
            self._send_on(session, pending)
        except Exception as exc:  # noqa: BLE001
            self._report(exc)

    def _after_resubscribe(self, pending: Pending) -> None:
        self._succeeded(pending, "user data re-subscription")

    def _report(self, exc: BaseException) -> None:
        if self.on_error is not None:
            try:
                self.on_error(exc)
            except Exception:  # noqa: BLE001
                log.exception("ws-api: on_error failed")

    def _on_text(self, session: Session, text: str) -> None:
        kind, msg = classify(text)
        if kind == "response":
            with self._lock:
                pending = self._pending.pop(msg["id"], None)
            reserved = pending.reserved if pending is not None else None
            if reserved is not None:
                self.gate.answered(*reserved)
            limits = msg.get("rateLimits")
            if limits:
                self.limits.update(limits)
                self.gate.observe_ws(limits, reserved[1] if reserved is not None else None)
            if pending is None:
                self._unsolicited(session, msg)
                return
            pending.response = msg
            if pending.method in _TRACKED and msg.get("status") == 200:
                self._track(pending, msg)
            pending.finish()
        elif kind == "event":
            self._on_event(session, msg)
        elif self.on_message is not None:
            self.on_message(msg)

    def _unsolicited(self, session: Session, msg: dict[str, Any]) -> None:
        if msg.get("status") == 401 and self._auth_session == session.id:
            log.warning("ws-api: session authentication revoked: %s", msg.get("error"))
            self._auth_session = None
        if self.on_message is not None:
            self.on_message(msg)

    def _track(self, pending: Pending, msg: dict[str, Any]) -> None:
        method = pending.method
        result = msg.get("result")
        if method == "session.logon":
            self._auth_session = pending.session_id
            self._want_logon = True
        elif method == "session.logout":
            self._auth_session = None
            self._want_logon = False
            self._want_subscribe = False
            if not self._want_signature:
                self._uds_sessions.clear()
        elif method in ("userDataStream.subscribe", "userDataStream.subscribe.signature"):
            if method == "userDataStream.subscribe":
                self._want_subscribe = True
            else:
                self._want_signature = True
            sid = result.get("subscriptionId") if isinstance(result, dict) else None
            if isinstance(sid, int):
                self.subscriptions.add(sid)
            if pending.session_id is not None:
                self._uds_sessions.add(pending.session_id)
            lost, self._uds_lost = self._uds_lost, None
            if lost is not None:
                self._report_gap(lost[0], lost[1], sid if isinstance(sid, int) else None)
        elif method == "userDataStream.unsubscribe":
            sid = getattr(pending.params, "subscriptionId", None)
            if sid is None:
                self.subscriptions.clear()
            else:
                self.subscriptions.discard(sid)
            if sid is None or not self.subscriptions:
                self._want_subscribe = self._want_signature = False
                self._uds_sessions.clear()
                self._uds_lost = None

    def _report_gap(self, start: float, reason: str, subscription_id: int | None) -> None:
        """Deliver a :class:`UserDataGapEvent` for the window from ``start`` (wall clock) to now."""
        from ..models.events.user_data import UserDataGapEvent

        now = _time()
        gap = UserDataGapEvent(
            start=datetime.fromtimestamp(start, timezone.utc),
            end=datetime.fromtimestamp(now, timezone.utc),
            reason=reason,
            subscription_id=subscription_id,
        )
        log.warning(
            "ws-api: user data events may be missing between %s and %s (%.3f s: %s); resync the account",
            gap.start.isoformat(),
            gap.end.isoformat(),
            now - start,
            reason or "connection lost",
        )
        self._deliver_user(UserDataMessage(subscription_id, gap))

    def _on_event(self, session: Session, msg: dict[str, Any]) -> None:
        event = msg["event"]
        kind = event.get("e") if isinstance(event, dict) else None
        if kind == "serverShutdown":
            log.info("ws-api: serverShutdown received; rolling over to a new connection")
            self.conn.rollover("serverShutdown")
            return
        if len(self.conn.sessions) > 1:  # rollover overlap: the same event may come twice
            key = json.dumps(event, sort_keys=True)
            if key in self._recent_events:
                return
            self._recent_events.append(key)
        if self.on_user_data is None and self.on_message is None:
            return
        self._deliver_user(UserDataMessage(msg.get("subscriptionId"), _parse_user_data_event()(event, self.time_unit)))

    def _deliver_user(self, message: UserDataMessage) -> None:
        if self.on_user_data is not None:
            self.on_user_data(self.owner, message)
        elif self.on_message is not None:
            self.on_message(message)

    def _on_close(self, session: Session, code: int | None, reason: str | None) -> None:
        with self._lock:
            if self._session is session:
                self._session = None
                self._ready.clear()
            if self._auth_session == session.id:
                self._auth_session = None
            failed = [p for p in self._pending.values() if p.session_id == session.id]
            for p in failed:
                del self._pending[p.id]
            if session.id in self._uds_sessions:
                self._uds_sessions.discard(session.id)
                if not self._uds_sessions and not self._closed and (self._want_subscribe or self._want_signature):
                    # covered up to the last frame that socket delivered
                    last = _time() - max(0.0, time.monotonic() - session.last_activity)
                    self._uds_lost = (last, reason or session.close_reason or "connection lost")
        why = reason or (f"close code {code}" if code else "connection closed")
        for p in failed:
            p.error = lost_error(p, why)
            try:
                p.finish()
            except Exception as exc:  # noqa: BLE001
                self._report(exc)
        if self.on_close_cb is not None:
            self.on_close_cb(self.owner, code, reason)


_time = time.time
_event_parser: list[Callable[[Any, str | None], Any]] = []


def _parse_user_data_event() -> Callable[[Any, str | None], Any]:
    """``parse_user_data_event``, imported on the first event (the event models are many)."""
    if not _event_parser:
        from ..models.events.user_data import parse_user_data_event

        _event_parser.append(parse_user_data_event)
    return _event_parser[0]


def malformed(pending: Pending, exc: Exception) -> BinanceError:
    """A result that does not fit its model: :class:`MalformedResponseError` carrying the body
    (for an order, :class:`ExecutionStatusUnknown`: it was accepted, its details are unreadable)."""
    body = json.dumps(pending.response, default=str)[:100_000] if pending.response is not None else ""
    if pending.places_order:
        from ..error import ExecutionStatusUnknown

        return ExecutionStatusUnknown(
            f"{pending.method}: status 200 with an unreadable result", pending.client_order_id, 200
        )
    return MalformedResponseError(200, f"{pending.method}: unreadable result ({type(exc).__name__})", body)
