"""The exception tree of binance-typed, shared by REST and the WebSocket API.

``ClientError`` (4XX) and ``ServerError`` (5XX) carry what Binance answered; ``ParameterRequiredError``
and ``ParameterValueError`` are raised locally, before anything is signed or sent. Secrets never
appear in any message here: requests are described by method and path only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .error_codes import ErrorCode

__all__ = [
    "BinanceError",
    "ClientError",
    "ConditionalParameterRequiredError",
    "Error",
    "ErrorCode",
    "ExecutionStatusUnknown",
    "IPBannedError",
    "InvalidSignatureError",
    "InvalidTimestampError",
    "MalformedResponseError",
    "NonJSONResponseError",
    "NotOnTestnetError",
    "ParameterArgumentError",
    "ParameterRequiredError",
    "ParameterTypeError",
    "ParameterValueError",
    "RateLimitBudgetError",
    "RateLimitError",
    "RequestTimeoutError",
    "ServerError",
    "TransportError",
    "error_from_response",
    "outcome_unknown",
]


class BinanceError(Exception):
    """Root of every error this package raises."""


class ParameterRequiredError(BinanceError, ValueError):
    """A required parameter is missing; raised before anything is signed or sent."""

    def __init__(self, params: list[str]) -> None:
        self.params = params
        super().__init__(f"{', '.join(params)} is mandatory, but received empty.")


class ParameterValueError(BinanceError, ValueError):
    """A parameter has a value Binance would reject; raised before anything is signed or sent."""

    def __init__(self, message: str, param: str | None = None) -> None:
        self.param = param
        super().__init__(message)


class ConditionalParameterRequiredError(ParameterRequiredError, ParameterValueError):
    """A parameter made mandatory by another one's value is missing (``price`` for a LIMIT order).

    It is both a :class:`ParameterRequiredError` (``.params``) and a
    :class:`ParameterValueError` (``.param``), and its message says why the parameter is needed.
    """

    def __init__(self, params: list[str], because: str) -> None:
        self.params = params
        self.param = params[0]
        Exception.__init__(self, f"{' or '.join(params)} required {because}")


class NotOnTestnetError(BinanceError):
    """The endpoint does not exist on the Spot testnet (every /sapi endpoint); nothing was sent."""
# binance-connector's names, so ``from binance.error import ...`` only needs ``binance_typed.``:
# a wrong type or a bad combination of arguments is a ParameterValueError here.
Error = BinanceError
"""binance-connector's name of :class:`BinanceError` (the same class)."""
ParameterTypeError = ParameterValueError
"""binance-connector's name for a parameter of the wrong type: :class:`ParameterValueError`."""
ParameterArgumentError = ParameterValueError
"""binance-connector's name for a bad argument: :class:`ParameterValueError`."""


class TransportError(BinanceError):
    """The request could not be completed at the network level (connect, read, protocol)."""


class RequestTimeoutError(TransportError):
    """The request timed out before a response arrived."""


class ClientError(BinanceError):
    """Binance answered with a 4XX status.

    Attributes:
        status_code: the HTTP status (or the WebSocket API ``status``).
        error_code: Binance's numeric code, e.g. ``-1121`` (None if the body had none).
        error_message: Binance's message, e.g. ``"Invalid symbol."``.
        header: the response headers.
    """

    def __init__(
        self,
        status_code: int,
        error_code: int | None,
        error_message: str,
        header: Mapping[str, str] | None = None,
        error_data: Any = None,
    ) -> None:
        self.status_code = status_code
        self.error_code = error_code
        self.error_message = error_message
        self.header: dict[str, str] = dict(header or {})
        self.error_data = error_data
        super().__init__(status_code, error_code, error_message)

    def __str__(self) -> str:
        return f"HTTP {self.status_code}, code {self.error_code}: {self.error_message}"


def _retry_after(header: Mapping[str, str]) -> float | None:
    for key, value in header.items():
        if key.lower() == "retry-after":
            try:
                return float(value)
            except ValueError:
                return None
    return None


class RateLimitError(ClientError):
    """429: a request or order rate limit was exceeded; wait ``retry_after`` seconds."""

    @property
    def retry_after(self) -> float | None:
        """Seconds to wait before the next request, from the ``Retry-After`` header (None when absent)."""
        return _retry_after(self.header)


class RateLimitBudgetError(RateLimitError):
    """Raised before sending (``rate_limit="raise"``): the request would exceed the budget the
    client tracks, or the gate is closed after a 429/418. Nothing was sent; ``retry_after`` says
    how many seconds to wait."""

    def __init__(self, message: str, wait: float) -> None:
        super().__init__(0, None, message, {"Retry-After": f"{wait:.3f}"})
        self.wait = wait

    @property
    def retry_after(self) -> float | None:
        """Seconds until the local budget allows the request again."""
        return self.wait

    def __str__(self) -> str:
        return self.error_message


