"""The fast request builder: ``Params.wire_query``, ``Params.with_value``, the keyed HMAC signer and
``prepare`` give exactly what the generic path (``encode_params(wire_items())``, ``model_copy``,
``hmac.new``) gives, on every input."""

from __future__ import annotations

import decimal
import hashlib
import hmac
import threading
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binance_typed._client import _config
from binance_typed._params import _decimal_text, wire_value
from binance_typed._signing import HmacSigner, encode_params
from binance_typed._transport import _base
from binance_typed._transport._base import prepare
from binance_typed.endpoints import all_endpoints
from binance_typed.endpoints.market import KLINES
from binance_typed.endpoints.trade import NEW_ORDER
from binance_typed.models._base import fmt_decimal
from binance_typed.models.enums import OrderSide, OrderType, SelfTradePreventionMode, TimeInForce

SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
STAMP_MS = 1_700_000_000_123


class _Odd(str, Enum):
    """A str enum whose values need percent-encoding (exercises the slow enum encoder)."""

    SPACE = "a b"
    AMP = "x&y"


class _IntKind(int, Enum):
    ONE = 1


decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None) | st.builds(
    lambda digits, exp, sign: Decimal((sign, digits, exp)),
    st.tuples(*[st.integers(0, 9)] * 3),
    st.integers(-30, 30),
    st.integers(0, 1),
)
texts = st.text(min_size=1, max_size=20)
values = st.one_of(
    texts,
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    decimals,
    st.sampled_from(list(OrderSide) + list(OrderType) + list(TimeInForce) + list(_Odd) + list(_IntKind)),
    st.lists(texts, max_size=3),
    st.none(),
)


def _param_classes() -> list[type[Any]]:
    seen: dict[type[Any], None] = {}
    for endpoint in all_endpoints():
        seen.setdefault(endpoint.params)
    return list(seen)


PARAM_CLASSES = _param_classes()


@settings(max_examples=300, deadline=None)
@given(cls=st.sampled_from(PARAM_CLASSES), data=st.data())
def test_wire_query_equals_encoded_wire_items_for_every_params_class(cls: type[Any], data: st.DataObject) -> None:
    """Any mix of value types in any params class: the one-pass query is the generic encoding."""
    fields = list(cls.model_fields)
    chosen = data.draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields))) if fields else []
    params = cls.model_construct(**{name: data.draw(values) for name in chosen})
    assert params.wire_query() == encode_params(params.wire_items())


@given(decimals)
def test_decimal_text_is_plain_notation(value: Decimal) -> None:
    assert _decimal_text(value) == fmt_decimal(value) == wire_value(value)
    assert "E" not in _decimal_text(value) and "e" not in _decimal_text(value)


def test_decimal_text_under_a_lowercase_exponent_context() -> None:
    with decimal.localcontext() as ctx:
        ctx.capitals = 0
        for text in ("1E-7", "1E+2", "0.00000001", "-5E-10", "123E+5", "0E-12"):
            value = Decimal(text)
            assert _decimal_text(value) == format(value, "f"), text


@given(side=st.sampled_from(list(OrderSide)), qty=decimals.filter(lambda d: d > 0 and abs(d.adjusted()) < 30),
       symbol=st.from_regex(r"[A-Z0-9]{2,12}", fullmatch=True))
def test_with_value_equals_model_copy(side: OrderSide, qty: Decimal, symbol: str) -> None:
    params = NEW_ORDER.params.build(symbol=symbol, side=side, type="MARKET", quantity=qty)
    fast = params.with_value("newClientOrderId", "bt-abc")
    slow = params.model_copy(update={"newClientOrderId": "bt-abc"})
    assert fast == slow
    assert type(fast) is type(slow)
    assert fast.__dict__ == slow.__dict__ and list(fast.__dict__) == list(slow.__dict__)
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.newClientOrderId == "bt-abc"
    assert params.newClientOrderId is None  # the original is untouched
    assert fast.wire_query() == encode_params(slow.wire_items())


@given(st.text(max_size=200))
def test_keyed_hmac_signer_equals_hmac_new(payload: str) -> None:
    expected = hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()
    assert HmacSigner(SECRET).sign(payload) == expected
    assert HmacSigner(SECRET.encode()).sign(payload) == expected


