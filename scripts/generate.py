"""Generate the typed group classes in ``binance_typed/api/`` from the endpoint declarations.

    python scripts/generate.py          # rewrite the generated modules
    python scripts/generate.py --check  # exit 1 if any generated module is stale (a test runs this)
    python scripts/generate.py market   # only the named group(s)

The /sapi groups come from a catalogue: ``scripts/_gen_sapi.py`` first renders their declarations
and response models from ``spec/sapi/catalogue.json`` plus ``scripts/sapi_overlay.py``; their
group classes are then rendered here, by the same method renderer as the /api/v3 groups. Last,
``binance_typed/_groups.py`` wires every group into ``Client`` and ``AsyncClient``.

Output is formatted by ruff, pinned in the ``dev`` extra of pyproject.toml; without that exact
ruff the script stops with an error saying so (it never reports "stale" for a missing formatter).

Each endpoint's params model gives the signature: required fields become positional parameters
in declaration order, optional ones keyword-only with the API's names; enumerations are written
as ``Enum | Literal[...]`` so both members and plain strings type-check. Overloads declared on the
endpoint become ``typing.overload`` variants with their own return types; every variant spells out
every parameter (no ``**options: Unpack[...]``), so completion engines that read overloads, such
as jedi, offer them all.

Each method's docstring ends with a Google-style ``Args:`` section describing every parameter:
texts from ``binance_typed/endpoints/_param_docs.py`` (glossary by name, per-endpoint overrides);
for /sapi parameters it does not cover, a sentence composed from the catalogue's facts
(:func:`sapi_param_text`). An /api/v3 parameter without a text stops the generator.
"""

from __future__ import annotations

import enum
import sys
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic.functional_validators import BeforeValidator  # noqa: E402

from binance_typed._endpoint import ABSENT, GIVEN, Endpoint, Overload  # noqa: E402
from binance_typed._params import _to_ms  # noqa: E402
from binance_typed.endpoints import GROUP_MODULES, all_endpoints  # noqa: E402
from binance_typed.endpoints._param_docs import describe  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import _gen_sapi  # noqa: E402
import _gen_sapi_sim  # noqa: E402

API_DIR = ROOT / "binance_typed" / "api"

# group -> (module, sync base, async base): hand-written methods a generated group inherits
EXTRA_BASES: dict[str, tuple[str, str, str]] = {
    "market": ("binance_typed.api._market_extras", "MarketExtras", "AsyncMarketExtras"),
    "account": ("binance_typed.api._market_extras", "AccountExtras", "AsyncAccountExtras"),
}


@dataclass
class Renderer:
    """Turns typing objects into source text, remembering what must be imported."""

    imports: dict[str, set[str]] = field(default_factory=dict)
    typeddicts: dict[str, str] = field(default_factory=dict)
    runtime: set[str] = field(default_factory=set)
    """Own modules the generated code needs when it runs (base classes); every other
    ``binance_typed`` import is for annotations only and goes under ``TYPE_CHECKING``."""
    declarations: str | None = None
    """The declaration module a group's methods read their endpoints from (``_declared.X``),
    imported at the first call of one of them, not with the group."""

    def need(self, module: str, name: str) -> str:
        self.imports.setdefault(module, set()).add(name)
        return name

    def render(self, tp: Any, param: bool = False) -> str:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            base, *meta = args
            if base is Decimal:
                return self.need("binance_typed._params", "DecimalLike") if param else self.need("decimal", "Decimal")
            if any(isinstance(m, BeforeValidator) and m.func is _to_ms for m in meta):
                self.need("datetime", "datetime")
                return "int | datetime"
            return self.render(base, param)
        if tp is type(None) or tp is None:
            return "None"
        if tp is Any:  # a class on 3.11+, a special form on 3.10
            return self.need("typing", "Any")
        if origin in (typing.Union, types.UnionType):
            return " | ".join(dict.fromkeys(self.render(a, param) for a in args))
        if origin is typing.Literal:
            self.need("typing", "Literal")
            return f"Literal[{', '.join(self.literal(a) for a in args)}]"
        if origin is not None:
            inner = ", ".join(self.render(a, param) for a in args)
            name = getattr(origin, "__name__", str(origin))
            if param and origin is list:
                return f"list[{inner}] | tuple[{inner}, ...]"
            return f"{name}[{inner}]"
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            name = self.need(tp.__module__, tp.__name__)
            if param:
                self.need("typing", "Literal")
                return f"{name} | Literal[{', '.join(repr(m.value) for m in tp)}]"
            return name
        if tp is Decimal:
            return self.need("binance_typed._params", "DecimalLike") if param else self.need("decimal", "Decimal")
        if isinstance(tp, type):
            if tp.__module__ == "builtins":
                return tp.__name__
            return self.need(tp.__module__, tp.__name__)
        raise TypeError(f"cannot render {tp!r}")

    def literal(self, value: Any) -> str:
        if isinstance(value, enum.Enum):
            return f"{self.need(type(value).__module__, type(value).__name__)}.{value.name}"
        return repr(value)


