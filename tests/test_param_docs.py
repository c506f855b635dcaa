"""Every parameter of every generated endpoint method is described in its docstring's ``Args:``.

The docstrings are read with griffe's Google parser, the one mkdocstrings renders the reference
with, so a section it cannot read counts as missing.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest

from binance_typed._groups import GROUPS
from binance_typed.endpoints.sapi import SAPI_GROUPS

# griffe comes with mkdocstrings (dev extra): CI must run these tests
griffe = importlib.import_module("griffe") if os.environ.get("CI") else pytest.importorskip("griffe")

WS_ONLY = ("WsSession", "AsyncWsSession", "WsUserData", "AsyncWsUserData")


def generated_classes() -> Iterator[type[Any]]:
    for module, sync, asyn in GROUPS.values():
        mod = importlib.import_module(module)
        yield getattr(mod, sync)
        yield getattr(mod, asyn)
    mod = importlib.import_module("binance_typed.ws._api_methods")
    for name in WS_ONLY:
        yield getattr(mod, name)


def generated_methods() -> Iterator[tuple[str, Any]]:
    """(``Class.method``, function) for the methods the generator wrote (not inherited extras)."""
    for cls in generated_classes():
        for name, func in vars(cls).items():
            if not name.startswith("_") and inspect.isfunction(func):
                yield f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}.{name}", func


def described(func: Any) -> dict[str, str]:
    """Parameter name -> description, as griffe's Google parser reads the docstring."""
    logging.getLogger("griffe").setLevel(logging.ERROR)  # "no type annotation": the signature has them
    doc = griffe.Docstring(inspect.cleandoc(func.__doc__ or ""), parser="google")
    out: dict[str, str] = {}
    for section in doc.parse():
        if section.kind is griffe.DocstringSectionKind.parameters:
            out.update({p.name: p.description for p in section.value})
    return out


def test_every_parameter_of_every_generated_method_is_described(capsys: pytest.CaptureFixture[str]) -> None:
    total = with_text = methods = 0
    problems: list[str] = []
    for where, func in generated_methods():
        methods += 1
        params = [p for p in inspect.signature(func).parameters if p != "self"]
        docs = described(func)
        total += len(params)
        for name in params:
            text = docs.get(name, "").strip()
            if len(text) < 8:
                problems.append(f"{where}({name}): {'missing' if name not in docs else repr(text)}")
            else:
                with_text += 1
        extra = set(docs) - set(params)
        if extra:
            problems.append(f"{where}: describes parameters it does not take: {sorted(extra)}")
    with capsys.disabled():
        print(f"\n{with_text} parameters described of {total} ({methods} generated methods)")
    assert not problems, "\n".join(problems[:40])
    assert methods > 800 and total > 5000  # every group, sync and async: the walk really found them


def _doc(cls: str, method: str) -> dict[str, str]:
    module, name = cls.rsplit(".", 1)
    return described(getattr(getattr(importlib.import_module(module), name), method))


@pytest.mark.parametrize(
    ("cls", "method", "param", "facts"),
    [
        ("binance_typed.api.market.Market", "klines", "limit", ("500", "1000")),
        ("binance_typed.api.market.AsyncMarket", "depth", "limit", ("100", "5000")),
        ("binance_typed.api.market.Market", "ticker", "windowSize", ("1d", "59m")),
        ("binance_typed.api.trade.Trade", "new_order", "quoteOrderQty", ("MARKET", "quantity")),
        ("binance_typed.api.trade.Trade", "new_order", "recvWindow", ("60000",)),
        ("binance_typed.api.trade.Trade", "new_order", "newOrderRespType", ("ACK", "FULL")),
        ("binance_typed.api.trade.Trade", "cancel_order", "orderId", ("origClientOrderId",)),
        ("binance_typed.api.trade.Trade", "new_order_list_oto", "workingPrice", ("working order", "workingType")),
        ("binance_typed.api.trade.Trade", "new_order_list_otoco", "pendingBelowStopPrice", ("pendingBelowTrailingDelta",)),
        ("binance_typed.api.account.Account", "my_trades", "startTime", ("24 hours",)),
        ("binance_typed.api.account.Account", "get_all_order_lists", "fromId", ("startTime",)),
        ("binance_typed.ws._api_methods.WsUserData", "unsubscribe", "subscriptionId", ("every subscription",)),
        ("binance_typed.api.wallet.Wallet", "withdraw", "network", ("default",)),
        ("binance_typed.api.wallet.Wallet", "withdraw", "timeout", ("Seconds",)),
    ],
)
def test_descriptions_carry_the_facts(cls: str, method: str, param: str, facts: tuple[str, ...]) -> None:
    text = " ".join(_doc(cls, method)[param].split())
    for fact in facts:
        assert fact in text, (param, text)


def test_sapi_descriptions_restate_catalogue_facts() -> None:
    """Names outside the glossary get a sentence from the catalogue's facts (values, default, max)."""
    found_values = found_default = found_max = 0
    for where, func in generated_methods():
        if where.split(".")[0] not in SAPI_GROUPS:
            continue
        for text in described(func).values():
            found_values += "One of ``" in text
            found_default += "when left out" in text
            found_max += "At most" in text
    assert found_values > 50 and found_default > 50 and found_max > 5, (found_values, found_default, found_max)


def test_generator_refuses_an_undescribed_spot_parameter_and_composes_sapi_ones() -> None:
    """An /api/v3 parameter without a text stops the generator; a /sapi one gets a composed text."""
    import sys

    from support import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    generate = importlib.import_module("generate")
    from binance_typed.endpoints.market import KLINES
    from binance_typed.endpoints.sapi.algo import FUTURES_TWAP_ORDER
    from binance_typed.endpoints.sapi.wallet import DEPOSIT_HISTORY

    assert "1000" in generate.param_text(KLINES, "limit")
    with pytest.raises(generate.UndescribedParameter, match="brandNewParam"):
        generate.param_text(KLINES, "brandNewParam")
    assert generate.param_text(DEPOSIT_HISTORY, "startTime").endswith("90 days ago when left out.")
    assert generate.param_text(FUTURES_TWAP_ORDER, "duration") == "The duration, a whole number. In seconds."
    assert generate.param_text(DEPOSIT_HISTORY, "someNewFlag") == "The some new flag."
