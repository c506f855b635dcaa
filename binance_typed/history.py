"""History downloads: iterate over any time span, one page after another.

The group methods are the entry points (sync and async alike)::

    month = client.market.klines_history("BTCUSDT", "1m", start, end, progress=True)
    candles = list(month)                                   # every candle from start to end

    for trade in client.account.my_trades_history("BTCUSDT", start):
        ...

They return a :class:`History` (``async for`` over an :class:`AsyncHistory` with
``AsyncClient``): an iterator that asks Binance for the next page only when the previous one is
used up. It is:

- **paginated**: ``limit`` rows per request (1000, the endpoints' maximum, by default);
- **rate-limit aware**: ``pause`` seconds between pages; when the weight used in the current
  minute (``X-MBX-USED-WEIGHT-1M``) passes ``weight_budget`` it waits for the next minute; a
  :class:`RateLimitError` the client did not retry itself is waited out (its ``Retry-After``) and
  the page asked again, up to three times; any other error is raised;
- **resumable**: ``history.last`` is the last row handed out; pass it as ``after=`` to a new call
  to continue right after it (after a crash, or in the next run of a job);
- **observable**: ``progress=True`` shows a tqdm bar (``pip install 'binance-typed[progress]'``),
  or pass a callable that receives a :class:`Progress` after every page.

Each endpoint is described by one :class:`Source` in :data:`SOURCES`; an endpoint that pages the
same way (a cursor id or a start time) plugs in with one more entry.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Union

from .error import RateLimitError
from .models._base import EPOCH

if TYPE_CHECKING:
    from ._endpoint import Endpoint

__all__ = [
    "SOURCES",
    "AsyncHistory",
    "History",
    "Pager",
    "Progress",
    "ProgressArg",
    "Source",
    "to_ms",
]

T = TypeVar("T")
_MS = timedelta(milliseconds=1)
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
RATE_LIMIT_ATTEMPTS = 3


def to_ms(value: int | datetime) -> int:
    """Epoch milliseconds of an int (already ms) or an aware datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("history times must be timezone-aware datetimes or epoch ms")
        return (value - EPOCH) // _MS
    return int(value)


@dataclass(frozen=True)
class Progress:
    """Where a download stands, after each page."""

    rows: int
    """Rows handed out so far."""
    pages: int
    """Requests answered so far."""
    last_time: datetime | None
    """Time of the last row (its open time for candles)."""
    fraction: float | None
    """Share of the ``start``..``end`` span covered (None without an end)."""


ProgressArg = Union[bool, Callable[[Progress], None], None]
"""``True`` for a tqdm bar, a callable for your own reporting, None/False for nothing."""


@dataclass(frozen=True)
class Source:
    """How one endpoint pages through history.

    Args:
        endpoint: the endpoint called for each page.
        time_of: the time of a row (ordering and the ``end`` bound).
        id_param: the parameter that starts a page at an id (``fromId``, ``orderId``); None for
            endpoints paged by start time only (klines).
        id_of: the id of a row, for ``id_param``.
        time_window_ms: the widest ``startTime``..``endTime`` span the endpoint accepts (None: no
            limit, or the endpoint takes no times at all when ``takes_time`` is False).
        takes_time: whether the endpoint accepts ``startTime``/``endTime``.
        max_limit: the largest ``limit``.
    """

    endpoint: Endpoint
    time_of: Callable[[Any], datetime]
    id_param: str | None = None
    id_of: Callable[[Any], int] | None = None
    time_window_ms: int | None = None
    takes_time: bool = True
    max_limit: int = 1000


def _sources() -> dict[str, Source]:
    from .endpoints.account import GET_ALL_ORDERS, MY_TRADES
    from .endpoints.market import AGG_TRADES, HISTORICAL_TRADES, KLINES

    return {
        "klines": Source(KLINES, lambda k: k.open_time),
        "agg_trades": Source(AGG_TRADES, lambda t: t.time, "fromId", lambda t: t.agg_trade_id, HOUR_MS),
        "historical_trades": Source(HISTORICAL_TRADES, lambda t: t.time, "fromId", lambda t: t.id, takes_time=False),
        "my_trades": Source(MY_TRADES, lambda t: t.time, "fromId", lambda t: t.id, DAY_MS),
        "all_orders": Source(GET_ALL_ORDERS, lambda o: o.time, "orderId", lambda o: o.order_id, DAY_MS),
        # deposits / withdrawals (/sapi) plug in here: Source(DEPOSIT_HISTORY, lambda d: d.insert_time, ...)
    }


_SOURCES: dict[str, Source] = {}
if TYPE_CHECKING:
    SOURCES: dict[str, Source]
    """Every paged history by name."""


