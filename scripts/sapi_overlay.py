"""The hand-kept overlay of the /sapi generator: what the catalogue (spec/sapi/catalogue.json) gets
wrong or does not say. Read by scripts/_gen_sapi.py; keep it small and factual.

- ``GROUPS``: catalogue product -> client group (``client.<group>``).
- ``NAMES``: ``"VERB /path"`` -> method name, where the mechanical name (the package method name
  with ``get_``/``query_`` and the product's own words removed) reads poorly.
- ``STRIP``: words removed from the mechanical names of one group.
- ``MONEY``: endpoints that move money or place an order besides those the rule in
  ``moves_money`` finds; ``NOT_MONEY``: non-GET endpoints the rule would wrongly mark.
- ``CLIENT_ID``: the client-side id parameter generated when the caller sends none (it travels
  with :class:`~binance_typed.error.ExecutionStatusUnknown`).
- ``WEIGHT_RULES``: weights that depend on a parameter: (parameter, values that select
  ``heavy`` or None for "given", light weight, heavy weight).
- ``DECIMAL_FIELDS`` / ``NOT_DECIMAL_FIELDS``: response leaf names forced to / kept from Decimal.
- ``KEYS_ARE_DATA``: response paths whose object keys are data (a ``dict[str, Model]``).
"""

from __future__ import annotations

GROUPS: dict[str, str] = {
    "wallet": "wallet",
    "margin_trading": "margin",
    "sub_account": "sub_account",
    "simple_earn": "simple_earn",
    "staking": "staking",
    "mining": "mining",
    "convert": "convert",
    "crypto_loan": "crypto_loan",
    "vip_loan": "vip_loan",
    "algo": "algo",
    "c2c": "c2c",
    "fiat": "fiat",
    "gift_card": "gift_card",
    "pay": "pay",
    "rebate": "rebate",
    "nft": "nft",
    "copy_trading": "copy_trading",
    "dual_investment": "dual_investment",
    "portfolio_margin_pro": "portfolio_margin",
}

GROUP_DOCS: dict[str, str] = {
    "wallet": "Wallet: coins, deposits, withdrawals, transfers, dust, fees and account status.",
    "margin": "Margin trading: cross and isolated accounts, borrow/repay, margin orders, listen keys.",
    "sub_account": "Sub-accounts: creation, API keys, assets, transfers and managed sub-accounts.",
    "simple_earn": "Simple Earn: flexible and locked products, BFUSD and RWUSD, yield arena.",
    "staking": "Staking: ETH, SOL, soft staking and on-chain yields.",
    "mining": "Mining pool: algorithms, workers, earnings and hashrate resale.",
    "convert": "Convert: quotes, accepting them, limit orders and trade history.",
    "crypto_loan": "Crypto loans (flexible rate): borrow, repay, LTV and history.",
    "vip_loan": "VIP loans: borrow, renew, repay, collateral and rates.",
    "algo": "Algorithmic orders: TWAP and volume participation on spot and futures.",
    "c2c": "C2C (peer-to-peer) trade history.",
    "fiat": "Fiat deposits, withdrawals and payment history.",
    "gift_card": "Binance gift cards: create, redeem, verify.",
    "pay": "Binance Pay trade history.",
    "rebate": "Spot rebate history.",
    "nft": "NFT assets, deposits, withdrawals and transactions.",
    "copy_trading": "Futures copy trading: lead trader status and symbols.",
    "dual_investment": "Dual investment: products, positions and subscriptions.",
    "portfolio_margin": "Portfolio Margin Pro (the /sapi part): account, collateral, loans, transfers.",
}

