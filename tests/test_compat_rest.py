"""Every binance-connector ``Spot`` method, called once against a recording server.

Parametrised from ``spec/connector/methods.json`` (279 methods). A method whose endpoint is not
retired must be served by a declaration with the same verb and path, and must send what the
connector sent: that verb and path, its positional arguments and keyword arguments as query
parameters, a signature when the connector signed, the API key header when it sent one. The only
additions allowed are the ones this package always makes (``recvWindow``, the generated
``newClientOrderId`` of an order). A retired method raises ``RetiredEndpointError`` and sends
nothing.

Node ids start with the path's prefix: ``-k api_v3`` runs the /api/v3 methods only.
"""

from __future__ import annotations

import enum
import importlib.util
import json
import types
import typing
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binance_typed._params import Params
from binance_typed.spot import RetiredEndpointError, Spot
from binance_typed.spot._core import endpoint_for
from tests.support import API_KEY, API_SECRET

ROOT = Path(__file__).resolve().parent.parent
SPEC = json.loads((ROOT / "spec" / "connector" / "methods.json").read_text())
RETIRED = {
    r["method"]: r for r in json.loads((ROOT / "spec" / "connector" / "retired.json").read_text())["rest"]
}
SAPI_DECLARED = importlib.util.find_spec("binance_typed.endpoints.sapi") is not None

# Values the connector's users pass, by parameter name (synthesised from the type otherwise).
NAMED: dict[str, Any] = {
    "symbol": "BNBUSDT",
    "interval": "1h",
    "side": "BUY",
    "quantity": "0.01",
    "price": "500",
    "workingPrice": "500",
    "workingQuantity": "0.01",
    "pendingQuantity": "0.01",
    "asset": "BNB",
    "coin": "BNB",
    "email": "sub@example.com",
    "amount": "1.5",
}

# Endpoints the connector signed that Binance's current documentation (which wins) declares with
# the API key only: the declarations send no signature.
UNSIGNED_NOW = {
    "c2c_trade_history",
    "delist_schedule_symbols",
    "isolated_margin_all_pairs",
    "liability_coin_leverage_bracket",
    "portfolio_margin_collateral_rate",
}

# Extra keyword arguments that make a call valid where the API has cross-field rules.
EXTRA: dict[str, dict[str, Any]] = {
    "new_order": {"type": "LIMIT", "timeInForce": "GTC", "quantity": "0.01", "price": "500"},
    "new_order_test": {"type": "LIMIT", "timeInForce": "GTC", "quantity": "0.01", "price": "500"},
    "cancel_order": {"orderId": 11},
    "get_order": {"orderId": 11, "recvWindow": 10000},
    "cancel_oco_order": {"orderListId": 1},
    "query_prevented_matches": {"orderId": 11},
    "rolling_window_ticker": {"symbol": "BNBUSDT"},
    # the current /sapi catalogue lists workingIcebergQty as mandatory (the connector did not)
    "margin_new_oto_order": {"workingIcebergQty": "0.01"},
    "trading_day_ticker": {"symbol": "BNBUSDT"},
    "get_oco_order": {"orderListId": 1},
    "cancel_and_replace": {
        "type": "LIMIT",
        "cancelReplaceMode": "STOP_ON_FAILURE",
        "cancelOrderId": 11,
        "timeInForce": "GTC",
        "quantity": "0.01",
        "price": "500",
    },
    "new_oco_order": {
        "side": "SELL",
        "aboveType": "LIMIT_MAKER",
        "abovePrice": "600",
        "belowType": "STOP_LOSS",
        "belowStopPrice": "400",
    },
    "new_oto_order": {
        "workingType": "LIMIT",
        "workingTimeInForce": "GTC",
        "pendingType": "MARKET",
        "workingSide": "BUY",
        "pendingSide": "SELL",
    },
    "new_otoco_order": {
        "workingType": "LIMIT",
        "workingTimeInForce": "GTC",
        "workingSide": "BUY",
        "pendingSide": "SELL",
        "pendingAboveType": "LIMIT_MAKER",
        "pendingAbovePrice": "600",
        "pendingBelowType": "STOP_LOSS",
        "pendingBelowStopPrice": "400",
    },
}


def _sample(tp: Any, name: str) -> Any:
    """A valid value of a parameter's annotation (strings for numbers: sent as written)."""
    if name in NAMED:
        return NAMED[name]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return _sample(args[0], name)
    if origin in (typing.Union, types.UnionType):
        return _sample(next(a for a in args if a is not type(None)), name)
    if origin is typing.Literal:
        value = args[0]
        return value.value if isinstance(value, enum.Enum) else value
    if origin in (list, tuple):
        return [_sample(args[0], name)]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return next(iter(tp)).value
    if tp is bool:
        return "true"
    if tp is int:
        return 1
    if tp is Decimal or tp is float:
        return "1.5"
    if tp is datetime:
        return 1_700_000_000_000
    return "x"


