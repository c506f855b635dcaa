"""binance-connector's ``binance.websocket`` layout under binance-typed (see :mod:`.spot`)."""