STRIP: dict[str, tuple[str, ...]] = {
    "margin": ("margin_accounts_", "margin_account_", "_in_margin_account", "_in_cross_margin_pro_mode"),
    "sub_account": ("_for_a_sub_account", "_for_sub_account", "_of_sub_account", "_on_sub_accounts", "sub_accounts_"),
    "simple_earn": ("simple_earn_",),
    "nft": ("nft_",),
    "portfolio_margin": ("portfolio_margin_pro_", "_for_portfolio_margin", "portfolio_margin_"),
    "crypto_loan": ("flexible_loan_",),
    "vip_loan": ("vip_loan_",),
    "dual_investment": ("_dual_investment",),
    "gift_card": ("binance_",),
}

# Word rewrites in the mechanical names of one group: (old, new), applied in order.
REWRITE: dict[str, tuple[tuple[str, str], ...]] = {
    "staking": (("on_chain_yields_locked_product_list", "onchain_products"),
                ("on_chain_yields_locked_product_", "onchain_"), ("on_chain_yields_locked_", "onchain_"),
                ("on_chain_yields_", "onchain_"), ("_on_chain_yields_locked_product", "_onchain"),
                ("_on_chain_yields_locked", "_onchain")),
    "margin": (("margin_interest_rate_history", "interest_rate_history"),
               ("future_hourly_interest_rate", "next_hourly_interest_rate"),
               ("margin_asset_risk_based_liquidation_ratio", "risk_based_liquidation_ratio"),
               ("cross_isolated_margin_capital_flow", "capital_flow"),
               ("margin_available_inventory", "available_inventory"),
               ("margin_restricted_assets", "restricted_assets")),
}

