"""Parameters, weights and declarations of ``client.market``: validated before anything is sent."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from support import EXAMPLES, example_text

from binance_typed import Client
from binance_typed._endpoint import Security
from binance_typed._transport._base import prepare
from binance_typed.endpoints import all_endpoints
from binance_typed.endpoints import market as m
from binance_typed.error import (
    ClientError,
    ConditionalParameterRequiredError,
    ParameterRequiredError,
    ParameterValueError,
)

ENDPOINTS = list(all_endpoints(("market",)))
INDEX = json.loads((EXAMPLES / "_index.json").read_text())
WEIGHTS = json.loads((EXAMPLES / "weights.json").read_text())


def sent(call: str, *args: Any, **kwargs: Any) -> httpx.Request:
    """Call ``client.market.<call>`` (a list endpoint) against a mock answering ``[]``; the request."""
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=b"[]")

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with Client(base_url="https://testnet.binance.vision", http_client=http) as client:
        assert getattr(client.market, call)(*args, **kwargs) == []
    (request,) = requests
    return request


# -- declarations ---------------------------------------------------------------------------------
def test_all_nineteen_endpoints_are_declared() -> None:
    documented = {p for p in INDEX["rest_endpoints"] if p.split()[1] in _market_paths()}
    declared = {f"{ep.verb} {ep.path}" for ep in ENDPOINTS}
    assert len(ENDPOINTS) == 19
    assert declared == documented
    assert [ep.name for ep in ENDPOINTS] == [
        "ping", "time", "exchange_info", "execution_rules", "depth", "trades", "historical_trades",
        "historical_block_trades", "agg_trades", "klines", "ui_klines", "avg_price", "ticker_24hr",
        "ticker_trading_day", "ticker_price", "book_ticker", "ticker", "reference_price",
        "reference_price_calculation",
    ]
    assert all(ep.security is Security.NONE and ep.idempotent and not ep.places_order for ep in ENDPOINTS)


def _market_paths() -> set[str]:
    return {p.split()[1] for p in INDEX["rest_endpoints"][:19]}


def test_ws_methods_match_the_websocket_api() -> None:
    by_name = {ep.name: ep.ws_method for ep in ENDPOINTS}
    assert set(by_name.values()) <= set(INDEX["wsapi_methods"])
    assert by_name["trades"] == "trades.recent" and by_name["historical_trades"] == "trades.historical"
    assert by_name["historical_block_trades"] == "blockTrades.historical"
    assert by_name["book_ticker"] == "ticker.book" and by_name["ticker"] == "ticker"
    assert by_name["reference_price_calculation"] == "referencePrice.calculation"


def test_static_weights_match_the_docs() -> None:
    for ep in ENDPOINTS:
        text = WEIGHTS["rest"][f"{ep.verb} {ep.path}"]["weight"]
        if not callable(ep.weight):
            assert str(ep.weight) == text, ep.name
        else:
            assert ep.weight.__doc__, ep.name


# -- weights that depend on the parameters --------------------------------------------------------
def _weight(ep: Any, **values: Any) -> int:
    return int(ep.weight_for(ep.params.build(**values)))


def _symbols(n: int) -> list[str]:
    return [f"S{i}USDT" for i in range(n)]


@pytest.mark.parametrize(
    ("values", "weight"),
    [({"symbol": "BTCUSDT"}, 2), ({"symbols": _symbols(1)}, 2), ({"symbols": _symbols(20)}, 2),
     ({"symbols": _symbols(21)}, 40), ({"symbols": _symbols(100)}, 40), ({"symbols": _symbols(101)}, 80),
     ({}, 80), ({"type": "MINI"}, 80)],
)
def test_ticker_24hr_weight(values: dict[str, Any], weight: int) -> None:
    assert _weight(m.TICKER_24HR, **values) == weight


@pytest.mark.parametrize("ep", [m.TICKER, m.TICKER_TRADING_DAY], ids=["ticker", "trading_day"])
@pytest.mark.parametrize(("values", "weight"), [
    ({"symbol": "BTCUSDT"}, 4), ({"symbols": _symbols(2)}, 8), ({"symbols": _symbols(50)}, 200),
    ({"symbols": _symbols(51)}, 200), ({"symbols": _symbols(100)}, 200),
])
def test_per_symbol_weight_capped_at_200(ep: Any, values: dict[str, Any], weight: int) -> None:
    assert _weight(ep, **values) == weight


@pytest.mark.parametrize("ep", [m.TICKER_PRICE, m.BOOK_TICKER], ids=["price", "book"])
def test_price_and_book_ticker_weight(ep: Any) -> None:
    assert (_weight(ep, symbol="X"), _weight(ep, symbols=["X", "Y"]), _weight(ep)) == (2, 4, 4)


def test_execution_rules_and_depth_weight() -> None:
    rules = m.EXECUTION_RULES
    assert _weight(rules, symbol="X") == 2
    assert _weight(rules, symbols=_symbols(3)) == 6 and _weight(rules, symbols=_symbols(30)) == 40
    assert _weight(rules, symbolStatus="HALT") == 40 and _weight(rules) == 40
    assert [_weight(m.DEPTH, symbol="X", limit=n) for n in (1, 100, 101, 500, 501, 1000, 1001, 5000)] == [
        5, 5, 25, 25, 50, 50, 250, 250,
    ]
    assert _weight(m.DEPTH, symbol="X") == 5


# -- validation errors ----------------------------------------------------------------------------
def test_missing_required_parameter() -> None:
    with pytest.raises(ParameterRequiredError) as info:
        m.DEPTH.params.build()
    assert info.value.params == ["symbol"]
    with pytest.raises(ParameterRequiredError, match="interval"):
        m.KLINES.params.build(symbol="BTCUSDT")
    with pytest.raises(ParameterRequiredError, match="fromId"):
        m.HISTORICAL_BLOCK_TRADES.params.build(symbol="BTCUSDT")
    with pytest.raises(ParameterRequiredError, match="symbol"), Client() as client:
        client.market.depth(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("ep", [m.TICKER, m.TICKER_TRADING_DAY], ids=["ticker", "trading_day"])
def test_symbol_or_symbols_required(ep: Any) -> None:
    with pytest.raises(ConditionalParameterRequiredError, match="symbol or symbols") as info:
        ep.params.build(type="MINI")
    assert isinstance(info.value, ParameterRequiredError) and info.value.params == ["symbol", "symbols"]


@pytest.mark.parametrize(
    "ep", [m.TICKER_24HR, m.TICKER_TRADING_DAY, m.TICKER_PRICE, m.BOOK_TICKER, m.TICKER, m.EXCHANGE_INFO,
           m.EXECUTION_RULES],
    ids=lambda ep: ep.name,
)
def test_symbol_and_symbols_are_exclusive(ep: Any) -> None:
    with pytest.raises(ParameterValueError) as info:
        ep.params.build(symbol="BTCUSDT", symbols=["BNBUSDT"])
    assert info.value.param == "symbols"


@pytest.mark.parametrize(
    ("ep", "values", "param"),
    [
        (m.DEPTH, {"symbol": "X", "limit": 0}, "limit"),
        (m.DEPTH, {"symbol": "X", "limit": 0}, "limit"),
        (m.TRADES, {"symbol": "X", "limit": 1001}, "limit"),
        (m.HISTORICAL_TRADES, {"symbol": "X", "fromId": -1}, "fromId"),
        (m.AGG_TRADES, {"symbol": "X", "limit": 0}, "limit"),
        (m.KLINES, {"symbol": "X", "interval": "1m", "limit": 1001}, "limit"),
        (m.KLINES, {"symbol": "X", "interval": "2m"}, "interval"),
        (m.UI_KLINES, {"symbol": "X", "interval": "1H"}, "interval"),
        (m.KLINES, {"symbol": "X", "interval": "1m", "startTime": -5}, "startTime"),
        (m.KLINES, {"symbol": "X", "interval": "1m", "startTime": 2, "endTime": 1}, "startTime"),
        (m.AGG_TRADES, {"symbol": "X", "startTime": 2000, "endTime": 1000}, "startTime"),
        (m.TICKER_24HR, {"type": "TINY"}, "type"),
        (m.TICKER_24HR, {"symbols": []}, "symbols"),
        (m.TICKER, {"symbols": [f"S{i}" for i in range(101)]}, "symbols"),
        (m.TICKER_TRADING_DAY, {"symbols": [f"S{i}" for i in range(101)]}, "symbols"),
        (m.DEPTH, {"symbol": ""}, "symbol"),
        (m.DEPTH, {"symbol": "X", "symbolStatus": "END_OF_DAY"}, "symbolStatus"),
        (m.EXCHANGE_INFO, {"permissions": "SPOTT"}, "permissions"),
        (m.EXCHANGE_INFO, {"symbol": "X", "permissions": "SPOT"}, "permissions"),
        (m.EXCHANGE_INFO, {"symbols": ["X"], "symbolStatus": "TRADING"}, "symbolStatus"),
        (m.EXECUTION_RULES, {"symbol": "X", "symbolStatus": "TRADING"}, "symbolStatus"),
    ],
)
def test_bad_values_are_rejected_before_sending(ep: Any, values: dict[str, Any], param: str) -> None:
    with pytest.raises(ParameterValueError) as info:
        ep.params.build(**values)
    assert str(info.value.param).split(".")[0] == param


@pytest.mark.parametrize("window", ["1m", "59m", "1h", "23h", "1d", "7d", "2d"])
def test_valid_window_sizes(window: str) -> None:
    assert m.TICKER.params.build(symbol="X", windowSize=window).wire_items()[-1] == ("windowSize", window)


@pytest.mark.parametrize("window", ["60m", "0m", "24h", "8d", "1d2h", "1w", "d"])
def test_invalid_window_sizes(window: str) -> None:
    with pytest.raises(ParameterValueError, match="windowSize"):
        m.TICKER.params.build(symbol="X", windowSize=window)


@pytest.mark.parametrize("zone", ["0", "8", "-5", "+14", "-12", "05:45", "-1:00", "+14:00", "-12:00"])
def test_valid_time_zones(zone: str) -> None:
    assert ("timeZone", zone) in m.KLINES.params.build(symbol="X", interval="1h", timeZone=zone).wire_items()
    assert m.TICKER_TRADING_DAY.params.build(symbol="X", timeZone=zone).timeZone == zone


@pytest.mark.parametrize("zone", ["15", "-13", "+14:01", "-12:30", "5:75", "UTC", "", "1:2"])
def test_invalid_time_zones(zone: str) -> None:
    with pytest.raises(ParameterValueError, match="timeZone"):
        m.KLINES.params.build(symbol="X", interval="1h", timeZone=zone)


# -- what goes on the wire ------------------------------------------------------------------------
def _query(ep: Any, **values: Any) -> str:
    from binance_typed._config import ClientConfig

    params = ep.params.build(**values)
    url = prepare(ep, params, ClientConfig(base_url="https://x")).url
    return url.partition("?")[2]


def test_permissions_single_or_list() -> None:
    assert _query(m.EXCHANGE_INFO, permissions="SPOT") == "permissions=SPOT"
    assert _query(m.EXCHANGE_INFO, permissions=["MARGIN", "LEVERAGED"], showPermissionSets=False) == (
        "permissions=%5B%22MARGIN%22%2C%22LEVERAGED%22%5D&showPermissionSets=false"
    )
    assert _query(m.EXCHANGE_INFO, symbolStatus="HALT") == "symbolStatus=HALT"


def test_symbols_sent_as_compact_json_array() -> None:
    assert _query(m.TICKER_PRICE, symbols=("BTCUSDT", "BNBUSDT")) == "symbols=%5B%22BTCUSDT%22%2C%22BNBUSDT%22%5D"
    assert _query(m.EXCHANGE_INFO, symbols=["BNBBTC"]) == "symbols=%5B%22BNBBTC%22%5D"


def test_times_accept_datetimes() -> None:
    from datetime import datetime, timezone

    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert _query(m.KLINES, symbol="X", interval="1d", startTime=start) == (
        "symbol=X&interval=1d&startTime=1704067200000"
    )
    with pytest.raises(ParameterValueError, match="timezone-aware"):
        m.KLINES.params.build(symbol="X", interval="1d", startTime=datetime(2024, 1, 1))


def test_client_sends_required_parameters_positionally() -> None:
    request = sent("klines", "BTCUSDT", "15m", limit=3)
    assert request.url.path == "/api/v3/klines"
    assert request.url.query.decode() == "symbol=BTCUSDT&interval=15m&limit=3"
    assert "X-MBX-APIKEY" not in request.headers
    request = sent("historical_block_trades", "BAZUSD", 10)
    assert request.url.query.decode() == "symbol=BAZUSD&fromId=10"


# -- documented error bodies ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "file"),
    [("reference_price", "GET__api_v3_referencePrice__03_error_2043.json"),
     ("reference_price_calculation", "GET__api_v3_referencePrice_calculation__01_error_2043.json")],
)
def test_no_reference_price_error(call: str, file: str) -> None:
    body = example_text(f"rest/{file}").encode()
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(400, content=body)))
    with Client(base_url="https://testnet.binance.vision", http_client=http) as client, \
            pytest.raises(ClientError) as info:
        getattr(client.market, call)("BAZUSD")
    assert info.value.status_code == 400 and info.value.error_code == -2043
    assert "reference price" in info.value.error_message


def test_depth_limit_above_5000_is_accepted_like_binance_does() -> None:
    params = m.DEPTH.params.build(symbol="BTCUSDT", limit=6000)
    assert params.wire_items() == [("symbol", "BTCUSDT"), ("limit", "6000")]
    assert m.DEPTH.weight_for(params) == 250
