"""API keys and request authentication: key format, HMAC / RSA / Ed25519 signatures, timestamps."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ._errors import AHEAD, ApiError, illegal_chars, mandatory

__all__ = ["ApiKey", "KeyRing", "check_timestamp"]

_KEY_FORMAT = re.compile(r"^[A-Za-z0-9]{64}$")


def new_key() -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(64))


@dataclass
class ApiKey:
    """One key of an account: ``secret`` for HMAC keys, ``public_key`` (a cryptography key) otherwise."""

    key: str
    account: int
    kind: str
    secret: str | None = None
    public_key: Any = None

    def verify(self, payload: str, signature: str) -> bool:
        if self.kind == "HMAC":
            assert self.secret is not None
            expected = hmac.new(self.secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, signature.lower())
        try:
            raw = base64.b64decode(signature, validate=True)
        except ValueError:
            return False
        from cryptography.exceptions import InvalidSignature

        try:
            if self.kind == "RSA":
                from cryptography.hazmat.primitives import hashes
                from cryptography.hazmat.primitives.asymmetric import padding

                self.public_key.verify(raw, payload.encode(), padding.PKCS1v15(), hashes.SHA256())
            else:
                self.public_key.verify(raw, payload.encode())
        except InvalidSignature:
            return False
        return True


class KeyRing:
    """The API keys the exchange knows."""

    def __init__(self) -> None:
        self.keys: dict[str, ApiKey] = {}

    def add_hmac(self, account: int, key: str | None = None, secret: str | None = None) -> ApiKey:
        api = ApiKey(key or new_key(), account, "HMAC", secret=secret or new_key())
        self.keys[api.key] = api
        return api

    def add_public(self, account: int, public_key_pem: str | bytes, key: str | None = None) -> ApiKey:
        from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        pem = public_key_pem.encode() if isinstance(public_key_pem, str) else public_key_pem
        public = load_pem_public_key(pem)
        if isinstance(public, ed25519.Ed25519PublicKey):
            kind = "Ed25519"
        elif isinstance(public, rsa.RSAPublicKey):
            kind = "RSA"
        else:
            raise ValueError("only RSA and Ed25519 public keys are supported")
        api = ApiKey(key or new_key(), account, kind, public_key=public)
        self.keys[api.key] = api
        return api

    def lookup(self, key: str | None) -> ApiKey:
        """The key sent as ``X-MBX-APIKEY`` / ``apiKey``: -2014 when malformed, -2015 when unknown."""
        if not key or not _KEY_FORMAT.match(key):
            raise ApiError(-2014, status=401)
        api = self.keys.get(key)
        if api is None:
            raise ApiError(-2015, status=401)
        return api


def check_timestamp(params: dict[str, str], now_ms: int) -> None:
    """``timestamp`` (ms, or µs when 16 digits) within ``recvWindow`` (default 5000, at most 60000)."""
    raw = params.get("timestamp")
    if raw is None or raw == "":
        raise mandatory("timestamp")
    if not raw.isdigit():
        raise illegal_chars("timestamp", "^[0-9]{1,20}$")
    stamp = Decimal(raw)
    if len(raw) >= 16:
        stamp /= 1000
    window = Decimal(5000)
    if "recvWindow" in params:
        try:
            window = Decimal(params["recvWindow"])
        except InvalidOperation:
            raise illegal_chars("recvWindow", "^[0-9]{1,20}(\\.[0-9]{1,3})?$") from None
        if window <= 0 or window > 60000 or window.as_tuple().exponent < -3:  # type: ignore[operator]
            raise ApiError(-1130, "Data sent for parameter 'recvWindow' is not valid.")
    if stamp > now_ms + 1000:
        raise ApiError(-1021, AHEAD)
    if now_ms - stamp > window:
        raise ApiError(-1021)
