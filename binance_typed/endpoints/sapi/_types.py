"""Parameter types of the /sapi declarations that Binance takes as JSON text.

An object (``accountInfo``) or a list of objects (``orderArgs``) is validated as Python data and
stored as compact JSON text, which is what goes on the wire (and into the signature).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import AfterValidator

__all__ = ["JsonArray", "JsonObject", "json_text"]


def json_text(value: Any) -> str:
    """Compact JSON (no spaces), as Binance expects it in a query string."""
    return json.dumps(value, separators=(",", ":"), default=str)


JsonObject = Annotated[dict[str, Any], AfterValidator(json_text)]
"""A JSON object parameter, sent as its compact JSON text."""
JsonArray = Annotated[list[dict[str, Any]], AfterValidator(json_text)]
"""A JSON array-of-objects parameter, sent as its compact JSON text."""
