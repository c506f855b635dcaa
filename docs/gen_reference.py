"""MkDocs hook: the API reference, generated from the endpoint table on every build.

Listed under ``hooks:`` in ``mkdocs.yml``. For each endpoint group that
:func:`binance_typed.endpoints.all_endpoints` yields (``market``, ``trade``, ``account``, and any
group added later) it writes ``reference/<group>.md`` with:

* a table of the group's endpoints: method | REST verb and path | WebSocket API method | weight |
  security (paths wrap only after ``/``, WS names only after ``.``);
* one entry per method of the generated class (``binance_typed.api.<group>.<Class>.<method>``):
  the implementation's signature only (``show_overloads: false``), its docstring, then a
  *response type* table built from the declaration's ``overloads`` when it has any;
* the asyncio twin's heading and a line per coroutine linking to the entry it mirrors;
* the ``*Options`` TypedDicts of the module, when it declares any;
* ``::: binance_typed.models.<group>``: the group's response models, when that module exists.

The /sapi groups (``wallet``, ``margin``... generated from ``spec/sapi/catalogue.json``) get the
same page, with weight kinds (IP/UID) and money-moving calls marked; their models come from
``binance_typed.models.sapi.<group>``.

It also writes ``reference/index.md`` (every endpoint on one page) and the pages of the core
(clients, errors, endpoint declarations, filters, streams, connections, WebSocket API, the
connector surface, the local exchange, shared model types), and appends all of them to the
``nav``. Every block names its object by a public path; ``scripts/audit_reference.py`` and
``tests/test_reference.py`` check that every public name is rendered by some page. Nothing is
written to disk: the pages exist only inside the build.

Run by hand to print the generated pages: ``python docs/gen_reference.py``.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _use_this_checkout() -> None:
    """Import ``binance_typed`` from this checkout, even where another copy is installed: MkDocs
    restores ``sys.path`` after loading a hook, so this runs again when the pages are built."""
    if sys.path[:1] != [str(ROOT)]:
        sys.path.insert(0, str(ROOT))
    for name in [m for m in sys.modules if m == "binance_typed" or m.startswith("binance_typed.")]:
        if not str(getattr(sys.modules[name], "__file__", "") or "").startswith(str(ROOT)):
            del sys.modules[name]


_use_this_checkout()

REFERENCE = "reference"

# Pages of the package core: (file name, title, body). Every block names an object by a public path
# (``binance_typed.testing.LocalBinance``, not the module that defines it), so the entries, their
# anchors and the search index show the path a user imports. scripts/audit_reference.py checks that
# every public name (the ``__all__`` of every public module) is rendered by one of these pages.
def _block(identifier: str, **options: Any) -> str:
    """A ``::: identifier`` block with mkdocstrings options."""
    lines = [f"::: {identifier}"]
    if options:
        lines.append("    options:")
        for key, value in options.items():
            lines.append(f"      {key}: {_yaml(value)}")
    return "\n".join(lines) + "\n\n"


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _module_doc(module: str) -> str:
    """The docstring of ``module`` as markdown (its first paragraph becomes plain text)."""
    import re

    doc = importlib.import_module(module).__doc__ or ""
    # reST roles (``:class:`~a.B```) as plain code: these modules have no entries to link to
    doc = re.sub(
        r":\w+:`(~?)([^`]+)`",
        lambda m: f"`{m.group(2).rsplit('.', 1)[-1] if m.group(1) else m.group(2)}`",
        doc,
    )
    return "\n".join(line.rstrip() for line in doc.strip().splitlines())


def _filters_page() -> str:
    """The filter models first, then the unions that pick one by ``filterType``, then the sets."""
    module = importlib.import_module("binance_typed.models.filters")
    names = sorted(module.__all__)
    classes = sorted(
        (n for n in names if isinstance(getattr(module, n), type)),
        key=lambda n: inspect.getsourcelines(getattr(module, n))[1],
    )
    sets = [n for n in names if isinstance(getattr(module, n), frozenset)]
    unions = [n for n in names if n not in classes and n not in sets]
    quiet = {"show_root_heading": False, "show_root_toc_entry": False}
    return (
        "[`SymbolRules`](../trading-tools.md) rounds and checks orders with these filters.\n\n"
        + _block("binance_typed.models.filters", members=classes, heading_level=3, **quiet)
        + "## Unions by `filterType`\n\n"
        + "".join(_block(f"binance_typed.models.filters.{n}", heading_level=3) for n in unions)
        + "## Filter types\n\n"
        + "".join(_block(f"binance_typed.models.filters.{n}", heading_level=3, show_attribute_values=False)
                  for n in sets)
    )


def _all_of(module: str) -> list[str]:
    return sorted(importlib.import_module(module).__all__)


def _sapi_simulator() -> str:
    parts = []
    for name, title in (
        ("_sapi", "Routing and checks"),
        ("_sapi_wallet", "Wallet"),
        ("_sapi_margin", "Margin"),
        ("_sapi_earn", "Simple Earn"),
        ("_sapi_convert", "Convert"),
    ):
        parts.append(f"### {title}\n\n{_module_doc('binance_typed.testing.' + name)}\n")
    return "\n".join(parts)


CORE_PAGES: list[tuple[str, str, Any]] = [
    (
        "client.md",
        "Clients",
        lambda: (
            "The blocking and asyncio REST clients, the retry policy they share, and the default "
            "endpoints.\n\n"
            + _block("binance_typed.Client")
            + _block("binance_typed.AsyncClient")
            + _block("binance_typed.RetryPolicy")
            + "## Default endpoints\n\nThe base URLs the clients use unless given another "
            "(`Client.testnet()` and friends pick the testnet ones).\n\n"
            + "".join(
                _block(f"binance_typed.{name}", heading_level=3)
                for name in (
                    "REST_URL", "STREAM_URL", "WS_API_URL",
                    "TESTNET_REST_URL", "TESTNET_STREAM_URL", "TESTNET_WS_API_URL",
                )
            )
        ),
    ),
    (
        "errors.md",
        "Errors",
        lambda: (
            "Every exception the package raises derives from `BinanceError`. "
            "See the [errors guide](../errors.md) for how to handle them.\n\n"
            + _block("binance_typed.error", show_root_full_path=True)
        ),
    ),
    (
        "endpoint.md",
        "Endpoint declarations",
        lambda: (
            "Each operation is declared once as an `Endpoint`; the clients, the generated methods "
            "and this reference are all derived from those declarations. A declaration may list "
            "overloads (the response type that applies when parameters take given values): they "
            "become the `typing.overload`s of the method and the *response type* tables of these "
            "pages.\n\n"
            + _block("binance_typed.Endpoint")
            + _block("binance_typed.Security")
            + "## The endpoint table\n\n"
            + _block("binance_typed.endpoints", members=_all_of("binance_typed.endpoints"),
                     show_root_heading=False, show_root_toc_entry=False, heading_level=3)
            + _block("binance_typed.endpoints.sapi", members=["SAPI_GROUPS"], show_root_heading=False,
                     show_root_toc_entry=False, heading_level=3)
            + "## Order checks\n\n"
            + _block("binance_typed.endpoints.trade", members=_all_of("binance_typed.endpoints.trade"),
                     show_root_heading=False, show_root_toc_entry=False, heading_level=3)
            + "## WebSocket-only declarations\n\n"
            + _block("binance_typed.endpoints.ws_only", members=_all_of("binance_typed.endpoints.ws_only"),
                     show_root_heading=False, show_root_toc_entry=False, heading_level=3)
        ),
    ),
    (
        "filters.md",
        "Symbol and exchange filters",
        lambda: _filters_page(),
    ),
    (
        "streams.md",
        "Market streams",
        lambda: (
            "The stream client, the local order book and the typed market events. "
            "See the [WebSockets guide](../websockets.md).\n\n"
            + _block("binance_typed.ws.streams", show_root_full_path=True)
            + _block("binance_typed.ws.orderbook", show_root_full_path=True)
            + _block("binance_typed.models.events.market", show_root_full_path=True)
        ),
    ),
    (
        "connection.md",
        "WebSocket connections",
        lambda: (
            "The self-healing connection under the stream and WebSocket API clients: pings, the "
            "stall watchdog, reconnects with backoff and the events that report them. "
            "You meet it as `client.connection`, as the `reconnect=` argument of the clients and in "
            "their `on_event` / `on_reconnect` callbacks.\n\n"
            + _block("binance_typed.ws.ReconnectPolicy")
            + _block("binance_typed.ws.ConnectionEvent")
            + _block("binance_typed.ws.WebSocketConnection")
        ),
    ),
    (
        "ws_api.md",
        "WebSocket API",
        lambda: (
            "The WebSocket API clients (their `market`, `trade` and `account` groups are the REST "
            "group classes, documented on the [`client.market`](market.md), [`client.trade`](trade.md) "
            "and [`client.account`](account.md) pages), the WebSocket-only session and user-data "
            "groups, and user data events.\n\n"
            + _block("binance_typed.ws.api", show_root_full_path=True)
            + _block("binance_typed.models.events.user_data", show_root_full_path=True)
        ),
    ),
    (
        "compat.md",
        "binance-connector surface",
        lambda: (
            "The connector-compatible classes: `binance_typed.spot.Spot` takes the arguments of "
            "binance-connector's `Spot` and answers with plain JSON, and the WebSocket clients of "
            "`binance_typed.websocket.spot` call `on_message(client, text)` as the connector did. "
            "See [moving from binance-connector](../migration.md).\n\n"
            + _block("binance_typed.spot.Spot", members=False)
            + _block("binance_typed.spot.RetiredEndpointError")
            + _block("binance_typed.spot.to_wire")
            + _block("binance_typed.websocket.spot.websocket_api.SpotWebsocketAPIClient", members=False)
            + _block("binance_typed.websocket.spot.websocket_stream.SpotWebsocketStreamClient")
            + _block("binance_typed.websocket.spot.websocket_stream.event_to_wire")
            + "## Helpers\n\n"
            + _block("binance_typed.lib.utils", show_root_heading=False, show_root_toc_entry=False,
                     heading_level=3)
        ),
    ),
    (
        "simulator.md",
        "Local exchange",
        lambda: (
            "`LocalBinance`, the deterministic Binance on 127.0.0.1 used by the tests and the demo "
            "(extra `binance-typed[testing]`), and its fault injection. "
            "See the [testing guide](../testing.md).\n\n"
            + _block("binance_typed.testing.LocalBinance")
            + _block("binance_typed.testing.Faults")
            + _block("binance_typed.demo.run_demo")
            + "## /sapi on the local exchange\n\n"
            + _sapi_simulator()
        ),
    ),
    (
        "types.md",
        "Shared model types",
        lambda: (
            "The field types every response model shares, and the enums used by parameters and "
            "responses.\n\n"
            "- **Models** are frozen pydantic models (`BinanceModel`): fields are the snake_case of "
            "the wire names (`orig_qty` for `origQty`), and a field Binance adds later is kept, not "
            "refused (`model.model_extra`). `model.model_dump(by_alias=True)` or "
            "[`to_wire`](compat.md) gives the wire form back.\n"
            "- **Prices, quantities and commissions** are `decimal.Decimal`, never `float`, and are "
            "sent back in plain notation (`0.00000001`, not `1E-8`).\n"
            "- **Times** are timezone-aware `datetime`s in UTC, read from epoch milliseconds (or "
            "microseconds when the client asks for `timeUnit=MICROSECOND`).\n"
            "- **Enums** are `str` enums equal to the wire values (`OrderSide.BUY == \"BUY\"`). A value "
            "this package does not know yet is kept as the plain string, with a warning once.\n\n"
            + _block("binance_typed.models.enums", show_root_full_path=True)
        ),
    ),
]


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def endpoint_groups() -> dict[str, list[Any]]:
    """Endpoints by group, in declaration order."""
    from binance_typed.endpoints import all_endpoints, all_groups

    groups: dict[str, list[Any]] = defaultdict(list)
    for endpoint in all_endpoints(all_groups()):
        groups[endpoint.group].append(endpoint)
    return dict(groups)


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _breakable(text: str, after: str = "/.") -> str:
    """``text`` as inline code that may wrap only after one of ``after`` (never inside a word)."""
    from html import escape

    out = escape(text)
    for char in after:
        out = out.replace(char, char + "<wbr>")
    return f"<code>{out}</code>"


def endpoint_table(endpoints: list[Any], *, link: bool = False) -> str:
    """The endpoints as a table; the WebSocket API column only when one of them has a WS method."""
    with_ws = any(e.ws_method for e in endpoints)
    head = ["method", "REST", "WebSocket API", "weight", "security"] if with_ws else [
        "method", "REST", "weight", "security"]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for e in endpoints:
        method = f"`{e.name}()`"
        if link:
            sync_cls = group_classes(e.group)[0]
            anchor = f"#{sync_cls}.{e.name}" if sync_cls else ""
            method = f"[{method}]({e.group}.md{anchor})"
        rest = _breakable(f"{e.verb} {e.path}", "/") if e.path else "—"
        ws = _breakable(e.ws_method, ".") if e.ws_method else "—"
        security = e.security.value if hasattr(e.security, "value") else str(e.security)
        weight = _cell(e.weight_text) if e.product == "spot" else f"{_cell(e.weight_text)} ({e.weight_kind})"
        if getattr(e, "places_order", False) and e.product != "spot":
            security += " · moves money"
        cells = [method, rest, ws, weight, security] if with_ws else [method, rest, weight, security]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def group_page(group: str, endpoints: list[Any]) -> str:
    lines = [f"# `client.{group}`", ""]
    doc = _group_doc(group)
    if doc:
        lines += [doc, ""]
    sapi = endpoints[0].product != "spot"
    if sapi:
        weights = (
            "Weights count against the IP or the UID limit, as marked (`X-SAPI-USED-IP-WEIGHT-1M` / "
            "`X-SAPI-USED-UID-WEIGHT-1M`, read into `client.rate_limits`). These /sapi endpoints do not "
            "exist on the Spot testnet: a testnet client raises `NotOnTestnetError` before sending. "
            "Calls marked *moves money* are never resent; an unknown outcome raises "
            "`ExecutionStatusUnknown`."
        )
    else:
        weights = "Weights are request weights (`X-MBX-USED-WEIGHT-*`)."
    lines += [
        f"{len(endpoints)} endpoint{'s' if len(endpoints) != 1 else ''}. {weights} "
        "SIGNED calls need an API key and a secret or private key.",
        "",
        endpoint_table(endpoints),
        "",
    ]
    sync_cls, async_cls = group_classes(group)
    if sync_cls:
        lines += method_sections(group, endpoints, sync_cls, async_cls)
    models_module = f"binance_typed.models.{'sapi.' if sapi else ''}{group}"
    if _module_exists(models_module):
        lines += [
            "## Response models",
            "",
            f"::: {models_module}",
            "    options:",
            "      show_root_heading: false",
            "      show_root_toc_entry: false",
            "      heading_level: 3",
            "",
        ]
    return "\n".join(lines)


# -- methods: one signature each, response types as a table, the async twins listed ---------------
def _public_methods(cls: type) -> list[str]:
    """Public methods of a group class in source order: its own, then those of its mixins."""
    names: list[str] = []
    for klass in cls.__mro__:
        if klass.__module__.startswith("binance_typed.api._resource") or klass is object:
            continue
        for name, value in vars(klass).items():
            if not name.startswith("_") and callable(value) and name not in names:
                names.append(name)
    return names


def _type_ref(tp: Any) -> str:
    """A response type as markdown, linked to its model's entry."""
    import typing

    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _type_ref(typing.get_args(tp)[0])
    if origin is not None:
        args = ", ".join(_type_ref(a) for a in typing.get_args(tp))
        if origin is typing.Union or getattr(origin, "__name__", "") == "UnionType":
            return " \\| ".join(_type_ref(a) for a in typing.get_args(tp))
        return f"{getattr(origin, '__name__', str(origin))}[{args}]"
    if isinstance(tp, type) and tp.__module__.startswith("binance_typed."):
        return f"[`{tp.__name__}`][{tp.__module__}.{tp.__qualname__}]"
    return f"`{getattr(tp, '__name__', tp)}`"


