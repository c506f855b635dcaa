"""Stateful /sapi flows of the local exchange (wallet, margin, simple earn, convert) by raw signed HTTP."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest
from test_simulator_sapi_support import error, ok, sapi_call, spot

from binance_typed.testing import LocalBinance

D = Decimal


def call(ex: LocalBinance, verb: str, path: str, **params: Any) -> Any:
    return ok(sapi_call(ex, verb, path, params))


def fails(ex: LocalBinance, verb: str, path: str, **params: Any) -> tuple[int, str]:
    return error(sapi_call(ex, verb, path, params))


# -- wallet -------------------------------------------------------------------------------------


def test_coin_config_lists_spot_balances_and_networks(local_binance: LocalBinance) -> None:
    rows = {r["coin"]: r for r in call(local_binance, "GET", "/sapi/v1/capital/config/getall")}
    assert set(rows) == {"BTC", "ETH", "USDT", "BNB"}
    assert rows["BTC"]["free"] == "2.00000000" and rows["BTC"]["locked"] == "0.00000000"
    nets = rows["USDT"]["networkList"]
    assert [n["network"] for n in nets] == ["ETH", "TRX", "BSC"] and [n["isDefault"] for n in nets] == [True, False, False]
    assert nets[1]["withdrawFee"] == "1.00000000" and nets[1]["withdrawMin"] == "2.00000000"


def test_deposit_address_is_fixed_per_coin_and_network(local_binance: LocalBinance) -> None:
    ex = local_binance
    first = call(ex, "GET", "/sapi/v1/capital/deposit/address", coin="USDT", network="TRX")
    assert first == call(ex, "GET", "/sapi/v1/capital/deposit/address", coin="USDT", network="TRX")
    assert first["coin"] == "USDT" and first["address"].startswith("T") and first["tag"] == ""
    default = call(ex, "GET", "/sapi/v1/capital/deposit/address", coin="USDT")
    assert default["address"].startswith("0x") and default["address"] != first["address"]
    listed = call(ex, "GET", "/sapi/v1/capital/deposit/address/list", coin="USDT")
    assert {r["address"] for r in listed} >= {first["address"], default["address"]}
    assert fails(ex, "GET", "/sapi/v1/capital/deposit/address", coin="DOGE")[0] == -1130
    assert fails(ex, "GET", "/sapi/v1/capital/deposit/address", coin="BTC", network="TRX")[0] == -1130


def test_a_deposit_credits_spot_and_shows_in_the_history(local_binance: LocalBinance) -> None:
    ex = local_binance
    ex.sapi.deposit("BTC", "0.25", tx_id="0xfeed")
    ex.sapi.deposit("USDT", "10", network="TRX")
    assert spot(ex, "BTC") == D("2.25")
    rows = call(ex, "GET", "/sapi/v1/capital/deposit/hisrec")
    assert [(r["coin"], r["amount"], r["status"]) for r in rows] == [("USDT", "10.00000000", 1), ("BTC", "0.25000000", 1)]
    assert rows[0]["network"] == "TRX"
    assert [r["coin"] for r in call(ex, "GET", "/sapi/v1/capital/deposit/hisrec", coin="BTC")] == ["BTC"]
    assert [r["amount"] for r in call(ex, "GET", "/sapi/v1/capital/deposit/hisrec", txId="0xfeed")] == ["0.25000000"]
    assert call(ex, "GET", "/sapi/v1/capital/deposit/hisrec", status=0) == []
    assert call(ex, "GET", "/sapi/v1/capital/deposit/hisrec", offset=1, limit=1)[0]["coin"] == "BTC"


def test_withdraw_takes_the_amount_from_spot_and_keeps_the_fee(local_binance: LocalBinance) -> None:
    ex = local_binance
    ident = call(ex, "POST", "/sapi/v1/capital/withdraw/apply", coin="USDT", network="TRX", address="Tdest",
                 amount="100", withdrawOrderId="bot-1")["id"]
    assert spot(ex, "USDT") == D("99900")
    (row,) = call(ex, "GET", "/sapi/v1/capital/withdraw/history")
    assert row["id"] == ident and row["withdrawOrderId"] == "bot-1" and row["status"] == 6
    assert (row["amount"], row["transactionFee"], row["network"], row["address"]) == ("99.00000000", "1.00000000",
                                                                                       "TRX", "Tdest")
    assert call(ex, "GET", "/sapi/v1/capital/withdraw/history", withdrawOrderId="bot-1") == [row]
    assert call(ex, "GET", "/sapi/v1/capital/withdraw/history", withdrawOrderId="other") == []
    assert call(ex, "GET", "/sapi/v1/capital/withdraw/history", idList=f"{ident},x") == [row]


def test_withdraw_refusals_move_nothing(local_binance: LocalBinance) -> None:
    ex = local_binance
    call(ex, "POST", "/sapi/v1/capital/withdraw/apply", coin="USDT", address="0xd", amount="20", withdrawOrderId="w")
    before = spot(ex, "USDT")
    assert fails(ex, "POST", "/sapi/v1/capital/withdraw/apply", coin="USDT", address="0xd", amount="20",
                 withdrawOrderId="w") == (-1130, "Data sent for parameter 'withdrawOrderId' is not valid.")
    assert fails(ex, "POST", "/sapi/v1/capital/withdraw/apply", coin="USDT", address="0xd", amount="5")[0] == -1130
    assert fails(ex, "POST", "/sapi/v1/capital/withdraw/apply", coin="USDT", address="0xd", amount="1000000")[0] == -4026
    assert fails(ex, "POST", "/sapi/v1/capital/withdraw/apply", coin="USDT", address="0xd", amount="20",
                 network="BTC")[0] == -1130
    assert spot(ex, "USDT") == before
    assert len(call(ex, "GET", "/sapi/v1/capital/withdraw/history")) == 1


def test_withdraw_from_the_funding_wallet(local_binance: LocalBinance) -> None:
    ex = local_binance
    call(ex, "POST", "/sapi/v1/asset/transfer", type="MAIN_FUNDING", asset="BTC", amount="1")
    call(ex, "POST", "/sapi/v1/capital/withdraw/apply", coin="BTC", address="bc1q", amount="0.5", walletType=1)
    assert ex.sapi.wallet(1, "FUNDING") == {"BTC": D("0.5")} and spot(ex, "BTC") == D("1")
    assert call(ex, "GET", "/sapi/v1/capital/withdraw/history")[0]["walletType"] == 1


def test_universal_transfer_moves_balances_between_wallets(local_binance: LocalBinance) -> None:
    ex = local_binance
    first = call(ex, "POST", "/sapi/v1/asset/transfer", type="MAIN_FUNDING", asset="USDT", amount="300")["tranId"]
    call(ex, "POST", "/sapi/v1/asset/transfer", type="FUNDING_MARGIN", asset="USDT", amount="100")
    call(ex, "POST", "/sapi/v1/asset/transfer", type="MARGIN_MAIN", asset="USDT", amount="40")
    assert spot(ex, "USDT") == D("99740")
    assert ex.sapi.wallet(1, "FUNDING") == {"USDT": D("200")}
    assert ex.sapi.wallet(1, "MARGIN") == {"USDT": D("60")}
    history = call(ex, "GET", "/sapi/v1/asset/transfer", type="MAIN_FUNDING")
    assert history == {"total": 1, "rows": [{"asset": "USDT", "amount": "300.00000000", "type": "MAIN_FUNDING",
                                             "status": "CONFIRMED", "tranId": first,
                                             "timestamp": history["rows"][0]["timestamp"]}]}
    assert fails(ex, "POST", "/sapi/v1/asset/transfer", type="FUNDING_MAIN", asset="USDT", amount="201") == (
        -5002, "You have insufficient balance.")
    assert fails(ex, "POST", "/sapi/v1/asset/transfer", type="MARGIN_ISOLATEDMARGIN", asset="USDT",
                 amount="1")[0] == -1020
    assert ex.sapi.wallet(1, "FUNDING") == {"USDT": D("200")}
    funding = call(ex, "POST", "/sapi/v1/asset/get-funding-asset", needBtcValuation=True)
    assert [(r["asset"], r["free"]) for r in funding] == [("USDT", "200.00000000")] and "btcValuation" in funding[0]
    assert call(ex, "GET", "/sapi/v1/margin/transfer", type="ROLL_IN")["rows"][0]["amount"] == "100.00000000"


def test_fees_status_and_asset_details(local_binance: LocalBinance) -> None:
    ex = local_binance
    assert call(ex, "GET", "/sapi/v1/asset/tradeFee", symbol="ETHUSDT") == [
        {"symbol": "ETHUSDT", "makerCommission": "0.001", "takerCommission": "0.001"}]
    assert len(call(ex, "GET", "/sapi/v1/asset/tradeFee")) == 3
    assert fails(ex, "GET", "/sapi/v1/asset/tradeFee", symbol="DOGEUSDT")[0] == -1121
    assert call(ex, "GET", "/sapi/v1/account/status") == {"data": "Normal"}
    detail = call(ex, "GET", "/sapi/v1/asset/assetDetail", asset="BTC")
    assert detail == {"BTC": {"minWithdrawAmount": "0.00050000", "depositStatus": True, "withdrawFee": "0.00020000",
                              "withdrawStatus": True, "depositTip": ""}}
    mine = {r["asset"]: r["free"] for r in call(ex, "POST", "/sapi/v3/asset/getUserAsset")}
    assert mine == {"BNB": "100.00000000", "BTC": "2.00000000", "ETH": "20.00000000", "USDT": "100000.00000000"}


# -- margin -------------------------------------------------------------------------------------


def fund_margin(ex: LocalBinance, amount: str = "1000", asset: str = "USDT") -> None:
    call(ex, "POST", "/sapi/v1/asset/transfer", type="MAIN_MARGIN", asset=asset, amount=amount)


def margin_assets(ex: LocalBinance) -> dict[str, dict[str, str]]:
    return {r["asset"]: r for r in call(ex, "GET", "/sapi/v1/margin/account")["userAssets"]}


def test_borrow_and_repay_move_the_loan_and_the_balance(local_binance: LocalBinance) -> None:
    ex = local_binance
    fund_margin(ex)
    assert call(ex, "GET", "/sapi/v1/margin/maxBorrowable", asset="USDT")["amount"] == "2000.00000000"  # 3x
    assert fails(ex, "POST", "/sapi/v1/margin/borrow-repay", asset="USDT", isIsolated="FALSE", amount="2001",
                 type="BORROW")[0] == -3006
    tran = call(ex, "POST", "/sapi/v1/margin/borrow-repay", asset="USDT", isIsolated="FALSE", amount="500",
                type="BORROW")["tranId"]
    usdt = margin_assets(ex)["USDT"]
    assert (usdt["free"], usdt["borrowed"], usdt["netAsset"]) == ("1500.00000000", "500.00000000", "1000.00000000")
    account = call(ex, "GET", "/sapi/v1/margin/account")
    assert account["marginLevel"] == "3.00000000" and account["totalLiabilityOfBtc"] != "0.00000000"
    assert call(ex, "GET", "/sapi/v1/margin/maxBorrowable", asset="USDT")["amount"] == "1500.00000000"
    assert fails(ex, "POST", "/sapi/v1/margin/borrow-repay", asset="USDT", isIsolated="FALSE", amount="501",
                 type="REPAY")[0] == -3015
    call(ex, "POST", "/sapi/v1/margin/borrow-repay", asset="USDT", isIsolated="FALSE", amount="200", type="REPAY")
    usdt = margin_assets(ex)["USDT"]
    assert (usdt["free"], usdt["borrowed"]) == ("1300.00000000", "300.00000000")
    borrows = call(ex, "GET", "/sapi/v1/margin/borrow-repay", type="BORROW")
    assert borrows["total"] == 1 and borrows["rows"][0]["txId"] == tran and borrows["rows"][0]["principal"] == "500.00000000"
    assert call(ex, "GET", "/sapi/v1/margin/borrow-repay", type="REPAY")["rows"][0]["amount"] == "200.00000000"
    assert spot(ex, "USDT") == D("99000")  # the loan never touches SPOT
    assert fails(ex, "POST", "/sapi/v1/margin/borrow-repay", asset="USDT", isIsolated="TRUE", symbol="BTCUSDT",
                 amount="1", type="BORROW")[0] == -1020


def test_transfers_out_of_margin_keep_the_loans_covered(local_binance: LocalBinance) -> None:
    ex = local_binance
    fund_margin(ex)
    assert call(ex, "GET", "/sapi/v1/margin/maxTransferable", asset="USDT")["amount"] == "1000.00000000"
    call(ex, "POST", "/sapi/v1/margin/borrow-repay", asset="USDT", isIsolated="FALSE", amount="500", type="BORROW")
    # 1500 held, 500 owed: at most 500 may leave (margin level stays >= 2)
    assert call(ex, "GET", "/sapi/v1/margin/maxTransferable", asset="USDT")["amount"] == "500.00000000"
    assert fails(ex, "POST", "/sapi/v1/asset/transfer", type="MARGIN_MAIN", asset="USDT", amount="501")[0] == -3020
    call(ex, "POST", "/sapi/v1/asset/transfer", type="MARGIN_MAIN", asset="USDT", amount="500")
    assert margin_assets(ex)["USDT"]["free"] == "1000.00000000"


def test_margin_orders_match_against_the_spot_book(local_binance: LocalBinance) -> None:
    ex = local_binance
    fund_margin(ex, "10000")
    spot_before = ex.balances()
    filled = call(ex, "POST", "/sapi/v1/margin/order", symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                  quantity="0.1", price="61000", newOrderRespType="FULL")
    assert filled["status"] == "FILLED" and filled["isIsolated"] is False and filled["fills"]
    cost = sum(D(f["price"]) * D(f["qty"]) for f in filled["fills"])
    assets = margin_assets(ex)
    assert D(assets["BTC"]["free"]) == D("0.1") - sum(D(f["commission"]) for f in filled["fills"])
    assert D(assets["USDT"]["free"]) == D("10000") - cost
    assert ex.balances() == spot_before  # SPOT is another account
    resting = call(ex, "POST", "/sapi/v1/margin/order", symbol="BTCUSDT", side="SELL", type="LIMIT", timeInForce="GTC",
                   quantity="0.05", price="70000")
    assert resting["status"] == "NEW" and margin_assets(ex)["BTC"]["locked"] == "0.05000000"
    assert [o["orderId"] for o in call(ex, "GET", "/sapi/v1/margin/openOrders", symbol="BTCUSDT")] == [resting["orderId"]]
    queried = call(ex, "GET", "/sapi/v1/margin/order", symbol="BTCUSDT", orderId=resting["orderId"])
    assert queried["status"] == "NEW" and queried["price"] == "70000.00000000"
    canceled = call(ex, "DELETE", "/sapi/v1/margin/order", symbol="BTCUSDT", orderId=resting["orderId"])
    assert canceled["status"] == "CANCELED" and margin_assets(ex)["BTC"]["locked"] == "0.00000000"
    assert call(ex, "GET", "/sapi/v1/margin/openOrders") == []
    assert [o["status"] for o in call(ex, "GET", "/sapi/v1/margin/allOrders", symbol="BTCUSDT")] == ["FILLED", "CANCELED"]
    trades = call(ex, "GET", "/sapi/v1/margin/myTrades", symbol="BTCUSDT")
    assert {t["orderId"] for t in trades} == {filled["orderId"]} and all(t["isBuyer"] for t in trades)
    assert fails(ex, "GET", "/sapi/v1/margin/order", symbol="BTCUSDT", orderId=999999)[0] == -2013
    # the spot account does not see margin orders
    assert ok(ex.call("GET", "/api/v3/allOrders", {"symbol": "BTCUSDT"}, signed=True)) == []


def test_margin_buy_borrows_what_the_order_lacks_and_auto_repay_pays_it_back(local_binance: LocalBinance) -> None:
    ex = local_binance
    fund_margin(ex, "3000")
    order = call(ex, "POST", "/sapi/v1/margin/order", symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                 quantity="0.06", price="50000", sideEffectType="MARGIN_BUY")
    assert order["status"] == "NEW" and "marginBuyBorrowAmount" not in order  # 3000 held: nothing to borrow
    usdt = margin_assets(ex)["USDT"]
    assert (usdt["free"], usdt["locked"], usdt["borrowed"]) == ("0.00000000", "3000.00000000", "0.00000000")
    big = call(ex, "POST", "/sapi/v1/margin/order", symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
               quantity="0.1", price="50000", sideEffectType="MARGIN_BUY", newOrderRespType="RESULT")
    # 0.06 BTC at 50000 locked 3000; the second order needs 5000 more, all borrowed
    assert (big["marginBuyBorrowAsset"], big["marginBuyBorrowAmount"]) == ("USDT", "5000.00000000")
    assert margin_assets(ex)["USDT"]["borrowed"] == "5000.00000000"
    call(ex, "DELETE", "/sapi/v1/margin/openOrders", symbol="BTCUSDT")
    # selling with AUTO_REPAY pays the USDT loan from the proceeds
    fund_margin(ex, "0.2", "BTC")
    sold = call(ex, "POST", "/sapi/v1/margin/order", symbol="BTCUSDT", side="SELL", type="MARKET", quantity="0.05",
                sideEffectType="AUTO_REPAY")
    proceeds = D(sold["cummulativeQuoteQty"]) - sum(D(f["commission"]) for f in sold["fills"])
    assert D(margin_assets(ex)["USDT"]["borrowed"]) == D("5000") - proceeds
    assert call(ex, "GET", "/sapi/v1/margin/borrow-repay", type="REPAY")["total"] == 1


def test_a_refused_margin_buy_leaves_no_loan(local_binance: LocalBinance) -> None:
    ex = local_binance
    fund_margin(ex, "1000")
    code, _ = fails(ex, "POST", "/sapi/v1/margin/order", symbol="BTCUSDT", side="BUY", type="LIMIT",
                    timeInForce="GTC", quantity="0.03", price="50000", sideEffectType="MARGIN_BUY",
                    newClientOrderId="a" * 40)
    assert code == -1100
    code, _ = fails(ex, "POST", "/sapi/v1/margin/order", symbol="BTCUSDT", side="BUY", type="LIMIT",
                    timeInForce="GTC", quantity="0.1", price="50000", sideEffectType="MARGIN_BUY")
    assert code == -3006  # needs 4000 more, 2000 borrowable
    assert margin_assets(ex)["USDT"]["borrowed"] == "0.00000000"
    assert call(ex, "GET", "/sapi/v1/margin/borrow-repay", type="BORROW")["total"] == 0


# -- simple earn --------------------------------------------------------------------------------


def test_flexible_earn_subscribe_position_and_redeem(local_binance: LocalBinance) -> None:
    ex = local_binance
    products = call(ex, "GET", "/sapi/v1/simple-earn/flexible/list")
    assert {r["productId"] for r in products["rows"]} == {"BTC001", "ETH001", "USDT001", "BNB001"}
    assert call(ex, "GET", "/sapi/v1/simple-earn/flexible/list", asset="USDT")["rows"][0]["minPurchaseAmount"] == "0.10000000"
    bought = call(ex, "POST", "/sapi/v1/simple-earn/flexible/subscribe", productId="USDT001", amount="1000")
    assert bought["success"] is True and spot(ex, "USDT") == D("99000")
    (pos,) = call(ex, "GET", "/sapi/v1/simple-earn/flexible/position")["rows"]
    assert (pos["productId"], pos["asset"], pos["totalAmount"]) == ("USDT001", "USDT", "1000.00000000")
    call(ex, "POST", "/sapi/v1/simple-earn/flexible/redeem", productId="USDT001", amount="400")
    assert spot(ex, "USDT") == D("99400")
    assert call(ex, "GET", "/sapi/v1/simple-earn/flexible/position")["rows"][0]["totalAmount"] == "600.00000000"
    assert fails(ex, "POST", "/sapi/v1/simple-earn/flexible/redeem", productId="USDT001", amount="601") == (
        -6006, "Redeem amount error")
    call(ex, "POST", "/sapi/v1/simple-earn/flexible/redeem", productId="USDT001", redeemAll=True, destAccount="FUND")
    assert ex.sapi.wallet(1, "FUNDING") == {"USDT": D("600")} and spot(ex, "USDT") == D("99400")
    assert call(ex, "GET", "/sapi/v1/simple-earn/flexible/position") == {"total": 0, "rows": []}
    subs = call(ex, "GET", "/sapi/v1/simple-earn/flexible/history/subscriptionRecord")
    assert subs["rows"][0]["purchaseId"] == bought["purchaseId"] and subs["rows"][0]["amtFromSpot"] == "1000.00000000"
    redemptions = call(ex, "GET", "/sapi/v1/simple-earn/flexible/history/redemptionRecord")
    assert [r["amount"] for r in redemptions["rows"]] == ["600.00000000", "400.00000000"]


def test_flexible_earn_refusals(local_binance: LocalBinance) -> None:
    ex = local_binance
    assert fails(ex, "POST", "/sapi/v1/simple-earn/flexible/subscribe", productId="XRP001", amount="1")[0] == -6003
    assert fails(ex, "POST", "/sapi/v1/simple-earn/flexible/subscribe", productId="BTC001", amount="0.00001")[0] == -6005
    assert fails(ex, "POST", "/sapi/v1/simple-earn/flexible/subscribe", productId="BTC001", amount="3")[0] == -6012
    assert fails(ex, "POST", "/sapi/v1/simple-earn/flexible/subscribe", productId="BTC001", amount="1",
                 sourceAccount="FUND")[0] == -6012
    assert spot(ex, "BTC") == D("2")
    call(ex, "POST", "/sapi/v1/asset/transfer", type="MAIN_FUNDING", asset="BTC", amount="1")
    call(ex, "POST", "/sapi/v1/simple-earn/flexible/subscribe", productId="BTC001", amount="1.5", sourceAccount="ALL")
    assert spot(ex, "BTC") == D("0") and ex.sapi.wallet(1, "FUNDING") == {"BTC": D("0.5")}


# -- convert ------------------------------------------------------------------------------------


def test_a_quote_accepted_moves_exactly_its_amounts_once(local_binance: LocalBinance) -> None:
    ex = local_binance
    quote = call(ex, "POST", "/sapi/v1/convert/getQuote", fromAsset="USDT", toAsset="BTC", fromAmount="600")
    assert quote["fromAmount"] == "600.00000000" and D(quote["toAmount"]) == D("600") * D(quote["ratio"])
    assert D(quote["ratio"]) < D(1) / D(60000)  # mid price less the spread
    accepted = call(ex, "POST", "/sapi/v1/convert/acceptQuote", quoteId=quote["quoteId"])
    assert accepted["orderStatus"] == "PROCESS"
    assert spot(ex, "USDT") == D("99400") and spot(ex, "BTC") == D("2") + D(quote["toAmount"])
    assert fails(ex, "POST", "/sapi/v1/convert/acceptQuote", quoteId=quote["quoteId"])[0] == -1130
    assert spot(ex, "USDT") == D("99400")
    status = call(ex, "GET", "/sapi/v1/convert/orderStatus", orderId=accepted["orderId"])
    assert status["orderStatus"] == "SUCCESS" and status["toAmount"] == quote["toAmount"]
    assert call(ex, "GET", "/sapi/v1/convert/orderStatus", quoteId=quote["quoteId"]) == status
    flow = call(ex, "GET", "/sapi/v1/convert/tradeFlow", startTime=0, endTime=ex.engine.now())
    assert [r["quoteId"] for r in flow["list"]] == [quote["quoteId"]]


def test_an_expired_or_unknown_quote_moves_nothing(local_binance: LocalBinance) -> None:
    ex = local_binance
    quote = call(ex, "POST", "/sapi/v1/convert/getQuote", fromAsset="BTC", toAsset="USDT", toAmount="1000")
    assert D(quote["fromAmount"]) * D(quote["ratio"]) >= D("1000")
    assert fails(ex, "POST", "/sapi/v1/convert/acceptQuote", quoteId="nope")[0] == -1130
    ex.sapi.parts["convert"].validity_ms = 0
    stale = call(ex, "POST", "/sapi/v1/convert/getQuote", fromAsset="BTC", toAsset="USDT", fromAmount="0.1")
    time.sleep(0.01)
    assert fails(ex, "POST", "/sapi/v1/convert/acceptQuote", quoteId=stale["quoteId"])[0] == -1130
    assert spot(ex, "BTC") == D("2") and spot(ex, "USDT") == D("100000")
    assert fails(ex, "GET", "/sapi/v1/convert/orderStatus", quoteId=stale["quoteId"])[0] == -2013


@pytest.mark.parametrize(("params", "code"), [
    ({"fromAmount": "1", "toAmount": "1"}, -1128), ({}, -1102), ({"fromAmount": "1", "toAsset": "XRP"}, -1130),
])
def test_bad_quote_requests(local_binance: LocalBinance, params: dict[str, str], code: int) -> None:
    args = {"fromAsset": "USDT", "toAsset": "BTC", **params}
    assert fails(local_binance, "POST", "/sapi/v1/convert/getQuote", **args)[0] == code


def test_accepting_without_the_balance_is_refused(local_binance: LocalBinance) -> None:
    ex = local_binance
    quote = call(ex, "POST", "/sapi/v1/convert/getQuote", fromAsset="ETH", toAsset="USDT", fromAmount="20")
    call(ex, "POST", "/sapi/v1/asset/transfer", type="MAIN_FUNDING", asset="ETH", amount="1")
    assert fails(ex, "POST", "/sapi/v1/convert/acceptQuote", quoteId=quote["quoteId"])[0] == -2010
    assert spot(ex, "ETH") == D("19") and spot(ex, "USDT") == D("100000")


WALLETS = ("MAIN", "FUNDING", "MARGIN", "UMFUTURE")


def test_transfers_never_create_or_lose_money() -> None:
    """Any sequence of universal transfers, refused or not, keeps each asset's total over the wallets."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    kinds = [f"{a}_{b}" for a in WALLETS for b in WALLETS if a != b]
    amounts = st.decimals(min_value=D("0.00000001"), max_value=D("150000"), places=8)

    def total(ex: LocalBinance, asset: str) -> Decimal:
        return sum((ex.sapi.wallet(1, w).get(asset, D(0)) for w in WALLETS), D(0))

    with LocalBinance() as ex:
        ex.sapi.uid_limit = 10**9
        start = {a: total(ex, a) for a in ("USDT", "BTC")}

        @settings(max_examples=20, deadline=None)
        @given(st.lists(st.tuples(st.sampled_from(kinds), st.sampled_from(["USDT", "BTC"]), amounts), max_size=6))
        def run(steps: list[tuple[str, str, Decimal]]) -> None:
            for kind, asset, amount in steps:
                answer = sapi_call(ex, "POST", "/sapi/v1/asset/transfer", {"type": kind, "asset": asset, "amount": amount})
                if answer.status_code != 200:
                    assert error(answer)[0] in (-5002, -3020)  # short; out of margin: -3020 first
            assert {a: total(ex, a) for a in start} == start
            assert all(v >= 0 for w in WALLETS for v in ex.sapi.wallet(1, w).values())

        run()


