"""WebSocket API methods without a REST twin (``ws.session`` and ``ws.user_data``).

Session authentication (``session.logon`` / ``status`` / ``logout``) and the user data stream
subscriptions exist only on the WebSocket API, so they are declared here with ``path=None``. This
module is deliberately not in :data:`binance_typed.endpoints.GROUP_MODULES` (which drives the REST
groups); ``scripts/generate.py`` reads it for the WebSocket API classes only.
"""

from __future__ import annotations

from .._endpoint import Endpoint, Security
from .._params import Params, SignedParams
from ..models._base import BinanceModel, Timestamp
from ..models.market import EmptyResponse

__all__ = [
    "SESSION_LOGON",
    "SESSION_LOGOUT",
    "SESSION_STATUS",
    "SESSION_SUBSCRIPTIONS",
    "SessionStatus",
    "Subscription",
    "USER_DATA_SUBSCRIBE",
    "USER_DATA_SUBSCRIBE_SIGNATURE",
    "USER_DATA_UNSUBSCRIBE",
    "WS_ONLY_GROUPS",
]

WS_ONLY_GROUPS: tuple[str, ...] = ("session", "user_data")
"""The client groups of this module, in order."""


# -- response models ------------------------------------------------------------------------------
class SessionStatus(BinanceModel):
    """State of the WebSocket session: the authenticated key (None when logged out) and flags."""

    api_key: str | None = None
    authorized_since: Timestamp | None = None
    connected_since: Timestamp
    return_rate_limits: bool
    server_time: Timestamp
    user_data_stream: bool | None = None
    """True when a user data subscription is active; None when the server does not offer them."""


class Subscription(BinanceModel):
    """A user data stream subscription of this session."""

    subscription_id: int


# -- params ---------------------------------------------------------------------------------------
class NoWsParams(Params):
    """A WebSocket API method without parameters."""


class LogonParams(SignedParams):
    """``session.logon``: the key, timestamp and signature are added by the client."""


class SubscribeSignatureParams(SignedParams):
    """``userDataStream.subscribe.signature``: the key, timestamp and signature are added by the client."""


class UnsubscribeParams(Params):
    subscriptionId: int | None = None


# -- session --------------------------------------------------------------------------------------
SESSION_LOGON = Endpoint(
    group="session", name="logon", verb="WS", path=None, security=Security.SIGNED,
    params=LogonParams, response=SessionStatus, weight=2, ws_method="session.logon",
    summary="Authenticate the connection with the API key (Ed25519 only); later signed calls omit apiKey and signature.",
)
"""Declaration of ``ws.session.logon`` (``session.logon``)."""

SESSION_STATUS = Endpoint(
    group="session", name="status", verb="WS", path=None, security=Security.NONE,
    params=NoWsParams, response=SessionStatus, weight=2, ws_method="session.status",
    summary="Which API key (if any) authenticates this connection.",
)
"""Declaration of ``ws.session.status`` (``session.status``)."""

SESSION_LOGOUT = Endpoint(
    group="session", name="logout", verb="WS", path=None, security=Security.NONE,
    params=NoWsParams, response=SessionStatus, weight=2, ws_method="session.logout",
    summary="Forget the authenticated API key; the connection stays open.",
)
"""Declaration of ``ws.session.logout`` (``session.logout``)."""

SESSION_SUBSCRIPTIONS = Endpoint(
    group="session", name="subscriptions", verb="WS", path=None, security=Security.NONE,
    params=NoWsParams, response=list[Subscription], weight=2, ws_method="session.subscriptions",
    summary="The active user data stream subscriptions of this session.",
)
"""Declaration of ``ws.session.subscriptions`` (``session.subscriptions``)."""

# -- user data stream -----------------------------------------------------------------------------
USER_DATA_SUBSCRIBE = Endpoint(
    group="user_data", name="subscribe", verb="WS", path=None, security=Security.NONE,
    params=NoWsParams, response=Subscription, weight=2, ws_method="userDataStream.subscribe",
    summary="Receive the authenticated account's user data events on this connection.",
    extra_doc="Needs a session authenticated with session.logon (Ed25519); the client logs on first\n"
    "when it has an Ed25519 key and is not logged on yet.",
)
"""Declaration of ``ws.user_data.subscribe`` (``userDataStream.subscribe``)."""

USER_DATA_SUBSCRIBE_SIGNATURE = Endpoint(
    group="user_data", name="subscribe_signature", verb="WS", path=None, security=Security.SIGNED,
    params=SubscribeSignatureParams, response=Subscription, weight=2,
    ws_method="userDataStream.subscribe.signature",
    summary="Receive an account's user data events, authorised by a signature (any key type, no logon).",
)
"""Declaration of ``ws.user_data.subscribe_signature`` (``userDataStream.subscribe.signature``)."""

USER_DATA_UNSUBSCRIBE = Endpoint(
    group="user_data", name="unsubscribe", verb="WS", path=None, security=Security.NONE,
    params=UnsubscribeParams, response=EmptyResponse, weight=2, ws_method="userDataStream.unsubscribe",
    summary="Stop one subscription (subscriptionId), or all of them when none is given.",
)
"""Declaration of ``ws.user_data.unsubscribe`` (``userDataStream.unsubscribe``)."""
