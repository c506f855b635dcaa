"""The base of the generated /sapi response models.

Like every response model it keeps unknown fields and reads camelCase wire names into snake_case
attributes. On top of that, the schema is built on first use (``defer_build``), so loading a group
costs little, and a number where text was expected is kept as its text instead of failing.
"""

from __future__ import annotations

from pydantic import ConfigDict

from .._base import BinanceModel

__all__ = ["SapiModel"]


class SapiModel(BinanceModel):
    """Base of every /sapi response model."""

    model_config = ConfigDict(defer_build=True, coerce_numbers_to_str=True)
