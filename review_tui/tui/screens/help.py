"""Every key, from the binding table, with the user's keymap applied."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from review_tui.tui.bindings import HELP_BINDINGS, SECTIONS, active_keys


class HelpScreen(ModalScreen[None]):
    BINDINGS = HELP_BINDINGS

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__(classes="help")
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Label("Keys", id="help-title")
            for title, bindings in SECTIONS:
                table = Table.grid(padding=(0, 2))
                table.add_column(style="bold", min_width=14)
                table.add_column()
                for binding in bindings:
                    keys = " ".join(
                        self.app.get_key_display(binding.with_key(key)) for key in active_keys(binding, self.keymap)
                    )
                    table.add_row(keys, binding.description)
                yield Label(title, classes="help-section")
                yield Static(table)
            yield Label("Ctrl+P opens every command · Esc closes this", id="help-hint")

    def action_close(self) -> None:
        self.dismiss(None)
