"""Account endpoints (``client.account``): balances, order queries, trades, limits (USER_DATA)."""
