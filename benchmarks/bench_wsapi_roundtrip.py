"""Round trip of ``ticker.price`` over the WebSocket API client vs bare websocket-client frames.

    python benchmarks/bench_wsapi_roundtrip.py [-n 5000]

A fake WebSocket API server (tests/wsapi_server.py) runs in a separate process on 127.0.0.1. The
baseline sends the very frame the client sends and waits for the answer with a bare
``websocket-client`` socket (send + recv, same thread, nothing decoded). The client does the full
job: validate parameters, build the envelope, send, receive in its reader thread, correlate by id,
wake the caller and decode the typed result. Reported: median and mean per round trip, and the
ratio client / baseline (target: at most 1.3x).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def bench_bare(url: str, n: int, warmup: int) -> list[float]:
    import websocket

    ws = websocket.create_connection(url, skip_utf8_validation=True)
    times = []
    for i in range(n + warmup):
        frame = json.dumps(
            {"id": i, "method": "ticker.price", "params": {"symbol": "BNBBTC"}}, separators=(",", ":")
        )
        t0 = time.perf_counter()
        ws.send(frame)
        ws.recv()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    ws.close()
    return times


def bench_client(url: str, n: int, warmup: int) -> list[float]:
    from binance_typed.ws.api import SpotWebsocketAPIClient

    ws = SpotWebsocketAPIClient(stream_url=url, watchdog_timeout=None)
    ws.connect()
    endpoint = ws._endpoint("ticker.price")
    method = getattr(getattr(ws, endpoint.group), endpoint.name)
    times = []
    for i in range(n + warmup):
        t0 = time.perf_counter()
        result = method(symbol="BNBBTC")
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    price = result.price if hasattr(result, "price") else result[0].price
    assert str(price) == "0.01361900", result
    ws.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    proc, url = start_server()
    try:
        bare_all: list[float] = []
        client_all: list[float] = []
        for _ in range(args.rounds):  # interleaved, so drift hits both sides alike
            bare_all += bench_bare(url, args.n, 200)
            client_all += bench_client(url, args.n, 200)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)
    bare_med, client_med = statistics.median(bare_all), statistics.median(client_all)
    bare_mean, client_mean = statistics.fmean(bare_all), statistics.fmean(client_all)
    print(f"bare websocket-client: median {bare_med * 1e6:7.1f} us  mean {bare_mean * 1e6:7.1f} us")
    print(f"SpotWebsocketAPIClient: median {client_med * 1e6:7.1f} us  mean {client_mean * 1e6:7.1f} us")
    print(
        f"ratio (median): {client_med / bare_med:.2f}x   ratio (mean): {client_mean / bare_mean:.2f}x   target <= 1.3x"
    )


if __name__ == "__main__":
    main()
