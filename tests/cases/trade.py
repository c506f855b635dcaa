"""Cases of ``client.trade``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from binance_typed.models.trade import OrderAck, OrderFull, OrderResult

from . import Case


def _full(value: Any) -> None:
    assert type(value) is OrderFull
    assert value.fills[1].commission == Decimal("19.99500000")
    assert value.cummulative_quote_qty == Decimal("10.00000000")


_LIMIT = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&newClientOrderId=bot-1"

CASES = [
    Case("trade.new_order", "POST__api_v3_order__01_ACK.json",
         _LIMIT + "&newOrderRespType=ACK&recvWindow=5000", label="ack",
         args=("BTCUSDT", "BUY", "LIMIT"),
         kwargs={"timeInForce": "GTC", "quantity": 1, "price": "0.1", "newClientOrderId": "bot-1",
                 "newOrderRespType": "ACK"},
         check=lambda v: type(v) is OrderAck),
    Case("trade.new_order", "POST__api_v3_order__02_RESULT.json",
         _LIMIT + "&newOrderRespType=RESULT&recvWindow=5000", label="result",
         args=("BTCUSDT", "BUY", "LIMIT"),
         kwargs={"timeInForce": "GTC", "quantity": Decimal("1"), "price": 0.1, "newClientOrderId": "bot-1",
                 "newOrderRespType": "RESULT"},
         check=lambda v: type(v) is OrderResult),
    Case("trade.new_order", "POST__api_v3_order__03_FULL.json",
         "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=10&newClientOrderId=bot-2&recvWindow=5000",
         label="full", args=("BTCUSDT", "SELL", "MARKET"),
         kwargs={"quantity": 10, "newClientOrderId": "bot-2"}, check=_full),
]
