"""A local order book: a REST depth snapshot kept current by the diff-depth stream.

    python examples/order_book.py                  # BTCUSDT on api.binance.com / stream.binance.com
    python examples/order_book.py --local          # the local simulator (pip install 'binance-typed[testing]')
    python examples/order_book.py --symbol ETHUSDT --seconds 30
"""

from __future__ import annotations

import argparse
import contextlib
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from binance_typed import Client
from binance_typed.models.events.market import DepthUpdateEvent, MarketEvent, StreamGapEvent
from binance_typed.models.market import OrderBook as DepthSnapshot
from binance_typed.ws import OrderBook, SpotWebsocketStreamClient

if TYPE_CHECKING:
    from binance_typed.testing import LocalBinance

LIVE_REST = "https://api.binance.com"
LIVE_STREAMS = "wss://stream.binance.com:9443"


def print_book(book: OrderBook, depth: int = 5) -> None:
    asks = book.asks(depth)
    bids = book.bids(depth)
    print(f"--- {book.symbol} at update {book.last_update_id} (resyncs: {book.resyncs})")
    for level in reversed(asks):
        print(f"    ask {level.price:>16} {level.quantity:>16}")
    for level in bids:
        print(f"    bid {level.price:>16} {level.quantity:>16}")


def run(rest_url: str, stream_url: str, symbol: str, seconds: float) -> int:
    stream = f"{symbol.lower()}@depth@100ms"
    with Client(base_url=rest_url, timeout=10) as rest:

        def snapshot() -> DepthSnapshot:
            depth = rest.market.depth(symbol, limit=1000)
            print(f"snapshot: lastUpdateId {depth.last_update_id}, {len(depth.bids)} bids, {len(depth.asks)} asks")
            return depth

        book = OrderBook(symbol, fetch_snapshot=snapshot)

        def handle(event: MarketEvent) -> None:
            if isinstance(event, DepthUpdateEvent):
                book.apply(event)
            elif isinstance(event, StreamGapEvent) and stream in event.streams:
                print("stream gap: the book is rebuilt from a new snapshot")
                book.invalidate()

        with SpotWebsocketStreamClient(on_message=handle, stream_url=stream_url) as streams:
            streams.diff_book_depth(symbol, speed=100, wait=True)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                time.sleep(1.0)
                if book.synced:
                    print_book(book)
                else:
                    print("waiting for the first update...")
    if not book.synced:
        print("the book never synchronised")
        return 1
    best_bid, best_ask = book.best_bid(), book.best_ask()
    if best_bid is not None and best_ask is not None:
        print(f"final: best bid {best_bid.price}, best ask {best_ask.price}, spread {best_ask.price - best_bid.price}")
    return 0


@contextlib.contextmanager
def local_exchange(symbol: str) -> Iterator[LocalBinance]:
    """LocalBinance with a background trader placing and taking orders, so that the book moves."""
    from binance_typed.models.filters import PriceFilter
    from binance_typed.testing import LocalBinance

    with LocalBinance() as exchange:
        stop = threading.Event()

        def trade() -> None:
            with exchange.client(timeout=5) as rest:
                info = rest.market.exchange_info(symbol=symbol).symbols[0].get_filter(PriceFilter)
                tick = info.tick_size if info is not None else Decimal("0.01")
                n = 0
                while not stop.wait(0.15):
                    side: Literal["BUY", "SELL"] = "BUY" if n % 2 else "SELL"
                    if n % 3 == 2:  # take liquidity
                        rest.trade.new_order(symbol, side, "MARKET", quantity=Decimal("0.01"))
                    else:  # add a resting order a few ticks behind the best price
                        top = rest.market.depth(symbol, limit=1)
                        offset = tick * (n % 7 + 1)
                        price = top.bids[0].price - offset if side == "BUY" else top.asks[0].price + offset
                        rest.trade.new_order(symbol, side, "LIMIT", timeInForce="GTC",
                                             quantity=Decimal("0.02"), price=price)
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
    parser.add_argument("--symbol", default="BTCUSDT")
    parser.add_argument("--seconds", type=float, default=4.0, help="how long to follow the book (default 4)")
    args = parser.parse_args()
    if args.local:
        with local_exchange(args.symbol) as exchange:
            return run(exchange.rest_url, exchange.stream_url, args.symbol, args.seconds)
    return run(LIVE_REST, LIVE_STREAMS, args.symbol, args.seconds)


if __name__ == "__main__":
    raise SystemExit(main())
