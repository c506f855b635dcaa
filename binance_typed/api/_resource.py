"""Base classes of the generated groups: each method builds its params model and calls here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .._endpoint import Endpoint
    from .._params import Params


class SyncCaller(Protocol):
    """What a group sends its calls through: the REST transport or the WebSocket API client."""

    def call(self, endpoint: Endpoint, params: Params) -> Any: ...

    # accepted too, as keyword arguments: ``timeout=`` (seconds) and ``extra_params=`` (a mapping)


class AsyncCaller(Protocol):
    """The asyncio counterpart of :class:`SyncCaller`."""

    async def call(self, endpoint: Endpoint, params: Params) -> Any: ...

__all__ = ["AsyncCaller", "AsyncGroup", "Declarations", "SyncCaller", "SyncGroup", "build_params"]


class Declarations:
    """A group's endpoint declarations, imported at the first call of one of its methods.

    A generated group reads its endpoints as ``_declared.KLINES``; until then, neither the
    declaration module nor the params and response models it builds are loaded, so
    ``client.market`` costs no pydantic class. The first lookup imports the module and copies
    its names here: every later lookup is a plain attribute read. Type checkers see the module
    itself (the generated files import it under ``TYPE_CHECKING``).
    """

    def __init__(self, module: str) -> None:
        self.__module = module

    def __getattr__(self, name: str) -> Any:
        # only called for a name not copied yet: the first lookup, or one the module lacks
        import importlib

        module = importlib.import_module(self.__module)
        self.__dict__.update(vars(module))
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(f"{self.__module} declares no {name!r}") from None

    def __repr__(self) -> str:
        return f"Declarations({self.__module!r})"


_NOT_PARAMS = frozenset({"self", "timeout", "extra_params"})


def build_params(endpoint: Endpoint, values: dict[str, Any]) -> Any:
    """Validate a method's arguments (its ``locals()``) into the endpoint's params model."""
    return endpoint.params.build(**{k: v for k, v in values.items() if v is not None and k not in _NOT_PARAMS})


def call_options(values: dict[str, Any]) -> dict[str, Any]:
    """The per-call options among a method's arguments (``timeout=``, ``extra_params=``), if given."""
    timeout = values.get("timeout")
    extra = values.get("extra_params")
    if timeout is None and extra is None:
        return {}
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 86400
    ):
        from ..error import ParameterValueError

        raise ParameterValueError("timeout must be a number of seconds, > 0", "timeout")
    return {"timeout": timeout, "extra_params": extra}


class SyncGroup:
    """A group of blocking endpoint methods; the same class serves REST and the WebSocket API."""

    __slots__ = ("_transport",)

    def __init__(self, transport: SyncCaller) -> None:
        self._transport = transport

    def _call(self, endpoint: Endpoint, values: dict[str, Any]) -> Any:
        params = build_params(endpoint, values)
        options = call_options(values)
        if options:
            return self._transport.call(endpoint, params, **options)
        return self._transport.call(endpoint, params)


class AsyncGroup:
    """A group of asyncio endpoint methods; the same class serves REST and the WebSocket API."""

    __slots__ = ("_transport",)

    def __init__(self, transport: AsyncCaller) -> None:
        self._transport = transport

    async def _call(self, endpoint: Endpoint, values: dict[str, Any]) -> Any:
        params = build_params(endpoint, values)
        options = call_options(values)
        if options:
            return await self._transport.call(endpoint, params, **options)
        return await self._transport.call(endpoint, params)
