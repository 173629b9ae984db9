"""Exports from inside the app: ctrl+e opens the export dialog (every format); the palette's
"Export the report as…" writes the Markdown report to a file the reviewer names."""

from __future__ import annotations

from pathlib import Path

from review_tui.model import ReviewTuiError
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error
from review_tui.tui.screens.prompt import PromptScreen


def default_report_path(host: ReviewHost) -> Path:
    """``<session>.review.md`` beside the review file."""
    return host.store.path.with_name(f"{host.session.anchor.stem}.review.md")


def export(host: ReviewHost, path: str | None = None) -> None:
    """ctrl+e: the export dialog; with ``path`` (the palette's "Export as"), the Markdown."""
    if path is None:
        from review_tui.tui.screens.export_dialog import ExportDialog  # its own stylesheet: load when asked

        host.push_screen(ExportDialog(host.store, host.session), lambda written: exported(host, written))
        return
    from review_tui.report.formats import ExportOptions, export_review  # the report code: only when asked

    target = Path(path).expanduser()
    try:
        [written] = export_review(host.store, host.session, ExportOptions("md", target))
    except ReviewTuiError as error:
        store_error(host, error, title="Report not written")
        return
    host.notify(str(written), title="Report written", timeout=8, markup=False)


def exported(host: ReviewHost, written: list[Path] | None) -> None:
    if written:
        host.notify("\n".join(map(str, written)), title="Export written", timeout=8, markup=False)


def export_as(host: ReviewHost) -> None:
    def check(text: str) -> str:
        if not text.strip():
            raise ValueError("type a file name")
        return text.strip()

    prompt = PromptScreen("Export the report to", "a .md file", check, value=str(default_report_path(host)))
    host.push_screen(prompt, lambda path: export(host, path) if path is not None else None)


ACTIONS = {"export": export, "export_as": export_as}