class IPBannedError(ClientError):
    """418: the IP is banned after ignoring 429s; the ban lasts ``retry_after`` seconds."""

    @property
    def retry_after(self) -> float | None:
        """Seconds until the ban ends, from the ``Retry-After`` header (None when absent)."""
        return _retry_after(self.header)


class InvalidTimestampError(ClientError):
    """-1021: the timestamp was outside recvWindow (the local clock drifted)."""


class InvalidSignatureError(ClientError):
    """-1022: the signature did not verify (wrong secret, or parameters changed after signing)."""


class ServerError(BinanceError):
    """Binance answered with a 5XX status; for an order, its execution status is unknown."""

    def __init__(
        self,
        status_code: int,
        message: str,
        header: Mapping[str, str] | None = None,
        error_code: int | None = None,
    ) -> None:
        self.status_code = status_code
        self.message = message
        self.error_code = error_code
        self.header: dict[str, str] = dict(header or {})
        super().__init__(status_code, message)

    def __str__(self) -> str:
        return f"HTTP {self.status_code}: {self.message}"


class NonJSONResponseError(ServerError):
    """The body was not JSON (for example an HTML page from a proxy or a WAF)."""


class MalformedResponseError(BinanceError):
    """A success status whose body could not be decoded into the declared model."""

    def __init__(self, status_code: int, message: str, body: str) -> None:
        self.status_code = status_code
        self.body = body
        super().__init__(f"HTTP {status_code}: {message}; body starts {body[:200]!r}")


class ExecutionStatusUnknown(ServerError):
    """A request that places an order or moves money got a 5XX, a timeout, a dropped connection
    or an unreadable answer: it may have been executed.

    Never resend blindly: look it up by its client-side id first. ``client_id`` holds that id
    and ``client_id_field`` the parameter that carried it (``newClientOrderId`` for orders,
    ``withdrawOrderId`` for withdrawals, ``clientTranId`` for sub-account transfers...);
    ``new_client_order_id`` is the same id under its historical name.
    """

    def __init__(
        self,
        message: str,
        new_client_order_id: str | None,
        status_code: int = 0,
        header: Mapping[str, str] | None = None,
        client_id_field: str = "newClientOrderId",
    ) -> None:
        super().__init__(status_code, message, header)
        self.new_client_order_id = new_client_order_id
        self.accept_until_ms: int | None = None
        """``timestamp + recvWindow`` of the request (Binance's clock, epoch ms), when known: until
        then Binance may still accept the order, so a lookup answering -2013 proves nothing."""
        self.client_id_field = client_id_field

    @property
    def client_id(self) -> str | None:
        """The client-side id sent with the request (generated when the caller gave none)."""
        return self.new_client_order_id

    def __str__(self) -> str:
        what = "the order" if self.client_id_field == "newClientOrderId" else "it"
        return (
            f"execution status unknown ({self.message}); look {what} up by "
            f"{self.client_id_field}={self.new_client_order_id!r} before retrying"
        )


_UNKNOWN_CODES = frozenset({-1006, -1007})
"""UNEXPECTED_RESP and TIMEOUT: Binance itself says the execution status is unknown."""


def outcome_unknown(error: BinanceError) -> bool:
    """Whether an order request that failed with ``error`` may nevertheless have been placed."""
    return isinstance(error, ServerError) or getattr(error, "error_code", None) in _UNKNOWN_CODES


_BY_CODE: dict[int, type[ClientError]] = {
    -1021: InvalidTimestampError,
    -1022: InvalidSignatureError,
}


def error_from_response(
    status_code: int,
    body: Any,
    header: Mapping[str, str],
) -> BinanceError:
    """Map an error response (status + decoded body) to the matching exception.

    ``body`` is the decoded JSON (``{"code", "msg"}``) or the raw text when it was not JSON.
    """
    code: int | None = None
    message: str
    data: Any = None
    if isinstance(body, dict):
        raw_code = body.get("code")
        code = raw_code if isinstance(raw_code, int) else None
        message = str(body.get("msg", body))
        data = body.get("data")
    else:
        text = str(body)
        message = text if len(text) <= 500 else text[:500] + "..."
    if status_code >= 500:
        if not isinstance(body, dict):
            return NonJSONResponseError(status_code, f"non-JSON response: {message}", header)
        return ServerError(status_code, message, header, code)
    if not isinstance(body, dict):
        message = f"non-JSON response: {message}"
    cls: type[ClientError]
    if status_code == 429:
        cls = RateLimitError
    elif status_code == 418:
        cls = IPBannedError
    else:
        cls = _BY_CODE.get(code, ClientError) if code is not None else ClientError
    return cls(status_code, code, message, header, data)
