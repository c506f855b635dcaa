"""User data gaps: after a reconnect of a user data subscription a ``UserDataGapEvent`` comes first,
and ``resync_user_data`` shows what the lost events would have said (issue 10, item 4)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from support import API_KEY, API_SECRET, example
from test_wsapi_client import eventually
from wsapi_server import FakeWsApi

from binance_typed.models.events.user_data import BalanceUpdate, UserDataGapEvent
from binance_typed.testing import LocalBinance
from binance_typed.ws._connection import ReconnectPolicy
from binance_typed.ws.api import (
    AsyncWebsocketAPIClient,
    SpotWebsocketAPIClient,
    UserDataMessage,
    UserDataResync,
)

BALANCE = example("userdata/balanceUpdate.json")["event"]
OUTAGE = ReconnectPolicy(initial_delay=0.5, max_delay=0.5, jitter=0.0)


@pytest.fixture
def server() -> Iterator[FakeWsApi]:
    with FakeWsApi(hmac_secret=API_SECRET) as srv:
        yield srv


def test_gap_event_comes_first_after_a_reconnect(server: FakeWsApi) -> None:
    got: list[UserDataMessage] = []
    ws = SpotWebsocketAPIClient(
        API_KEY, API_SECRET, stream_url=server.url, timeout=5, reconnect=OUTAGE,
        on_user_data=lambda c, m: got.append(m),
    )
    try:
        first = ws.user_data.subscribe_signature().subscription_id
        server.push_event({**BALANCE, "d": "1"})
        eventually(lambda: len(got) == 1)
        lost_at = time.time()
        server.drop_all()
        eventually(lambda: not ws.is_connected, 2)
        server.push_event({**BALANCE, "d": "2"})  # nobody subscribed: lost, as on Binance
        eventually(lambda: len(got) == 2, 5)  # the gap, once the subscription is back
        back_at = time.time()
        server.push_event({**BALANCE, "d": "3"})
        eventually(lambda: len(got) == 3)
        gap = got[1].event
        assert isinstance(gap, UserDataGapEvent)
        assert got[1].subscription_id == gap.subscription_id != first
        assert gap.start.timestamp() <= lost_at + 0.01 and lost_at - 1 <= gap.start.timestamp()
        assert lost_at + 0.4 <= gap.end.timestamp() <= back_at + 0.01  # the 0.5 s reconnect delay
        assert gap.duration >= 0.4 and gap.reason
        assert isinstance(got[2].event, BalanceUpdate) and got[2].event.balance_delta == Decimal("3")
        assert [type(m.event) for m in got].count(UserDataGapEvent) == 1
    finally:
        ws.close()


def test_gap_is_reported_when_the_lost_socket_reports_its_close_late(
    server: FakeWsApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lost socket's close is handled on its reader thread; if that thread is late, the
    replacement (logon, resubscribe) must not overtake it, or the gap would be lost."""
    from binance_typed.ws._api_core import _Core

    on_close = _Core._on_close
    slow = [False]

    def late_on_close(self: _Core, session: Any, code: Any, reason: Any) -> None:
        if slow[0]:
            slow[0] = False
            time.sleep(2.0)
        on_close(self, session, code, reason)

    monkeypatch.setattr(_Core, "_on_close", late_on_close)
    got: list[UserDataMessage] = []
    ws = SpotWebsocketAPIClient(
        API_KEY, API_SECRET, stream_url=server.url, timeout=5,
        reconnect=ReconnectPolicy(initial_delay=0.01, jitter=0.0), on_user_data=lambda c, m: got.append(m),
    )
    try:
        ws.user_data.subscribe_signature()
        server.push_event({**BALANCE, "d": "1"})
        eventually(lambda: len(got) == 1)
        slow[0] = True
        server.drop_all()
        eventually(lambda: len(got) == 2, 10)  # the gap, once the subscription is back
        server.push_event({**BALANCE, "d": "3"})
        eventually(lambda: len(got) == 3)
        assert [type(m.event) for m in got] == [BalanceUpdate, UserDataGapEvent, BalanceUpdate]
    finally:
        ws.close()