def _condition(cond: Any) -> str:
    from binance_typed._endpoint import ABSENT, GIVEN

    if cond is GIVEN:
        return "given"
    if cond is ABSENT:
        return "not given"
    values = [getattr(v, "value", v) for v in cond]
    return " / ".join(f"`{v}`" for v in values)


def response_table(endpoint: Any) -> str:
    """The response type by parameter value, from the declaration's overloads ("" when none)."""
    overloads = list(getattr(endpoint, "overloads", ()) or ())
    if not overloads:
        return ""
    columns: list[str] = []
    for overload in overloads:
        for name in overload.when:
            if name not in columns:
                columns.append(name)
    rows = [
        "| " + " | ".join(f"`{c}`" for c in columns) + " | returns |",
        "| " + " | ".join("---" for _ in columns) + " | --- |",
    ]
    typing_only = False
    for overload in overloads:
        cells = [_condition(overload.when[c]) if c in overload.when else "any" for c in columns]
        returns = _type_ref(overload.response)
        if overload.typing_only:
            typing_only = True
            returns += " ¹"
        rows.append("| " + " | ".join(cells) + f" | {returns} |")
    rows.append("| " + " | ".join("otherwise" if i == 0 else "" for i in range(len(columns)))
                + f" | {_type_ref(endpoint.response)} |")
    out = [f"**Response type** by {', '.join(f'`{c}`' for c in columns)} (the first row that matches):", "",
           *rows, ""]
    if typing_only:
        out += [
            "¹ What Binance documents as the default; the type checker sees it, and at run time the "
            f"answer is read as {_type_ref(endpoint.response)}, whichever shape comes back.",
            "",
        ]
    return "\n".join(out)


