"""Write the REST cassettes in ``cassettes/`` from the documented examples (or the testnet).

    python scripts/seed_cassettes.py            # answer each case with its documented example
    BINANCE_TESTNET_API_KEY=... BINANCE_TESTNET_API_SECRET=... \\
        python scripts/seed_cassettes.py --testnet   # re-record against https://testnet.binance.vision

Each case of ``tests/cases`` is called once through the real ``Client`` while vcr records; in the
default mode an ``httpx.MockTransport`` answers with the example body, so the cassette holds the
exact request the client sends and Binance's documented response.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import httpx  # noqa: E402
from cases import all_cases  # noqa: E402
from support import API_KEY, API_SECRET, CASSETTES, EXAMPLES, TESTNET, make_vcr  # noqa: E402

from binance_typed import Client  # noqa: E402
from binance_typed.error import BinanceError  # noqa: E402

HEADERS = {"Content-Type": "application/json;charset=UTF-8", "X-MBX-USED-WEIGHT-1M": "7"}


def main(argv: list[str]) -> int:
    testnet = "--testnet" in argv
    only = [a for a in argv if not a.startswith("--")]
    recorder = make_vcr("all")
    for case in all_cases():
        if only and case.id not in only:
            continue
        body = (EXAMPLES / "rest" / case.example).read_bytes()
        path = CASSETTES / case.cassette
        path.parent.mkdir(parents=True, exist_ok=True)
        if testnet:
            http = httpx.Client()
            key = os.environ["BINANCE_TESTNET_API_KEY"]
            secret = os.environ["BINANCE_TESTNET_API_SECRET"]
        else:
            headers = dict(HEADERS)
            if case.status == 429 or case.status == 418:
                headers["Retry-After"] = "3"
            http = httpx.Client(
                transport=httpx.MockTransport(lambda req, b=body, s=case.status, h=headers: httpx.Response(s, content=b, headers=h))
            )
            key, secret = API_KEY, API_SECRET
        client = Client(key, secret, base_url=TESTNET, http_client=http)
        with recorder.use_cassette(str(path.relative_to(CASSETTES))):
            group, method = case.call.split(".")
            with contextlib.suppress(BinanceError):  # error cases record their error response
                getattr(getattr(client, group), method)(*case.args, **case.kwargs)
        print("wrote", path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
