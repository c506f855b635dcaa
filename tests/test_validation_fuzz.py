"""Property test over every method of every group: hostile or ordinary arguments either raise a
parameter error before anything is sent, or produce a request the declarations (the docs) accept.

A request is accepted when: the verb and path are the endpoint's; every name sent is declared (or
is ``recvWindow``/``timestamp``/``signature``); every required parameter is there; integers are
LONG; decimals are plain notation of at most 40 digits either side; times are not negative;
enum values are members; text is non-empty and printable; ``timeZone``/``windowSize`` match
their documented forms with ASCII digits.
"""

from __future__ import annotations

import enum
import re
import statistics
import time
import typing
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import API_KEY, API_SECRET

from binance_typed import Client, RetryPolicy
from binance_typed._endpoint import Endpoint
from binance_typed._params import _to_ms
from binance_typed.endpoints import all_endpoints
from binance_typed.error import ParameterRequiredError, ParameterValueError

ENDPOINTS = list(all_endpoints())
EXAMPLES = 60
CASES: list[int] = []
FAILURE_US: list[float] = []

PLAIN = re.compile(r"\A-?[0-9]+(\.[0-9]+)?\Z")
INTEGER = re.compile(r"\A-?[0-9]+\Z")
TIME_ZONE = re.compile(r"\A[+-]?[0-9]{1,2}(:[0-9]{2})?\Z")
WINDOW = re.compile(r"\A[0-9]{1,2}[mhd]\Z")


class Sent(Exception):
    """Raised by the mock transport after recording the request: nothing is parsed."""


