"""Shared timing helpers of the benchmark scripts (not part of the package).

The machines these run on are noisy, so every benchmark here:

* calibrates each case to a batch that takes about ``batch_time`` seconds;
* runs ``rounds`` rounds, and inside each round runs every case once, in a rotated order
  (interleaved, so a slow patch of the machine hits all cases alike);
* turns the garbage collector off while a batch runs (as :mod:`timeit` does);
* reports the per-operation minimum, median and maximum over rounds.

Ratios are taken against a named baseline case, from the minimum (the least disturbed run)
and from the median; each row says which one its target is judged on. Each script prints a table and, with ``--json FILE``, writes its rows
for ``run_all.py``.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Stats:
    name: str
    per_op: list[float] = field(default_factory=list)  # seconds per operation, one per round

    @property
    def min(self) -> float:
        return min(self.per_op)

    @property
    def median(self) -> float:
        return statistics.median(self.per_op)

    @property
    def max(self) -> float:
        return max(self.per_op)


@dataclass
class Row:
    """One line of a result table: a case compared with its baseline."""

    bench: str
    case: str
    baseline: str
    value_min: float
    value_median: float
    unit: str
    ratio_min: float | None
    ratio_median: float | None
    target: float | None = None
    note: str = ""
    primary: str = "min"
    """Which statistic the target is judged on: "min" (CPU-bound loops) or "median"."""
    value_max: float | None = None
    """The slowest round (shows how noisy the run was)."""

    @property
    def ratio(self) -> float | None:
        return self.ratio_min if self.primary == "min" else self.ratio_median

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target


def _calibrate(fn: Callable[[], Any], batch_time: float) -> int:
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= batch_time / 4 or number >= 1 << 20:
            return max(1, int(number * batch_time / max(elapsed, 1e-9)))
        number *= 4


def bench(
    cases: dict[str, Callable[[], Any]],
    *,
    rounds: int = 15,
    batch_time: float = 0.05,
    number: int | None = None,
) -> dict[str, Stats]:
    """Time every case, interleaved; returns per-operation seconds per round."""
    names = list(cases)
    numbers = {n: number or _calibrate(cases[n], batch_time) for n in names}
    stats = {n: Stats(n) for n in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for name in order:
            fn, count = cases[name], numbers[name]
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                for _ in range(count):
                    fn()
                elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            stats[name].per_op.append(elapsed / count)
    return stats


def ratio_rows(
    bench_name: str,
    stats: dict[str, Stats],
    baseline: str,
    *,
    unit: str = "us",
    targets: dict[str, float] | None = None,
    notes: dict[str, str] | None = None,
    primary: str = "min",
) -> list[Row]:
    scale = {"us": 1e6, "ms": 1e3, "s": 1.0}[unit]
    base = stats[baseline]
    rows = []
    for name, s in stats.items():
        rows.append(
            Row(
                bench=bench_name,
                case=name,
                baseline=baseline,
                value_min=s.min * scale,
                value_median=s.median * scale,
                unit=unit,
                ratio_min=s.min / base.min,
                ratio_median=s.median / base.median,
                target=(targets or {}).get(name),
                note=(notes or {}).get(name, ""),
                primary=primary,
                value_max=s.max * scale,
            )
        )
    return rows


def print_rows(title: str, rows: list[Row]) -> None:
    print(f"\n== {title}")
    width = max(len(r.case) for r in rows) + 2
    print(f"{'case':<{width}} {'min':>11} {'median':>11} {'max':>11}   {'ratio(min)':>10} {'ratio(med)':>10}  target")
    for r in rows:
        ratio_min = f"{r.ratio_min:10.2f}x" if r.ratio_min is not None else " " * 11
        ratio_med = f"{r.ratio_median:10.2f}x" if r.ratio_median is not None else " " * 11
        target = ""
        if r.target is not None:
            target = f"<= {r.target:g}x ({r.primary}) " + ("met" if r.met else "MISSED")
        note = f"  ({r.note})" if r.note else ""
        most = f"{r.value_max:9.1f}{r.unit}" if r.value_max is not None else " " * 11
        print(
            f"{r.case:<{width}} {r.value_min:9.1f}{r.unit} {r.value_median:9.1f}{r.unit} {most}  "
            f"{ratio_min} {ratio_med}  {target}{note}"
        )


def json_arg() -> str | None:
    """The FILE of ``--json FILE`` on the command line, if any."""
    argv = sys.argv
    if "--json" in argv:
        return argv[argv.index("--json") + 1]
    return None


def quick() -> bool:
    """``--quick``: fewer rounds (a smoke run, not a measurement)."""
    return "--quick" in sys.argv


def write_json(rows: list[Row]) -> None:
    path = json_arg()
    if path:
        with open(path, "w") as fh:
            json.dump([asdict(r) | {"met": r.met} for r in rows], fh, indent=1)