NAMES: dict[str, str] = {
    # wallet
    "GET /sapi/v1/capital/config/getall": "all_coins",
    "GET /sapi/v1/capital/deposit/address": "deposit_address",
    "GET /sapi/v1/capital/deposit/address/list": "deposit_addresses",
    "GET /sapi/v1/capital/deposit/hisrec": "deposit_history",
    "POST /sapi/v1/capital/deposit/credit-apply": "deposit_credit_apply",
    "POST /sapi/v1/capital/withdraw/apply": "withdraw",
    "GET /sapi/v1/capital/withdraw/history": "withdraw_history",
    "GET /sapi/v1/capital/withdraw/address/list": "withdraw_addresses",
    "GET /sapi/v1/capital/withdraw/quota": "withdraw_quota",
    "POST /sapi/v1/asset/transfer": "universal_transfer",
    "GET /sapi/v1/asset/transfer": "universal_transfer_history",
    "GET /sapi/v1/asset/wallet/balance": "wallet_balance",
    "POST /sapi/v3/asset/getUserAsset": "user_asset",
    "POST /sapi/v1/asset/get-funding-asset": "funding_asset",
    "GET /sapi/v1/asset/assetDetail": "asset_detail",
    "GET /sapi/v1/asset/tradeFee": "trade_fee",
    "GET /sapi/v1/asset/dribblet": "dust_log",
    "POST /sapi/v1/asset/dust": "dust_transfer",
    "POST /sapi/v1/asset/dust-btc": "dust_assets",
    "POST /sapi/v1/bnbBurn": "set_bnb_burn",
    "GET /sapi/v1/account/status": "account_status",
    "GET /sapi/v1/account/apiTradingStatus": "api_trading_status",
    "GET /sapi/v1/account/apiRestrictions": "api_restrictions",
    "GET /sapi/v1/accountSnapshot": "account_snapshot",
    "GET /sapi/v1/asset/assetDividend": "dividend_history",
    "GET /sapi/v1/spot/delist-schedule": "spot_delist_schedule",
    "POST /sapi/v1/localentity/withdraw/apply": "travel_rule_withdraw",
    "POST /sapi/v1/localentity/broker/withdraw/apply": "broker_withdraw",
    "GET /sapi/v1/localentity/withdraw/history": "travel_rule_withdraw_history",
    "GET /sapi/v2/localentity/withdraw/history": "travel_rule_withdraw_history_v2",
    "GET /sapi/v1/localentity/deposit/history": "travel_rule_deposit_history",
    "GET /sapi/v2/localentity/deposit/history": "travel_rule_deposit_history_v2",
    "PUT /sapi/v1/localentity/deposit/provide-info": "travel_rule_deposit_questionnaire",
    "PUT /sapi/v2/localentity/deposit/provide-info": "travel_rule_deposit_questionnaire_v2",
    "PUT /sapi/v1/localentity/broker/deposit/provide-info": "broker_deposit_questionnaire",
    "GET /sapi/v1/localentity/questionnaire-requirements": "questionnaire_requirements",
    # margin
    "POST /sapi/v1/margin/borrow-repay": "borrow_repay",
    "GET /sapi/v1/margin/borrow-repay": "borrow_repay_history",
    "GET /sapi/v1/margin/account": "account",
    "GET /sapi/v1/margin/isolated/account": "isolated_account",
    "POST /sapi/v1/margin/isolated/account": "enable_isolated_account",
    "DELETE /sapi/v1/margin/isolated/account": "disable_isolated_account",
    "GET /sapi/v1/margin/isolated/accountLimit": "isolated_account_limit",
    "GET /sapi/v1/margin/maxBorrowable": "max_borrowable",
    "GET /sapi/v1/margin/maxTransferable": "max_transferable",
    "GET /sapi/v1/margin/transfer": "transfer_history",
    "POST /sapi/v1/margin/order": "new_order",
    "GET /sapi/v1/margin/order": "get_order",
    "DELETE /sapi/v1/margin/order": "cancel_order",
    "GET /sapi/v1/margin/openOrders": "open_orders",
    "DELETE /sapi/v1/margin/openOrders": "cancel_open_orders",
    "GET /sapi/v1/margin/allOrders": "all_orders",
    "GET /sapi/v1/margin/myTrades": "my_trades",
    "POST /sapi/v1/margin/order/oco": "new_oco",
    "POST /sapi/v1/margin/order/oto": "new_oto",
    "POST /sapi/v1/margin/order/otoco": "new_otoco",
    "GET /sapi/v1/margin/orderList": "get_order_list",
    "DELETE /sapi/v1/margin/orderList": "cancel_order_list",
    "GET /sapi/v1/margin/allOrderList": "all_order_lists",
    "GET /sapi/v1/margin/openOrderList": "open_order_lists",
    "GET /sapi/v1/margin/oto/openOrderList": "open_oto_order_lists",
    "GET /sapi/v1/margin/priceIndex": "price_index",
    "GET /sapi/v1/margin/crossMarginData": "cross_margin_fee_data",
    "GET /sapi/v1/margin/isolatedMarginData": "isolated_margin_fee_data",
    "GET /sapi/v1/margin/allAssets": "all_assets",
    "GET /sapi/v1/margin/allPairs": "all_pairs",
    "GET /sapi/v1/margin/isolated/allPairs": "isolated_all_pairs",
    "GET /sapi/v1/margin/leverageBracket": "leverage_bracket",
    "GET /sapi/v1/margin/rateLimit/order": "order_rate_limit",
    "POST /sapi/v1/margin/max-leverage": "set_max_leverage",
    "GET /sapi/v1/margin/tradeCoeff": "trade_coeff",
    "GET /sapi/v1/bnbBurn": "bnb_burn_status",
    "POST /sapi/v1/margin/listen-key": "new_listen_key",
    "PUT /sapi/v1/margin/listen-key": "renew_listen_key",
    "DELETE /sapi/v1/margin/listen-key": "close_listen_key",
    "POST /sapi/v2/margin/listen-key": "new_listen_key_v2",
    "PUT /sapi/v2/margin/listen-key": "renew_listen_key_v2",
    "DELETE /sapi/v2/margin/listen-key": "close_listen_key_v2",
    "POST /sapi/v1/margin/manual-liquidation": "manual_liquidation",
    "GET /sapi/v1/margin/myPreventedMatches": "prevented_matches",
    # sub-account
    "POST /sapi/v1/sub-account/universalTransfer": "universal_transfer",
    "GET /sapi/v1/sub-account/universalTransfer": "universal_transfer_history",
    "GET /sapi/v1/sub-account/list": "list_sub_accounts",
    "POST /sapi/v1/sub-account/virtualSubAccount": "create_virtual",
    "GET /sapi/v3/sub-account/assets": "assets",
    "GET /sapi/v4/sub-account/assets": "assets_v4",
    "POST /sapi/v1/sub-account/transfer/subToMaster": "transfer_to_master",
    "POST /sapi/v1/sub-account/transfer/subToSub": "transfer_to_sub",
    "POST /sapi/v1/sub-account/futures/transfer": "futures_transfer",
    "POST /sapi/v1/sub-account/margin/transfer": "margin_transfer",
    "POST /sapi/v1/sub-account/futures/internalTransfer": "futures_internal_transfer",
    "GET /sapi/v1/sub-account/futures/internalTransfer": "futures_internal_transfer_history",
    "POST /sapi/v1/managed-subaccount/deposit": "managed_deposit",
    "POST /sapi/v1/managed-subaccount/withdraw": "managed_withdraw",
    "GET /sapi/v1/capital/deposit/subAddress": "deposit_address",
    "GET /sapi/v1/capital/deposit/subHisrec": "deposit_history",
    "GET /sapi/v1/sub-account/spotSummary": "spot_summary",
    "GET /sapi/v1/sub-account/sub/transfer/history": "spot_transfer_history",
    "GET /sapi/v1/sub-account/transfer/subUserHistory": "transfer_history",
    "GET /sapi/v1/sub-account/status": "status",
    "GET /sapi/v1/sub-account/futures/accountSummary": "futures_account_summary",
    "GET /sapi/v2/sub-account/futures/accountSummary": "futures_account_summary_v2",
    "GET /sapi/v1/sub-account/margin/accountSummary": "margin_account_summary",
    "GET /sapi/v1/sub-account/futures/account": "futures_account",
    "GET /sapi/v2/sub-account/futures/account": "futures_account_v2",
    "GET /sapi/v1/sub-account/margin/account": "margin_account",
    "POST /sapi/v1/sub-account/subAccountApi": "create_api_key",
    "GET /sapi/v1/sub-account/subAccountApi": "api_key",
    "DELETE /sapi/v1/sub-account/subAccountApi": "delete_api_key",
    "POST /sapi/v1/sub-account/subAccountApiPermission": "set_api_key_permission",
    "GET /sapi/v1/sub-account/subAccountApi/ipRestriction": "api_key_ip_restriction",
    "POST /sapi/v2/sub-account/subAccountApi/ipRestriction": "add_api_key_ip_restriction",
    "DELETE /sapi/v1/sub-account/subAccountApi/ipRestriction/ipList": "delete_api_key_ip_list",
    "GET /sapi/v1/sub-account/transaction-statistics": "transaction_statistics",
    "GET /sapi/v1/managed-subaccount/accountSnapshot": "managed_snapshot",
    "GET /sapi/v1/managed-subaccount/asset": "managed_assets",
    "GET /sapi/v1/managed-subaccount/deposit/address": "managed_deposit_address",
    "GET /sapi/v1/managed-subaccount/fetch-future-asset": "managed_futures_assets",
    "GET /sapi/v1/managed-subaccount/info": "managed_list",
    "GET /sapi/v1/managed-subaccount/marginAsset": "managed_margin_assets",
    "GET /sapi/v1/managed-subaccount/query-trans-log": "managed_transfer_log",
    "GET /sapi/v1/managed-subaccount/queryTransLogForInvestor": "managed_transfer_log_investor",
    "GET /sapi/v1/managed-subaccount/queryTransLogForTradeParent": "managed_transfer_log_trade_parent",
    # simple earn
    "GET /sapi/v1/simple-earn/account": "account",
    "GET /sapi/v1/simple-earn/flexible/list": "flexible_products",
    "GET /sapi/v1/simple-earn/locked/list": "locked_products",
    "GET /sapi/v1/simple-earn/flexible/position": "flexible_position",
    "GET /sapi/v1/simple-earn/locked/position": "locked_position",
    "POST /sapi/v1/simple-earn/flexible/subscribe": "subscribe_flexible",
    "POST /sapi/v1/simple-earn/locked/subscribe": "subscribe_locked",
    "POST /sapi/v1/simple-earn/flexible/redeem": "redeem_flexible",
    "POST /sapi/v1/simple-earn/locked/redeem": "redeem_locked",
    "GET /sapi/v1/simple-earn/flexible/history/rateHistory": "flexible_rate_history",
    "GET /sapi/v1/simple-earn/flexible/history/collateralRecord": "flexible_collateral_record",
    # convert
    "POST /sapi/v1/convert/getQuote": "get_quote",
    "POST /sapi/v1/convert/acceptQuote": "accept_quote",
    "GET /sapi/v1/convert/orderStatus": "order_status",
    "GET /sapi/v1/convert/exchangeInfo": "exchange_info",
    "GET /sapi/v1/convert/assetInfo": "asset_info",
    "GET /sapi/v1/convert/tradeFlow": "trade_history",
    "POST /sapi/v1/convert/limit/placeOrder": "place_limit_order",
    "POST /sapi/v1/convert/limit/cancelOrder": "cancel_limit_order",
    "GET /sapi/v1/convert/limit/queryOpenOrders": "limit_open_orders",
    # algo
    "POST /sapi/v1/algo/futures/newOrderTwap": "futures_twap_order",
    "POST /sapi/v1/algo/futures/newOrderVp": "futures_vp_order",
    "POST /sapi/v1/algo/spot/newOrderTwap": "spot_twap_order",
    "POST /sapi/v1/algo/spot/newOrderVp": "spot_vp_order",
    "GET /sapi/v1/algo/futures/historicalOrders": "futures_historical_orders",
    "GET /sapi/v1/algo/spot/historicalOrders": "spot_historical_orders",
    "GET /sapi/v1/algo/futures/openOrders": "futures_open_orders",
    "GET /sapi/v1/algo/spot/openOrders": "spot_open_orders",
    "DELETE /sapi/v1/algo/futures/order": "cancel_futures_order",
    "DELETE /sapi/v1/algo/spot/order": "cancel_spot_order",
    "GET /sapi/v1/algo/futures/subOrders": "futures_sub_orders",
    "GET /sapi/v1/algo/spot/subOrders": "spot_sub_orders",
    # small groups
    "GET /sapi/v1/c2c/orderMatch/listUserOrderHistory": "trade_history",
    "GET /sapi/v1/pay/transactions": "trade_history",
    "GET /sapi/v1/rebate/taxQuery": "rebate_history",
    "POST /sapi/v1/fiat/deposit": "deposit",
    "POST /sapi/v2/fiat/withdraw": "withdraw",
    "GET /sapi/v1/fiat/orders": "orders",
    "GET /sapi/v1/fiat/payments": "payments",
    "GET /sapi/v1/fiat/get-order-detail": "order_detail",
    "POST /sapi/v1/giftcard/createCode": "create_code",
    "POST /sapi/v1/giftcard/buyCode": "buy_code",
    "POST /sapi/v1/giftcard/redeemCode": "redeem_code",
    "GET /sapi/v1/giftcard/verify": "verify",
    "GET /sapi/v1/giftcard/cryptography/rsa-public-key": "rsa_public_key",
    "GET /sapi/v1/giftcard/buyCode/token-limit": "token_limit",
    "GET /sapi/v1/copyTrading/futures/leadSymbol": "lead_symbols",
    "GET /sapi/v1/copyTrading/futures/userStatus": "lead_trader_status",
    "GET /sapi/v1/dci/product/list": "products",
    "GET /sapi/v1/dci/product/accounts": "accounts",
    "GET /sapi/v1/dci/product/positions": "positions",
    "POST /sapi/v1/dci/product/subscribe": "subscribe",
    "POST /sapi/v2/loan/flexible/borrow": "borrow",
    "POST /sapi/v2/loan/flexible/repay": "repay",
    "POST /sapi/v2/loan/flexible/adjust/ltv": "adjust_ltv",
    "POST /sapi/v1/loan/vip/borrow": "borrow",
    "POST /sapi/v1/loan/vip/fixed/borrow": "fixed_rate_borrow",
    "POST /sapi/v1/loan/vip/renew": "renew",
    "POST /sapi/v1/loan/vip/repay": "repay",
    "GET /sapi/v1/portfolio/account": "account",
    "GET /sapi/v2/portfolio/account": "span_account",
    "GET /sapi/v1/portfolio/balance": "balance",
    "POST /sapi/v1/portfolio/repay": "bankruptcy_loan_repay",
    "GET /sapi/v1/mining/pub/algoList": "algorithms",
    "GET /sapi/v1/mining/pub/coinList": "coins",
    "GET /sapi/v1/mining/worker/list": "workers",
    "GET /sapi/v1/mining/worker/detail": "worker_detail",
}