def _required_values(params: type[Params], names: list[str]) -> dict[str, Any]:
    hints = typing.get_type_hints(params, include_extras=True)
    return {name: _sample(hints.get(name, str), name) for name in names}


def _wire(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _case_id(spec: dict[str, Any]) -> str:
    prefix = "_".join(spec["path"].split("/")[1:3])
    return f"{prefix}-{spec['name']}"


def _cases() -> list[Any]:
    cases = []
    for spec in sorted(SPEC["rest"], key=lambda s: s["name"]):
        marks = []
        if spec["path"].startswith("/sapi") and spec["name"] not in RETIRED and not SAPI_DECLARED:
            marks.append(
                pytest.mark.xfail(reason="the /sapi declarations are not on this branch yet", strict=True)
            )
        cases.append(pytest.param(spec, id=_case_id(spec), marks=marks))
    return cases


class Recorder:
    """An httpx.MockTransport handler keeping every request; answers with a Binance error."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(
            400, json={"code": -1100, "msg": "recorded"}, headers={"x-mbx-used-weight-1m": "7"}
        )


def _spot(recorder: Recorder, **kwargs: Any) -> Spot:
    return Spot(
        api_key=API_KEY,
        api_secret=API_SECRET,
        base_url="https://api.example.test",
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        **kwargs,
    )


def test_the_whole_surface_is_there() -> None:
    rest, ws_api, streams = SPEC["rest"], SPEC["ws_api"], SPEC["ws_streams"]
    assert (len(rest), len(ws_api), len(streams)) == (279, 36, 14)
    assert all(callable(getattr(Spot, spec["name"], None)) for spec in rest)
    assert len(RETIRED) == 32


@pytest.mark.parametrize("spec", _cases())
def test_connector_method_sends_what_the_connector_sent(spec: dict[str, Any]) -> None:
    name = spec["name"]
    recorder = Recorder()
    client = _spot(recorder)
    method = getattr(client, name)
    if name in RETIRED:
        positional = ["x"] * len(spec["required"])
        with pytest.raises(RetiredEndpointError) as caught:
            method(*positional)
        assert caught.value.replacement == RETIRED[name]["replacement"]
        assert f"{spec['verb']} {spec['path']}" in str(caught.value)
        assert recorder.requests == []
        return

    endpoint = endpoint_for(spec["verb"], spec["path"])
    assert endpoint is not None, f"{name}: no declaration serves {spec['verb']} {spec['path']}"
    extra = dict(EXTRA.get(name, {}))
    positional = _required_values(endpoint.params, spec["required"])
    positional.update({k: v for k, v in extra.items() if k in positional})
    kwargs = {k: v for k, v in extra.items() if k not in positional}
    with pytest.raises(Exception) as caught:  # the recorder answers -1100: the request went out
        method(*positional.values(), **kwargs)
    assert getattr(caught.value, "error_code", None) == -1100, caught.value

    (request,) = recorder.requests
    url = urlsplit(str(request.url))
    assert (request.method, url.path) == (spec["verb"], spec["path"])
    sent = dict(parse_qsl(url.query, keep_blank_values=True))
    # a connector argument the current API dropped is accepted and not sent
    known = endpoint.params.model_fields
    expected = {k: _wire(v) for k, v in {**positional, **kwargs}.items() if k in known}
    assert all(k in known for k in kwargs)
    for key, value in expected.items():
        assert sent.get(key) == value, (key, sent)
    added = set(sent) - set(expected)
    allowed = {"timestamp", "signature", "recvWindow"} | ({endpoint.client_id_field} - {None})
    assert added <= allowed, added
    signed = spec["security"] == "signed" and name not in UNSIGNED_NOW
    assert ("signature" in sent) is signed
    assert ("timestamp" in sent) is signed
    if signed and "recvWindow" not in expected:
        assert sent["recvWindow"] == "5000"  # Binance's own default, written out
    assert (request.headers.get("X-MBX-APIKEY") == API_KEY) is (spec["security"] != "none")


def test_show_limit_usage_and_show_header_wrap_results_like_the_connector() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={"serverTime": 1_700_000_000_123},
            headers={"X-MBX-USED-WEIGHT-1M": "3", "X-SAPI-USED-IP-WEIGHT-1M": "4", "Server": "x"},
        )

    http = httpx.Client(transport=httpx.MockTransport(answer))
    plain = Spot(base_url="https://api.example.test", http_client=http)
    assert plain.time()["serverTime"] == 1_700_000_000_123

    usage = Spot(base_url="https://api.example.test", show_limit_usage=True, http_client=http).time()
    assert set(usage) == {"data", "limit_usage"}
    assert usage["limit_usage"] == {"x-mbx-used-weight-1m": "3", "x-sapi-used-ip-weight-1m": "4"}
    assert usage["data"]["serverTime"] == 1_700_000_000_123

    both = Spot(
        base_url="https://api.example.test", show_limit_usage=True, show_header=True, http_client=http
    ).time()
    assert set(both) == {"data", "limit_usage", "header"}
    assert both["header"]["server"] == "x"


def test_floats_in_a_params_dict_are_sent_through_their_repr() -> None:
    recorder = Recorder()
    client = _spot(recorder)
    with pytest.raises(Exception):  # noqa: B017 - the recorder answers with an error
        client.new_order(
            **{
                "symbol": "BTCUSDT",
                "side": "SELL",
                "type": "LIMIT",
                "timeInForce": "GTC",
                "quantity": 0.1 + 0.2,
                "price": 9500.1,
            }
        )
    sent = dict(parse_qsl(urlsplit(str(recorder.requests[0].url)).query))
    assert sent["quantity"] == "0.30000000000000004"  # str(float), never Decimal(float)'s 52 digits
    assert sent["price"] == "9500.1"


def test_an_unknown_keyword_is_refused_before_sending() -> None:
    recorder = Recorder()
    with pytest.raises(TypeError, match="recvwindow"):
        _spot(recorder).get_order("BTCUSDT", orderId=1, recvwindow=5000)
    assert recorder.requests == []


def test_the_typed_client_is_underneath() -> None:
    recorder = Recorder()
    client = _spot(recorder)
    assert client.typed.market.klines is not None
    with pytest.raises(Exception):  # noqa: B017
        client.typed.market.klines("BNBUSDT", "1h", limit=10)
    with pytest.raises(Exception):  # noqa: B017
        client.klines("BNBUSDT", "1h", limit=10)
    assert [str(r.url) for r in recorder.requests] == [
        "https://api.example.test/api/v3/klines?symbol=BNBUSDT&interval=1h&limit=10"
    ] * 2


def test_connector_error_names_and_local_checks() -> None:
    from binance_typed.error import (
        Error,
        ParameterArgumentError,
        ParameterRequiredError,
        ParameterTypeError,
        ParameterValueError,
    )

    recorder = Recorder()
    client = _spot(recorder)
    with pytest.raises(ParameterRequiredError, match="symbol"):
        client.klines(None, "1h")  # the connector's check_required_parameters
    with pytest.raises(ParameterTypeError):
        client.klines("BTCUSDT", "2x")
    with pytest.raises(ParameterArgumentError):
        client.ticker_price(symbol="BTCUSDT", symbols=["BTCUSDT"])
    assert issubclass(ParameterValueError, Error)
    assert recorder.requests == []


def test_optional_positionals_and_lists_as_the_connector_sent_them() -> None:
    recorder = Recorder()
    client = _spot(recorder)
    calls = [
        lambda: client.ticker_price("BTCUSDT"),  # the connector's ticker_price(symbol=None, symbols=None)
        lambda: client.book_ticker(symbols=["BTCUSDT", "BNBUSDT"]),
        lambda: client.exchange_info(permissions=["SPOT", "MARGIN"]),
    ]
    for call in calls:
        with pytest.raises(Exception):  # noqa: B017 - the recorder answers with an error
            call()
    assert [dict(parse_qsl(urlsplit(str(r.url)).query)) for r in recorder.requests] == [
        {"symbol": "BTCUSDT"},
        {"symbols": '["BTCUSDT","BNBUSDT"]'},  # the connector's compact JSON array
        {"permissions": '["SPOT","MARGIN"]'},
    ]


@settings(max_examples=60, deadline=None)
@given(price=st.floats(min_value=1e-8, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_any_float_price_is_sent_as_its_shortest_repr(price: float) -> None:
    recorder = Recorder()
    client = _spot(recorder)
    with pytest.raises(Exception):  # noqa: B017 - the recorder answers with an error
        client.new_order_test("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=1, price=price)
    sent = dict(parse_qsl(urlsplit(str(recorder.requests[0].url)).query))
    assert sent["price"] == format(Decimal(repr(price)), "f")
    assert Decimal(sent["price"]) == Decimal(repr(price))  # no binary expansion, no exponent
    assert "e" not in sent["price"].lower()
