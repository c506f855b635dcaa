"""REST routes: ``/api/v3/*`` requests checked as Binance checks them, then run from the op table (``/sapi/*``: ``_sapi``)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from ._errors import BANNED, WEIGHT_EXCEEDED, ApiError, mandatory
from ._faults import Fault
from ._ops import REST_ROUTES, Op, run
from ._runtime import RecordedRequest, Runtime

__all__ = ["rest_endpoint"]

JSON = "application/json;charset=UTF-8"
HTML_PAGE = (
    "<html>\r\n<head><title>{status} Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>{status} Bad Gateway</h1></center>\r\n<hr><center>CloudFront</center>\r\n</body>\r\n</html>\r\n"
)


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _pairs(text: str) -> list[tuple[str, str]]:
    return parse_qsl(text, keep_blank_values=True)


def _without_signature(text: str) -> str:
    return "&".join(p for p in text.split("&") if p and not p.startswith("signature="))


def params_of(query: str, body: str) -> dict[str, str]:
    raw: dict[str, str] = {}
    for key, value in _pairs(query) + _pairs(body):
        if key in raw:
            raise ApiError(-1101)
        raw[key] = value
    return raw


def authenticate(rt: Runtime, op: Op, headers: dict[str, str], query: str, body: str,
                 raw: dict[str, str]) -> int | None:
    """The account of the key in ``X-MBX-APIKEY``; SIGNED: verify the signature over query + body."""
    if op.security == "NONE":
        return None
    api = rt.keys.lookup(headers.get("x-mbx-apikey"))
    if op.security == "SIGNED":
        signature = raw.pop("signature", "")
        if not signature:
            raise mandatory("signature")
        if not api.verify(_without_signature(query) + _without_signature(body), signature):
            raise ApiError(-1022)
    return api.account


def process(rt: Runtime, method: str, path: str, query: str, body: str, headers: dict[str, str]) -> Response:
    if path.startswith("/sapi/"):
        from ._sapi import process_sapi

        return process_sapi(rt, method, path, query, body, headers)
    op = REST_ROUTES.get((method, path))
    if op is None:
        return Response("", status_code=404)
    extra: dict[str, str] = {}
    try:
        raw = params_of(query, body)
        try:
            rt.limits.charge(op.weight_for(raw))
        finally:
            extra.update(rt.limits.headers(op.orders > 0))
        unit = headers.get("x-mbx-time-unit", "MILLISECOND").upper()
        if unit not in ("MILLISECOND", "MICROSECOND"):
            raise ApiError(-1194)
        account = authenticate(rt, op, headers, query, body, raw)
        if op.orders:
            try:
                rt.limits.count_order(op.orders)
            finally:
                extra.update(rt.limits.headers(True))
        result = run(rt, op, raw, account, micro=unit == "MICROSECOND")
    except ApiError as error:
        extra.update(error.headers)
        return Response(dumps(error.body()), status_code=error.status, headers=extra, media_type=JSON)
    if op.orders:
        extra.update(rt.limits.headers(True))
    return Response(dumps(result), headers=extra, media_type=JSON)


def fault_response(fault: Fault) -> Response | None:
    """The canned answer of a status / content fault (None for ``slow`` and ``drop``)."""
    kind = fault.kind
    if kind == "500":
        body = {"code": -1001, "msg": "Internal error; unable to process your request. Please try again."}
        return Response(dumps(body), status_code=fault.status or 500, media_type=JSON)
    if kind == "503":
        body = {"code": -1008, "msg": "Server is currently overloaded with other requests. Please try again in a few minutes."}
        return Response(dumps(body), status_code=fault.status or 503, media_type=JSON)
    if kind in ("429", "418"):
        msg = WEIGHT_EXCEEDED.format(limit=6000, interval="1 MINUTE") if kind == "429" else \
            BANNED.format(until=int((time.time() + fault.retry_after) * 1000))
        return Response(dumps({"code": -1003, "msg": msg}), status_code=int(kind), media_type=JSON,
                        headers={"Retry-After": str(fault.retry_after)})
    if kind == "html":
        status = fault.status or 502
        return Response(HTML_PAGE.format(status=status), status_code=status, media_type="text/html")
    if kind == "malformed_json":
        return Response('{"serverTime":17', status_code=fault.status or 200, media_type=JSON)
    return None


async def _sleep(rt: Runtime, delay: float) -> None:
    deadline = time.monotonic() + delay
    while not rt.stopping.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(min(0.05, max(0.0, deadline - time.monotonic())))


def _drop(rt: Runtime, request: Request) -> Response:
    protocol = rt.find_connection(request.scope.get("client"))
    if protocol is not None:
        protocol.transport.abort()
    return Response("", status_code=500)


async def rest_endpoint(request: Request) -> Response:
    rt: Runtime = request.app.state.rt
    method, path = request.method, request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    body = (await request.body()).decode("latin-1")
    headers = {k.lower(): v for k, v in request.headers.items()}
    rt.record(RecordedRequest(method, path, query, headers, body))
    fault = rt.faults.take(False, method, path)
    if fault is not None:
        canned = fault_response(fault)
        if canned is not None:
            return canned
        if fault.kind == "slow":
            await _sleep(rt, fault.delay)
        elif fault.kind == "drop" and not fault.execute:
            return _drop(rt, request)
    response = process(rt, method, path, query, body, headers)
    if fault is not None and fault.kind == "drop":
        return _drop(rt, request)
    return response
