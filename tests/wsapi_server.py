"""A small fake of the Binance WebSocket API for tests, on 127.0.0.1 in a background thread.

It speaks the envelope (``{"id", "status", "result" | "error", "rateLimits"}``), answers every
documented method with its documented example result, records each request, checks signatures
(HMAC secret or Ed25519/RSA public key) and sessions (``session.logon`` / ``logout``), pushes user
data events to subscribers, and can be told to hold answers, fail, or drop connections.

    with FakeWsApi(hmac_secret=SECRET, public_key=ED_PUB) as server:
        ws = SpotWebsocketAPIClient(KEY, SECRET, stream_url=server.url)
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

EXAMPLES = Path(__file__).resolve().parent / "spec" / "examples"
WEIGHT = [
    {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 6000, "count": 2}
]


def documented_results() -> dict[str, Any]:
    """The first documented successful ``result`` of every method."""
    out: dict[str, Any] = {}
    for path in sorted((EXAMPLES / "wsapi").glob("*.json")):
        method = path.stem.split("__")[0]
        data = json.loads(path.read_text())
        if method not in out and data.get("status") == 200 and "result" in data:
            out[method] = data["result"]
    return out


def payload(params: dict[str, Any]) -> str:
    def text(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (list, dict)):
            return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
        return str(v)

    return "&".join(f"{k}={text(params[k])}" for k in sorted(params) if k != "signature")


class Conn:
    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.api_key: str | None = None
        self.subscriptions: set[int] = set()


Handler = Callable[["FakeWsApi", Conn, dict[str, Any]], "dict[str, Any] | None"]


class FakeWsApi:
    """The fake server. ``handlers[method]`` overrides an answer (return None to stay silent)."""

    def __init__(
        self,
        hmac_secret: str | None = None,
        public_key: Any = None,
        port: int = 0,
        rate_limits: bool = True,
    ) -> None:
        self.hmac_secret = hmac_secret
        self.public_key = public_key
        self.port = port
        self.rate_limits = rate_limits
        self.results = documented_results()
        self.handlers: dict[str, Handler] = {}
        self.requests: list[dict[str, Any]] = []
        self.urls: list[str] = []
        self.conns: list[Conn] = []
        self.hold: set[str] = set()
        """Methods whose requests are recorded but never answered."""
        self.drop_on: set[str] = set()
        """Methods whose arrival makes the server cut the connection without answering."""
        self.record = True
        self.connections = 0
        self.logons = 0
        self._next_sub = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._stop: asyncio.Event | None = None
        self._server: Any = None

    # -- lifecycle --------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws-api/v3"

    def start(self) -> FakeWsApi:
        self._thread = threading.Thread(target=self._run, name="fake-ws-api", daemon=True)
        self._thread.start()
        if not self._started.wait(5):
            raise RuntimeError("fake server did not start")
        return self

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with serve(
            self._handle, "127.0.0.1", self.port, ping_interval=None, max_queue=None, compression=None
        ) as server:
            self._server = server
            self.port = server.sockets[0].getsockname()[1]
            self._started.set()
            await self._stop.wait()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakeWsApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run_soon(self, fn: Callable[[], Any]) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(fn)

    # -- controls (any thread) --------------------------------------------------------------------
    def drop_all(self) -> None:
        """Cut every connection at the TCP level (no close frame), like a network failure."""

        def cut() -> None:
            for conn in list(self.conns):
                conn.ws.transport.abort()

        self._run_soon(cut)

    def push_event(self, event: dict[str, Any], subscription_id: int | None = None) -> None:
        """Send a user data event to every connection subscribed (to ``subscription_id``)."""

        def send() -> None:
            for conn in list(self.conns):
                for sid in sorted(conn.subscriptions):
                    if subscription_id is None or sid == subscription_id:
                        frame = json.dumps({"subscriptionId": sid, "event": event})
                        asyncio.ensure_future(conn.ws.send(frame))

        self._run_soon(send)

    def send_raw(self, frame: dict[str, Any]) -> None:
        def send() -> None:
            for conn in list(self.conns):
                asyncio.ensure_future(conn.ws.send(json.dumps(frame)))

        self._run_soon(send)

    def methods(self) -> list[str]:
        return [r["method"] for r in self.requests]

    def last(self, method: str) -> dict[str, Any]:
        for request in reversed(self.requests):
            if request["method"] == method:
                return request
        raise LookupError(method)

    # -- protocol ---------------------------------------------------------------------------------
    async def _handle(self, ws: ServerConnection) -> None:
        conn = Conn(ws)
        self.conns.append(conn)
        self.connections += 1
        self.urls.append(ws.request.path if ws.request else "")
        try:
            async for text in ws:
                request = json.loads(text)
                if self.record:
                    self.requests.append(request)
                method = request.get("method", "")
                if method in self.drop_on:
                    ws.transport.abort()
                    return
                if method in self.hold:
                    continue
                response = self.respond(conn, request)
                if response is not None:
                    await ws.send(json.dumps(response))
        except Exception:  # noqa: BLE001, S110 - connection gone
            pass
        finally:
            self.conns.remove(conn)

    def error(self, request: dict[str, Any], status: int, code: int, msg: str, **data: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"code": code, "msg": msg}
        if data:
            body["data"] = data
        return {"id": request.get("id"), "status": status, "error": body}

    def _verify(self, params: dict[str, Any]) -> bool:
        signature = params.get("signature")
        if signature is None:
            return False
        text = payload(params).encode()
        if self.hmac_secret and len(signature) == 64:
            expected = hmac.new(self.hmac_secret.encode(), text, hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, signature.lower())
        if self.public_key is not None:
            try:
                raw = base64.b64decode(signature)
                if hasattr(self.public_key, "key_size"):
                    from cryptography.hazmat.primitives import hashes
                    from cryptography.hazmat.primitives.asymmetric import padding

                    self.public_key.verify(raw, text, padding.PKCS1v15(), hashes.SHA256())
                else:
                    self.public_key.verify(raw, text)
                return True
            except Exception:  # noqa: BLE001
                return False
        return True

    def respond(self, conn: Conn, request: dict[str, Any]) -> dict[str, Any] | None:
        method = request.get("method", "")
        params = request.get("params") or {}
        handler = self.handlers.get(method)
        if handler is not None:
            return handler(self, conn, request)
        rid = request.get("id")
        if method == "session.logon":
            if not self._verify(params):
                return self.error(request, 401, -1022, "Signature for this request is not valid.")
            conn.api_key = params.get("apiKey")
            self.logons += 1
            return self._ok(request, self._status(conn))
        if method == "session.status":
            return self._ok(request, self._status(conn))
        if method == "session.logout":
            conn.api_key = None
            conn.subscriptions.clear()
            return self._ok(request, self._status(conn))
        if method == "userDataStream.subscribe":
            if conn.api_key is None:
                return self.error(request, 401, -2015, "Invalid API-key, IP, or permissions for action.")
            return self._ok(request, {"subscriptionId": self._subscribe(conn)})
        if method == "userDataStream.subscribe.signature":
            if not self._verify(params):
                return self.error(request, 401, -1022, "Signature for this request is not valid.")
            return self._ok(request, {"subscriptionId": self._subscribe(conn)})
        if method == "userDataStream.unsubscribe":
            sid = params.get("subscriptionId")
            if sid is None:
                conn.subscriptions.clear()
            else:
                conn.subscriptions.discard(sid)
            return self._ok(request, {})
        if method == "session.subscriptions":
            return self._ok(request, [{"subscriptionId": s} for s in sorted(conn.subscriptions)])
        if "signature" in params and not self._verify(params):
            return self.error(request, 400, -1022, "Signature for this request is not valid.")
        if "timestamp" in params and "signature" not in params and conn.api_key is None:
            return self.error(request, 401, -2014, "API-key format invalid.")
        if method in self.results:
            return self._ok(request, self.results[method])
        return {"id": rid, "status": 400, "error": {"code": -1100, "msg": f"unknown method {method}"}}

    def _subscribe(self, conn: Conn) -> int:
        sid = self._next_sub
        self._next_sub += 1
        conn.subscriptions.add(sid)
        return sid

    def _status(self, conn: Conn) -> dict[str, Any]:
        return {
            "apiKey": conn.api_key,
            "authorizedSince": 1649729878532 if conn.api_key else None,
            "connectedSince": 1649729873021,
            "returnRateLimits": self.rate_limits,
            "serverTime": 1649729878630,
            "userDataStream": bool(conn.subscriptions),
        }

    def _ok(self, request: dict[str, Any], result: Any) -> dict[str, Any]:
        response: dict[str, Any] = {"id": request.get("id"), "status": 200, "result": result}
        params = request.get("params") or {}
        if params.get("returnRateLimits", self.rate_limits):
            response["rateLimits"] = WEIGHT
        return response


def ping_all(server: FakeWsApi, timeout: float = 2.0) -> int:
    """Ping every connection and wait for the pongs; returns how many answered."""

    async def run() -> int:
        waiters = [await conn.ws.ping(b"hello") for conn in list(server.conns)]
        done = 0
        for waiter in waiters:
            await asyncio.wait_for(waiter, timeout)
            done += 1
        return done

    assert server._loop is not None
    return asyncio.run_coroutine_threadsafe(run(), server._loop).result(timeout + 1)
