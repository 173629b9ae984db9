"""Every way a review leaves review_tui, in one registry, and the one function that runs them.

``export_review`` gathers the review once (the selected tags only), pseudonymises it when
asked, hands it to the format's writer and records in the review what was written where, so
`review-tui purge` can find it. The command line and the app's export dialog both call it.

HTML and clips are written by ``review_tui.report.html`` and ``review_tui.report.clips``,
imported only when asked for; they take the progress callback and cancel event as given,
and raise ``report.progress.ExportCancelled`` (a ReviewTuiError) when it is set.
"""

from __future__ import annotations

import datetime
import importlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from review_tui.model import ReviewTuiError
from review_tui.report.pseudonym import load_names, names_path_for, name_replacer, pseudonymise, pseudonyms_for
from review_tui.report.record import Review, gather_review
from review_tui.report.selection import parse_tag_filter
from review_tui.report.written import record_written
from review_tui.text import visible

Progress = Callable[[int, int], None]  # (steps done, steps in all), as report.progress has it
Cancel = threading.Event  # set: stop as soon as possible (the long writers check it)


class ExportError(ReviewTuiError):
    """An export cannot be made as asked."""


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: str  # a key of FORMATS
    path: Path | None = None  # None: <session>.review.<extension> beside the recording
    tags: str | None = None  # a --tags filter (review_tui.report.selection); None: all
    pseudonymise: bool = False
    include_suggestions: bool = False
    stills: bool = True  # HTML: a still frame per key moment
    before_ms: int = 3000  # clips: how much before and after each tag
    after_ms: int = 3000
    only_reviewer: str | None = None  # `report --reviewer NAME`: that reviewer's own report


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    label: str
    extensions: tuple[str, ...]  # the first is the default; () for a folder
    write: Callable[[Review, Path, ExportOptions, object, Progress | None, Cancel | None], list[Path]]
    slow: bool = False  # reads the recording: run it in a worker with a progress bar


def _markdown(review, path, options, session, progress, cancel):
    from review_tui.report.markdown import render_markdown
    from review_tui.report.writer import write_report

    return [write_report(render_markdown(review.report), path)]


def _csv(review, path, options, session, progress, cancel):
    from review_tui.report.csv_export import write_csv

    return [write_csv(review.report, path)]


def _json(review, path, options, session, progress, cancel):
    from review_tui.report.json_export import write_json

    return [write_json(review, path)]


def _eaf(review, path, options, session, progress, cancel):
    from review_tui.report.eaf import write_eaf

    return [write_eaf(review, path)]


def _srt(review, path, options, session, progress, cancel):
    from review_tui.report.subtitles import write_srt

    return [write_srt(review.report, path)]


def _vtt(review, path, options, session, progress, cancel):
    from review_tui.report.subtitles import write_vtt

    return [write_vtt(review.report, path)]


def _optional(module: str, name: str):
    """A writer from a module that may not be installed yet (HTML, clips)."""
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as err:
        if err.name != module:
            raise ExportError(f"{module} needs {err.name}, which is not installed") from None
        raise ExportError(f"{module} is not part of this installation; this format cannot be written yet") from None
    except AttributeError:
        raise ExportError(f"{module} has no {name}; this format cannot be written yet") from None


def _html(review, path, options, session, progress, cancel):
    write_html = _optional("review_tui.report.html", "write_html")
    media = getattr(session, "media_path", None)
    return [write_html(review.report, path, media_path=media, stills=options.stills, progress=progress, cancel=cancel)]


