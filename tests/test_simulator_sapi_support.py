"""Helpers of the /sapi simulator tests (no tests here): raw signed HTTP calls with the SDK's signing code."""

from __future__ import annotations

import atexit
import functools
from decimal import Decimal
from typing import Any

import httpx

from binance_typed._signing import HmacSigner, encode_params
from binance_typed.testing import LocalBinance


def sapi_call(exchange: LocalBinance, verb: str, path: str, params: dict[str, Any] | None = None, *,
              signed: bool = True, api_key: str | None = None, secret: str | None = None,
              signature: str | None = None, timestamp: int | None = None) -> httpx.Response:
    """Send ``verb path`` with ``params`` in the query; signed: ``timestamp`` + HMAC ``signature``.

    ``api_key=""`` sends no key; ``signature`` replaces the computed one (to send a wrong one).
    """
    items = [(k, _text(v)) for k, v in (params or {}).items()]
    if signed:
        items.append(("timestamp", str(timestamp if timestamp is not None else exchange.engine.now())))
        query = encode_params(items)
        sig = signature if signature is not None else HmacSigner(secret or exchange.api_secret).sign(query)
        query = f"{query}&signature={sig}"
    else:
        query = encode_params(items)
    headers = {} if api_key == "" else {"X-MBX-APIKEY": api_key or exchange.api_key}
    url = f"{exchange.rest_url}{path}" + (f"?{query}" if query else "")
    return _client().request(verb, url, headers=headers)


@functools.cache
def _client() -> httpx.Client:
    """One client for every call (building one per request costs an SSL context each time)."""
    client = httpx.Client(timeout=10)
    atexit.register(client.close)
    return client


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text)
    return response.json()


def error(response: httpx.Response, status: int = 400) -> tuple[int, str]:
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"code", "msg"}, body
    return body["code"], body["msg"]


def spot(exchange: LocalBinance, asset: str) -> Decimal:
    return exchange.balances().get(asset, (Decimal(0), Decimal(0)))[0]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
