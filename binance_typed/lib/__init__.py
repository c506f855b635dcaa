"""binance-connector's ``binance.lib`` (helpers its examples import), under binance-typed."""
