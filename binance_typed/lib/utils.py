"""``binance.lib.utils`` helpers that binance-connector's examples use, so they run unchanged."""

from __future__ import annotations

import logging
import time
from types import ModuleType

__all__ = ["LOG_FORMAT", "config_logging", "get_timestamp"]

LOG_FORMAT = "%(asctime)s.%(msecs)03d UTC %(levelname)s %(name)s: %(message)s"
"""The record format :func:`config_logging` installs."""


def config_logging(logging_module: ModuleType, logging_devel: int, log_file: str | None = None) -> None:
    """Configure the root logger (UTC timestamps), as binance-connector's helper did.

    Args:
        logging_module: the :mod:`logging` module.
        logging_devel: the level, e.g. ``logging.DEBUG``.
        log_file: write to this file instead of stderr.
    """
    handler: logging.Handler = logging.FileHandler(log_file) if log_file else logging.StreamHandler()
    formatter = logging.Formatter(LOG_FORMAT, "%Y-%m-%d %H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    root: logging.Logger = logging_module.getLogger()
    root.setLevel(logging_devel)
    root.addHandler(handler)


def get_timestamp() -> int:
    """The current time in epoch milliseconds."""
    return int(time.time() * 1000)
