"""Request signing: HMAC-SHA256, RSA (PKCS#1 v1.5, SHA-256) and Ed25519. Pure functions, no I/O.

REST signs the percent-encoded query string (followed by the body, which this package leaves
empty); the WebSocket API signs its parameters sorted by name. Both build the payload with
:func:`encode_params` and sign it with a :class:`Signer`. A signer never shows its key in a repr.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

__all__ = [
    "Ed25519Signer",
    "HmacSigner",
    "RsaSigner",
    "Signer",
    "encode_params",
    "load_signer",
]

_SAFE = "-_.~"
# Values made only of RFC 3986 unreserved characters (symbols, numbers, enum names, hex
# signatures: nearly all of them) come out of quote() unchanged, and this check is cheaper.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def encode_params(items: Iterable[tuple[str, str]]) -> str:
    """Percent-encode ``key=value`` pairs joined by ``&`` (UTF-8, RFC 3986 unreserved kept)."""
    return "&".join(f"{k}={v}" if _UNRESERVED(v) else f"{k}={quote(v, safe=_SAFE)}" for k, v in items)


class Signer(Protocol):
    """Signs a payload and says whether the result must be URL-encoded (base64) or not (hex)."""

    kind: str

    def sign(self, payload: str) -> str: ...


def _no_pickle(signer: object) -> TypeError:
    return TypeError(f"{type(signer).__name__} holds a secret key and cannot be pickled or copied")


def _keyed_openssl(key: bytes) -> Any:
    """OpenSSL's HMAC-SHA256 object keyed with ``key`` (the C object ``hmac.HMAC`` wraps: its
    ``copy``, ``update`` and ``hexdigest`` skip the Python wrapper), or None where it is missing."""
    try:
        from _hashlib import hmac_new
    except ImportError:  # pragma: no cover - a Python built without OpenSSL
        return None
    try:
        return hmac_new(key, digestmod="sha256")
    except (TypeError, ValueError):  # pragma: no cover - an OpenSSL that refuses it
        return None


class HmacSigner:
    """HMAC-SHA256 over the payload, hex encoded (Binance compares it case-insensitively)."""

    kind = "HMAC"
    __slots__ = ("_keyed",)

    def __init__(self, secret: str | bytes) -> None:
        key = secret.encode() if isinstance(secret, str) else secret
        # keyed once: each signature copies this state instead of hashing the key again
        self._keyed: Any = _keyed_openssl(key) or hmac.new(key, digestmod=hashlib.sha256)

    def sign(self, payload: str) -> str:
        mac = self._keyed.copy()
        mac.update(payload.encode())
        signature: str = mac.hexdigest()
        return signature

    def __repr__(self) -> str:
        return "HmacSigner(secret=<redacted>)"

    def __reduce__(self) -> Any:
        raise _no_pickle(self)


class RsaSigner:
    """RSASSA-PKCS1-v1_5 with SHA-256, base64 encoded."""

    kind = "RSA"
    __slots__ = ("_key",)

    def __init__(self, key: object) -> None:
        self._key = key

    def sign(self, payload: str) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        raw = self._key.sign(payload.encode(), padding.PKCS1v15(), hashes.SHA256())  # type: ignore[attr-defined]
        return base64.b64encode(raw).decode()

    def __repr__(self) -> str:
        return "RsaSigner(private_key=<redacted>)"

    def __reduce__(self) -> Any:
        raise _no_pickle(self)


class Ed25519Signer:
    """Ed25519 over the payload, base64 encoded (the key type Binance recommends)."""

    kind = "Ed25519"
    __slots__ = ("_key",)

    def __init__(self, key: object) -> None:
        self._key = key

    def sign(self, payload: str) -> str:
        raw: bytes = self._key.sign(payload.encode())  # type: ignore[attr-defined]
        return base64.b64encode(raw).decode()

    def __repr__(self) -> str:
        return "Ed25519Signer(private_key=<redacted>)"

    def __reduce__(self) -> Any:
        raise _no_pickle(self)


def _pem_bytes(private_key: str | bytes | Path) -> bytes:
    if isinstance(private_key, Path):
        return private_key.read_bytes()
    if isinstance(private_key, bytes):
        return private_key
    if "-----BEGIN" in private_key:
        return private_key.encode()
    path = Path(private_key)
    if path.is_file():
        return path.read_bytes()
    raise ValueError("private_key is neither PEM text nor the path of a PEM file")


def load_signer(
    api_secret: str | bytes | None = None,
    private_key: str | bytes | Path | None = None,
    private_key_pass: str | bytes | None = None,
) -> Signer | None:
    """Pick the signer from the credentials: a PEM key (RSA or Ed25519, detected) or an HMAC secret."""
    if private_key is not None:
        from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        password = private_key_pass.encode() if isinstance(private_key_pass, str) else private_key_pass
        key = load_pem_private_key(_pem_bytes(private_key), password=password)
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return Ed25519Signer(key)
        if isinstance(key, rsa.RSAPrivateKey):
            return RsaSigner(key)
        raise ValueError(f"unsupported private key type {type(key).__name__}: use RSA or Ed25519")
    if api_secret:
        return HmacSigner(api_secret)
    return None
