"""The Binance Spot WebSocket API client: blocking, callback and asyncio flavours.

    from binance_typed.ws.api import SpotWebsocketAPIClient

    with SpotWebsocketAPIClient(api_key, private_key=pem) as ws:
        candles = ws.market.klines("BTCUSDT", "1m", limit=10)      # list[Kline], like REST
        ws.session.logon()                                         # Ed25519: later calls unsigned
        order = ws.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC",
                                   quantity="0.001", price="20000")
        ws.user_data.subscribe()                                   # events -> on_user_data

Every method shares its params and response models with the REST method of the same name
(``ws.market.klines`` and ``client.market.klines`` come from one declaration); ``ws.session`` and
``ws.user_data`` hold the WebSocket-only methods. A call blocks until its response (correlated by
request id) and returns the typed result, or raises the same errors as REST. Callback style:
``ws.submit(ws.market.klines, "BTCUSDT", "1m")`` returns the request id at once and hands a
:class:`WsResponse` to ``on_message`` later.

The connection (:mod:`binance_typed.ws._connection`) answers pings, watches for stalls and
reconnects with backoff; after a reconnect the client logs on again and restores user data
subscriptions. Requests made while connecting wait for the connection (up to ``timeout``). A
request in flight when the connection drops fails: an order with
:class:`~binance_typed.error.ExecutionStatusUnknown` carrying its ``newClientOrderId`` (generated
when absent), anything else with :class:`WsConnectionLost` (safe to retry). Orders are never
resent automatically.
"""

from __future__ import annotations

import asyncio
import collections
import importlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextvars import ContextVar
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple, ParamSpec, TypeVar
from urllib.parse import urlencode

from .._config import LIVE_WS_API, TESTNET_WS_API, normalise_time_unit
from .._endpoint import Endpoint
from .._params import Params
from .._signing import Signer, load_signer
from .._transport._base import with_client_order_id
from ._api_protocol import (
    NEEDS_SESSION,
    Pending,
    RateLimit,
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
    parse_rate_limits,
    timeout_error,
    ws_endpoints,
)
from ._connection import ConnectionEvent, ReconnectPolicy, Session, WebSocketConnection

if TYPE_CHECKING:
    from ..api.account import Account, AsyncAccount
    from ..api.market import AsyncMarket, Market
    from ..api.trade import AsyncTrade, Trade
    from ..models.events.user_data import UserDataEvent
    from ._api_methods import AsyncWsSession, AsyncWsUserData, WsSession, WsUserData

_REST_GROUPS = ("market", "trade", "account")

__all__ = [
    "AsyncWebsocketAPIClient",
    "RateLimit",
    "SpotWebsocketAPIClient",
    "UserDataMessage",
    "WsConnectionLost",
    "WsRequestTimeout",
    "WsResponse",
]

log = logging.getLogger("binance_typed")
P = ParamSpec("P")
T = TypeVar("T")

_GROUPS = ("market", "trade", "account", "session", "user_data")
_TRACKED = frozenset(
    {
        "session.logon",
        "session.logout",
        "userDataStream.subscribe",
        "userDataStream.subscribe.signature",
        "userDataStream.unsubscribe",
    }
)
_submit_mode: ContextVar[bool] = ContextVar("binance_typed_ws_submit", default=False)