def strip_none(tp: Any) -> Any:
    """``X | None`` -> ``X`` (optional parameters get ``| None = None`` in the signature)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
        return typing.Union[tuple(rest)]  # noqa: UP007
    return tp


@dataclass
class Param:
    name: str
    annotation: str
    required: bool


def params_of(ep: Endpoint, r: Renderer) -> list[Param]:
    hints = typing.get_type_hints(ep.params, include_extras=True)
    out = []
    for name, info in ep.params.model_fields.items():
        out.append(Param(name, r.render(strip_none(hints[name]), param=True), info.is_required()))
    return out


def optional_params(params: list[Param]) -> list[Param]:
    """Keyword-only parameters in declaration order, ``recvWindow`` last."""
    optional = [p for p in params if not p.required and p.name != "recvWindow"]
    return optional + [p for p in params if p.name == "recvWindow"]


def signature(params: list[Param], overrides: dict[str, str | None] | None = None) -> str:
    """The parameter list: required parameters positional, every optional one keyword-only.

    ``overrides`` (an overload's conditions) replace the annotation of the parameters they name;
    ``None`` means "left out" (``name: None = None``). Every overload spells out every optional
    parameter, so completion engines that read overloads (jedi) offer them all, and a mistyped
    keyword gives mypy a short, named error.
    """
    overrides = overrides or {}
    parts = ["self"]
    parts += [f"{p.name}: {overrides.get(p.name) or p.annotation}" for p in params if p.required]
    parts.append("*")
    for p in optional_params(params):
        if p.name in overrides and not p.required:
            ann = overrides[p.name]
            parts.append(f"{p.name}: {ann}" if ann is not None else f"{p.name}: None = None")
        else:
            parts.append(f"{p.name}: {p.annotation} | None = None")
    parts += CALL_OPTIONS
    return ", ".join(parts)


CALL_OPTIONS = [
    "timeout: float | None = None",
    "extra_params: Mapping[str, object] | None = None",
]
"""Per-call options every method takes: seconds to wait for this call, and parameters (or enum
values) this version does not declare, sent as given (they replace declared ones of the same name)."""


def options_typeddict(ep: Endpoint, params: list[Param], kept: set[str], r: Renderer) -> str:
    """A ``TypedDict`` of the optional parameters the overloads of ``ep`` share.

    No signature uses it any more (every method spells its parameters out); it stays for users
    who build keyword arguments as a typed dict: ``client.trade.new_order(..., **opts)``.
    """
    r.need("typing_extensions", "TypedDict")
    name = options_name(ep)
    lines = [f"class {name}(TypedDict, total=False):", f'    """Optional keyword arguments of ``{ep.dotted}``."""', ""]
    lines += [f"    {p.name}: {p.annotation} | None" for p in optional_params(params) if p.name not in kept]
    r.typeddicts[name] = "\n".join(lines)
    return name


def options_name(ep: Endpoint) -> str:
    return "".join(part.title() for part in ep.name.split("_")) + "Options"


def overload_overrides(ov: Overload, params: list[Param], r: Renderer) -> dict[str, str | None]:
    by_name = {p.name: p for p in params}
    out: dict[str, str | None] = {}
    for name, cond in ov.when.items():
        if cond is GIVEN:
            out[name] = by_name[name].annotation
        elif cond is ABSENT:
            out[name] = None
        else:
            r.need("typing", "Literal")
            values = list(cond)
            for v in cond:
                if isinstance(v, enum.Enum):
                    values.append(v.value)
            literal = ", ".join(dict.fromkeys(r.literal(v) for v in values))
            out[name] = f"Literal[{literal}]"
    return out


def docstring(ep: Endpoint, indent: str, params: list[Param] | None = None) -> str:
    where = f"`{ep.verb} {ep.path}`" if ep.path else "WebSocket API only"
    ws = f" · WS `{ep.ws_method}`" if ep.ws_method else ""
    weight = ep.weight_text.rstrip(".")
    if ep.product != "spot":
        weight = f"{weight} ({ep.weight_kind})"
    lines = [ep.summary, "", f"{where}{ws} · weight {weight} · {ep.security.value}"]
    if ep.places_order and ep.product != "spot":
        lines += ["", "Moves money or places an order: never resent; an unknown outcome raises", "ExecutionStatusUnknown."]
    if ep.extra_doc:
        lines += ["", *ep.extra_doc.strip().splitlines()]
    if ep.docs_url:
        lines += ["", f"See: {ep.docs_url}"]
    if params is not None:
        lines += ["", *args_section(ep, params)]
    body = "\n".join(f"{indent}{line}".rstrip() for line in lines)
    return f'{indent}"""{body.lstrip()}\n{indent}"""'


# -- parameter descriptions ------------------------------------------------------------------------
ARGS_WIDTH = 100


class UndescribedParameter(LookupError):
    """An /api/v3 or WebSocket API parameter has no text in binance_typed/endpoints/_param_docs.py."""


def args_section(ep: Endpoint, params: list[Param]) -> list[str]:
    """The Google-style ``Args:`` section: one entry per parameter, in signature order."""
    import textwrap

    names = [p.name for p in params if p.required] + [p.name for p in optional_params(params)]
    names += ["timeout", "extra_params"]
    out = ["Args:"]
    for name in names:
        text = param_text(ep, name)
        out += textwrap.wrap(
            f"{name}: {text}", ARGS_WIDTH, initial_indent="    ", subsequent_indent="        ",
            break_long_words=False, break_on_hyphens=False,
        )
    return out


def param_text(ep: Endpoint, name: str) -> str:
    spot = ep.product == "spot"
    text = describe(ep.dotted, name, spot=spot)
    if spot:
        if not text:
            raise UndescribedParameter(f"{ep.dotted}: no description for {name!r} (add it to _param_docs.py)")
        return text
    return sapi_param_text(ep, name, text)


_CATALOGUE_PARAMS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}


def catalogue_params(ep: Endpoint) -> dict[str, dict[str, Any]]:
    """The catalogue's parameter entries of a /sapi endpoint, by wire name (empty if not found)."""
    if not _CATALOGUE_PARAMS:
        for entry in _gen_sapi.load():
            _CATALOGUE_PARAMS[(entry["verb"], entry["path"])] = {p["name"]: p for p in entry.get("params", [])}
    return _CATALOGUE_PARAMS.get((ep.verb, ep.path or ""), {})


_ABBREVIATIONS = {
    "id": "id", "qty": "quantity", "amt": "amount", "num": "number", "tran": "transaction", "ext": "extra",
    "ip": "IP", "api": "API", "btc": "BTC", "orig": "original", "resp": "response", "tr": "travel rule",
}
_TYPE_WORDS = {"integer": "a whole number", "number": "a decimal", "boolean": "true or false", "array": "a list"}


def name_words(name: str) -> str:
    """``loanCoin`` -> ``loan coin`` (``Id`` -> ``id``, ``Qty`` -> ``quantity``)."""
    import re

    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name).split()
    return " ".join(_ABBREVIATIONS.get(w.lower(), w.lower() if not w.isupper() else w) for w in words)