# Non-GET paths matching any of these words move money or place an order (see MONEY/NOT_MONEY).
MONEY_WORDS: tuple[str, ...] = (
    "withdraw", "transfer", "borrow", "repay", "subscribe", "redeem", "acceptQuote", "placeOrder",
    "newOrder", "/order", "createCode", "buyCode", "redeemCode", "/dust", "deposit", "stake", "wrap",
    "claim", "collection", "liquidation", "exchange-small-liability", "move-position", "renew",
    "adjust/ltv", "hash-transfer/config",
)
MONEY: frozenset[str] = frozenset({
    "POST /sapi/v1/eth-staking/wbeth/wrap",
})
NOT_MONEY: frozenset[str] = frozenset({
    "DELETE /sapi/v1/margin/orderList",
    "POST /sapi/v1/portfolio/repay-futures-switch",
    "DELETE /sapi/v1/margin/order",
    "DELETE /sapi/v1/algo/futures/order",
    "DELETE /sapi/v1/algo/spot/order",
    "PUT /sapi/v1/localentity/deposit/provide-info",
    "PUT /sapi/v2/localentity/deposit/provide-info",
    "PUT /sapi/v1/localentity/broker/deposit/provide-info",
    "POST /sapi/v1/asset/dust-btc",
    "POST /sapi/v1/asset/dust-convert/query-convertible-assets",
    "POST /sapi/v1/mining/hash-transfer/config/cancel",
    "POST /sapi/v1/simple-earn/flexible/setAutoSubscribe",
    "POST /sapi/v1/simple-earn/locked/setAutoSubscribe",
    "POST /sapi/v1/onchain-yields/locked/setAutoSubscribe",
    "POST /sapi/v1/sub-account/subAccountApi/ipRestriction",
})

