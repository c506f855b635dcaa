"""First-use cost of the client groups, each in a fresh process, timed inside the process.

Cases (each a new ``python -c`` process; the time is measured with ``perf_counter`` inside it, so
interpreter start-up is left out):

* ``import + Client()``: ``import binance_typed; Client()``;
* ``Client() + first market.time()``: the above plus the first ``client.market.time()``;
* ``first client.trade`` / ``first client.<sapi group>``: from a constructed client, the first
  access of the group plus one call (answered by ``httpx.MockTransport``, so no network).

Bytecode is cached (under the temporary directory, not in the checkout), as for an installed
package, even where ``PYTHONDONTWRITEBYTECODE`` is set.

``--root DIR`` imports ``binance_typed`` from another checkout (e.g. the base commit), for a
before/after comparison of the first two cases. Target: the first use of any /sapi group costs
no more than the first use of ``client.trade``.

Run: ``python benchmarks/bench_sapi_first_use.py [--runs N] [--root DIR]``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRELUDE = """
import sys, time
sys.path.insert(0, {root!r})
import httpx
"""

MOCK = """
def answer(request):
    return httpx.Response(200, content=BODY)
http = httpx.Client(transport=httpx.MockTransport(answer))
"""

CASES: dict[str, tuple[str, str]] = {
    # name -> (setup after t0, timed code); BODY is the answer of the timed call
    "import + Client()": ("", "import binance_typed; binance_typed.Client()"),
    "Client() + first market.time()": (
        "BODY = b'{\"serverTime\": 1700000000000}'\n" + MOCK,
        "import binance_typed; binance_typed.Client(http_client=http).market.time()",
    ),
    "first client.trade (new_order)": (
        "BODY = b'{\"symbol\":\"BTCUSDT\",\"orderId\":1,\"orderListId\":-1,\"clientOrderId\":\"x\",\"transactTime\":1}'\n"
        + MOCK + "import binance_typed; c = binance_typed.Client('k', 's', http_client=http)\n",
        "c.trade.new_order('BTCUSDT', 'BUY', 'MARKET', quantity=1, newOrderRespType='ACK')",
    ),
    "first client.wallet (deposit_address)": (
        "BODY = b'{\"address\":\"a\",\"coin\":\"BTC\",\"tag\":\"\",\"url\":\"u\"}'\n"
        + MOCK + "import binance_typed; c = binance_typed.Client('k', 's', http_client=http)\n",
        "c.wallet.deposit_address('BTC', network='BTC')",
    ),
    "first client.margin (max_borrowable)": (
        "BODY = b'{\"amount\":\"1.2\",\"borrowLimit\":\"60\"}'\n"
        + MOCK + "import binance_typed; c = binance_typed.Client('k', 's', http_client=http)\n",
        "c.margin.max_borrowable('BTC')",
    ),
    "first client.sub_account (assets)": (
        "BODY = b'{\"balances\":[{\"asset\":\"BTC\",\"free\":\"1\",\"locked\":\"0\"}]}'\n"
        + MOCK + "import binance_typed; c = binance_typed.Client('k', 's', http_client=http)\n",
        "c.sub_account.assets('a@b.c')",
    ),
}


def program(root: Path, setup: str, timed: str) -> str:
    return (
        PRELUDE.format(root=str(root))
        + setup
        + "t1 = time.perf_counter()\n"
        + timed
        + "\nt2 = time.perf_counter()\n"
        + "print(t2 - t1)\n"
    )


def measure(root: Path, name: str, runs: int) -> list[float]:
    setup, timed = CASES[name]
    code = program(root, setup, timed)
    out = []
    # warm bytecode caches as an installed package has them (kept out of the checkout)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "bench-sapi-pycache")
    for _ in range(runs + 1):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        out.append(float(done.stdout.strip()) * 1000)
    return out[1:]  # the first run warms the bytecode caches


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 15
    roots = [ROOT]
    if "--root" in sys.argv:
        roots.insert(0, Path(sys.argv[sys.argv.index("--root") + 1]).resolve())
    print(f"{'case':<42} {'checkout':<24} {'median ms':>10} {'min ms':>8}")
    for name in CASES:
        for root in roots:
            if root != ROOT and not name.startswith(("import", "Client()")):
                continue
            times = measure(root, name, runs)
            print(f"{name:<42} {str(root)[-24:]:<24} {statistics.median(times):>10.1f} {min(times):>8.1f}")


if __name__ == "__main__":
    main()
