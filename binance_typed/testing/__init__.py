"""A local Binance on 127.0.0.1 for tests and offline demos (needs ``binance-typed[testing]``)."""
