"""Generate the typed group classes in ``binance_typed/api/`` from the endpoint declarations.

    python scripts/generate.py          # rewrite the generated modules
    python scripts/generate.py --check  # exit 1 if any generated module is stale (a test runs this)
    python scripts/generate.py market   # only the named group(s)

Each endpoint's params model gives the signature: required fields become positional parameters
in declaration order, optional ones keyword-only with the API's names; enumerations are written
as ``Enum | Literal[...]`` so both members and plain strings type-check. Overloads declared on the
endpoint become ``typing.overload`` variants with their own return types.
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

API_DIR = ROOT / "binance_typed" / "api"


@dataclass
class Renderer:
    """Turns typing objects into source text, remembering what must be imported."""

    imports: dict[str, set[str]] = field(default_factory=dict)
    typeddicts: dict[str, str] = field(default_factory=dict)

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


def signature(
    params: list[Param],
    overrides: dict[str, str | None] | None = None,
    packed: tuple[str, set[str]] | None = None,
) -> str:
    """The parameter list; with ``packed=(TypedDict name, kept names)``, the optional parameters
    not kept travel as ``**options: Unpack[TypedDict]`` (so overloads do not repeat them)."""
    overrides = overrides or {}
    parts = ["self"]
    parts += [f"{p.name}: {overrides.get(p.name) or p.annotation}" for p in params if p.required]
    optional = optional_params(params)
    if packed is not None:
        optional = [p for p in optional if p.name in packed[1]]
    parts.append("*")
    for p in optional:
        if p.name in overrides and not p.required:
            ann = overrides[p.name]
            parts.append(f"{p.name}: {ann}" if ann is not None else f"{p.name}: None = None")
        else:
            parts.append(f"{p.name}: {p.annotation} | None = None")
    parts += CALL_OPTIONS
    if packed is not None:
        parts.append(f"**options: Unpack[{packed[0]}]")
    return ", ".join(parts)


CALL_OPTIONS = [
    "timeout: float | None = None",
    "extra_params: Mapping[str, object] | None = None",
]
"""Per-call options every method takes: seconds to wait for this call, and parameters (or enum
values) this version does not declare, sent as given (they replace declared ones of the same name)."""


def options_typeddict(ep: Endpoint, params: list[Param], kept: set[str], r: Renderer) -> str:
    """A ``TypedDict`` of the optional parameters the overloads of ``ep`` share."""
    r.need("typing_extensions", "TypedDict")
    r.need("typing_extensions", "Unpack")
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


def docstring(ep: Endpoint, indent: str) -> str:
    where = f"`{ep.verb} {ep.path}`" if ep.path else "WebSocket API only"
    ws = f" · WS `{ep.ws_method}`" if ep.ws_method else ""
    weight = ep.weight_text.rstrip(".")
    lines = [ep.summary, "", f"{where}{ws} · weight {weight} · {ep.security.value}"]
    if ep.extra_doc:
        lines += ["", *ep.extra_doc.strip().splitlines()]
    body = "\n".join(f"{indent}{line}".rstrip() for line in lines)
    return f'{indent}"""{body.lstrip()}\n{indent}"""'


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
        packed = (options_typeddict(ep, params, kept, r), kept)
        for ov in ep.overloads:
            sig = signature(params, overload_overrides(ov, params, r), packed)
            out.append(f"    @overload\n    {d} {ep.name}({sig}) -> {r.render(ov.response)}: ...\n")
        out.append(f"    @overload\n    {d} {ep.name}({signature(params, packed=packed)}) -> {ret}: ...\n")
    out.append(
        f"    {d} {ep.name}({signature(params)}) -> {ret}:\n"
        f"{docstring(ep, '        ')}\n"
        f"        return {aw}self._call({const}, locals())  # type: ignore[no-any-return]\n"
    )
    return "\n".join(out)


def constant_name(ep: Endpoint, module: Any) -> str:
    for name, value in vars(module).items():
        if value is ep:
            return name
    raise LookupError(ep.dotted)


def render_group(group: str) -> str:
    import importlib

    module = importlib.import_module(f"binance_typed.endpoints.{group}")
    endpoints = list(all_endpoints((group,)))
    r = Renderer()
    consts = [constant_name(ep, module) for ep in endpoints]
    cls = group.title().replace("_", "")
    blocks = []
    for is_async in (False, True):
        name = f"Async{cls}" if is_async else cls
        base = "AsyncGroup" if is_async else "SyncGroup"
        methods = "\n".join(render_method(ep, r, is_async, c) for ep, c in zip(endpoints, consts, strict=True))
        doc = module.__doc__.strip().splitlines()[0] if module.__doc__ else group
        blocks.append(f'class {name}({base}):\n    """{doc}"""\n\n    __slots__ = ()\n\n{methods}')
    r.need("binance_typed.api._resource", "AsyncGroup")
    r.need("binance_typed.api._resource", "SyncGroup")
    for const in consts:
        r.need(f"binance_typed.endpoints.{group}", const)
    source = f"binance_typed/endpoints/{group}.py"
    return module_text(source, r, [f"Async{cls}", cls], blocks)


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
    return module_text("binance_typed/endpoints/*.py", r, names, blocks)


def module_text(source: str, r: Renderer, names: list[str], blocks: list[str]) -> str:
    """A generated module: header, imports (standard library first), ``__all__``, classes."""
    r.imports.pop("builtins", None)
    head = [f'"""Generated by scripts/generate.py from {source}: do not edit."""', "", "from __future__ import annotations", ""]
    std = sorted(m for m in r.imports if not m.startswith("binance_typed"))
    own = sorted(m for m in r.imports if m.startswith("binance_typed"))
    head += [f"from {m} import {', '.join(sorted(r.imports[m]))}" for m in std]
    head.append("")
    head += [f"from {m} import {', '.join(sorted(r.imports[m]))}" for m in own]
    head += ["", "__all__ = [" + ", ".join(f'"{n}"' for n in sorted(names)) + "]"]
    return "\n".join(head) + "\n\n\n" + "\n\n\n".join([*r.typeddicts.values(), *blocks])


def outputs(groups: tuple[str, ...] = GROUP_MODULES) -> dict[Path, str]:
    out = {API_DIR / f"{group}.py": render_group(group) for group in groups}
    out[WS_METHODS] = render_ws()
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    groups = tuple(a for a in argv if not a.startswith("--")) or GROUP_MODULES
    stale = []
    for path, text in outputs(groups).items():
        text = format_source(text)
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(path)
        else:
            path.write_text(text)
    if stale:
        print("stale generated modules (run python scripts/generate.py):", *map(str, stale), sep="\n  ")
        return 1
    return 0


def format_source(text: str) -> str:
    """Format with ruff when available so the output is stable and readable."""
    import shutil
    import subprocess

    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    name = str(API_DIR / "generated.py")
    for args in (["check", "--fix", "--select", "I", "--quiet", "--exit-zero"], ["format"]):
        try:
            done = subprocess.run(
                [ruff, *args, "--stdin-filename", name, "-"],
                input=text, capture_output=True, text=True, check=True, cwd=ROOT,
            )
        except (OSError, subprocess.CalledProcessError):
            return text
        text = done.stdout
    return text


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
