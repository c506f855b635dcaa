"""A mistyped argument gets a short mypy error that names the parameter.

Every generated method spells out its optional parameters (no ``**options: Unpack[...]``), so mypy
can say which keyword is unknown, suggest the right one, and name the parameter of a wrong type.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support import ROOT

SNIPPET = textwrap.dedent(
    """
    from binance_typed import AsyncClient, Client


    def sync(c: Client) -> None:
        c.market.klines("BTCUSDT", "1m", limt=5)  # E: limt -> limit
        c.market.klines("BTCUSDT", "1m", limit="5")  # E: limit
        c.wallet.withdraw("USDT", "addr", 1, netwrok="TRX")  # E: netwrok -> network
        c.wallet.withdraw("USDT", "addr", 1, transactionFeeFlag="yes")  # E: transactionFeeFlag
        c.account.get_all_orders("BTCUSDT", startTime="yesterday")  # E: startTime
        c.trade.new_order("BTCUSDT", "BUY", "LIMIT", quantity=1, pricee=2)  # O: pricee -> price
        c.market.ticker_24hr(symbl="BTCUSDT")  # O: symbl -> symbol


    async def asynchronous(c: AsyncClient) -> None:
        await c.market.depth("BTCUSDT", limitt=5)  # E: limitt -> limit
    """
)


def _mypy_available() -> bool:
    return shutil.which("mypy") is not None or (Path(sys.executable).parent / "mypy").exists()


@pytest.mark.skipif(not _mypy_available(), reason="mypy not installed")
def test_mistyped_arguments_give_short_named_errors(tmp_path: Path) -> None:
    source = tmp_path / "snippet.py"
    source.write_text(SNIPPET)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context",
         "--cache-dir", str(ROOT / ".mypy_cache"), str(source)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    by_line: dict[int, list[str]] = {}
    for line in done.stdout.splitlines():
        match = re.match(r".*snippet\.py:(\d+): (?:error|note): (.*)", line)
        if match:
            by_line.setdefault(int(match.group(1)), []).append(match.group(2))
    lines = SNIPPET.splitlines()
    checked = 0
    for number, text in enumerate(lines, start=1):
        if "# E:" not in text and "# O:" not in text:
            continue
        checked += 1
        spec = text.split("# ", 1)[1][3:]
        wrong, _, right = spec.partition(" -> ")
        messages = by_line.get(number, [])
        assert messages, (number, text, done.stdout)
        first = messages[0]
        assert f'"{wrong}"' in first, (number, first)  # names the parameter
        if right:
            assert f'did you mean "{right}"' in first, (number, first)
        if "# E:" in text:
            report = "\n".join(messages)
            # the whole report for the line, not just its first message, stays short
            assert len(report) < 600, (number, len(report), report)
        else:
            # overloaded methods: mypy's first message is short and names the keyword; it then lists
            # the overload variants (mypy does so for any call that no variant accepts)
            assert len(first) < 200, (number, first)
    assert checked == 8
