"""Audit the API reference: is every public name documented, and on a page?

**Public names** are the names listed in ``__all__`` of ``binance_typed`` and of each of its public
submodules (a module is public when no part of its dotted path starts with ``_``, e.g.
``binance_typed.ws.api`` but not ``binance_typed.ws._api_core``), except names that start with
``_`` (``__version__``). One object exported from several modules (``binance_typed.OrderBook`` is
``binance_typed.ws.orderbook.OrderBook``) counts once. Modules without ``__all__`` declare no public
names.

For each public object the audit checks:

* **docstring**: the object (class, function, constant with an attribute docstring) has one;
* **page**: a reference page renders it under one of its *public* paths. Without a build this is
  worked out from the ``::: identifier`` blocks that ``docs/gen_reference.py`` and the hand-written
  pages contain (a module block renders what mkdocstrings renders: what the module defines plus
  what its ``__all__`` re-exports); with ``--site DIR`` it is read from the built ``objects.inv``
  (a primary entry, ``#$`` anchor, at a public path).

It also counts the public methods of public classes without a docstring, and how many parameters of
the endpoint methods (the generated groups) an ``Args:`` section describes.

    python scripts/audit_reference.py               # fast: griffe + the page sources
    python scripts/audit_reference.py --site /tmp/site-ref   # also check the built inventory
    python scripts/audit_reference.py --json        # machine-readable
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGE = "binance_typed"
SKIP_MODULES = {"__main__"}
# parameters every endpoint method has, described once on the client pages
COMMON_PARAMS = {"self", "timeout", "extra_params", "options"}


@dataclass
class PublicObject:
    canonical: str
    """Where the object is defined (may be a private module)."""
    paths: list[str] = field(default_factory=list)
    """Its public paths: ``module.name`` for each public module exporting it."""
    kind: str = ""
    has_docstring: bool = False


def is_public_path(path: str) -> bool:
    return all(not part.startswith("_") for part in path.split("."))


def load_package() -> Any:
    import griffe

    return griffe.load(PACKAGE, search_paths=[str(ROOT)], docstring_parser="google", resolve_aliases=False)


def _get(pkg: Any, path: str) -> Any:
    if path == PACKAGE:
        return pkg
    return pkg[path.removeprefix(PACKAGE + ".")]


def _target(obj: Any) -> Any:
    """The object an alias points to, or the object itself (None when it cannot be resolved)."""
    if not obj.is_alias:
        return obj
    try:
        return obj.final_target
    except Exception:  # noqa: BLE001 - an alias to something outside the loaded package
        return None


def public_modules(pkg: Any) -> list[Any]:
    out: list[Any] = []

    def walk(module: Any) -> None:
        out.append(module)
        for name, member in sorted(module.modules.items()):
            if not name.startswith("_") and name not in SKIP_MODULES:
                walk(member)

    walk(pkg)
    return out


def _exports(module: Any) -> list[str]:
    exports = module.exports or []
    return [str(getattr(e, "name", e)) for e in exports]


def public_objects(pkg: Any) -> dict[str, PublicObject]:
    """Canonical path -> the public object (its public paths, kind, docstring)."""
    found: dict[str, PublicObject] = {}
    for module in public_modules(pkg):
        for name in _exports(module):
            if name.startswith("_"):
                continue
            path = f"{module.path}.{name}"
            try:
                member = module[name]
            except KeyError:
                found.setdefault(path, PublicObject(path, kind="missing")).paths.append(path)
                continue
            target = _target(member)
            canonical = target.path if target is not None else member.target_path
            entry = found.setdefault(canonical, PublicObject(canonical))
            entry.paths.append(path)
            if target is not None:
                entry.kind = target.kind.value
                entry.has_docstring = bool(target.docstring and target.docstring.value.strip())
    return found


def preferred_path(obj: PublicObject) -> str:
    """The public path an entry should use: the defining module when public, else the exporting
    module nearest to it (then the most specific: ``binance_typed.ws.api.X`` over ``binance_typed.ws.X``)."""
    if is_public_path(obj.canonical) and obj.canonical in obj.paths:
        return obj.canonical
    parts = obj.canonical.split(".")

    def score(path: str) -> tuple[int, int]:
        common = 0
        for a, b in zip(path.split(".")[:-1], parts[:-1], strict=False):
            if a != b:
                break
            common += 1
        return (-common, -len(path))

    return min(obj.paths, key=score)


# -- pages ------------------------------------------------------------------------------------------
_DIRECTIVE = re.compile(r"^::: *(\S+)[ \t]*\n((?:[ \t]+.*\n?|\n(?=[ \t]))*)", re.M)


def directives(markdown: str) -> list[tuple[str, dict[str, Any]]]:
    """The ``::: identifier`` blocks of a page, with their ``options``."""
    import textwrap

    import yaml

    out: list[tuple[str, dict[str, Any]]] = []
    for match in _DIRECTIVE.finditer(markdown):
        block = textwrap.dedent(match.group(2)) if match.group(2).strip() else ""
        config = yaml.safe_load(block) if block else None
        options = (config or {}).get("options", {}) or {}
        out.append((match.group(1), options))
    return out


def all_pages() -> dict[str, str]:
    """Every page: the hand-written ones in docs/ and those docs/gen_reference.py generates."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_gen_reference_for_audit", DOCS / "gen_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pages: dict[str, str] = {str(p.relative_to(DOCS)): p.read_text() for p in DOCS.rglob("*.md")}
    pages.update(module.pages())
    return pages