def sapi_param_text(ep: Endpoint, name: str, known: str | None) -> str:
    """A /sapi parameter: the glossary's meaning (or one read from its name) plus the catalogue's
    facts, restated by rules: allowed values, default, maximum, the other parameter of an
    "either ... or" pair, and whether a time is in milliseconds."""
    import re

    cat = catalogue_params(ep).get(name, {})
    desc = str(cat.get("description") or "")
    kind = str(cat.get("type") or "")
    if known:
        text = known
    elif kind == "boolean" or name.startswith("is") and name[2:3].isupper():
        words = name_words(name[2:] if name.startswith("is") and name[2:3].isupper() else name)
        text = f"True or false: {words}."
    elif name.endswith(("Time", "Timestamp")) and kind == "integer":
        text = f"The {name_words(name)}: milliseconds since the Unix epoch or an aware ``datetime``."
    else:
        words = name_words(name)
        text = f"The {words}" + (f", {_TYPE_WORDS[kind]}." if kind in _TYPE_WORDS else ".")
    facts: list[str] = []
    values = cat.get("enum") or []
    if values and "``" not in text:
        facts.append("One of " + ", ".join(f"``{v}``" for v in values) + ".")
    stated = "when left out" in text.lower() or "at most" in text.lower()
    default = re.search(
        r"[Dd]efault(?:s| value)?(?: is| to|:)?\s*[`'\"]?(-?\d[\d.]*|true|false|[A-Z][A-Z0-9_]+)\b[`'\"]?"
        r"(?:\s+(days?|hours?|minutes?)\b)?",
        desc,
    )
    if default and not stated:
        value, unit = default.groups()
        facts.append(f"{value} {unit} ago when left out." if unit else f"``{value}`` when left out.")
    maximum = re.search(
        r"(?:[Mm]ax(?:imum)?(?: value)?(?: is|:)?|cannot be (?:greater|more) than|less than or equal to|<=)\s*[`'\"]?"
        r"(\d[\d,]*)[`'\"]?(?:\s+(chars|characters|assets|positions|symbols)\b)?",
        desc,
    )
    if maximum and not stated:
        count, what = maximum.groups()
        what = {"chars": "characters"}.get(what or "", what)
        facts.append(f"At most {count.replace(',', '')}{f' {what}' if what else ''}.")
    bounds = re.search(r"range \[(\d+),\s*(\d+)\]", desc)
    if bounds and not maximum and not stated:
        facts.append(f"From {bounds.group(1)} to {bounds.group(2)}.")
    unit = re.search(r"\bin (seconds|minutes|hours|days)\b", desc, re.IGNORECASE)
    if unit and unit.group(1).lower() not in text:
        facts.append(f"In {unit.group(1).lower()}.")
    either = re.search(r"[Ee]ither\s+`?(\w+)`?\s+or\s+`?(\w+)`?", desc)
    if either and name in either.groups():
        other = either.group(2) if either.group(1) == name else either.group(1)
        if other != name:
            facts.append(f"Send this or ``{other}``.")
    return " ".join([text, *facts])