CLIENT_ID: dict[str, str] = {
    "POST /sapi/v1/capital/withdraw/apply": "withdrawOrderId",
    "POST /sapi/v1/localentity/withdraw/apply": "withdrawOrderId",
    "POST /sapi/v1/sub-account/universalTransfer": "clientTranId",
    "POST /sapi/v1/margin/order": "newClientOrderId",
    "POST /sapi/v1/margin/order/oco": "listClientOrderId",
    "POST /sapi/v1/margin/order/oto": "listClientOrderId",
    "POST /sapi/v1/margin/order/otoco": "listClientOrderId",
    "POST /sapi/v1/algo/futures/newOrderTwap": "clientAlgoId",
    "POST /sapi/v1/algo/futures/newOrderVp": "clientAlgoId",
    "POST /sapi/v1/algo/spot/newOrderTwap": "clientAlgoId",
    "POST /sapi/v1/algo/spot/newOrderVp": "clientAlgoId",
}

_MARGIN_HEAVY = ("sideEffectType", ("MARGIN_BUY", "AUTO_BORROW_REPAY"), 6, 1500)
WEIGHT_RULES: dict[str, tuple[str, tuple[str, ...] | None, int, int]] = {
    # (parameter, values selecting the heavy weight or None for "parameter left out", light, heavy)
    "GET /sapi/v1/margin/crossMarginData": ("coin", None, 1, 5),
    "GET /sapi/v1/margin/isolatedMarginData": ("symbol", None, 1, 10),
    "GET /sapi/v1/portfolio/asset-index-price": ("asset", None, 1, 50),
    "POST /sapi/v1/margin/order": _MARGIN_HEAVY,
    "POST /sapi/v1/margin/order/oco": _MARGIN_HEAVY,
    "POST /sapi/v1/margin/order/oto": _MARGIN_HEAVY,
    "POST /sapi/v1/margin/order/otoco": _MARGIN_HEAVY,
}