def method_sections(group: str, endpoints: list[Any], sync_cls: str, async_cls: str | None) -> list[str]:
    """One entry per method (the implementation's signature only) followed by its response table;
    then the asyncio twin, with a line per coroutine linking to the entry it mirrors."""
    module_name, cls_name = sync_cls.rsplit(".", 1)
    cls = getattr(importlib.import_module(module_name), cls_name)
    by_name = {e.name: e for e in endpoints}
    lines = ["## Methods", ""]
    if async_cls:
        async_name = async_cls.rsplit(".", 1)[1]
        lines += [
            f"`{cls_name}` is what `Client.{group}` returns. `AsyncClient.{group}` returns its asyncio "
            f"twin [`{async_name}`](#{async_cls}), whose methods are the same coroutines "
            f"(`await client.{group}.{endpoints[0].name}(...)`).",
            "",
        ]
    lines += [_block(sync_cls, members=False, heading_level=3).rstrip(), ""]
    names = _public_methods(cls)
    for name in names:
        lines += [_block(f"{sync_cls}.{name}", heading_level=3).rstrip(), ""]
        endpoint = by_name.get(name)
        if endpoint is not None:
            table = response_table(endpoint)
            if table:
                lines += [table, ""]
    if async_cls:
        async_module, async_name = async_cls.rsplit(".", 1)
        async_type = getattr(importlib.import_module(async_module), async_name)
        lines += [_block(async_cls, members=False, heading_level=3).rstrip(), ""]
        lines += [
            f"Every method of `{cls_name}` exists on `{async_name}` with the same parameters and "
            "response type, as a coroutine:",
            "",
            "| coroutine | documented at |",
            "| --- | --- |",
        ]
        for name in _public_methods(async_type):
            target = f"{sync_cls}.{name}" if name in names else f"{async_cls}.{name}"
            lines.append(f"| `await {async_name}.{name}(...)` | [`{cls_name}.{name}`][{target}] |")
        lines.append("")
    lines += options_section(module_name)
    return lines