def render_method(ep: Endpoint, r: Renderer, is_async: bool, const: str) -> str:
    params = params_of(ep, r)
    r.need("collections.abc", "Mapping")
    ret = r.render(ep.response)
    d = "async def" if is_async else "def"
    aw = "await " if is_async else ""
    out = []
    if ep.overloads:
        r.need("typing", "overload")
        kept = {name for ov in ep.overloads for name in ov.when}
        options_typeddict(ep, params, kept, r)
        for ov in ep.overloads:
            sig = signature(params, overload_overrides(ov, params, r))
            out.append(f"    @overload\n    {d} {ep.name}({sig}) -> {r.render(ov.response)}: ...\n")
        out.append(f"    @overload\n    {d} {ep.name}({signature(params)}) -> {ret}: ...\n")
    out.append(
        f"    {d} {ep.name}({signature(params)}) -> {ret}:\n"
        f"{docstring(ep, '        ', params)}\n"
        f"        return {aw}self._call({const}, locals())  # type: ignore[no-any-return]\n"
    )
    return "\n".join(out)


def constant_name(ep: Endpoint, module: Any) -> str:
    for name, value in vars(module).items():
        if value is ep:
            return name
    raise LookupError(ep.dotted)


def class_name(group: str) -> str:
    return group.title().replace("_", "")


