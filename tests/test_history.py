"""History downloads against the local exchange: pages, resume, rate limits, progress, async."""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from binance_typed import RetryPolicy
from binance_typed.history import SOURCES, Pager, Progress, _Pacing, to_ms
from binance_typed.testing import LocalBinance

T0 = 1_699_920_000_000  # 2023-11-14 00:00 UTC
MIN = 60_000


@pytest.fixture(scope="module")
def traded() -> Iterator[LocalBinance]:
    """An exchange where the test account made 12 market buys (one trade each) and 3 limit orders."""
    with LocalBinance(weight_limit=10**9, orders_10s=10**9) as ex, ex.client() as client:
        for _ in range(12):
            client.trade.new_order("BTCUSDT", "BUY", "MARKET", quantity="0.001")
        for i in range(3):
            client.trade.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", price=str(50000 + i),
                                   quantity="0.001")
        yield ex


def test_klines_month_in_pages(local_binance: LocalBinance) -> None:
    start, end = T0, T0 + 2500 * MIN - 1  # 2500 one-minute candles
    with local_binance.client() as client:
        history = client.market.klines_history("BTCUSDT", "1m", start, end)
        candles = list(history)
    assert len(candles) == 2500
    assert [to_ms(k.open_time) for k in candles] == list(range(start, end, MIN))
    sent = [r.params for r in local_binance.requests_to("/api/v3/klines")]
    assert [int(p["startTime"]) for p in sent] == [start, start + 999 * MIN + 1, start + 1999 * MIN + 1]
    assert all(p["limit"] == "1000" and p["endTime"] == str(end) for p in sent)
    assert history.last == candles[-1]
    assert history.progress.fraction == 1.0 and history.progress.pages == 3


def test_klines_accept_datetimes_and_resume_after_the_last_row(local_binance: LocalBinance) -> None:
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    end = start + timedelta(hours=5)
    with local_binance.client() as client:
        everything = list(client.market.klines_history("BTCUSDT", "1m", start, end, limit=100))
        first = client.market.klines_history("BTCUSDT", "1m", start, end, limit=100)
        head = list(itertools.islice(first, 130))  # the job stops part way through a page
        rest = list(client.market.klines_history("BTCUSDT", "1m", end=end, after=first.last, limit=100))
    assert len(everything) == 301
    assert head + rest == everything


def test_klines_need_a_start() -> None:
    with pytest.raises(ValueError, match="start"):
        Pager(SOURCES["klines"], {"symbol": "BTCUSDT", "interval": "1m"})
    with pytest.raises(ValueError, match="limit"):
        Pager(SOURCES["klines"], {}, start_ms=0, limit=1001)


def test_my_trades_and_orders_page_by_id(traded: LocalBinance) -> None:
    with traded.client() as client:
        expected = client.account.my_trades("BTCUSDT", limit=1000)
        start = expected[0].time - timedelta(minutes=5)
        before = len(traded.requests_to("/api/v3/myTrades"))
        trades = list(client.account.my_trades_history("BTCUSDT", start, limit=5))
        sent = [r.params for r in traded.requests_to("/api/v3/myTrades")[before:]]
        orders = list(client.account.all_orders_history("BTCUSDT", start, limit=4))
        all_orders = client.account.get_all_orders("BTCUSDT", limit=1000)
    assert len(expected) >= 12 and [t.id for t in trades] == [t.id for t in expected]
    assert "startTime" in sent[0] and "endTime" in sent[0] and "fromId" not in sent[0]
    assert [p.get("fromId") for p in sent[1:]] == [str(trades[4].id + 1), str(trades[9].id + 1)][: len(sent) - 1]
    assert [o.order_id for o in orders] == [o.order_id for o in all_orders] and len(orders) == 15


def test_empty_days_are_skipped_window_by_window(traded: LocalBinance) -> None:
    with traded.client() as client:
        first = client.account.my_trades("BTCUSDT", limit=1000)[0]
        start = first.time - timedelta(days=2, hours=12)
        before = len(traded.requests_to("/api/v3/myTrades"))
        trades = list(client.account.my_trades_history("BTCUSDT", start, limit=1000))
        sent = [r.params for r in traded.requests_to("/api/v3/myTrades")[before:]]
    assert trades[0].id == first.id
    windows = [int(p["startTime"]) for p in sent if "startTime" in p]
    assert windows == [to_ms(start) + i * 86_400_000 for i in range(3)]  # two empty days, then the trades


def test_market_trades_history(traded: LocalBinance) -> None:
    with traded.client() as client:
        recent = client.market.trades("BTCUSDT", limit=1000)
        trades = list(client.market.historical_trades_history("BTCUSDT", limit=7))
        aggs = list(client.market.agg_trades_history("BTCUSDT", recent[0].time - timedelta(minutes=1), limit=7))
        tail = list(client.market.historical_trades_history("BTCUSDT", from_id=recent[5].id))
    assert [t.id for t in trades] == [t.id for t in recent]
    assert [a.agg_trade_id for a in aggs] == [t.id for t in recent]
    assert [t.id for t in tail] == [t.id for t in recent[5:]]


