"""Decode speed of market stream frames vs ``json.loads`` alone (a script, not a test).

    /work/bench-venv/bin/python benchmarks/bench_stream_decode.py [--count 100000] [--combined] [--quick] [--json FILE]

Builds ``count`` realistic frames (a mix of trade, aggTrade, kline, bookTicker, depthUpdate with
5-20 levels per side, 24hrTicker), then times, in interleaved rounds, ``json.loads`` over all of
them, the full decode into typed events, and the decode with the depth levels read. Target
(issue 12): decode with levels read <= 1.2x ``json.loads``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _timing import Row, bench, print_rows, quick, ratio_rows, write_json  # noqa: E402

from binance_typed.models.events.market import StreamDecoder  # noqa: E402


def _px(rng: random.Random, base: float) -> str:
    return f"{base * (1 + rng.uniform(-0.01, 0.01)):.8f}"


def make_messages(count: int, combined: bool = False, seed: int = 7) -> list[str]:
    """``count`` JSON frames shaped like Binance's, with realistic values."""
    rng = random.Random(seed)
    now = 1_760_000_000_000
    out: list[str] = []
    kinds = (
        ["trade"] * 30
        + ["aggTrade"] * 25
        + ["depthUpdate"] * 20
        + ["bookTicker"] * 15
        + ["kline"] * 5
        + ["ticker"] * 5
    )
    for i in range(count):
        kind = rng.choice(kinds)
        t = now + i
        sym = rng.choice(["BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT"])
        stream = sym.lower()
        payload: dict[str, Any]
        if kind == "trade":
            payload = {
                "e": "trade",
                "E": t,
                "s": sym,
                "t": 4_000_000_000 + i,
                "p": _px(rng, 65000),
                "q": f"{rng.uniform(0, 2):.8f}",
                "T": t - 1,
                "m": rng.random() < 0.5,
                "M": True,
            }
            stream += "@trade"
        elif kind == "aggTrade":
            payload = {
                "e": "aggTrade",
                "E": t,
                "s": sym,
                "a": 3_000_000_000 + i,
                "p": _px(rng, 65000),
                "q": f"{rng.uniform(0, 2):.8f}",
                "f": 100 + i,
                "l": 105 + i,
                "T": t - 1,
                "m": rng.random() < 0.5,
                "M": True,
            }
            stream += "@aggTrade"
        elif kind == "depthUpdate":
            nb, na = rng.randint(5, 20), rng.randint(5, 20)
            payload = {
                "e": "depthUpdate",
                "E": t,
                "s": sym,
                "U": 70_000_000_000 + i * 10,
                "u": 70_000_000_000 + i * 10 + 9,
                "b": [[_px(rng, 64990), f"{rng.uniform(0, 5):.8f}"] for _ in range(nb)],
                "a": [[_px(rng, 65010), f"{rng.uniform(0, 5):.8f}"] for _ in range(na)],
            }
            stream += "@depth@100ms"
        elif kind == "bookTicker":
            payload = {
                "u": 70_000_000_000 + i,
                "s": sym,
                "b": _px(rng, 64999),
                "B": f"{rng.uniform(0, 5):.8f}",
                "a": _px(rng, 65001),
                "A": f"{rng.uniform(0, 5):.8f}",
            }
            stream += "@bookTicker"
        elif kind == "kline":
            payload = {
                "e": "kline",
                "E": t,
                "s": sym,
                "k": {
                    "t": t - t % 60000,
                    "T": t - t % 60000 + 59999,
                    "s": sym,
                    "i": "1m",
                    "f": 100 + i,
                    "L": 200 + i,
                    "o": _px(rng, 65000),
                    "c": _px(rng, 65000),
                    "h": _px(rng, 65500),
                    "l": _px(rng, 64500),
                    "v": f"{rng.uniform(0, 500):.8f}",
                    "n": rng.randint(100, 9000),
                    "x": False,
                    "q": f"{rng.uniform(0, 3e7):.8f}",
                    "V": f"{rng.uniform(0, 250):.8f}",
                    "Q": f"{rng.uniform(0, 1.5e7):.8f}",
                    "B": "0",
                },
            }
            stream += "@kline_1m"
        else:
            payload = {
                "e": "24hrTicker",
                "E": t,
                "s": sym,
                "p": "120.50000000",
                "P": "0.185",
                "w": _px(rng, 65000),
                "x": _px(rng, 65000),
                "c": _px(rng, 65000),
                "Q": "0.00100000",
                "b": _px(rng, 64999),
                "B": "1.2",
                "a": _px(rng, 65001),
                "A": "0.8",
                "o": _px(rng, 65000),
                "h": _px(rng, 66000),
                "l": _px(rng, 64000),
                "v": "12345.67800000",
                "q": "802345678.12345678",
                "O": t - 86_400_000,
                "C": t,
                "F": 1,
                "L": 9_000_000,
                "n": 8_999_999,
            }
            stream += "@ticker"
        out.append(
            json.dumps({"stream": stream, "data": payload} if combined else payload, separators=(",", ":"))
        )
    return out


def run(count: int, combined: bool) -> list[Row]:
    """Interleaved rounds over the same frames: json.loads, the typed decode, and the typed decode
    with every depth level read (``PriceLevels`` convert lazily, so reading them is the honest
    cost of a book consumer); orjson and msgspec floors when installed."""
    messages = make_messages(count, combined)
    decoder = StreamDecoder()
    # raw bookTicker frames carry no "e": a raw connection knows its stream; give it here the same way
    streams = [None if combined or '"e":' in m else "btcusdt@bookTicker" for m in messages]
    loads = json.loads
    decode = decoder.decode
    pairs = list(zip(messages, streams, strict=True))

    kinds: dict[str, int] = {}
    for m, s in pairs:  # sanity: every message decodes to a known event
        name = type(decode(m, s)).__name__
        kinds[name] = kinds.get(name, 0) + 1
    assert "UnknownEvent" not in kinds, kinds

    def only_json() -> None:
        for m in messages:
            loads(m)

    def typed() -> None:
        for m, s in pairs:
            decode(m, s)

    def typed_levels() -> None:
        for m, s in pairs:
            event = decode(m, s)
            bids = getattr(event, "bids", None)
            if bids is not None:
                list(bids)
                list(event.asks)  # type: ignore[union-attr]

    cases: dict[str, Callable[[], Any]] = {"json.loads": only_json}
    try:
        import orjson

        def only_orjson() -> None:
            for m in messages:
                orjson.loads(m)

        cases["orjson.loads"] = only_orjson
    except ImportError:
        pass
    typed_name = "binance_typed StreamDecoder.decode"
    levels_name = "binance_typed decode + depth levels read"
    cases[typed_name] = typed
    cases[levels_name] = typed_levels
    rounds = 3 if quick() else 9
    stats = bench(cases, rounds=rounds, number=1)
    mix = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    return ratio_rows(
        f"stream frames ({count} mixed)", stats, "json.loads", unit="ms",
        targets={levels_name: 1.2}, notes={typed_name: mix},
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=0, help="frames (100000; 20000 with --quick)")
    parser.add_argument("--combined", action="store_true", help="wrap frames in the combined-stream envelope")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", default=None, help="write the rows to this file")
    args = parser.parse_args()
    rows = run(args.count or (20_000 if args.quick else 100_000), args.combined)
    print_rows(rows[0].bench, rows)
    write_json(rows)


if __name__ == "__main__":
    main()
