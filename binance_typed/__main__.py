"""Command line: ``python -m binance_typed endpoints [--json]`` and ``python -m binance_typed demo``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

DESCRIPTION = "binance-typed command line: list the declared endpoints, or run the demo."


def catalogue() -> list[dict[str, Any]]:
    """One row per declared endpoint (/api/v3, then /sapi): method, product, group, verb, path,
    security, weight (kind and value), WebSocket method, and whether it moves money."""
    from .endpoints import all_endpoints, all_groups

    return [
        {
            "method": ep.dotted,
            "product": ep.product,
            "group": ep.group,
            "verb": ep.verb,
            "path": ep.path,
            "security": ep.security.value,
            "weight_kind": ep.weight_kind,
            "weight": ep.weight if isinstance(ep.weight, int) else ep.weight_text,
            "ws_method": ep.ws_method,
            "moves_money": ep.places_order,
        }
        for ep in all_endpoints(all_groups())
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m binance_typed", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    endpoints = sub.add_parser("endpoints", help="list the declared endpoints")
    endpoints.add_argument("--json", action="store_true", help="print the catalogue as JSON")
    demo = sub.add_parser("demo", help="run the demo against the embedded local exchange")
    demo.add_argument("--live", action="store_true", help="public market data from api.binance.com")
    args = parser.parse_args(argv)
    if args.command == "endpoints":
        try:
            return _print_endpoints(args.json)
        except BrokenPipeError:  # the reader went away (``| head``): stop quietly, as Unix tools do
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
    from .demo import run_demo

    return run_demo(live=args.live)


def _print_endpoints(as_json: bool) -> int:
    """The catalogue on stdout, as a table or JSON."""
    rows = catalogue()
    if as_json:
        json.dump(rows, sys.stdout, indent=2)
        print()
    else:
        for row in rows:
            weight = f"{row['weight']} ({row['weight_kind']})"
            print(f"{row['method']:<48} {row['verb']:<6} {row['path'] or '-':<56} {row['security']:<8} {weight}")
        print(f"{len(rows)} endpoints")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