def rendered_paths(pkg: Any, pages: dict[str, str]) -> dict[str, str]:
    """Path -> page, for every object the pages render at the top of a block or as a module member."""
    out: dict[str, str] = {}
    for page, markdown in pages.items():
        for ident, options in directives(markdown):
            out.setdefault(ident, page)
            try:
                obj = _get(pkg, ident)
            except KeyError:
                continue
            target = _target(obj)
            if target is None or target.kind.value != "module":
                continue
            members = options.get("members")
            if members is False:
                continue
            filters = options.get("filters")
            exports = set(_exports(target))
            for name, member in target.members.items():
                if isinstance(members, list):
                    keep = name in members
                else:
                    keep = (filters == "public" or not name.startswith("_")) and (
                        not member.is_alias or name in exports
                    )
                if keep:
                    out.setdefault(f"{ident}.{name}", page)
    return out


def inventory(site: Path) -> dict[str, str]:
    """Primary entries of the built site's ``objects.inv``: name -> page URI."""
    data = (site / "objects.inv").read_bytes()
    body = zlib.decompress(data.split(b"\n", 4)[4]).decode()
    out: dict[str, str] = {}
    for line in body.splitlines():
        match = re.match(r"(\S+)\s+py:\S+\s+(-?\d+)\s+(\S+)", line)
        if match and match.group(3).endswith("#$"):
            out[match.group(1)] = match.group(3)
    return out


# -- methods and parameters -------------------------------------------------------------------------
def _is_endpoint_group(cls: Any) -> bool:
    bases = {str(b) for b in cls.bases}
    return bool(bases & {"SyncGroup", "AsyncGroup", "WsGroup", "AsyncWsGroup"}) or any(
        b.endswith((".SyncGroup", ".AsyncGroup")) for b in bases
    )


def methods_without_docstring(pkg: Any, objects: dict[str, PublicObject]) -> list[str]:
    """Public methods (and properties) of public classes that have no docstring."""
    out: list[str] = []
    seen: set[str] = set()
    for obj in objects.values():
        if obj.kind != "class" or obj.canonical in seen:
            continue
        seen.add(obj.canonical)
        cls = _get(pkg, obj.canonical)
        for name, member in cls.members.items():
            if name.startswith("_") or member.is_alias:
                continue
            if member.kind.value not in ("function", "attribute") or (
                member.kind.value == "attribute" and "property" not in member.labels
            ):
                continue
            if not (member.docstring and member.docstring.value.strip()):
                out.append(f"{preferred_path(obj)}.{name}")
    return sorted(out)


def endpoint_methods(pkg: Any) -> list[Any]:
    """The methods of the generated endpoint groups (``binance_typed.api.*`` and the
    WebSocket-only groups), sync classes only (the async twins share the docstrings)."""
    out: list[Any] = []
    modules = [m for n, m in sorted(pkg["api"].modules.items()) if not n.startswith("_")]
    if "_api_methods" in pkg["ws"].modules:
        modules.append(pkg["ws._api_methods"])
    for module in modules:
        for cls in module.classes.values():
            if cls.name.startswith("Async") or cls.name.startswith("_"):
                continue
            for name, member in cls.members.items():
                if not name.startswith("_") and member.kind.value == "function":
                    out.append(member)
    return out


