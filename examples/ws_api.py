"""The WebSocket API: session.logon with an Ed25519 key, user data events, a LIMIT order placed and cancelled.

    python examples/ws_api.py --local          # the local simulator (pip install 'binance-typed[testing]')

    # the Spot testnet (https://testnet.binance.vision), with an Ed25519 API key registered there:
    BINANCE_API_KEY=... BINANCE_ED25519_KEY=path/to/private.pem python examples/ws_api.py

The order is a small LIMIT buy well below the market, so it rests on the book until it is cancelled.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from binance_typed.error import BinanceError, ClientError, ExecutionStatusUnknown
from binance_typed.models.events.user_data import (
    BalanceUpdate,
    EventStreamTerminated,
    ExecutionReport,
    OutboundAccountPosition,
)
from binance_typed.models.trade import CancelledOrder
from binance_typed.ws import ConnectionEvent
from binance_typed.ws.api import SpotWebsocketAPIClient, UserDataMessage

TESTNET_WS_API = "wss://ws-api.testnet.binance.vision/ws-api/v3"
SYMBOL = "BTCUSDT"


class Reports:
    """Collects the execution reports of the user data stream (called in the reader thread)."""

    def __init__(self) -> None:
        self.statuses: list[str] = []
        self.cancelled = threading.Event()

    def __call__(self, ws: Any, message: UserDataMessage) -> None:
        event = message.event
        if isinstance(event, ExecutionReport):
            self.statuses.append(event.execution_type)
            print(f"  [user data #{message.subscription_id}] order {event.order_id} "
                  f"{event.execution_type}: {event.order_status}, {event.quantity} @ {event.price}")
            if event.order_status == "CANCELED":
                self.cancelled.set()
        elif isinstance(event, OutboundAccountPosition):
            balances = ", ".join(f"{b.asset} {b.free} free / {b.locked} locked" for b in event.balances)
            print(f"  [user data #{message.subscription_id}] balances: {balances}")
        elif isinstance(event, BalanceUpdate):
            print(f"  [user data #{message.subscription_id}] {event.asset} {event.balance_delta:+}")
        elif isinstance(event, EventStreamTerminated):
            print(f"  [user data #{message.subscription_id}] subscription ended")
        else:
            print(f"  [user data #{message.subscription_id}] {event.event_type}")


def on_event(event: ConnectionEvent) -> None:
    if event.kind not in ("connected", "stopped"):
        print(f"[connection {event.kind}{': ' + event.reason if event.reason else ''}]")


def run(url: str, api_key: str, private_key: str) -> int:
    reports = Reports()
    with SpotWebsocketAPIClient(api_key, private_key=private_key, stream_url=url, on_user_data=reports,
                                on_event=on_event, timeout=10) as ws:
        status = ws.session.logon()
        print(f"logged on with key {status.api_key[:8] if status.api_key else None}... "
              f"since {status.authorized_since}")
        print("user data subscription:", ws.user_data.subscribe().subscription_id)

        rules = ws.market.rules(SYMBOL)   # the symbol's filters from exchangeInfo, cached
        lot_size = rules.lot_size
        quantity = rules.round_quantity(max(Decimal("0.001"), lot_size.min_qty if lot_size else Decimal(0)))
        best_bid = ws.market.depth(SYMBOL, limit=1).bids[0].price
        price = rules.round_price(best_bid * Decimal("0.9"), "BUY")   # on the tick grid, rounded down

        try:
            order = ws.trade.new_order(SYMBOL, "BUY", "LIMIT", timeInForce="GTC", quantity=quantity,
                                       price=price, newOrderRespType="RESULT")
        except ExecutionStatusUnknown as exc:
            print(f"no answer to the order; look it up by newClientOrderId={exc.new_client_order_id}")
            return 1
        except ClientError as exc:
            print(f"order rejected: {exc.error_code} {exc.error_message}")
            return 1
        print(f"placed order {order.order_id} ({order.client_order_id}): {order.status}, "
              f"{order.orig_qty} @ {order.price}")

        found = ws.account.get_order(SYMBOL, orderId=order.order_id)
        print(f"queried: {found.status}, working since {found.working_time}")

        cancelled = ws.trade.cancel_order(SYMBOL, orderId=order.order_id)
        if isinstance(cancelled, CancelledOrder):
            print(f"cancelled order {cancelled.order_id}: {cancelled.status}")
        else:  # the order belonged to an order list: the whole list was cancelled
            print(f"cancelled order list {cancelled.order_list_id}: {cancelled.list_order_status}")

        if not reports.cancelled.wait(5):
            print("no CANCELED execution report within 5 s")
            return 1
        for limit in ws.rate_limits:
            print(f"rate limit {limit.key}: {limit.count}/{limit.limit}")
        ws.user_data.unsubscribe()
        ws.session.logout()
    print("execution reports:", ", ".join(reports.statuses))
    return 0


@contextlib.contextmanager
def local_exchange() -> Iterator[tuple[str, str, str]]:
    """LocalBinance with a fresh Ed25519 key: yields (url, api_key, private key PEM)."""
    from binance_typed.testing import LocalBinance

    with LocalBinance() as exchange:
        api_key, pem = exchange.new_key("Ed25519")
        yield exchange.ws_api_url, api_key, pem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--local", action="store_true", help="run against binance_typed.testing.LocalBinance")
    args = parser.parse_args()
    try:
        if args.local:
            with local_exchange() as (url, api_key, pem):
                return run(url, api_key, pem)
        env_key, pem_path = os.environ.get("BINANCE_API_KEY"), os.environ.get("BINANCE_ED25519_KEY")
        if not env_key or not pem_path:
            print("set BINANCE_API_KEY and BINANCE_ED25519_KEY (an Ed25519 testnet key), or use --local")
            return 2
        return run(TESTNET_WS_API, env_key, pem_path)
    except BinanceError as exc:
        print(f"failed: {exc!r}")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
