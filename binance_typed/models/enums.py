"""Binance enumerations as ``str`` enums whose members equal the wire values.

Parameters accept the member or the plain string (``OrderSide.BUY`` or ``"BUY"``); the generated
signatures spell out the literal strings so an IDE completes them and mypy rejects typos.
Responses read enum-valued fields as plain ``str`` so a value Binance adds never breaks a bot.
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "CancelReplaceMode",
    "CancelReplaceOutcome",
    "ContingencyType",
    "ExpiryReason",
    "CancelRestrictions",
    "KlineInterval",
    "NewOrderRespType",
    "OrderListOrderStatus",
    "OrderListStatusType",
    "OrderRateLimitExceededMode",
    "OrderSide",
    "OrderStatus",
    "OrderType",
    "PegOffsetType",
    "PegPriceType",
    "SelfTradePreventionMode",
    "Permission",
    "SymbolStatus",
    "SymbolStatusFilter",
    "TickerType",
    "TimeInForce",
    "WindowSize",
    "WorkingFloor",
]


class _StrEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)


class OrderSide(_StrEnum):
    """Side of an order or trade (``side``)."""

    BUY = "BUY"
    SELL = "SELL"


class OrderType(_StrEnum):
    """Order type (``type``); which other parameters each type needs is checked before signing."""

    LIMIT = "LIMIT"
    MARKET = "MARKET"
    STOP_LOSS = "STOP_LOSS"
    STOP_LOSS_LIMIT = "STOP_LOSS_LIMIT"
    TAKE_PROFIT = "TAKE_PROFIT"
    TAKE_PROFIT_LIMIT = "TAKE_PROFIT_LIMIT"
    LIMIT_MAKER = "LIMIT_MAKER"


class TimeInForce(_StrEnum):
    """How long an order stays on the book (``timeInForce``): good till cancelled, immediate or cancel, fill or kill."""

    GTC = "GTC"
    IOC = "IOC"
    FOK = "FOK"


class NewOrderRespType(_StrEnum):
    """How much an order placement answers with (``newOrderRespType``): it picks the response model."""

    ACK = "ACK"
    RESULT = "RESULT"
    FULL = "FULL"


class OrderStatus(_StrEnum):
    """Status of an order (``status``)."""

    NEW = "NEW"
    PENDING_NEW = "PENDING_NEW"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"
    CANCELED = "CANCELED"
    PENDING_CANCEL = "PENDING_CANCEL"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    EXPIRED_IN_MATCH = "EXPIRED_IN_MATCH"


class SymbolStatus(_StrEnum):
    """Trading status of a symbol (``status`` in ``exchangeInfo``)."""

    TRADING = "TRADING"
    END_OF_DAY = "END_OF_DAY"
    HALT = "HALT"
    BREAK = "BREAK"
    CANCEL_ONLY = "CANCEL_ONLY"


class SelfTradePreventionMode(_StrEnum):
    """What happens when an order would trade against an order of the same account (``selfTradePreventionMode``)."""

    NONE = "NONE"
    EXPIRE_MAKER = "EXPIRE_MAKER"
    EXPIRE_TAKER = "EXPIRE_TAKER"
    EXPIRE_BOTH = "EXPIRE_BOTH"
    DECREMENT = "DECREMENT"
    TRANSFER = "TRANSFER"


class KlineInterval(_StrEnum):
    """Candle interval (``interval``): members are named by unit and count, ``MIN_1 = "1m"``, ``MONTH_1 = "1M"``."""

    SEC_1 = "1s"
    MIN_1 = "1m"
    MIN_3 = "3m"
    MIN_5 = "5m"
    MIN_15 = "15m"
    MIN_30 = "30m"
    HOUR_1 = "1h"
    HOUR_2 = "2h"
    HOUR_4 = "4h"
    HOUR_6 = "6h"
    HOUR_8 = "8h"
    HOUR_12 = "12h"
    DAY_1 = "1d"
    DAY_3 = "3d"
    WEEK_1 = "1w"
    MONTH_1 = "1M"


class TickerType(_StrEnum):
    """Size of a ticker answer (``type``): ``FULL`` or ``MINI`` (no bid/ask, fewer fields)."""

    FULL = "FULL"
    MINI = "MINI"


class WindowSize(_StrEnum):
    """Rolling window sizes: 1m..59m, 1h..23h, 1d..7d (the common ones are listed)."""

    MIN_1 = "1m"
    MIN_5 = "5m"
    MIN_15 = "15m"
    MIN_30 = "30m"
    HOUR_1 = "1h"
    HOUR_4 = "4h"
    HOUR_12 = "12h"
    DAY_1 = "1d"
    DAY_7 = "7d"


class CancelReplaceMode(_StrEnum):
    """Whether a cancel-replace places the new order when the cancel fails (``cancelReplaceMode``)."""

    STOP_ON_FAILURE = "STOP_ON_FAILURE"
    ALLOW_FAILURE = "ALLOW_FAILURE"


class CancelRestrictions(_StrEnum):
    """Cancel only when the order has this status (``cancelRestrictions``)."""

    ONLY_NEW = "ONLY_NEW"
    ONLY_PARTIALLY_FILLED = "ONLY_PARTIALLY_FILLED"


class OrderRateLimitExceededMode(_StrEnum):
    """What a cancel-replace does when the order count limit is reached (``orderRateLimitExceededMode``)."""

    DO_NOTHING = "DO_NOTHING"
    CANCEL_ONLY = "CANCEL_ONLY"


class PegPriceType(_StrEnum):
    """What a pegged order's price follows (``pegPriceType``): the same side's best price or the opposite side's."""

    PRIMARY_PEG = "PRIMARY_PEG"
    MARKET_PEG = "MARKET_PEG"


