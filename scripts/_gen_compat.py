"""Generator stage: the binance-connector compatible layer, from the connector's surface as data.

Inputs: ``spec/connector/methods.json`` (every ``Spot`` REST method with its verb, path and
positional arguments; the WebSocket API and stream methods) and ``spec/connector/retired.json``
(connector methods whose endpoint Binance retired, with the replacement to name).

Outputs (all marked generated; ``scripts/generate.py --check`` fails when one is stale):

* ``binance_typed/spot/_methods.py``: one method per connector REST method, with the connector's
  name and argument order, calling the declaration that has the same verb and path;
* ``binance_typed/websocket/spot/_api_methods.py``: the same for the WebSocket API methods, by
  WebSocket method name;
* the generated table of ``docs/migration.md`` (between its markers).

A connector method is *mapped* when a declaration with its verb and path exists, *retired* when
``retired.json`` lists it, and *missing* otherwise (the generated method then raises
``NotImplementedError``; ``tests/test_compat_rest.py`` fails on any missing method).
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "connector"
SPOT_METHODS = ROOT / "binance_typed" / "spot" / "_methods.py"
WS_METHODS = ROOT / "binance_typed" / "websocket" / "spot" / "_api_methods.py"
MIGRATION = ROOT / "docs" / "migration.md"
BEGIN = "<!-- BEGIN GENERATED: connector methods (scripts/_gen_compat.py) -->"
END = "<!-- END GENERATED -->"


def load_spec() -> tuple[dict[str, Any], dict[str, Any]]:
    methods = json.loads((SPEC / "methods.json").read_text())
    retired = json.loads((SPEC / "retired.json").read_text())
    return methods, retired


@dataclass
class RestMapping:
    spec: dict[str, Any]
    status: str  # "mapped", "retired" or "missing"
    typed: str  # "market.klines" when mapped
    replacement: str = ""
    dropped: tuple[str, ...] = ()  # connector arguments the current API no longer takes


def rest_mappings() -> list[RestMapping]:
    """Every connector REST method with what serves it, in the connector's order by name."""
    methods, retired = load_spec()
    by_route = {(ep.verb, ep.path): ep for ep in every_endpoint() if ep.path}
    gone = {r["method"]: r for r in retired["rest"]}
    out = []
    for spec in sorted(methods["rest"], key=lambda m: m["name"]):
        ep = by_route.get((spec["verb"], spec["path"]))
        if spec["name"] in gone:
            out.append(RestMapping(spec, "retired", "", gone[spec["name"]]["replacement"]))
        elif ep is not None:
            known = ep.params.model_fields
            dropped = tuple(a for a in [*spec["required"], *spec["optional"]] if a not in known)
            out.append(RestMapping(spec, "mapped", ep.dotted, dropped=dropped))
        else:
            out.append(RestMapping(spec, "missing", ""))
    return out


def every_endpoint() -> Iterator[Any]:
    """Every declaration, /sapi groups included once they exist (``all_groups``)."""
    from binance_typed.spot._core import every_endpoint as every

    return every()


def ws_mappings() -> list[tuple[dict[str, Any], str, str]]:
    """Every connector WebSocket API method: (spec, status, typed "group.name" or replacement)."""
    from binance_typed.ws._api_protocol import ws_endpoints

    methods, retired = load_spec()
    gone = {r["method"]: r for r in retired["ws_api"]}
    eps = ws_endpoints()
    out = []
    for spec in sorted(methods["ws_api"], key=lambda m: m["name"]):
        if spec["name"] in gone:
            out.append((spec, "retired", gone[spec["name"]]["replacement"]))
        elif spec["method"] in eps:
            out.append((spec, "mapped", eps[spec["method"]].dotted))
        else:
            out.append((spec, "missing", ""))
    return out


def _arg(name: str) -> str:
    if keyword.iskeyword(name) or not name.isidentifier():
        raise ValueError(f"connector argument {name!r} is not a Python identifier")
    return name


def render_rest_method(m: RestMapping) -> str:
    spec = m.spec
    required = [_arg(a) for a in spec["required"]]
    optional = [_arg(a) for a in spec["optional"]]
    parts = ["self", *(f"{a}: Any" for a in required), *(f"{a}: Any = None" for a in optional)]
    if spec["accepts_kwargs"]:
        parts.append("**kwargs: Any")
    route = f"{spec['verb']} {spec['path']}"
    if m.status == "retired":
        doc = f"Retired by Binance (`{route}`): raises RetiredEndpointError, sends nothing.\n\n        {m.replacement}."
        body = f"return self._retired({spec['name']!r}, {route!r}, {m.replacement!r})"
    else:
        served = f"`client.{m.typed}`" if m.status == "mapped" else "no declaration yet"
        doc = f"{spec['summary']}: `{route}` -> {served}."
        if m.dropped:
            doc += f"\n\n        Accepted for compatibility, not sent (no longer in the API): {', '.join(m.dropped)}.\n        "
        sent = [a for a in [*required, *optional] if a not in m.dropped]
        args = "{" + ", ".join(f"{a!r}: {a}" for a in sent) + "}"
        kwargs = "kwargs" if spec["accepts_kwargs"] else "{}"
        group = f", {m.typed.split('.')[0]!r}" if m.status == "mapped" else ""
        body = f"return self._send({spec['name']!r}, {spec['verb']!r}, {spec['path']!r}, {args}, {kwargs}{group})"
    return f'    def {spec["name"]}({", ".join(parts)}) -> Any:\n        """{doc}"""\n        {body}\n'


