"""Cross margin on the local exchange: account, loans, transfers and orders matched like spot.

The MARGIN wallet of account ``n`` is account ``MARGIN_BASE + n`` of the matching engine, so margin
orders rest in and trade against the same books as spot orders, with the same filters, fills and
commissions. Fund it with ``POST /sapi/v1/asset/transfer`` (``type=MAIN_MARGIN``). Leverage is 3x
(a loan may take the liability up to twice the net asset value); no interest accrues. Isolated
margin is not simulated (``isIsolated=TRUE`` -> ``-1020``).

Stateful endpoints (signed):

- ``GET /sapi/v1/margin/account``: ``userAssets`` (free, locked, borrowed, interest, netAsset) and the
  BTC totals and margin level (``"999"`` with no liability) at the books' mid prices.
- ``GET /sapi/v1/margin/maxBorrowable`` / ``maxTransferable`` (``asset``).
- ``POST /sapi/v1/margin/borrow-repay`` (``asset``, ``isIsolated``, ``amount``, ``type`` BORROW or
  REPAY): a loan credits the MARGIN wallet (``-3006`` beyond max borrowable); a repayment takes it back
  (``-3015`` beyond the debt, ``-3041`` when the wallet lacks it). ``GET /sapi/v1/margin/borrow-repay``
  (``type``, ``asset``, ``txId``, ``startTime``, ``endTime``, ``current``, ``size``).
- ``GET /sapi/v1/margin/transfer`` (``asset``, ``type`` ROLL_IN / ROLL_OUT): the universal transfers
  in and out of MARGIN.
- Orders, with the parameters of their ``/api/v3`` twins plus ``isIsolated`` and ``sideEffectType``:
  ``POST /sapi/v1/margin/order`` (``MARGIN_BUY`` borrows what the order lacks, ``AUTO_REPAY`` repays
  the loan of the asset it receives, ``AUTO_BORROW_REPAY`` both), ``DELETE`` / ``GET
  /sapi/v1/margin/order``, ``GET`` / ``DELETE /sapi/v1/margin/openOrders``, ``GET
  /sapi/v1/margin/allOrders``, ``GET /sapi/v1/margin/myTrades``; order lists through their ``/api/v3``
  twins: ``POST /sapi/v1/margin/order/oco`` / ``oto`` / ``otoco``, ``GET`` / ``DELETE
  /sapi/v1/margin/orderList``, ``GET /sapi/v1/margin/allOrderList`` / ``openOrderList``
  (``sideEffectType`` other than ``NO_SIDE_EFFECT`` on a list: ``-1020``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from ._errors import ApiError
from ._ops import REST_ROUTES, Call, parse
from ._sapi import MARGIN_BASE, SapiCall, SapiState, in_window, page, sapi
from ._symbols import fmt

ZERO = Decimal(0)
LEVERAGE = 3
EIGHT = Decimal("0.00000001")
MARGIN_ONLY = frozenset({"isIsolated", "sideEffectType", "autoRepayAtCancel"})


@dataclass
class MarginState:
    loans: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    history: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def margin_state(state: SapiState) -> MarginState:
    result: MarginState = state.part("margin", MarginState)
    return result


def loans(state: SapiState, account: int) -> dict[str, Decimal]:
    return margin_state(state).loans.setdefault(account, {})


def totals(state: SapiState, account: int, quote: str = "BTC") -> tuple[Decimal, Decimal]:
    """(total asset, total liability) of the margin wallet in ``quote``."""
    held = state.ex.account_balances(MARGIN_BASE + account)
    asset = sum(((b.free + b.locked) * state.price(a, quote) for a, b in held.items()), ZERO)
    debt = sum((v * state.price(a, quote) for a, v in loans(state, account).items()), ZERO)
    return asset, debt


def _down(value: Decimal) -> Decimal:
    return max(ZERO, value).quantize(EIGHT, rounding=ROUND_DOWN)


def max_borrowable(state: SapiState, account: int, asset: str) -> Decimal:
    """Valued in ``asset`` itself, so a wallet of that asset alone gives an exact answer."""
    if state.price(asset) == 0:
        return ZERO
    total, debt = totals(state, account, asset)
    return _down((total - debt) * (LEVERAGE - 1) - debt)


def max_transferable(state: SapiState, account: int, asset: str) -> Decimal:
    """What may leave the MARGIN wallet: all of it without loans, else keeping the margin level >= 2."""
    free = state.wallet(account, "MARGIN").get(asset, ZERO)
    total, debt = totals(state, account, asset)
    if debt == 0:
        return free
    return _down(min(free, total - 2 * debt)) if state.price(asset) else ZERO


def _record(state: SapiState, account: int, kind: str, asset: str, amount: Decimal) -> int:
    tran_id = state.next_id()
    margin_state(state).history.setdefault(account, []).insert(0, {
        "type": kind, "isolatedSymbol": "", "amount": fmt(amount), "asset": asset, "interest": fmt(ZERO),
        "principal": fmt(amount), "status": "CONFIRMED", "timestamp": int(state.ex.now()), "txId": tran_id,
    })
    return tran_id


def borrow(state: SapiState, account: int, asset: str, amount: Decimal) -> int:
    if amount <= 0:
        raise ApiError(-3026, "Your input param is invalid.")
    if amount > max_borrowable(state, account, asset):
        raise ApiError(-3006, "Your borrow amount has exceed maximum borrow amount.")
    state.move(account, "MARGIN", asset, amount)
    held = loans(state, account)
    held[asset] = held.get(asset, ZERO) + amount
    return _record(state, account, "BORROW", asset, amount)


def repay(state: SapiState, account: int, asset: str, amount: Decimal) -> int:
    held = loans(state, account)
    if amount <= 0:
        raise ApiError(-3026, "Your input param is invalid.")
    if amount > held.get(asset, ZERO):
        raise ApiError(-3015, "Repay amount exceeds borrow amount.")
    state.move(account, "MARGIN", asset, -amount, ApiError(-3041, "Balance is not enough"))
    held[asset] -= amount
    if held[asset] == 0:
        del held[asset]
    return _record(state, account, "REPAY", asset, amount)


def _cross_only(c: SapiCall) -> None:
    if (c.text("isIsolated") or "FALSE").upper() == "TRUE" or c.text("isolatedSymbol"):
        raise ApiError(-1020)


# -- account, loans, transfers ----------------------------------------------------------------


@sapi("GET", "/sapi/v1/margin/account")
def account(c: SapiCall) -> Any:
    held = c.ex.account_balances(MARGIN_BASE + c.acct)
    debt = loans(c.state, c.acct)
    rows = []
    for asset in sorted(set(held) | set(debt)):
        bal = held.get(asset)
        free, locked = (bal.free, bal.locked) if bal else (ZERO, ZERO)
        borrowed = debt.get(asset, ZERO)
        rows.append({"asset": asset, "free": fmt(free), "locked": fmt(locked), "borrowed": fmt(borrowed),
                     "interest": fmt(ZERO), "netAsset": fmt(free + locked - borrowed)})
    total, liability = totals(c.state, c.acct)
    level = fmt(total / liability) if liability else "999.00000000"
    return {
        "created": True, "borrowEnabled": True, "tradeEnabled": True, "transferInEnabled": True,
        "transferOutEnabled": True, "marginLevel": level, "collateralMarginLevel": level,
        "totalAssetOfBtc": fmt(total), "totalLiabilityOfBtc": fmt(liability), "totalNetAssetOfBtc": fmt(total - liability),
        "TotalCollateralValueInUSDT": fmt(total * c.state.price("BTC", "USDT")), "accountType": "MARGIN_1",
        "userAssets": rows,
    }


@sapi("GET", "/sapi/v1/margin/maxBorrowable")
def max_borrowable_route(c: SapiCall) -> Any:
    _cross_only(c)
    return {"amount": fmt(max_borrowable(c.state, c.acct, c.raw["asset"])), "borrowLimit": fmt(Decimal(1_000_000))}


@sapi("GET", "/sapi/v1/margin/maxTransferable")
def max_transferable_route(c: SapiCall) -> Any:
    _cross_only(c)
    return {"amount": fmt(max_transferable(c.state, c.acct, c.raw["asset"])), "borrowLimit": fmt(Decimal(1_000_000))}


@sapi("POST", "/sapi/v1/margin/borrow-repay")
def borrow_repay(c: SapiCall) -> Any:
    _cross_only(c)
    amount, asset = c.need_dec("amount"), c.raw["asset"]
    act = borrow if c.raw["type"] == "BORROW" else repay
    return {"tranId": act(c.state, c.acct, asset, amount)}


@sapi("GET", "/sapi/v1/margin/borrow-repay")
def borrow_repay_history(c: SapiCall) -> Any:
    _cross_only(c)
    rows = [{k: v for k, v in r.items() if k != "type"} for r in margin_state(c.state).history.get(c.acct, [])
            if r["type"] == c.raw["type"] and c.text("asset") in (None, r["asset"])
            and c.int("txId") in (None, r["txId"]) and in_window(c, r["timestamp"])]
    return page(rows, c)


@sapi("GET", "/sapi/v1/margin/transfer")
def transfer_history(c: SapiCall) -> Any:
    from ._sapi_wallet import split_type, wallet_state

    rows = []
    for r in wallet_state(c.state).transfers.get(c.acct, []):
        source, target = split_type(r["type"])
        if "MARGIN" not in (source, target):
            continue
        kind = "ROLL_IN" if target == "MARGIN" else "ROLL_OUT"
        if c.text("type") in (None, kind) and c.text("asset") in (None, r["asset"]) and in_window(c, r["timestamp"]):
            rows.append({"amount": r["amount"], "asset": r["asset"], "status": "CONFIRMED", "timestamp": r["timestamp"],
                         "txId": r["tranId"], "type": kind, "transFrom": "SPOT" if source == "MAIN" else source,
                         "transTo": "SPOT" if target == "MAIN" else target})
    return page(rows, c)


# -- orders: the spot operations on the margin account ------------------------------------------


def spot_op(c: SapiCall, verb: str, path: str) -> tuple[Any, dict[str, Any]]:
    """Run the ``/api/v3`` twin of a margin order endpoint for the margin account."""
    _cross_only(c)
    entry = REST_ROUTES[(verb, path)]
    params = parse(entry, {k: v for k, v in c.raw.items() if k not in MARGIN_ONLY}, c.ex)
    return entry.handler(Call(c.state.rt, params, MARGIN_BASE + c.acct)), params


def _needs(c: SapiCall, p: dict[str, Any]) -> tuple[str, Decimal]:
    """(asset, amount) the order takes from the wallet."""
    spec = c.ex.spec(p["symbol"])
    qty, quote = p.get("quantity"), p.get("quoteOrderQty")
    if p["side"] == "BUY":
        if p["type"] == "MARKET":
            return spec.quote, quote if quote is not None else c.ex._dry_run(c.ex.books[spec.symbol], "BUY", qty, None,
                                                                             None)[1]
        return spec.quote, (qty or ZERO) * (p.get("price") or p.get("stopPrice") or ZERO)
    if qty is None and quote is not None:
        return spec.base, c.ex._dry_run(c.ex.books[spec.symbol], "SELL", None, quote, None)[0]
    return spec.base, qty or ZERO


def _with_margin(row: Any) -> Any:
    if isinstance(row, dict):
        return {**row, "isIsolated": False}
    return [_with_margin(r) for r in row]


@sapi("POST", "/sapi/v1/margin/order")
def new_order(c: SapiCall) -> Any:
    _cross_only(c)
    effect = c.text("sideEffectType", "NO_SIDE_EFFECT")
    entry = REST_ROUTES[("POST", "/api/v3/order")]
    p = parse(entry, {k: v for k, v in c.raw.items() if k not in MARGIN_ONLY}, c.ex)
    borrowed: tuple[str, Decimal] | None = None
    if effect in ("MARGIN_BUY", "AUTO_BORROW_REPAY"):
        asset, need = _needs(c, p)
        short = _down(need - c.state.wallet(c.acct, "MARGIN").get(asset, ZERO))
        if short > 0:
            borrow(c.state, c.acct, asset, short)
            borrowed = (asset, short)
    try:
        result = entry.handler(Call(c.state.rt, p, MARGIN_BASE + c.acct))
    except ApiError:
        if borrowed is not None:
            repay(c.state, c.acct, *borrowed)
        raise
    if effect in ("AUTO_REPAY", "AUTO_BORROW_REPAY"):
        _auto_repay(c, p["symbol"], result["orderId"])
    out = _with_margin(result)
    if borrowed is not None and "status" in out:
        out["marginBuyBorrowAsset"], out["marginBuyBorrowAmount"] = borrowed[0], fmt(borrowed[1])
    return out


def _auto_repay(c: SapiCall, symbol: str, order_id: int) -> None:
    """Repay the loan of the asset the order received, with what it received (net of commission)."""
    order = c.ex.orders[symbol][order_id]
    spec = c.ex.spec(symbol)
    got = spec.base if order.side == "BUY" else spec.quote
    received = (order.executed_qty if order.side == "BUY" else order.cum_quote) - sum(
        (t.commission[order.order_id][0] for t in order.trades), ZERO)
    pay = min(loans(c.state, c.acct).get(got, ZERO), received, c.state.wallet(c.acct, "MARGIN").get(got, ZERO))
    if pay > 0:
        repay(c.state, c.acct, got, pay)


@sapi("DELETE", "/sapi/v1/margin/order")
def cancel_order(c: SapiCall) -> Any:
    return _with_margin(spot_op(c, "DELETE", "/api/v3/order")[0])


@sapi("GET", "/sapi/v1/margin/order")
def query_order(c: SapiCall) -> Any:
    return _with_margin(spot_op(c, "GET", "/api/v3/order")[0])


@sapi("GET", "/sapi/v1/margin/openOrders")
def open_orders(c: SapiCall) -> Any:
    return _with_margin(spot_op(c, "GET", "/api/v3/openOrders")[0])


@sapi("DELETE", "/sapi/v1/margin/openOrders")
def cancel_open_orders(c: SapiCall) -> Any:
    return _with_margin(spot_op(c, "DELETE", "/api/v3/openOrders")[0])


@sapi("GET", "/sapi/v1/margin/allOrders")
def all_orders(c: SapiCall) -> Any:
    return _with_margin(spot_op(c, "GET", "/api/v3/allOrders")[0])


@sapi("GET", "/sapi/v1/margin/myTrades")
def my_trades(c: SapiCall) -> Any:
    return _with_margin(spot_op(c, "GET", "/api/v3/myTrades")[0])


# Order lists: the margin path -> its /api/v3 twin (same parameters). ``sideEffectType`` other than
# NO_SIDE_EFFECT is refused on lists (-1020): only single orders borrow or repay here.
LIST_TWINS = {
    ("POST", "/sapi/v1/margin/order/oco"): ("POST", "/api/v3/order/oco"),
    ("POST", "/sapi/v1/margin/order/oto"): ("POST", "/api/v3/orderList/oto"),
    ("POST", "/sapi/v1/margin/order/otoco"): ("POST", "/api/v3/orderList/otoco"),
    ("GET", "/sapi/v1/margin/orderList"): ("GET", "/api/v3/orderList"),
    ("DELETE", "/sapi/v1/margin/orderList"): ("DELETE", "/api/v3/orderList"),
    ("GET", "/sapi/v1/margin/allOrderList"): ("GET", "/api/v3/allOrderList"),
    ("GET", "/sapi/v1/margin/openOrderList"): ("GET", "/api/v3/openOrderList"),
}


def _list_twin(spot_verb: str, spot_path: str) -> Any:
    def handler(c: SapiCall) -> Any:
        if c.text("sideEffectType", "NO_SIDE_EFFECT") != "NO_SIDE_EFFECT":
            raise ApiError(-1020)
        symbol = None
        if "symbol" not in REST_ROUTES[(spot_verb, spot_path)].params:
            symbol = c.raw.pop("symbol", None)  # the margin twin filters by symbol; the spot one takes none
        result = _with_margin(spot_op(c, spot_verb, spot_path)[0])
        if symbol and isinstance(result, list):
            result = [r for r in result if r.get("symbol") == symbol]
        return result

    return handler


for (_verb, _path), (_spot_verb, _spot_path) in LIST_TWINS.items():
    sapi(_verb, _path)(_list_twin(_spot_verb, _spot_path))
