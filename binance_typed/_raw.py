"""Raw calls (``client.request``) of endpoints this version does not declare.

The call goes through the same policy as the declared methods (rate-limit gate, signing inside
each attempt, retries for GET only, -1021 resync); the answer is the decoded JSON, with decimal
numbers read as :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .error import ParameterValueError

__all__ = ["raw_endpoint", "raw_params"]

_PATH = re.compile(r"/[A-Za-z0-9/_.-]{1,200}").fullmatch
_VERBS = frozenset({"GET", "POST", "PUT", "DELETE"})
_SECURITY = frozenset({"NONE", "API_KEY", "SIGNED"})


def _parse(content: bytes | str, context: Any) -> Any:
    return json.loads(content, parse_float=Decimal)


def raw_endpoint(method: str, path: str, security: str, weight: int) -> Any:
    """An ad-hoc declaration for one raw call (validated: verb, path, security, weight)."""
    from ._endpoint import Endpoint, Security
    from ._params import Params, SignedParams

    verb = method.upper() if isinstance(method, str) else ""
    if verb not in _VERBS:
        raise ParameterValueError(f"method must be one of {', '.join(sorted(_VERBS))}", "method")
    if not isinstance(path, str) or not _PATH(path) or ".." in path:
        raise ParameterValueError("path must look like /api/v3/name (ASCII, no query string)", "path")
    if security not in _SECURITY:
        raise ParameterValueError("security must be NONE, API_KEY or SIGNED", "security")
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 100_000:
        raise ParameterValueError("weight must be an int from 0 to 100000", "weight")
    signed = security == "SIGNED"
    return Endpoint(
        group="raw",
        name=path,
        verb=verb,
        path=path,
        security=Security(security),
        params=SignedParams if signed else Params,
        response=Any,
        weight=weight,
        summary=f"raw {verb} {path}",
        parser=_parse,
    )


def raw_params(endpoint: Any, params: Mapping[str, Any] | None) -> tuple[Any, list[tuple[str, str]]]:
    """The params model (carrying ``recvWindow`` when given) and the wire pairs of the rest."""
    from ._transport._base import extra_items

    values = dict(params or {})
    window = values.pop("recvWindow", None)
    model = endpoint.params.build(recvWindow=window) if window is not None else endpoint.params.build()
    return model, extra_items(values)
