"""Shared test helpers: documented examples, request capture, signature checks, fidelity checks."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "spec" / "examples"
CASSETTES = ROOT / "cassettes"
TESTNET = "https://testnet.binance.vision"

# The HMAC key pair published in Binance's signing examples (not a real account).
API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
API_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"


def example(path: str) -> Any:
    """A documented example payload, e.g. ``example("rest/GET__api_v3_klines.json")``."""
    return json.loads((EXAMPLES / path).read_text())


def example_text(path: str) -> str:
    return (EXAMPLES / path).read_text()


@dataclass
class Captured:
    """Requests seen by an httpx event hook."""

    requests: list[httpx.Request] = field(default_factory=list)

    def hook(self, request: httpx.Request) -> None:
        self.requests.append(request)

    async def ahook(self, request: httpx.Request) -> None:
        self.requests.append(request)

    @property
    def last(self) -> httpx.Request:
        assert self.requests, "no request was sent"
        return self.requests[-1]


def query_pairs(request: httpx.Request) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(str(request.url)).query, keep_blank_values=True)


def assert_hmac_signed(request: httpx.Request, secret: str = API_SECRET) -> None:
    """The signature is HMAC-SHA256 of the exact query string that precedes it."""
    raw = request.url.query.decode()
    payload, _, signature = raw.rpartition("&signature=")
    assert payload and signature, f"no signature in {raw!r}"
    expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
    assert signature == expected
    assert request.headers["X-MBX-APIKEY"] == API_KEY


def unsigned_query(request: httpx.Request) -> str:
    """The query without the volatile ``timestamp`` and ``signature`` parameters."""
    raw = request.url.query.decode()
    return "&".join(p for p in raw.split("&") if not p.startswith(("timestamp=", "signature=")))


def dump(value: Any) -> Any:
    """A parsed value back in wire form (aliases, Decimal strings, epoch ms) for comparison."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return [dump(v) for v in value]
    if hasattr(value, "_fields"):  # NamedTuple, e.g. PriceLevel
        return [str(v) for v in value]
    return value


def assert_no_extra(value: Any, allow: frozenset[str] = frozenset()) -> None:
    """Every key of the payload landed on a declared field (model fidelity)."""
    if isinstance(value, BaseModel):
        extra = set(value.model_extra or {}) - allow
        assert not extra, f"{type(value).__name__} does not declare {sorted(extra)}"
        for name in type(value).model_fields:
            assert_no_extra(getattr(value, name), allow)
    elif isinstance(value, (list, tuple)):
        for item in value:
            assert_no_extra(item, allow)


def _volatile_free(uri: str) -> str:
    base, _, query = uri.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith(("timestamp=", "signature="))]
    return f"{base}?{'&'.join(kept)}" if kept else base


def _scrub(request: Any) -> Any:
    """Never store a key, signature or timestamp in a cassette."""
    request.uri = _volatile_free(request.uri)
    for name in list(request.headers):
        if name.lower() == "x-mbx-apikey":
            request.headers[name] = "<redacted>"
    return request


def _query_sans_volatile(r1: Any, r2: Any) -> None:
    assert _volatile_free(r1.uri) == _volatile_free(r2.uri)


def make_vcr(record_mode: str = "none") -> Any:
    """The project's vcr configuration: replay only in CI, secrets scrubbed, volatile params ignored."""
    import vcr

    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=record_mode,
        before_record_request=_scrub,
        match_on=["method", "scheme", "host", "path", "query_sans_volatile"],
        decode_compressed_response=True,
    )
    recorder.register_matcher("query_sans_volatile", _query_sans_volatile)
    return recorder
