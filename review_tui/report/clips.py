"""Clips for deliberate practice: one MP4 per chosen tag, a few seconds either side, with the
transcript burned in and a title line naming the code and the time; plus one contact sheet.

The subtitles are written as ASS (two styles: the title at the top, the words at the
bottom) and drawn by libass inside the bundled ffmpeg, in the font shipped in
report/fonts/, passed explicitly: a machine with no fonts at all still gets readable clips.
All text comes from the Report (so a pseudonymised Report gives pseudonymised clips).

Each file is cut into a hidden temporary name in the target folder and renamed only once
ffmpeg has finished and it is on disk: a kill -9 mid-export leaves at most a ``.*.tmp``
file (swept by the next export), never a half-written clip under its final name.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from review_tui.media.probe import probe
from review_tui.media.stills import (
    CLIP_MAX_WIDTH,
    ClipPlan,
    CutCancelled,
    contact_sheet,
    cut_clip,
    even_size,
    still_jpeg,
    still_size,
)
from review_tui.model import MediaError, MediaInfo, Tag, format_ms
from review_tui.report.build import PRACTICE_CODES, Moment, QuotedLine, Report
from review_tui.report.progress import ExportCancelled, check_cancel, report_progress
from review_tui.report.writer import REPORT_MODE, ReportError, _sync_folder
from review_tui.scratch import scratch_folder
from review_tui.text import one_line

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_NAME = "DejaVu Sans"  # the family name inside FONTS_DIR's DejaVuSans.ttf, which the ASS styles ask for
CONTACT_SHEET = "contact-sheet.jpg"
SHEET_COLUMNS = 4
FOLDER_MODE = 0o700


def write_clips(
    report: Report,
    folder: Path,
    *,
    media_path: Path,
    tags: list | None = None,
    before_ms: int = 3000,
    after_ms: int = 3000,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[Path]:
    """Cut a clip per selected tag into ``folder`` and a contact sheet of them; return every
    file written. ``tags`` (tag ids, Tags or Moments) picks the tags; by default those coded
    "clip for deliberate practice". On cancel, clips finished so far stay (each is whole)
    and :class:`ExportCancelled` is raised."""
    folder = Path(folder)
    chosen = select_moments(report, tags)
    if not chosen:
        which = "the tags asked for" if tags is not None else 'no tag is coded "clip for deliberate practice"'
        raise ReportError(f"{folder}: no clip to cut: {which}")
    try:
        info = probe(Path(media_path))
    except MediaError as err:
        raise ReportError(f"cannot cut clips: {err}") from None
    _prepare_folder(folder)
    steps = len(chosen) + 1  # each clip, then the contact sheet
    written: list[Path] = []
    size = even_size(info, CLIP_MAX_WIDTH)
    with scratch_folder("clips") as scratch:
        for number, moment in enumerate(chosen, start=1):
            check_cancel(cancel, _cancelled(folder, written, chosen))
            start_ms, end_ms = clip_span(moment, before_ms, after_ms, report.duration_ms)
            subtitles = scratch / f"clip-{number:02d}.ass"
            lines = lines_between(report, moment, start_ms, end_ms)
            subtitles.write_text(ass_document(moment, lines, start_ms, end_ms, size), encoding="utf-8")
            target = folder / clip_name(number, moment)
            plan = ClipPlan(start_ms, end_ms, subtitles, target)

            def cut(temporary: Path, plan: ClipPlan = plan) -> None:
                cut_clip(Path(media_path), info, replace(plan, output=temporary), FONTS_DIR, cancel=cancel)

            try:
                _atomic(target, cut)
            except CutCancelled:
                raise ExportCancelled(_cancelled(folder, written, chosen)) from None
            written.append(target)
            report_progress(progress, number, steps)
        check_cancel(cancel, _cancelled(folder, written, chosen))
        stills = [still for moment in chosen if (still := _labelled_still(Path(media_path), info, moment, scratch))]
        if stills:
            sheet = folder / CONTACT_SHEET
            _atomic(sheet, lambda temporary: contact_sheet(stills, temporary, columns=SHEET_COLUMNS))
            written.append(sheet)
        report_progress(progress, steps, steps)
    return written


def select_moments(report: Report, tags: Iterable | None) -> list[Moment]:
    """The moments to cut, in time order: those of the given tags, else the practice clips."""
    if tags is None:
        return [moment for moment in report.moments if moment.tag.code_id in PRACTICE_CODES]
    wanted = set()
    for item in tags:
        if isinstance(item, Moment):
            wanted.add(item.tag.id)
        elif isinstance(item, Tag):
            wanted.add(item.id)
        else:
            wanted.add(int(item))
    return [moment for moment in report.moments if moment.tag.id in wanted]


def clip_span(moment: Moment, before_ms: int, after_ms: int, duration_ms: int) -> tuple[int, int]:
    tag = moment.tag
    end = tag.end_ms if tag.is_range and tag.end_ms is not None else tag.start_ms
    start_ms = max(0, tag.start_ms - max(0, before_ms))
    end_ms = end + max(0, after_ms)
    if duration_ms > 0:
        end_ms = min(end_ms, duration_ms)
    return start_ms, max(end_ms, start_ms + 500)


def clip_name(number: int, moment: Moment) -> str:
    """``clip-01-00m12s-supervision.practice_clip.mp4``: sortable, and nothing but the code
    id and the time from the review (no session or person's name)."""
    seconds = moment.tag.start_ms // 1000
    hours, rest = divmod(seconds, 3600)
    when = (f"{hours}h" if hours else "") + f"{rest // 60:02d}m{rest % 60:02d}s"
    code = re.sub(r"[^A-Za-z0-9._-]+", "_", moment.tag.code_id).strip("._") or "tag"
    return f"clip-{number:02d}-{when}-{code[:60]}.mp4"


def lines_between(report: Report, moment: Moment, start_ms: int, end_ms: int) -> list[QuotedLine]:
    """The cues shown during the clip: from the whole transcript when the Report holds it,
    else the tag's own lines."""
    source = report.transcript or moment.lines
    return [
        line for line in source
        if line.start_ms < end_ms and (line.end_ms if line.end_ms is not None else line.start_ms + 3000) > start_ms
    ]


def ass_text(text: str) -> str:
    """One line of text that libass shows as written: no override block, no \\N escape."""
    out = []
    for char in one_line(text):
        if char == "\\":
            out.append("\\\u200b")  # a zero-width space after it: "\N" in a quote stays "\N"
        elif char in "{}":
            out.append("\\" + char)  # libass's escape for a literal brace
        else:
            out.append(char)
    return "".join(out)


def _ass_time(ms: int) -> str:
    centis = max(0, ms) // 10
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6_000)
    seconds, centis = divmod(rest, 100)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{centis:02d}"


