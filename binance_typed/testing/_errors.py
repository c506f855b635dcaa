"""Binance's error answers, as the simulator raises them: HTTP status, code and exact message."""

from __future__ import annotations

from typing import Any

__all__ = ["ApiError", "bad_symbol", "filter_failure", "illegal_chars", "mandatory", "not_required"]

# Messages as Binance sends them (tests/spec/examples/errors.json and errors_detailed.json).
MESSAGES: dict[int, str] = {
    -1000: "An unknown error occurred while processing the request.",
    -1002: "You are not authorized to execute this request.",
    -1013: "The request is rejected by the API. (i.e. The request didn't reach the Matching Engine.)",
    -1020: "This operation is not supported.",
    -1021: "Timestamp for this request is outside of the recvWindow.",
    -1022: "Signature for this request is not valid.",
    -1100: "Illegal characters found in a parameter.",
    -1101: "Duplicate values for a parameter detected.",
    -1102: "A mandatory parameter was not sent, was empty/null, or malformed.",
    -1104: "Not all sent parameters were read.",
    -1105: "A parameter was empty.",
    -1106: "A parameter was sent when not required.",
    -1114: "TimeInForce parameter sent when not required.",
    -1115: "Invalid timeInForce.",
    -1116: "Invalid orderType.",
    -1117: "Invalid side.",
    -1120: "Invalid interval.",
    -1121: "Invalid symbol.",
    -1128: "Combination of optional parameters invalid.",
    -1130: "Invalid data sent for a parameter.",
    -1135: "Invalid JSON Request",
    -1139: "Invalid ticker type.",
    -1151: "Symbol is present multiple times in the list.",
    -1158: "Order type not supported in OCO.",
    -1165: "A limit order in a buy OCO must be below.",
    -1166: "A limit order in a sell OCO must be above.",
    -1194: "Invalid value for time unit; expected either MICROSECOND or MILLISECOND.",
    -1196: "A stop loss order in a buy OCO must be above.",
    -1197: "A stop loss order in a sell OCO must be below.",
    -2010: "NEW_ORDER_REJECTED",
    -2011: "CANCEL_REJECTED",
    -2013: "Order does not exist.",
    -2014: "API-key format invalid.",
    -2015: "Invalid API-key, IP, or permissions for action.",
    -2021: "Order cancel-replace partially failed.",
    -2022: "Order cancel-replace failed.",
    -2039: "Client order ID is not correct for this order ID.",
    -2035: "User Data Stream subscription already active.",
    -2036: "User Data Stream subscription not active.",
}

INSUFFICIENT_BALANCE = "Account has insufficient balance for requested action."
UNKNOWN_ORDER = "Unknown order sent."
WOULD_TAKE = "Order would immediately match and take."
AHEAD = "Timestamp for this request was 1000ms ahead of the server's time."
WEIGHT_EXCEEDED = (
    "Too much request weight used; current limit is {limit} request weight per {interval}. "
    "Please use WebSocket Streams for live updates to avoid polling the API."
)
BANNED = (
    "Way too much request weight used; IP banned until {until}. "
    "Please use WebSocket Streams for live updates to avoid bans."
)
TOO_MANY_ORDERS = "Too many new orders; current limit is {limit} orders per {interval}."


class ApiError(Exception):
    """An error answer: ``{"code": code, "msg": msg}`` (and ``data``) with HTTP ``status``."""

    def __init__(self, code: int, msg: str | None = None, status: int = 400, headers: dict[str, str] | None = None,
                 data: Any = None) -> None:
        self.code = code
        self.data = data
        self.msg = msg if msg is not None else MESSAGES.get(code, MESSAGES[-1000])
        self.status = status
        self.headers = headers or {}
        super().__init__(code, self.msg)

    def body(self) -> dict[str, Any]:
        """``{"code", "msg"}``, plus ``data`` when the error carries one (cancel-replace)."""
        out: dict[str, Any] = {"code": self.code, "msg": self.msg}
        if self.data is not None:
            out["data"] = self.data
        return out


def mandatory(name: str) -> ApiError:
    return ApiError(-1102, f"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.")


def not_required(name: str) -> ApiError:
    return ApiError(-1106, f"Parameter '{name}' sent when not required.")


def illegal_chars(name: str, legal: str) -> ApiError:
    return ApiError(-1100, f"Illegal characters found in parameter '{name}'; legal range is '{legal}'.")


def invalid_param(name: str) -> ApiError:
    return ApiError(-1130, f"Data sent for parameter '{name}' is not valid.")


def bad_symbol() -> ApiError:
    return ApiError(-1121)


def filter_failure(name: str) -> ApiError:
    return ApiError(-1013, f"Filter failure: {name}")
