"""The blocking WebSocket API client, and what it shares with the asyncio one (:class:`_ClientBase`)."""

from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from .._config import LIVE_WS_API, TESTNET_WS_API
from .._endpoint import Endpoint
from .._params import Params
from .._signing import load_signer
from ..error import InvalidTimestampError
from ._api_core import (
    UserDataMessage,
    WsMessage,
    _Core,
    call_overrides,
    capturing_rate_limits,
    resync_allowed,
    submitting,
    ws_overrides,
)
from ._api_protocol import RateLimit, parse_rate_limits, ws_endpoints
from ._connection import ConnectionEvent, ReconnectPolicy, WebSocketConnection
from ._resync import RECENT_LIMIT, UserDataResync, build, changed_since, symbols_of

if TYPE_CHECKING:
    from ..api.account import Account
    from ..api.market import Market
    from ..api.trade import Trade
    from ._api_methods import WsSession, WsUserData

__all__ = ["SpotWebsocketAPIClient"]

P = ParamSpec("P")
T = TypeVar("T")
C = TypeVar("C", bound="_ClientBase")
_REST_GROUPS = ("market", "trade", "account")
_CORE_OPTIONS = (
    "stream_url",
    "time_unit",
    "return_rate_limits",
    "recv_window",
    "proxies",
    "timeout",
    "watchdog_timeout",
    "reconnect",
    "on_message",
    "on_close",
    "on_open",
    "on_event",
    "on_error",
)


def check_one_argument(on_message: Callable[..., object] | None) -> None:
    """Refuse, at construction, an ``on_message`` that needs two arguments: the WebSocket API
    client passes one message, as the stream client does (the connector's ``(client, message)``
    form belongs to ``binance_typed.websocket.spot``)."""
    if on_message is None:
        return
    try:
        signature = inspect.signature(on_message)
    except (TypeError, ValueError):  # a builtin without a signature: cannot tell
        return
    try:
        signature.bind(object())
    except TypeError:
        raise TypeError(
            f"on_message={on_message!r} must accept one argument, the message "
            "(WsResponse, UserDataMessage or dict); the two-argument (client, message) form is "
            "the connector's: use binance_typed.websocket.spot.websocket_api.SpotWebsocketAPIClient "
            "for it, or a closure to reach the client"
        ) from None


