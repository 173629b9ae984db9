"""The frame every tagging dialog shares: a centred panel over a dimmed screen, Esc cancels.

Inside a dialog the group keys (w c r p d a f u t s) and digits are free again: the main
screen's bindings do not reach through a modal screen.
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

Result = TypeVar("Result")

DIALOG_BINDINGS: list[Binding] = [
    Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
]


class Dialog(ModalScreen[Result]):
    """A modal that dismisses with None on Escape; subclasses compose a ``#dialog`` panel."""

    BINDINGS = DIALOG_BINDINGS

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 60%;
        & > #dialog {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            padding: 1 2;
            border: round $accent;
            background: $surface;
        }
        & .dialog-title { text-style: bold; width: 1fr; margin-bottom: 1; }
        & .dialog-subtitle { color: $text-muted; }
        & .dialog-hint { color: $text-muted; margin-top: 1; }
        & .dialog-error { color: $error; height: auto; }
        & .dialog-field { margin-top: 1; color: $text-secondary; }
    }
    """

    def action_cancel(self) -> None:
        self.dismiss(None)
