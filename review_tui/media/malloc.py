"""How the C allocator is set up for a process full of short-lived decoder threads."""

from __future__ import annotations

import ctypes
import functools

# glibc's mallopt parameter for the most malloc arenas (malloc.h).
_M_ARENA_MAX = -8
MALLOC_ARENAS = 2


@functools.cache
def fewer_malloc_arenas() -> bool:
    """glibc gives threads malloc arenas of their own, up to eight per core, and keeps each
    one's pages; every decoder has a reader thread, and frames kept in the ring pin pages in
    all of them. Measured (benchmarks/bench_soak.py, 1,000s of decoders): the process grew
    ~2 MB per hour of session with the default and stayed flat with two arenas. Elsewhere
    than glibc there is nothing to set."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_ARENA_MAX, MALLOC_ARENAS))


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def give_back_free_memory() -> bool:
    """Hand the pages malloc holds free back to the system (glibc's malloc_trim, which also
    releases free pages inside the heap, not only at its top). Playback churns through
    pictures of ~15-45 KB each (decoded, kept in the ring a while, dropped), and the freed
    ones leave whole free pages between kept ones that malloc keeps resident; called when a
    paused player lets its decoder go, it costs well under a millisecond. Measured
    (bench_soak.py): the settled process varied by up to 6 MB from one sample to the next
    without it. Elsewhere than glibc there is nothing to do."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
