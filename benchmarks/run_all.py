"""Run every benchmark and print one table of ratios (each case against its floor).

    /work/bench-venv/bin/python benchmarks/run_all.py            # full run (about 5 minutes)
    /work/bench-venv/bin/python benchmarks/run_all.py --quick    # smoke run, fewer rounds
    /work/bench-venv/bin/python benchmarks/run_all.py parse sign # only some benchmarks

Each ``bench_<name>.py`` runs in its own process (so one benchmark's imports and garbage do not
disturb the next), prints its detailed table, and hands its rows back as JSON. The summary lists
every case with its ratio to the floor of its table, and for binance_typed's cases the target and
whether it was met. The exit status is 1 when a target was missed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["parse", "stream_decode", "import", "sign", "latency"]


def run_one(name: str, extra: list[str]) -> list[dict[str, object]]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    try:
        start = time.monotonic()
        proc = subprocess.run([sys.executable, str(HERE / f"bench_{name}.py"), "--json", str(out), *extra])
        print(f"[bench_{name}.py: {time.monotonic() - start:.0f} s, exit {proc.returncode}]", flush=True)
        if proc.returncode != 0 or out.stat().st_size == 0:
            return []
        rows: list[dict[str, object]] = json.loads(out.read_text())
        return rows
    finally:
        out.unlink(missing_ok=True)


def summary(rows: list[dict[str, object]]) -> str:
    lines = []
    head = f"{'benchmark':<44} {'case':<52} {'ratio':>7}  {'vs':<40} target"
    lines += [head, "-" * len(head)]
    for r in rows:
        if r["case"] == r["baseline"]:
            continue
        ratio = r["ratio_min"] if r.get("primary", "min") == "min" else r["ratio_median"]
        target = ""
        if r.get("target") is not None:
            target = f"<= {r['target']:g}x  " + ("met" if r.get("met") else "MISSED")
        lines.append(f"{str(r['bench'])[:44]:<44} {str(r['case'])[:52]:<52} {ratio:6.2f}x  "
                     f"{str(r['baseline'])[:40]:<40} {target}")
    return "\n".join(lines)


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    extra = [a for a in sys.argv[1:] if a.startswith("--")]
    names = args or BENCHES
    rows: list[dict[str, object]] = []
    for name in names:
        rows += run_one(name, extra)
    print("\n== ratios (min of rounds; import: median of runs)\n")
    print(summary(rows))
    missed = [r for r in rows if r.get("met") is False]
    print(f"\n{sum(1 for r in rows if r.get('met') is not None)} targets, {len(missed)} missed")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
