"""``python -m binance_typed demo``: a short tour of the SDK against a local exchange.

It starts :class:`~binance_typed.testing.LocalBinance` on 127.0.0.1 and, with the real
:class:`~binance_typed.Client`, reads the server time, a klines table and a symbol's filters,
places a LIMIT order that fills, shows the balances and receives a few trades over a WebSocket
stream. ``--live`` runs only the public market-data part against https://api.binance.com.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Client

__all__ = ["run_demo"]

SYMBOL = "BTCUSDT"
INSTALL_HINT = (
    "The demo needs the simulator's extras (starlette, uvicorn, websockets):\n"
    "    pip install 'binance-typed[testing]'"
)


def _section(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 60 - len(title)))


def _klines_table(klines: list[Any]) -> None:
    print(f"{'open time (UTC)':<20} {'open':>12} {'high':>12} {'low':>12} {'close':>12} {'volume':>12}")
    for k in klines:
        print(f"{k.open_time:%Y-%m-%d %H:%M}     {k.open:>12.2f} {k.high:>12.2f} {k.low:>12.2f} "
              f"{k.close:>12.2f} {k.volume:>12.5f}")


def _filters(client: Client) -> None:
    info = client.market.exchange_info(symbol=SYMBOL)
    for f in info.symbols[0].filters:
        print(f"  {f!r}")


def _market_part(client: Client) -> None:
    _section("Server time")
    server = client.market.time()
    print(f"  {server!r}")
    _section(f"{SYMBOL} 1m klines (last 5)")
    _klines_table(client.market.klines(SYMBOL, "1m", limit=5))
    _section(f"{SYMBOL} exchange filters")
    _filters(client)
    _section(f"{SYMBOL} order book (top 3)")
    book = client.market.depth(SYMBOL, limit=3)
    for bid, ask in zip(book.bids, book.asks, strict=False):
        print(f"  bid {bid.quantity:>10.5f} @ {bid.price:>10.2f}   |   ask {ask.quantity:>10.5f} @ {ask.price:>10.2f}")


def _rules(client: Client) -> None:
    _section(f"Rounding to the {SYMBOL} rules")
    rules = client.market.rules(SYMBOL)
    wanted = (client.market.book_ticker(symbol=SYMBOL).bid_price * Decimal("0.99917")).quantize(Decimal("1E-6"))
    price = rules.round_price(wanted, "BUY")
    quantity = rules.round_quantity(Decimal("0.0123456789"))
    print(f"  tick {rules.tick_size}, step {rules.step_size}, min notional {rules.min_notional_value:f}")
    print(f"  price {wanted:f} -> {price}, quantity 0.0123456789 -> {quantity}")
    rules.check({"side": "BUY", "type": "LIMIT", "price": price, "quantity": quantity})
    print("  the rounded order passes every filter")


def _balances(client: Client) -> None:
    for b in client.account.info(omitZeroBalances=True).balances:
        print(f"  {b.asset:<5} free {b.free:>16f}  locked {b.locked:>14f}")


def _streamed_trades(exchange: Any, client: Client, count: int = 3) -> None:
    from .models.events.market import TradeEvent
    from .ws.streams import SpotWebsocketStreamClient

    with SpotWebsocketStreamClient(stream_url=exchange.stream_url) as streams:
        streams.trade(SYMBOL, wait=True)
        for i in range(count):
            client.trade.new_order(SYMBOL, "SELL" if i % 2 else "BUY", "MARKET", quantity=Decimal("0.002"))
        seen = 0
        while seen < count:
            event = streams.get(timeout=5)
            if isinstance(event, TradeEvent):
                seen += 1
                print(f"  {type(event).__name__} #{event.trade_id}: {event.quantity:.5f} {SYMBOL[:3]} "
                      f"@ {event.price:.2f} ({'seller' if event.is_buyer_maker else 'buyer'} was the taker)")


def _local() -> int:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401

        from .testing import LocalBinance
    except ImportError:
        print(INSTALL_HINT)
        return 1
    started = time.monotonic()
    with LocalBinance() as exchange:
        print(f"LocalBinance running at {exchange.rest_url} (streams {exchange.stream_url})")
        with exchange.client(timeout=10) as client:
            _market_part(client)
            _rules(client)
            _section("A LIMIT buy that crosses the book")
            best_ask = client.market.depth(SYMBOL, limit=1).asks[0].price
            order = client.trade.new_order(
                SYMBOL, "BUY", "LIMIT", timeInForce="GTC", quantity=Decimal("0.05"),
                price=best_ask + Decimal("10"), newOrderRespType="FULL",
            )
            print(f"  order {order.order_id} {order.side} {order.orig_qty:f} @ {order.price:f}: {order.status}")
            for fill in order.fills:
                print(f"    fill #{fill.trade_id}: {fill.qty:f} @ {fill.price:f}, "
                      f"commission {fill.commission:f} {fill.commission_asset}")
            _section("Balances after the fill")
            _balances(client)
            _section(f"Trades streamed from {SYMBOL.lower()}@trade")
            _streamed_trades(exchange, client)
            used = client.rate_limits.used_weight.get("1M")
            print(f"\nrequest weight used: {used}; demo took {time.monotonic() - started:.2f}s")
    return 0


def _live() -> int:
    from . import Client
    from .error import BinanceError

    print("Public market data from https://api.binance.com")
    try:
        with Client(timeout=10) as client:
            _market_part(client)
    except BinanceError as exc:
        print(f"could not reach Binance: {exc}")
        return 1
    return 0


def run_demo(live: bool = False) -> int:
    """Run the demo; returns the process exit code."""
    return _live() if live else _local()
