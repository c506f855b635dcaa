"""``LocalBinance``: the simulator served by uvicorn on 127.0.0.1 from a background thread."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import socket
import threading
import time
from decimal import Decimal
from types import TracebackType
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute

from .._client import AsyncClient, Client
from ._auth import ApiKey
from ._exchange import Exchange
from ._faults import Faults
from ._limits import Limits
from ._ops import load_handlers
from ._rest import rest_endpoint
from ._runtime import TEST_ACCOUNT, RecordedRequest, Runtime
from ._sapi import SapiState
from ._streams import Firehose, Hub, stream_endpoint
from ._symbols import DEFAULT_SYMBOLS, SymbolSpec
from ._wsapi import wsapi_endpoint

__all__ = ["LocalBinance", "build_app"]


def build_app(rt: Runtime) -> Starlette:
    load_handlers()
    verbs = ["GET", "POST", "PUT", "DELETE"]
    app = Starlette(routes=[
        Route("/api/{rest:path}", rest_endpoint, methods=verbs),
        Route("/sapi/{rest:path}", rest_endpoint, methods=verbs),
        WebSocketRoute("/ws-api/v3", wsapi_endpoint),
        WebSocketRoute("/ws", stream_endpoint),
        WebSocketRoute("/ws/{streams:path}", stream_endpoint),
        WebSocketRoute("/stream", stream_endpoint),
    ])
    app.state.rt = rt
    return app


class LocalBinance:
    """A deterministic Binance Spot on a free 127.0.0.1 port (REST, streams, WebSocket API).

    Use as a context manager (or the ``local_binance`` pytest fixture)::

        with LocalBinance() as exchange:
            client = exchange.client()
            client.market.time()

    Args:
        port: the port (0 picks a free one).
        symbols: the listed symbols (BTCUSDT, ETHUSDT, BNBBTC by default).
        weight_limit / weight_window: request weight budget per window (seconds).
        orders_10s: order count limit per 10 seconds.
        ban_after / ban_seconds: 429s tolerated per window before a 418 ban, and its length.
        ping_interval / ping_timeout: server WebSocket pings (seconds; None disables).
        clock_offset_ms: skew of the server clock (to exercise -1021 and time sync).
        levels: market-maker price levels seeded on each side of each book.
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1", *, symbols: tuple[SymbolSpec, ...] = DEFAULT_SYMBOLS,
                 weight_limit: int = 6000, weight_window: float = 60.0, orders_10s: int = 100, ban_after: int = 5,
                 ban_seconds: float = 120.0, ping_interval: float | None = 20.0, ping_timeout: float | None = 20.0,
                 clock_offset_ms: int = 0, levels: int = 20) -> None:
        self.host, self._port = host, port
        self.engine = Exchange(symbols, clock_offset_ms=clock_offset_ms, levels=levels)
        limits = Limits(weight_limit, weight_window, orders_10s, ban_after=ban_after, ban_seconds=ban_seconds)
        self.rt = Runtime(self.engine, limits, ping_interval)
        self._ping = (ping_interval, ping_timeout)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> LocalBinance:
        """Bind the port and serve REST, streams and the WebSocket API in a background thread; returns self."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # accepted connections inherit it: without it each answer waits ~40 ms for a delayed ACK
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((self.host, self._port))
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            build_app(self.rt), log_level="error", access_log=False, lifespan="off", ws="websockets-sansio",
            http="h11", ws_ping_interval=self._ping[0], ws_ping_timeout=self._ping[1], timeout_graceful_shutdown=1,
        )
        server = self._server = uvicorn.Server(config)
        ready = threading.Event()

        async def serve() -> None:
            self._loop = asyncio.get_running_loop()
            self.rt.hub = Hub(self.rt, self._loop)
            ready.set()
            await server.serve(sockets=[sock])

        def find(client: Any) -> Any:
            wanted = tuple(client) if client else None
            return next((p for p in list(server.server_state.connections) if getattr(p, "client", None) == wanted), None)

        self.rt.find_connection = find
        self._thread = threading.Thread(target=lambda: asyncio.run(serve()), name="local-binance", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("LocalBinance did not start")
            time.sleep(0.005)
        ready.wait(5)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the server thread (up to 5 s)."""
        self.rt.stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(5)
        self._server = self._thread = None

    def __enter__(self) -> LocalBinance:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- addresses and clients --------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The TCP port the exchange listens on (chosen at start when 0 was asked)."""
        return self._port

    @property
    def rest_url(self) -> str:
        """Base URL of the REST API (``http://127.0.0.1:<port>``)."""
        return f"http://{self.host}:{self._port}"

    @property
    def ws_api_url(self) -> str:
        """URL of the WebSocket API (``ws://127.0.0.1:<port>/ws-api/v3``)."""
        return f"ws://{self.host}:{self._port}/ws-api/v3"

    @property
    def stream_url(self) -> str:
        """Base URL of the market streams (``ws://127.0.0.1:<port>``)."""
        return f"ws://{self.host}:{self._port}"

    @property
    def api_key(self) -> str:
        """The API key of the test account (accepted by every signed endpoint)."""
        return self.rt.test_key.key

    @property
    def api_secret(self) -> str:
        """The HMAC secret of the test account's key."""
        assert self.rt.test_key.secret is not None
        return self.rt.test_key.secret

    def client(self, **kwargs: Any) -> Client:
        """A :class:`Client` of this exchange with the funded test account's HMAC key."""
        kwargs.setdefault("base_url", self.rest_url)
        if "private_key" not in kwargs:
            kwargs.setdefault("api_key", self.api_key)
            kwargs.setdefault("api_secret", self.api_secret)
        return Client(**kwargs)

    def async_client(self, **kwargs: Any) -> AsyncClient:
        """An :class:`~binance_typed.AsyncClient` of this exchange, signed with the test key unless ``kwargs`` say otherwise."""
        kwargs.setdefault("base_url", self.rest_url)
        if "private_key" not in kwargs:
            kwargs.setdefault("api_key", self.api_key)
            kwargs.setdefault("api_secret", self.api_secret)
        return AsyncClient(**kwargs)

    def new_key(self, kind: str = "Ed25519", account: int = TEST_ACCOUNT) -> tuple[str, str]:
        """Register a fresh ``"Ed25519"``, ``"RSA"`` or ``"HMAC"`` key: returns (api_key, private PEM or secret)."""
        if kind == "HMAC":
            secret_key = self.rt.keys.add_hmac(account)
            assert secret_key.secret is not None
            return secret_key.key, secret_key.secret
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

        private: Any = ed25519.Ed25519PrivateKey.generate() if kind == "Ed25519" else \
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                       serialization.PublicFormat.SubjectPublicKeyInfo)
        api: ApiKey = self.rt.keys.add_public(account, public_pem)
        pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
        return api.key, pem

    def key_client(self, kind: str = "Ed25519", **kwargs: Any) -> Client:
        """A client signing with a freshly registered key of ``kind`` (Ed25519 or RSA)."""
        key, pem = self.new_key(kind)
        return self.client(api_key=key, private_key=pem, **kwargs)

    def call(self, method: str, path: str, params: dict[str, Any] | None = None, *, signed: bool = False,
             api_key: str | None = None, secret: str | None = None, headers: dict[str, str] | None = None,
             timeout: float = 10.0) -> httpx.Response:
        """Send a raw request (HMAC-signed with the test key when ``signed``); for tests of odd input."""
        from urllib.parse import urlencode

        items = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in (params or {}).items()]
        query = urlencode(items)
        sent = dict(headers or {})
        if signed or api_key is not None:
            sent.setdefault("X-MBX-APIKEY", api_key or self.api_key)
        if signed:
            if "timestamp" not in (params or {}):
                query = f"{query}&timestamp={self.engine.now()}" if query else f"timestamp={self.engine.now()}"
            digest = hmac.new((secret or self.api_secret).encode(), query.encode(), hashlib.sha256).hexdigest()
            query = f"{query}&signature={digest}"
        url = f"{self.rest_url}{path}" + (f"?{query}" if query else "")
        return httpx.request(method, url, headers=sent, timeout=timeout)

    # -- state and tools --------------------------------------------------------------------------
    @property
    def faults(self) -> Faults:
        """The fault injector: queue errors, delays and dropped connections for the next requests."""
        return self.rt.faults

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first."""
        return self.rt.requests

    @property
    def limits(self) -> Limits:
        """The exchange's rate limit counters (weights and order counts)."""
        return self.rt.limits

    @property
    def sapi(self) -> SapiState:
        """The /sapi state: wallets (``wallet(account, "FUNDING")``), ``deposit(coin, amount)``, /sapi limits."""
        from ._sapi import sapi_state

        return sapi_state(self.rt)

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """The recorded requests to ``path`` (and ``method``, when given)."""
        return [r for r in self.requests if r.path == path and (method is None or r.method == method)]

    def balances(self, account: int = TEST_ACCOUNT) -> dict[str, tuple[Decimal, Decimal]]:
        """``{asset: (free, locked)}`` of an account (the test account by default)."""
        with self.engine.lock:
            return {a: (b.free, b.locked) for a, b in self.engine.account_balances(account).items()}

    def fund(self, asset: str, amount: Decimal | str | int, account: int = TEST_ACCOUNT) -> None:
        """Credit ``amount`` of ``asset`` to an account (the test account by default)."""
        self.engine.fund(account, asset, amount)

    @property
    def hub(self) -> Hub:
        """The stream hub: who is subscribed to which stream."""
        hub: Hub = self.rt.hub
        return hub

    def publish(self, stream: str, payload: dict[str, Any]) -> int:
        """Push ``payload`` to the subscribers of ``stream`` now; returns how many there are."""
        return self.hub.publish(stream, payload)

    def firehose(self, stream: str, rate: int, duration: float | None = None) -> Firehose:
        """Push ``rate`` synthetic trade events per second to ``stream``; ``.stop()`` returns the count."""
        return Firehose(self.hub, stream, rate, duration)

    def shutdown_streams(self, close_after: float | None = None) -> None:
        """Send ``serverShutdown`` to every WebSocket (streams and WebSocket API), and close them
        ``close_after`` seconds later (default ``hub.shutdown_close_after``, 2 s)."""
        self.hub.shutdown(close_after=close_after)

    def cut_connections(self) -> None:
        """Abort every WebSocket's TCP connection without a close frame."""
        self.hub.cut()

    def subscribers(self, stream: str) -> int:
        """How many connections are subscribed to ``stream`` now."""
        with self.hub.lock:
            return len(self.hub.subs.get(stream, ()))

    def wait_for_subscribers(self, stream: str, n: int = 1, timeout: float = 5.0) -> None:
        """Block until ``stream`` has ``n`` subscribers; TimeoutError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self.subscribers(stream) < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no subscriber on {stream}")
            time.sleep(0.01)


