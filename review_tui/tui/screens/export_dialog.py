"""The export dialog (ctrl+e): format, file, which tags, pseudonymised or not.

The export itself is review_tui.report.formats.export_review, the same as the command line.
"Add a name to hide" extends the session's name list (``<session>.names.toml``) that
pseudonymisation reads.
It runs in a thread worker so stills and clips never freeze the app; the progress bar follows
the writer's progress callback and Esc asks the writer to stop (it checks between items).
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select
from textual.worker import Worker, WorkerState

from review_tui.model import ReviewTuiError
from review_tui.report.formats import FORMATS, ExportOptions, default_path, export_review
from review_tui.report.pseudonym import NamesError, add_name, load_names, names_path_for, parse_name_entry
from review_tui.text import one_line
from review_tui.tui.screens.prompt import PromptScreen


class ExportDialog(ModalScreen[list[Path] | None]):
    """Dismisses with the files written, or None when closed without exporting."""

    class Progress(Message):
        """Posted from the export's thread: how far it has got, 0..1."""

        def __init__(self, fraction: float) -> None:
            super().__init__()
            self.fraction = fraction

    BINDINGS = [Binding("escape", "cancel", "Cancel / stop", id="export.cancel")]
    CSS_PATH = "export_dialog.tcss"

    def __init__(self, store, session) -> None:
        super().__init__()
        self.store = store
        self.session = session
        self.cancel_requested = threading.Event()
        self.running = False
        self._default = ""

    def default_for(self, name: str) -> str:
        return str(default_path(FORMATS[name], self.session.title, self.store.path.parent))

    def tag_choices(self) -> list[tuple[str, str]]:
        used = {tag.code_id for tag in self.store.tags()}
        codebook = self.store.codebook
        choices = [("All tags", "all"), ("Clips only (deliberate practice)", "clips")]
        choices += [
            (f"Group: {one_line(group.label)}", f"group:{group.id}")
            for group in codebook.groups
            if any(code.id in used for code in group.codes)
        ]
        choices += [
            (f"Reviewer: {one_line(reviewer.name)} ({reviewer.role})", f"reviewer:{reviewer.name}")
            for reviewer in self.store.reviewers()
            if "," not in reviewer.name  # a comma separates filter terms
        ]
        return choices

    def compose(self) -> ComposeResult:
        self._default = self.default_for("md")
        with Vertical(id="dialog"):
            yield Label("Export the review", id="export-title")
            yield Label("Format", classes="field-label")
            yield Select(
                [(f"{fmt.label} ({fmt.name})", fmt.name) for fmt in FORMATS.values()],
                value="md", allow_blank=False, id="export-format", compact=True,
            )
            yield Label("File (a folder for clips)", classes="field-label")
            yield Input(self._default, id="export-path", compact=True)
            yield Label("Tags", classes="field-label")
            yield Select(self.tag_choices(), value="all", allow_blank=False, id="export-tags", compact=True)
            yield Checkbox("Pseudonymise (replace every name)", id="export-pseudonymise", compact=True)
            yield ProgressBar(total=100, show_eta=False, id="export-progress")
            yield Label("", id="export-error", markup=False)
            yield Label(self.names_summary(), id="export-names", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-go", compact=True)
                yield Button("Add a name to hide…", id="export-add-name", compact=True)
            yield Label("Enter on Export to write · Esc to close, or to stop an export", id="export-hint")

    def names_summary(self) -> str:
        path = names_path_for(self.store.path)
        try:
            count = len(load_names(path))
        except NamesError as error:
            return str(error)
        return f"Name list: {count} name{'s' if count != 1 else ''} ({path.name})"

    @on(Button.Pressed, "#export-add-name")
    def ask_for_name(self) -> None:
        prompt = PromptScreen("Add a name to hide", "Real Name = Pseudonym", parse_name_entry)
        self.app.push_screen(prompt, self.add_name)

    def add_name(self, entry: tuple[str, str] | None) -> None:
        if entry is None:
            return
        try:
            add_name(names_path_for(self.store.path), *entry)
        except (NamesError, ReviewTuiError) as error:
            self.query_one("#export-error", Label).update(one_line(str(error)))
            return
        self.query_one("#export-names", Label).update(self.names_summary())

    def on_mount(self) -> None:
        self.query_one("#export-go", Button).focus()

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        if path.value == self._default:  # not edited: follow the format
            self._default = self.default_for(str(event.value))
            path.value = self._default
        self.query_one("#export-error", Label).update("")

    def options(self) -> ExportOptions:
        name = str(self.query_one("#export-format", Select).value)
        text = self.query_one("#export-path", Input).value.strip()
        tags = str(self.query_one("#export-tags", Select).value)
        pseudonymise = self.query_one("#export-pseudonymise", Checkbox).value
        # Left as proposed, the name is made by the export, which hides names in it too.
        path = None if text == self._default else Path(text).expanduser() if text else None
        return ExportOptions(name, path, None if tags == "all" else tags, pseudonymise)

    @on(Button.Pressed, "#export-go")
    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self.cancel_requested.clear()
        self.add_class("running")
        self.query_one("#export-progress", ProgressBar).update(progress=0)
        self.query_one("#export-error", Label).update("")
        self.query_one("#export-go", Button).disabled = True
        self.run_export(self.options())

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(self, options: ExportOptions) -> list[Path]:
        def progress(done: int, total: int) -> None:
            # post_message is thread-safe and never waits for the UI.
            self.post_message(self.Progress(done / total if total else 1.0))

        return export_review(self.store, self.session, options, progress=progress, cancel=self.cancel_requested)

    @on(Progress)
    def show_progress(self, message: Progress) -> None:
        self.query_one("#export-progress", ProgressBar).update(progress=max(0.0, min(1.0, message.fraction)) * 100)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "export" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.running = False
        self.remove_class("running")
        self.query_one("#export-go", Button).disabled = False
        error = self.query_one("#export-error", Label)
        if event.state == WorkerState.ERROR:
            problem = event.worker.error
            message = str(problem) if isinstance(problem, ReviewTuiError) else f"export failed: {problem!r}"
            error.update(one_line(message))
        else:
            self.dismiss(list(event.worker.result or []))

    def action_cancel(self) -> None:
        if self.running:
            self.cancel_requested.set()
            self.query_one("#export-error", Label).update("Stopping…")
            return
        self.dismiss(None)
