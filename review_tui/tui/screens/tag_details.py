"""Rating and note for a tag just made, or every field of a tag being edited.

After tagging the reviewer is mid-session and wants to be back at the recording: Enter on an
empty rating skips it, Enter on the note finishes, so Enter Enter costs nothing. Editing
(``TagDetails.for_tag``) adds the code and the range, typed as times; a time that does not
parse, or an end before the start, is shown under the fields and the dialog stays open.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Select, Static

from review_tui.model import Codebook, Tag, format_ms, parse_time
from review_tui.tui import palette
from review_tui.tui.screens.dialog import Dialog


@dataclass(frozen=True, slots=True)
class TagEdit:
    """What the dialog returns: the tag's fields as the reviewer left them."""

    code_id: str
    start_ms: int
    end_ms: int | None  # None for a point tag
    rating: int | None  # 1..5
    note: str


class TagDetails(Dialog[TagEdit | None]):
    DEFAULT_CSS = """
    TagDetails {
        & .field-row { height: 1; margin-top: 1; }
        & .field-name { width: 8; color: $text-secondary; }
        & #rating { width: 5; }
        & #stars { width: 1fr; padding-left: 2; }
        & Input, & Select { width: 1fr; }
        & Input { background: $boost; }
        & Input:focus { background: $primary 20%; }
        & #range-error { margin-left: 8; }
    }
    """

    def __init__(
        self,
        codebook: Codebook,
        code_id: str,
        start_ms: int,
        end_ms: int | None = None,
        *,
        rating: int | None = None,
        note: str = "",
        edit: bool = False,
    ) -> None:
        super().__init__()
        self.codebook = codebook
        self.code_id = code_id
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.rating = rating
        self.note = note
        self.edit = edit

    @classmethod
    def for_tag(cls, tag: Tag, codebook: Codebook) -> TagDetails:
        """The dialog for editing ``tag``: code, range, rating and note."""
        return cls(
            codebook, tag.code_id, tag.start_ms, tag.end_ms, rating=tag.rating, note=tag.note, edit=True
        )

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self._title(), id="details-title", classes="dialog-title")
            if self.edit:
                with Horizontal(classes="field-row"):
                    yield Label("Code", classes="field-name")
                    yield Select(self._code_choices(), value=self.code_id, allow_blank=False, compact=True, id="code")
                with Horizontal(classes="field-row"):
                    yield Label("Start", classes="field-name")
                    yield Input(format_ms(self.start_ms), placeholder="e.g. 12:34.5", id="start", compact=True)
                with Horizontal(classes="field-row"):
                    yield Label("End", classes="field-name")
                    end = format_ms(self.end_ms) if self.end_ms is not None else ""
                    yield Input(end, placeholder="empty for a point in time", id="end", compact=True)
                yield Label("", id="range-error", classes="dialog-error")
            with Horizontal(classes="field-row"):
                yield Label("Rating", id="rating-name", classes="field-name")
                rating = str(self.rating) if self.rating is not None else ""
                yield Input(rating, placeholder="1-5", restrict=r"[1-5]?", max_length=1, id="rating", compact=True)
                yield Static("", id="stars")
            with Horizontal(classes="field-row"):
                yield Label("Note", classes="field-name")
                yield Input(self.note, placeholder="what happened, the alternative line…", id="note", compact=True)
            yield Label(self._hint(), classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_rating()
        self.query_one("#code" if self.edit else "#rating").focus()

    def _title(self) -> Content:
        code = self.codebook.code(self.code_id)
        what = "Edit tag" if self.edit else "New tag"
        span = palette.time_span(self.start_ms, self.end_ms)
        return Content.assemble(
            (f"{what} at {span}  ", "bold"),
            palette.code_badge(code, self.codebook),
            " ",
            (code.label if code else self.code_id, f"bold {palette.code_colour(self.code_id, self.codebook)}"),
        )

    def _hint(self) -> str:
        if self.edit:
            return "Enter goes to the next field and saves on the note · Esc cancels"
        return "Enter skips a field · Enter on the note saves · Esc cancels"

    def _code_choices(self) -> list[tuple[Content, str]]:
        choices = [
            (Content(f"{group.key}{code.digit}  {code.label}  ({group.label})"), code.id)
            for group in self.codebook.groups
            for code in group.codes
        ]
        if self.codebook.code(self.code_id) is None:  # a tag from another codebook stays editable
            choices.insert(0, (Content(f"{self.code_id}  (not in this codebook)"), self.code_id))
        return choices

    # --- live feedback ---------------------------------------------------------------------

    def _show_rating(self) -> None:
        code = self.codebook.code(self._chosen_code())
        group = self.codebook.group(code.group) if code else None
        meaning = group.rating if group and group.rating else "rating"
        typed = self.query_one("#rating", Input).value
        stars = (palette.stars(int(typed)), "$warning") if typed else ("optional, 1-5", palette.MUTED)
        self.query_one("#stars", Static).update(Content.assemble(stars, (f"  {meaning}", palette.MUTED)))

    @on(Input.Changed, "#rating")
    def _rating_typed(self) -> None:
        self._show_rating()

    @on(Select.Changed, "#code")
    def _code_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._show_rating()  # another group may rate something else

    @on(Input.Changed, "#start, #end")
    def _forget_error(self) -> None:
        self.query_one("#range-error", Label).update("")

    # --- Enter from field to field -----------------------------------------------------------

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        field = event.input.id
        if field in ("start", "end") and self._range_problem(only=field) is not None:
            return
        if field == "note":
            self._finish()
            return
        following = {"start": "#end", "end": "#rating", "rating": "#note"}
        self.query_one(following[field or "rating"]).focus()

    def _finish(self) -> None:
        if self.edit and self._range_problem() is not None:
            return
        start_ms, end_ms = self._range() if self.edit else (self.start_ms, self.end_ms)
        typed = self.query_one("#rating", Input).value
        self.dismiss(
            TagEdit(
                code_id=self._chosen_code(),
                start_ms=start_ms,
                end_ms=end_ms,
                rating=int(typed) if typed else None,
                note=self.query_one("#note", Input).value.strip(),
            )
        )

    def _chosen_code(self) -> str:
        if not self.edit:
            return self.code_id
        value = self.query_one("#code", Select).value
        return value if isinstance(value, str) else self.code_id

    # --- the range ---------------------------------------------------------------------------

    def _range(self) -> tuple[int, int | None]:
        start_ms = parse_time(self.query_one("#start", Input).value)
        end_text = self.query_one("#end", Input).value.strip()
        end_ms = parse_time(end_text) if end_text else None
        return start_ms, end_ms if end_ms != start_ms else None

    def _range_problem(self, only: str | None = None) -> str | None:
        """What is wrong with the typed range, shown under it with its field focused; or None.
        ``only`` checks one field (its own Enter) and, for the end, the order."""
        problem: tuple[str, str] | None = None
        for name in (only,) if only else ("start", "end"):
            text = self.query_one(f"#{name}", Input).value.strip()
            if name == "end" and not text:
                continue  # a point tag
            try:
                parse_time(text)
            except ValueError as error:
                problem = (name, f"{name.capitalize()}: {error}")
                break
        if problem is None and only != "start":
            try:
                start_ms, end_ms = self._range()
            except ValueError:  # the start is wrong: its own Enter says so
                start_ms, end_ms = 0, None
            if end_ms is not None and end_ms < start_ms:
                problem = ("end", f"End: {format_ms(end_ms)} is before the start {format_ms(start_ms)}")
        if problem is None:
            return None
        field, message = problem
        self.query_one("#range-error", Label).update(message)
        wrong = self.query_one(f"#{field}", Input)
        wrong.focus()
        wrong.action_select_all()  # so the correction replaces it rather than adding to it
        return message
