"""What each endpoint parameter means: the data behind the ``Args:`` section of every generated method.

``scripts/generate.py`` renders these texts into the docstrings of the generated group classes
(IDE hovers show them; mkdocstrings turns them into a parameter table). Nothing reads this module
at run time. The texts are ours, written from the facts of Binance's parameter tables (meaning,
default, range, which parameters exclude or need each other).

Lookup order for a parameter ``name`` of endpoint ``group.method``:

1. ``OVERRIDES["group.method"][name]``: a meaning or a limit particular to one endpoint;
2. ``SPOT[name]`` for the /api/v3 and WebSocket API endpoints, ``COMMON[name]`` for every endpoint;
3. a leg of an order list (``workingPrice``, ``pendingAboveStopPrice``...): ``LEG_FIELDS`` worded
   for the leg named by the prefix (``LEGS``);
4. /sapi only: a sentence composed by the generator from the catalogue's facts (type, allowed
   values, default, maximum, "either ... or") and the parameter's name.

``CALL_OPTIONS`` describes the per-call options every method takes.
"""

from __future__ import annotations

__all__ = ["CALL_OPTIONS", "COMMON", "LEGS", "LEG_FIELDS", "OVERRIDES", "SAPI", "SAPI_FROM_SPOT", "SPOT", "describe"]

CALL_OPTIONS: dict[str, str] = {
    "timeout": "Seconds to wait for this call, replacing the client's timeout for it alone.",
    "extra_params": (
        "Parameters (or enum values) this version does not declare, sent as given; they replace "
        "declared parameters of the same name."
    ),
}

_TIME_MS = "milliseconds since the Unix epoch or an aware ``datetime``"