def kind_of(annotation: Any) -> tuple[str, tuple[str, ...]]:
    """(decimal | int | time | bool | enum | str | list, allowed enum values)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        base, *meta = args
        if any(getattr(m, "func", None) is _to_ms for m in meta):
            return "time", ()
        return kind_of(base)
    if origin in (typing.Union, __import__("types").UnionType):
        kinds = [kind_of(a) for a in args if a is not type(None)]
        values = tuple(v for _, vs in kinds for v in vs)
        names = [k for k, _ in kinds]
        for preferred in ("list", "decimal", "time", "int", "bool"):
            if preferred in names:
                return preferred, values
        if "enum" in names and "str" not in names:
            return "enum", values
        return ("enum", values) if all(n == "enum" for n in names) else ("str", values)
    if origin is typing.Literal:
        return "enum", tuple(str(getattr(a, "value", a)) for a in args)
    if origin in (list, tuple):
        return "list", ()
    if annotation is Decimal:
        return "decimal", ()
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return "int", ()
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "enum", tuple(str(m.value) for m in annotation)
    return "str", ()


HOSTILE_TEXT = ["", " ", "8\n", "٨", "1d\n", "BTCUSDT\n", "x" * 2000, "\x00", "BTCUSDT", "BNBBTC", "1m", "8", "ACK"]
HOSTILE_DECIMALS: list[Any] = [
    Decimal("1E999999999"), Decimal("1E-100000000"), Decimal("1E+100000"), Decimal("NaN"), Decimal("-Infinity"),
    "1e-05", "0.001", "1", "-1", "0", "abc", "", 1e-05, 5000.12345, 10**5000, True,
]
HOSTILE_INTS: list[Any] = [10**5000, 2**64, 2**63, 2**63 - 1, -(2**63) - 1, -1, 0, 1, 1000, True, Decimal("1E-100000000"), 1.5]


def strategy(kind: str, values: tuple[str, ...]) -> st.SearchStrategy[Any]:
    text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=12))
    if kind == "decimal":
        return st.one_of(st.sampled_from(HOSTILE_DECIMALS), st.decimals(allow_nan=False, allow_infinity=False),
                         st.integers(-(10**45), 10**45), st.floats())
    if kind in ("int", "time"):
        return st.one_of(st.sampled_from(HOSTILE_INTS), st.integers(-(2**65), 2**65))
    if kind == "bool":
        return st.one_of(st.booleans(), st.sampled_from(["true", 1, 0]))
    if kind == "enum":
        return st.one_of(st.sampled_from(values or ("X",)), text)
    if kind == "list":
        return st.lists(text, max_size=4)
    return text


def arguments(endpoint: Endpoint) -> st.SearchStrategy[dict[str, Any]]:
    fields = endpoint.params.model_fields
    hints = typing.get_type_hints(endpoint.params, include_extras=True)
    parts = {}
    for name, info in fields.items():
        value = strategy(*kind_of(hints[name]))
        parts[name] = value if info.is_required() else st.one_of(st.none(), value)
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not None})


def accepted(endpoint: Endpoint, request: httpx.Request) -> None:
    """Assert that ``request`` is one the declarations of ``endpoint`` accept."""
    assert request.method == endpoint.verb and request.url.path == endpoint.path
    hints = typing.get_type_hints(endpoint.params, include_extras=True)
    fields = endpoint.params.model_fields
    sent = dict(httpx.QueryParams(request.url.query))
    assert set(sent) <= set(fields) | {"timestamp", "signature", "recvWindow"}, set(sent) - set(fields)
    for name, info in fields.items():
        if info.is_required():
            assert name in sent, f"required {name} missing"
    for name, text in sent.items():
        assert text and text.isprintable() and text == text.strip(), (name, text)
        if name in ("timestamp", "signature"):
            continue
        if name == "recvWindow":
            assert PLAIN.match(text) and 0 < Decimal(text) <= 60000, text
            continue
        kind, values = kind_of(hints[name])
        if kind == "decimal":
            assert PLAIN.match(text), (name, text)
            assert len(text) <= 85, (name, text)
        elif kind in ("int", "time"):
            assert INTEGER.match(text) and -(2**63) <= int(text) < 2**63, (name, text)
            if kind == "time":
                assert int(text) >= 0, (name, text)
        elif kind == "bool":
            assert text in ("true", "false"), (name, text)
        elif kind == "enum" and values and name not in ("windowSize",):
            assert text in values, (name, text)
        if name == "timeZone":
            assert TIME_ZONE.match(text), text
        if name == "windowSize":
            assert WINDOW.match(text) or text in values, text


def make_client() -> tuple[Client, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        raise Sent

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = Client(API_KEY, API_SECRET, http_client=http, retry=RetryPolicy(max_retries=0), rate_limit="off")
    return client, seen


CLIENT, SEEN = make_client()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.dotted for e in ENDPOINTS])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_every_method_refuses_early_or_sends_an_accepted_request(endpoint: Endpoint, data: st.DataObject) -> None:
    kwargs = data.draw(arguments(endpoint))
    method = getattr(getattr(CLIENT, endpoint.group), endpoint.name)
    SEEN.clear()
    CASES.append(1)
    # CPU time of this thread: what the refusal costs, not how busy the rest of the machine is
    start = time.thread_time()
    try:
        method(**kwargs)
    except (ParameterValueError, ParameterRequiredError):
        FAILURE_US.append((time.thread_time() - start) * 1e6)
        assert SEEN == []
        return
    except Sent:
        pass
    assert len(SEEN) == 1
    accepted(endpoint, SEEN[0])


def test_failures_are_fast_and_reported() -> None:
    """Runs after the property test (same module): every refusal took well under a millisecond
    of CPU time (the pathological inputs of issue 9 took seconds, or hung)."""
    if not FAILURE_US:
        pytest.skip("the property test did not run in this session")
    median = statistics.median(FAILURE_US)
    worst = sorted(FAILURE_US)[int(len(FAILURE_US) * 0.99)]
    print(f"\n{len(CASES)} cases over {len(ENDPOINTS)} methods; {len(FAILURE_US)} refused before sending: "
          f"median {median:.0f} us, p99 {worst:.0f} us")
    assert median < 300 and worst < 2000
