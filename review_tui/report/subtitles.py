"""The tags as subtitles (SRT and WebVTT), so any video player shows them over the recording.

Each tag is one cue: the code label with its rating and author, then the note. A point tag
stays on screen for POINT_SHOWN_MS. Nothing a reviewer typed can become markup: WebVTT
gets ``&amp; &lt; &gt;`` (which also rules out a ``-->`` inside a cue); SRT has no escapes
at all and players read ``<i>``, ``{\\an8}`` and ``\\N`` in it, so those characters are
shown as look-alikes (‹ › ｛ ｝ ⧵). Blank lines, which would end a cue early, are dropped.
"""

from __future__ import annotations

from pathlib import Path

from review_tui.report.build import Moment, Report
from review_tui.report.markdown import rating
from review_tui.report.writer import write_report
from review_tui.text import clean, one_line

POINT_SHOWN_MS = 3000
_SRT_LOOKALIKES = str.maketrans({"<": "‹", ">": "›", "{": "｛", "}": "｝", "\\": "⧵"})


def cue_lines(moment: Moment) -> list[str]:
    """The text of a tag's cue, line by line, not yet escaped."""
    head = one_line(moment.code_label)
    if moment.tag.rating is not None:
        head += f" ({one_line(rating(moment))})"
    head += f" — {one_line(moment.author)}"
    note = [" ".join(line.split()) for line in clean(moment.tag.note).split("\n")]
    return [head, *(line for line in note if line)]


def _span(moment: Moment) -> tuple[int, int]:
    tag = moment.tag
    end = tag.end_ms if tag.is_range and tag.end_ms is not None else tag.start_ms + POINT_SHOWN_MS
    return tag.start_ms, end


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def render_srt(report: Report) -> str:
    blocks = []
    for number, moment in enumerate(report.moments, start=1):
        start, end = _span(moment)
        text = [line.translate(_SRT_LOOKALIKES) for line in cue_lines(moment)]
        blocks.append(f"{number}\n{_clock(start, ',')} --> {_clock(end, ',')}\n" + "\n".join(text))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_vtt(report: Report) -> str:
    blocks = ["WEBVTT"]
    for moment in report.moments:
        start, end = _span(moment)
        text = [_vtt_escape(line) for line in cue_lines(moment)]
        blocks.append(
            f"tag-{moment.tag.id}\n{_clock(start, '.')} --> {_clock(end, '.')}\n" + "\n".join(text)
        )
    return "\n\n".join(blocks) + "\n"


def write_srt(report: Report, path: Path) -> Path:
    return write_report(render_srt(report), path)


def write_vtt(report: Report, path: Path) -> Path:
    return write_report(render_vtt(report), path)