COMMON: dict[str, str] = {
    "symbol": "Trading pair, such as ``BTCUSDT``.",
    "recvWindow": (
        "Milliseconds after ``timestamp`` during which the server still accepts the request (at most "
        "60000, up to three decimals); the client's ``recv_window`` when left out."
    ),
    "startTime": f"Start of the time range, inclusive: {_TIME_MS}.",
    "endTime": f"End of the time range, inclusive: {_TIME_MS}.",
    "asset": "Asset (coin) name, such as ``USDT``.",
    "coin": "Coin name, such as ``BTC``.",
    "network": "Network (chain) to use, such as ``BSC`` or ``ETH``; the coin's default network when left out.",
    "amount": "Amount of the asset, as a decimal.",
    "email": "Email address of the sub-account.",
    "current": "Page number to read, starting at 1.",
    "page": "Page number to read, starting at 1.",
    "size": "Rows per page.",
    "pageSize": "Rows per page.",
    "rows": "Rows per page.",
    "pageIndex": "Page number to read, starting at 1.",
    "address": "Destination address.",
    "addressTag": "Secondary address identifier (memo or tag) for coins that need one.",
    "txId": "Transaction id on the blockchain.",
    "isIsolated": "``TRUE`` for the isolated margin account of ``symbol``, ``FALSE`` (the default) for cross margin.",
    "isolatedSymbol": "Trading pair of the isolated margin account; cross margin when left out.",
    "withdrawOrderId": "Your own id for the withdrawal, so it can be looked up later.",
    "loanCoin": "Coin that is borrowed.",
    "collateralCoin": "Coin pledged as collateral.",
    "productId": "Id of the product, as listed by the product query of the same group.",
    "projectId": "Id of the product (project), as listed by the product query of the same group.",
    "positionId": "Id of the position, as listed by the position query of the same group.",
    "algo": "Mining algorithm name, such as ``sha256``.",
    "userName": "Mining account (user) name.",
    "autoSubscribe": "Whether the product is subscribed again automatically when it ends.",
    "fromEmail": "Email of the sub-account that sends (the master account when left out).",
    "toEmail": "Email of the sub-account that receives (the master account when left out).",
    "subAccountApiKey": "API key of the sub-account.",
    "clientAlgoId": "Your own id for the algo order.",
    "algoId": "Id of the algo order.",
    "futuresType": "Futures account: ``1`` for USD-M, ``2`` for COIN-M.",
    "redeemId": "Id of the redemption.",
    "purchaseId": "Id of the purchase.",
    "offset": "Rows to skip before the first one returned.",
    "depositId": "Id of the deposit.",
    "orderId": "Binance's id of the order.",
    "quantity": "Quantity of the base asset.",
    "price": "Limit price, in the quote asset.",
    "limit": "Most rows to return.",
    "vipLevel": "VIP level whose rates to show; the account's own when left out.",
    "startDate": f"Start of the date range, inclusive: {_TIME_MS}.",
    "endDate": f"End of the date range, inclusive: {_TIME_MS}.",
    "sideEffectType": (
        "What a margin order does besides trading: ``NO_SIDE_EFFECT`` (the default), ``MARGIN_BUY`` "
        "(borrow what is missing), ``AUTO_REPAY`` (repay debt with the proceeds), ``AUTO_BORROW_REPAY``."
    ),
    "autoRepayAtCancel": "Whether a loan taken for the order is repaid when the order is cancelled (true when left out).",
    "questionnaire": "Answers to the questionnaire, as a JSON text.",
    "redeemTo": "Where redeemed funds go (``SPOT`` or ``FUNDING``).",
    "collateralAccountId": "Id of the collateral account.",
    "transactionFeeFlag": (
        "For a transfer to another Binance account: true makes the receiving account pay the fee, "
        "false (when left out) the sending account."
    ),
    "clientTranId": "Your own id for the transfer; it must be unique.",
    "tranId": "Binance's id of the transfer.",
    "listenKey": "Listen key of the user data stream.",
    "ipAddress": "IP addresses, separated by commas.",
    "apiName": "Name of the API key.",
    "publicKey": "Public key of an Ed25519 or RSA API key.",
    "subAccountId": "Id of the sub-account.",
    "quoteAsset": "Quote asset, such as ``USDT``.",
    "fromAsset": "Asset to convert from.",
    "toAsset": "Asset to convert to.",
    "loanAmount": "Amount to borrow.",
    "currency": "Fiat currency code, such as ``BRL``.",
    "beginTime": f"Start of the time range, inclusive: {_TIME_MS}.",
    "trId": "Travel rule record ids, separated by commas.",
    "travelRuleStatus": "Travel rule state: ``0`` completed, ``1`` pending, ``2`` failed.",
    "targetAsset": "Asset to convert into.",
    "needBtcValuation": "True to add each value's equivalent in BTC.",
    "includeSource": "True to add the source address of each deposit.",
    "ip": "IP addresses, separated by commas (at most 30 per API key).",
    "canTrade": "True lets the key trade on spot and margin.",
    "canMarginLoanRepay": "True lets the key borrow and repay on margin.",
    "canFuturesTrade": "True lets the key trade futures.",
    "canUniversalTransfer": "True lets the key make universal transfers.",
    "canVanillaOptions": "True lets the key trade options.",
    "configId": "Id of the configuration.",
    "quoteId": "Id of the quote.",
    "positionSide": "Side of the position: ``BOTH`` in one-way mode, ``LONG`` or ``SHORT`` in hedge mode.",
    "reduceOnly": "True to only reduce an open position (not allowed in hedge mode).",
    "urgency": "How fast the algo order works through its quantity.",
    "spotBNBBurn": "True pays spot trading fees with BNB.",
    "interestBNBBurn": "True pays margin interest with BNB.",
    "subUserId": "Id of the sub-account user.",
    "addressName": "Label of the address in the address book.",
    "countryCode": "Two-letter ISO country code.",
    "stopLimitPrice": "Limit price of the stop order, which makes it a stop-limit order; needs ``stopLimitTimeInForce``.",
    "stopLimitTimeInForce": "``GTC``, ``FOK`` or ``IOC`` for the stop-limit order; needed with ``stopLimitPrice``.",
    "fromAccountType": "Account the funds leave.",
    "toAccountType": "Account the funds go to.",
}
"""Parameters that mean the same on every endpoint that has them (/api/v3, WebSocket API, /sapi)."""

