"""Signing a new-order request: binance_typed vs the bare primitives (no I/O anywhere).

The request is a LIMIT order (symbol, side, type, timeInForce, quantity, price, newClientOrderId,
recvWindow, timestamp). Cases, per key type:

* floor: ``urlencode(dict)`` + ``hmac.new(secret, query, sha256).hexdigest()`` (HMAC), or
  ``urlencode`` + ``Ed25519PrivateKey.sign`` + base64 + percent-encoding (Ed25519), the least
  any client must do;
* ``prepare()``: binance_typed's request builder with already-validated params (the whole path of
  a call minus I/O: client order id, wire encoding, timestamp, signature, URL and headers);
  targets <= 1.5x the floor;
* ``prepare()`` with the client order id generated (no ``newClientOrderId`` given: what a user
  calling ``new_order`` without one gets);
* ``build + prepare()``: ``NewOrderParams.build(...)`` (pydantic validation + the per-type rules)
  followed by ``prepare()`` — what ``client.trade.new_order(...)`` costs before the socket;
* the signer alone (``signer.sign(query)``) vs the bare primitive on the same payload; target
  <= 1.5x;
* peers, for scale: binance-connector's and python-binance's own encode + sign of the same dict.

Run: ``/work/bench-venv/bin/python benchmarks/bench_sign.py [--quick] [--json FILE]``
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).parent))

from _timing import Row, bench, print_rows, quick, ratio_rows, write_json  # noqa: E402

SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
ORDER: dict[str, Any] = {
    "symbol": "BTCUSDT",
    "side": "BUY",
    "type": "LIMIT",
    "timeInForce": "GTC",
    "quantity": "0.00150000",
    "price": "64250.01",
    "newClientOrderId": "bench-order-000001",
}


def ed25519_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def ed25519_pem(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(  # type: ignore[no-any-return]
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def floor_hmac() -> str:
    payload = dict(ORDER, recvWindow=5000, timestamp=int(time.time() * 1000))
    query = urlencode(payload)
    return f"{query}&signature={hmac.new(SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()}"


def make_floor_ed25519(key: Any) -> Any:
    def floor_ed25519() -> str:
        payload = dict(ORDER, recvWindow=5000, timestamp=int(time.time() * 1000))
        query = urlencode(payload)
        signature = base64.b64encode(key.sign(query.encode())).decode()
        return f"{query}&signature={quote(signature, safe='')}"

    return floor_ed25519


def typed_cases(kind: str, key: Any) -> dict[str, Any]:
    from binance_typed._client import _config
    from binance_typed._transport._base import prepare
    from binance_typed.endpoints.trade import NEW_ORDER

    if kind == "HMAC":
        config = _config(API_KEY, SECRET, None, None, "https://api.binance.com", None, 5000, None)
    else:
        config = _config(API_KEY, None, ed25519_pem(key), None, "https://api.binance.com", None, 5000, None)
    params = NEW_ORDER.params.build(**ORDER)
    no_id = {k: v for k, v in ORDER.items() if k != "newClientOrderId"}
    params_no_id = NEW_ORDER.params.build(**no_id)
    prepared = prepare(NEW_ORDER, params, config)
    assert "signature=" in prepared.url, prepared.url
    build = NEW_ORDER.params.build
    signer = config.signer
    assert signer is not None
    query = prepared.url.split("?", 1)[1].rsplit("&signature=", 1)[0]
    return {
        "binance_typed prepare()": lambda: prepare(NEW_ORDER, params, config),
        "binance_typed prepare(), generated client id": lambda: prepare(NEW_ORDER, params_no_id, config),
        "binance_typed build + prepare()": lambda: prepare(NEW_ORDER, build(**ORDER), config),
        "_signer": signer,
        "_query": query,
    }


def peer_cases() -> dict[str, Any]:
    cases: dict[str, Any] = {}
    try:
        from binance.lib.authentication import hmac_hashing
        from binance.lib.utils import cleanNoneValue, encoded_string

        def connector() -> str:
            payload = dict(ORDER, recvWindow=5000, timestamp=int(time.time() * 1000))
            query = encoded_string(cleanNoneValue(payload))
            return f"{query}&signature={hmac_hashing(SECRET, query)}"

        connector()
        cases["binance-connector encode + sign"] = connector
    except ImportError:
        pass
    try:
        from binance.client import Client

        client = Client(API_KEY, SECRET, ping=False)

        def python_binance() -> str:
            payload = dict(ORDER, recvWindow=5000, timestamp=int(time.time() * 1000))
            return client._generate_signature(payload)

        python_binance()
        cases["python-binance _generate_signature"] = python_binance
    except ImportError:
        pass
    return cases


def run() -> list[Row]:
    rounds = 5 if quick() else 21
    batch = 0.02 if quick() else 0.05
    rows: list[Row] = []
    key = ed25519_key()

    # -- HMAC: whole request ---------------------------------------------------------------------
    typed = typed_cases("HMAC", key)
    signer, query = typed.pop("_signer"), typed.pop("_query")
    cases: dict[str, Any] = {"urlencode + hmac (floor)": floor_hmac, **typed, **peer_cases()}
    target = "binance_typed prepare()"
    stats = bench(cases, rounds=rounds, batch_time=batch)
    rows += ratio_rows("sign new order, HMAC-SHA256", stats, "urlencode + hmac (floor)",
                       targets={target: 1.5})

    # -- HMAC: signer alone ----------------------------------------------------------------------
    secret = SECRET.encode()
    cases = {
        "hmac.new().hexdigest() (floor)": lambda: hmac.new(secret, query.encode(), hashlib.sha256).hexdigest(),
        "binance_typed HmacSigner.sign": lambda: signer.sign(query),
    }
    stats = bench(cases, rounds=rounds, batch_time=batch)
    rows += ratio_rows("HMAC signer alone", stats, "hmac.new().hexdigest() (floor)",
                       targets={"binance_typed HmacSigner.sign": 1.5})

    # -- Ed25519: whole request --------------------------------------------------------------------
    typed = typed_cases("Ed25519", key)
    signer, query = typed.pop("_signer"), typed.pop("_query")
    cases = {"urlencode + Ed25519 sign (floor)": make_floor_ed25519(key), **typed}
    stats = bench(cases, rounds=rounds, batch_time=batch)
    rows += ratio_rows("sign new order, Ed25519", stats, "urlencode + Ed25519 sign (floor)",
                       targets={target: 1.5})

    # -- Ed25519: signer alone -----------------------------------------------------------------------
    cases = {
        "Ed25519PrivateKey.sign (floor)": lambda: key.sign(query.encode()),
        "binance_typed Ed25519Signer.sign": lambda: signer.sign(query),
    }
    stats = bench(cases, rounds=rounds, batch_time=batch)
    rows += ratio_rows("Ed25519 signer alone", stats, "Ed25519PrivateKey.sign (floor)",
                       targets={"binance_typed Ed25519Signer.sign": 1.5},
                       notes={"binance_typed Ed25519Signer.sign": "adds base64"})
    return rows


def main() -> None:
    rows = run()
    for bench_name in dict.fromkeys(r.bench for r in rows):
        print_rows(bench_name, [r for r in rows if r.bench == bench_name])
    write_json(rows)


if __name__ == "__main__":
    main()
