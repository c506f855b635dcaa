"""Results read like binance-connector's dicts, and ``to_wire`` gives back what Binance sent.

Checked on every documented /api/v3 response example (``tests/spec/examples/rest``): subscripts,
``in``, ``get``, ``keys`` and iteration see the wire keys and wire values, and ``to_wire`` of the
parsed result equals the example exactly.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binance_typed import to_wire
from binance_typed.endpoints import all_endpoints
from binance_typed.models._base import BinanceModel
from binance_typed.models.account import AccountInfo
from binance_typed.models.market import Kline
from binance_typed.models.trade import OrderFull

EXAMPLES = Path(__file__).resolve().parent / "spec" / "examples" / "rest"


def _documented() -> list[Any]:
    by_file = {}
    for endpoint in all_endpoints():
        if endpoint.path:
            by_file[f"{endpoint.verb}__{endpoint.path.strip('/').replace('/', '_')}"] = endpoint
    cases = []
    for path in sorted(EXAMPLES.glob("*.json")):
        endpoint = by_file.get(path.stem.split("__0")[0])
        data = json.loads(path.read_text())
        if endpoint is None or (isinstance(data, dict) and {"code", "msg"} <= set(data)):
            continue
        cases.append(pytest.param(endpoint, data, id=path.stem))
    return cases


DOCUMENTED = _documented()


def test_most_documented_examples_are_covered() -> None:
    assert len(DOCUMENTED) >= 60


@pytest.mark.parametrize(("endpoint", "data"), DOCUMENTED)
def test_to_wire_gives_back_the_documented_response(endpoint: Any, data: Any) -> None:
    result = endpoint.adapter.validate_python(data)
    wire = to_wire(result)
    assert wire == data
    assert json.loads(json.dumps(wire)) == data


@pytest.mark.parametrize(("endpoint", "data"), DOCUMENTED)
def test_subscripts_read_the_wire_values(endpoint: Any, data: Any) -> None:
    result = endpoint.adapter.validate_python(data)
    pairs = [(result, data)] if isinstance(data, dict) else list(zip(result, data, strict=True))
    for model, raw in pairs:
        if not isinstance(model, BinanceModel):
            continue
        assert list(model) == list(model.keys())
        assert set(model.keys()) == set(raw)
        for key, value in raw.items():
            assert key in model
            got = model[key]
            assert (to_wire(got) if isinstance(got, (BinanceModel, list)) else got) == value, key
            assert model.get(key) is not None or value is None
        assert "notAKey" not in model
        assert model.get("notAKey", "default") == "default"
        with pytest.raises(KeyError):
            model["notAKey"]


ORDER = {
    "symbol": "BTCUSDT",
    "orderId": 28,
    "orderListId": -1,
    "clientOrderId": "6gCrw2kRUAF9CvJDGP16IP",
    "transactTime": 1507725176595,
    "price": "0.00000000",
    "origQty": "10.00000000",
    "executedQty": "10.00000000",
    "origQuoteOrderQty": "0.000000",
    "cummulativeQuoteQty": "10.00000000",
    "status": "FILLED",
    "timeInForce": "GTC",
    "type": "MARKET",
    "side": "SELL",
    "workingTime": 1507725176595,
    "selfTradePreventionMode": "NONE",
    "fills": [
        {
            "price": "4000.00000000",
            "qty": "1.00000000",
            "commission": "4.00000000",
            "commissionAsset": "USDT",
            "tradeId": 56,
        }
    ],
}


def test_subscript_vs_attribute_types() -> None:
    order = OrderFull.model_validate(ORDER)
    assert order["orderId"] == 28 and order.order_id == 28
    assert order["price"] == "0.00000000" and order.price == Decimal(0)
    assert order["transactTime"] == 1507725176595
    assert order.transact_time == datetime(2017, 10, 11, 12, 32, 56, 595000, tzinfo=timezone.utc)
    assert order["status"] == "FILLED" and type(order["status"]) is str
    assert order["fills"][0]["price"] == "4000.00000000"
    assert order["fills"][0].price == Decimal("4000")  # nested results stay models
    assert "fills" in order and "icebergQty" not in order
    assert dict(order)["side"] == "SELL"


def test_unknown_keys_are_readable_and_absent_keys_are_missing() -> None:
    order = OrderFull.model_validate({**ORDER, "brandNewField": [1, "2"]})
    assert order["brandNewField"] == [1, "2"] and "brandNewField" in order.keys()  # noqa: SIM118 - keys() itself
    without_stp = OrderFull.model_validate({k: v for k, v in ORDER.items() if k != "selfTradePreventionMode"})
    assert "selfTradePreventionMode" not in without_stp and "selfTradePreventionMode" in order
    assert without_stp.get("selfTradePreventionMode") is None
    with pytest.raises(KeyError):
        without_stp["selfTradePreventionMode"]  # absent on the wire: absent here, as in a dict
    with_iceberg = OrderFull.model_validate({**ORDER, "icebergQty": "0.50000000"})
    assert with_iceberg["icebergQty"] == "0.50000000" and "icebergQty" not in order


def test_no_per_instance_state() -> None:
    order = OrderFull.model_validate(ORDER)
    before = dict(vars(order))
    order["price"], list(order), order.get("x")  # noqa: B018 - reading only
    assert vars(order) == before
    assert set(vars(order)) == set(OrderFull.model_fields)


def test_account_reads_like_the_connector() -> None:
    account = AccountInfo.model_validate(json.loads((EXAMPLES / "GET__api_v3_account.json").read_text()))
    assert account["balances"][0]["free"] == "4723846.89208129"
    assert account["commissionRates"]["maker"] == "0.00150000"
    assert account.commission_rates.maker == Decimal("0.0015")


def test_kline_row_to_wire_is_the_connectors_row() -> None:
    row = [
        1499040000000,
        "0.01634790",
        "0.80000000",
        "0.01575800",
        "0.01577100",
        "148976.11427815",
        1499644799999,
        "2434.19055334",
        308,
        "1756.87402397",
        "28.46694368",
        "0",
    ]
    (kline,) = next(e for e in all_endpoints() if e.name == "klines").adapter.validate_python([row])
    assert isinstance(kline, Kline)
    assert kline[4] == Decimal("0.01577100") == kline.close  # a tuple: index and attribute agree
    assert to_wire(kline) == row
    assert to_wire([kline]) == [row]


@given(
    price=st.decimals(min_value=0, max_value=10**9, places=8, allow_nan=False, allow_infinity=False),
    when=st.integers(min_value=0, max_value=4_102_444_800_000),
)
def test_wire_values_survive_any_decimal_and_time(price: Decimal, when: int) -> None:
    text = format(price, "f")
    order = OrderFull.model_validate({**ORDER, "price": text, "transactTime": when})
    assert order["price"] == text
    assert order["transactTime"] == when
    assert to_wire(order)["price"] == text and to_wire(order)["transactTime"] == when
