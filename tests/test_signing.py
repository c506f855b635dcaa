"""Signing: the docs' HMAC vectors, and RSA / Ed25519 keys (PEM text, file, passphrase) end to end."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from support import API_SECRET, example_text

from binance_typed import Client
from binance_typed._signing import Ed25519Signer, HmacSigner, RsaSigner, encode_params, load_signer

ASCII = [("symbol", "LTCBTC"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"),
         ("price", "0.1"), ("recvWindow", "5000"), ("timestamp", "1499827319559")]


def test_hmac_vectors_of_the_docs() -> None:
    signer = HmacSigner(API_SECRET)
    assert signer.sign(encode_params(ASCII)) == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
    unicode = [("symbol", "１２３４５６"), *ASCII[1:]]
    payload = encode_params(unicode)
    assert payload.startswith("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY")
    assert signer.sign(payload) == "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"


def _pem(key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey, password: bytes | None = None) -> str:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption).decode()


def _sent(client_kwargs: dict[str, object]) -> httpx.Request:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=example_text("rest/POST__api_v3_order__01_ACK.json"))

    client = Client("key", http_client=httpx.Client(transport=httpx.MockTransport(handler)), **client_kwargs)  # type: ignore[arg-type]
    client.trade.new_order("BTCUSDT", "SELL", "LIMIT", timeInForce="GTC", quantity=1, price="0.2", newOrderRespType="ACK")
    return seen[0]


def _split(request: httpx.Request) -> tuple[bytes, bytes]:
    payload, _, signature = request.url.query.decode().rpartition("&signature=")
    return payload.encode(), base64.b64decode(unquote(signature))


def test_ed25519_key_from_pem_text_signs_the_exact_query() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    request = _sent({"private_key": _pem(key)})
    payload, signature = _split(request)
    assert payload.startswith(b"symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&")
    key.public_key().verify(signature, payload)  # raises if invalid


def test_rsa_key_from_a_file_with_a_passphrase(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "test-prv-key.pem"
    path.write_text(_pem(key, b"s3cret"))
    request = _sent({"private_key": str(path), "private_key_pass": "s3cret"})
    raw_signature = request.url.query.decode().rpartition("&signature=")[2]
    assert "+" not in raw_signature and "/" not in raw_signature and "=" not in raw_signature  # URL-encoded
    payload, signature = _split(request)
    key.public_key().verify(signature, payload, padding.PKCS1v15(), hashes.SHA256())


def test_signer_is_chosen_from_the_credentials() -> None:
    assert isinstance(load_signer(api_secret="x"), HmacSigner)
    assert isinstance(load_signer(private_key=_pem(ed25519.Ed25519PrivateKey.generate())), Ed25519Signer)
    assert isinstance(load_signer(private_key=_pem(rsa.generate_private_key(65537, 2048))), RsaSigner)
    assert load_signer() is None
    with pytest.raises(ValueError):
        load_signer(private_key="not a key and not a file")


def test_ed25519_signature_is_deterministic() -> None:
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    signer = Ed25519Signer(key)
    assert signer.sign("a=1") == signer.sign("a=1")
    assert repr(signer) == "Ed25519Signer(private_key=<redacted>)"
