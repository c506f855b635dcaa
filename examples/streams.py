"""Market streams: trades and best bid/ask of two symbols, printed as typed events for a few seconds.

    python examples/streams.py               # wss://stream.binance.com:9443 (public, no key)
    python examples/streams.py --local       # the local simulator (pip install 'binance-typed[testing]')
    python examples/streams.py --seconds 30
"""

from __future__ import annotations

import argparse
import contextlib
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from binance_typed.models.events.market import BookTickerEvent, MarketEvent, StreamGapEvent, TradeEvent
from binance_typed.ws import ConnectionEvent, SpotWebsocketStreamClient

if TYPE_CHECKING:
    from binance_typed.testing import LocalBinance

LIVE_STREAMS = "wss://stream.binance.com:9443"
SYMBOLS = ("BTCUSDT", "ETHUSDT")


def show(event: MarketEvent) -> None:
    """Called in the client's reader thread with every event."""
    match event:
        case TradeEvent():
            side = "sell" if event.is_buyer_maker else "buy "
            print(f"{event.trade_time:%H:%M:%S.%f} {event.symbol:<8} trade {side} "
                  f"{event.quantity:>12} @ {event.price}")
        case BookTickerEvent():
            spread = event.best_ask_price - event.best_bid_price
            print(f"{'':15} {event.symbol:<8} book  bid {event.best_bid_price} / ask {event.best_ask_price} "
                  f"(spread {spread})")
        case StreamGapEvent():
            print(f"gap on {', '.join(event.streams)} from {event.start:%H:%M:%S} to {event.end:%H:%M:%S}")
        case _:
            print(f"other event: {event.event_type}")


def on_reconnect(event: ConnectionEvent) -> None:
    print(f"[connection {event.kind}{': ' + event.reason if event.reason else ''}]")


def run(stream_url: str, seconds: float) -> int:
    counts = {"trade": 0, "bookTicker": 0}

    def handle(event: MarketEvent) -> None:
        if event.event_type in counts:
            counts[str(event.event_type)] += 1
        show(event)

    client = SpotWebsocketStreamClient(on_message=handle, on_reconnect=on_reconnect, stream_url=stream_url)
    try:
        for symbol in SYMBOLS:
            client.trade(symbol)
            client.book_ticker(symbol)
        print("subscribed:", ", ".join(client.list_subscriptions()))
        time.sleep(seconds)
    finally:
        client.stop()
    print(f"received {counts['trade']} trades and {counts['bookTicker']} book tickers in {seconds:g} s")
    return 0


@contextlib.contextmanager
def local_exchange() -> Iterator[LocalBinance]:
    """LocalBinance with a background trader, so that the streams have something to show."""
    from binance_typed.testing import LocalBinance

    with LocalBinance() as exchange:
        stop = threading.Event()

        def trade() -> None:
            with exchange.client(timeout=5) as rest:
                n = 0
                while not stop.wait(0.2):
                    symbol = SYMBOLS[n % len(SYMBOLS)]
                    side: Literal["BUY", "SELL"] = "BUY" if n % 4 < 2 else "SELL"
                    rest.trade.new_order(symbol, side, "MARKET", quantity=Decimal("0.01"))
                    n += 1

        trader = threading.Thread(target=trade, name="local-trader", daemon=True)
        trader.start()
        try:
            yield exchange
        finally:
            stop.set()
            trader.join(5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--local", action="store_true", help="run against binance_typed.testing.LocalBinance")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to listen (default 5)")
    args = parser.parse_args()
    if args.local:
        with local_exchange() as exchange:
            return run(exchange.stream_url, args.seconds)
    return run(LIVE_STREAMS, args.seconds)


if __name__ == "__main__":
    raise SystemExit(main())
