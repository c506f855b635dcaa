"""Quickstart: public market data, then a signed order on the Spot testnet.

    BINANCE_API_KEY=... BINANCE_API_SECRET=... python examples/quickstart.py
"""

from __future__ import annotations

import os

from binance_typed import Client
from binance_typed.error import ClientError


def main() -> None:
    with Client.testnet(os.environ.get("BINANCE_API_KEY"), os.environ.get("BINANCE_API_SECRET")) as client:
        print("server time:", client.market.time().server_time)
        for candle in client.market.klines("BTCUSDT", "1m", limit=5):
            print(candle.open_time, candle.open, candle.close, candle.volume)
        if client.config.signer is None:
            return
        try:
            order = client.trade.new_order(
                "BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity="0.001", price="20000",
                newOrderRespType="RESULT",
            )
        except ClientError as exc:
            print("rejected:", exc.error_code, exc.error_message)
        else:
            print(order.order_id, order.status, order.executed_qty)


if __name__ == "__main__":
    main()
