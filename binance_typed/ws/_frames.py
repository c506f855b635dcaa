"""Reading WebSocket frames (RFC 6455) off a connected socket, one buffered ``recv`` at a time.

``websocket-client`` reads a frame with three ``recv`` calls (header, length, payload) through
several layers of Python; :class:`FrameReader` reads whatever the socket holds in one call and cuts
the frames out of that buffer, which keeps the read path short for the blocking WebSocket API
client and the stream client alike. Messages come out whole: fragments are joined, control frames
(ping, pong, close) are returned as they come, also between the fragments of a message.
:func:`text_frame` builds a masked client text frame in one go; the handshake, pongs and close
frames stay with ``websocket-client``.
"""

from __future__ import annotations

import os
import struct
from typing import Any

from websocket import WebSocketConnectionClosedException, WebSocketProtocolException

__all__ = ["OP_BINARY", "OP_CLOSE", "OP_PING", "OP_PONG", "OP_TEXT", "FrameReader", "close_frame", "text_frame"]

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
_RECV_SIZE = 65536


class FrameReader:
    """Frames of one socket. Not thread-safe: one reader at a time (the session's read role)."""

    __slots__ = ("_buf", "_frag", "_frag_opcode", "_pos", "_sock", "_tls_pending")

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._buf: bytes | bytearray = b""
        self._pos = 0
        self._frag_opcode: int | None = None
        self._frag: list[bytes] = []
        self._tls_pending = getattr(sock, "pending", None)

    def tls_pending(self) -> bool:
        """Whether TLS holds decrypted bytes not yet read (the socket then looks idle to select)."""
        pending = self._tls_pending
        return bool(pending is not None and pending())

    def fill(self) -> None:
        """Read what the socket has (blocks until something arrives); EOF raises."""
        chunk = self._sock.recv(_RECV_SIZE)
        if not chunk:
            raise WebSocketConnectionClosedException("Connection to remote host was lost.")
        buf, pos = self._buf, self._pos
        if pos >= len(buf):
            self._buf, self._pos = chunk, 0
            return
        if isinstance(buf, bytes):
            buf = bytearray(buf[pos:])
        elif pos:
            del buf[:pos]
        buf += chunk
        self._buf, self._pos = buf, 0

    def next(self) -> tuple[int, bytes] | None:
        """The next whole message or control frame in the buffer as ``(opcode, payload)``, or None."""
        while True:
            buf, pos = self._buf, self._pos
            size = len(buf) - pos
            if size < 2:
                return None
            first, second = buf[pos], buf[pos + 1]
            length, head = second & 0x7F, 2
            if length == 126:
                if size < 4:
                    return None
                length, head = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if size < 10:
                    return None
                length, head = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            masked = second & 0x80
            if masked:
                head += 4
            if size < head + length:
                return None
            start = pos + head
            payload = bytes(buf[start : start + length])
            if masked:
                key = buf[start - 4 : start]
                payload = bytes(b ^ key[i & 3] for i, b in enumerate(payload))
            self._pos = pos = start + length
            if pos >= len(buf):
                self._buf, self._pos = b"", 0
            message = self._assemble(first, payload)
            if message is not None:
                return message

    def _assemble(self, first: int, payload: bytes) -> tuple[int, bytes] | None:
        if first & 0x70:
            raise WebSocketProtocolException(f"rsv bits set in a frame: {first & 0x70:#x}")
        opcode, fin = first & 0x0F, first & 0x80
        if opcode >= OP_CLOSE:
            if opcode not in (OP_CLOSE, OP_PING, OP_PONG) or not fin or len(payload) > 125:
                raise WebSocketProtocolException(f"invalid control frame (opcode {opcode:#x})")
            return opcode, payload
        if opcode == OP_CONT:
            if self._frag_opcode is None:
                raise WebSocketProtocolException("continuation frame without a message to continue")
            self._frag.append(payload)
            if not fin:
                return None
            message = (self._frag_opcode, b"".join(self._frag))
            self._frag_opcode, self._frag = None, []
            return message
        if opcode not in (OP_TEXT, OP_BINARY):
            raise WebSocketProtocolException(f"unknown opcode {opcode:#x}")
        if self._frag_opcode is not None:
            raise WebSocketProtocolException("new message inside a fragmented one")
        if fin:
            return opcode, payload
        self._frag_opcode, self._frag = opcode, [payload]
        return None


_from_bytes = int.from_bytes
_urandom = os.urandom
_HEAD_16 = struct.Struct("!BBH").pack
_HEAD_64 = struct.Struct("!BBQ").pack


def text_frame(text: str) -> bytes:
    """One final, masked text frame carrying ``text`` (what a client sends, RFC 6455 5.3)."""
    return _masked(0x81, text.encode("utf-8"))


def close_frame(code: int = 1000, reason: bytes = b"") -> bytes:
    """A masked close frame with a status ``code`` and a short ``reason`` (at most 123 bytes)."""
    return _masked(0x80 | OP_CLOSE, code.to_bytes(2, "big") + reason[:123])


def _masked(first: int, payload: bytes) -> bytes:
    size = len(payload)
    if size < 126:
        head = bytes((first, 0x80 | size))
    elif size < 65536:
        head = _HEAD_16(first, 0xFE, size)
    else:
        head = _HEAD_64(first, 0xFF, size)
    key = _urandom(4)
    if not size:
        return head + key
    stream = _from_bytes((key * (size // 4 + 1))[:size], "little")
    return head + key + (_from_bytes(payload, "little") ^ stream).to_bytes(size, "little")
