"""A yes-or-no question on the dialog base: Enter says yes, Esc says no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from review_tui.tui.bindings import CONFIRM_BINDINGS
from review_tui.tui.screens.dialog import Dialog


class ConfirmScreen(Dialog[bool]):
    BINDINGS: list[Binding] = CONFIRM_BINDINGS

    def __init__(self, title: str, question: str, *, yes: str = "Enter: yes", no: str = "Esc: no") -> None:
        super().__init__()
        self.title_text, self.question, self.yes, self.no = title, question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Label(self.question, markup=False)
            yield Label(f"{self.yes} · {self.no}", classes="dialog-hint", markup=False)

    def action_confirm(self) -> None:
        self.close(True)

    def action_cancel(self) -> None:
        self.close(False)