class PegOffsetType(_StrEnum):
    """Unit of ``pegOffsetValue`` (``pegOffsetType``): price levels away from the peg."""

    PRICE_LEVEL = "PRICE_LEVEL"


# -- trading responses (read as plain ``str``; these enums name the documented values) ----------
class ContingencyType(_StrEnum):
    """``contingencyType`` of an order list (OTOCO, OPO and OPOCO lists report ``OTO``)."""

    OCO = "OCO"
    OTO = "OTO"


class OrderListStatusType(_StrEnum):
    """``listStatusType`` of an order list."""

    RESPONSE = "RESPONSE"
    EXEC_STARTED = "EXEC_STARTED"
    UPDATED = "UPDATED"
    ALL_DONE = "ALL_DONE"


class OrderListOrderStatus(_StrEnum):
    """``listOrderStatus`` of an order list."""

    EXECUTING = "EXECUTING"
    ALL_DONE = "ALL_DONE"
    REJECT = "REJECT"


class WorkingFloor(_StrEnum):
    """``workingFloor``: where an order placed through SOR is being filled."""

    EXCHANGE = "EXCHANGE"
    SOR = "SOR"


class ExpiryReason(_StrEnum):
    """``expiryReason`` of an expired order."""

    NONE = "NONE"
    REJECTED = "REJECTED"
    EXCHANGE_CANCELED = "EXCHANGE_CANCELED"
    OCO_TRIGGER = "OCO_TRIGGER"
    OTO_PHASE_ONE_EXPIRED = "OTO_PHASE_ONE_EXPIRED"
    UNFILLED_IOC_QUANTITY_EXPIRED = "UNFILLED_IOC_QUANTITY_EXPIRED"
    UNFILLED_FOK_ORDER_EXPIRED = "UNFILLED_FOK_ORDER_EXPIRED"
    INSUFFICIENT_LIQUIDITY = "INSUFFICIENT_LIQUIDITY"
    EXECUTION_RULE_PRICE_RANGE_EXCEEDED = "EXECUTION_RULE_PRICE_RANGE_EXCEEDED"


class CancelReplaceOutcome(_StrEnum):
    """``cancelResult`` / ``newOrderResult`` of a cancel-replace."""

    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    NOT_ATTEMPTED = "NOT_ATTEMPTED"


class SymbolStatusFilter(_StrEnum):
    """The trading statuses a market data request may filter on (``symbolStatus``)."""

    TRADING = "TRADING"
    HALT = "HALT"
    BREAK = "BREAK"


class Permission(_StrEnum):
    """Account and symbol permissions (``exchangeInfo?permissions=``)."""

    SPOT = "SPOT"
    MARGIN = "MARGIN"
    LEVERAGED = "LEVERAGED"
    TRD_GRP_002 = "TRD_GRP_002"
    TRD_GRP_003 = "TRD_GRP_003"
    TRD_GRP_004 = "TRD_GRP_004"
    TRD_GRP_005 = "TRD_GRP_005"
    TRD_GRP_006 = "TRD_GRP_006"
    TRD_GRP_007 = "TRD_GRP_007"
    TRD_GRP_008 = "TRD_GRP_008"
    TRD_GRP_009 = "TRD_GRP_009"
    TRD_GRP_010 = "TRD_GRP_010"
    TRD_GRP_011 = "TRD_GRP_011"
    TRD_GRP_012 = "TRD_GRP_012"
    TRD_GRP_013 = "TRD_GRP_013"
    TRD_GRP_014 = "TRD_GRP_014"
    TRD_GRP_015 = "TRD_GRP_015"
    TRD_GRP_016 = "TRD_GRP_016"
    TRD_GRP_017 = "TRD_GRP_017"
    TRD_GRP_018 = "TRD_GRP_018"
    TRD_GRP_019 = "TRD_GRP_019"
    TRD_GRP_020 = "TRD_GRP_020"
    TRD_GRP_021 = "TRD_GRP_021"
    TRD_GRP_022 = "TRD_GRP_022"
    TRD_GRP_023 = "TRD_GRP_023"
    TRD_GRP_024 = "TRD_GRP_024"
    TRD_GRP_025 = "TRD_GRP_025"