def options_section(module_name: str) -> list[str]:
    """The ``*Options`` TypedDicts of a generated module (the optional keyword arguments of a
    method), when the module declares any."""
    module = importlib.import_module(module_name)
    names = [
        name
        for name, value in vars(module).items()
        if name.endswith("Options") and isinstance(value, type) and value.__module__ == module_name
    ]
    if not names:
        return []
    lines = [
        "## Keyword options",
        "",
        "The optional keyword arguments of the methods above, as `TypedDict`s (usable to build "
        "the keywords of a call ahead of it: `client.trade.new_order(..., **opts)`).",
        "",
    ]
    for name in names:
        keys = ", ".join(f"`{key}`" for key in getattr(module, name).__annotations__)
        lines += [_block(f"{module_name}.{name}", heading_level=3, members=False).rstrip(), "",
                  f"Keys: {keys}.", ""]
    return lines


def group_classes(group: str) -> tuple[str | None, str | None]:
    """Dotted paths of the generated sync and async classes of ``group`` (None when absent)."""
    try:
        module = importlib.import_module(f"binance_typed.api.{group}")
        from binance_typed.api._resource import AsyncGroup, SyncGroup
    except ImportError:
        return None, None
    found: dict[type, str] = {}
    for name, value in vars(module).items():
        if isinstance(value, type) and value.__module__ == module.__name__:
            for base in (SyncGroup, AsyncGroup):
                if issubclass(value, base):
                    found.setdefault(base, f"{module.__name__}.{name}")
    return found.get(SyncGroup), found.get(AsyncGroup)