def __getattr__(name: str) -> Any:
    # SOURCES (every paged history by name) is built on first use: it imports the account and
    # market declarations, which ``client.market`` alone must not pay for.
    if name == "SOURCES":
        if not _SOURCES:
            _SOURCES.update(_sources())
        return _SOURCES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class Pager:
    """The I/O-free paging state: which request comes next and which rows of a page to keep.

    ``next_request()`` gives the parameters of the next page (None when done); ``feed(rows)``
    takes that page's rows and returns those to hand out.
    """

    source: Source
    fixed: dict[str, Any]
    start_ms: int | None = None
    end_ms: int | None = None
    after: Any = None
    limit: int = 1000
    now_ms: Callable[[], int] = field(default=lambda: int(time.time() * 1000))
    next_id: int | None = None
    cursor_ms: int | None = None
    done: bool = False
    rows: int = 0
    pages: int = 0
    last_time: datetime | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= self.source.max_limit:
            raise ValueError(f"limit must be 1 to {self.source.max_limit}")
        src = self.source
        if self.after is not None:
            if src.id_param is not None and src.id_of is not None:
                self.next_id = src.id_of(self.after) + 1
            else:
                self.cursor_ms = to_ms(src.time_of(self.after)) + 1
        elif self.start_ms is not None and src.takes_time:
            self.cursor_ms = self.start_ms
        elif src.id_param is not None:
            self.next_id = 0
        else:
            raise ValueError("give a start time (or after=, the last row of an earlier download)")

    def next_request(self) -> dict[str, Any] | None:
        """The parameters of the next page's request, or None once the span is covered."""
        if self.done:
            return None
        params = dict(self.fixed, limit=self.limit)
        if self.next_id is not None:
            assert self.source.id_param is not None
            params[self.source.id_param] = self.next_id
            return params
        assert self.cursor_ms is not None
        params["startTime"] = self.cursor_ms
        window = self.source.time_window_ms
        end = self.end_ms
        if window is not None:
            end = self.cursor_ms + window - 1 if end is None else min(end, self.cursor_ms + window - 1)
        if end is not None:
            params["endTime"] = end
        return params

    def feed(self, page: list[Any]) -> list[Any]:
        """Take one page of rows: return the rows to keep (inside the span, not seen before) and move the cursor past them."""
        src = self.source
        by_id = self.next_id is not None  # this page was asked from an id (not a time window)
        paged_by_time_only = src.id_param is None or src.time_window_ms is None and not by_id
        self.pages += 1
        keep = page
        if self.end_ms is not None:
            keep = [row for row in page if to_ms(src.time_of(row)) <= self.end_ms]
            if len(keep) < len(page):
                self.done = True
        if page:
            last = page[-1]
            if src.id_param is not None and src.id_of is not None:
                self.next_id = src.id_of(last) + 1  # from now on, page by id
            else:
                self.cursor_ms = to_ms(src.time_of(last)) + 1
            if len(page) < self.limit and (by_id or paged_by_time_only):
                self.done = True  # a short page: nothing more yet
        elif by_id or src.time_window_ms is None:
            self.done = True
        else:  # an empty time window: try the next one, until the end (or now)
            assert self.cursor_ms is not None
            self.cursor_ms += src.time_window_ms
            if self.cursor_ms > (self.end_ms if self.end_ms is not None else self.now_ms()):
                self.done = True
        if self.next_id is None and self.end_ms is not None and self.cursor_ms is not None \
                and self.cursor_ms > self.end_ms:
            self.done = True
        self.rows += len(keep)
        if keep:
            self.last_time = src.time_of(keep[-1])
        return keep

    def progress(self) -> Progress:
        """A :class:`Progress` snapshot of this pager."""
        fraction = None
        if self.start_ms is not None and self.end_ms is not None and self.end_ms > self.start_ms:
            if self.done:
                fraction = 1.0
            elif self.last_time is not None:
                fraction = min(1.0, max(0.0, (to_ms(self.last_time) - self.start_ms) / (self.end_ms - self.start_ms)))
            else:
                fraction = 0.0
        return Progress(self.rows, self.pages, self.last_time, fraction)


