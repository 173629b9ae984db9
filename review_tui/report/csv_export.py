"""The tag log as CSV that Excel, SPSS and R open as they are: one row per tag.

UTF-8 with a byte-order mark (Excel otherwise reads it as the local code page) and CRLF
line ends. A cell that starts with ``= + - @`` (or a tab or carriage return) would run as a
formula in a spreadsheet, so such text gets a leading apostrophe, which shows it as text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from review_tui.model import format_ms
from review_tui.report.build import Report
from review_tui.report.writer import write_report
from review_tui.text import clean, one_line

COLUMNS = (
    "session", "start_s", "end_s", "start", "end", "code_id", "group", "label", "rating",
    "author", "role", "note", "quote", "episode",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows and never evaluates."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_csv(report: Report) -> str:
    episodes = _episode_numbers(report)
    reviewers = {reviewer.id: reviewer for reviewer in report.reviewers}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for moment in report.moments:
        tag = moment.tag
        end_ms = tag.end_ms if tag.is_range else None
        author = reviewers.get(tag.author_id)
        quote = "\n".join(
            f"{line.speaker}: {line.text}" if line.speaker else line.text for line in moment.lines
        )
        text_cells = {
            "session": report.session_id,
            "code_id": tag.code_id,
            "group": moment.group_label,
            "label": moment.code_label,
            "author": author.name if author else moment.author,
            "role": author.role if author else "",
            "note": clean(tag.note),
            "quote": clean(quote),
        }
        row = {
            **{name: safe_cell(one_line(value) if name not in ("note", "quote") else value)
               for name, value in text_cells.items()},
            "start_s": f"{tag.start_ms / 1000:.3f}",
            "end_s": "" if end_ms is None else f"{end_ms / 1000:.3f}",
            "start": _clock(tag.start_ms),
            "end": "" if end_ms is None else _clock(end_ms),
            "rating": "" if tag.rating is None else str(tag.rating),
            "episode": ";".join(str(number) for number in episodes.get(tag.id, [])),
        }
        writer.writerow([row[name] for name in COLUMNS])
    return "\ufeff" + out.getvalue()


def write_csv(report: Report, path: Path) -> Path:
    return write_report(render_csv(report), path)


def _clock(ms: int) -> str:
    """``H:MM:SS.mmm`` always with the hour, so a column sorts and parses the same way."""
    text = format_ms(ms)
    return text if text.count(":") == 2 else f"0:{text}"


def _episode_numbers(report: Report) -> dict[int, list[int]]:
    """Tag id → the numbers (from 1, as the report counts them) of the episodes it is in."""
    numbers: dict[int, list[int]] = {}
    for number, episode in enumerate(report.episodes, start=1):
        for moment in (episode.rupture, *episode.responses, *episode.repairs):
            numbers.setdefault(moment.tag.id, []).append(number)
    return numbers
