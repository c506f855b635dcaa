"""Every market stream example of the docs decodes into its typed event."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from binance_typed.models.events.market import (
    AggTradeEvent,
    AllMarketMiniTickersEvent,
    AllMarketRollingWindowTickersEvent,
    AvgPriceEvent,
    BlockTradeEvent,
    BookTickerEvent,
    DepthUpdateEvent,
    KeyedEvent,
    KlineEvent,
    MiniTickerEvent,
    PartialDepthEvent,
    PriceLevel,
    ReferencePriceEvent,
    RollingWindowTickerEvent,
    ServerShutdownEvent,
    StreamDecoder,
    TickerEvent,
    TradeEvent,
    UnknownEvent,
    decode_event,
    event_identity,
)

EXAMPLES = Path(__file__).parent / "spec" / "examples" / "streams"

EXPECTED: dict[str, tuple[type, str | None]] = {
    "1hTicker": (RollingWindowTickerEvent, None),
    "24hrMiniTicker": (MiniTickerEvent, None),
    "24hrMiniTicker__arr": (AllMarketMiniTickersEvent, "!miniTicker@arr"),
    "24hrTicker": (TickerEvent, None),
    "aggTrade": (AggTradeEvent, None),
    "avgPrice": (AvgPriceEvent, None),
    "blockTrade": (BlockTradeEvent, None),
    "bookTicker": (BookTickerEvent, "bnbusdt@bookTicker"),
    "depthPartial": (PartialDepthEvent, "bnbbtc@depth5"),
    "depthUpdate": (DepthUpdateEvent, None),
    "kline": (KlineEvent, None),
    "kline__utc_plus_8": (KlineEvent, None),
    "referencePrice": (ReferencePriceEvent, None),
    "rollingWindowTicker__arr": (AllMarketRollingWindowTickersEvent, "!ticker_1h@arr"),
    "serverShutdown": (ServerShutdownEvent, None),
    "serverShutdown__combined": (ServerShutdownEvent, None),
    "serverShutdown__wsapi": (ServerShutdownEvent, None),
    "trade": (TradeEvent, None),
}


def test_every_example_is_covered() -> None:
    assert {p.stem for p in EXAMPLES.glob("*.json")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_decodes(name: str) -> None:
    text = (EXAMPLES / f"{name}.json").read_text()
    cls, stream = EXPECTED[name]
    event = decode_event(text, stream=stream)
    assert isinstance(event, cls), event
    # the same payload in a combined envelope, compact: the fast path gives the same event
    payload = json.loads(text)
    if "stream" not in payload and "event" not in payload:
        combined = json.dumps({"stream": stream or "bnbbtc@x", "data": payload}, separators=(",", ":"))
        assert decode_event(combined) == event
        # and the parsed-dict path too
        assert StreamDecoder().decode_payload(payload, stream) == event


def test_trade_fields() -> None:
    event = decode_event((EXAMPLES / "trade.json").read_text())
    assert isinstance(event, TradeEvent)
    assert event.price == Decimal("0.001") and event.quantity == Decimal("100")
    assert event.symbol == "BNBBTC" and event.trade_id == 12345 and event.is_buyer_maker is True
    assert event.event_time == datetime(2022, 12, 31, 19, 43, 2, 136000, tzinfo=timezone.utc)
    assert event.event_time.tzinfo is not None
    assert TradeEvent.model_fields["price"].alias == "p"
    assert "``p``" in (TradeEvent.model_fields["price"].description or "")


def test_microseconds() -> None:
    text = '{"e":"trade","E":1672515782136123,"s":"BNBBTC","t":1,"p":"1","q":"2","T":1672515782136001,"m":false,"M":true}'
    event = decode_event(text, time_unit="MICROSECOND")
    assert isinstance(event, TradeEvent)
    assert event.event_time == datetime(2022, 12, 31, 19, 43, 2, 136123, tzinfo=timezone.utc)
    assert event.trade_time.microsecond == 136001
    # an unusual payload (extra key) takes the validating path, still in µs
    event2 = decode_event(text.replace('"M":true', '"M":true,"Z":7'), time_unit="microsecond")
    assert isinstance(event2, TradeEvent) and event2.event_time == event.event_time
    assert event2.model_extra == {"Z": 7}


def test_kline_fields() -> None:
    event = decode_event((EXAMPLES / "kline.json").read_text())
    assert isinstance(event, KlineEvent)
    assert (
        event.kline.interval == "1m" and event.kline.close == Decimal("0.0020") and not event.kline.is_closed
    )


def test_depth_levels() -> None:
    event = decode_event((EXAMPLES / "depthUpdate.json").read_text())
    assert isinstance(event, DepthUpdateEvent)
    assert event.first_update_id == 157 and event.final_update_id == 160
    assert len(event.bids) == 1
    assert event.bids[0] == PriceLevel(Decimal("0.0024"), Decimal("10"))
    assert event.asks == [PriceLevel(Decimal("0.0026"), Decimal("100"))]
    assert json.loads(event.model_dump_json(by_alias=True))["b"] == [["0.0024", "10"]]
    partial = decode_event((EXAMPLES / "depthPartial.json").read_text(), stream="bnbbtc@depth5@100ms")
    assert isinstance(partial, PartialDepthEvent) and partial.symbol == "BNBBTC"


def test_reference_price_null() -> None:
    event = decode_event('{"e":"referencePrice","s":"BAZUSD","r":null,"t":1770313263917}')
    assert isinstance(event, ReferencePriceEvent) and event.reference_price is None


def test_unknown_and_invalid_never_raise() -> None:
    unknown = decode_event('{"e":"brandNewEvent","E":1,"x":2}')
    assert isinstance(unknown, UnknownEvent) and unknown.event_type == "brandNewEvent"
    broken = decode_event('{"e":"trade","E":1}')
    assert isinstance(broken, UnknownEvent) and broken.error
    assert isinstance(decode_event("not json"), UnknownEvent)
    assert isinstance(decode_event('{"u":1}', stream="x@nothing"), UnknownEvent)


def test_extra_fields_are_kept() -> None:
    text = (EXAMPLES / "aggTrade.json").read_text()
    payload = json.loads(text) | {"X": "new"}
    event = decode_event(json.dumps(payload))
    assert isinstance(event, AggTradeEvent) and event.model_extra == {"X": "new"}


def test_discriminated_union_matches_fast_path() -> None:
    adapter: TypeAdapter[object] = TypeAdapter(KeyedEvent)
    for name in ("trade", "aggTrade", "kline", "24hrTicker", "avgPrice", "1hTicker"):
        text = (EXAMPLES / f"{name}.json").read_text()
        assert adapter.validate_json(text) == decode_event(text)


def test_event_identity() -> None:
    trade = decode_event((EXAMPLES / "trade.json").read_text())
    depth = decode_event((EXAMPLES / "depthUpdate.json").read_text())
    assert event_identity(trade) == 12345 and event_identity(depth) == 160