# Leaf names (exact wire names) read as Decimal when the catalogue has no decimal example.
DECIMAL_NAME_PATTERN = (
    r"(?i)(amount|amt|price|qty|quantity|fee|rate|balance|free|locked|interest|profit|apr|apy|ltv|"
    r"ratio|value|asset(s)?Value|equity|margin|debt|borrowed|liability|collateral|netAsset|total(Asset|Liability)\w*)$"
)
NOT_DECIMAL_FIELDS: frozenset[str] = frozenset({
    "marginLevelStatus", "isMargin", "marginType", "collateralCoin", "freeze", "isolatedMargin",
    "borrowEnabled", "interestCollectTime",
})
TIME_NAME_PATTERN = r"(Time|Date|time|date|Timestamp|timestamp|TimeStamp|createTime|updateTime|At)$"
NOT_TIME_FIELDS: frozenset[str] = frozenset({"validTime", "lockPeriod", "duration", "unlockConfirm"})

KEYS_ARE_DATA: dict[str, str] = {
    "GET /sapi/v1/asset/assetDetail": "$",
    "GET /sapi/v1/simple-earn/flexible/list": "$.rows[].tierAnnualPercentageRate",
    "GET /sapi/v1/simple-earn/flexible/position": "$.rows[].tierAnnualPercentageRate",
}

