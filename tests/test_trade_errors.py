"""The documented error answers of the trading endpoints, through Client and AsyncClient.

Each case of ``cases.trade.ERROR_CASES`` is served its example body with the case's status; the
request must be exactly the expected one (query, key, HMAC signature) and the raised
:class:`ClientError` must carry Binance's code, message and, for cancel-replace, the ``data``
with both outcomes, which :class:`CancelReplaceFailure` parses losslessly.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from cases import Case
from cases.trade import ERROR_CASES
from support import (
    API_KEY,
    API_SECRET,
    EXAMPLES,
    TESTNET,
    Captured,
    assert_hmac_signed,
    assert_no_extra,
    dump,
    unsigned_query,
)

from binance_typed import AsyncClient, Client
from binance_typed.endpoints import all_endpoints
from binance_typed.error import ClientError, RateLimitError
from binance_typed.models.trade import CancelledOrder, CancelReplaceFailure, ErrorPayload, OrderAck

ENDPOINTS = {ep.dotted: ep for ep in all_endpoints(("trade",))}


def _body(case: Case) -> bytes:
    return (EXAMPLES / "rest" / case.example).read_bytes()


def _respond(case: Case) -> httpx.MockTransport:
    headers = {"Content-Type": "application/json;charset=UTF-8", "X-MBX-USED-WEIGHT-1M": "7"}
    if case.status == 429:
        headers["Retry-After"] = "3"
    return httpx.MockTransport(lambda request: httpx.Response(case.status, content=_body(case), headers=headers))


def _call(client: Any, case: Case) -> Any:
    group, method = case.call.split(".")
    return getattr(getattr(client, group), method)(*case.args, **case.kwargs)


def _check(case: Case, request: httpx.Request, exc: ClientError) -> None:
    ep = ENDPOINTS[case.call]
    assert request.method == ep.verb and request.url.path == ep.path
    assert unsigned_query(request) == case.query
    assert_hmac_signed(request)
    body = json.loads(_body(case))
    assert exc.status_code == case.status
    assert exc.error_code == body["code"] and exc.error_message == body["msg"]
    assert exc.error_data == body.get("data")
    assert isinstance(exc, RateLimitError) == (case.status == 429)
    failure = CancelReplaceFailure.from_error(exc)
    if "data" in body:
        assert failure is not None
        assert dump(failure) == body["data"]
        assert_no_extra(failure)
    else:
        assert failure is None


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.id for c in ERROR_CASES])
def test_sync(case: Case) -> None:
    captured = Captured()
    http = httpx.Client(transport=_respond(case), event_hooks={"request": [captured.hook]})
    with Client(API_KEY, API_SECRET, base_url=TESTNET, http_client=http) as client:
        with pytest.raises(ClientError) as info:
            _call(client, case)
        assert len(captured.requests) == 1
    _check(case, captured.last, info.value)


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.id for c in ERROR_CASES])
def test_async(case: Case) -> None:
    async def run() -> tuple[Captured, ClientError]:
        captured = Captured()
        http = httpx.AsyncClient(transport=_respond(case), event_hooks={"request": [captured.ahook]})
        async with AsyncClient(API_KEY, API_SECRET, base_url=TESTNET, http_client=http) as client:
            with pytest.raises(ClientError) as info:
                await _call(client, case)
        return captured, info.value

    captured, exc = asyncio.run(run())
    assert len(captured.requests) == 1
    _check(case, captured.last, exc)


def test_cancel_replace_failure_shapes() -> None:
    """Each side of a failed cancel-replace parses to its response model or an ErrorPayload."""
    by_label = {c.label: c for c in ERROR_CASES}

    def failure(label: str) -> CancelReplaceFailure:
        exc = ClientError(409, -2021, "x", error_data=json.loads(_body(by_label[label]))["data"])
        parsed = CancelReplaceFailure.from_error(exc)
        assert parsed is not None
        return parsed

    stopped = failure("cancel_failed")
    assert stopped.new_order_result == "NOT_ATTEMPTED" and stopped.new_order_response is None
    assert stopped.cancel_response == ErrorPayload(code=-2011, msg="Unknown order sent.")
    partial = failure("new_order_failed")
    assert type(partial.cancel_response) is CancelledOrder
    assert isinstance(partial.new_order_response, ErrorPayload) and partial.new_order_response.code == -2010
    allowed = failure("allow_failure")
    assert isinstance(allowed.cancel_response, ErrorPayload)
    assert type(allowed.new_order_response) is OrderAck and allowed.new_order_response.order_id == 11
    rate = failure("cancel_only")
    assert isinstance(rate.new_order_response, ErrorPayload) and rate.new_order_response.code == -1015


def test_every_trading_example_has_a_case() -> None:
    """Every documented POST/PUT/DELETE example (all trading endpoints) is a case, errors included."""
    from cases.trade import CASES

    documented = {p.name for p in (EXAMPLES / "rest").glob("*.json") if p.name.startswith(("POST", "DELETE", "PUT"))}
    covered = {c.example for c in [*CASES, *ERROR_CASES]}
    assert documented == covered