def test_keyed_hmac_signer_is_safe_across_threads() -> None:
    signer = HmacSigner(SECRET)
    payloads = [f"symbol=BTCUSDT&timestamp={i}" for i in range(400)]
    expected = {p: hmac.new(SECRET.encode(), p.encode(), hashlib.sha256).hexdigest() for p in payloads}
    wrong: list[str] = []

    def work(offset: int) -> None:
        for p in payloads[offset:] + payloads[:offset]:
            if signer.sign(p) != expected[p]:
                wrong.append(p)

    threads = [threading.Thread(target=work, args=(i * 50,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


# -- prepare against the generic construction ------------------------------------------------------
def _reference_url(endpoint: Any, params: Any, config: Any, stamp: int) -> str:
    """The URL as the generic path builds it: encode_params(wire_items()) + recvWindow + timestamp."""
    query = encode_params(params.wire_items())
    tail = f"recvWindow={params.recv_window_text(config.recv_window)}&timestamp={stamp}"
    query = f"{query}&{tail}" if query else tail
    signature = encode_params([("", config.signer.sign(query))])[1:]
    return f"{config.base_url}{endpoint.path}?{query}&signature={signature}"


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_base.time, "time", lambda: STAMP_MS / 1000)


order_fields = st.fixed_dictionaries(
    {
        "symbol": st.from_regex(r"[A-Z0-9]{2,12}", fullmatch=True) | st.sampled_from(["１２３４５６", "BTC USDT", "A&B=C"]),
        "side": st.sampled_from(["BUY", "SELL", OrderSide.BUY]),
        "type": st.just("LIMIT"),
        "timeInForce": st.sampled_from(list(TimeInForce)),
        "quantity": st.sampled_from(["0.00150000", "1", "1E-7", "0.1", Decimal("1E+2"), 3]),
        "price": st.sampled_from(["64250.01", "0.00000001", Decimal("5E-8"), "100"]),
    },
    optional={
        "newClientOrderId": st.from_regex(r"[A-Za-z0-9._:/-]{1,36}", fullmatch=True),
        "recvWindow": st.sampled_from([1, 5000, "2500.5", Decimal("60000"), 0.5]),
        "selfTradePreventionMode": st.sampled_from(list(SelfTradePreventionMode)),
        "strategyId": st.integers(1, 2**40),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=order_fields, default_window=st.sampled_from([5000, 60000, 2500.5, 1]))
def test_prepare_signed_order_equals_the_generic_construction(
    fields: dict[str, Any], default_window: int | float, frozen_clock: None
) -> None:
    config = _config(KEY, SECRET, None, None, "https://api.binance.com", None, default_window, None)
    params = NEW_ORDER.params.build(**fields)
    prepared = prepare(NEW_ORDER, params, config, time_offset_ms=7)
    sent = dict(parse_qsl(prepared.url.split("?", 1)[1]))
    if "newClientOrderId" in fields:
        assert prepared.client_order_id == fields["newClientOrderId"]
        assert prepared.params is params
    else:  # generated, sent in its declared place, and kept on the prepared request's params
        assert prepared.client_order_id is not None and prepared.client_order_id.startswith("bt-")
        assert prepared.params.newClientOrderId == prepared.client_order_id
        assert sent["newClientOrderId"] == prepared.client_order_id
    assert prepared.url == _reference_url(NEW_ORDER, prepared.params, config, STAMP_MS + 7)
    assert prepared.headers == {"X-MBX-APIKEY": KEY}
    assert prepared.method == "POST" and prepared.content is None


def test_prepare_generated_id_sits_where_the_field_is_declared(frozen_clock: None) -> None:
    config = _config(KEY, SECRET, None, None, "https://api.binance.com", None, 5000, None)
    params = NEW_ORDER.params.build(symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                                    quantity="0.0015", price="64250.01", newOrderRespType="ACK")
    prepared = prepare(NEW_ORDER, params, config)
    cid = prepared.client_order_id
    assert prepared.url.startswith(
        "https://api.binance.com/api/v3/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
        f"&quantity=0.0015&price=64250.01&newClientOrderId={cid}&newOrderRespType=ACK"
        f"&recvWindow=5000&timestamp={STAMP_MS}&signature="
    )
    assert params.newClientOrderId is None  # the caller's params are not changed


def test_prepare_signs_each_attempt_with_a_fresh_timestamp(monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config(KEY, SECRET, None, None, "https://api.binance.com", None, 5000, None)
    params = NEW_ORDER.params.build(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="1",
                                    newClientOrderId="mine")
    clock = iter([1.0, 2.0])
    monkeypatch.setattr(_base.time, "time", lambda: next(clock))
    first, second = prepare(NEW_ORDER, params, config), prepare(NEW_ORDER, params, config)
    assert "&timestamp=1000&" in first.url and "&timestamp=2000&" in second.url
    for p in (first, second):
        query, _, signature = p.url.split("?", 1)[1].rpartition("&signature=")
        assert signature == hmac.new(SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()


def test_prepare_public_endpoint_has_no_signature_or_key() -> None:
    config = _config(None, None, None, None, "https://api.binance.com", None, 5000, None)
    params = KLINES.params.build(symbol="BTCUSDT", interval="1m", limit=5)
    prepared = prepare(KLINES, params, config)
    assert prepared.url == "https://api.binance.com/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=5"
    assert prepared.headers == {} and prepared.client_order_id is None


def test_prepare_ed25519_signature_is_percent_encoded(frozen_clock: None) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    config = _config(KEY, None, pem, None, "https://api.binance.com", None, 5000, None)
    params = NEW_ORDER.params.build(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="1", newClientOrderId="x")
    prepared = prepare(NEW_ORDER, params, config)
    assert prepared.url == _reference_url(NEW_ORDER, params, config, STAMP_MS)
    signature = prepared.url.rpartition("&signature=")[2]
    assert "+" not in signature and "/" not in signature and "=" not in signature  # percent-encoded


# -- client order ids drawn in batches -------------------------------------------------------------
def test_generated_client_order_ids_are_unique_across_threads_and_well_formed() -> None:
    import re

    got: list[list[str]] = [[] for _ in range(8)]

    def draw(bucket: list[str]) -> None:
        for _ in range(3000):
            bucket.append(_base.new_client_order_id())

    threads = [threading.Thread(target=draw, args=(b,)) for b in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [i for bucket in got for i in bucket]
    assert len(ids) == len(set(ids)) == 24000
    assert all(re.fullmatch(r"bt-[0-9a-f]{29}", i) for i in ids)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_reuse_the_parents_drawn_ids() -> None:
    """Run in a fresh single-threaded process (forking this multi-threaded test process warns)."""
    import subprocess
    import sys
    from pathlib import Path

    code = """
import os
from binance_typed._transport import _base
_base.new_client_order_id()  # the parent now holds a batch of spare ids
spare = set(_base._spare_ids)
assert spare
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(write, _base.new_client_order_id().encode())
    os._exit(0)
os.close(write)
child = os.read(read, 100).decode()
os.waitpid(pid, 0)
assert child.startswith("bt-") and child not in spare, child
print("ok")
"""
    root = Path(__file__).resolve().parent.parent  # this checkout's package first on sys.path
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=root)
    assert done.stdout.strip() == "ok", done.stderr


# -- to_decimal: the plain-str fast path checks what the generic path checks ----------------------
class _Text(str):
    """A str subclass: ``to_decimal`` takes its generic path for it."""


def _outcome(fn: Any, value: Any) -> Any:
    try:
        result = fn(value)
    except ValueError as exc:
        return ("error", str(exc).replace("_Text(", "").replace("')", "'"))
    return (str(result), result.as_tuple())


number_text = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(r"[+-]?[0-9]{0,45}(\.[0-9]{0,45})?([eE][+-]?[0-9]{1,3})?", fullmatch=True),
    st.text(max_size=12),
    st.sampled_from(["1" * 79, "1" * 80, "1" * 81, "0." + "0" * 78, "1E40", "1E41", "1E-40", "1E-41", " 1", "1_0"]),
)


@settings(max_examples=400, deadline=None)
@given(number_text)
def test_to_decimal_fast_str_path_equals_the_generic_path(text: str) -> None:
    from binance_typed._params import to_decimal

    assert _outcome(to_decimal, text) == _outcome(to_decimal, _Text(text))
