"""pytest plugin (entry point ``binance_typed``): the ``local_binance`` fixture.

Importing this module is cheap; the simulator and its dependencies load only when a test
asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def local_binance() -> Iterator[Any]:
    """A fresh local exchange on a free 127.0.0.1 port, stopped after the test."""
    from binance_typed.testing import LocalBinance

    with LocalBinance() as exchange:
        yield exchange
