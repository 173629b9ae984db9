"""A one-line question in a modal: the answer is checked before the dialog closes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from review_tui.tui.bindings import PROMPT_BINDINGS

Answer = TypeVar("Answer")


class PromptScreen(ModalScreen[Answer | None], Generic[Answer]):
    """Asks for a line of text; ``check`` turns it into the answer or raises ValueError,
    whose message is shown under the input while the dialog stays open."""

    BINDINGS = PROMPT_BINDINGS

    def __init__(self, title: str, placeholder: str, check: Callable[[str], Answer], *, value: str = "") -> None:
        super().__init__(classes="prompt")
        self.title_text = title
        self.placeholder = placeholder
        self.check = check
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="prompt-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label("", id="prompt-error")
            yield Label("Enter to confirm · Esc to cancel", id="prompt-hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            answer = self.check(event.value)
        except ValueError as error:
            self.query_one("#prompt-error", Label).update(str(error))
            return
        self.dismiss(answer)

    @on(Input.Changed)
    def forget_error(self) -> None:
        self.query_one("#prompt-error", Label).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)
