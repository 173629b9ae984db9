"""The frame every tagging dialog shares: a centred panel over a dimmed screen, Esc cancels.

Inside a dialog the group keys (w c r p d a f u t s) and digits are free again: the main
screen's bindings do not reach through a modal screen.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widget import Widget

from review_tui.tui.bindings import DIALOG_BINDINGS

Result = TypeVar("Result")


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
        super().__init__(classes=classes)
        self.closing = False

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