class _ClientBase:
    """What both clients share: construction, groups, state properties, method lookup.

    The constructor (documented on :class:`SpotWebsocketAPIClient`) is shared; the async client
    differs in its ``_user_data_sink`` and its awaitable calls.
    """

    _core: _Core
    _groups: dict[str, Any]
    _async: bool = False

    def __init__(
        self,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        private_key: str | bytes | Path | None = None,
        private_key_pass: str | bytes | None = None,
        on_message: Callable[[WsMessage], object] | None = None,
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
        self._setup(locals())

    def _setup(self, options: dict[str, Any]) -> None:
        """The constructor of both clients, given its arguments (``locals()``)."""
        check_one_argument(options["on_message"])
        recv_window = options["recv_window"]
        if recv_window is not None and not 0 < recv_window <= 60000:
            raise ValueError("recv_window must be greater than 0 and at most 60000 ms")
        self._groups: dict[str, Any] = {}
        self._core = _Core(
            self,
            api_key=options["api_key"],
            signer=load_signer(options["api_secret"], options["private_key"], options["private_key_pass"]),
            on_user_data=self._user_data_sink(options["on_user_data"]),
            **{name: options[name] for name in _CORE_OPTIONS},
        )
        if options["connect"]:
            self._core.start(wait=False, timeout=None)

    def _user_data_sink(
        self, on_user_data: Callable[[Any, UserDataMessage], None] | None
    ) -> Callable[[Any, UserDataMessage], None] | None:
        """Where the core hands user data events (the asyncio client also queues them)."""
        return on_user_data

    @classmethod
    def testnet(cls: type[C], api_key: str | None = None, api_secret: str | None = None, **kwargs: Any) -> C:
        """A client of the Spot testnet WebSocket API (``wss://ws-api.testnet.binance.vision``)."""
        return cls(api_key, api_secret, stream_url=TESTNET_WS_API, **kwargs)

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


class SpotWebsocketAPIClient(_ClientBase):
    """Blocking client of the Binance Spot WebSocket API.

    Args:
        api_key: the API key (``apiKey`` of signed requests).
        api_secret: the HMAC secret, for HMAC keys.
        private_key: an RSA or Ed25519 private key, PEM text or the path of a PEM file
            (``session.logon`` needs Ed25519).
        private_key_pass: the passphrase of ``private_key``.
        on_message: ``on_message(message)``, called with one typed
            :data:`~binance_typed.ws.api.WsMessage` (in the connection's reader thread): a
            :class:`WsResponse` for each request made with :meth:`submit`, a
            :class:`UserDataMessage` for user data events (unless ``on_user_data`` is given), and
            any other frame as a dict. (The connector-compatible client of
            ``binance_typed.websocket.spot`` keeps the connector's ``on_message(client, text)``.)
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
    def call(
        self,
        endpoint: Endpoint,
        params: Params,
        *,
        timeout: float | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one validated request and return its typed result (what the groups call).

        A signed request refused with -1021 (clock outside ``recvWindow``) resyncs the clock
        from ``time`` and is sent once more, as on REST: Binance rejected it, so nothing ran.
        ``timeout`` and ``extra_params`` apply to this call only.
        """
        if timeout is not None or extra_params:
            token = call_overrides.set(ws_overrides(timeout, extra_params))
            try:
                return self.call(endpoint, params)
            finally:
                call_overrides.reset(token)
        try:
            return self._core.call(endpoint, params)
        except InvalidTimestampError:
            if not resync_allowed(endpoint):
                raise
        self.sync_time()
        return self._core.call(endpoint, params)

    def request(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        """Call a method by its WebSocket API name with API-named parameters; typed result."""
        endpoint = self._endpoint(method)
        return self.call(endpoint, endpoint.params.build(**dict(params or {})))

    def submit(self, method: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> int:
        """Send ``method(*args, **kwargs)`` without waiting; returns the request id.

        The answer reaches ``on_message`` as a :class:`WsResponse` with the same id.
        """
        with submitting():
            return method(*args, **kwargs)  # type: ignore[no-any-return]

    def with_rate_limits(
        self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> tuple[T, list[RateLimit]]:
        """Call ``method`` and return its result with the ``rateLimits`` of that response."""
        with capturing_rate_limits() as bucket:
            result = method(*args, **kwargs)
        return result, parse_rate_limits(bucket[-1] if bucket else None)

    def resync_user_data(
        self, symbols: Iterable[str] | str = (), *, since: datetime | None = None
    ) -> UserDataResync:
        """Read what a :class:`~binance_typed.models.events.user_data.UserDataGapEvent` may have
        hidden: the open orders (all symbols, weight 80), the non-zero balances (weight 20) and,
        for each of ``symbols``, its orders created or updated since ``since`` (pass the gap's
        ``start``; weight 20 per symbol). Safe to call from ``on_user_data``::

            def on_user_data(ws, message):
                if isinstance(message.event, UserDataGapEvent):
                    state = ws.resync_user_data(["BTCUSDT"], since=message.event.start)
        """
        open_orders = self.account.get_open_orders()
        info = self.account.info(omitZeroBalances=True)
        recent = {
            symbol: changed_since(self.account.get_all_orders(symbol, limit=RECENT_LIMIT), since)
            for symbol in symbols_of(symbols)
        }
        return build(open_orders, info, recent)

    def sync_time(self) -> int:
        """Measure the clock offset to Binance (``time``) and apply it to ``timestamp``; ms."""
        sent = time.time()
        server = self.market.time()
        received = time.time()
        return self._core.apply_clock(sent, server.server_time_ms, received)

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