class UserDataMessage(NamedTuple):
    """A user data event with the id of the subscription it came from."""

    subscription_id: int | None
    event: UserDataEvent


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
        on_message: Callable[[Any, Any], None] | None,
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
        self.time_offset_ms = 0
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
        return self._ready.is_set() and self._session is not None and self._session.connected

    @property
    def authenticated(self) -> bool:
        session = self._session
        return session is not None and self._auth_session == session.id

    def start(self, wait: bool, timeout: float | None) -> None:
        if not self.conn.running and not self._closed:
            self.conn.start(wait=False)
        if wait and not self._ready.wait(timeout):
            raise WsRequestTimeout(f"no connection to {self.url} within {timeout} s", "connect", False)

    def wait_ready(self, timeout: float | None) -> bool:
        if self._closed:
            return False
        if not self.conn.running:
            self.conn.start(wait=False)
        return self._ready.wait(timeout)

    def stop(self) -> None:
        self._closed = True
        self.conn.stop()

    # -- requests ---------------------------------------------------------------------------------
    def new_pending(
        self, endpoint: Endpoint, params: Params, callback: Callable[[Pending], None] | None = None
    ) -> Pending:
        client_order_id = None
        if endpoint.client_id_field is not None:
            params, client_order_id = with_client_order_id(endpoint, params)
        return Pending(endpoint, params, endpoint.ws_method or endpoint.dotted, client_order_id, callback)

    def needs_logon(self, endpoint: Endpoint) -> bool:
        signer = self.signer
        return (
            endpoint.ws_method in NEEDS_SESSION
            and not self.authenticated
            and signer is not None
            and signer.kind == "Ed25519"
        )

    def dispatch(self, pending: Pending, deadline: float | None) -> Session:
        """Send ``pending`` on the current session (waiting for one until ``deadline``); returns it."""
        while True:
            session = self._session
            if session is None or not self._ready.is_set() or not session.connected:
                remaining = None if deadline is None else deadline - time.monotonic()
                if (
                    self._closed
                    or (remaining is not None and remaining <= 0)
                    or not self.wait_ready(remaining)
                ):
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
            timestamp_ms=int(time.time() * 1000) + self.time_offset_ms,
            recv_window=self.recv_window,
        )
        if not self.return_rate_limits and capture_rate_limits.get() is not None:
            params["returnRateLimits"] = True
        return envelope(pending.id, pending.method, params)

    def _send_on(self, session: Session, pending: Pending) -> bool:
        """Register and send; False when the session closed first (nothing sent: try again)."""
        frame = self._frame(pending, session)
        with self._lock:
            if not session.connected:
                return False
            pending.session_id = session.id
            pending.sent = True  # from here on the frame may reach the server (conservative)
            self._pending[pending.id] = pending
        try:
            session.send(frame)
        except Exception as exc:
            import websocket

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
                raise timeout_error(pending, self.timeout)
            while not pending.done:  # answered while timing out: take the answer
                pending.lock.acquire()
        return self.result(pending)

    def result(self, pending: Pending) -> Any:
        bucket = capture_rate_limits.get()
        if bucket is not None and pending.response is not None:
            bucket.append(pending.response.get("rateLimits"))
        return decode_result(pending, self.context)

    def call(self, endpoint: Endpoint, params: Params) -> Any:
        """Blocking call (or, in submit mode, send and return the request id)."""
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        if self.needs_logon(endpoint):
            from ..endpoints.ws_only import SESSION_LOGON, LogonParams

            self.call(SESSION_LOGON, LogonParams())
        if _submit_mode.get():
            pending = self.new_pending(endpoint, params, self._deliver)
            self.dispatch(pending, deadline)
            return pending.id
        pending = self.new_pending(endpoint, params)
        return self.wait(pending, deadline, self.dispatch(pending, deadline))

    def _deliver(self, pending: Pending) -> None:
        if self.on_message is not None:
            self.on_message(self.owner, WsResponse(pending, self.context))

    # -- connection callbacks (connection threads) -----------------------------------------------
    def _on_open(self, session: Session) -> None:
        if self._want_logon and self.signer is not None:
            from ..endpoints.ws_only import SESSION_LOGON, LogonParams

            pending = self.new_pending(SESSION_LOGON, LogonParams(), lambda p: self._after_logon(session, p))
            self._send_on(session, pending)
            return
        self._activate(session)

    def _after_logon(self, session: Session, pending: Pending) -> None:
        try:
            decode_result(pending, self.context)
        except Exception as exc:
            log.error("ws-api: logon after reconnect failed: %s", exc)
            self._report(exc)
            self._activate(session)
            return
        self._activate(session)
        if self._want_subscribe:
            from ..endpoints.ws_only import USER_DATA_SUBSCRIBE, NoWsParams

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

    def _activate(self, session: Session) -> None:
        with self._lock:
            if not session.connected:
                return
            self._session = session
        self._maybe_ready()
        if self._want_signature:
            from ..endpoints.ws_only import USER_DATA_SUBSCRIBE_SIGNATURE, SubscribeSignatureParams

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
        try:
            decode_result(pending, self.context)
        except Exception as exc:
            log.error("ws-api: user data re-subscription failed: %s", exc)
            self._report(exc)

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
            limits = msg.get("rateLimits")
            if limits:
                self.limits.update(limits)
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
            self.on_message(self.owner, msg)

    def _unsolicited(self, session: Session, msg: dict[str, Any]) -> None:
        if msg.get("status") == 401 and self._auth_session == session.id:
            log.warning("ws-api: session authentication revoked: %s", msg.get("error"))
            self._auth_session = None
        if self.on_message is not None:
            self.on_message(self.owner, msg)

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
        elif method in ("userDataStream.subscribe", "userDataStream.subscribe.signature"):
            if method == "userDataStream.subscribe":
                self._want_subscribe = True
            else:
                self._want_signature = True
            if isinstance(result, dict) and isinstance(result.get("subscriptionId"), int):
                self.subscriptions.add(result["subscriptionId"])
        elif method == "userDataStream.unsubscribe":
            sid = getattr(pending.params, "subscriptionId", None)
            if sid is None:
                self.subscriptions.clear()
            else:
                self.subscriptions.discard(sid)
            if sid is None or not self.subscriptions:
                self._want_subscribe = self._want_signature = False

    def _on_event(self, session: Session, msg: dict[str, Any]) -> None:
        event = msg["event"]
        kind = event.get("e") if isinstance(event, dict) else None
        if kind == "serverShutdown":
            log.info("ws-api: serverShutdown received; rolling over to a new connection")
            self.conn.rollover("serverShutdown")
            return
        if len(self.conn.sessions) > 1:  # rollover overlap: the same event may come twice
            import json

            key = json.dumps(event, sort_keys=True)
            if key in self._recent_events:
                return
            self._recent_events.append(key)
        if self.on_user_data is None and self.on_message is None:
            return
        from ..models.events.user_data import parse_user_data_event

        message = UserDataMessage(msg.get("subscriptionId"), parse_user_data_event(event, self.time_unit))
        if self.on_user_data is not None:
            self.on_user_data(self.owner, message)
        elif self.on_message is not None:
            self.on_message(self.owner, message)

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
        why = reason or (f"close code {code}" if code else "connection closed")
        for p in failed:
            p.error = lost_error(p, why)
            try:
                p.finish()
            except Exception as exc:  # noqa: BLE001
                self._report(exc)
        if self.on_close_cb is not None:
            self.on_close_cb(self.owner, code, reason)


