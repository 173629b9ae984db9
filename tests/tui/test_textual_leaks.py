"""Closing a dialog or moving the focus leaves nothing of the closed widgets alive.

Each found in a pty: the app grew by ~1 MB per help screen opened and closed, through the
footer's key bindings and Textual's inner/outer style cache (review_tui/tui/textual_leaks.py).
"""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from review_tui.tui.screens.help import HelpScreen
from review_tui.tui.textual_leaks import Footer, forget_closed_watchers, mend_styles_cache
from tests.tui.conftest import wait_for

ROUNDS = 5


def alive(kind: type) -> list:
    gc.collect()
    return [thing for thing in gc.get_objects() if isinstance(thing, kind)]


async def open_and_close_help(pilot, app, rounds: int) -> None:
    for _ in range(rounds):
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help screen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), what="the help screen to close")
        await pilot.pause(0.05)  # the footer rebuilds after the screen's bindings change


async def test_no_footer_key_outlives_the_footer_rebuilds(clip, clock_app):
    app = clock_app(clip)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.query(FooterKey)), what="the footer's keys")
        await open_and_close_help(pilot, app, ROUNDS)
        for _ in range(ROUNDS):  # the tag list shown and hidden: the focus moves, the keys change
            await pilot.press("T")
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        shown = set(app.query(FooterKey))
        kept = alive(FooterKey)
        # Before the mend: every rebuild left its ~10-30 keys alive on the footer's watchers.
        assert [key for key in kept if key not in shown] == []
        footer = app.query_one(Footer)
        assert all(node in shown for node, _ in getattr(footer, "__watchers", {}).get("compact", []))


async def test_every_styles_cache_alive_belongs_to_a_widget_alive(clip, clock_app):
    app = clock_app(clip)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_and_close_help(pilot, app, ROUNDS)
        await pilot.pause(0.2)
        owned = {id(widget._styles_cache) for widget in alive(Widget)}
        orphans = [cache for cache in alive(StylesCache) if id(cache) not in owned]
        # Before the mend: the help screens' ~30 widgets a time stayed in the lru_cache's keys.
        assert orphans == []


def test_the_mended_cache_gives_textuals_own_styles_keyed_on_the_colours_alone():
    assert mend_styles_cache() and mend_styles_cache()  # once, then it says it is done
    base, background = Color(10, 20, 30), Color(200, 100, 50, 0.5)
    first = StylesCache().get_inner_outer(base, background)
    again = StylesCache().get_inner_outer(base, background)
    assert first is again  # one entry for two caches: no StylesCache in the key
    inner, outer = first
    assert inner.background == base + background and outer.background == base


class Closing:
    def __init__(self, closing: bool) -> None:
        self._closing = closing


def test_forget_closed_watchers_drops_only_the_closed_nodes_entries():
    observed = Closing(False)
    live, gone = Closing(False), Closing(True)
    setattr(observed, "__watchers", {"compact": [(live, print), (gone, print), (gone, repr)], "other": [(gone, len)]})
    assert forget_closed_watchers(observed) == 3
    assert getattr(observed, "__watchers") == {"compact": [(live, print)], "other": []}
    assert forget_closed_watchers(Closing(False)) == 0  # nothing watched: nothing to do
