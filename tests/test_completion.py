"""IDE completion: jedi (IPython, Jupyter, many editors) offers every parameter name of a call.

For one method of every client group (the /api/v3 groups, each /sapi group, the WebSocket API
groups, and the asyncio twins), typing ``client.<group>.<method>(`` must complete each of the
method's parameters as ``name=``, the optional ones included. Overloaded methods used to hide their
optional parameters behind ``**options: Unpack[...]``, which jedi cannot expand.
"""

from __future__ import annotations

import importlib
import os
import textwrap
from typing import Any

import pytest
from support import ROOT

from binance_typed._endpoint import Endpoint
from binance_typed.endpoints import GROUP_MODULES, all_endpoints
from binance_typed.endpoints.sapi import SAPI_GROUPS

# jedi is in the dev extra: CI must run these tests, a local checkout without it skips them
jedi = importlib.import_module("jedi") if os.environ.get("CI") else pytest.importorskip("jedi")

CALL_OPTIONS = ("timeout", "extra_params")


def _endpoints(group: str) -> list[Endpoint]:
    module = f"binance_typed.endpoints.{'sapi.' if group in SAPI_GROUPS else ''}{group}"
    mod = importlib.import_module(module)
    return [v for v in vars(mod).values() if isinstance(v, Endpoint)]


def _pick(group: str) -> Endpoint:
    """The group's method with the most optional parameters (overloaded ones first)."""
    eps = _endpoints(group)

    def optional_count(ep: Endpoint) -> int:
        return sum(1 for f in ep.params.model_fields.values() if not f.is_required())

    return max(eps, key=lambda ep: (bool(ep.overloads), optional_count(ep)))


def _by_name(dotted: str) -> Endpoint:
    group, name = dotted.split(".")
    pool = _endpoints(group) if group in SAPI_GROUPS else all_endpoints((*GROUP_MODULES, "ws_only"))
    for ep in pool:
        if ep.group == group and ep.name == name:
            return ep
    raise LookupError(dotted)


PROJECT = jedi.Project(str(ROOT), added_sys_path=[str(ROOT)])


def _completions(source: str) -> set[str]:
    """Keyword completions (``name=``) jedi offers at the end of ``source``."""
    source = textwrap.dedent(source).strip("\n")
    lines = source.splitlines()
    script = jedi.Script(source, path=str(ROOT / "completion_probe.py"), project=PROJECT)
    found = script.complete(len(lines), len(lines[-1]))
    return {c.name[:-1] for c in found if c.name.endswith("=")}


def _expected(ep: Endpoint) -> set[str]:
    return {*ep.params.model_fields, *CALL_OPTIONS}


REST_CASES: list[Any] = [
    pytest.param("trade", _by_name("trade.new_order"), id="trade.new_order"),
    pytest.param("market", _by_name("market.ticker_24hr"), id="market.ticker_24hr"),
    pytest.param("market", _by_name("market.klines"), id="market.klines"),
    pytest.param("account", _pick("account"), id=f"account.{_pick('account').name}"),
    *(pytest.param(g, _pick(g), id=f"{g}.{_pick(g).name}") for g in SAPI_GROUPS),
]


@pytest.mark.parametrize(("group", "ep"), REST_CASES)
def test_sync_client_completes_every_parameter(group: str, ep: Endpoint) -> None:
    source = f"""
        from binance_typed import Client
        client = Client()
        client.{group}.{ep.name}("""
    offered = _completions(source)
    missing = _expected(ep) - offered
    assert not missing, f"jedi offers no {sorted(missing)} for client.{group}.{ep.name}( (got {sorted(offered)})"


@pytest.mark.parametrize(
    ("group", "ep"),
    [
        pytest.param("trade", _by_name("trade.new_order"), id="trade.new_order"),
        pytest.param("market", _by_name("market.ticker_price"), id="market.ticker_price"),
        pytest.param("wallet", _pick("wallet"), id=f"wallet.{_pick('wallet').name}"),
    ],
)
def test_async_client_completes_every_parameter(group: str, ep: Endpoint) -> None:
    source = f"""
        from binance_typed import AsyncClient
        async def main() -> None:
            client = AsyncClient()
            await client.{group}.{ep.name}("""
    missing = _expected(ep) - _completions(source)
    assert not missing, f"jedi offers no {sorted(missing)} for AsyncClient().{group}.{ep.name}("


@pytest.mark.parametrize(
    ("cls", "group", "ep"),
    [
        pytest.param("SpotWebsocketAPIClient", "trade", _by_name("trade.new_order"), id="ws.trade.new_order"),
        pytest.param("SpotWebsocketAPIClient", "market", _by_name("market.ticker_24hr"), id="ws.market.ticker_24hr"),
        pytest.param("SpotWebsocketAPIClient", "account", _by_name("account.get_all_orders"), id="ws.account.get_all_orders"),
        pytest.param("SpotWebsocketAPIClient", "session", _by_name("session.logon"), id="ws.session.logon"),
        pytest.param(
            "SpotWebsocketAPIClient", "user_data", _by_name("user_data.subscribe_signature"),
            id="ws.user_data.subscribe_signature",
        ),
        pytest.param("AsyncWebsocketAPIClient", "trade", _by_name("trade.new_order"), id="async-ws.trade.new_order"),
    ],
)
def test_websocket_api_completes_every_parameter(cls: str, group: str, ep: Endpoint) -> None:
    source = f"""
        from binance_typed.ws.api import {cls}
        ws = {cls}()
        ws.{group}.{ep.name}("""
    missing = _expected(ep) - _completions(source)
    assert not missing, f"jedi offers no {sorted(missing)} for {cls}().{group}.{ep.name}("


def test_every_group_is_probed() -> None:
    """A new group must get a completion case (the /sapi ones are picked automatically)."""
    probed = {p.values[0] for p in REST_CASES}
    assert probed == {*GROUP_MODULES, *SAPI_GROUPS}


def test_signature_help_lists_optional_parameters() -> None:
    """Signature help (the popup after ``(``) shows the optional parameters in every overload."""
    source = "from binance_typed import Client\nClient().trade.new_order("
    script = jedi.Script(source, path=str(ROOT / "completion_probe.py"), project=PROJECT)
    signatures = script.get_signatures(2, len("Client().trade.new_order("))
    assert signatures, "jedi found no signature for new_order"
    for sig in signatures:
        names = {p.name for p in sig.params}
        assert {"quantity", "price", "timeInForce", "newClientOrderId", "timeout"} <= names, names
        assert "options" not in names
