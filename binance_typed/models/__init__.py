"""Response models: one module per endpoint group, plus shared types and enums.

Nothing is imported here, so that ``import binance_typed`` stays cheap; import the models from
their modules (``from binance_typed.models.market import Kline``).
"""
