"""Fresh-process start-up cost: import the SDK and build a client, vs ``import httpx, pydantic``.

Every case is a new ``python -c`` process (``-X frozen_modules=on`` default, ``-B`` unset, so the
bytecode caches are warm after the first run). Cases run interleaved, ``--runs`` times each (41 by
default); the table shows the median and minimum wall time per process and their ratio to the
baseline. ``python -c pass`` is shown for scale (interpreter start-up alone).

Targets (issue 12): ``import binance_typed; binance_typed.Client()`` <= 1.3x ``import httpx,
pydantic``; ``Client().market; .trade`` (ready for a first call) <= 1.5x.

``PYTHONDONTWRITEBYTECODE`` is removed from the children's environment: with it set, every run
compiles every module from source, which is not what a user's process does.

``--importtime`` prints the slowest modules of ``import binance_typed; binance_typed.Client()``
from ``python -X importtime`` (cumulative microseconds), to find what made it slow.

Run: ``/work/bench-venv/bin/python benchmarks/bench_import.py [--quick] [--json FILE]``
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _timing import Row, Stats, print_rows, quick, ratio_rows, write_json  # noqa: E402

BASELINE = "import httpx, pydantic"
TYPED = "import binance_typed; binance_typed.Client()"
READY = "binance_typed: Client().market; .trade (first call ready)"
FIRST_REQUEST = "binance_typed: ... + its httpx.Client built (first request)"
BARE_CLIENT = "import httpx, pydantic; httpx.Client()"
FIRST_CALL = "binance_typed: ... + a first klines call done (mock transport, no network)"
"""What the first call itself adds: its group's declarations (params and response models, and
pydantic's model machinery with them) are loaded at the first call of one of its methods, not by
``client.market``; this row shows that cost moved, not hidden."""
FULL_RUN_ONLY = {FIRST_REQUEST, BARE_CLIENT, FIRST_CALL}
"""Informative rows left out of ``--quick`` (the CI form stays under a minute)."""
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

CASES: dict[str, str] = {
    "python -c pass": "pass",
    BASELINE: "import httpx, pydantic",
    "import binance_typed": "import binance_typed",
    TYPED: "import binance_typed; binance_typed.Client()",
    "binance_typed: Client().market (first call ready)": (
        "import binance_typed; binance_typed.Client().market"
    ),
    READY: "import binance_typed; c = binance_typed.Client(); c.market; c.trade",
    # Client() builds its httpx.Client (TLS context, connection pool) at the first request, as
    # requests-based peers do: these two rows show what that first request adds
    FIRST_REQUEST: (
        "import binance_typed; c = binance_typed.Client(); c.market; c.trade; c._transport.http"
    ),
    BARE_CLIENT: "import httpx, pydantic; httpx.Client()",
    FIRST_CALL: (
        "import httpx, binance_typed; c = binance_typed.Client(http_client=httpx.Client(transport="
        "httpx.MockTransport(lambda r: httpx.Response(200, text='[]')))); c.market; c.trade; "
        "c.market.klines('BTCUSDT', '1m')"
    ),
    "binance-connector: Spot()": "from binance.spot import Spot; Spot()",
    "binance-sdk-spot: Spot(ConfigurationRestAPI())": (
        "from binance_sdk_spot.spot import Spot, ConfigurationRestAPI; "
        "Spot(config_rest_api=ConfigurationRestAPI())"
    ),
    "python-binance: Client(ping=False)": "from binance.client import Client; Client(ping=False)",
}


def available(code: str) -> bool:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, env=ENV).returncode == 0


def run_once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def importtime(code: str = TYPED, top: int = 25) -> str:
    """The ``top`` slowest imports (cumulative) of a fresh process running ``code``."""
    env = dict(ENV, PYTHONPROFILEIMPORTTIME="1")
    err = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, self_us, cum_us, name = (part.strip() for part in line.replace("import time:", "|").split("|"))
        rows.append((int(cum_us), int(self_us), name))
    rows.sort(reverse=True)
    lines = [f"{'cumulative':>10} {'self':>8}  module  ({code})"]
    lines += [f"{cum:>8}us {self_:>6}us  {name}" for cum, self_, name in rows[:top]]
    return "\n".join(lines)


def run() -> list[Row]:
    runs = 7 if quick() else 41
    cases = {
        name: code for name, code in CASES.items()
        if available(code) and not (quick() and name in FULL_RUN_ONLY)
    }
    skipped = sorted(set(CASES) - set(cases) - (FULL_RUN_ONLY if quick() else set()))
    for code in cases.values():  # warm the bytecode caches
        run_once(code)
    stats = {name: Stats(name) for name in cases}
    names = list(cases)
    for r in range(runs):
        for name in names[r % len(names):] + names[: r % len(names)]:
            stats[name].per_op.append(run_once(cases[name]))
    notes = {name: "not installed" for name in skipped}
    # the median is the figure of merit here (the minimum of process start-up is luck)
    return ratio_rows(
        "import + client, fresh process", stats, BASELINE,
        unit="ms", targets={TYPED: 1.3, READY: 1.5}, notes=notes, primary="median",
    )


def main() -> None:
    rows = run()
    print_rows("import + client, fresh process", rows)
    if "--importtime" in sys.argv:
        print()
        print(importtime())
    write_json(rows)


if __name__ == "__main__":
    main()
