"""Quickstart: public market data, then a LIMIT order rounded to the symbol's rules.

    python examples/quickstart.py --local     # the embedded local exchange (pip install '.[testing]')

    # the Spot testnet (https://testnet.binance.vision), with an HMAC key registered there:
    BINANCE_API_KEY=... BINANCE_API_SECRET=... python examples/quickstart.py
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from decimal import Decimal

from binance_typed import Client
from binance_typed.error import BinanceError, ClientError
from binance_typed.models.trade import CancelledOrder


@contextlib.contextmanager
def connect(local: bool) -> Iterator[Client]:
    """A client of the local exchange (``--local``) or of the Spot testnet."""
    if local:
        from binance_typed.testing import LocalBinance

        with LocalBinance() as exchange, exchange.client(timeout=10) as client:
            yield client
        return
    key, secret = os.environ.get("BINANCE_API_KEY"), os.environ.get("BINANCE_API_SECRET")
    with Client.testnet(key, secret, timeout=10) as client:
        yield client


def run(client: Client) -> None:
    print("server time:", client.market.time().server_time)
    for candle in client.market.klines("BTCUSDT", "1m", limit=5):
        print(candle.open_time, candle.open, candle.close, candle.volume)
    if client.config.signer is None:
        print("no API key: skipping the order (set BINANCE_API_KEY and BINANCE_API_SECRET, or use --local)")
        return
    rules = client.market.rules("BTCUSDT")                        # filters of exchangeInfo, cached
    best_bid = client.market.book_ticker(symbol="BTCUSDT").bid_price
    price = rules.round_price(best_bid * Decimal("0.95"), "BUY")  # on the tick grid, never above
    quantity = rules.min_quantity_for(rules.min_notional_value * 2, price)
    print(f"tick {rules.tick_size}, step {rules.step_size}: buying {quantity} @ {price}")
    try:
        order = client.trade.new_order(
            "BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=quantity, price=price,
            newOrderRespType="RESULT",
        )
    except ClientError as exc:
        print("rejected:", exc.error_code, exc.error_message)
        return
    print("order", order.order_id, order.status, f"{order.orig_qty:f} @ {order.price:f}")
    cancelled = client.trade.cancel_order("BTCUSDT", orderId=order.order_id)
    if isinstance(cancelled, CancelledOrder):   # (a CancelledOrderList for an order of a list)
        print("cancelled:", cancelled.status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--local", action="store_true", help="run against the embedded local exchange")
    args = parser.parse_args()
    try:
        with connect(args.local) as client:
            run(client)
    except ImportError as exc:
        print(f"--local needs the testing extra (pip install '.[testing]'): {exc}")
        return 1
    except BinanceError as exc:
        print(f"error: {type(exc).__name__}: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