def _clips(review, path, options, session, progress, cancel):
    write_clips = _optional("review_tui.report.clips", "write_clips")
    media = getattr(session, "media_path", None)
    if media is None:
        raise ExportError(f"{session.anchor}: clips need the recording, and this session has none")
    tags = [moment.tag for moment in review.report.moments] if options.tags else None
    return list(
        write_clips(
            review.report, path, media_path=media, tags=tags, before_ms=options.before_ms,
            after_ms=options.after_ms, progress=progress, cancel=cancel,
        )
    )


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("md", "Markdown report", (".md", ".markdown"), _markdown),
        Format("html", "HTML report with stills", (".html", ".htm"), _html, slow=True),
        Format("csv", "CSV tag log (Excel, SPSS, R)", (".csv",), _csv),
        Format("json", "JSON of the whole review", (".json",), _json),
        Format("eaf", "ELAN annotation file", (".eaf",), _eaf),
        Format("srt", "SRT subtitles of the tags", (".srt",), _srt),
        Format("vtt", "WebVTT subtitles of the tags", (".vtt",), _vtt),
        Format("clips", "MP4 clips for deliberate practice (a folder)", (), _clips, slow=True),
    )
}


def format_for(name: str | None, path: Path | None, *, allowed: tuple[str, ...] = tuple(FORMATS)) -> Format:
    """The format asked for by name, else the one the output's extension names. An
    extension that names no format, or another one than asked, is an error: a file is
    never written in a format its name does not say."""
    if name is not None:
        if name not in allowed:
            raise ExportError(f"unknown format {name!r} (use {', '.join(allowed)})")
        fmt = FORMATS[name]
        if path is not None and fmt.extensions and path.suffix.lower() not in fmt.extensions:
            raise ExportError(
                f"{visible(str(path))}: a {fmt.name} export is named *{fmt.extensions[0]}, not "
                f"*{visible(path.suffix) or '(no extension)'}"
            )
        return fmt
    if path is None:
        raise ExportError("name the format (--format) or an output file whose extension says it")
    suffix = path.suffix.lower()
    for candidate in allowed:
        if suffix in FORMATS[candidate].extensions:
            return FORMATS[candidate]
    if not suffix and "clips" in allowed:
        return FORMATS["clips"]
    known = ", ".join(ext for key in allowed for ext in FORMATS[key].extensions)
    raise ExportError(f"{visible(str(path))}: unknown extension {visible(suffix) or '(none)'!r} (use {known})")


def default_path(fmt: Format, session_id: str, folder: Path) -> Path:
    """``<session>.review.<ext>`` (``<session>.clips`` for clips), spaces as dashes so a
    pseudonym such as "Client D" makes a name that needs no quoting in a shell."""
    stem = "-".join(session_id.split())
    return folder / (f"{stem}.clips" if not fmt.extensions else f"{stem}.review{fmt.extensions[0]}")


def export_review(
    store,
    session,
    options: ExportOptions,
    *,
    date: datetime.date | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[Path]:
    """Write the export ``options`` describe; returns the files written."""
    fmt = format_for(options.format, options.path)
    keep = parse_tag_filter(options.tags, store.codebook, store.reviewers())
    review = gather_review(
        store, session, keep=keep, date=date, include_suggestions=options.include_suggestions,
        only_reviewer=options.only_reviewer,
    )
    mapping: dict[str, str] = {}
    if options.pseudonymise:
        mapping = pseudonyms_for(review, load_names(names_path_for(store.path)))
    replace_names = name_replacer(mapping)
    folder = (options.path.parent if options.path else store.path.parent).absolute()  # beside the review, as the app always wrote
    target = options.path or default_path(fmt, replace_names(review.report.session_id), folder)
    if options.pseudonymise and replace_names(target.name) != target.name:
        raise ExportError(f"{visible(str(target))}: the file name holds a name the export must hide; choose another")
    review = _with_media_link(review, target.absolute().parent)
    if options.pseudonymise:
        review = pseudonymise(review, mapping)
    written = fmt.write(review, target, options, session, progress, cancel)
    if written:
        record_written(store, written + ([target] if not fmt.extensions else []), fmt.name)
    return written


def _with_media_link(review: Review, folder: Path) -> Review:
    """Name the recording by its path relative to the export's folder (ELAN links it so)."""
    media = review.record.media_file
    if media is None:
        return review
    try:
        relative = Path(os.path.relpath(media, folder)).as_posix()
    except ValueError:  # another drive on Windows: only the name can be given
        relative = media.name
    if not relative.startswith("../"):
        relative = f"./{relative}"
    return replace(review, record=replace(review.record, media_label=relative))
