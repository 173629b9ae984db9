"""Import a library without the modules it imports only for features we never use.

miniaudio imports numpy at its top (to accept numpy arrays) and urllib.request (to stream
internet radio). We pass it neither arrays nor URLs, and a clinical recording never goes near
the network, yet the two cost every start: numpy 150-200 ms when installed, urllib.request
with http.client and the email package ~7 ms and ~1 MB after Textual (measured on the build
machine). Hidden modules make their import fail fast, as if not installed, which the library
is written to accept; deferred modules are a placeholder that imports the real module the
first time anything reads from it, so a later real use still works.

ffmpeg-python takes one name, ``basestring``, from the `future` package's Python 2 layer, whose
import (past.builtins and what it pulls in) was ~3 ms of every start: a stand-in module gives
it that name during ffmpeg-python's import only.
"""

from __future__ import annotations

import importlib
import sys
import types


class DeferredModule(types.ModuleType):
    """Stands in ``sys.modules`` for a module nobody has used yet."""

    def __getattr__(self, attribute: str):
        # Only called for attributes the placeholder lacks, i.e. a first real use.
        real = load_deferred(self.__name__)
        return getattr(real, attribute)


def load_deferred(name: str) -> types.ModuleType:
    """Replace the placeholder for ``name`` with the real module (importing it now) and
    return it; the placeholder takes the real module's contents for whoever kept it."""
    placeholder = sys.modules.get(name)
    if not isinstance(placeholder, DeferredModule):
        return importlib.import_module(name)
    del sys.modules[name]
    real = importlib.import_module(name)  # also sets it on its parent package again
    placeholder.__dict__.update(real.__dict__)
    return real


def defer(name: str) -> None:
    """Put a placeholder for ``name`` (a submodule, e.g. "urllib.request") in sys.modules,
    unless the real module is already imported."""
    if name in sys.modules:
        return
    parent_name, _, child = name.rpartition(".")
    placeholder = DeferredModule(name)
    sys.modules[name] = placeholder
    if parent_name:
        setattr(importlib.import_module(parent_name), child, placeholder)


def import_lean(
    name: str,
    *,
    hide: tuple[str, ...] = (),
    defer_modules: tuple[str, ...] = (),
    stand_ins: dict[str, types.ModuleType] | None = None,
):
    """Import ``name`` with ``hide`` made unimportable during the import (unless already
    loaded), ``defer_modules`` left as placeholders until first used, and ``stand_ins``
    (module name -> module) answering for those modules during the import only."""
    for deferred in defer_modules:
        defer(deferred)
    hidden = [module for module in hide if module not in sys.modules]
    for module in hidden:
        sys.modules[module] = None  # type: ignore[assignment]  # `import module` fails fast
    standing = {module: stand_in for module, stand_in in (stand_ins or {}).items() if module not in sys.modules}
    sys.modules.update(standing)
    try:
        return importlib.import_module(name)
    finally:
        for module in hidden:
            del sys.modules[module]
        for module, stand_in in standing.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]  # a later real import gets the real module


class _StrOrBytes(type):
    def __instancecheck__(cls, instance: object) -> bool:
        return isinstance(instance, (bytes, str))


class basestring(metaclass=_StrOrBytes):  # noqa: N801 - the name ffmpeg-python imports
    """What ``past.builtins.basestring`` is on Python 3: isinstance() holds for str and bytes."""


def past_builtins_stand_in() -> dict[str, types.ModuleType]:
    """Stand-ins for ``past`` and ``past.builtins`` (the `future` package's Python 2 layer),
    holding the one name ffmpeg-python takes from them."""
    package = types.ModuleType("past", "Stands in for the future package's past (lean_import.py).")
    package.__path__ = []
    builtins = types.ModuleType("past.builtins", "Stands in for past.builtins (lean_import.py).")
    builtins.basestring = basestring  # type: ignore[attr-defined]
    package.builtins = builtins  # type: ignore[attr-defined]
    return {"past": package, "past.builtins": builtins}
