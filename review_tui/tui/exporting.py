"""The report from inside the app: the same Markdown export as `review-tui report`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from review_tui.model import ReviewTuiError
from review_tui.report.formats import ExportOptions, export_review
from review_tui.tui.screens.prompt import PromptScreen

if TYPE_CHECKING:
    from review_tui.tui.app import ReviewApp


class ExportMixin:
    def default_report_path(self: ReviewApp) -> Path:
        """``<session>.review.md`` beside the review file."""
        return self.store.path.with_name(f"{self.session.anchor.stem}.review.md")

    def action_export(self: ReviewApp, path: str | None = None) -> None:
        """ctrl+e: the export dialog; with ``path`` (the palette's "Export as"), the Markdown."""
        if path is None:
            from review_tui.tui.screens.export_dialog import ExportDialog

            self.push_screen(ExportDialog(self.store, self.session), self._exported)
            return
        target = Path(path).expanduser()
        try:
            [written] = export_review(self.store, self.session, ExportOptions("md", target))
        except ReviewTuiError as error:
            self.notify(str(error), title="Report not written", severity="error", markup=False)
            return
        self.notify(str(written), title="Report written", timeout=8, markup=False)

    def action_export_as(self: ReviewApp) -> None:
        def check(text: str) -> str:
            if not text.strip():
                raise ValueError("type a file name")
            return text.strip()

        prompt = PromptScreen("Export the report to", "a .md file", check, value=str(self.default_report_path()))
        self.push_screen(prompt, self._export_to)

    def _exported(self: ReviewApp, written: list[Path] | None) -> None:
        if written:
            self.notify("\n".join(map(str, written)), title="Export written", timeout=8, markup=False)

    def _export_to(self: ReviewApp, path: str | None) -> None:
        if path is not None:
            self.action_export(path)
