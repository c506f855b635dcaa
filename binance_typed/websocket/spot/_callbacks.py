"""How the connector-compatible WebSocket clients call the user's callbacks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

__all__ = ["ConnectorCallbacks"]

logger = logging.getLogger("binance_typed")


class ConnectorCallbacks:
    """Calls a callback as binance-connector did, ``callback(client, *args)``; an exception it
    raises is logged and handed to ``on_error`` (unless ``on_error`` itself raised)."""

    on_error: Callable[..., Any] | None
    _callback_kind = "WebSocket"

    def _callback(self, callback: Callable[..., Any] | None, *args: Any) -> None:
        if callback is None:
            return
        try:
            callback(self, *args)
        except Exception as exc:
            logger.exception("%s callback %r failed", self._callback_kind, callback)
            if self.on_error is not None and callback is not self.on_error:
                self.on_error(self, exc)
