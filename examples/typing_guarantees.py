"""What mypy knows about the client: checked by ``mypy --strict examples`` in CI, never executed.

Each ``assert_type`` fails the type check if a signature or overload regresses.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from typing_extensions import assert_type

from binance_typed import Client
from binance_typed.models.enums import NewOrderRespType
from binance_typed.models.market import Kline
from binance_typed.models.trade import OrderAck, OrderFull, OrderResult


def check(client: Client) -> None:
    candles = client.market.klines("BTCUSDT", "1m", limit=10)
    assert_type(candles, list[Kline])
    assert_type(candles[0].close, Decimal)
    assert_type(candles[0].open_time, datetime)

    ack = client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newOrderRespType="ACK")
    assert_type(ack, OrderAck)
    result = client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1, newOrderRespType=NewOrderRespType.RESULT)
    assert_type(result, OrderResult)
    full = client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity="1", price=0.1,
                                  newOrderRespType="FULL")
    assert_type(full, OrderFull)
    assert_type(full.fills[0].commission, Decimal)
    default = client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=1)  # MARKET/LIMIT default to FULL
    assert_type(default, OrderFull)
    stop = client.trade.new_order("BTCUSDT", "SELL", "STOP_LOSS", quantity=1, stopPrice=1)  # others: ACK
    assert_type(stop, OrderAck)
