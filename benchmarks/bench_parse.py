"""Typed parsing of large market-data bodies vs ``json.loads`` of the same bytes.

Bodies (1000 rows each, realistic values, made locally from a fixed seed):

* ``GET /api/v3/klines``    -> binance_typed ``list[Kline]``        target <= 2.5x json.loads
* ``GET /api/v3/aggTrades`` -> binance_typed's declared response    target <= 2.0x json.loads
* ``GET /api/v3/trades``    -> binance_typed's declared response    target <= 2.0x json.loads

Floors shown in the same table when installed: ``orjson.loads`` (the reader of the ``fast``
extra), msgspec decoding into typed rows with Decimal fields, and plain pydantic
(``TypeAdapter(list[Model]).validate_json`` with Decimal fields, no fast path). binance_typed is
klines are measured with orjson when it is installed (what ``binance-typed[fast]`` gives) and,
as a second row, with the standard library reader; the trade lists are decoded by pydantic-core.

binance_typed is measured through the endpoint's own parse path (``ENDPOINT.parse(body, params,
None)``, exactly what the transport calls on a 2XX answer). binance-sdk-spot is measured through
what its REST client does with the body: ``json.loads`` and then ``<Model>.from_dict`` (for klines
it returns the raw nested lists, so no model is built). aggTrades/trades are skipped while the
endpoint is not declared in binance_typed.

Run: ``/work/bench-venv/bin/python benchmarks/bench_parse.py [--quick] [--json FILE]``
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _timing import Row, bench, print_rows, quick, ratio_rows, write_json  # noqa: E402

from binance_typed.models import _base  # noqa: E402

ROWS = 1000
T0 = 1_700_000_000_000


def _price(rng: random.Random) -> str:
    return f"{rng.uniform(20000, 70000):.8f}"


def _qty(rng: random.Random) -> str:
    return f"{rng.uniform(0, 5):.8f}"


def klines_body(rng: random.Random) -> bytes:
    rows = []
    for i in range(ROWS):
        t = T0 + i * 60_000
        rows.append([
            t, _price(rng), _price(rng), _price(rng), _price(rng), _qty(rng),
            t + 59_999, f"{rng.uniform(0, 3e5):.8f}", rng.randint(0, 5000),
            _qty(rng), f"{rng.uniform(0, 1e5):.8f}", "0",
        ])
    return json.dumps(rows, separators=(",", ":")).encode()


def agg_trades_body(rng: random.Random) -> bytes:
    rows = []
    for i in range(ROWS):
        first = 3_000_000_000 + i * 3
        rows.append({
            "a": 2_000_000_000 + i, "p": _price(rng), "q": _qty(rng), "f": first, "l": first + 2,
            "T": T0 + i * 37, "m": rng.random() < 0.5, "M": True,
        })
    return json.dumps(rows, separators=(",", ":")).encode()


def trades_body(rng: random.Random) -> bytes:
    rows = []
    for i in range(ROWS):
        price, qty = _price(rng), _qty(rng)
        rows.append({
            "id": 3_000_000_000 + i, "price": price, "qty": qty,
            "quoteQty": f"{float(price) * float(qty):.8f}", "time": T0 + i * 37,
            "isBuyerMaker": rng.random() < 0.5, "isBestMatch": True,
        })
    return json.dumps(rows, separators=(",", ":")).encode()


def find_endpoint(path: str) -> Any:
    from binance_typed.endpoints import all_endpoints

    for endpoint in all_endpoints():
        if endpoint.path == path:
            return endpoint
    return None


def _pure(parse: Any, body: bytes, params: Any) -> Any:
    """``parse`` with the standard library JSON reader (as without the ``fast`` extra)."""
    saved, _base._orjson_loads = _base._orjson_loads, None
    try:
        return parse(body, params, None)
    finally:
        _base._orjson_loads = saved


def sdk_models() -> dict[str, Any]:
    """binance-sdk-spot response models, if the package is installed."""
    try:
        from binance_sdk_spot.rest_api.models import AggTradesResponse, GetTradesResponse
    except ImportError:
        return {}
    return {"aggTrades": AggTradesResponse, "trades": GetTradesResponse}


def sdk_parse(model: Any, body: bytes) -> Any:
    # what binance_common.utils.send_request does with a 2XX body
    return model.from_dict(json.loads(body))


def floors(label: str, body: bytes) -> dict[str, Any]:
    """Reference decoders of the same body: orjson, msgspec with Decimal, plain pydantic."""
    from decimal import Decimal

    from pydantic import BaseModel, Field, TypeAdapter

    cases: dict[str, Any] = {}
    try:
        import orjson

        cases["orjson.loads"] = lambda b=body: orjson.loads(b)
    except ImportError:
        pass
    try:
        import msgspec
    except ImportError:
        msgspec = None
    if label == "klines":
        row = tuple[int, Decimal, Decimal, Decimal, Decimal, Decimal, int, Decimal, int, Decimal, Decimal, str]
        if msgspec is not None:
            dec = msgspec.json.Decoder(list[row])
            cases["msgspec list[tuple] with Decimal"] = lambda b=body: dec.decode(b)
        return cases

    class AggWire(BaseModel):
        a: int
        p: Decimal
        q: Decimal
        f: int
        l: int  # noqa: E741
        T: int
        m: bool
        M: bool

    class TradeWire(BaseModel):
        id: int
        price: Decimal
        qty: Decimal
        quote_qty: Decimal = Field(alias="quoteQty")
        time: int
        is_buyer_maker: bool = Field(alias="isBuyerMaker")
        is_best_match: bool = Field(alias="isBestMatch")

    model = AggWire if label == "aggTrades" else TradeWire
    adapter = TypeAdapter(list[model])
    cases["pydantic validate_json, Decimal"] = lambda b=body: adapter.validate_json(b)
    if msgspec is not None:
        fields = [(k, v) for k, v in model.__annotations__.items()]
        if label == "aggTrades":
            struct = msgspec.defstruct("AggS", [(k, eval(v, {"Decimal": Decimal})) for k, v in fields])
        else:
            struct = msgspec.defstruct("TradeS", [
                ("id", int), ("price", Decimal), ("qty", Decimal), ("quoteQty", Decimal), ("time", int),
                ("isBuyerMaker", bool), ("isBestMatch", bool),
            ])  # fmt: skip
        dec = msgspec.json.Decoder(list[struct])
        cases["msgspec Struct with Decimal"] = lambda b=body: dec.decode(b)
    return cases


def run() -> list[Row]:
    rng = random.Random(42)
    rounds = 5 if quick() else 21
    batch = 0.02 if quick() else 0.1
    rows: list[Row] = []
    sdk = sdk_models()

    specs = [
        ("klines", "/api/v3/klines", klines_body(rng), {"symbol": "BTCUSDT", "interval": "1m"}, 2.5),
        ("aggTrades", "/api/v3/aggTrades", agg_trades_body(rng), {"symbol": "BTCUSDT"}, 2.0),
        ("trades", "/api/v3/trades", trades_body(rng), {"symbol": "BTCUSDT"}, 2.0),
    ]
    for label, path, body, values, target in specs:
        endpoint = find_endpoint(path)
        cases: dict[str, Any] = {"json.loads": lambda b=body: json.loads(b)}
        notes: dict[str, str] = {}
        targets: dict[str, float] = {}
        if endpoint is None:
            notes["json.loads"] = f"binance_typed declares no {path} yet: skipped"
        else:
            params = endpoint.params.build(**values)
            typed = f"binance_typed {endpoint.dotted}"
            result = endpoint.parse(body, params, None)
            assert len(result) == ROWS, (label, len(result))
            cases[typed] = lambda e=endpoint, b=body, p=params: e.parse(b, p, None)
            targets[typed] = target
            notes[typed] = f"-> list[{type(result[0]).__name__}]"
            if getattr(_base, "_orjson_loads", None) is not None and label == "klines":
                notes[typed] += ", orjson reader"
                pure = f"binance_typed {endpoint.dotted} (json reader)"
                cases[pure] = lambda e=endpoint, b=body, p=params: _pure(e.parse, b, p)
        cases.update(floors(label, body))
        if label == "klines":
            cases["binance-sdk-spot klines"] = lambda b=body: json.loads(b)
            notes["binance-sdk-spot klines"] = "no model: returns the raw lists"
        elif label in sdk:
            model = sdk[label]
            name = f"binance-sdk-spot {model.__name__}"
            cases[name] = lambda m=model, b=body: sdk_parse(m, b)
            notes[name] = "json.loads + from_dict (strings, not Decimals)"
        stats = bench(cases, rounds=rounds, batch_time=batch)
        rows += ratio_rows(
            f"parse {label} ({ROWS} rows, {len(body) // 1024} KiB)",
            stats, "json.loads", unit="ms", targets=targets, notes=notes,
        )
    return rows


def main() -> None:
    rows = run()
    for bench_name in dict.fromkeys(r.bench for r in rows):
        print_rows(bench_name, [r for r in rows if r.bench == bench_name])
    write_json(rows)


if __name__ == "__main__":
    main()
