"""THE endpoint table: one declaration per Binance operation, grouped as the docs group them.

``binance_typed/endpoints/<group>.py`` holds, for each endpoint, its params model and its
:class:`~binance_typed._endpoint.Endpoint` (hand-written for /api/v3). The /sapi groups live in
``binance_typed/endpoints/sapi/<group>.py``, generated from the catalogue. :func:`all_endpoints`
walks every group module; :func:`find_endpoint` looks an endpoint up by verb and path.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from .._endpoint import Endpoint

__all__ = ["GROUP_MODULES", "all_endpoints", "all_groups", "find_endpoint"]

GROUP_MODULES: tuple[str, ...] = ("market", "trade", "account")
"""The hand-declared /api/v3 groups."""


def all_groups() -> tuple[str, ...]:
    """Every client group: the /api/v3 ones, then the /sapi ones."""
    from .sapi import SAPI_GROUPS

    return GROUP_MODULES + SAPI_GROUPS


def _module_name(group: str) -> str:
    from .sapi import SAPI_GROUPS

    return f"{__name__}.sapi.{group}" if group in SAPI_GROUPS else f"{__name__}.{group}"


def all_endpoints(groups: tuple[str, ...] = GROUP_MODULES) -> Iterator[Endpoint]:
    """Every declared endpoint of ``groups`` (the /api/v3 ones by default), in declaration order.

    ``all_endpoints(all_groups())`` includes the /sapi groups.
    """
    for group in groups:
        module = importlib.import_module(_module_name(group))
        for value in vars(module).values():
            if isinstance(value, Endpoint):
                yield value


def find_endpoint(verb: str, path: str) -> Endpoint:
    """The declaration of ``verb path`` (``"POST", "/sapi/v1/capital/withdraw/apply"``).

    Raises :class:`LookupError` when no group declares it.
    """
    wanted = (verb.upper(), path)
    for endpoint in all_endpoints(all_groups()):
        if (endpoint.verb, endpoint.path) == wanted:
            return endpoint
    raise LookupError(f"no endpoint declared for {verb} {path}")
