"""The WebSocket API client's ``on_message`` takes one typed message (like the stream client's);
the connector-compatible client keeps ``on_message(client, text)``."""

from __future__ import annotations

import json
import threading
import typing
from typing import Any

import pytest

from binance_typed.models.market import ServerTime
from binance_typed.testing import LocalBinance
from binance_typed.websocket.spot.websocket_api import SpotWebsocketAPIClient as ConnectorWsApi
from binance_typed.ws._api_client import _ClientBase
from binance_typed.ws.api import (
    AsyncWebsocketAPIClient,
    SpotWebsocketAPIClient,
    UserDataMessage,
    WsMessage,
    WsResponse,
)


def test_on_message_is_typed_with_one_argument() -> None:
    hint = typing.get_type_hints(_ClientBase.__init__)["on_message"]
    callback, none = typing.get_args(hint)
    assert none is type(None)
    assert typing.get_args(callback) == ([WsMessage], object)
    assert set(typing.get_args(WsMessage)) == {WsResponse, UserDataMessage, dict[str, Any]}


def test_submit_answer_reaches_a_one_argument_callback() -> None:
    got: list[WsMessage] = []
    done = threading.Event()

    def on_message(message: WsMessage) -> None:
        got.append(message)
        done.set()

    with LocalBinance() as ex, SpotWebsocketAPIClient(stream_url=ex.ws_api_url, on_message=on_message) as ws:
        request_id = ws.submit(ws.market.time)
        assert done.wait(10)
    assert len(got) == 1
    message = got[0]
    assert isinstance(message, WsResponse)
    assert message.id == request_id and message.method == "time" and message.ok
    assert isinstance(message.result, ServerTime)


@pytest.mark.parametrize("client_cls", [SpotWebsocketAPIClient, AsyncWebsocketAPIClient])
def test_two_argument_callback_is_refused_at_construction(client_cls: Any) -> None:
    def old_style(client: Any, message: Any) -> None:  # the connector's form
        pass

    with pytest.raises(TypeError, match="must accept one argument"):
        client_cls(on_message=old_style, connect=False)


@pytest.mark.parametrize(
    "callback",
    [print, lambda m: None, lambda *args: None, lambda m, extra=None: None],
    ids=["builtin", "one", "varargs", "one-plus-optional"],
)
def test_one_argument_callables_are_accepted(callback: Any) -> None:
    ws = SpotWebsocketAPIClient(on_message=callback, connect=False)
    ws.close()


def test_connector_client_keeps_client_and_text() -> None:
    calls: list[tuple[Any, Any]] = []
    done = threading.Event()

    def on_message(client: Any, text: Any) -> None:
        calls.append((client, text))
        done.set()

    with LocalBinance() as ex:
        client = ConnectorWsApi(stream_url=ex.ws_api_url, on_message=on_message)
        try:
            client.ping_connectivity(id="my-ping")
            assert done.wait(10)
        finally:
            client.stop()
    assert len(calls) == 1
    who, text = calls[0]
    assert who is client
    assert isinstance(text, str)
    frame = json.loads(text)
    assert frame["id"] == "my-ping" and frame["status"] == 200 and frame["result"] == {}


def test_connector_client_typed_events_get_the_typed_message() -> None:
    calls: list[tuple[Any, Any]] = []
    done = threading.Event()

    def on_message(client: Any, message: Any) -> None:
        calls.append((client, message))
        done.set()

    with LocalBinance() as ex:
        client = ConnectorWsApi(stream_url=ex.ws_api_url, on_message=on_message, typed_events=True)
        try:
            request_id = client.server_time()
            assert done.wait(10)
        finally:
            client.stop()
    who, message = calls[0]
    assert who is client
    assert isinstance(message, WsResponse) and message.id == request_id
    assert isinstance(message.result, ServerTime)
