"""The frame every tagging dialog shares: a centred panel over a dimmed screen, Esc cancels.

Inside a dialog the group keys (w c r p d a f u t s) and digits are free again: the main
screen's bindings do not reach through a modal screen.
"""

from __future__ import annotations

from time import monotonic
from typing import TypeVar

from textual.geometry import Region
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget

from review_tui.tui.bindings import DIALOG_BINDINGS
from review_tui.tui.dimmed_screen import DimmedScreen, dimmed

Result = TypeVar("Result")

# The screen below a dialog is drawn again at most this often. Each time costs a whole screen
# (Textual composes both screens in full and sends all of it to the terminal): at a video's
# 25-30 frames/s that was ~50 % of a core and ten times the bytes over SSH. Eight times a second
# keeps the dimmed picture moving while the user picks a code, for 6 % of a core more than
# playing alone (ten times: 15 %; bench_render, 720p30 camera file at 160x45); the sound and
# the clock's time go on as before, and the picture is whole again when the dialog closes.
BELOW_REPAINT_S = 0.125


class Dialog(ModalScreen[Result]):
    """A modal that dismisses with None on Escape; subclasses compose a ``#dialog`` panel."""

    BINDINGS = DIALOG_BINDINGS

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 60%;
        /* Dialogs follow the terminal: nearly its whole width on a small one (80x24 leaves
           75 columns), up to a width that suits the dialog on a large one. */
        & > #dialog {
            width: 94%;
            max-width: 96;
            height: auto;
            max-height: 100%;
            padding: 1 2;
            border: round $accent;
            background: $surface;
        }
        & .dialog-title { text-style: bold; width: 1fr; margin-bottom: 1; }
        /* Wrapped, not cut, when the panel is narrow. */
        & .dialog-subtitle { color: $text-muted; width: 100%; }
        & .dialog-hint { color: $text-muted; margin-top: 1; width: 100%; }
        & .dialog-error { color: $error; height: auto; width: 100%; }
        & .dialog-field { margin-top: 1; color: $text-secondary; }
    }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        self._below_regions: list[Region] = []
        self._below_timer: Timer | None = None
        self._below_drawn = 0.0
        self._dimmed: DimmedScreen | None = None
        super().__init__(classes=classes)
        self.closing = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False):
        # Regions alone are what the screen below sends up when it changed (a dialog's own
        # widgets refresh themselves, not the screen): drawn now, or held until the interval.
        if not regions or layout or recompose or not repaint or not self.is_mounted:
            return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        self._below_regions.extend(regions)
        if self._below_timer is None:
            wait = self._below_drawn + BELOW_REPAINT_S - monotonic()
            if wait <= 0:
                self._draw_below()
            else:
                self._below_timer = self.set_timer(wait, self._draw_below)
        return self

    def _draw_below(self) -> None:
        self._below_timer = None
        self._below_drawn = monotonic()
        regions, self._below_regions = self._below_regions, []
        if regions:
            super().refresh(*regions)

    def render(self):
        # The screen below, dimmed: Textual's own way re-renders it in full on each of its
        # updates, which over a playing picture tripled the app's CPU (dimmed_screen.py).
        rendered = super().render()
        self._dimmed = dimmed(rendered, self._dimmed, self.app.console)
        return rendered if self._dimmed is None else self._dimmed

    def close(self, result: Result | None) -> None:
        """Dismiss once: a digit and the list's Enter may both ask to close the same dialog,
        and a second dismiss would pop the screen under it."""
        if self.closing:
            return
        self.closing = True
        self.dismiss(result)

    def move_focus(self, widget: Widget) -> None:
        """Focus ``widget`` now, before the next key is routed (``Widget.focus`` only asks for
        it after the messages already queued)."""
        self.set_focus(widget)

    def action_cancel(self) -> None:
        self.close(None)