SPOT: dict[str, str] = {
    "symbols": (
        "Several trading pairs at once, such as ``[\"BTCUSDT\", \"ETHUSDT\"]`` (at most 100); cannot be "
        "combined with ``symbol``."
    ),
    "symbolStatus": (
        "Only symbols whose trading status is this one (``TRADING``, ``HALT`` or ``BREAK``); for a "
        "single symbol with another status Binance answers error -1220, in a list such symbols are left out."
    ),
    "limit": "Most rows to return: 500 when left out, at most 1000.",
    "fromId": "Trade id to start from (inclusive); the most recent trades when left out.",
    "orderId": "Binance's id of the order; send this or ``origClientOrderId`` (both: they must name the same order).",
    "origClientOrderId": (
        "Client order id the order was placed with; send this or ``orderId`` (both: they must name "
        "the same order)."
    ),
    "newClientOrderId": (
        "Your own id for the order, unique among open orders (1 to 36 letters, digits or ``.:/_-``); "
        "generated when left out, so an order whose outcome is unknown can still be looked up."
    ),
    "side": "``BUY`` or ``SELL``.",
    "type": (
        "Order type: ``LIMIT``, ``MARKET``, ``STOP_LOSS``, ``STOP_LOSS_LIMIT``, ``TAKE_PROFIT``, "
        "``TAKE_PROFIT_LIMIT`` or ``LIMIT_MAKER``; it decides which other parameters are needed."
    ),
    "timeInForce": (
        "How long the order works: ``GTC`` (until cancelled), ``IOC`` (fill what can be filled at once, "
        "cancel the rest) or ``FOK`` (fill everything at once or nothing); needed by LIMIT, "
        "STOP_LOSS_LIMIT and TAKE_PROFIT_LIMIT orders, refused by the others."
    ),
    "quantity": (
        "Quantity of the base asset; needed by every type except MARKET, which takes this or "
        "``quoteOrderQty`` (not both)."
    ),
    "quoteOrderQty": (
        "MARKET orders only: amount of the quote asset to spend (BUY) or to receive (SELL) instead "
        "of a base quantity; cannot be combined with ``quantity``."
    ),
    "price": (
        "Limit price in the quote asset; needed by LIMIT, STOP_LOSS_LIMIT, TAKE_PROFIT_LIMIT and "
        "LIMIT_MAKER orders unless ``pegPriceType`` is given, refused by MARKET, STOP_LOSS and TAKE_PROFIT."
    ),
    "stopPrice": (
        "Price that triggers a STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT or TAKE_PROFIT_LIMIT order; "
        "those types need this, ``trailingDelta`` or both. Refused by the other types."
    ),
    "trailingDelta": (
        "Trailing distance in basis points (100 = 1%), above zero; makes a stop or take-profit order "
        "trail the market. Those types need this, ``stopPrice`` or both."
    ),
    "icebergQty": (
        "Quantity shown in the book for an iceberg order; only with ``timeInForce=GTC`` or a "
        "LIMIT_MAKER order."
    ),
    "strategyId": "Your own number tagging the strategy that placed the order.",
    "strategyType": "Your own number for the kind of strategy; at least 1000000 (lower values are reserved).",
    "newOrderRespType": (
        "How much the answer says: ``ACK``, ``RESULT`` or ``FULL`` (with the fills); the return type "
        "follows it. When left out MARKET and LIMIT orders answer FULL, other types ACK."
    ),
    "selfTradePreventionMode": (
        "What happens when the order would trade with an order of the same account or trade group: "
        "``EXPIRE_TAKER``, ``EXPIRE_MAKER``, ``EXPIRE_BOTH``, ``DECREMENT``, ``TRANSFER`` or ``NONE``; "
        "the symbol's default mode when left out."
    ),
    "pegPriceType": (
        "Peg the price to the book instead of sending one: ``PRIMARY_PEG`` follows the best price on "
        "the order's own side, ``MARKET_PEG`` the best price on the other side."
    ),
    "pegOffsetValue": "How many price levels away from the pegged price (0 to 100); goes with ``pegOffsetType``.",
    "pegOffsetType": "Unit of ``pegOffsetValue``: only ``PRICE_LEVEL``; goes with ``pegOffsetValue``.",
    "computeCommissionRates": (
        "True to get the commission rates the order would pay (weight 20 instead of 1); false when left out."
    ),
    "cancelRestrictions": (
        "Cancel only if the order's status is ``NEW`` (``ONLY_NEW``) or ``PARTIALLY_FILLED`` "
        "(``ONLY_PARTIALLY_FILLED``); otherwise the cancel fails. Any status when left out."
    ),
    "listClientOrderId": (
        "Your own id for the order list, unique among open order lists; generated when left out."
    ),
    "orderListId": "Binance's id of the order list; send this or the list's client id.",
    "interval": (
        "Candle length: ``1s``, ``1m``, ``3m``, ``5m``, ``15m``, ``30m``, ``1h``, ``2h``, ``4h``, ``6h``, "
        "``8h``, ``12h``, ``1d``, ``3d``, ``1w`` or ``1M``."
    ),
    "timeZone": (
        "Time zone in which candle boundaries are cut, as hours (``8``) or hours and minutes "
        "(``-1:00``, ``05:45``) between -12:00 and +14:00; UTC (``0``) when left out. ``startTime`` and "
        "``endTime`` stay in UTC."
    ),
    "preventedMatchId": "Id of one prevented match to read (with ``symbol``).",
    "fromPreventedMatchId": "Prevented match id to start from (inclusive); goes with ``orderId``.",
    "fromAllocationId": "Allocation id to start from (inclusive).",
    "fromExecutionId": "Amendment execution id to start from (inclusive).",
    "omitZeroBalances": "True to list only assets with a non-zero balance; false when left out.",
    "subscriptionId": (
        "Id of the user data subscription to close (as returned by ``subscribe``); every subscription "
        "of the connection when left out."
    ),
}
"""/api/v3 and WebSocket API meanings (these names mean other things on some /sapi endpoints)."""

