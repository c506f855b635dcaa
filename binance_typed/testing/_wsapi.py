"""WebSocket API at ``/ws-api/v3``: the op table behind ``{"id", "method", "params"}`` envelopes.

Signed requests are verified over their parameters sorted by name (as sent, or percent-encoded);
``session.logon`` (Ed25519 keys) authenticates the connection; ``userDataStream.subscribe`` and
``userDataStream.subscribe.signature`` deliver the account's events as
``{"subscriptionId": n, "event": {...}}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.websockets import WebSocket, WebSocketDisconnect

from ._auth import ApiKey, check_timestamp
from ._errors import ApiError, mandatory
from ._ops import OPS, run
from ._rest import fault_response
from ._runtime import RecordedRequest, Runtime
from ._stream_payloads import scale_event
from ._streams import Conn, Hub, dumps

__all__ = ["wsapi_endpoint"]


def wire(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


class Session:
    def __init__(self, rt: Runtime, conn: Conn, return_limits: bool) -> None:
        self.rt = rt
        self.conn = conn
        self.return_limits = return_limits
        self.connected = rt.exchange.now()
        self.key: ApiKey | None = None
        self.authorized: int | None = None
        self.subscriptions: dict[int, int] = {}
        """subscription id -> account."""
        self.logon_subscription: int | None = None
        self._next_sub = 0

    # -- helpers ----------------------------------------------------------------------------------
    def verify(self, raw: dict[str, str]) -> ApiKey:
        """Check ``apiKey`` and ``signature`` (sorted parameters) and the timestamp."""
        if not raw.get("apiKey"):
            raise mandatory("apiKey")
        api = self.rt.keys.lookup(raw.pop("apiKey"))
        signature = raw.pop("signature", "")
        if not signature:
            raise mandatory("signature")
        items = sorted((*raw.items(), ("apiKey", api.key)))
        plain = "&".join(f"{k}={v}" for k, v in items)
        encoded = "&".join(f"{k}={quote(v, safe='-_.~')}" for k, v in items)
        if not (api.verify(plain, signature) or api.verify(encoded, signature)):
            raise ApiError(-1022)
        return api

    def status(self) -> dict[str, Any]:
        return {"apiKey": self.key.key if self.key else None, "authorizedSince": self.authorized,
                "connectedSince": self.connected, "returnRateLimits": self.return_limits,
                "serverTime": self.rt.exchange.now(), "userDataStream": self.logon_subscription is not None}

    def subscribe(self, account: int) -> int:
        if account in self.subscriptions.values():  # one subscription per account per connection
            raise ApiError(-2035)
        sub = self._next_sub
        self._next_sub += 1
        self.subscriptions[sub] = account
        return sub

    def on_user(self, account: int, event: dict[str, Any]) -> None:
        for sub, owner in list(self.subscriptions.items()):
            if owner == account:
                self.conn.put(dumps({"subscriptionId": sub, "event": scale_event(event) if self.conn.micro else event}))

    # -- session methods --------------------------------------------------------------------------
    def logon(self, raw: dict[str, str]) -> Any:
        check_timestamp(raw, self.rt.exchange.now())
        api = self.verify(raw)
        if api.kind != "Ed25519":
            raise ApiError(-1002)
        self.key, self.authorized = api, self.rt.exchange.now()
        return self.status()

    def logout(self, raw: dict[str, str]) -> Any:
        self.key = self.authorized = None
        if self.logon_subscription is not None:
            self.subscriptions.pop(self.logon_subscription, None)
            self.logon_subscription = None
        return self.status()

    def uds_subscribe(self, raw: dict[str, str]) -> Any:
        if self.key is None:
            raise ApiError(-1002)
        if self.logon_subscription is not None:
            raise ApiError(-2035)
        self.logon_subscription = self.subscribe(self.key.account)
        return {"subscriptionId": self.logon_subscription}

    def uds_subscribe_signature(self, raw: dict[str, str]) -> Any:
        check_timestamp(raw, self.rt.exchange.now())
        api = self.verify(raw)
        return {"subscriptionId": self.subscribe(api.account)}

    def uds_unsubscribe(self, raw: dict[str, str]) -> Any:
        if "subscriptionId" in raw:
            sub = int(raw["subscriptionId"]) if raw["subscriptionId"].isdigit() else -1
            if sub not in self.subscriptions:
                raise ApiError(-2036)
            del self.subscriptions[sub]
            if sub == self.logon_subscription:
                self.logon_subscription = None
        else:
            if not self.subscriptions:
                raise ApiError(-2036)
            self.subscriptions.clear()
            self.logon_subscription = None
        return {}

    def subscriptions_list(self, raw: dict[str, str]) -> Any:
        return [{"subscriptionId": s} for s in self.subscriptions]

    # -- dispatch ---------------------------------------------------------------------------------
    def handle(self, method: str, raw: dict[str, str]) -> tuple[Any, bool]:
        """Run one request; returns (result, counts_orders)."""
        special: dict[str, Callable[[dict[str, str]], Any]] = {
            "session.logon": self.logon, "session.status": lambda r: self.status(), "session.logout": self.logout,
            "userDataStream.subscribe": self.uds_subscribe,
            "userDataStream.subscribe.signature": self.uds_subscribe_signature,
            "userDataStream.unsubscribe": self.uds_unsubscribe, "session.subscriptions": self.subscriptions_list,
        }
        if method in special:
            self.rt.limits.charge(2)
            return special[method](raw), False
        op = OPS.get(method)
        if op is None:
            raise ApiError(-1020)
        self.rt.limits.charge(op.weight_for(raw))
        account = None
        if op.security != "NONE":
            if "signature" in raw or op.security == "API_KEY" and "apiKey" in raw:
                account = self.verify(raw).account if op.security == "SIGNED" else self.rt.keys.lookup(
                    raw.pop("apiKey")).account
                raw.pop("returnRateLimits", None)  # signed like any parameter, then read here
            elif self.key is not None:
                raw.pop("apiKey", None)
                account = self.key.account
            else:
                raise mandatory("apiKey") if "apiKey" not in raw else mandatory("signature")
        if op.orders:
            self.rt.limits.count_order(op.orders)
        return run(self.rt, op, raw, account, micro=self.conn.micro), op.orders > 0


def answer(session: Session, text: str) -> str:
    rt = session.rt
    rid: Any = None
    orders = False
    wants_limits: str | None = None  # a per-request returnRateLimits overrides the connection's
    try:
        try:
            msg = json.loads(text)
        except ValueError:
            raise ApiError(-1135) from None
        if not isinstance(msg, dict):
            raise ApiError(-1135)
        rid = msg.get("id")
        method = msg.get("method")
        params = msg.get("params", {})
        rt.record(RecordedRequest(str(method), "/ws-api/v3", dumps(params), {}, text, transport="ws-api"))
        if not isinstance(method, str) or not method:
            raise mandatory("method")
        if not isinstance(params, dict):
            raise ApiError(-1135)
        raw = {str(k): wire(v) for k, v in params.items()}
        fault = rt.faults.take(False, "WS", method)  # WebSocket API faults match the method name
        canned = fault_response(fault) if fault is not None else None
        if canned is not None:
            try:
                error_body = json.loads(bytes(canned.body))
            except ValueError:
                error_body = {"code": -1000, "msg": "An unknown error occurred while processing the request."}
            return dumps({"id": rid, "status": canned.status_code, "error": error_body})
        wants_limits = raw.get("returnRateLimits")
        if "signature" not in raw:  # unsigned: nothing to verify it against, read it now
            raw.pop("returnRateLimits", None)
        result, orders = session.handle(method, raw)
        out: dict[str, Any] = {"id": rid, "status": 200, "result": result}
    except ApiError as error:
        body: dict[str, Any] = error.body()
        if "Retry-After" in error.headers:
            body["data"] = {"retryAfter": int((time.time() + float(error.headers["Retry-After"])) * 1000)}
        out = {"id": rid, "status": error.status, "error": body}
    if (session.return_limits and wants_limits != "false") or wants_limits == "true":
        out["rateLimits"] = rt.limits.ws_rate_limits(orders)
    return dumps(out)


async def wsapi_endpoint(ws: WebSocket) -> None:
    rt: Runtime = ws.app.state.rt
    hub: Hub = rt.hub
    micro = ws.query_params.get("timeUnit", "").upper() == "MICROSECOND"
    await ws.accept()
    conn = Conn(ws, hub, "ws-api", micro)
    session = Session(rt, conn, ws.query_params.get("returnRateLimits", "true") != "false")
    hub.add(conn)
    rt.exchange.user_listeners.append(session.on_user)
    sender = asyncio.ensure_future(conn.sender())

    async def receiver() -> None:
        while True:
            text = await ws.receive_text()
            conn.put(answer(session, text))

    reader = asyncio.ensure_future(receiver())
    try:
        await asyncio.wait({sender, reader}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        hub.remove(conn)
        if session.on_user in rt.exchange.user_listeners:
            rt.exchange.user_listeners.remove(session.on_user)
        for task in (sender, reader):
            task.cancel()
        for task in (sender, reader):
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError, OSError):
                await task
