"""How the interpreter runs while a session opens: no cyclic garbage collection, and quick
hand-overs between threads. Both return to Python's defaults once the first screen is painted.

The garbage collector: opening a session creates some 65,000 long-lived objects (modules,
classes, styles, widgets) and almost no garbage. Measured on the build machine, the collector
ran 140 times before the first picture, 40-48 ms of a 330 ms start, and found 1,800
unreachable objects in all. So it is off during the start; afterwards the objects made so far
are frozen (moved where later collections never scan them again: they live as long as the
app, and playback's collections stay short) and it is back on. Reference counting frees
everything that is not in a cycle all along.

The switch interval: during the start the UI's modules are imported in a thread while the
main thread waits, again and again, on ffmpeg (the probe) and SQLite (the review file), each
of which lets go of the GIL. With Python's 5 ms interval every such wait returned only when
the importing thread next offered the GIL (measured under load: probe 103 ms and review file
68 ms at 5 ms, 83 and 51 ms at 0.5 ms). A shorter interval hands it back sooner; the default
returns with the collector.
"""

from __future__ import annotations

import gc
import sys

STARTUP_SWITCH_INTERVAL_S = 0.0005

_held = False
_collector_held = False  # whether hold() turned the collector off (not someone else)
_switch_interval_s = sys.getswitchinterval()


def hold() -> None:
    """Start-up mode until :func:`settle` (the collector only if nothing else turned it off)."""
    global _held, _collector_held, _switch_interval_s
    if _held:
        return
    _held = True
    _switch_interval_s = sys.getswitchinterval()
    sys.setswitchinterval(STARTUP_SWITCH_INTERVAL_S)
    _collector_held = gc.isenabled()
    if _collector_held:
        gc.disable()


def settle() -> None:
    """Back to the defaults as :func:`hold` found them, freezing what exists now; only once."""
    global _held, _collector_held
    if not _held:
        return
    _held = False
    sys.setswitchinterval(_switch_interval_s)
    if _collector_held:
        _collector_held = False
        gc.freeze()
        gc.enable()


def holding() -> bool:
    return _held
