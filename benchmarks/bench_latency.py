"""Round-trip latency against a local server: binance_typed vs a bare httpx client vs peers.

A server process on 127.0.0.1 (uvicorn, httptools parser, a minimal ASGI app so that the server
adds as little as possible) answers:

* ``GET /api/v3/time``   -> ``{"serverTime": ...}``
* ``POST /api/v3/order`` -> an ACK body echoing ``newClientOrderId``
* ``GET /api/v3/klines``  -> the 1000-candle body of bench_parse.py (target: <= 1.8x the floor)

with Binance's ``X-MBX-USED-WEIGHT-*`` / ``X-MBX-ORDER-COUNT-*`` headers. Clients, all keep-alive:

* floor: one ``httpx.Client`` doing the same request and ``json.loads`` of the body (for the
  order: ``urlencode`` + HMAC signature + ``X-MBX-APIKEY`` header too). Every client sends the
  same order parameters, ``newClientOrderId`` included (binance_typed always sends one; a row
  shows it generating the id itself);
* binance_typed ``Client.market.time()`` and ``Client.trade.new_order(..., newOrderRespType="ACK")``
  (validated params, signed, typed response): target <= 1.25x the floor's latency;
* binance-connector ``Spot(base_url=...)``, binance-sdk-spot ``Spot(ConfigurationRestAPI(
  base_path=...))``, python-binance ``Client`` with ``API_URL`` pointed at the server.

Each round makes ``--calls`` calls per client (interleaved across clients, rotated order); the
table shows the per-call latency (min and median of the round means), calls per second (from the
median) and the ratio to the floor. Bounded: rounds x calls x clients requests, then the server
is stopped.

Run: ``/work/bench-venv/bin/python benchmarks/bench_latency.py [--quick] [--json FILE]``
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).parent))

from _timing import Row, bench, print_rows, quick, ratio_rows, write_json  # noqa: E402

API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
KLINES_QUERY = {"symbol": "BTCUSDT", "interval": "1m", "limit": 1000}
ORDER: dict[str, Any] = {
    "symbol": "BTCUSDT",
    "side": "BUY",
    "type": "LIMIT",
    "timeInForce": "GTC",
    "quantity": "0.00150000",
    "price": "64250.01",
    # binance_typed always sends a client order id (it generates one when none is given), so every
    # client is given the same one: the requests are then identical but for timestamp/signature.
    "newClientOrderId": "bench-0123456789abcdef0123456789ab",
}

# -- the server ---------------------------------------------------------------------------------
_CLIENT_ID = re.compile(rb"newClientOrderId=([^&]+)")


_KLINES: list[bytes] = []


def _klines_body() -> bytes:
    """The same 1000-candle body as bench_parse.py (fixed seed), built once."""
    if not _KLINES:
        import random

        from bench_parse import klines_body

        _KLINES.append(klines_body(random.Random(42)))
    return _KLINES[0]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Minimal ASGI app: /api/v3/time, GET /api/v3/klines (1000 rows) and POST /api/v3/order (ACK)."""
    if scope["type"] != "http":
        return
    path = scope["path"]
    now = int(time.time() * 1000)
    headers = [(b"content-type", b"application/json;charset=UTF-8"),
               (b"x-mbx-used-weight", b"1"), (b"x-mbx-used-weight-1m", b"1")]
    if path == "/api/v3/time":
        body = b'{"serverTime":%d}' % now
        status = 200
    elif path == "/api/v3/klines":
        body = _klines_body()
        status = 200
    elif path == "/api/v3/order" and scope["method"] == "POST":
        data = scope["query_string"]
        more = True
        while more:  # python-binance sends the parameters in the body
            message = await receive()
            data += b"&" + message.get("body", b"")
            more = message.get("more_body", False)
        found = _CLIENT_ID.search(data)
        client_id = found.group(1) if found else b"bench-generated-id"
        body = (b'{"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"%s",'
                b'"transactTime":%d}' % (client_id, now))
        headers += [(b"x-mbx-order-count-10s", b"1"), (b"x-mbx-order-count-1d", b"1")]
        status = 200
    else:
        body = b'{"code":-1100,"msg":"unknown path"}'
        status = 404
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def serve(port: int) -> None:
    import uvicorn

    http = "httptools"
    try:
        import httptools  # noqa: F401
    except ImportError:
        http = "h11"
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, http=http,
                lifespan="off")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port)])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the benchmark server did not start")


