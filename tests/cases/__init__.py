"""REST test cases: one per documented response example, grouped by endpoint group.

Each :class:`Case` names the call, its arguments, the documented example that the cassette
returns, and the exact query the client must send. ``tests/test_rest_cassettes.py`` replays
every case through ``Client`` and ``AsyncClient``; ``scripts/seed_cassettes.py`` writes the
cassettes from the examples (or re-records them against the Spot testnet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    call: str
    """Dotted method, e.g. ``"market.klines"``."""
    example: str
    """File under ``tests/spec/examples/rest/`` whose body the cassette returns."""
    query: str
    """Expected query string, without ``timestamp`` and ``signature`` (signed calls also
    carry ``recvWindow=5000`` at the end)."""
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    status: int = 200
    check: Callable[[Any], None] | None = None
    """Extra assertions on the parsed value."""
    label: str = ""
    allow_extra: frozenset[str] = frozenset()
    """Payload keys allowed to stay undeclared (documented reason needed)."""

    @property
    def id(self) -> str:
        return self.call + (f"-{self.label}" if self.label else "")

    @property
    def cassette(self) -> str:
        return f"{self.call.replace('.', '/')}{'__' + self.label if self.label else ''}.yaml"


def all_cases() -> list[Case]:
    from . import account, market, trade

    return [*market.CASES, *trade.CASES, *account.CASES]