def described_parameters(function: Any) -> tuple[list[str], list[str]]:
    """(parameters of the method, those an ``Args:`` section describes)."""
    params = [
        p.name
        for p in function.parameters
        if p.name not in COMMON_PARAMS and p.kind.value not in ("variadic positional", "variadic keyword")
    ]
    described: set[str] = set()
    if function.docstring is not None:
        for section in function.docstring.parse("google", warn_unknown_params=False):
            if section.kind.value == "parameters":
                described.update(item.name for item in section.value)
    return params, [p for p in params if p in described]


# -- report -----------------------------------------------------------------------------------------
@dataclass
class Audit:
    objects: dict[str, PublicObject]
    no_docstring: list[str]
    no_page: list[str]
    private_entries: list[str]
    methods_no_docstring: list[str]
    endpoint_methods: int
    parameters: int
    parameters_described: int
    methods_fully_described: int
    inventory_missing: list[str] | None = None

    def summary(self) -> dict[str, Any]:
        public_paths = sum(len(o.paths) for o in self.objects.values())
        out: dict[str, Any] = {
            "public_names": public_paths,
            "public_objects": len(self.objects),
            "with_docstring": len(self.objects) - len(self.no_docstring),
            "with_page": len(self.objects) - len(self.no_page),
            "no_docstring": self.no_docstring,
            "no_page": self.no_page,
            "methods_without_docstring": self.methods_no_docstring,
            "endpoint_methods": self.endpoint_methods,
            "endpoint_parameters": self.parameters,
            "endpoint_parameters_described": self.parameters_described,
            "endpoint_methods_fully_described": self.methods_fully_described,
        }
        if self.inventory_missing is not None:
            out["with_inventory_entry"] = len(self.objects) - len(self.inventory_missing)
            out["no_inventory_entry"] = self.inventory_missing
        return out


def run(site: Path | None = None) -> Audit:
    pkg = load_package()
    objects = public_objects(pkg)
    pages = all_pages()
    rendered = rendered_paths(pkg, pages)
    no_page = sorted(preferred_path(o) for o in objects.values() if not any(p in rendered for p in o.paths))
    no_doc = sorted(preferred_path(o) for o in objects.values() if not o.has_docstring)
    private = sorted(ident for ident in rendered if ident.startswith(PACKAGE) and not is_public_path(ident))
    methods = endpoint_methods(pkg)
    total = described = full = 0
    for method in methods:
        params, desc = described_parameters(method)
        total += len(params)
        described += len(desc)
        full += len(params) == len(desc)
    audit = Audit(
        objects, no_doc, no_page, private, methods_without_docstring(pkg, objects),
        len(methods), total, described, full,
    )
    if site is not None:
        inv = inventory(site)
        audit.inventory_missing = sorted(
            preferred_path(o) for o in objects.values() if not any(p in inv for p in o.paths)
        )
    return audit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (mkdocs build --site-dir DIR) to read objects.inv from")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    audit = run(args.site)
    summary = audit.summary()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        n = summary["public_objects"]
        print(f"public names:      {summary['public_names']} ({n} objects; re-exports counted once)")
        print(f"with a docstring:  {summary['with_docstring']} / {n}")
        print(f"on a page:         {summary['with_page']} / {n}  (from the page sources)")
        if "with_inventory_entry" in summary:
            print(f"in objects.inv:    {summary['with_inventory_entry']} / {n}  (primary entry at a public path)")
        print(f"methods of public classes without a docstring: {len(audit.methods_no_docstring)}")
        print(
            f"endpoint methods:  {audit.endpoint_methods}; parameters described by Args: "
            f"{audit.parameters_described} / {audit.parameters} "
            f"({audit.methods_fully_described} methods fully described)"
        )
        print(f"blocks rendering a private path: {len(audit.private_entries)}")
        for label, names in (
            ("no docstring", audit.no_docstring),
            ("no page", audit.no_page),
            ("no inventory entry", audit.inventory_missing or []),
            ("method without docstring", audit.methods_no_docstring),
            ("private path rendered", audit.private_entries),
        ):
            for name in names:
                print(f"  {label}: {name}")
    bad = audit.no_docstring or audit.no_page or audit.inventory_missing
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