def group_doc(module: Any, group: str) -> str:
    doc = module.__doc__ or ""
    lines = [line for line in doc.strip().splitlines() if line.strip() and not line.startswith("Generated by")]
    return lines[0].strip() if lines else group


def render_group(group: str, sapi: bool = False) -> str:
    import importlib

    module_name = f"binance_typed.endpoints.{'sapi.' if sapi else ''}{group}"
    module = importlib.import_module(module_name)
    endpoints = [v for v in vars(module).values() if isinstance(v, Endpoint)]
    r = Renderer()
    consts = [constant_name(ep, module) for ep in endpoints]
    cls = class_name(group)
    bases = ("SapiGroup", "AsyncSapiGroup", "binance_typed.api._sapi") if sapi else (
        "SyncGroup", "AsyncGroup", "binance_typed.api._resource"
    )
    blocks = []
    for is_async in (False, True):
        name = f"Async{cls}" if is_async else cls
        base = bases[1] if is_async else bases[0]
        if group in EXTRA_BASES:
            extra_module, sync_base, async_base = EXTRA_BASES[group]
            base = r.need(extra_module, async_base if is_async else sync_base)
            r.runtime.add(extra_module)
        methods = "\n".join(
            render_method(ep, r, is_async, f"_declared.{c}") for ep, c in zip(endpoints, consts, strict=True)
        )
        doc = group_doc(module, group)
        blocks.append(f'class {name}({base}):\n    """{doc}"""\n\n    __slots__ = ()\n\n{methods}')
    if group not in EXTRA_BASES:
        r.need(bases[2], bases[0])
        r.need(bases[2], bases[1])
        r.runtime.add(bases[2])
    r.declarations = module_name
    source = module_name.replace(".", "/") + ".py"
    return module_text(source, r, [f"Async{cls}", cls], blocks)


GROUPS_MODULE = ROOT / "binance_typed" / "_groups.py"


def render_groups_module(sapi_groups: tuple[str, ...]) -> str:
    """``binance_typed/_groups.py``: the GROUPS table and the typed group properties of the clients."""
    import importlib

    rows = []
    docs = {}
    for group in (*GROUP_MODULES, *sapi_groups):
        sapi = group in sapi_groups
        rows.append((group, f"binance_typed.api.{group}", class_name(group), f"Async{class_name(group)}"))
        module = importlib.import_module(f"binance_typed.endpoints.{'sapi.' if sapi else ''}{group}")
        docs[group] = group_doc(module, group).rstrip(".") + "."
    lines = [
        '"""Generated by scripts/generate.py: do not edit.',
        "",
        "The client groups: ``GROUPS`` (attribute -> module, sync class, async class) and the typed,",
        "lazily loaded group properties that ``Client`` and ``AsyncClient`` inherit. A group's module",
        "is imported on first use of its property, so ``Client()`` loads none of them.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Callable",
        "from typing import TYPE_CHECKING, Any",
        "",
        "if TYPE_CHECKING:",
    ]
    for group, module, sync, asyn in rows:
        lines.append(f"    from {module} import {asyn}, {sync}")
    lines += ["", '__all__ = ["GROUPS", "AsyncGroups", "SyncGroups"]', ""]
    lines.append("GROUPS: dict[str, tuple[str, str, str]] = {")
    for group, module, sync, asyn in rows:
        lines.append(f'    "{group}": ("{module}", "{sync}", "{asyn}"),')
    lines += ["}", "", ""]
    for cls, idx, flag in (("SyncGroups", 2, "True"), ("AsyncGroups", 3, "False")):
        kind = "blocking" if flag == "True" else "asyncio"
        lines += [
            f"class {cls}:",
            f'    """The {kind} client\'s group properties (each loads its module on first use)."""',
            "",
            "    __slots__ = ()",
            "    _group: Callable[[str, bool], Any]",
            "",
        ]
        for row in rows:
            group = row[0]
            lines += [
                "    @property",
                f"    def {group}(self) -> {row[idx]}:",
                f'        """{docs[group]}"""',
                f'        return self._group("{group}", {flag})  # type: ignore[no-any-return]',
                "",
            ]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


