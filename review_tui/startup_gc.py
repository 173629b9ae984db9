"""Python's cyclic garbage collector, held off while a session opens.

Opening a session creates some 65,000 long-lived objects (modules, classes, styles, widgets)
and almost no garbage: measured on the build machine, the collector ran 140 times before the
first picture, 40-48 ms of a 330 ms start, and found 1,800 unreachable objects in all. So the
session's start runs with the collector off; once the first screen is painted the objects
made so far are frozen (moved where later collections never scan them again: they live as
long as the app, and playback's collections stay short) and the collector is back on.
Reference counting frees everything that is not in a cycle all along.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Turn the collector off until :func:`settle` (if something else has not already)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def settle() -> None:
    """Freeze what exists now and turn the collector back on; only undoes our own hold, and
    only once."""
    global _held
    if not _held:
        return
    _held = False
    gc.freeze()
    gc.enable()


def holding() -> bool:
    return _held
