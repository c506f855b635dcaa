"""Simple Earn flexible products on the local exchange: list, subscribe, redeem, positions, history.

One flexible product per asset of the listed symbols, ``productId`` ``<ASSET>001`` (``BTC001``,
``USDT001``...). A subscription takes the amount from SPOT (``sourceAccount`` ``SPOT``, the default),
FUNDING (``FUND``) or SPOT then FUNDING (``ALL``); a redemption pays it back to SPOT
(``destAccount`` ``SPOT``, the default) or FUNDING (``FUND``) at once. No rewards accrue.

Stateful endpoints (signed):

- ``GET /sapi/v1/simple-earn/flexible/list`` (``asset``, ``current``, ``size``).
- ``POST /sapi/v1/simple-earn/flexible/subscribe`` (``productId``, ``amount``, ``autoSubscribe``,
  ``sourceAccount``) -> ``{"purchaseId", "success"}``; ``-6003`` unknown product, ``-6005`` below the
  minimum, ``-6012`` not enough balance.
- ``POST /sapi/v1/simple-earn/flexible/redeem`` (``productId``, ``amount`` or ``redeemAll=true``,
  ``destAccount``) -> ``{"redeemId", "success"}``; ``-6006`` when the amount exceeds the position.
- ``GET /sapi/v1/simple-earn/flexible/position`` (``asset``, ``productId``, ``current``, ``size``).
- ``GET /sapi/v1/simple-earn/flexible/history/subscriptionRecord`` / ``redemptionRecord``
  (``productId``, ``asset``, ``startTime``, ``endTime``, ``current``, ``size``).
- ``GET /sapi/v1/simple-earn/flexible/personalLeftQuota`` (``productId``),
  ``POST /sapi/v1/simple-earn/flexible/setAutoSubscribe`` (``productId``, ``autoSubscribe``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ._errors import ApiError
from ._sapi import SapiCall, SapiState, in_window, page, sapi
from ._symbols import fmt

ZERO = Decimal(0)
RATES = {"USDT": "0.05", "BTC": "0.01", "ETH": "0.02", "BNB": "0.015"}
MINIMUMS = {"USDT": "0.1", "BTC": "0.0001", "ETH": "0.001", "BNB": "0.001"}
QUOTA = Decimal(1_000_000)


@dataclass
class EarnState:
    positions: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    auto: dict[int, dict[str, bool]] = field(default_factory=dict)
    subscriptions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    redemptions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def earn_state(state: SapiState) -> EarnState:
    result: EarnState = state.part("earn", EarnState)
    return result


def products(state: SapiState) -> dict[str, str]:
    """productId -> asset."""
    assets = sorted({a for s in state.ex.symbols.values() for a in (s.base, s.quote)})
    return {f"{a}001": a for a in assets}


def product_asset(state: SapiState, product_id: str) -> str:
    asset = products(state).get(product_id)
    if asset is None:
        raise ApiError(-6003, "Product not exist or you don't have permission")
    return asset


def _product(asset: str, product_id: str) -> dict[str, Any]:
    return {
        "asset": asset, "productId": product_id, "latestAnnualPercentageRate": fmt(Decimal(RATES.get(asset, "0.01"))),
        "airDropPercentageRate": fmt(ZERO), "canPurchase": True, "canRedeem": True, "isSoldOut": False,
        "hot": asset == "USDT", "minPurchaseAmount": fmt(Decimal(MINIMUMS.get(asset, "0.01"))),
        "subscriptionStartTime": 1_700_000_000_000, "status": "PURCHASING",
    }


@sapi("GET", "/sapi/v1/simple-earn/flexible/list")
def product_list(c: SapiCall) -> Any:
    rows = [_product(a, p) for p, a in products(c.state).items() if c.text("asset") in (None, a)]
    return page(rows, c)


@sapi("POST", "/sapi/v1/simple-earn/flexible/subscribe")
def subscribe(c: SapiCall) -> Any:
    product_id = c.raw["productId"]
    asset = product_asset(c.state, product_id)
    amount = c.need_dec("amount")
    if amount < Decimal(MINIMUMS.get(asset, "0.01")):
        raise ApiError(-6005, "Smaller than min purchase limit")
    source = c.text("sourceAccount", "SPOT")
    spot = c.state.wallet(c.acct, "MAIN").get(asset, ZERO)
    funding = c.state.wallet(c.acct, "FUNDING").get(asset, ZERO)
    from_spot = amount if source == "SPOT" else ZERO if source == "FUND" else min(amount, spot)
    from_funding = amount - from_spot
    if from_spot > spot or from_funding > funding:
        raise ApiError(-6012, "Balance not enough")
    if from_spot:
        c.state.move(c.acct, "MAIN", asset, -from_spot)
    if from_funding:
        c.state.move(c.acct, "FUNDING", asset, -from_funding)
    es = earn_state(c.state)
    held = es.positions.setdefault(c.acct, {})
    held[product_id] = held.get(product_id, ZERO) + amount
    if "autoSubscribe" in c.raw:
        es.auto.setdefault(c.acct, {})[product_id] = c.flag("autoSubscribe")
    purchase_id = c.state.next_id()
    es.subscriptions.setdefault(c.acct, []).insert(0, {
        "amount": fmt(amount), "asset": asset, "time": c.now(), "purchaseId": purchase_id, "productId": product_id,
        "type": "NORMAL", "sourceAccount": source, "amtFromSpot": fmt(from_spot), "amtFromFunding": fmt(from_funding),
        "status": "SUCCESS",
    })
    return {"purchaseId": purchase_id, "success": True}


@sapi("POST", "/sapi/v1/simple-earn/flexible/redeem")
def redeem(c: SapiCall) -> Any:
    product_id = c.raw["productId"]
    asset = product_asset(c.state, product_id)
    es = earn_state(c.state)
    held = es.positions.setdefault(c.acct, {})
    have = held.get(product_id, ZERO)
    amount = have if c.flag("redeemAll") else c.dec("amount")
    if amount is None or amount <= 0 or amount > have:
        raise ApiError(-6006, "Redeem amount error")
    dest = c.text("destAccount", "SPOT")
    held[product_id] = have - amount
    if held[product_id] == 0:
        del held[product_id]
    c.state.move(c.acct, "FUNDING" if dest == "FUND" else "MAIN", asset, amount)
    redeem_id = c.state.next_id()
    es.redemptions.setdefault(c.acct, []).insert(0, {
        "amount": fmt(amount), "asset": asset, "time": c.now(), "projectId": product_id, "productId": product_id,
        "redeemId": redeem_id, "destAccount": dest, "status": "PAID",
    })
    return {"redeemId": redeem_id, "success": True}


@sapi("GET", "/sapi/v1/simple-earn/flexible/position")
def position(c: SapiCall) -> Any:
    es = earn_state(c.state)
    rows = []
    for product_id, amount in sorted(es.positions.get(c.acct, {}).items()):
        asset = products(c.state)[product_id]
        if c.text("asset") not in (None, asset) or c.text("productId") not in (None, product_id):
            continue
        rate = fmt(Decimal(RATES.get(asset, "0.01")))
        rows.append({
            "totalAmount": fmt(amount), "latestAnnualPercentageRate": rate, "yesterdayAirdropPercentageRate": fmt(ZERO),
            "asset": asset, "airDropAsset": "", "canRedeem": True, "collateralAmount": fmt(ZERO),
            "productId": product_id, "yesterdayRealTimeRewards": fmt(ZERO), "cumulativeBonusRewards": fmt(ZERO),
            "cumulativeRealTimeRewards": fmt(ZERO), "cumulativeTotalRewards": fmt(ZERO),
            "autoSubscribe": es.auto.get(c.acct, {}).get(product_id, True),
        })
    return page(rows, c)


def _history(c: SapiCall, rows: list[dict[str, Any]], id_key: str) -> Any:
    kept = [r for r in rows if c.text("productId") in (None, r["productId"]) and c.text("asset") in (None, r["asset"])
            and c.int(id_key) in (None, r[id_key]) and in_window(c, r["time"])]
    return page(kept, c)


@sapi("GET", "/sapi/v1/simple-earn/flexible/history/subscriptionRecord")
def subscription_record(c: SapiCall) -> Any:
    return _history(c, earn_state(c.state).subscriptions.get(c.acct, []), "purchaseId")


@sapi("GET", "/sapi/v1/simple-earn/flexible/history/redemptionRecord")
def redemption_record(c: SapiCall) -> Any:
    out = _history(c, earn_state(c.state).redemptions.get(c.acct, []), "redeemId")
    out["rows"] = [{k: v for k, v in r.items() if k != "productId"} for r in out["rows"]]
    return out


@sapi("GET", "/sapi/v1/simple-earn/flexible/personalLeftQuota")
def left_quota(c: SapiCall) -> Any:
    held = earn_state(c.state).positions.get(c.acct, {}).get(product_id := c.raw["productId"], ZERO)
    product_asset(c.state, product_id)
    return {"leftPersonalQuota": fmt(QUOTA - held)}


@sapi("POST", "/sapi/v1/simple-earn/flexible/setAutoSubscribe")
def set_auto_subscribe(c: SapiCall) -> Any:
    product_asset(c.state, c.raw["productId"])
    earn_state(c.state).auto.setdefault(c.acct, {})[c.raw["productId"]] = c.flag("autoSubscribe")
    return {"success": True}
