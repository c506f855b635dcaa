"""Sustained stream throughput and reconnect time against a local server (a script, not a test).

    .venv/bin/python benchmarks/bench_stream_throughput.py [--seconds 60] [--rate 20000]

A child process runs the test server of ``tests/ws_server.py`` and pushes ``rate`` trade messages
per second (combined-stream envelope, trade id = sequence number) for ``seconds``. This process
runs :class:`SpotWebsocketStreamClient`, decodes every message into a ``TradeEvent`` and checks that
none is lost or reordered. It prints the achieved rate and the RSS at start and end, then cuts the
connection and measures the time until the first event arrives on the new connection.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def trade(seq: int) -> dict[str, Any]:
    t = 1_760_000_000_000 + seq // 20
    return {
        "e": "trade",
        "E": t,
        "s": "BTCUSDT",
        "t": seq,
        "p": "65012.12000000",
        "q": "0.00120000",
        "T": t,
        "m": seq % 2 == 0,
        "M": True,
    }


def serve(rate: float, seconds: float) -> None:
    """Child process: print the port, wait for the subscriber, produce, then obey stdin commands."""
    from ws_server import StreamServer

    server = StreamServer().start()
    print(server.port, flush=True)
    assert server.wait_subscribed("btcusdt@trade", timeout=30)
    produced = server.start_producer("btcusdt@trade", rate, seconds, trade).result(seconds * 5 + 60)
    print(f"produced {produced}", flush=True)
    seq = produced
    for line in sys.stdin:
        if line.strip() == "cut":
            server.cut()
            assert server.wait_subscribed("btcusdt@trade", timeout=30)
            for _ in range(200):  # keep the stream flowing on the new connection
                server.push("btcusdt@trade", trade(seq))
                seq += 1
                time.sleep(0.005)
            print("done", flush=True)
        elif line.strip() == "quit":
            break
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=20_000.0)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.rate, args.seconds)
        return

    from binance_typed.models.events.market import TradeEvent
    from binance_typed.ws._connection import ConnectionEvent, ReconnectPolicy
    from binance_typed.ws.streams import SpotWebsocketStreamClient

    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--seconds", str(args.seconds), "--rate", str(args.rate)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    port = int(child.stdout.readline())

    state = {"count": 0, "next": 0, "errors": 0, "first": 0.0, "last": 0.0, "other": 0}
    after_cut = threading.Event()
    cut_at = [0.0]
    reconnect_at = [0.0]
    first_after_cut = [0.0]

    def on_message(event: Any) -> None:
        if type(event) is TradeEvent:
            now = time.perf_counter()
            if state["count"] == 0:
                state["first"] = now
            state["count"] += 1
            state["last"] = now
            if event.trade_id != state["next"]:
                state["errors"] += 1
            state["next"] = event.trade_id + 1
            if cut_at[0] and not first_after_cut[0]:
                first_after_cut[0] = now
                after_cut.set()
        else:
            state["other"] += 1

    def on_reconnect(event: ConnectionEvent) -> None:
        if event.kind == "reconnected" and not reconnect_at[0]:
            reconnect_at[0] = time.perf_counter()

    rss_start = rss_mb()
    client = SpotWebsocketStreamClient(
        on_message=on_message,
        on_reconnect=on_reconnect,
        stream_url=f"ws://127.0.0.1:{port}",
        reconnect=ReconnectPolicy(initial_delay=0.05, max_delay=1.0, jitter=0.2),
        watchdog_timeout=10.0,
    )
    client.trade("BTCUSDT", wait=True)
    produced_line = child.stdout.readline().strip()
    produced = int(produced_line.split()[1])
    deadline = time.monotonic() + 30
    while state["count"] < produced and time.monotonic() < deadline:
        time.sleep(0.05)
    rss_end = rss_mb()
    received = state["count"]
    in_order = state["errors"] == 0
    duration = state["last"] - state["first"]
    rate = (state["count"] - 1) / duration if duration > 0 else float("nan")
    print(f"produced {produced} messages at a target of {args.rate:,.0f}/s for {args.seconds:g} s")
    print(f"received {state['count']} trade events in {duration:.2f} s = {rate:,.0f} msg/s")
    print(
        f"lost: {produced - state['count']}, out of order: {state['errors']}, other events: {state['other']}"
    )
    print(f"RSS: {rss_start:.1f} MB at start, {rss_end:.1f} MB at end")

    cut_at[0] = time.perf_counter()
    child.stdin.write("cut\n")
    child.stdin.flush()
    after_cut.wait(30)
    print(
        f"reconnect after a cut: socket back in {(reconnect_at[0] - cut_at[0]) * 1000:.0f} ms, "
        f"first event after {(first_after_cut[0] - cut_at[0]) * 1000:.0f} ms"
    )
    child.stdout.readline()
    child.stdin.write("quit\n")
    child.stdin.flush()
    client.stop()
    child.wait(10)
    ok = produced == received and in_order
    print("RESULT:", "OK, nothing lost or reordered" if ok else "FAILED")


if __name__ == "__main__":
    main()
