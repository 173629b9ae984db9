"""Import a library without the modules it imports only for features we never use.

miniaudio imports numpy at its top (to accept numpy arrays) and urllib.request (to stream
internet radio). We pass it neither arrays nor URLs, and a clinical recording never goes near
the network, yet the two cost every start: numpy 150-200 ms when installed, urllib.request
with http.client and the email package ~7 ms and ~1 MB after Textual (measured on the build
machine). Hidden modules make their import fail fast, as if not installed, which the library
is written to accept; deferred modules are a placeholder that imports the real module the
first time anything reads from it, so a later real use still works.
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


def import_lean(name: str, *, hide: tuple[str, ...] = (), defer_modules: tuple[str, ...] = ()):
    """Import ``name`` with ``hide`` made unimportable during the import (unless already
    loaded) and ``defer_modules`` left as placeholders until first used."""
    for deferred in defer_modules:
        defer(deferred)
    hidden = [module for module in hide if module not in sys.modules]
    for module in hidden:
        sys.modules[module] = None  # type: ignore[assignment]  # `import module` fails fast
    try:
        return importlib.import_module(name)
    finally:
        for module in hidden:
            del sys.modules[module]
