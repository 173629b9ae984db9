"""The report from inside the app: the same Markdown export as `review-tui report`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from review_tui.model import ReviewTuiError
from review_tui.report import export_markdown
from review_tui.tui.screens.prompt import PromptScreen

if TYPE_CHECKING:
    from review_tui.tui.app import ReviewApp


class ExportMixin:
    def default_report_path(self: ReviewApp) -> Path:
        """``<session>.review.md`` beside the review file."""
        return self.store.path.with_name(f"{self.session.anchor.stem}.review.md")

    def action_export(self: ReviewApp, path: str | None = None) -> None:
        """Write the Markdown report beside the review file (or to ``path``)."""
        target = Path(path).expanduser() if path else self.default_report_path()
        try:
            written = export_markdown(self.store, self.session, target)
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

    def _export_to(self: ReviewApp, path: str | None) -> None:
        if path is not None:
            self.action_export(path)
