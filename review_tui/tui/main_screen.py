"""The main screen, carrying the codebook's group keys as its own bindings.

A codebook belongs to a review, not to the app class, so the screen class is made for the
codebook: its BINDINGS are Textual's ordinary class bindings (keymap, footer and help see
them like any other), with no change to Textual's binding maps at run time.
"""

from __future__ import annotations

from textual.screen import Screen

from review_tui.model import Codebook
from review_tui.tui.bindings import group_bindings


def main_screen(codebook: Codebook) -> Screen:
    screen_class = type("ReviewScreen", (Screen,), {"BINDINGS": group_bindings(codebook), "__module__": __name__})
    return screen_class(id="_default")
