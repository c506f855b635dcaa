"""Round trip of ``ticker.price`` over the WebSocket API client vs bare websocket-client frames.

    python benchmarks/bench_wsapi_roundtrip.py [-n 5000]

A fake WebSocket API server (tests/wsapi_server.py) runs in a separate process on 127.0.0.1. The
baseline sends the very frame the client sends and waits for the answer with a bare
``websocket-client`` socket (send + recv, same thread, nothing decoded). The client does the full
job: validate parameters, build the envelope, send, read the answer (the blocking caller reads the
socket itself while no other thread does), correlate by id and decode the typed result.

Both sides keep one connection open and run in alternating short rounds (``--rounds`` of ``-n``
calls each), so load on the machine (2 cores shared with the server process) hits both alike.
Reported: median and mean per round trip over all rounds, the ratio client / baseline of the
medians (target: at most 1.3x), and the spread of the per-round ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = """
import sys, time
sys.path.insert(0, {tests!r})
from wsapi_server import FakeWsApi
server = FakeWsApi().start()
server.record = False
print(server.port, flush=True)
sys.stdin.read()
server.stop()
"""


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(tests=str(ROOT / "tests"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    return proc, f"ws://127.0.0.1:{port}/ws-api/v3"


def bare_round(ws: Any, n: int, first_id: int) -> list[float]:
    times = []
    for i in range(first_id, first_id + n):
        frame = json.dumps(
            {"id": i, "method": "ticker.price", "params": {"symbol": "BNBBTC"}}, separators=(",", ":")
        )
        t0 = time.perf_counter()
        ws.send(frame)
        ws.recv()
        times.append(time.perf_counter() - t0)
    return times


def client_round(method: Any, n: int) -> list[float]:
    times = []
    result = None
    for _ in range(n):
        t0 = time.perf_counter()
        result = method(symbol="BNBBTC")
        times.append(time.perf_counter() - t0)
    price = result.price if hasattr(result, "price") else result[0].price
    assert str(price) == "0.01361900", result
    return times


def main() -> None:
    import websocket

    from binance_typed.ws.api import SpotWebsocketAPIClient

    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=500, help="calls per round")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=300)
    args = parser.parse_args()
    proc, url = start_server()
    bare = websocket.create_connection(url, skip_utf8_validation=True)
    client = SpotWebsocketAPIClient(stream_url=url, watchdog_timeout=None)
    try:
        client.connect()
        endpoint = client._endpoint("ticker.price")
        method = getattr(getattr(client, endpoint.group), endpoint.name)
        bare_round(bare, args.warmup, 0)
        client_round(method, args.warmup)
        bare_all: list[float] = []
        client_all: list[float] = []
        round_ratios: list[float] = []
        for r in range(args.rounds):  # interleaved, so drift hits both sides alike
            b = bare_round(bare, args.n, (r + 1) * args.n)
            c = client_round(method, args.n)
            bare_all += b
            client_all += c
            round_ratios.append(statistics.median(c) / statistics.median(b))
    finally:
        client.close()
        bare.close()
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)
    bare_med, client_med = statistics.median(bare_all), statistics.median(client_all)
    bare_mean, client_mean = statistics.fmean(bare_all), statistics.fmean(client_all)
    q = statistics.quantiles(round_ratios, n=4)
    print(f"bare websocket-client: median {bare_med * 1e6:7.1f} us  mean {bare_mean * 1e6:7.1f} us")
    print(f"SpotWebsocketAPIClient: median {client_med * 1e6:7.1f} us  mean {client_mean * 1e6:7.1f} us")
    print(
        f"ratio (median): {client_med / bare_med:.2f}x   ratio (mean): {client_mean / bare_mean:.2f}x   "
        f"per-round ratios: min {min(round_ratios):.2f} q1 {q[0]:.2f} median {q[1]:.2f} q3 {q[2]:.2f} "
        f"max {max(round_ratios):.2f}   target <= 1.3x"
    )


if __name__ == "__main__":
    main()
