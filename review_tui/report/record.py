"""What a data export needs beyond the Report: the whole review as data, gathered once.

The Report says what a reader sees (every transcript cue included); a JSON or ELAN export
must also carry what a program needs to read the review back: the codebook snapshot, the
episode links, the fingerprints and the suggestions a reviewer dismissed. Both travel together as a
``Review`` so pseudonymisation and tag selection act on one object for every format.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from review_tui.analysis.suggestions import DISMISSED_STATE_KEY, dismissed_from_state
from review_tui.model import Codebook, Tag
from review_tui.report.build import Report, build_report
from review_tui.store import Link


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    media_file: Path | None  # the recording itself, for linking; never written as is
    media_label: str | None  # the recording's file name as exports show it
    media_fingerprint: str | None
    transcript_fingerprint: str | None
    codebook: Codebook
    links: tuple[Link, ...]
    dismissed: tuple[tuple[int, int, str], ...]  # (start_ms, end_ms, code_id)


@dataclass(frozen=True, slots=True)
class Review:
    report: Report
    record: ReviewRecord


class SelectedStore:
    """A view of a store holding only the tags ``keep`` accepts (and the links between
    them), so build_report renders a selection without knowing about selections. Everything
    else (reviewers, state, codebook) is the store's own."""

    def __init__(self, store, keep: Callable[[Tag], bool]) -> None:
        self._store = store
        self._keep = keep

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def tags(self, *, author_id: int | None = None) -> list[Tag]:
        return [tag for tag in self._store.tags(author_id=author_id) if self._keep(tag)]

    def tag(self, tag_id: int) -> Tag | None:
        tag = self._store.tag(tag_id)
        return tag if tag is not None and self._keep(tag) else None

    def links(self) -> list[Link]:
        kept = {tag.id for tag in self.tags()}
        return [link for link in self._store.links() if link.rupture_id in kept and link.tag_id in kept]


def gather_review(
    store,
    session,
    *,
    keep: Callable[[Tag], bool] | None = None,
    date: datetime.date | None = None,
    include_suggestions: bool = False,
    only_reviewer: str | None = None,
) -> Review:
    """The Report and the record of the tags ``keep`` accepts (all when None); with
    ``only_reviewer`` (a name) the report is that reviewer's own, as build_report makes it."""
    view = SelectedStore(store, keep or (lambda tag: True))
    extra = {"only_reviewer": only_reviewer} if only_reviewer else {}
    report = build_report(view, session, date=date, include_suggestions=include_suggestions, **extra)
    media_fingerprint, transcript_fingerprint = session.fingerprints()
    media_path = getattr(session, "media_path", None)
    record = ReviewRecord(
        media_file=Path(media_path).absolute() if media_path else None,
        media_label=Path(media_path).name if media_path else None,
        media_fingerprint=media_fingerprint,
        transcript_fingerprint=transcript_fingerprint,
        codebook=store.codebook,
        links=tuple(view.links()),
        dismissed=tuple(sorted(dismissed_from_state(store.get_state(DISMISSED_STATE_KEY)))),
    )
    return Review(report, record)
