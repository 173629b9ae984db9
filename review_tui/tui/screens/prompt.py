"""A one-line question in a modal: the answer is checked before the dialog closes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from review_tui.tui.bindings import PROMPT_BINDINGS
from review_tui.tui.screens.dialog import Dialog

Answer = TypeVar("Answer")
HINT = "Enter to confirm · Esc to cancel"


class PromptScreen(Dialog[Answer | None], Generic[Answer]):
    """Asks for a line of text; ``check`` turns it into the answer or raises ValueError,
    whose message is shown under the input while the dialog stays open. With ``toggle``
    (a search's whole-words switch), ctrl+t calls it and shows the words it returns."""

    BINDINGS = PROMPT_BINDINGS

    def __init__(
        self,
        title: str,
        placeholder: str,
        check: Callable[[str], Answer],
        *,
        value: str = "",
        toggle: Callable[[bool], str] | None = None,
    ) -> None:
        super().__init__(classes="prompt")
        self.title_text = title
        self.placeholder = placeholder
        self.check = check
        self.value = value
        self.toggle = toggle

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="prompt-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label("", id="prompt-error")
            yield Label(self._hint(self.toggle(False) if self.toggle else ""), id="prompt-hint")

    def on_mount(self) -> None:
        self.move_focus(self.query_one("#prompt-input", Input))

    @staticmethod
    def _hint(option: str) -> str:
        return f"{option} (ctrl+t switches) · {HINT}" if option else HINT

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_words":
            return self.toggle is not None
        return True

    def action_toggle_words(self) -> None:
        if self.toggle is not None:
            self.query_one("#prompt-hint", Label).update(self._hint(self.toggle(True)))
            self.query_one("#prompt-error", Label).update("")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            answer = self.check(event.value)
        except ValueError as error:
            self.query_one("#prompt-error", Label).update(str(error))
            return
        self.close(answer)

    @on(Input.Changed)
    def forget_error(self) -> None:
        self.query_one("#prompt-error", Label).update("")