class _Reporter:
    """Sends :class:`Progress` to a callback or a tqdm bar (tqdm imported only when asked for)."""

    def __init__(self, progress: ProgressArg, description: str) -> None:
        self.callback: Callable[[Progress], None] | None = None
        self.bar: Any = None
        if progress is True:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                raise ImportError(
                    "progress=True needs tqdm: pip install 'binance-typed[progress]' (or pass a callable)"
                ) from None
            self.bar = tqdm(total=100, desc=description, unit="%", bar_format="{l_bar}{bar}| {postfix}")
        elif callable(progress):
            self.callback = progress

    def report(self, p: Progress) -> None:
        if self.callback is not None:
            self.callback(p)
        if self.bar is not None:
            if p.fraction is not None:
                self.bar.n = round(p.fraction * 100, 1)
            self.bar.set_postfix_str(f"{p.rows} rows, up to {p.last_time:%Y-%m-%d %H:%M}" if p.last_time
                                     else f"{p.rows} rows", refresh=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@dataclass
class _Pacing:
    pause: float
    weight_budget: int | None
    limits: Any

    def wait_before_page(self, first: bool) -> float:
        """Seconds to wait before the next page."""
        delay = 0.0 if first else self.pause
        if self.weight_budget is not None and self.limits is not None:
            used = getattr(self.limits, "used_weight", {}).get("1M", 0)
            if used >= self.weight_budget:
                delay = max(delay, 60.0 - time.time() % 60.0 + 0.05)
        return delay


def _retry_wait(exc: RateLimitError) -> float:
    return min(float(exc.retry_after or 1.0), 120.0)


class History(Iterator[T], Generic[T]):
    """A lazy, resumable history download (see the module docs); ``last`` is the last row out."""

    def __init__(self, fetch: Callable[[dict[str, Any]], list[T]], pager: Pager, pacing: _Pacing,
                 progress: ProgressArg = None, description: str = "") -> None:
        self.pager = pager
        self.last: T | None = None
        self._rows: Generator[T, None, None] = self._run(fetch, pacing, _Reporter(progress, description))

    def _run(self, fetch: Callable[[dict[str, Any]], list[T]], pacing: _Pacing,
             reporter: _Reporter) -> Generator[T, None, None]:
        first = True
        try:
            while (params := self.pager.next_request()) is not None:
                delay = pacing.wait_before_page(first)
                if delay:
                    time.sleep(delay)
                first = False
                for attempt in range(RATE_LIMIT_ATTEMPTS + 1):
                    try:
                        page = fetch(params)
                        break
                    except RateLimitError as exc:
                        if attempt == RATE_LIMIT_ATTEMPTS:
                            raise
                        time.sleep(_retry_wait(exc))
                rows = self.pager.feed(page)
                reporter.report(self.pager.progress())
                for row in rows:
                    self.last = row
                    yield row
        finally:
            reporter.close()

    def __next__(self) -> T:
        return next(self._rows)

    def __iter__(self) -> History[T]:
        return self

    def close(self) -> None:
        """Stop early (closes the progress bar); ``last`` stays available for a later ``after=``."""
        self._rows.close()

    @property
    def progress(self) -> Progress:
        """Where the download is now (pages, rows, fraction of the time span done)."""
        return self.pager.progress()


class AsyncHistory(AsyncIterator[T], Generic[T]):
    """The asyncio counterpart of :class:`History` (``async for row in ...``)."""

    def __init__(self, fetch: Callable[[dict[str, Any]], Awaitable[list[T]]], pager: Pager, pacing: _Pacing,
                 progress: ProgressArg = None, description: str = "") -> None:
        self.pager = pager
        self.last: T | None = None
        self._rows: AsyncGenerator[T, None] = self._run(fetch, pacing, _Reporter(progress, description))

    async def _run(self, fetch: Callable[[dict[str, Any]], Awaitable[list[T]]], pacing: _Pacing,
                   reporter: _Reporter) -> AsyncGenerator[T, None]:
        import asyncio  # here, not at module level: a blocking client's first call does not load asyncio

        first = True
        try:
            while (params := self.pager.next_request()) is not None:
                delay = pacing.wait_before_page(first)
                if delay:
                    await asyncio.sleep(delay)
                first = False
                for attempt in range(RATE_LIMIT_ATTEMPTS + 1):
                    try:
                        page = await fetch(params)
                        break
                    except RateLimitError as exc:
                        if attempt == RATE_LIMIT_ATTEMPTS:
                            raise
                        await asyncio.sleep(_retry_wait(exc))
                rows = self.pager.feed(page)
                reporter.report(self.pager.progress())
                for row in rows:
                    self.last = row
                    yield row
        finally:
            reporter.close()

    async def __anext__(self) -> T:
        return await self._rows.__anext__()

    def __aiter__(self) -> AsyncHistory[T]:
        return self

    async def aclose(self) -> None:
        """Stop early (closes the progress bar); ``last`` stays available for a later ``after=``."""
        await self._rows.aclose()

    async def to_list(self) -> list[T]:
        """Every remaining row."""
        return [row async for row in self]

    @property
    def progress(self) -> Progress:
        """Where the download is now (pages, rows, fraction of the time span done)."""
        return self.pager.progress()


def make_pager(name: str, fixed: dict[str, Any], start: int | datetime | None, end: int | datetime | None,
               after: Any, limit: int) -> Pager:
    return Pager(__getattr__("SOURCES")[name], fixed, None if start is None else to_ms(start), None if end is None else to_ms(end),
                 after, limit)


def make_pacing(transport: Any, pause: float, weight_budget: int | None) -> _Pacing:
    return _Pacing(pause, weight_budget, getattr(transport, "limits", None))