# Response paths whose shape changed between the yaml (the examples) and the package (the schema):
# read either shape (``Model | list[Model]``) rather than fail.
SHAPE_EITHER: dict[str, str] = {
    "GET /sapi/v1/copyTrading/futures/leadSymbol": "$.data",
    "GET /sapi/v1/giftcard/buyCode/token-limit": "$.data",
    "POST /sapi/v1/margin/manual-liquidation": "$",
    "GET /sapi/v1/sub-account/universalTransfer": "$",
    "GET /sapi/v1/pay/transactions": "$.data[].receiverInfo.extend",
}

# Response leaves typed wrongly by the catalogue: (endpoint, wire name) -> Python type.
FIELD_TYPES: dict[tuple[str, str], str] = {
    ("GET /sapi/v1/capital/deposit/hisrec", "unlockConfirm"): "str",  # "12/12" on the wire
    ("GET /sapi/v1/capital/deposit/subHisrec", "unlockConfirm"): "str",
}

# Parameters typed wrongly by the catalogue: (endpoint, name) -> catalogue type to use instead.
# Amounts are decimals: accept Decimal/str/int/float and send plain notation.
PARAM_TYPES: dict[tuple[str, str], str] = {
    ("POST /sapi/v1/fiat/deposit", "amount"): "number",
    ("POST /sapi/v1/margin/borrow-repay", "amount"): "number",
    ("POST /sapi/v2/fiat/withdraw", "amount"): "number",
}
