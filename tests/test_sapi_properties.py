"""Property tests of /sapi amounts: any Decimal goes out in plain notation and comes back exact."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sapi_support import Replay, sync_client

from binance_typed.error import ParameterValueError

# request parameters take at most 80 significant digits (more is refused before signing, see
# test_an_amount_of_more_than_80_digits_is_refused); the strategy can draw far longer decimals
AMOUNTS = st.decimals(
    min_value=Decimal("1E-18"), max_value=Decimal("1E+12"), allow_nan=False, allow_infinity=False
).filter(lambda d: len(d.as_tuple().digits) <= 80)


@settings(max_examples=60, deadline=None)
@given(amount=AMOUNTS)
def test_withdraw_amount_is_sent_in_plain_notation(amount: Decimal) -> None:
    replay = Replay(b'{"id":"x"}')
    with sync_client(replay) as client:
        client.wallet.withdraw("BTC", "addr", amount, withdrawOrderId="w")
    sent = dict(replay.query())["amount"]
    assert "E" not in sent.upper() and Decimal(sent) == amount


def test_an_amount_of_more_than_80_digits_is_refused() -> None:
    replay = Replay(b'{"id":"x"}')
    amount = Decimal("0." + "1" * 81)
    with sync_client(replay) as client, pytest.raises(ParameterValueError, match="too many digits"):
        client.wallet.withdraw("BTC", "addr", amount, withdrawOrderId="w")
    assert replay.requests == []


@settings(max_examples=60, deadline=None)
@given(amount=AMOUNTS)
def test_amounts_decode_exactly_from_json_strings_and_numbers(amount: Decimal) -> None:
    text = format(amount, "f")
    row = {"amount": text, "asset": "USDT", "time": 1700000000000, "type": "FAST", "status": "SUCCESS"}
    body = json.dumps({"total": 1, "rows": [row]}).encode()
    replay = Replay(body)
    with sync_client(replay) as client:
        record = client.simple_earn.flexible_redemption_record().rows[0]
    assert record.amount == amount and type(record.amount) is Decimal
    body = b'{"code":0,"msg":"","data":{"accountProfits":[{"profitAmount":%s}]}}' % text.encode()
    replay.body = body
    with sync_client(replay) as client:
        profit = client.mining.earnings_list("sha256", "user").data.account_profits[0].profit_amount
    assert profit == amount and type(profit) is Decimal