SAPI_FROM_SPOT = frozenset({
    "newOrderRespType", "selfTradePreventionMode", "listClientOrderId", "newClientOrderId", "origClientOrderId",
    "stopPrice", "timeInForce", "icebergQty", "orderListId", "quoteOrderQty", "trailingDelta",
    "preventedMatchId", "fromPreventedMatchId",
})
"""Order parameters whose /api/v3 meaning holds on the /sapi order endpoints (margin orders) too."""

SAPI: dict[str, str] = {
    "fromId": "Id to start from (inclusive).",
    "limitPrice": "Limit price of the order.",
    "side": "``BUY`` or ``SELL``.",
}
"""/sapi meanings of names that mean something narrower on /api/v3."""

LEGS: dict[str, str] = {
    "working": "the working order (placed at once)",
    "pending": "the pending order (placed once the working order fills)",
    "pendingAbove": "the pending order priced above (placed once the working order fills)",
    "pendingBelow": "the pending order priced below (placed once the working order fills)",
    "above": "the order priced above the other",
    "below": "the order priced below the other",
    "limit": "the limit (LIMIT_MAKER) order of the pair",
    "stop": "the stop-loss order of the pair",
}
"""Prefixes of order-list parameters and the leg each names (``workingPrice`` -> the working order)."""

LEG_FIELDS: dict[str, str] = {
    "Type": "Order type of {leg}.",
    "Side": "``BUY`` or ``SELL`` for {leg}.",
    "ClientOrderId": "Your own id for {leg}, unique among open orders; generated when left out.",
    "Price": (
        "Limit price of {leg}; used when ``{p}Type`` is a limit type (LIMIT, STOP_LOSS_LIMIT, "
        "TAKE_PROFIT_LIMIT, LIMIT_MAKER) and not pegged."
    ),
    "StopPrice": (
        "Trigger price of {leg} when ``{p}Type`` is a stop-loss or take-profit type; such a leg needs "
        "this, ``{p}TrailingDelta`` or both."
    ),
    "TrailingDelta": "Trailing distance of {leg} in basis points (100 = 1%); an alternative or addition to ``{p}StopPrice``.",
    "Quantity": "Quantity of the base asset for {leg}.",
    "IcebergQty": "Visible quantity of {leg} as an iceberg; only with ``{p}TimeInForce=GTC`` or a LIMIT_MAKER leg.",
    "TimeInForce": "``GTC``, ``IOC`` or ``FOK`` for {leg}; needed when ``{p}Type`` is a limit type other than LIMIT_MAKER.",
    "StrategyId": "Your own number tagging the strategy of {leg}.",
    "StrategyType": "Your own strategy type for {leg}; at least 1000000.",
    "PegPriceType": "Peg {leg} to the book: ``PRIMARY_PEG`` (own side's best price) or ``MARKET_PEG`` (other side's).",
    "PegOffsetType": "Unit of ``{p}PegOffsetValue``: only ``PRICE_LEVEL``.",
    "PegOffsetValue": "Price levels between {leg} and the pegged price (0 to 100); goes with ``{p}PegOffsetType``.",
}

