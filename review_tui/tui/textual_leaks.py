"""Two places where Textual 8.2 keeps what the app has closed, mended here.

Both were found by opening and closing the help screen in a pty and counting what stayed
alive: the app grew by about 1 MB each time (48 times: +39 MB), and a session of tagging
opens two dialogs per tag and moves the focus all the time.

1. The footer rebuilds its keys whenever the screen's bindings change: each focus change,
   each dialog closed. Each key it builds is bound to the footer's ``compact`` (``data_bind``),
   and Textual files that binding on the footer, in the watcher list of ``compact``; it prunes
   the list only when ``compact`` changes, which in this app it never does. So every rebuild
   left its ~28 removed keys alive (Textual issue #6666). After each rebuild our footer drops
   the watchers of its closed keys, by the rule Textual applies when the value changes.
2. ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its key holds the
   widget's StylesCache, with every line that widget last drew: up to 1,024 of them, kept
   long after their widgets were removed (measured: ~3,500 lines held after 48 dialogs; the
   app +12 MB over 24 dialogs once the footer was mended).
   The two styles it makes depend only on the two colours, so the cache is keyed on them.
"""

from __future__ import annotations

from functools import lru_cache

from textual.color import Color
from textual.dom import DOMNode
from textual.widgets import Footer as TextualFooter


def forget_closed_watchers(observed: DOMNode) -> int:
    """Drop the watchers that nodes now closed left on ``observed``; how many went."""
    # textual.reactive keeps them in this attribute, as (watching node, callback) pairs.
    watchers: dict[str, list[tuple[DOMNode, object]]] = getattr(observed, "__watchers", {})
    dropped = 0
    for entries in watchers.values():
        kept = [(node, callback) for node, callback in entries if not node._closing]
        dropped += len(entries) - len(kept)
        entries[:] = kept
    return dropped


class Footer(TextualFooter):
    """The keys of the screen and its focused widget, as Textual shows them."""

    async def recompose(self) -> None:
        await super().recompose()
        forget_closed_watchers(self)


def mend_styles_cache() -> bool:
    """Key Textual's inner/outer style cache on the colours alone; False when this Textual
    has no such cache (a later version: nothing to mend, nothing changed)."""
    try:
        from textual._styles_cache import StylesCache
    except ImportError:
        return False
    current = getattr(StylesCache, "get_inner_outer", None)
    if getattr(current, "mended", False):
        return True
    make = getattr(current, "__wrapped__", None)  # Textual's own function, under its lru_cache
    if make is None or not hasattr(current, "cache_clear"):
        return False
    # The function never reads its StylesCache (checked in Textual 8.2), so None stands in.
    by_colours = lru_cache(1024)(lambda base_background, background: make(None, base_background, background))

    def get_inner_outer(_styles_cache: object, base_background: Color, background: Color) -> tuple[object, object]:
        return by_colours(base_background, background)

    get_inner_outer.mended = True  # type: ignore[attr-defined]
    current.cache_clear()  # let go of the StylesCaches it holds
    StylesCache.get_inner_outer = get_inner_outer
    return True