WS_METHODS = ROOT / "binance_typed" / "ws" / "_api_methods.py"
WS_ONLY_MODULE = "ws_only"


def ws_endpoints_by_group() -> dict[str, list[tuple[Endpoint, str, str]]]:
    """WebSocket API methods by client group: (endpoint, module, constant), declaration order.

    REST endpoints with a ``ws_method`` come first (same params and response models), then the
    WebSocket-only declarations of ``binance_typed/endpoints/ws_only.py``.
    """
    import importlib

    out: dict[str, list[tuple[Endpoint, str, str]]] = {}
    for group in (*GROUP_MODULES, WS_ONLY_MODULE):
        name = f"binance_typed.endpoints.{group}"
        module = importlib.import_module(name)
        for ep in all_endpoints((group,)):
            if ep.ws_method:
                out.setdefault(ep.group, []).append((ep, name, constant_name(ep, module)))
    return out


def render_ws() -> str:
    """``binance_typed/ws/_api_methods.py``: the groups that exist only on the WebSocket API.

    ``ws.market``, ``ws.trade`` and ``ws.account`` are the REST group classes themselves (the
    WebSocket client provides the same ``call``), so only session and user data are rendered.
    """
    r = Renderer()
    blocks = []
    names = []
    for group, entries in ws_endpoints_by_group().items():
        if group in GROUP_MODULES:  # served by the REST group classes themselves
            continue
        cls = "Ws" + group.title().replace("_", "")
        for module, const in {(m, c) for _, m, c in entries}:
            r.need(module, const)
        for is_async in (False, True):
            name = f"Async{cls}" if is_async else cls
            names.append(name)
            base = "AsyncGroup" if is_async else "SyncGroup"
            methods = "\n".join(render_method(ep, r, is_async, c) for ep, _, c in entries)
            doc = f"WebSocket API methods of ``ws.{group}``."
            blocks.append(f'class {name}({base}):\n    """{doc}"""\n\n    __slots__ = ()\n\n{methods}')
    r.need("binance_typed.api._resource", "AsyncGroup")
    r.need("binance_typed.api._resource", "SyncGroup")
    r.runtime.update(r.imports)  # the WebSocket API client is not on the REST start-up path
    return module_text("binance_typed/endpoints/*.py", r, names, blocks)


def module_text(source: str, r: Renderer, names: list[str], blocks: list[str]) -> str:
    """A generated module: header, imports (standard library first), ``__all__``, classes."""
    r.imports.pop("builtins", None)
    if r.declarations:
        r.need("binance_typed.api._resource", "Declarations")
        r.runtime.add("binance_typed.api._resource")
    head = [f'"""Generated by scripts/generate.py from {source}: do not edit."""', "", "from __future__ import annotations", ""]
    std = sorted(m for m in r.imports if not m.startswith("binance_typed"))
    own = sorted(m for m in r.imports if m.startswith("binance_typed"))
    typed = [m for m in own if m not in r.runtime]
    if typed or r.declarations:
        r.imports.setdefault("typing", set()).add("TYPE_CHECKING")
        std = sorted({*std, "typing"})
    head += [f"from {m} import {', '.join(sorted(r.imports[m]))}" for m in std]
    head.append("")
    head += [f"from {m} import {', '.join(sorted(r.imports[m]))}" for m in own if m in r.runtime]
    if typed or r.declarations:
        # annotations only: a group's models, enums and params are built at its first call
        head += ["", "if TYPE_CHECKING:"]
        if r.declarations:
            package, _, leaf = r.declarations.rpartition(".")
            head.append(f"    from {package} import {leaf} as _declared")
        head += [f"    from {m} import {', '.join(sorted(r.imports[m]))}" for m in typed]
        if r.declarations:
            head += ["else:", f'    _declared = Declarations("{r.declarations}")']
    head += ["", "__all__ = [" + ", ".join(f'"{n}"' for n in sorted(names)) + "]"]
    return "\n".join(head) + "\n\n\n" + "\n\n\n".join([*r.typeddicts.values(), *blocks])


