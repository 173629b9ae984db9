"""Who is reviewing: a name and a role, asked once, because every tag carries its author.

The name field keeps the focus; up and down pick the role from there, so typing a name and
pressing Enter is the whole dialog for the usual case.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from review_tui.model import ROLES
from review_tui.tui import palette
from review_tui.tui.bindings import REVIEWER_BINDINGS
from review_tui.tui.screens.dialog import Dialog

ROLE_MEANINGS = {
    "supervisor": "reviews a supervisee's recording",
    "therapist": "reviews their own session",
    "rater": "codes sessions for research or training",
}


class ReviewerPrompt(Dialog[tuple[str, str] | None]):
    BINDINGS = REVIEWER_BINDINGS

    DEFAULT_CSS = """
    ReviewerPrompt {
        & #dialog { max-width: 64; }
        & #roles { height: auto; border: none; padding: 0; }
    }
    """

    def __init__(self, name: str = "", role: str = ROLES[0]) -> None:
        super().__init__()
        self.initial_name = name
        self.initial_role = role if role in ROLES else ROLES[0]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Who is reviewing?", classes="dialog-title")
            yield Label("Every tag carries its author's name and role.", classes="dialog-subtitle")
            yield Label("Name", classes="dialog-field")
            yield Input(self.initial_name, placeholder="as it should appear in the report", id="name")
            yield Label("", id="name-error", classes="dialog-error")
            yield Label("Role", classes="dialog-field")
            yield OptionList(*(Option(self._role_row(role), id=role) for role in ROLES), id="roles")
            yield Label("↑↓ role · Enter confirms · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#roles", OptionList).highlighted = ROLES.index(self.initial_role)
        self.move_focus(self.query_one("#name", Input))

    @staticmethod
    def _role_row(role: str) -> Content:
        return Content.assemble((f"{role.capitalize():<12}", "bold"), (ROLE_MEANINGS.get(role, ""), palette.MUTED))

    @property
    def role(self) -> str:
        highlighted = self.query_one("#roles", OptionList).highlighted
        return ROLES[highlighted] if highlighted is not None else self.initial_role

    def action_role(self, step: int) -> None:
        roles = self.query_one("#roles", OptionList)
        roles.highlighted = (ROLES.index(self.role) + step) % len(ROLES)

    @on(Input.Submitted, "#name")
    def _name_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    @on(OptionList.OptionSelected, "#roles")
    def _role_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submit()

    @on(Input.Changed, "#name")
    def _forget_error(self) -> None:
        self.query_one("#name-error", Label).update("")

    def _submit(self) -> None:
        name = " ".join(self.query_one("#name", Input).value.split())
        if not name:
            self.query_one("#name-error", Label).update("A name is needed: tags carry their author.")
            self.move_focus(self.query_one("#name", Input))
            return
        self.close((name, self.role))