def test_no_gap_without_a_subscription_or_after_unsubscribe(server: FakeWsApi) -> None:
    got: list[UserDataMessage] = []
    ws = SpotWebsocketAPIClient(
        API_KEY, API_SECRET, stream_url=server.url, timeout=5, reconnect=OUTAGE,
        on_user_data=lambda c, m: got.append(m),
    )
    try:
        ws.user_data.subscribe_signature()
        ws.user_data.unsubscribe()
        server.drop_all()
        eventually(lambda: not ws.is_connected, 2)
        assert ws.market.ping() is not None  # reconnected
        time.sleep(0.2)
        assert got == []
    finally:
        ws.close()


def test_async_iterator_receives_the_gap(server: FakeWsApi) -> None:
    async def main() -> list[UserDataMessage]:
        async with AsyncWebsocketAPIClient(
            API_KEY, API_SECRET, stream_url=server.url, timeout=5, reconnect=OUTAGE
        ) as ws:
            await ws.user_data.subscribe_signature()
            received: list[UserDataMessage] = []

            async def consume() -> None:
                async for message in ws.user_data_events():
                    received.append(message)
                    if len(received) == 2:
                        return

            consumer = asyncio.ensure_future(consume())
            await asyncio.sleep(0.05)
            server.drop_all()
            await asyncio.to_thread(eventually, lambda: server.connections == 2, 5)
            await asyncio.to_thread(eventually, lambda: len(server.conns) == 1 and server.conns[0].subscriptions, 5)
            server.push_event(BALANCE)
            await asyncio.wait_for(consumer, 5)
            return received

    received = asyncio.run(main())
    assert isinstance(received[0].event, UserDataGapEvent)
    assert isinstance(received[1].event, BalanceUpdate)


def test_order_filled_during_an_outage_is_visible_after_the_resync() -> None:
    """The bot resyncs from its ``on_user_data`` callback when the gap event arrives."""
    with LocalBinance() as exchange:
        other_key, other_secret = exchange.new_key("HMAC", account=2)
        exchange.fund("USDT", "10000000", account=2)
        resyncs: list[UserDataResync] = []
        gaps: list[UserDataGapEvent] = []
        seen: list[Any] = []
        done = threading.Event()

        def on_user_data(ws: SpotWebsocketAPIClient, message: UserDataMessage) -> None:
            if isinstance(message.event, UserDataGapEvent):
                gaps.append(message.event)
                resyncs.append(ws.resync_user_data(["BTCUSDT"], since=message.event.start))
                done.set()
            else:
                seen.append(message.event)

        with exchange.client() as rest, exchange.client(api_key=other_key, api_secret=other_secret) as other, \
                SpotWebsocketAPIClient(exchange.api_key, exchange.api_secret, stream_url=exchange.ws_api_url,
                                       reconnect=ReconnectPolicy(initial_delay=1.0, jitter=0.0),
                                       on_user_data=on_user_data) as ws:
            ws.user_data.subscribe_signature()
            top = rest.market.depth("BTCUSDT", limit=1).asks[0]
            mine = rest.trade.new_order("BTCUSDT", "SELL", "LIMIT", timeInForce="GTC", quantity="0.01",
                                        price=top.price)
            eventually(lambda: any(getattr(e, "order_id", None) == mine.order_id for e in seen))
            exchange.cut_connections()
            eventually(lambda: not ws.is_connected, 2)
            # during the outage, another account buys through our price: our order fills
            other.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity=top.quantity + Decimal("0.01"))
            assert rest.account.get_order("BTCUSDT", orderId=mine.order_id).status == "FILLED"
            assert done.wait(10), "no gap event after the reconnect"
        # the fill's events were lost with the connection (the NEW order's own events arrived)
        fills = [e for e in seen if getattr(e, "order_id", None) == mine.order_id and getattr(e, "execution_type", None) == "TRADE"]
        assert fills == []
        state = resyncs[0]
        filled = state.order("BTCUSDT", mine.order_id)
        assert filled is not None and filled.status == "FILLED" and filled.executed_qty == Decimal("0.01")
        assert all(o.order_id != mine.order_id for o in state.open_orders)
        assert gaps[0].duration >= 0.9
