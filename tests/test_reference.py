"""The API reference: every public name has a docstring and an entry under a public path; one
signature per method with a response-type table; the async twins are listed.

Fast: griffe and the page sources (docs/gen_reference.py), no mkdocs build. scripts/audit_reference.py
prints the same numbers; tests/test_docs_render.py checks the built site in a browser.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]



def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    return _load("_audit_reference", ROOT / "scripts" / "audit_reference.py")


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _load("_gen_reference", ROOT / "docs" / "gen_reference.py")


@pytest.fixture(scope="module")
def pkg(audit: ModuleType) -> Any:
    return audit.load_package()


@pytest.fixture(scope="module")
def objects(audit: ModuleType, pkg: Any) -> dict[str, Any]:
    return audit.public_objects(pkg)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def pages(audit: ModuleType) -> dict[str, str]:
    return audit.all_pages()  # type: ignore[no-any-return]


def test_public_names_are_found(objects: dict[str, Any], audit: ModuleType) -> None:
    paths = {p for o in objects.values() for p in o.paths}
    # the names the issue found without an entry are public names
    for name in (
        "binance_typed.models.filters.PriceFilter",
        "binance_typed.models.filters.LotSize",
        "binance_typed.ws.ReconnectPolicy",
        "binance_typed.ws.ConnectionEvent",
        "binance_typed.ws.WebSocketConnection",
        "binance_typed.testing.LocalBinance",
        "binance_typed.Client",
    ):
        assert name in paths
    # re-exports count once: binance_typed.OrderBook is binance_typed.ws.orderbook.OrderBook
    book = next(o for o in objects.values() if "binance_typed.OrderBook" in o.paths)
    assert {"binance_typed.ws.OrderBook", "binance_typed.ws.orderbook.OrderBook"} <= set(book.paths)
    assert audit.preferred_path(book) == "binance_typed.ws.orderbook.OrderBook"
    local = next(o for o in objects.values() if "binance_typed.testing.LocalBinance" in o.paths)
    assert audit.preferred_path(local) == "binance_typed.testing.LocalBinance"
    # private modules and underscore names are not public
    assert not any("._" in p or p.rsplit(".", 1)[1].startswith("_") for p in paths)
    assert len(objects) > 800


def test_every_public_name_has_a_docstring(objects: dict[str, Any], audit: ModuleType) -> None:
    missing = sorted(audit.preferred_path(o) for o in objects.values() if not o.has_docstring)
    assert missing == [], missing


def test_every_public_method_has_a_docstring(objects: dict[str, Any], audit: ModuleType, pkg: Any) -> None:
    assert audit.methods_without_docstring(pkg, objects) == []


def test_every_parameter_of_every_endpoint_method_is_described(audit: ModuleType, pkg: Any) -> None:
    """Generated and hand-written methods of the groups alike (rules, history downloads...)."""
    undescribed = {}
    for function in audit.endpoint_methods(pkg):
        params, described = audit.described_parameters(function)
        if len(described) != len(params):
            undescribed[function.path] = sorted(set(params) - set(described))
    assert undescribed == {}


def test_every_public_name_is_on_a_page(objects: dict[str, Any], audit: ModuleType, pkg: Any,
                                        pages: dict[str, str]) -> None:
    rendered = audit.rendered_paths(pkg, pages)
    missing = sorted(audit.preferred_path(o) for o in objects.values() if not any(p in rendered for p in o.paths))
    assert missing == []


def test_the_page_check_notices_a_missing_page(objects: dict[str, Any], audit: ModuleType, pkg: Any,
                                              pages: dict[str, str]) -> None:
    without = {k: v for k, v in pages.items() if k != "reference/filters.md"}
    rendered = audit.rendered_paths(pkg, without)
    missing = {audit.preferred_path(o) for o in objects.values() if not any(p in rendered for p in o.paths)}
    assert {"binance_typed.models.filters.LotSize", "binance_typed.models.filters.PriceFilter"} <= missing


def test_directives_read_members_lists(audit: ModuleType) -> None:
    page = "x\n\n::: binance_typed.rules\n    options:\n      members: [SymbolRules, round_step]\n\n::: a.b\n"
    assert audit.directives(page) == [("binance_typed.rules", {"members": ["SymbolRules", "round_step"]}), ("a.b", {})]


def test_no_block_renders_a_private_path(audit: ModuleType, pages: dict[str, str]) -> None:
    idents = [ident for markdown in pages.values() for ident, _ in audit.directives(markdown)]
    assert "binance_typed.testing.LocalBinance" in idents
    private = [i for i in idents if i.startswith("binance_typed") and not audit.is_public_path(i)]
    assert private == []


def test_one_signature_per_method(pages: dict[str, str]) -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    assert re.search(r"^\s+show_overloads: false$", config, re.M)
    trade = pages["reference/trade.md"]
    # each method is its own entry (so its response table can follow it)
    assert trade.count("::: binance_typed.api.trade.Trade.new_order\n") == 1


def test_new_order_response_table(pages: dict[str, str]) -> None:
    trade = pages["reference/trade.md"]
    entry = trade.split("::: binance_typed.api.trade.Trade.new_order\n", 1)[1].split(":::", 1)[0]
    assert "**Response type** by `newOrderRespType`, `type`" in entry
    rows = [line for line in entry.splitlines() if line.startswith("| ")]
    assert rows[0] == "| `newOrderRespType` | `type` | returns |"
    assert "| `ACK` | any | [`OrderAck`][binance_typed.models.trade.OrderAck] |" in rows
    assert "| `RESULT` | any | [`OrderResult`][binance_typed.models.trade.OrderResult] |" in rows
    assert "| `FULL` | any | [`OrderFull`][binance_typed.models.trade.OrderFull] |" in rows
    assert rows[2].startswith("| not given | `LIMIT` / `MARKET` | [`OrderFull`]")
    assert rows[-1].startswith("| otherwise |") and "OrderAck" in rows[-1] and "Annotated" not in rows[-1]


def test_response_table_from_overloads(gen: ModuleType) -> None:
    from binance_typed.endpoints import all_endpoints

    by_name = {e.name: e for e in all_endpoints(("market", "account"))}
    table = gen.response_table(by_name["ticker_price"])
    assert "| given | [`PriceTicker`][binance_typed.models.market.PriceTicker] |" in table
    assert "| not given | list[[`PriceTicker`][binance_typed.models.market.PriceTicker]] |" in table
    assert gen.response_table(by_name["klines"]) == ""


def test_async_methods_are_listed(pages: dict[str, str]) -> None:
    from binance_typed.api._resource import AsyncGroup
    from binance_typed.api.market import AsyncMarket
    from binance_typed.api.trade import AsyncTrade

    for page, cls in (("reference/trade.md", AsyncTrade), ("reference/market.md", AsyncMarket)):
        text = pages[page]
        assert f"::: binance_typed.api.{page.split('/')[1][:-3]}.{cls.__name__}\n" in text
        names = [n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n))
                 and not hasattr(AsyncGroup, n)]
        assert names
        for name in names:
            assert f"| `await {cls.__name__}.{name}(...)` |" in text, name


def test_overview_table_links_every_method(pages: dict[str, str]) -> None:
    index = pages["reference/index.md"]
    assert "| [`new_order()`](trade.md#binance_typed.api.trade.Trade.new_order) | <code>POST /<wbr>api/<wbr>v3/<wbr>order</code> | <code>order.<wbr>place</code> |" in index
    css = (ROOT / "docs" / "stylesheets" / "reference.css").read_text()
    assert "word-break: normal" in css and "overflow-wrap: normal" in css
    assert "stylesheets/reference.css" in (ROOT / "mkdocs.yml").read_text()


def test_args_sections_are_counted(audit: ModuleType) -> None:
    import griffe

    module = griffe.visit(
        "m",
        Path("m.py"),
        'def f(self, symbol, limit=None, *, timeout=None, extra_params=None):\n'
        '    """Candles.\n\n    Args:\n        symbol: the pair.\n        timeout: seconds.\n    """\n',
        docstring_parser=griffe.Parser.google,
    )
    params, described = audit.described_parameters(module["f"])
    assert params == ["symbol", "limit"]
    assert described == ["symbol"]


def test_rest_roles_become_links_to_public_entries() -> None:
    import griffe

    roles = _load("_griffe_roles", ROOT / "docs" / "_griffe_roles.py")
    pkg = griffe.load(
        "binance_typed", search_paths=[str(ROOT)], extensions=griffe.load_extensions(roles.ReadableRoles)
    )
    doc = pkg["ws.streams.SpotWebsocketStreamClient"].docstring.value
    assert ":class:" not in doc
    # ``:class:`ReconnectPolicy``` (imported from a private module) links to its public entry
    assert '<autoref identifier="binance_typed.ws.ReconnectPolicy" optional><code>ReconnectPolicy</code></autoref>' in doc
    # a method role gets its parentheses
    assert '<code>start()</code></autoref>' in doc
    # every role of the package is rewritten, and no link names a private path
    for obj in roles.ReadableRoles._objects(pkg):
        text = obj.docstring.value if obj.docstring else ""
        assert not roles.ROLE.search(text), obj.path
        for identifier in re.findall(r'<autoref identifier="([^"]+)"', text):
            assert roles._public(identifier), (obj.path, identifier)
