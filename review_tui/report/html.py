"""Render a Report as one self-contained HTML page: styles inline, stills embedded, no script.

The page follows shared/DOMAIN.md "What a review report contains", like the Markdown, and
adds what only a page can hold: a drawn timeline and a still frame at every key moment.

Safety: jinja autoescapes every value, and every string value also passes through
``text.clean`` first (``finalize``), so a transcript line or note holding markup, NUL, an
ANSI sequence or a bidi override reaches the page as plain, visible text. The page never
links out and carries a Content-Security-Policy that forbids scripts and remote loads, so
even a mistake in a template cannot make it fetch or run anything.

Memory: the template is rendered as a stream and each still is taken from ffmpeg only when
the page reaches its moment, base64-encoded and written straight to the file; one still is
in memory at a time however long the session.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from pathlib import Path

import jinja2
from markupsafe import Markup

from review_tui.analysis.reconcile import DECISIONS
from review_tui.media.probe import probe
from review_tui.media.stills import still_jpeg
from review_tui.model import MediaError, format_ms
from review_tui.report import agreement_section, svg_timeline
from review_tui.report.build import Moment, Report
from review_tui.report.markdown import FOOTER, duration, rating, span
from review_tui.report.progress import check_cancel, report_progress
from review_tui.report.writer import ReportError, atomic_output
from review_tui.text import clean


def _clean_value(value):
    """Every string a template prints is cleaned before it is escaped; numbers pass as they
    are, and Markup (only ever made here, from base64) is left alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("review_tui.report", "templates"),
        autoescape=True,
        finalize=_clean_value,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class AgreementWords:
    """The agreement section's numbers and names, worded as the Markdown words them."""

    def __init__(self, codebook):
        self.codebook = codebook

    number = staticmethod(agreement_section._number)
    percent = staticmethod(agreement_section._percent)

    def group(self, scope: str) -> str:
        return agreement_section._group(scope, self.codebook)

    def tag(self, tag) -> str:
        return agreement_section._tag(tag, self.codebook)

    @staticmethod
    def settled(outcome) -> str:
        words = agreement_section.DECISION_WORDS
        return "; ".join(f"{count} {words[d]}" for d in DECISIONS if (count := outcome.decided.get(d)))


class _Stills:
    """Takes the still for one moment when the template asks for it, and counts progress."""

    def __init__(self, media: Path | None, total: int, progress, cancel, path: Path):
        self.media = media
        self.total = total
        self.done = 0
        self.progress = progress
        self.cancel = cancel
        self.path = path

    def __call__(self, moment: Moment) -> Markup | None:
        check_cancel(self.cancel, _cancelled(self.path))
        if self.media is None:
            return None
        try:
            jpeg = still_jpeg(self.media, moment.tag.start_ms)
        except MediaError:
            jpeg = None  # one moment past the picture's end must not cost the whole page
        self.done += 1
        report_progress(self.progress, self.done, self.total)
        if jpeg is None:
            return None
        return Markup("data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii"))


def render_html_chunks(
    report: Report,
    still: Callable[[Moment], Markup | None] | None = None,
    *,
    stills_note: str = "",
):
    """The page as a stream of text pieces; ``still`` gives each key moment's picture."""
    template = environment().get_template("review.html.j2")
    return template.generate(
        report=report,
        timeline=svg_timeline.layout(report),
        still=still or (lambda moment: None),
        stills_note=stills_note,
        span=span,
        rating=rating,
        duration=duration,
        format_ms=format_ms,
        footer=FOOTER,
        agreement_text=AgreementWords,
    )


def render_html(report: Report) -> str:
    """The whole page as one string, without stills (for tests and previews)."""
    return "".join(render_html_chunks(report))


def write_html(
    report: Report,
    path: Path,
    *,
    media_path: Path | None,
    stills: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Write the page to ``path`` atomically (0600); with ``stills`` and a video, one still
    per key moment. ``progress(done, total)`` is called after each still; setting
    ``cancel`` stops the export and leaves any earlier file at ``path`` as it was."""
    path = Path(path)
    media, note = _still_source(media_path, stills)
    total = len(report.key_moments) if media is not None else 0
    taker = _Stills(media, total, progress, cancel, path)
    check_cancel(cancel, _cancelled(path))
    with atomic_output(path) as stream:
        for chunk in render_html_chunks(report, taker, stills_note=note):
            stream.write(chunk.encode("utf-8", "replace"))
        check_cancel(cancel, _cancelled(path))
    if total == 0:
        report_progress(progress, 1, 1)
    return path


def _cancelled(path: Path) -> str:
    return f"{path}: export cancelled; nothing was written (an earlier file there is unchanged)"


def _still_source(media_path: Path | None, stills: bool) -> tuple[Path | None, str]:
    """The media to take stills from, or None and a line saying why the page has none."""
    if not stills:
        return None, ""
    if media_path is None:
        return None, "No recording was given, so the key moments have no still frames."
    try:
        info = probe(Path(media_path))
    except MediaError as err:
        raise ReportError(f"cannot take still frames: {err}") from None
    if info.video is None:
        return None, "The recording is audio only, so the key moments have no still frames."
    return Path(media_path), ""
