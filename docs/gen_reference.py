"""MkDocs hook: the API reference, generated from the endpoint table on every build.

Listed under ``hooks:`` in ``mkdocs.yml``. For each endpoint group that
:func:`binance_typed.endpoints.all_endpoints` yields (``market``, ``trade``, ``account``, and any
group added later) it writes ``reference/<group>.md`` with:

* a table of the group's endpoints: method | REST verb and path | WebSocket API method | weight |
  security;
* ``::: binance_typed.api.<group>``: the generated client classes (sync and async);
* ``::: binance_typed.models.<group>``: the group's response models, when that module exists.

The /sapi groups (``wallet``, ``margin``... generated from ``spec/sapi/catalogue.json``) get the
same page, with weight kinds (IP/UID) and money-moving calls marked; their models come from
``binance_typed.models.sapi.<group>``.

It also writes ``reference/index.md`` (every endpoint on one page) and the pages of the core
(clients, errors, endpoint declarations, shared model types), and appends all of them to the
``nav``. Nothing is written to disk: the pages exist only inside the build.

Run by hand to print the generated pages: ``python docs/gen_reference.py``.
"""

from __future__ import annotations

import importlib.util
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

# Pages of the package core: (file name, title, body).
CORE_PAGES: list[tuple[str, str, str]] = [
    (
        "client.md",
        "Clients",
        "The blocking and asyncio REST clients, and the retry policy they share.\n\n"
        "::: binance_typed.Client\n\n::: binance_typed.AsyncClient\n\n::: binance_typed.RetryPolicy\n",
    ),
    (
        "errors.md",
        "Errors",
        "Every exception the package raises derives from `BinanceError`. "
        "See the [errors guide](../errors.md) for how to handle them.\n\n"
        "::: binance_typed.error\n",
    ),
    (
        "endpoint.md",
        "Endpoint declarations",
        "Each operation is declared once as an `Endpoint`; the clients, the generated methods "
        "and this reference are all derived from those declarations.\n\n"
        "::: binance_typed._endpoint\n    options:\n      members: [Endpoint, Security, Overload]\n",
    ),
    (
        "streams.md",
        "Market streams",
        "The stream client, the local order book and the typed market events. "
        "See the [WebSockets guide](../websockets.md).\n\n"
        "::: binance_typed.ws.streams\n\n::: binance_typed.ws.orderbook\n\n"
        "::: binance_typed.models.events.market\n",
    ),
    (
        "ws_api.md",
        "WebSocket API",
        "The WebSocket API clients (their `market`, `trade` and `account` groups are the REST "
        "group classes), the WebSocket-only session and user-data groups, and user data events.\n\n"
        "::: binance_typed.ws.api\n\n::: binance_typed.ws._api_methods\n\n"
        "::: binance_typed.models.events.user_data\n",
    ),
    (
        "simulator.md",
        "Local exchange",
        "`LocalBinance`, the deterministic Binance on 127.0.0.1 used by the tests and the demo "
        "(extra `binance-typed[testing]`), and its fault injection. "
        "See the [testing guide](../testing.md).\n\n"
        "::: binance_typed.testing._server.LocalBinance\n\n::: binance_typed.testing._faults.Faults\n\n"
        "## /sapi\n\n"
        + "".join(f"::: binance_typed.testing.{m}\n    options:\n      members: false\n\n"
                  for m in ("_sapi", "_sapi_wallet", "_sapi_margin", "_sapi_earn", "_sapi_convert"))
        + "::: binance_typed.testing._sapi.SapiState\n",
    ),
    (
        "types.md",
        "Shared model types",
        "The base class of every response model, the `Decimal` and timestamp field types, "
        "and the enums used by parameters and responses.\n\n"
        "::: binance_typed.models._base\n\n::: binance_typed.models.enums\n",
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


def endpoint_table(endpoints: list[Any], *, link: bool = False) -> str:
    rows = [
        "| method | REST | WebSocket API | weight | security |",
        "| --- | --- | --- | --- | --- |",
    ]
    for e in endpoints:
        method = f"`client.{e.group}.{e.name}()`"
        if link:
            method = f"[{method}]({e.group}.md)"
        rest = f"`{e.verb} {e.path}`" if e.path else "—"
        ws = f"`{e.ws_method}`" if e.ws_method else "—"
        security = e.security.value if hasattr(e.security, "value") else str(e.security)
        weight = _cell(e.weight_text) if e.product == "spot" else f"{_cell(e.weight_text)} ({e.weight_kind})"
        if getattr(e, "places_order", False) and e.product != "spot":
            security += " · moves money"
        rows.append(f"| {method} | {rest} | {ws} | {weight} | {security} |")
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
        lines += ["## Methods", ""]
        if async_cls:
            lines += [
                f"`{sync_cls.rsplit('.', 1)[1]}` is what `Client.{group}` returns. "
                f"`AsyncClient.{group}` returns its asyncio twin `{async_cls.rsplit('.', 1)[1]}`, "
                "whose methods are the same coroutines (`await client."
                f"{group}.{endpoints[0].name}(...)`).",
                "",
            ]
        lines += [f"::: {sync_cls}", "    options:", "      heading_level: 3", ""]
        if async_cls:
            lines += [f"::: {async_cls}", "    options:", "      heading_level: 3", "      members: false", ""]
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
        "Core pages: [clients](client.md), [errors](errors.md), "
        "[endpoint declarations](endpoint.md), [shared model types](types.md).",
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
        out[f"{REFERENCE}/{name}"] = f"# {title}\n\n{body}"
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
