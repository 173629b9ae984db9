"""Review reports: a Report built once from the store and the session, rendered per format."""

from review_tui.report.build import Report, build_report
from review_tui.report.markdown import FOOTER, render_markdown
from review_tui.report.writer import (
    REPORT_MODE,
    ReportError,
    export_markdown,
    write_report,
)

__all__ = [
    "FOOTER",
    "REPORT_MODE",
    "Report",
    "ReportError",
    "build_report",
    "export_markdown",
    "render_markdown",
    "write_report",
]
