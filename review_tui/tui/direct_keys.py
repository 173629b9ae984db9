"""A key on the main screen runs its binding at once, not after a trip up the focus chain.

Textual hands a key to the focused widget, which passes it to its parent, and so on up to the
app, one message queue at a time; only there are the (non-priority) bindings looked up, from
the focused widget upwards. With the transcript focused that is five queues: measured in a
160x45 pty, 3-7 ms of a seek key's 15-25 ms to the first picture, spent waiting.

On the main screen the panes that can take the focus (transcript, tag list, suggestions)
handle keys only through bindings, never in a key handler, so the trip decides nothing: the
binding it would end at is the one ``Screen.active_bindings`` names for the key (the focused
widget's first, then its ancestors', with the keymap and ``check_action`` applied). That
binding is run here directly. Anywhere else (a dialog, a maximized pane, a priority binding,
a widget of Textual's own in focus) the key takes Textual's ordinary way.

After the action, the key feed waits for the screen update it asked for before it settles
(tui/keyfeed.py): the settling's first round wakes every widget's message queue, and the
screen's update, which Textual starts only once the screen's own queue is idle, would
otherwise wait behind forty of them (measured: ~7 ms).
"""

from __future__ import annotations

import asyncio

from textual import events

from review_tui.tui.widgets.suggestions import SuggestionsView
from review_tui.tui.widgets.tag_list import TagList
from review_tui.tui.widgets.transcript import TranscriptView

# Focusable panes of the main screen with no key handlers of their own (key_* or on_key).
BINDINGS_ONLY = (TranscriptView, TagList, SuggestionsView)
REFRESH_WAIT_S = 0.5


async def run_binding(app, key: events.Key) -> bool:
    """Run the binding ``key`` would reach and wait for the screen update it brings; False
    (and nothing run) when the key must go the ordinary way."""
    screen = app.screen
    if len(app.screen_stack) != 1 or screen.maximized is not None or not app.app_focus:
        return False
    focused = screen.focused
    if focused is not None and not isinstance(focused, BINDINGS_ONLY):
        return False
    active = screen.active_bindings.get(key.key)
    if active is None or not active.enabled or active.binding.priority:
        return False  # a priority binding is run first by Textual anyway, with no trip
    try:
        handled = await app.run_action(active.binding.action, active.node)
    except Exception as error:  # noqa: BLE001 - as Textual ends on an error in a key's action
        app._handle_exception(error)  # the app's own (app.py): the crash log, not the locals
        return True
    if not handled:
        return False
    try:
        await asyncio.wait_for(screen.wait_for_refresh(), REFRESH_WAIT_S)
    except asyncio.TimeoutError:
        pass  # the screen went away meanwhile: nothing of it left to wait for
    return True