def ass_document(moment: Moment, lines: list[QuotedLine], start_ms: int, end_ms: int, size: tuple[int, int]) -> str:
    height = size[1]
    cue_size = max(12, height // 16)
    title_size = max(11, height // 20)
    margin = max(6, height // 30)
    title = f"{moment.code_label} · {format_ms(moment.tag.start_ms)}"
    if moment.tag.is_range and moment.tag.end_ms is not None:
        title += f"–{format_ms(moment.tag.end_ms)}"
    events = [f"Dialogue: 1,{_ass_time(0)},{_ass_time(end_ms - start_ms)},Title,,0,0,0,,{ass_text(title)}"]
    for line in lines:
        line_end = line.end_ms if line.end_ms is not None else line.start_ms + 3000
        speaker = f"{line.speaker}: " if line.speaker else ""
        events.append(
            f"Dialogue: 0,{_ass_time(line.start_ms - start_ms)},{_ass_time(min(line_end, end_ms) - start_ms)},"
            f"Cue,,0,0,0,,{ass_text(speaker + line.text)}"
        )
    return _ass_file(size, wrap_style=0, styles=[
        # BorderStyle 3 draws an opaque box behind the text: readable over any picture.
        f"Style: Cue,{FONT_NAME},{cue_size},&H00FFFFFF,&H00FFFFFF,&H60000000,&H60000000,"
        f"0,0,0,0,100,100,0,0,3,{max(2, cue_size // 8)},0,2,{margin},{margin},{margin},1",
        f"Style: Title,{FONT_NAME},{title_size},&H0000E6FF,&H0000E6FF,&H60000000,&H60000000,"
        f"1,0,0,0,100,100,0,0,3,{max(2, title_size // 8)},0,7,{margin},{margin},{margin},1",
    ], events=events)


def label_document(text: str, size: tuple[int, int]) -> str:
    """An ASS file drawing ``text`` as one line in a dark box along the bottom-left edge of a
    still of ``size``, for the whole still (its one frame is at time 0)."""
    font_size = max(10, size[0] // 24)
    # WrapStyle 2, one line: a long label runs off the edge rather than over the picture.
    return _ass_file(size, wrap_style=2, styles=[
        # BorderStyle 3: an opaque box in the outline colour (black, 30 % see-through).
        f"Style: Label,{FONT_NAME},{font_size},&H00FFFFFF,&H00FFFFFF,&H4D000000,&H4D000000,"
        "0,0,0,0,100,100,0,0,3,4,0,1,8,8,8,1",
    ], events=[f"Dialogue: 0,{_ass_time(0)},{_ass_time(10 * 3_600_000 - 10)},Label,,0,0,0,,{ass_text(text)}"])


def _ass_file(size: tuple[int, int], *, wrap_style: int, styles: list[str], events: list[str]) -> str:
    """An ASS document for a picture of ``size``: its script info, ``styles`` and ``events``."""
    width, height = size
    return "\n".join([
        "[Script Info]",
        "ScriptType: v4.00+",
        f"PlayResX: {width}",
        f"PlayResY: {height}",
        f"WrapStyle: {wrap_style}",
        "ScaledBorderAndShadow: yes",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
        "Alignment, MarginL, MarginR, MarginV, Encoding",
        *styles,
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        *events,
        "",
    ])


def _cancelled(folder: Path, written: list[Path], chosen: list[Moment]) -> str:
    return f"{folder}: clip export cancelled; {len(written)} of {len(chosen)} clips were written, each whole"


def _labelled_still(media: Path, info: MediaInfo, moment: Moment, scratch: Path) -> bytes | None:
    """The contact sheet's picture of a moment; None for an audio recording, or a moment
    where ffmpeg finds no picture (the sheet shows the others)."""
    if info.video is None:
        return None
    label = scratch / f"label-{moment.tag.id}.ass"
    text = f"{format_ms(moment.tag.start_ms)} {moment.code_label}"
    label.write_text(label_document(text, still_size(info)), encoding="utf-8")
    try:
        return still_jpeg(media, moment.tag.start_ms, subtitles=label, fonts_dir=FONTS_DIR)
    except MediaError:
        return None


def _prepare_folder(folder: Path) -> None:
    """Make the folder (owner only) and sweep temporaries a killed export left behind."""
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as err:
        raise ReportError(f"{folder}: cannot make the clips folder: {err.strerror or err}") from None
    if not folder.is_dir():
        raise ReportError(f"{folder}: is not a folder")
    for pattern in (".clip-*.tmp", f".{CONTACT_SHEET}.*.tmp"):
        for leftover in folder.glob(pattern):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _atomic(target: Path, make: Callable[[Path], None]) -> None:
    """Run ``make(temporary)`` on a 0600 temporary beside ``target``, then fsync and rename."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        os.fchmod(handle, REPORT_MODE)
        os.close(handle)
        make(temporary)  # ffmpeg opens the existing file, so its 0600 mode stays
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(temporary, REPORT_MODE)
        os.replace(temporary, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(err, MediaError):
            raise ReportError(str(err)) from None
        if isinstance(err, OSError):
            raise ReportError(f"{target}: cannot write it: {err.strerror or err}") from None
        raise
    _sync_folder(target.parent)
