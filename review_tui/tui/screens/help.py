"""Every key, from the binding table and the review's codebook, with the user's keymap applied."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from review_tui.model import Codebook
from review_tui.tui.bindings import (
    HELP_BINDINGS,
    SECTIONS,
    TAGGING_BINDINGS,
    active_keys,
    group_bindings,
)

CODE_GROUPS_TITLE = "Code groups (a group key, then a digit picks the code)"


class HelpScreen(ModalScreen[None]):
    BINDINGS = HELP_BINDINGS

    def __init__(self, keymap: Mapping[str, str], codebook: Codebook | None = None) -> None:
        """Without ``codebook`` the app's own is shown: the group keys belong to the review."""
        super().__init__(classes="help")
        self.keymap = keymap
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        codebook = self.codebook or getattr(self.app, "codebook", None)
        with VerticalScroll(id="dialog"):
            yield Label("Keys", id="help-title")
            for title, bindings in SECTIONS:
                yield Label(title, classes="help-section")
                yield Static(self._key_table((binding, binding.description) for binding in bindings))
                if codebook is not None and bindings is TAGGING_BINDINGS:
                    yield Label(CODE_GROUPS_TITLE, classes="help-section")
                    rows = ((binding, f"{binding.description} → then a digit") for binding in group_bindings(codebook))
                    yield Static(self._key_table(rows))
            yield Label("Ctrl+P opens every command · Esc closes this", id="help-hint")

    def _key_table(self, rows: Iterable[tuple[Binding, str]]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", min_width=14)
        table.add_column()
        for binding, text in rows:
            keys = " ".join(
                self.app.get_key_display(binding.with_key(key)) for key in active_keys(binding, self.keymap)
            )
            table.add_row(keys, Text(text))  # a codebook label is text, never Rich markup
        return table

    def action_close(self) -> None:
        self.dismiss(None)
