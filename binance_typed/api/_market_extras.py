"""Hand-written methods of the generated groups: exchange rules and history downloads.

``scripts/generate.py`` makes ``Market``/``AsyncMarket`` and ``Account``/``AsyncAccount`` inherit
these classes (table ``EXTRA_BASES``), so ``client.market.rules("BTCUSDT")`` and
``client.market.klines_history(...)`` sit next to the endpoint methods.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, overload

from .._config import DEFAULT_RULES_TTL
from ._resource import AsyncCaller, AsyncGroup, SyncCaller, SyncGroup

if TYPE_CHECKING:
    from ..history import AsyncHistory, History, ProgressArg
    from ..models.account import AccountTrade, Order
    from ..models.enums import KlineInterval
    from ..models.market import AggTrade, Kline, Trade
    from ..rules import RulesCache, SymbolRules

__all__ = ["AccountExtras", "AsyncAccountExtras", "AsyncMarketExtras", "MarketExtras"]

Time = int | datetime
"""Epoch milliseconds or an aware datetime."""


def _exchange_info() -> Any:
    from ..endpoints.market import EXCHANGE_INFO

    return EXCHANGE_INFO


@overload
def _download(group: SyncGroup, name: str, fixed: dict[str, Any], start: Time | None, end: Time | None,
              after: Any, limit: int, pause: float, weight_budget: int | None, progress: ProgressArg,
              label: str, from_id: int | None = None) -> History[Any]: ...
@overload
def _download(group: AsyncGroup, name: str, fixed: dict[str, Any], start: Time | None, end: Time | None,
              after: Any, limit: int, pause: float, weight_budget: int | None, progress: ProgressArg,
              label: str, from_id: int | None = None) -> AsyncHistory[Any]: ...
def _download(group: SyncGroup | AsyncGroup, name: str, fixed: dict[str, Any], start: Time | None,
              end: Time | None, after: Any, limit: int, pause: float, weight_budget: int | None,
              progress: ProgressArg, label: str, from_id: int | None = None) -> History[Any] | AsyncHistory[Any]:
    """The download iterator of history source ``name`` through ``group``'s calls: a
    :class:`History` for a blocking group, an :class:`AsyncHistory` for an asyncio one.
    ``binance_typed.history`` (and the models with it) loads at the first download."""
    from ..history import SOURCES, AsyncHistory, History, make_pacing, make_pager

    endpoint = SOURCES[name].endpoint
    pager = make_pager(name, fixed, start, end, after, limit)
    if from_id is not None and after is None:
        pager.next_id = from_id
    pacing = make_pacing(group._transport, pause, weight_budget)
    if isinstance(group, AsyncGroup):
        return AsyncHistory(lambda params: group._call(endpoint, params), pager, pacing, progress, label)
    return History(lambda params: group._call(endpoint, params), pager, pacing, progress, label)


def _rules_cache(group: MarketExtras | AsyncMarketExtras) -> RulesCache:
    """The group's rules cache, made at the first ``rules()`` call (``rules`` loads the filter
    models, which ``client.market`` alone should not)."""
    cache = group._rules_cache
    if cache is None:
        from ..rules import RulesCache

        cache = group._rules_cache = RulesCache()
    return cache


class MarketExtras(SyncGroup):
    """Exchange rules and history iterators of ``client.market``."""

    __slots__ = ("_rules_cache",)

    def __init__(self, transport: SyncCaller) -> None:
        super().__init__(transport)
        self._rules_cache: RulesCache | None = None

    def rules(self, symbol: str, *, refresh: bool = False, ttl: float = DEFAULT_RULES_TTL) -> SymbolRules:
        """The trading rules of ``symbol`` (its filters, and the exchange's) as :class:`SymbolRules`.

        Fetched from ``exchangeInfo`` (weight 20) and cached per client for ``ttl`` seconds;
        ``refresh=True`` fetches them again now.

        Args:
            symbol: the trading pair, e.g. ``"BTCUSDT"`` (any case).
            refresh: fetch the rules again even if a cached copy is still fresh.
            ttl: how long (seconds) cached rules are reused; default ten minutes.
        """
        cached = None if refresh else _rules_cache(self).get(symbol, ttl)
        if cached is not None:
            return cached
        info = self._call(_exchange_info(), {"symbol": symbol.upper()})
        return _rules_cache(self).put(info, symbol)

    def klines_history(
        self, symbol: str, interval: KlineInterval | str, start: Time | None = None, end: Time | None = None, *,
        after: Kline | None = None, limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000,
        progress: ProgressArg = None,
    ) -> History[Kline]:
        """Every candle from ``start`` to ``end`` (default: up to now), page by page.

        ``after`` continues after a candle of an earlier download (instead of ``start``);
        ``pause`` spaces the requests (seconds); ``weight_budget`` waits for the next minute once
        the minute's used weight reaches it; ``progress=True`` shows a tqdm bar, a callable
        receives a :class:`~binance_typed.history.Progress` per page. See :mod:`binance_typed.history`.

        Args:
            symbol: the trading pair, e.g. ``"BTCUSDT"``.
            interval: the candle length, e.g. ``"1m"``, ``"1h"``, ``"1d"``.
            start: the first candle's open time (epoch ms or an aware datetime); default: the
                oldest candle Binance has.
            end: the last open time wanted; default: now.
            after: a row of an earlier download; the download continues right after it
                (instead of from ``start``), so an interrupted download can be resumed.
            limit: rows asked per page (1 to 1000; default 1000, the most Binance allows).
            pause: seconds to wait between two pages (default 0).
            weight_budget: once the minute's used request weight reaches this, wait for the
                next minute before the next page (default 5000 of Binance's 6000; ``None``: never).
            progress: ``True`` shows a tqdm bar (extra ``progress``); a callable receives a
                :class:`~binance_typed.history.Progress` after each page; ``None``: nothing.
        """
        return _download(self, "klines", {"symbol": symbol, "interval": interval}, start, end, after, limit,
                         pause, weight_budget, progress, f"klines {symbol}")

    def agg_trades_history(
        self, symbol: str, start: Time | None = None, end: Time | None = None, *, after: AggTrade | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> History[AggTrade]:
        """Every aggregate trade from ``start`` (default: the first one) to ``end``, page by page.

        Options as :meth:`klines_history`; after the first page the pages follow the trade ids.

        Args:
            symbol: the trading pair, e.g. ``"BTCUSDT"``.
            start: the time of the first trade wanted (epoch ms or an aware datetime); default:
                the first trade of the symbol.
            end: the time of the last trade wanted; default: now.
            after: a row of an earlier download; the download continues right after it
                (instead of from ``start``), so an interrupted download can be resumed.
            limit: rows asked per page (1 to 1000; default 1000, the most Binance allows).
            pause: seconds to wait between two pages (default 0).
            weight_budget: once the minute's used request weight reaches this, wait for the
                next minute before the next page (default 5000 of Binance's 6000; ``None``: never).
            progress: ``True`` shows a tqdm bar (extra ``progress``); a callable receives a
                :class:`~binance_typed.history.Progress` after each page; ``None``: nothing.
        """
        return _download(self, "agg_trades", {"symbol": symbol}, start, end, after, limit, pause,
                         weight_budget, progress, f"agg_trades {symbol}")

    def historical_trades_history(
        self, symbol: str, from_id: int = 0, end: Time | None = None, *, after: Trade | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> History[Trade]:
        """Every trade from trade id ``from_id`` up (to the time ``end``), page by page (weight 25 each).

        Args:
            symbol: the trading pair, e.g. ``"BTCUSDT"``.
            from_id: the id of the first trade wanted (default 0, the symbol's first trade).
            end: stop at the first trade later than this time (epoch ms or an aware datetime);
                default: now.
            after: a row of an earlier download; the download continues right after it
                (instead of from ``start``), so an interrupted download can be resumed.
            limit: rows asked per page (1 to 1000; default 1000, the most Binance allows).
            pause: seconds to wait between two pages (default 0).
            weight_budget: once the minute's used request weight reaches this, wait for the
                next minute before the next page (default 5000 of Binance's 6000; ``None``: never).
            progress: ``True`` shows a tqdm bar (extra ``progress``); a callable receives a
                :class:`~binance_typed.history.Progress` after each page; ``None``: nothing.
        """
        return _download(self, "historical_trades", {"symbol": symbol}, None, end, after, limit, pause,
                         weight_budget, progress, f"trades {symbol}", from_id)


class AsyncMarketExtras(AsyncGroup):
    """Exchange rules and history iterators of ``AsyncClient.market``."""

    __slots__ = ("_rules_cache",)

    def __init__(self, transport: AsyncCaller) -> None:
        super().__init__(transport)
        self._rules_cache: RulesCache | None = None

    async def rules(self, symbol: str, *, refresh: bool = False, ttl: float = DEFAULT_RULES_TTL) -> SymbolRules:
        """The trading rules of ``symbol``, as :meth:`MarketExtras.rules`."""
        cached = None if refresh else _rules_cache(self).get(symbol, ttl)
        if cached is not None:
            return cached
        info = await self._call(_exchange_info(), {"symbol": symbol.upper()})
        return _rules_cache(self).put(info, symbol)

    def klines_history(
        self, symbol: str, interval: KlineInterval | str, start: Time | None = None, end: Time | None = None, *,
        after: Kline | None = None, limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000,
        progress: ProgressArg = None,
    ) -> AsyncHistory[Kline]:
        """Every candle from ``start`` to ``end``; ``async for`` over it (see :meth:`MarketExtras.klines_history`)."""
        return _download(self, "klines", {"symbol": symbol, "interval": interval}, start, end, after, limit,
                         pause, weight_budget, progress, f"klines {symbol}")

    def agg_trades_history(
        self, symbol: str, start: Time | None = None, end: Time | None = None, *, after: AggTrade | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> AsyncHistory[AggTrade]:
        """Every aggregate trade from ``start`` to ``end`` (see :meth:`MarketExtras.agg_trades_history`)."""
        return _download(self, "agg_trades", {"symbol": symbol}, start, end, after, limit, pause,
                         weight_budget, progress, f"agg_trades {symbol}")

    def historical_trades_history(
        self, symbol: str, from_id: int = 0, end: Time | None = None, *, after: Trade | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> AsyncHistory[Trade]:
        """Every trade from trade id ``from_id`` up (see :meth:`MarketExtras.historical_trades_history`)."""
        return _download(self, "historical_trades", {"symbol": symbol}, None, end, after, limit, pause,
                         weight_budget, progress, f"trades {symbol}", from_id)


class AccountExtras(SyncGroup):
    """History iterators of ``client.account``."""

    __slots__ = ()

    def my_trades_history(
        self, symbol: str, start: Time | None = None, end: Time | None = None, *, after: AccountTrade | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> History[AccountTrade]:
        """Every trade of the account on ``symbol`` from ``start`` (default: the first) to ``end``.

        Days without trades cost one request each (Binance's time windows span 24 hours) until
        the first trade is found; the pages then follow the trade ids.

        Args:
            symbol: the trading pair, e.g. ``"BTCUSDT"``.
            start: the time of the first trade wanted (epoch ms or an aware datetime); default:
                the account's first trade.
            end: the time of the last trade wanted; default: now.
            after: a row of an earlier download; the download continues right after it
                (instead of from ``start``), so an interrupted download can be resumed.
            limit: rows asked per page (1 to 1000; default 1000, the most Binance allows).
            pause: seconds to wait between two pages (default 0).
            weight_budget: once the minute's used request weight reaches this, wait for the
                next minute before the next page (default 5000 of Binance's 6000; ``None``: never).
            progress: ``True`` shows a tqdm bar (extra ``progress``); a callable receives a
                :class:`~binance_typed.history.Progress` after each page; ``None``: nothing.
        """
        return _download(self, "my_trades", {"symbol": symbol}, start, end, after, limit, pause,
                         weight_budget, progress, f"my trades {symbol}")

    def all_orders_history(
        self, symbol: str, start: Time | None = None, end: Time | None = None, *, after: Order | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> History[Order]:
        """Every order of the account on ``symbol`` from ``start`` to ``end`` (as :meth:`my_trades_history`).

        Args:
            symbol: the trading pair, e.g. ``"BTCUSDT"``.
            start: the creation time of the first order wanted (epoch ms or an aware datetime);
                default: the account's first order.
            end: the creation time of the last order wanted; default: now.
            after: a row of an earlier download; the download continues right after it
                (instead of from ``start``), so an interrupted download can be resumed.
            limit: rows asked per page (1 to 1000; default 1000, the most Binance allows).
            pause: seconds to wait between two pages (default 0).
            weight_budget: once the minute's used request weight reaches this, wait for the
                next minute before the next page (default 5000 of Binance's 6000; ``None``: never).
            progress: ``True`` shows a tqdm bar (extra ``progress``); a callable receives a
                :class:`~binance_typed.history.Progress` after each page; ``None``: nothing.
        """
        return _download(self, "all_orders", {"symbol": symbol}, start, end, after, limit, pause,
                         weight_budget, progress, f"orders {symbol}")


class AsyncAccountExtras(AsyncGroup):
    """History iterators of ``AsyncClient.account``."""

    __slots__ = ()

    def my_trades_history(
        self, symbol: str, start: Time | None = None, end: Time | None = None, *, after: AccountTrade | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> AsyncHistory[AccountTrade]:
        """Every trade of the account on ``symbol`` (see :meth:`AccountExtras.my_trades_history`)."""
        return _download(self, "my_trades", {"symbol": symbol}, start, end, after, limit, pause,
                         weight_budget, progress, f"my trades {symbol}")

    def all_orders_history(
        self, symbol: str, start: Time | None = None, end: Time | None = None, *, after: Order | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> AsyncHistory[Order]:
        """Every order of the account on ``symbol`` (see :meth:`AccountExtras.all_orders_history`)."""
        return _download(self, "all_orders", {"symbol": symbol}, start, end, after, limit, pause,
                         weight_budget, progress, f"orders {symbol}")
