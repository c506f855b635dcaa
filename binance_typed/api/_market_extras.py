"""Hand-written methods of the generated groups: exchange rules and history downloads.

``scripts/generate.py`` makes ``Market``/``AsyncMarket`` and ``Account``/``AsyncAccount`` inherit
these classes (table ``EXTRA_BASES``), so ``client.market.rules("BTCUSDT")`` and
``client.market.klines_history(...)`` sit next to the endpoint methods.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..history import AsyncHistory, History, ProgressArg, make_pacing, make_pager
from ..rules import DEFAULT_RULES_TTL, RulesCache, SymbolRules
from ._resource import AsyncCaller, AsyncGroup, SyncCaller, SyncGroup

if TYPE_CHECKING:
    from ..models.account import AccountTrade, Order
    from ..models.enums import KlineInterval
    from ..models.market import AggTrade, Kline, Trade

__all__ = ["AccountExtras", "AsyncAccountExtras", "AsyncMarketExtras", "MarketExtras"]

Time = int | datetime
"""Epoch milliseconds or an aware datetime."""


def _exchange_info() -> Any:
    from ..endpoints.market import EXCHANGE_INFO

    return EXCHANGE_INFO


def _endpoint(name: str) -> Any:
    from ..history import SOURCES

    return SOURCES[name].endpoint


class MarketExtras(SyncGroup):
    """Exchange rules and history iterators of ``client.market``."""

    __slots__ = ("_rules_cache",)

    def __init__(self, transport: SyncCaller) -> None:
        super().__init__(transport)
        self._rules_cache = RulesCache()

    def rules(self, symbol: str, *, refresh: bool = False, ttl: float = DEFAULT_RULES_TTL) -> SymbolRules:
        """The trading rules of ``symbol`` (its filters, and the exchange's) as :class:`SymbolRules`.

        Fetched from ``exchangeInfo`` (weight 20) and cached per client for ``ttl`` seconds;
        ``refresh=True`` fetches them again now.

        Args:
            symbol: the trading pair, e.g. ``"BTCUSDT"`` (any case).
            refresh: fetch the rules again even if a cached copy is still fresh.
            ttl: how long (seconds) cached rules are reused; default ten minutes.
        """
        cached = None if refresh else self._rules_cache.get(symbol, ttl)
        if cached is not None:
            return cached
        info = self._call(_exchange_info(), {"symbol": symbol.upper()})
        return self._rules_cache.put(info, symbol)

    def _history(self, name: str, fixed: dict[str, Any], start: Time | None, end: Time | None, after: Any,
                 limit: int, pause: float, weight_budget: int | None, progress: ProgressArg) -> History[Any]:
        endpoint = _endpoint(name)
        pager = make_pager(name, fixed, start, end, after, limit)
        return History(lambda params: self._call(endpoint, params), pager,
                       make_pacing(self._transport, pause, weight_budget), progress, f"{name} {fixed['symbol']}")

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
        return self._history("klines", {"symbol": symbol, "interval": interval}, start, end, after, limit,
                             pause, weight_budget, progress)

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
        return self._history("agg_trades", {"symbol": symbol}, start, end, after, limit, pause,
                             weight_budget, progress)

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
        pager = make_pager("historical_trades", {"symbol": symbol}, None, end, after, limit)
        if after is None:
            pager.next_id = from_id
        endpoint = _endpoint("historical_trades")
        return History(lambda params: self._call(endpoint, params), pager,
                       make_pacing(self._transport, pause, weight_budget), progress, f"trades {symbol}")


class AsyncMarketExtras(AsyncGroup):
    """Exchange rules and history iterators of ``AsyncClient.market``."""

    __slots__ = ("_rules_cache",)

    def __init__(self, transport: AsyncCaller) -> None:
        super().__init__(transport)
        self._rules_cache = RulesCache()

    async def rules(self, symbol: str, *, refresh: bool = False, ttl: float = DEFAULT_RULES_TTL) -> SymbolRules:
        """The trading rules of ``symbol``, as :meth:`MarketExtras.rules`."""
        cached = None if refresh else self._rules_cache.get(symbol, ttl)
        if cached is not None:
            return cached
        info = await self._call(_exchange_info(), {"symbol": symbol.upper()})
        return self._rules_cache.put(info, symbol)

    def _history(self, name: str, fixed: dict[str, Any], start: Time | None, end: Time | None, after: Any,
                 limit: int, pause: float, weight_budget: int | None, progress: ProgressArg) -> AsyncHistory[Any]:
        endpoint = _endpoint(name)
        pager = make_pager(name, fixed, start, end, after, limit)
        return AsyncHistory(lambda params: self._call(endpoint, params), pager,
                            make_pacing(self._transport, pause, weight_budget), progress, f"{name} {fixed['symbol']}")

    def klines_history(
        self, symbol: str, interval: KlineInterval | str, start: Time | None = None, end: Time | None = None, *,
        after: Kline | None = None, limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000,
        progress: ProgressArg = None,
    ) -> AsyncHistory[Kline]:
        """Every candle from ``start`` to ``end``; ``async for`` over it (see :meth:`MarketExtras.klines_history`)."""
        return self._history("klines", {"symbol": symbol, "interval": interval}, start, end, after, limit,
                             pause, weight_budget, progress)

    def agg_trades_history(
        self, symbol: str, start: Time | None = None, end: Time | None = None, *, after: AggTrade | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> AsyncHistory[AggTrade]:
        """Every aggregate trade from ``start`` to ``end`` (see :meth:`MarketExtras.agg_trades_history`)."""
        return self._history("agg_trades", {"symbol": symbol}, start, end, after, limit, pause,
                             weight_budget, progress)

    def historical_trades_history(
        self, symbol: str, from_id: int = 0, end: Time | None = None, *, after: Trade | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> AsyncHistory[Trade]:
        """Every trade from trade id ``from_id`` up (see :meth:`MarketExtras.historical_trades_history`)."""
        pager = make_pager("historical_trades", {"symbol": symbol}, None, end, after, limit)
        if after is None:
            pager.next_id = from_id
        endpoint = _endpoint("historical_trades")
        return AsyncHistory(lambda params: self._call(endpoint, params), pager,
                            make_pacing(self._transport, pause, weight_budget), progress, f"trades {symbol}")


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
        endpoint = _endpoint("my_trades")
        pager = make_pager("my_trades", {"symbol": symbol}, start, end, after, limit)
        return History(lambda params: self._call(endpoint, params), pager,
                       make_pacing(self._transport, pause, weight_budget), progress, f"my trades {symbol}")

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
        endpoint = _endpoint("all_orders")
        pager = make_pager("all_orders", {"symbol": symbol}, start, end, after, limit)
        return History(lambda params: self._call(endpoint, params), pager,
                       make_pacing(self._transport, pause, weight_budget), progress, f"orders {symbol}")


class AsyncAccountExtras(AsyncGroup):
    """History iterators of ``AsyncClient.account``."""

    __slots__ = ()

    def my_trades_history(
        self, symbol: str, start: Time | None = None, end: Time | None = None, *, after: AccountTrade | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> AsyncHistory[AccountTrade]:
        """Every trade of the account on ``symbol`` (see :meth:`AccountExtras.my_trades_history`)."""
        endpoint = _endpoint("my_trades")
        pager = make_pager("my_trades", {"symbol": symbol}, start, end, after, limit)
        return AsyncHistory(lambda params: self._call(endpoint, params), pager,
                            make_pacing(self._transport, pause, weight_budget), progress, f"my trades {symbol}")

    def all_orders_history(
        self, symbol: str, start: Time | None = None, end: Time | None = None, *, after: Order | None = None,
        limit: int = 1000, pause: float = 0.0, weight_budget: int | None = 5000, progress: ProgressArg = None,
    ) -> AsyncHistory[Order]:
        """Every order of the account on ``symbol`` (see :meth:`AccountExtras.all_orders_history`)."""
        endpoint = _endpoint("all_orders")
        pager = make_pager("all_orders", {"symbol": symbol}, start, end, after, limit)
        return AsyncHistory(lambda params: self._call(endpoint, params), pager,
                            make_pacing(self._transport, pause, weight_budget), progress, f"orders {symbol}")
