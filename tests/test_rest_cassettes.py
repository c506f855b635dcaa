"""Every REST case replayed from its cassette through Client and AsyncClient.

Asserts the exact request (verb, path, query, API key header, HMAC signature) and that the
documented example parses into the declared model with every field declared and every value
intact (dumped back to wire form, it equals the example).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from cases import Case, all_cases
from support import (
    API_KEY,
    API_SECRET,
    CASSETTES,
    TESTNET,
    Captured,
    assert_hmac_signed,
    assert_no_extra,
    dump,
    example,
    make_vcr,
    unsigned_query,
)

from binance_typed import AsyncClient, Client
from binance_typed._endpoint import Security
from binance_typed.endpoints import all_endpoints

CASES = all_cases()
ENDPOINTS = {ep.dotted: ep for ep in all_endpoints()}
recorder = make_vcr("none")


def _check(case: Case, request: httpx.Request, value: Any) -> None:
    ep = ENDPOINTS[case.call]
    assert request.method == ep.verb
    assert request.url.host == "testnet.binance.vision"
    assert request.url.path == ep.path
    assert unsigned_query(request) == case.query
    if ep.security is Security.SIGNED:
        assert_hmac_signed(request)
        assert request.url.params["timestamp"].isdigit()
    elif ep.security is Security.API_KEY:
        assert request.headers["X-MBX-APIKEY"] == API_KEY
        assert "signature" not in request.url.params
    else:
        assert "X-MBX-APIKEY" not in request.headers
    body = example(f"rest/{case.example}")
    if case.call not in ("market.klines", "market.ui_klines"):
        assert dump(value) == body  # -1 time sentinels read as None and are written back as -1
    assert_no_extra(value, case.allow_extra)
    if case.check:
        case.check(value)


def _call(client: Any, case: Case) -> Any:
    group, method = case.call.split(".")
    return getattr(getattr(client, group), method)(*case.args, **case.kwargs)


@pytest.mark.usefixtures("steady_rate_windows")
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sync(case: Case) -> None:
    captured = Captured()
    http = httpx.Client(event_hooks={"request": [captured.hook]})
    with Client(API_KEY, API_SECRET, base_url=TESTNET, http_client=http) as client, recorder.use_cassette(
        case.cassette
    ) as cassette:
        value = _call(client, case)
        assert cassette.play_count == 1
        assert client.rate_limits.used_weight["1M"] >= 7  # the header, or more when this call weighs more
    _check(case, captured.last, value)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_async(case: Case) -> None:
    async def run() -> tuple[httpx.Request, Any]:
        captured = Captured()
        http = httpx.AsyncClient(event_hooks={"request": [captured.ahook]})
        async with AsyncClient(API_KEY, API_SECRET, base_url=TESTNET, http_client=http) as client:
            with recorder.use_cassette(case.cassette) as cassette:
                value = await _call(client, case)
                assert cassette.play_count == 1
        return captured.last, value

    request, value = asyncio.run(run())
    _check(case, request, value)


def test_every_endpoint_has_a_case() -> None:
    covered = {c.call for c in CASES}
    missing = sorted(set(ENDPOINTS) - covered)
    assert not missing, f"endpoints without a cassette case: {missing}"


def test_every_cassette_belongs_to_a_case() -> None:
    expected = {c.cassette for c in CASES}
    present = {str(p.relative_to(CASSETTES)) for p in CASSETTES.rglob("*.yaml")}
    assert present == expected