def _group_doc(group: str) -> str:
    from binance_typed.endpoints.sapi import SAPI_GROUPS

    where = "sapi." if group in SAPI_GROUPS else ""
    try:
        module = importlib.import_module(f"binance_typed.endpoints.{where}{group}")
    except ImportError:
        return ""
    lines = [ln.strip() for ln in (module.__doc__ or "").strip().splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("Generated by")]
    return lines[0] if lines else ""


def index_page(groups: dict[str, list[Any]]) -> str:
    total = sum(len(v) for v in groups.values())
    lines = [
        "# API reference",
        "",
        f"Every endpoint of the package ({total} in {len(groups)} groups), generated from the "
        "endpoint table (`binance_typed/endpoints/`) at build time. The same list is printed by "
        "`python -m binance_typed endpoints`.",
        "",
        "Each method also exists on `AsyncClient` as a coroutine with the same parameters "
        "(`await client.market.klines(...)`); every group page ends with the list of its asyncio "
        "twin's methods.",
        "",
        "Core pages: [clients](client.md), [errors](errors.md), "
        "[endpoint declarations](endpoint.md), [filters](filters.md), "
        "[shared model types](types.md).",
        "",
    ]
    for group, endpoints in groups.items():
        lines += [f"## [`client.{group}`]({group}.md)", "", endpoint_table(endpoints, link=True), ""]
    return "\n".join(lines)


