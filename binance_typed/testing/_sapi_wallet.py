"""Wallet endpoints of the local exchange: coins, deposits, withdrawals, universal transfer, fees.

Stateful endpoints (signed, test account by default; amounts are decimal strings):

- ``GET /sapi/v1/capital/config/getall``: every asset of the listed symbols with its networks
  (fee, minimum, default network) and its SPOT ``free`` / ``locked``.
- ``GET /sapi/v1/capital/deposit/address`` (``coin``, ``network``): a fixed address per account,
  coin and network; ``GET /sapi/v1/capital/deposit/address/list`` (``coin``).
- ``GET /sapi/v1/capital/deposit/hisrec`` (``coin``, ``status``, ``startTime``, ``endTime``,
  ``offset``, ``limit``, ``txId``): the deposits made with ``LocalBinance.sapi.deposit(coin, amount)``,
  which credits SPOT (a ``balanceUpdate`` on the user data stream), newest first.
- ``POST /sapi/v1/capital/withdraw/apply`` (``coin``, ``address``, ``amount``, ``network``,
  ``withdrawOrderId``, ``walletType`` 0 SPOT / 1 FUNDING): takes ``amount`` from the wallet; the
  network fee is kept from it, so the history shows ``amount - fee`` sent and the fee as
  ``transactionFee``. Refused: below the network minimum or unknown network (``-1130``), more than
  the free balance (``-4026``), a ``withdrawOrderId`` used before (``-1130``: Binance refuses
  duplicates). Answers ``{"id"}``.
- ``GET /sapi/v1/capital/withdraw/history`` (``coin``, ``withdrawOrderId``, ``status``, ``idList``,
  ``startTime``, ``endTime``, ``offset``, ``limit``): newest first, status 6 (completed).
- ``POST /sapi/v1/asset/transfer`` (``type`` such as ``MAIN_FUNDING``, ``FUNDING_MAIN``,
  ``MAIN_MARGIN``, ``MARGIN_MAIN``, ``MAIN_UMFUTURE``..., ``asset``, ``amount``): moves the balance
  between wallets (``-5002`` when short, ``-3020`` out of margin beyond what the loans allow;
  isolated margin types ``-1020``); ``GET /sapi/v1/asset/transfer`` (``type``, ``startTime``,
  ``endTime``, ``current``, ``size``).
- ``POST /sapi/v1/asset/get-funding-asset`` and ``POST /sapi/v3/asset/getUserAsset`` (``asset``,
  ``needBtcValuation``): the FUNDING and SPOT balances; ``GET /sapi/v1/asset/wallet/balance``.
- ``GET /sapi/v1/asset/tradeFee`` (``symbol``): the engine's 0.1% maker / taker rate per symbol
  (``-1121`` for an unknown one); ``GET /sapi/v1/asset/assetDetail`` (``asset``): minimum and fee
  of each coin; ``GET /sapi/v1/account/status``: ``{"data": "Normal"}``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ._errors import ApiError, bad_symbol, invalid_param
from ._sapi import SapiCall, SapiState, amount_text, in_window, page, sapi
from ._symbols import fmt

ZERO = Decimal(0)
# coin -> (name, [(network, fee, minimum)]); the first network is the default.
NETWORKS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "BTC": ("Bitcoin", [("BTC", "0.0002", "0.0005"), ("BSC", "0.0000025", "0.00001")]),
    "ETH": ("Ethereum", [("ETH", "0.0012", "0.005"), ("BSC", "0.00003", "0.0001")]),
    "USDT": ("TetherUS", [("ETH", "4", "10"), ("TRX", "1", "2"), ("BSC", "0.8", "1.6")]),
    "BNB": ("BNB", [("BSC", "0.0005", "0.01")]),
}
WALLETS = ("MAIN", "FUNDING", "MARGIN", "UMFUTURE", "CMFUTURE", "OPTION", "PORTFOLIO_MARGIN")


@dataclass
class WalletState:
    deposits: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    withdrawals: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    transfers: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def wallet_state(state: SapiState) -> WalletState:
    result: WalletState = state.part("wallet", WalletState)
    return result


def coins(state: SapiState) -> list[str]:
    listed = {a for s in state.ex.symbols.values() for a in (s.base, s.quote)}
    return sorted(listed | set(NETWORKS))


def networks(coin: str) -> list[tuple[str, Decimal, Decimal]]:
    _, rows = NETWORKS.get(coin, (coin, [(coin, "0.01", "0.02")]))
    return [(name, Decimal(fee), Decimal(minimum)) for name, fee, minimum in rows]


def network_of(coin: str, name: str | None) -> tuple[str, Decimal, Decimal]:
    rows = networks(coin)
    if name is None:
        return rows[0]
    for row in rows:
        if row[0] == name:
            return row
    raise invalid_param("network")


def known_coin(state: SapiState, coin: str) -> str:
    if coin not in coins(state):
        raise invalid_param("coin")
    return coin


def address_of(account: int, coin: str, network: str) -> str:
    digest = hashlib.sha256(f"{account}/{coin}/{network}".encode()).hexdigest()
    if network == "BTC":
        return "bc1q" + digest[:38]
    if network == "TRX":
        return "T" + digest[:33]
    return "0x" + digest[:40]


def _applied(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms / 1000))


# -- coins and addresses ----------------------------------------------------------------------


@sapi("GET", "/sapi/v1/capital/config/getall")
def config_getall(c: SapiCall) -> Any:
    balances = c.ex.account_balances(c.acct)
    rows = []
    for coin in coins(c.state):
        bal = balances.get(coin)
        name = NETWORKS.get(coin, (coin, []))[0]
        nets = [{
            "network": net, "coin": coin, "name": net, "isDefault": i == 0, "depositEnable": True,
            "withdrawEnable": True, "depositDesc": "", "withdrawDesc": "", "specialTips": "",
            "withdrawFee": fmt(fee), "withdrawMin": fmt(minimum), "withdrawMax": "9999999999.99999999",
            "withdrawIntegerMultiple": "0.00000001", "minConfirm": 1, "unLockConfirm": 2,
            "addressRegex": "", "memoRegex": "", "resetAddressStatus": False, "sameAddress": False,
            "estimatedArrivalTime": 5, "busy": False,
        } for i, (net, fee, minimum) in enumerate(networks(coin))]
        rows.append({
            "coin": coin, "name": name, "depositAllEnable": True, "withdrawAllEnable": True, "trading": True,
            "isLegalMoney": False, "free": fmt(bal.free if bal else ZERO), "locked": fmt(bal.locked if bal else ZERO),
            "freeze": fmt(ZERO), "withdrawing": fmt(ZERO), "ipoing": fmt(ZERO), "ipoable": fmt(ZERO),
            "storage": fmt(ZERO), "networkList": nets,
        })
    return rows


@sapi("GET", "/sapi/v1/capital/deposit/address")
def deposit_address(c: SapiCall) -> Any:
    coin = known_coin(c.state, c.raw["coin"])
    network = network_of(coin, c.text("network"))[0]
    return {"coin": coin, "address": address_of(c.acct, coin, network), "tag": "", "url": ""}


@sapi("GET", "/sapi/v1/capital/deposit/address/list")
def deposit_addresses(c: SapiCall) -> Any:
    coin = known_coin(c.state, c.raw["coin"])
    return [{"coin": coin, "address": address_of(c.acct, coin, net), "tag": "", "isDefault": int(i == 0)}
            for i, (net, _, _) in enumerate(networks(coin)) if c.text("network") in (None, net)]


# -- deposits ---------------------------------------------------------------------------------


def record_deposit(state: SapiState, account: int, coin: str, amount: Decimal, network: str | None,
                   tx_id: str | None) -> dict[str, Any]:
    known_coin(state, coin)
    net = network_of(coin, network)[0]
    state.move(account, "MAIN", coin, amount)
    now = int(state.ex.now())
    number = state.next_id()
    row = {
        "id": str(number), "amount": fmt(amount), "coin": coin, "network": net, "status": 1,
        "address": address_of(account, coin, net), "addressTag": "",
        "txId": tx_id or "0x" + hashlib.sha256(f"deposit/{number}".encode()).hexdigest(),
        "insertTime": now, "completeTime": now, "transferType": 0, "confirmTimes": "2/2", "unlockConfirm": 2,
        "walletType": 0,
    }
    wallet_state(state).deposits.setdefault(account, []).insert(0, row)
    return row


@sapi("GET", "/sapi/v1/capital/deposit/hisrec")
def deposit_history(c: SapiCall) -> Any:
    rows = [r for r in wallet_state(c.state).deposits.get(c.acct, [])
            if c.text("coin") in (None, r["coin"]) and c.int("status") in (None, r["status"])
            and c.text("txId") in (None, r["txId"]) and in_window(c, r["insertTime"])]
    offset, limit = c.int("offset", 0) or 0, min(1000, c.int("limit", 1000) or 1000)
    return rows[offset: offset + limit]


# -- withdrawals ------------------------------------------------------------------------------


@sapi("POST", "/sapi/v1/capital/withdraw/apply")
def withdraw(c: SapiCall) -> Any:
    coin = known_coin(c.state, c.raw["coin"])
    net, fee, minimum = network_of(coin, c.text("network"))
    amount = c.need_dec("amount")
    if amount < minimum or amount <= fee:
        raise invalid_param("amount")
    ws = wallet_state(c.state)
    client_id = c.text("withdrawOrderId")
    if client_id is not None and any(r.get("withdrawOrderId") == client_id for r in ws.withdrawals.get(c.acct, [])):
        raise invalid_param("withdrawOrderId")
    wallet = "FUNDING" if c.int("walletType", 0) == 1 else "MAIN"
    c.state.move(c.acct, wallet, coin, -amount, ApiError(-4026, "User has insufficient balance"))
    now = c.now()
    ident = hashlib.md5(f"withdraw/{c.state.next_id()}".encode()).hexdigest()
    row: dict[str, Any] = {
        "id": ident, "amount": amount_text(amount - fee), "transactionFee": fmt(fee), "coin": coin, "status": 6,
        "address": c.raw["address"], "txId": "0x" + hashlib.sha256(ident.encode()).hexdigest(),
        "applyTime": _applied(now), "completeTime": _applied(now), "network": net, "transferType": 0,
        "info": "", "confirmNo": 2, "walletType": 1 if wallet == "FUNDING" else 0, "txKey": "", "_ms": now,
    }
    if client_id is not None:
        row["withdrawOrderId"] = client_id
    if c.text("addressTag"):
        row["addressTag"] = c.raw["addressTag"]
    ws.withdrawals.setdefault(c.acct, []).insert(0, row)
    return {"id": ident}


@sapi("GET", "/sapi/v1/capital/withdraw/history")
def withdraw_history(c: SapiCall) -> Any:
    ids = set((c.text("idList") or "").split(",")) - {""}
    rows = [r for r in wallet_state(c.state).withdrawals.get(c.acct, [])
            if c.text("coin") in (None, r["coin"]) and c.int("status") in (None, r["status"])
            and c.text("withdrawOrderId") in (None, r.get("withdrawOrderId")) and (not ids or r["id"] in ids)
            and in_window(c, r["_ms"])]
    offset, limit = c.int("offset", 0) or 0, min(1000, c.int("limit", 1000) or 1000)
    return [{k: v for k, v in r.items() if k != "_ms"} for r in rows[offset: offset + limit]]


# -- universal transfer -----------------------------------------------------------------------


def split_type(kind: str) -> tuple[str, str]:
    if "ISOLATEDMARGIN" in kind:
        raise ApiError(-1020)
    for source in WALLETS:
        if kind.startswith(source + "_") and kind[len(source) + 1:] in WALLETS:
            return source, kind[len(source) + 1:]
    raise invalid_param("type")


def transfer(state: SapiState, account: int, kind: str, asset: str, amount: Decimal) -> int:
    """Move ``amount`` of ``asset`` for a universal-transfer ``kind`` (``MAIN_FUNDING``...); the tranId."""
    source, target = split_type(kind)
    if amount <= 0:
        raise ApiError(-5007, "Quantity must be greater than zero.")
    if source == "MARGIN":
        from ._sapi_margin import max_transferable

        if amount > max_transferable(state, account, asset):
            raise ApiError(-3020, "Transfer out amount exceeds max amount.")
    state.move(account, source, asset, -amount)
    state.move(account, target, asset, amount)
    tran_id = state.next_id()
    wallet_state(state).transfers.setdefault(account, []).insert(0, {
        "asset": asset, "amount": fmt(amount), "type": kind, "status": "CONFIRMED", "tranId": tran_id,
        "timestamp": int(state.ex.now()),
    })
    return tran_id


@sapi("POST", "/sapi/v1/asset/transfer")
def universal_transfer(c: SapiCall) -> Any:
    return {"tranId": transfer(c.state, c.acct, c.raw["type"], c.raw["asset"], c.need_dec("amount"))}


@sapi("GET", "/sapi/v1/asset/transfer")
def transfer_history(c: SapiCall) -> Any:
    rows = [r for r in wallet_state(c.state).transfers.get(c.acct, [])
            if r["type"] == c.raw["type"] and in_window(c, r["timestamp"])]
    return page(rows, c)


# -- balances, fees, status -------------------------------------------------------------------


def _asset_rows(c: SapiCall, held: dict[str, tuple[Decimal, Decimal]]) -> list[dict[str, Any]]:
    rows = []
    for asset, (free, locked) in sorted(held.items()):
        if c.text("asset") not in (None, asset) or free + locked == 0:
            continue
        row = {"asset": asset, "free": fmt(free), "locked": fmt(locked), "freeze": fmt(ZERO),
               "withdrawing": fmt(ZERO), "ipoable": fmt(ZERO)}
        if c.flag("needBtcValuation"):
            row["btcValuation"] = fmt((free + locked) * c.state.price(asset, "BTC"))
        rows.append(row)
    return rows


@sapi("POST", "/sapi/v1/asset/get-funding-asset")
def funding_assets(c: SapiCall) -> Any:
    rows = _asset_rows(c, {a: (v, ZERO) for a, v in c.state.wallet(c.acct, "FUNDING").items()})
    for row in rows:
        row.pop("ipoable")
    return rows


@sapi("POST", "/sapi/v3/asset/getUserAsset")
def user_assets(c: SapiCall) -> Any:
    return _asset_rows(c, {a: (b.free, b.locked) for a, b in c.ex.account_balances(c.acct).items()})


@sapi("GET", "/sapi/v1/asset/wallet/balance")
def wallet_balance(c: SapiCall) -> Any:
    names = {"MAIN": "Spot", "FUNDING": "Funding", "MARGIN": "Cross Margin", "UMFUTURE": "USDⓈ-M Futures",
             "CMFUTURE": "COIN-M Futures", "OPTION": "Options"}
    quote = c.text("quoteAsset", "BTC") or "BTC"
    out = []
    for wallet, name in names.items():
        held = c.state.wallet(c.acct, wallet)
        locked = c.ex.account_balances(c.acct) if wallet == "MAIN" else {}
        total = sum(((v + (locked[a].locked if a in locked else ZERO)) * c.state.price(a, quote)
                     for a, v in held.items()), ZERO)
        out.append({"activate": True, "balance": fmt(total), "walletName": name})
    return out


@sapi("GET", "/sapi/v1/asset/tradeFee")
def trade_fee(c: SapiCall) -> Any:
    symbol = c.text("symbol")
    if symbol is not None and symbol not in c.ex.symbols:
        raise bad_symbol()
    return [{"symbol": s, "makerCommission": "0.001", "takerCommission": "0.001"}
            for s in sorted(c.ex.symbols) if symbol in (None, s)]


@sapi("GET", "/sapi/v1/asset/assetDetail")
def asset_detail(c: SapiCall) -> Any:
    out = {}
    for coin in coins(c.state):
        if c.text("asset") not in (None, coin):
            continue
        _, fee, minimum = networks(coin)[0]
        out[coin] = {"minWithdrawAmount": fmt(minimum), "depositStatus": True, "withdrawFee": fmt(fee),
                     "withdrawStatus": True, "depositTip": ""}
    return out


@sapi("GET", "/sapi/v1/account/status")
def account_status(c: SapiCall) -> Any:
    return {"data": "Normal"}