# -- the clients ---------------------------------------------------------------------------------
def clients(base: str) -> tuple[dict[str, Any], dict[str, Any], list[Any], dict[str, Any]]:
    """(time cases, order cases, things to close, klines cases)."""
    import httpx

    time_cases: dict[str, Any] = {}
    order_cases: dict[str, Any] = {}
    kline_cases: dict[str, Any] = {}
    closers: list[Any] = []

    http = httpx.Client()
    closers.append(http.close)
    secret = SECRET.encode()

    def bare_time() -> Any:
        return json.loads(http.get(f"{base}/api/v3/time").content)

    def bare_order() -> Any:
        query = urlencode(dict(ORDER, newOrderRespType="ACK", recvWindow=5000,
                               timestamp=int(time.time() * 1000)))
        signature = hmac.new(secret, query.encode(), hashlib.sha256).hexdigest()
        response = http.post(f"{base}/api/v3/order?{query}&signature={signature}",
                             headers={"X-MBX-APIKEY": API_KEY})
        return json.loads(response.content)

    def bare_klines() -> Any:
        return json.loads(http.get(f"{base}/api/v3/klines", params=KLINES_QUERY).content)

    kline_cases["httpx.Client + json.loads (floor)"] = bare_klines
    time_cases["httpx.Client + json.loads (floor)"] = bare_time
    order_cases["httpx.Client + urlencode + hmac + json.loads (floor)"] = bare_order

    import binance_typed

    # rate_limit="off": the peers have no client-side budget, and with it on, the default order
    # limit (100 orders / 10 s) makes the gate wait once a round has sent 100 orders, so the
    # order row would time the gate's sleeps (about 20 ms a call) rather than the request path
    typed = binance_typed.Client(API_KEY, SECRET, base_url=base, rate_limit="off")
    closers.append(typed.close)
    market, trade = typed.market, typed.trade
    time_cases["binance_typed market.time()"] = market.time
    kline_cases["binance_typed market.klines() -> list[Kline]"] = lambda: market.klines("BTCUSDT", "1m", limit=1000)
    order_cases["binance_typed trade.new_order(ACK)"] = lambda: trade.new_order(
        **ORDER, newOrderRespType="ACK"
    )
    no_id = {k: v for k, v in ORDER.items() if k != "newClientOrderId"}
    order_cases["binance_typed trade.new_order(ACK), id generated"] = lambda: trade.new_order(
        **no_id, newOrderRespType="ACK"
    )

    try:
        from binance.spot import Spot as ConnectorSpot

        connector = ConnectorSpot(API_KEY, SECRET, base_url=base)
        time_cases["binance-connector Spot.time()"] = connector.time
        kline_cases["binance-connector Spot.klines() (untyped)"] = lambda: connector.klines("BTCUSDT", "1m", limit=1000)
        order_cases["binance-connector Spot.new_order(ACK)"] = lambda: connector.new_order(
            **ORDER, newOrderRespType="ACK"
        )
    except ImportError:
        pass

    try:
        from binance_sdk_spot.rest_api.models import enums as sdk_enums
        from binance_sdk_spot.spot import ConfigurationRestAPI, Spot

        sdk = Spot(config_rest_api=ConfigurationRestAPI(api_key=API_KEY, api_secret=SECRET, base_path=base)).rest_api
        time_cases["binance-sdk-spot rest_api.time().data()"] = lambda: sdk.time().data()

        def sdk_order() -> Any:
            return sdk.new_order(
                symbol="BTCUSDT", side=sdk_enums.NewOrderSideEnum.BUY, type=sdk_enums.NewOrderTypeEnum.LIMIT,
                time_in_force=sdk_enums.NewOrderTimeInForceEnum.GTC, quantity=0.0015, price=64250.01,
                new_order_resp_type=sdk_enums.NewOrderNewOrderRespTypeEnum.ACK,
                new_client_order_id=ORDER["newClientOrderId"],
            ).data()

        order_cases["binance-sdk-spot rest_api.new_order(ACK).data()"] = sdk_order
    except ImportError:
        pass

    try:
        from binance.client import Client as PyBinance

        pyb = PyBinance(API_KEY, SECRET, ping=False)
        pyb.API_URL = f"{base}/api"
        time_cases["python-binance get_server_time()"] = pyb.get_server_time
        kline_cases["python-binance get_klines() (untyped)"] = lambda: pyb.get_klines(
            symbol="BTCUSDT", interval="1m", limit=1000
        )
        order_cases["python-binance create_order(ACK)"] = lambda: pyb.create_order(
            **ORDER, newOrderRespType="ACK"
        )
    except ImportError:
        pass

    for cases in (time_cases, order_cases, kline_cases):  # every client must work before it is timed
        for name, fn in list(cases.items()):
            try:
                fn()
            except Exception as exc:  # a peer that cannot talk to the local server is left out
                print(f"skipping {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                del cases[name]
    return time_cases, order_cases, closers, kline_cases


def run() -> list[Row]:
    rounds = 4 if quick() else 15
    calls = 50 if quick() else 200
    proc, base = start_server()
    rows: list[Row] = []
    try:
        time_cases, order_cases, closers, kline_cases = clients(base)
        for title, cases, target, goal, number in (
            ("GET /api/v3/time", time_cases, "binance_typed market.time()", 1.25, calls),
            ("POST /api/v3/order (ACK, HMAC-signed)", order_cases, "binance_typed trade.new_order(ACK)", 1.25, calls),
            ("GET /api/v3/klines (1000 rows)", kline_cases, "binance_typed market.klines() -> list[Kline]", 1.8,
             max(5, calls // 10)),
        ):
            baseline = next(iter(cases))
            stats = bench(cases, rounds=rounds, number=number)
            notes = {name: f"{1 / s.median:,.0f} calls/s" for name, s in stats.items()}
            rows += ratio_rows(f"latency {title}, 127.0.0.1", stats, baseline,
                               targets={target: goal}, notes=notes)
        for close in closers:
            close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return rows


def main() -> None:
    if "--serve" in sys.argv:
        serve(int(sys.argv[sys.argv.index("--serve") + 1]))
        return
    rows = run()
    for bench_name in dict.fromkeys(r.bench for r in rows):
        print_rows(bench_name, [r for r in rows if r.bench == bench_name])
    write_json(rows)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
