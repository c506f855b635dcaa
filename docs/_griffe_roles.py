"""Griffe extension for the reference: reST roles in docstrings become links.

The package's docstrings name objects with reST roles (``:class:`~binance_typed.ws.ReconnectPolicy```,
``:meth:`stop```), which Markdown would print as they are. Before mkdocstrings renders a docstring,
each role becomes inline code linked to the object's entry (an optional cross-reference: when the
object has no entry, the name stays plain code). Targets are resolved in the scope of the
docstring's object and linked by their *public* path (``binance_typed.testing.LocalBinance``, not
``binance_typed.testing._server.LocalBinance``).

Listed under ``extensions`` of the python handler in ``mkdocs.yml``.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(class|meth|func|data|attr|mod|exc|obj|const):`(~?)([^`<>]+?)`")
CALLABLE_ROLES = {"meth", "func"}
PACKAGE = "binance_typed"


def _public(path: str) -> bool:
    return all(not part.startswith("_") for part in path.split("."))


class ReadableRoles(griffe.Extension):
    """Rewrite reST roles in every docstring of the package as optional cross-references."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != PACKAGE:
            return
        public = self._public_paths(pkg)
        self._pkg = pkg
        for obj in self._objects(pkg):
            docstring = obj.docstring
            if docstring is not None and ":" in docstring.value:
                docstring.value = ROLE.sub(lambda m, o=obj: self._link(m, o, public), docstring.value)

    # -- helpers -------------------------------------------------------------------------------------
    @staticmethod
    def _objects(root: griffe.Object) -> list[griffe.Object]:
        out: list[griffe.Object] = []
        stack: list[griffe.Object] = [root]
        while stack:
            obj = stack.pop()
            out.append(obj)
            stack.extend(m for m in obj.members.values() if not m.is_alias)  # type: ignore[misc]
        return out

    @staticmethod
    def _public_paths(pkg: griffe.Module) -> dict[str, str]:
        """Canonical path -> the public path its entry uses (from ``__all__`` of public modules)."""
        found: dict[str, list[str]] = {}
        stack = [pkg]
        while stack:
            module = stack.pop()
            stack.extend(m for n, m in module.modules.items() if not n.startswith("_"))
            for name in module.exports or []:
                name = str(getattr(name, "name", name))
                if name.startswith("_") or name not in module.members:
                    continue
                member = module.members[name]
                try:
                    target = member.final_target if member.is_alias else member
                except Exception:  # noqa: BLE001 - outside the package
                    continue
                found.setdefault(target.path, []).append(f"{module.path}.{name}")
        out: dict[str, str] = {}
        for canonical, paths in found.items():
            if canonical in paths:
                out[canonical] = canonical
                continue
            parts = canonical.split(".")

            def score(path: str, parts: list[str] = parts) -> tuple[int, int]:
                common = 0
                for a, b in zip(path.split(".")[:-1], parts[:-1], strict=False):
                    if a != b:
                        break
                    common += 1
                return (-common, -len(path))

            out[canonical] = min(paths, key=score)
        return out

    @staticmethod
    def _to_public(path: str, public: dict[str, str]) -> str:
        """The public spelling of ``path`` (or of its longest prefix that has one)."""
        parts = path.split(".")
        for i in range(len(parts), 0, -1):
            head = ".".join(parts[:i])
            if head in public:
                return ".".join([public[head], *parts[i:]])
        return path

    def _final(self, path: str) -> str:
        """Follow re-exports: the path where ``path`` is defined (itself when unknown)."""
        try:
            obj = self._pkg[path.removeprefix(PACKAGE + ".")] if path != PACKAGE else self._pkg
            return str(obj.final_target.path if obj.is_alias else obj.path)
        except Exception:  # noqa: BLE001 - not in the package, or an unresolvable alias
            return path

    def _resolve(self, target: str, obj: griffe.Object) -> str | None:
        if target.startswith(PACKAGE + ".") or target == PACKAGE:
            return target
        if target.startswith("."):
            module = obj if obj.is_module else obj.module
            base = module.path if module.is_package else module.path.rsplit(".", 1)[0]
            return f"{base}.{target.lstrip('.')}"
        head, _, rest = target.partition(".")
        scope: griffe.Object | None = obj
        while scope is not None:
            try:
                resolved = scope.resolve(head)
            except Exception:  # noqa: BLE001 - not in this scope
                scope = scope.parent
                continue
            return f"{resolved}.{rest}" if rest else resolved
        return None

    def _link(self, match: re.Match[str], obj: griffe.Object, public: dict[str, str]) -> str:
        role, short, target = match.groups()
        target = target.strip()
        title = target.rsplit(".", 1)[-1] if short else target.lstrip(".")
        if role in CALLABLE_ROLES and not title.endswith(")"):
            title += "()"
        code = f"<code>{escape(title)}</code>"
        full = self._resolve(target, obj)
        if full is None:
            return code
        identifier = self._to_public(self._final(full), public)
        if not identifier.startswith(PACKAGE) or not _public(identifier):
            return code  # outside the package, or private with no public name: no entry to link
        return f'<autoref identifier="{escape(identifier)}" optional>{code}</autoref>'