def pages() -> dict[str, str]:
    """Generated page path (relative to docs/) -> markdown."""
    _use_this_checkout()
    groups = endpoint_groups()
    out = {f"{REFERENCE}/index.md": index_page(groups)}
    for group, endpoints in groups.items():
        out[f"{REFERENCE}/{group}.md"] = group_page(group, endpoints)
    for name, title, body in CORE_PAGES:
        out[f"{REFERENCE}/{name}"] = f"# {title}\n\n{body()}"
    return out


def nav_entries() -> list[Any]:
    groups = endpoint_groups()
    entries: list[Any] = [{"Overview": f"{REFERENCE}/index.md"}]
    entries += [{f"client.{g}": f"{REFERENCE}/{g}.md"} for g in groups]
    entries += [{title: f"{REFERENCE}/{name}"} for name, title, _ in CORE_PAGES]
    return entries


# -- MkDocs hook events -----------------------------------------------------------------------------
_PAGES: dict[str, str] = {}


def on_config(config: Any) -> Any:
    _PAGES.clear()
    _PAGES.update(pages())
    nav = config.get("nav")
    if nav is not None:
        nav.append({"API reference": nav_entries()})
    return config


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    for path, content in _PAGES.items():
        files.append(File.generated(config, path, content=content))
    return files


if __name__ == "__main__":
    for path, content in pages().items():
        print(f"===== {path}\n{content}")