def test_rate_limit_errors_are_waited_out() -> None:
    with LocalBinance(weight_limit=6, weight_window=1.0) as ex, ex.client(retry=RetryPolicy(max_retries=0)) as client:
        began = time.monotonic()
        candles = list(client.market.klines_history("BTCUSDT", "1m", T0, T0 + 50 * MIN - 1, limit=10))
        took = time.monotonic() - began
        sent = ex.requests_to("/api/v3/klines")
    assert len(candles) == 50
    assert len(sent) >= 7  # five full pages and an empty one, plus at least one refused with 429
    assert took >= 0.9  # waited for Retry-After (1 s)


def test_pause_spaces_the_pages(local_binance: LocalBinance) -> None:
    with local_binance.client() as client:
        list(client.market.klines_history("BTCUSDT", "1m", T0, T0 + 30 * MIN - 1, limit=10, pause=0.2))
    times = [r.time for r in local_binance.requests_to("/api/v3/klines")]
    assert len(times) == 4 and all(  # three full pages, then an empty one
       b - a >= 0.19 for a, b in itertools.pairwise(times))


def test_weight_budget_waits_for_the_next_minute() -> None:
    class Limits:
        used_weight = {"1M": 5100}

    assert _Pacing(0.0, 5000, Limits()).wait_before_page(first=False) > 0
    assert _Pacing(0.0, 6000, Limits()).wait_before_page(first=False) == 0
    assert _Pacing(0.5, None, Limits()).wait_before_page(first=False) == 0.5
    assert _Pacing(0.5, None, Limits()).wait_before_page(first=True) == 0


def test_progress_callback(local_binance: LocalBinance) -> None:
    seen: list[Progress] = []
    with local_binance.client() as client:
        list(client.market.klines_history("BTCUSDT", "1h", T0, T0 + 100 * 60 * MIN - 1, limit=30,
                                          progress=seen.append))
    assert [p.pages for p in seen] == [1, 2, 3, 4]
    assert [p.rows for p in seen] == [30, 60, 90, 100]
    fractions = [p.fraction for p in seen]
    assert fractions[-1] == 1.0 and fractions == sorted(fractions) and 0 < fractions[0] < 0.35  # type: ignore[type-var]


def test_progress_bar_with_tqdm(local_binance: LocalBinance, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    with local_binance.client() as client:
        rows = list(client.market.klines_history("BTCUSDT", "1h", T0, T0 + 50 * 60 * MIN - 1, limit=20,
                                                 progress=True))
    assert len(rows) == 50
    err = capsys.readouterr().err
    assert "klines BTCUSDT" in err and "100%" in err and "50 rows" in err


def test_progress_true_without_tqdm_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    monkeypatch.setitem(sys.modules, "tqdm", None)
    from binance_typed.history import _Reporter

    with pytest.raises(ImportError, match=r"binance-typed\[progress\]"):
        _Reporter(True, "x")


async def test_async_history(traded: LocalBinance) -> None:
    async with traded.async_client() as client:
        candles = [k async for k in client.market.klines_history("BTCUSDT", "5m", T0, T0 + 250 * 5 * MIN - 1,
                                                                  limit=100)]
        expected = await client.account.my_trades("BTCUSDT", limit=1000)
        start = expected[0].time - timedelta(minutes=1)
        trades = await client.account.my_trades_history("BTCUSDT", start, limit=5).to_list()
        orders = await client.account.all_orders_history("BTCUSDT", limit=5).to_list()
        aggs = await client.market.agg_trades_history("BTCUSDT", limit=5).to_list()
        historical = await client.market.historical_trades_history("BTCUSDT", limit=5).to_list()
    assert len(candles) == 250 and to_ms(candles[-1].open_time) == T0 + 249 * 5 * MIN
    assert [t.id for t in trades] == [t.id for t in expected]
    assert len(orders) == 15
    assert len(aggs) == len(historical) == len(expected)


def test_every_source_can_resume_from_a_row() -> None:
    row: Any = type("Row", (), {"open_time": datetime(2024, 1, 1, tzinfo=timezone.utc), "time": None, "id": 41,
                                "agg_trade_id": 41, "order_id": 41})()
    assert set(SOURCES) == {"klines", "agg_trades", "historical_trades", "my_trades", "all_orders"}
    for name, source in SOURCES.items():
        pager = Pager(source, {"symbol": "X"}, after=row)
        request = pager.next_request()
        assert request is not None
        if source.id_param:
            assert request[source.id_param] == 42, name
        else:
            assert request["startTime"] == to_ms(row.open_time) + 1


def test_decimal_fields_survive(local_binance: LocalBinance) -> None:
    with local_binance.client() as client:
        k = next(client.market.klines_history("BTCUSDT", "1d", T0))
    assert isinstance(k.close, Decimal)


def test_close_stops_early_and_keeps_last(local_binance: LocalBinance) -> None:
    with local_binance.client() as client:
        history = client.market.klines_history("BTCUSDT", "1m", T0, T0 + 5000 * MIN, limit=100)
        first = next(history)
        history.close()
        with pytest.raises(StopIteration):
            next(history)
    assert history.last == first and len(local_binance.requests_to("/api/v3/klines")) == 1