def sapi_groups() -> tuple[str, ...]:
    import importlib

    return tuple(importlib.import_module("binance_typed.endpoints.sapi").SAPI_GROUPS)


def outputs(groups: tuple[str, ...] = GROUP_MODULES, sapi: bool = True) -> dict[Path, str]:
    out = {API_DIR / f"{group}.py": render_group(group) for group in groups}
    out[WS_METHODS] = render_ws()
    if sapi:
        names = sapi_groups()
        out.update({API_DIR / f"{group}.py": render_group(group, sapi=True) for group in names})
        out[GROUPS_MODULE] = render_groups_module(names)
    return out


def main(argv: list[str]) -> int:
    import importlib
    import _gen_compat  # the binance-connector compatible layer (binance_typed/spot, websocket)

    check = "--check" in argv
    selected = tuple(a for a in argv if not a.startswith("--"))
    groups = selected or GROUP_MODULES
    try:
        ruff = formatter()
    except FormatterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stale: list[Path] = []

    def emit(path: Path, text: str, raw: bool = False) -> None:
        if not raw:
            text = format_source(text, ruff, path)
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text() != text:
                path.write_text(text)

    if not selected:  # stage 1: the /sapi declarations and models, from the catalogue
        for path, text in _gen_sapi.outputs().items():
            emit(path, text)
        importlib.invalidate_caches()
    for path, text in outputs(groups, sapi=not selected).items():  # stage 2: group classes, wiring
        emit(path, text)
    if not selected:  # stage 3: the local exchange's /sapi data (JSON, not formatted)
        for path, text in _gen_sapi_sim.outputs().items():
            emit(path, text, raw=True)
    if not selected:  # stage 4: the connector-compatible layer, over every declaration
        _gen_compat.stage(check, emit, stale)
    if stale:
        print("stale generated modules (run python scripts/generate.py):", *map(str, stale), sep="\n  ")
        return 1
    return 0


class FormatterError(RuntimeError):
    """The pinned formatter is missing or is another version."""


def pinned_ruff() -> str:
    import re

    match = re.search(r'"ruff==([0-9.]+)"', (ROOT / "pyproject.toml").read_text())
    if match is None:
        raise FormatterError("pyproject.toml does not pin ruff (expected \"ruff==X.Y.Z\" in the dev extra)")
    return match.group(1)


def formatter() -> str:
    """The ruff executable, checked to be the version pinned in pyproject.toml.

    ``BINANCE_TYPED_RUFF`` overrides where it is looked for.
    """
    import os
    import shutil
    import subprocess

    ruff = os.environ.get("BINANCE_TYPED_RUFF") or shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    want = pinned_ruff()
    try:
        done = subprocess.run([ruff, "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise FormatterError(
            f"the formatter ruff=={want} is missing ({ruff}: {exc}); generated modules cannot be "
            f"checked or written without it: pip install 'ruff=={want}' (or pip install -e '.[dev]')"
        ) from None
    have = done.stdout.split()[-1] if done.stdout.split() else "?"
    if have != want:
        raise FormatterError(
            f"ruff {have} found at {ruff}, but the generated modules are formatted by ruff=={want} "
            f"(pinned in pyproject.toml): pip install 'ruff=={want}'"
        )
    return ruff


def format_source(text: str, ruff: str, path: Path | None = None) -> str:
    """Sort imports and format with the pinned ruff, so the output is stable and readable."""
    import subprocess

    name = str(path or API_DIR / "generated.py")
    for args in (["check", "--fix", "--select", "I", "--quiet", "--exit-zero"], ["format"]):
        try:
            done = subprocess.run(
                [ruff, *args, "--stdin-filename", name, "-"],
                input=text, capture_output=True, text=True, check=True, cwd=ROOT,
            )
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", "") or exc
            raise FormatterError(f"ruff failed on {name}: {detail}") from None
        text = done.stdout
    return text


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
