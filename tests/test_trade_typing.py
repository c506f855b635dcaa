"""mypy sees the response type that each overload promises, and rejects values the docs forbid."""

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
    from binance_typed.models.enums import OrderType


    def sync(c: Client) -> None:
        reveal_type(c.trade.new_order("X", "BUY", "MARKET", quantity=1, newOrderRespType="ACK"))  # OrderAck
        reveal_type(c.trade.new_order_list_oco("X", "SELL", 1, OrderType.LIMIT_MAKER, "STOP_LOSS",
                                               newOrderRespType="ACK"))  # OrderListAck
        reveal_type(c.trade.new_oco_deprecated("X", "SELL", 1, 2, 1))  # OrderListResponse
        reveal_type(c.trade.new_order_list_oto("X", "LIMIT", "SELL", 1, 1, "MARKET", "BUY", 1,
                                               newOrderRespType="FULL"))  # OrderListFull
        reveal_type(c.trade.test_new_order("X", "BUY", "MARKET", computeCommissionRates=True))  # OrderCommissionRates
        reveal_type(c.trade.test_new_order("X", "BUY", "MARKET"))  # TestOrderAccepted
        reveal_type(c.trade.test_new_sor_order("X", "BUY", "MARKET", 1,
                                               computeCommissionRates=False))  # TestOrderAccepted
        reveal_type(c.trade.cancel_replace_order("X", "BUY", "MARKET", "ALLOW_FAILURE",
                                                 newOrderRespType="RESULT"))  # CancelReplaceResult
        reveal_type(c.trade.new_sor_order("X", "BUY", "MARKET", 1, newOrderRespType="FULL"))  # OrderFull
        reveal_type(c.trade.cancel_order_list("X", orderListId=1))  # CancelledOrderList
        reveal_type(c.trade.amend_order_keep_priority("X", 1, orderId=1))  # OrderAmendment
        c.trade.new_order_list_oto("X", "MARKET", "SELL", 1, 1, "MARKET", "BUY", 1)  # E: working MARKET
        c.trade.new_order_list_opo("X", "LIMIT", "SELL", 1, 1, "MARKET", "SELL")  # E: OPO works on BUY
        c.trade.new_sor_order("X", "BUY", "STOP_LOSS", 1)  # E: SOR takes LIMIT or MARKET
        c.trade.new_order("X", "BUY", "LIMIT", timeInForce="GTD")  # E: no such time in force
        c.trade.cancel_order("X", orderId=1, cancelRestrictions="ONLY_OLD")  # E: no such restriction


    async def asynchronous(c: AsyncClient) -> None:
        reveal_type(await c.trade.new_order_list_otoco("X", "LIMIT", "BUY", 1, 1, "SELL", "LIMIT_MAKER", 1,
                                                       newOrderRespType="RESULT"))  # OrderListResult
        reveal_type(await c.trade.cancel_open_orders("X"))  # list[CancelledOrderList | CancelledOrder]
    """
)


@pytest.mark.skipif(shutil.which("mypy") is None and not (Path(sys.executable).parent / "mypy").exists(),
                    reason="mypy not installed")
def test_overloads_and_literals(tmp_path: Path) -> None:
    source = tmp_path / "snippet.py"
    source.write_text(SNIPPET)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context",
         "--cache-dir", str(ROOT / ".mypy_cache"), str(source)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert done.returncode == 1 and "error" in done.stdout, done.stdout + done.stderr
    lines = SNIPPET.splitlines()
    found: dict[int, str] = {}
    for line in done.stdout.splitlines():
        match = re.search(r"snippet\.py:(\d+): (\w+): (.*)", line)
        if match and match.group(2) in ("note", "error") and not match.group(3).startswith(("Possible", "    ")):
            found.setdefault(int(match.group(1)), match.group(3))
    for number, text in enumerate(lines, start=1):
        if "# E:" in text:
            assert "No overload variant" in found.get(number, "") or "incompatible type" in found.get(number, ""), (
                number, text, done.stdout)
        elif "reveal_type" in text:
            expected = text.rsplit("# ", 1)[1] if "# " in text else lines[number].rsplit("# ", 1)[1]
            revealed = found.get(number, "")
            short = re.sub(r"binance_typed\.models\.trade\.", "", revealed)
            assert short == f'Revealed type is "{expected}"', (number, revealed, done.stdout)
