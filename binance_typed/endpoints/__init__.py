"""THE endpoint table: one declaration per Binance operation, grouped as the docs group them.

``binance_typed/endpoints/<group>.py`` holds, for each endpoint, its params model and its
:class:`~binance_typed._endpoint.Endpoint`. :func:`all_endpoints` walks every group module.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from .._endpoint import Endpoint

__all__ = ["GROUP_MODULES", "all_endpoints"]

GROUP_MODULES: tuple[str, ...] = ("market", "trade", "account")


def all_endpoints(groups: tuple[str, ...] = GROUP_MODULES) -> Iterator[Endpoint]:
    """Every declared endpoint, in declaration order, group by group."""
    for group in groups:
        module = importlib.import_module(f"{__name__}.{group}")
        for value in vars(module).values():
            if isinstance(value, Endpoint):
                yield value