def render_spot() -> str:
    mappings = rest_mappings()
    counts = {s: sum(m.status == s for m in mappings) for s in ("mapped", "retired", "missing")}
    methods = "\n".join(render_rest_method(m) for m in mappings)
    return (
        '"""Generated by scripts/_gen_compat.py from spec/connector/*.json: do not edit.\n\n'
        f"binance-connector's {len(mappings)} Spot REST methods: {counts['mapped']} call a declaration, "
        f"{counts['retired']} are retired, {counts['missing']} have no declaration yet.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import Any\n\n"
        "from binance_typed.spot._core import SpotBase\n\n"
        '__all__ = ["SpotMethods"]\n\n\n'
        "class SpotMethods(SpotBase):\n"
        '    """The connector\'s method names and argument order over the typed declarations."""\n\n'
        f"{methods}"
    )


def render_ws() -> str:
    blocks = []
    for spec, status, typed in ws_mappings():
        required = [_arg(a) for a in spec["required"]]
        parts = ["self", *(f"{a}: Any" for a in required), "**kwargs: Any"]
        if status == "retired":
            doc = f"Retired by Binance (`{spec['method']}`): raises RetiredEndpointError, sends nothing.\n\n        {typed}."
            body = f"return self._retired({spec['name']!r}, {spec['method']!r}, {typed!r})"
        else:
            served = f"`ws.{typed}`" if status == "mapped" else "no declaration yet"
            doc = f"WebSocket API `{spec['method']}` -> {served}; the response goes to on_message."
            args = "{" + ", ".join(f"{a!r}: {a}" for a in required) + "}"
            body = f"return self._request({spec['name']!r}, {spec['method']!r}, {args}, kwargs)"
        blocks.append(
            f'    def {spec["name"]}({", ".join(parts)}) -> Any:\n        """{doc}"""\n        {body}\n'
        )
    return (
        '"""Generated by scripts/_gen_compat.py from spec/connector/*.json: do not edit."""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import Any\n\n"
        "from binance_typed.websocket.spot._api_base import WebsocketAPIBase\n\n"
        '__all__ = ["WebsocketAPIMethods"]\n\n\n'
        "class WebsocketAPIMethods(WebsocketAPIBase):\n"
        '    """The connector\'s WebSocket API method names over the typed declarations."""\n\n'
        + "\n".join(blocks)
    )


def render_table() -> str:
    methods, _ = load_spec()
    rest = rest_mappings()
    lines = [
        BEGIN,
        "",
        f"### REST: `binance_typed.spot.Spot` ({len(rest)} methods)",
        "",
        "| connector method | endpoint | typed call |",
        "|---|---|---|",
    ]
    for m in rest:
        args = ", ".join(m.spec["required"])
        if m.status == "mapped":
            typed = f"`client.{m.typed}`"
            if m.dropped:
                typed += f" ({', '.join(m.dropped)}: accepted, no longer sent)"
        elif m.status == "retired":
            typed = f"retired: {m.replacement}"
        else:
            typed = "not declared yet"
        lines.append(f"| `{m.spec['name']}({args})` | `{m.spec['verb']} {m.spec['path']}` | {typed} |")
    ws = ws_mappings()
    lines += [
        "",
        f"### WebSocket API: `SpotWebsocketAPIClient` ({len(ws)} methods)",
        "",
        "| connector method | WebSocket method | typed call |",
        "|---|---|---|",
    ]
    for spec, status, typed in ws:
        call = (
            f"`ws.{typed}`"
            if status == "mapped"
            else (f"retired: {typed}" if status == "retired" else "not declared yet")
        )
        lines.append(f"| `{spec['name']}({', '.join(spec['required'])})` | `{spec['method']}` | {call} |")
    streams = methods["ws_streams"]
    lines += [
        "",
        f"### Streams: `SpotWebsocketStreamClient` ({len(streams)} stream methods)",
        "",
        "| connector method | stream | typed client method |",
        "|---|---|---|",
    ]
    for spec in streams:
        if spec["name"] == "user_data":
            call = "retired: listen keys are gone; use `user_data.subscribe()` on the WebSocket API"
        elif spec["name"] == "rolling_window_ticker_all_symbols":
            call = "`rolling_window_ticker(None, window_size)`"
        elif spec["name"] == "kline_timezone_offset":
            call = '`kline(symbol, interval, timezone="+08:00")`'
        else:
            call = f"`{spec['name']}(...)`"
        lines.append(f"| `{spec['name']}({', '.join(spec['required'])})` | `{spec['stream']}` | {call} |")
    lines += ["", END]
    return "\n".join(lines)


def render_migration() -> str:
    text = MIGRATION.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + render_table() + tail


def stage(check: bool, emit: Callable[[Path, str], None], stale: list[Path]) -> None:
    """Run this stage: Python modules through ``emit`` (formats, writes or checks), docs as is."""
    for path, text in outputs().items():
        emit(path, text)
    for path, text in docs_outputs().items():
        if check:
            if path.read_text() != text:
                stale.append(path)
        else:
            path.write_text(text)


def outputs() -> dict[Path, str]:
    """Generated Python modules (formatted by the caller) and the docs page (written as is)."""
    return {SPOT_METHODS: render_spot(), WS_METHODS: render_ws()}


def docs_outputs() -> dict[Path, str]:
    return {MIGRATION: render_migration()}
