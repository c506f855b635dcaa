"""A local Binance on 127.0.0.1 for tests and offline demos (needs ``binance-typed[testing]``).

``LocalBinance`` is imported lazily so that importing this package (the pytest plugin does)
does not require starlette and uvicorn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._faults import Faults
    from ._server import LocalBinance

__all__ = ["Faults", "LocalBinance"]


def __getattr__(name: str) -> Any:
    if name == "LocalBinance":
        from ._server import LocalBinance

        return LocalBinance
    if name == "Faults":
        from ._faults import Faults

        return Faults
    raise AttributeError(name)
