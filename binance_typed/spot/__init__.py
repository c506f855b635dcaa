"""binance-connector's ``binance.spot`` under binance-typed: change ``binance.`` to ``binance_typed.``.

    from binance_typed.spot import Spot

    client = Spot(api_key=key, api_secret=secret)
    client.klines("BNBUSDT", "1h", limit=10)            # list[Kline]
    order = client.new_order(**{"symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT",
                                "timeInForce": "GTC", "quantity": 0.002, "price": 9500})
    order["orderId"], order.order_id                    # the connector's dict keys, or attributes

Every method of the connector's ``Spot`` exists with its name and argument order; each one calls
the typed declaration with the same verb and path (the typed client is ``client.typed``), so
parameters are validated before signing and results are the typed models, which also read like
the connector's dicts (see :class:`binance_typed.models._base.WireAccess`). Methods whose endpoint
Binance retired raise :class:`RetiredEndpointError` naming the replacement, without sending.
"""

from __future__ import annotations

from ._core import RetiredEndpointError
from ._methods import SpotMethods
from ._wire import to_wire

__all__ = ["RetiredEndpointError", "Spot", "to_wire"]


class Spot(SpotMethods):
    """binance-connector's ``Spot`` REST client, backed by the typed :class:`~binance_typed.Client`.

    Takes the connector's arguments (``api_key``, ``api_secret``, ``base_url``, ``timeout``,
    ``proxies``, ``time_unit``, ``private_key``, ``private_key_pass``, ``show_limit_usage``,
    ``show_header``); see :class:`binance_typed.spot._core.SpotBase`.
    """