_ORDER_ID_PAIR = {
    "orderId": "Binance's id of the order; send this or ``origClientOrderId`` (both: they must name the same order).",
    "origClientOrderId": "Client id the order was placed with; send this or ``orderId``.",
}
_CANCEL_ID = "Your own id for this cancellation; generated when left out."
_TICKER_TYPE = (
    "``FULL`` (when left out) or ``MINI``, which leaves out the bid, ask and weighted-average "
    "fields; the return type follows it."
)
_LIST_RESP = {
    "newOrderRespType": (
        "How much the answer says about each order of the list: ``ACK``, ``RESULT`` or ``FULL``; the "
        "return type follows it."
    ),
}
_DAY_WINDOW = "; ``startTime`` and ``endTime`` may be at most 24 hours apart."
_SYMBOL_OR_SYMBOLS = "Trading pair, such as ``BTCUSDT``; send this or ``symbols``."

OVERRIDES: dict[str, dict[str, str]] = {
    "market.exchange_info": {
        "symbol": "Only this trading pair, such as ``BTCUSDT``; every symbol when nothing narrows the list.",
        "permissions": (
            "Only symbols trading under these permissions (``SPOT``, ``MARGIN``, ``LEVERAGED``...); "
            "cannot be combined with ``symbol`` or ``symbols``. SPOT, MARGIN and LEVERAGED when left out."
        ),
        "showPermissionSets": "False leaves each symbol's ``permissionSets`` empty; true when left out.",
        "symbolStatus": (
            "Only symbols whose trading status is this one (``TRADING``, ``HALT`` or ``BREAK``); cannot "
            "be combined with ``symbol`` or ``symbols``."
        ),
    },
    "market.execution_rules": {
        "symbol": "Only this trading pair; cannot be combined with the other parameters.",
        "symbols": "Only these trading pairs; cannot be combined with the other parameters.",
        "symbolStatus": (
            "Only symbols with this trading status (``TRADING``, ``HALT``, ``BREAK``); cannot be "
            "combined with the other parameters."
        ),
    },
    "market.depth": {
        "limit": (
            "Price levels per side: 100 when left out, at most 5000 (more is capped). The weight grows "
            "with it: 5 up to 100, 25 up to 500, 50 up to 1000, 250 above."
        ),
    },
    "market.historical_block_trades": {"fromId": "Block trade id to start from (inclusive); the most recent when left out."},
    "market.agg_trades": {
        "fromId": "Aggregate trade id to start from (inclusive).",
        "startTime": f"Aggregate trades from this time on, inclusive: {_TIME_MS}.",
        "endTime": f"Aggregate trades up to this time, inclusive: {_TIME_MS}.",
    },
    "market.klines": {
        "startTime": f"Open time of the first candle, inclusive: {_TIME_MS}; the latest candles when neither time is given.",
        "endTime": f"Latest open time to include: {_TIME_MS}.",
    },
    "market.ui_klines": {
        "startTime": f"Open time of the first candle, inclusive: {_TIME_MS}; the latest candles when neither time is given.",
        "endTime": f"Latest open time to include: {_TIME_MS}.",
    },
    "market.ticker_24hr": {
        "symbol": "Only this trading pair; every symbol when neither this nor ``symbols`` is given (weight 80).",
        "type": _TICKER_TYPE,
    },
    "market.ticker_trading_day": {
        "symbol": _SYMBOL_OR_SYMBOLS,
        "symbols": "Several trading pairs at once (at most 100); send this or ``symbol``.",
        "timeZone": (
            "Time zone that decides when the trading day starts, as hours (``8``) or hours and minutes "
            "(``-1:00``); UTC (``0``) when left out."
        ),
        "type": _TICKER_TYPE,
    },
    "market.ticker_price": {"symbol": "Only this trading pair; every symbol when neither this nor ``symbols`` is given."},
    "market.book_ticker": {"symbol": "Only this trading pair; every symbol when neither this nor ``symbols`` is given."},
    "market.ticker": {
        "symbol": _SYMBOL_OR_SYMBOLS,
        "symbols": "Several trading pairs at once (at most 100); send this or ``symbol``.",
        "windowSize": (
            "Length of the rolling window: ``1m`` to ``59m``, ``1h`` to ``23h`` or ``1d`` to ``7d`` (one "
            "unit only); ``1d`` when left out."
        ),
        "type": _TICKER_TYPE,
    },
    "trade.cancel_order": {**_ORDER_ID_PAIR, "newClientOrderId": _CANCEL_ID},
    "trade.cancel_order_list": {
        "orderListId": "Binance's id of the order list; send this or ``listClientOrderId``.",
        "listClientOrderId": "Client id of the order list; send this or ``orderListId``.",
        "newClientOrderId": _CANCEL_ID,
    },
    "trade.cancel_replace_order": {
        "cancelReplaceMode": (
            "``STOP_ON_FAILURE``: no new order when the cancel fails; ``ALLOW_FAILURE``: place the new "
            "order even if the cancel fails."
        ),
        "cancelNewClientOrderId": _CANCEL_ID,
        "cancelOrigClientOrderId": (
            "Client id of the order to cancel; send this or ``cancelOrderId`` (both: they must name the same order)."
        ),
        "cancelOrderId": "Binance's id of the order to cancel; send this or ``cancelOrigClientOrderId``.",
        "orderRateLimitExceededMode": (
            "``DO_NOTHING`` (when left out): cancel only while the unfilled-order count is under its "
            "limit; ``CANCEL_ONLY``: always cancel."
        ),
    },
    "trade.amend_order_keep_priority": {
        **_ORDER_ID_PAIR,
        "newClientOrderId": "Client id the order has after the amendment (may be its current one); generated when left out.",
        "newQty": "The order's new quantity: above zero and below its current quantity.",
    },
    "trade.new_sor_order": {
        "type": "``LIMIT`` or ``MARKET`` (the only types SOR places).",
        "quantity": "Quantity of the base asset (SOR takes no ``quoteOrderQty``).",
        "newOrderRespType": "``ACK``, ``RESULT`` or ``FULL`` (when left out); the return type follows it.",
    },
    "trade.test_new_sor_order": {
        "type": "``LIMIT`` or ``MARKET`` (the only types SOR places).",
        "quantity": "Quantity of the base asset (SOR takes no ``quoteOrderQty``).",
        "newOrderRespType": "``ACK``, ``RESULT`` or ``FULL`` (when left out).",
    },
    "trade.new_oco_deprecated": {
        "side": "``BUY`` or ``SELL`` for both orders of the pair.",
        "quantity": "Quantity of each of the two orders.",
        "price": "Limit price of the LIMIT_MAKER order.",
        "stopPrice": "Trigger price of the stop-loss order; this, ``trailingDelta`` or both are needed.",
        "trailingDelta": "Trailing distance of the stop-loss order in basis points (100 = 1%).",
        "stopLimitPrice": "Limit price of the stop order, making it STOP_LOSS_LIMIT; needs ``stopLimitTimeInForce``.",
        "stopLimitTimeInForce": "``GTC``, ``FOK`` or ``IOC`` for the stop-limit order; needed with ``stopLimitPrice``.",
        "listClientOrderId": "Your own id for the order list; generated when left out.",
        **_LIST_RESP,
    },
    "trade.new_order_list_oco": {
        "side": "``BUY`` or ``SELL`` for both orders.",
        "quantity": "Quantity of each of the two orders.",
        **_LIST_RESP,
    },
    "trade.new_order_list_oto": dict(_LIST_RESP),
    "trade.new_order_list_otoco": dict(_LIST_RESP),
    "trade.new_order_list_opo": dict(_LIST_RESP),
    "trade.new_order_list_opoco": dict(_LIST_RESP),
    **{
        f"margin.{name}": {"newOrderRespType": "How much the answer says about each order: ``ACK``, ``RESULT`` or ``FULL``."}
        for name in ("new_oco", "new_oto", "new_otoco")
    },
    "trade.test_new_order": {
        "newOrderRespType": (
            "``ACK``, ``RESULT`` or ``FULL``, checked as for new_order; a test order's answer does not "
            "depend on it."
        ),
    },
    "wallet.withdraw": {
        "name": "Label of the address in your address book.",
        "walletType": "Wallet that pays: ``0`` for the spot wallet, ``1`` for the funding wallet.",
    },
    "dual_investment.subscribe": {
        "id": "Id of the product offer, as listed by ``products``.",
        "orderId": "Order id that comes with the product offer in ``products``.",
        "depositAmount": "Amount to invest.",
    },
    "account.get_all_orders": {
        "orderId": "Orders from this id on (inclusive); the most recent orders when left out.",
        "startTime": f"Orders placed from this time on: {_TIME_MS}{_DAY_WINDOW}",
        "endTime": f"Orders placed up to this time: {_TIME_MS}{_DAY_WINDOW}",
    },
    "account.get_order": dict(_ORDER_ID_PAIR),
    "account.get_order_list": {
        "orderListId": "Binance's id of the order list; send this or ``origClientOrderId``.",
        "origClientOrderId": "The list's client id (its ``listClientOrderId``); send this or ``orderListId``.",
    },
    "account.get_all_order_lists": {
        "fromId": "Order list id to start from (inclusive); cannot be combined with ``startTime`` or ``endTime``.",
        "startTime": f"Order lists from this time on: {_TIME_MS}{_DAY_WINDOW}",
        "endTime": f"Order lists up to this time: {_TIME_MS}{_DAY_WINDOW}",
    },
    "account.get_open_orders": {"symbol": "Only this trading pair; every symbol when left out (weight 80)."},
    "account.my_trades": {
        "orderId": "Only the trades of this order.",
        "fromId": "Trade id to start from (inclusive); the most recent trades when left out.",
        "startTime": f"Trades from this time on: {_TIME_MS}{_DAY_WINDOW}",
        "endTime": f"Trades up to this time: {_TIME_MS}{_DAY_WINDOW}",
    },
    "account.my_prevented_matches": {
        "orderId": "Prevented matches of this order (with ``fromPreventedMatchId`` to page).",
    },
    "account.my_allocations": {
        "orderId": "Only the allocations of this order.",
        "startTime": f"Allocations from this time on: {_TIME_MS}{_DAY_WINDOW}",
        "endTime": f"Allocations up to this time: {_TIME_MS}{_DAY_WINDOW}",
    },
    "account.order_amendments": {"orderId": "Binance's id of the amended order."},
}
"""Texts that differ from the glossaries for one endpoint (keyed ``"group.method"``)."""


def _leg(name: str) -> str | None:
    for prefix in sorted(LEGS, key=len, reverse=True):
        rest = name[len(prefix):]
        if name.startswith(prefix) and rest in LEG_FIELDS:
            return LEG_FIELDS[rest].format(leg=LEGS[prefix], p=prefix)
    return None


def describe(dotted: str, name: str, spot: bool = True) -> str | None:
    """The text for parameter ``name`` of ``dotted`` (``"market.klines"``), or None if unknown.

    ``spot`` is False for /sapi endpoints: there only the order parameters of ``SAPI_FROM_SPOT`` take
    the /api/v3 text (the generator composes the missing texts from the catalogue).
    """
    text = OVERRIDES.get(dotted, {}).get(name)
    if text is None and (spot or name in SAPI_FROM_SPOT):
        text = SPOT.get(name)
    if text is None and not spot:
        text = SAPI.get(name)
    if text is None:
        text = COMMON.get(name) or CALL_OPTIONS.get(name)
    if text is None:
        text = _leg(name)
    return text
