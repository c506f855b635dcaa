"""Every /sapi endpoint of the catalogue, through the real client over ``httpx.MockTransport``.

For each of the 354 endpoints: the request sent (verb, path, every parameter under its wire name
and encoding, signature present exactly when the endpoint is signed, API key header), and the
decoded response: the catalogue's example where it has one (242), else a body built from the
response schema (112). The decoded value must keep every wire key with an equal value and hold no
float anywhere.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from sapi_support import (
    CATALOGUE,
    SIGNING,
    Replay,
    arguments,
    assert_same,
    async_client,
    case_id,
    decimal_leaves,
    declared,
    dump,
    extras_in,
    floats_in,
    response_body,
    sync_client,
    to_json,
)

WITH_EXAMPLE = [e for e in CATALOGUE if e["example_response"] is not None]
WITHOUT_EXAMPLE = [e for e in CATALOGUE if e["example_response"] is None]


def test_catalogue_counts() -> None:
    assert len(CATALOGUE) == 354
    assert (len(WITH_EXAMPLE), len(WITHOUT_EXAMPLE)) == (242, 112)


def call(entry: dict[str, Any], replay: Replay, with_optional: bool) -> tuple[Any, dict[str, Any]]:
    endpoint = declared(entry)
    args, kwargs, wire = arguments(entry, with_optional)
    with sync_client(replay) as client:
        method = getattr(getattr(client, endpoint.group), endpoint.name)
        return method(*args, **kwargs), wire


def check_request(entry: dict[str, Any], replay: Replay, wire: dict[str, Any]) -> None:
    endpoint = declared(entry)
    assert len(replay.requests) == 1
    request = replay.requests[0]
    assert request.method == entry["verb"]
    assert request.url.path == entry["path"]
    query = replay.query()
    names = [k for k, _ in query]
    assert len(names) == len(set(names)), f"a key sent twice: {names}"
    sent = dict(query)
    if endpoint.body_encoding == "json":
        assert request.headers["content-type"] == "application/json"
        sent.update({k: v if isinstance(v, (dict, list)) else v for k, v in json.loads(request.content).items()})
    expected_names = list(wire)
    if endpoint.client_id_field and endpoint.client_id_field not in wire:
        expected_names.append(endpoint.client_id_field)  # generated: the caller sent none
        assert sent[endpoint.client_id_field].startswith("bt-")
    if entry["signed"]:
        assert set(sent) - set(expected_names) == SIGNING
        assert names[-1] == "signature" and len(sent["signature"]) == 64
    else:
        assert not set(sent) & SIGNING
        assert set(sent) == set(expected_names)
    for name, value in wire.items():
        got = sent[name]
        if isinstance(value, (dict, list)):
            assert (json.loads(got) if isinstance(got, str) else got) == value, name
            if isinstance(got, str):
                assert " " not in got, f"{name}: JSON sent with spaces: {got}"
        else:
            assert got == value, f"{name}: sent {got!r}, expected {value!r}"
    if entry["security"] == "NONE":
        assert "x-mbx-apikey" not in request.headers
    else:
        assert request.headers["x-mbx-apikey"] == "key"


# Keys of an example kept as extras (not declared): typos in the example's key names only. Keys an
# example shows that the package's model lacks are declared by the generator from the example.
UNDECLARED_IN_EXAMPLE = {
    "POST /sapi/v1/dci/product/subscribe": {'$.optionType"'},
}


def check_response(entry: dict[str, Any], result: Any, body: Any) -> None:
    endpoint = declared(entry)
    assert list(floats_in(result)) == []
    assert_same(body, dump(endpoint, result))
    assert set(extras_in(result)) == UNDECLARED_IN_EXAMPLE.get(case_id(entry), set())
    for where, value in decimal_leaves(result, entry["response"]):
        assert isinstance(value, Decimal), f"{where}: {value!r} should be a Decimal"


@pytest.mark.parametrize("entry", WITH_EXAMPLE, ids=case_id)
def test_endpoint_with_example(entry: dict[str, Any]) -> None:
    body = response_body(entry)
    replay = Replay(to_json(body))
    result, wire = call(entry, replay, with_optional=False)
    check_request(entry, replay, wire)
    check_response(entry, result, body)


@pytest.mark.parametrize("entry", WITHOUT_EXAMPLE, ids=case_id)
def test_endpoint_with_schema_body(entry: dict[str, Any]) -> None:
    body = response_body(entry)
    replay = Replay(to_json(body))
    result, wire = call(entry, replay, with_optional=False)
    check_request(entry, replay, wire)
    check_response(entry, result, body)


@pytest.mark.parametrize("entry", CATALOGUE, ids=case_id)
def test_every_parameter_on_the_wire(entry: dict[str, Any]) -> None:
    """All optional parameters given too: each under its wire name, encoded as documented."""
    replay = Replay(to_json(response_body(entry)))
    _, wire = call(entry, replay, with_optional=True)
    check_request(entry, replay, wire)


@pytest.mark.parametrize("entry", [e for e in WITH_EXAMPLE if e["product"] in ("wallet", "convert", "margin_trading")][:40], ids=case_id)
async def test_async_client_same_request_and_model(entry: dict[str, Any]) -> None:
    endpoint = declared(entry)
    body = response_body(entry)
    replay = Replay(to_json(body))
    args, kwargs, wire = arguments(entry, with_optional=False)
    async with async_client(replay) as client:
        result = await getattr(getattr(client, endpoint.group), endpoint.name)(*args, **kwargs)
    check_request(entry, replay, wire)
    check_response(entry, result, body)


def test_a_long_json_number_keeps_every_digit() -> None:
    """A field the wire sends as a JSON number (mining profitAmount) decodes to the exact Decimal."""
    body = b'{"code":0,"msg":"","data":{"accountProfits":[{"time":1586188800000,"coinName":"BTC","type":0,"profitAmount":8.608306030412345678901,"status":2}],"totalNum":1,"pageSize":20}}'
    replay = Replay(body)
    with sync_client(replay) as client:
        result = client.mining.earnings_list("sha256", "user")
    profit = result.data.account_profits[0]
    assert profit.profit_amount == Decimal("8.608306030412345678901")
    assert profit.time.year == 2020
