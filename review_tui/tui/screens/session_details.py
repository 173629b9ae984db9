"""The session details dialog: one field a line, filled with what the review file holds.

Enter goes to the next field and saves on the last; ctrl+s saves from any field; Esc leaves
everything as it was. A field that cannot be kept (a date that is not YYYY-MM-DD, a session
number that is not a whole number) is named under the fields and the dialog stays open, so
nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from review_tui.model import ReviewTuiError
from review_tui.review_details import LABELS, MAX_LENGTH, SessionDetails
from review_tui.tui.bindings import DETAILS_BINDINGS
from review_tui.tui.screens.dialog import Dialog

PLACEHOLDERS = {
    "therapist": "name or pseudonym",
    "client": "the client's pseudonym",
    "session_date": "YYYY-MM-DD",
    "session_number": "1, 2, 3…",
    "supervisor": "name",
    "focus": "the moments I want help with",
    "goal": "what I want to learn from this review",
}


class SessionDetailsDialog(Dialog[dict[str, str] | None]):
    """Dismisses with every field's text by name ("" for an empty one), or None on Esc."""

    BINDINGS = DETAILS_BINDINGS

    DEFAULT_CSS = """
    SessionDetailsDialog {
        & > #dialog { max-width: 110; }
        & .dialog-field { margin-top: 0; }
    }
    """

    def __init__(self, details: SessionDetails, validate: Callable[[str, str], object]) -> None:
        super().__init__()
        self.details = details
        self.validate = validate

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Session details", classes="dialog-title")
            for name, label in LABELS.items():
                value = getattr(self.details, name)
                yield Label(label, classes="dialog-field")
                yield Input(
                    "" if value is None else str(value),
                    placeholder=PLACEHOLDERS[name],
                    max_length=MAX_LENGTH,
                    id=f"detail-{name}",
                )
            yield Static(classes="dialog-error", id="details-error", markup=False)
            yield Label("Enter: next field, saves on the last · ctrl+s saves · Esc leaves them as they were", classes="dialog-hint")

    def on_mount(self) -> None:
        self.move_focus(self.query_one(f"#detail-{next(iter(LABELS))}", Input))

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        fields = list(self.query(Input))
        position = fields.index(event.input)
        if position + 1 < len(fields):
            self.move_focus(fields[position + 1])
        else:
            self.action_save()

    def action_save(self) -> None:
        given = {name: self.query_one(f"#detail-{name}", Input).value for name in LABELS}
        for name, value in given.items():
            try:
                self.validate(name, value)
            except ReviewTuiError as error:
                self.query_one("#details-error", Static).update(str(error).split(": ", 1)[-1])
                self.move_focus(self.query_one(f"#detail-{name}", Input))
                return
        self.close(given)
