"""``python -m binance_typed.testing serve --port N``: run LocalBinance until interrupted."""

from __future__ import annotations

import argparse
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m binance_typed.testing", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the local exchange on 127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--weight-limit", type=int, default=6000)
    serve.add_argument("--ping-interval", type=float, default=20.0)
    args = parser.parse_args(argv)
    try:
        from ._server import LocalBinance
    except ImportError:
        print("LocalBinance needs the testing extras: pip install 'binance-typed[testing]'")
        return 1
    with LocalBinance(args.port, args.host, weight_limit=args.weight_limit,
                      ping_interval=args.ping_interval) as exchange:
        print(f"REST          {exchange.rest_url}")
        print(f"streams       {exchange.stream_url}/ws/<stream>  {exchange.stream_url}/stream?streams=a/b")
        print(f"WebSocket API {exchange.ws_api_url}")
        print(f"API key       {exchange.api_key}")
        print(f"API secret    {exchange.api_secret}")
        print("Ctrl-C to stop", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