class _ClientBase:
    _core: _Core
    _groups: dict[str, Any]
    _async: bool = False

    def _group(self, name: str) -> Any:
        group = self._groups.get(name)
        if group is None:
            # market/trade/account are the very classes of the REST client, sending through
            # this client's ``call``; session/user_data exist only on the WebSocket API.
            if name in _REST_GROUPS:
                module, cls_name = importlib.import_module(f"binance_typed.api.{name}"), name.title()
            else:
                module = importlib.import_module("binance_typed.ws._api_methods")
                cls_name = "Ws" + name.title().replace("_", "")
            cls = getattr(module, f"Async{cls_name}" if self._async else cls_name)
            group = self._groups[name] = cls(self)
        return group

    @property
    def rate_limits(self) -> list[RateLimit]:
        """The latest value of every rate limit reported on this connection."""
        return self._core.limits.snapshot()

    @property
    def is_connected(self) -> bool:
        return self._core.connected

    @property
    def is_authenticated(self) -> bool:
        """Whether the current session is logged on (``session.logon``)."""
        return self._core.authenticated

    @property
    def subscriptions(self) -> set[int]:
        """Active user data subscription ids, as answered by the subscribe calls."""
        return set(self._core.subscriptions)

    @property
    def time_offset_ms(self) -> int:
        return self._core.time_offset_ms

    @time_offset_ms.setter
    def time_offset_ms(self, value: int) -> None:
        self._core.time_offset_ms = int(value)

    @property
    def connection(self) -> WebSocketConnection:
        """The underlying self-healing connection (events, manual ``drop`` / ``rollover``)."""
        return self._core.conn

    def _endpoint(self, method: str) -> Endpoint:
        endpoint = ws_endpoints().get(method.removeprefix("v3/"))
        if endpoint is None:
            raise ValueError(f"unknown WebSocket API method {method!r}")
        return endpoint

    def __repr__(self) -> str:
        state = "connected" if self.is_connected else "not connected"
        return f"{type(self).__name__}({self._core.url!r}, {state})"