def test_margin_oco_lists_run_on_the_margin_account(local_binance: LocalBinance) -> None:
    ex = local_binance
    fund_margin(ex, "0.5", "BTC")
    placed = call(ex, "POST", "/sapi/v1/margin/order/oco", symbol="BTCUSDT", side="SELL", quantity="0.1",
                  price="70000", stopPrice="50000", stopLimitPrice="49900", stopLimitTimeInForce="GTC")
    list_id = placed["orderListId"]
    assert placed["isIsolated"] is False and len(placed["orderReports"]) == 2
    assert margin_assets(ex)["BTC"]["locked"] == "0.10000000"
    assert [r["orderListId"] for r in call(ex, "GET", "/sapi/v1/margin/openOrderList", symbol="BTCUSDT")] == [list_id]
    assert call(ex, "GET", "/sapi/v1/margin/openOrderList", symbol="ETHUSDT") == []
    assert call(ex, "GET", "/sapi/v1/margin/orderList", orderListId=list_id)["listOrderStatus"] == "EXECUTING"
    assert ok(ex.call("GET", "/api/v3/openOrderList", signed=True)) == []  # not on the spot account
    canceled = call(ex, "DELETE", "/sapi/v1/margin/orderList", symbol="BTCUSDT", orderListId=list_id)
    assert canceled["listOrderStatus"] == "ALL_DONE" and margin_assets(ex)["BTC"]["locked"] == "0.00000000"
    assert [r["orderListId"] for r in call(ex, "GET", "/sapi/v1/margin/allOrderList")] == [list_id]
    assert fails(ex, "POST", "/sapi/v1/margin/order/oco", symbol="BTCUSDT", side="SELL", quantity="0.1",
                 price="70000", stopPrice="50000", sideEffectType="MARGIN_BUY")[0] == -1020