def _credentials(
    api_secret: str | None, private_key: str | bytes | Path | None, private_key_pass: str | bytes | None
) -> Signer | None:
    return load_signer(api_secret, private_key, private_key_pass)


class SpotWebsocketAPIClient(_ClientBase):
    """Blocking client of the Binance Spot WebSocket API.

    Args:
        api_key: the API key (``apiKey`` of signed requests).
        api_secret: the HMAC secret, for HMAC keys.
        private_key: an RSA or Ed25519 private key, PEM text or the path of a PEM file
            (``session.logon`` needs Ed25519).
        private_key_pass: the passphrase of ``private_key``.
        on_message: ``on_message(client, message)``: a :class:`WsResponse` for each request made
            with :meth:`submit`, a :class:`UserDataMessage` for user data events (unless
            ``on_user_data`` is given), and any other frame as a dict.
        on_close: ``on_close(client, code, reason)`` each time a socket closes.
        on_open: ``on_open(client)`` each time a socket is open and ready (after re-logon).
        on_user_data: ``on_user_data(client, UserDataMessage)`` for user data events.
        on_event: receives a :class:`~binance_typed.ws._connection.ConnectionEvent` for every
            (dis)connect, stall and reconnect.
        on_error: receives exceptions raised in callbacks and background restores.
        stream_url: the WebSocket API URL (live by default; see :meth:`testnet`).
        time_unit: ``"microsecond"`` or ``"millisecond"``: sent as ``timeUnit`` in the URL.
        return_rate_limits: False adds ``returnRateLimits=false`` to the URL (smaller responses);
            :meth:`with_rate_limits` still asks for them per request.
        recv_window: default ``recvWindow`` of signed requests (ms); None sends none.
        proxies: ``{"https": "http://host:port"}``.
        timeout: seconds a call waits for the connection and its response (None: forever).
        watchdog_timeout: seconds without data or ping before the socket is replaced.
        reconnect: the :class:`~binance_typed.ws._connection.ReconnectPolicy`.
        connect: start connecting at once (requests made meanwhile wait for the connection).
    """

    def __init__(
        self,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        private_key: str | bytes | Path | None = None,
        private_key_pass: str | bytes | None = None,
        on_message: Callable[[Any, Any], None] | None = None,
        on_close: Callable[[Any, int | None, str | None], None] | None = None,
        on_open: Callable[[Any], None] | None = None,
        on_user_data: Callable[[Any, UserDataMessage], None] | None = None,
        on_event: Callable[[ConnectionEvent], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        stream_url: str = LIVE_WS_API,
        time_unit: str | None = None,
        return_rate_limits: bool = True,
        recv_window: float | None = None,
        proxies: Mapping[str, str] | None = None,
        timeout: float | None = 10.0,
        watchdog_timeout: float | None = 60.0,
        reconnect: ReconnectPolicy | None = None,
        connect: bool = True,
    ) -> None:
        if recv_window is not None and not 0 < recv_window <= 60000:
            raise ValueError("recv_window must be greater than 0 and at most 60000 ms")
        self._groups: dict[str, Any] = {}
        self._core = _Core(
            self,
            api_key=api_key,
            signer=_credentials(api_secret, private_key, private_key_pass),
            stream_url=stream_url,
            time_unit=time_unit,
            return_rate_limits=return_rate_limits,
            recv_window=recv_window,
            proxies=proxies,
            timeout=timeout,
            watchdog_timeout=watchdog_timeout,
            reconnect=reconnect,
            on_message=on_message,
            on_close=on_close,
            on_open=on_open,
            on_user_data=on_user_data,
            on_event=on_event,
            on_error=on_error,
        )
        if connect:
            self._core.start(wait=False, timeout=None)

    @classmethod
    def testnet(
        cls, api_key: str | None = None, api_secret: str | None = None, **kwargs: Any
    ) -> SpotWebsocketAPIClient:
        """A client of the Spot testnet WebSocket API (``wss://ws-api.testnet.binance.vision``)."""
        return cls(api_key, api_secret, stream_url=TESTNET_WS_API, **kwargs)

    # -- groups -----------------------------------------------------------------------------------
    @property
    def market(self) -> Market:
        """General and market data methods (public)."""
        return self._group("market")  # type: ignore[no-any-return]

    @property
    def trade(self) -> Trade:
        """Trading methods: orders, order lists, SOR (signed)."""
        return self._group("trade")  # type: ignore[no-any-return]

    @property
    def account(self) -> Account:
        """Account methods: balances, order queries, trades, limits (signed)."""
        return self._group("account")  # type: ignore[no-any-return]

    @property
    def session(self) -> WsSession:
        """Session authentication: ``logon`` (Ed25519), ``status``, ``logout``, ``subscriptions``."""
        return self._group("session")  # type: ignore[no-any-return]

    @property
    def user_data(self) -> WsUserData:
        """User data stream subscriptions; events go to ``on_user_data``."""
        return self._group("user_data")  # type: ignore[no-any-return]

    # -- calls ------------------------------------------------------------------------------------
    def call(self, endpoint: Endpoint, params: Params) -> Any:
        """Send one validated request and return its typed result (what the groups call)."""
        return self._core.call(endpoint, params)

    def request(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        """Call a method by its WebSocket API name with API-named parameters; typed result."""
        endpoint = self._endpoint(method)
        return self._core.call(endpoint, endpoint.params.build(**dict(params or {})))

    def submit(self, method: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> int:
        """Send ``method(*args, **kwargs)`` without waiting; returns the request id.

        The answer reaches ``on_message`` as a :class:`WsResponse` with the same id.
        """
        token = _submit_mode.set(True)
        try:
            return method(*args, **kwargs)  # type: ignore[no-any-return]
        finally:
            _submit_mode.reset(token)

    def with_rate_limits(
        self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> tuple[T, list[RateLimit]]:
        """Call ``method`` and return its result with the ``rateLimits`` of that response."""
        bucket: list[Any] = []
        token = capture_rate_limits.set(bucket)
        try:
            result = method(*args, **kwargs)
        finally:
            capture_rate_limits.reset(token)
        return result, parse_rate_limits(bucket[-1] if bucket else None)

    def sync_time(self) -> int:
        """Measure the clock offset to Binance (``time``) and apply it to ``timestamp``; ms."""
        sent = time.time()
        server = self.market.time()
        received = time.time()
        offset: int = server.server_time_ms - int((sent + received) * 500)
        self._core.time_offset_ms = offset
        return offset

    # -- lifecycle --------------------------------------------------------------------------------
    def connect(self, timeout: float | None = None) -> None:
        """Start (if needed) and wait until the connection is ready."""
        self._core.start(wait=True, timeout=timeout if timeout is not None else self._core.timeout)

    def close(self) -> None:
        """Close the connection; calls waiting for a response fail with :class:`WsConnectionLost`."""
        self._core.stop()

    def stop(self) -> None:
        """Alias of :meth:`close` (binance-connector naming)."""
        self.close()

    def __enter__(self) -> SpotWebsocketAPIClient:
        self.connect()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncWebsocketAPIClient(_ClientBase):
    """Asyncio client of the Binance Spot WebSocket API; same options as :class:`SpotWebsocketAPIClient`.

    The socket runs in the connection's threads; responses are handed to the event loop, so
    ``await ws.market.klines(...)`` never blocks the loop while waiting.
    """

    _async = True

    def __init__(
        self,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        private_key: str | bytes | Path | None = None,
        private_key_pass: str | bytes | None = None,
        on_message: Callable[[Any, Any], None] | None = None,
        on_close: Callable[[Any, int | None, str | None], None] | None = None,
        on_open: Callable[[Any], None] | None = None,
        on_user_data: Callable[[Any, UserDataMessage], None] | None = None,
        on_event: Callable[[ConnectionEvent], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        stream_url: str = LIVE_WS_API,
        time_unit: str | None = None,
        return_rate_limits: bool = True,
        recv_window: float | None = None,
        proxies: Mapping[str, str] | None = None,
        timeout: float | None = 10.0,
        watchdog_timeout: float | None = 60.0,
        reconnect: ReconnectPolicy | None = None,
        connect: bool = True,
    ) -> None:
        if recv_window is not None and not 0 < recv_window <= 60000:
            raise ValueError("recv_window must be greater than 0 and at most 60000 ms")
        self._groups: dict[str, Any] = {}
        self._user_queue: asyncio.Queue[UserDataMessage] = asyncio.Queue(maxsize=100_000)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_user_data = on_user_data
        self._core = _Core(
            self,
            api_key=api_key,
            signer=_credentials(api_secret, private_key, private_key_pass),
            stream_url=stream_url,
            time_unit=time_unit,
            return_rate_limits=return_rate_limits,
            recv_window=recv_window,
            proxies=proxies,
            timeout=timeout,
            watchdog_timeout=watchdog_timeout,
            reconnect=reconnect,
            on_message=on_message,
            on_close=on_close,
            on_open=on_open,
            on_user_data=self._user_data,
            on_event=on_event,
            on_error=on_error,
        )
        if connect:
            self._core.start(wait=False, timeout=None)

    @classmethod
    def testnet(
        cls, api_key: str | None = None, api_secret: str | None = None, **kwargs: Any
    ) -> AsyncWebsocketAPIClient:
        """A client of the Spot testnet WebSocket API."""
        return cls(api_key, api_secret, stream_url=TESTNET_WS_API, **kwargs)

    @property
    def market(self) -> AsyncMarket:
        """General and market data methods (public)."""
        return self._group("market")  # type: ignore[no-any-return]

    @property
    def trade(self) -> AsyncTrade:
        """Trading methods: orders, order lists, SOR (signed)."""
        return self._group("trade")  # type: ignore[no-any-return]

    @property
    def account(self) -> AsyncAccount:
        """Account methods: balances, order queries, trades, limits (signed)."""
        return self._group("account")  # type: ignore[no-any-return]

    @property
    def session(self) -> AsyncWsSession:
        """Session authentication: ``logon`` (Ed25519), ``status``, ``logout``, ``subscriptions``."""
        return self._group("session")  # type: ignore[no-any-return]

    @property
    def user_data(self) -> AsyncWsUserData:
        """User data stream subscriptions; events via ``on_user_data`` or :meth:`user_data_events`."""
        return self._group("user_data")  # type: ignore[no-any-return]

    # -- user data ------------------------------------------------------------------------------
    def _user_data(self, client: Any, message: UserDataMessage) -> None:
        if self._on_user_data is not None:
            self._on_user_data(client, message)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._enqueue, message)

    def _enqueue(self, message: UserDataMessage) -> None:
        try:
            self._user_queue.put_nowait(message)
        except asyncio.QueueFull:
            log.warning("ws-api: user data queue full (nobody reads user_data_events?); event dropped")

    async def user_data_events(self) -> AsyncIterator[UserDataMessage]:
        """Async iterator over user data events: ``async for msg in ws.user_data_events(): ...``.

        Events are queued from the moment the client is used on an event loop.
        """
        self._loop = asyncio.get_running_loop()
        while True:
            yield await self._user_queue.get()

    # -- calls ------------------------------------------------------------------------------------
    async def _wait_ready(self, deadline: float | None) -> None:
        core = self._core
        if core.connected:
            return
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, core.wait_ready, remaining)

    async def call(self, endpoint: Endpoint, params: Params) -> Any:
        """Send one validated request and return its typed result (what the groups call)."""
        core = self._core
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        deadline = None if core.timeout is None else time.monotonic() + core.timeout
        if core.needs_logon(endpoint):
            from ..endpoints.ws_only import SESSION_LOGON, LogonParams

            await self.call(SESSION_LOGON, LogonParams())
        loop = asyncio.get_running_loop()
        if _submit_mode.get():
            pending = core.new_pending(endpoint, params, core._deliver)
            await self._wait_ready(deadline)
            core.dispatch(pending, deadline)
            return pending.id
        future: asyncio.Future[None] = loop.create_future()

        def done(_: Pending) -> None:
            loop.call_soon_threadsafe(_resolve, future)

        pending = core.new_pending(endpoint, params, done)
        await self._wait_ready(deadline)
        core.dispatch(pending, deadline)
        try:
            if deadline is None:
                await future
            else:
                await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
        except (asyncio.TimeoutError, TimeoutError):
            with core._lock:
                mine = core._pending.pop(pending.id, None) is not None
            if mine:
                raise timeout_error(pending, core.timeout) from None
        return core.result(pending)

    async def request(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        """Call a method by its WebSocket API name with API-named parameters; typed result."""
        endpoint = self._endpoint(method)
        return await self.call(endpoint, endpoint.params.build(**dict(params or {})))

    async def submit(self, method: Callable[P, Awaitable[Any]], *args: P.args, **kwargs: P.kwargs) -> int:
        """Send without waiting for the answer; it reaches ``on_message`` as a :class:`WsResponse`."""
        token = _submit_mode.set(True)
        try:
            return await method(*args, **kwargs)  # type: ignore[no-any-return]
        finally:
            _submit_mode.reset(token)

    async def with_rate_limits(
        self, method: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs
    ) -> tuple[T, list[RateLimit]]:
        """Await ``method`` and return its result with the ``rateLimits`` of that response."""
        bucket: list[Any] = []
        token = capture_rate_limits.set(bucket)
        try:
            result = await method(*args, **kwargs)
        finally:
            capture_rate_limits.reset(token)
        return result, parse_rate_limits(bucket[-1] if bucket else None)

    async def sync_time(self) -> int:
        """Measure the clock offset to Binance (``time``) and apply it to ``timestamp``; ms."""
        sent = time.time()
        server = await self.market.time()
        received = time.time()
        offset: int = server.server_time_ms - int((sent + received) * 500)
        self._core.time_offset_ms = offset
        return offset

    async def connect(self, timeout: float | None = None) -> None:
        """Start (if needed) and wait until the connection is ready."""
        self._loop = asyncio.get_running_loop()
        wait_for = timeout if timeout is not None else self._core.timeout
        await self._loop.run_in_executor(None, lambda: self._core.start(wait=True, timeout=wait_for))

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._core.stop)

    async def __aenter__(self) -> AsyncWebsocketAPIClient:
        await self.connect()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
