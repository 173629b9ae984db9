"""What every command that opens a session's review does first: the codebook, the review file
and who is reviewing.

Apart from the CLI's entry point so that the commands in their own modules (agreement, details,
export, merge) use it without importing the entry point that dispatches to them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from review_tui.model import ROLES, Codebook, Reviewer, ReviewTuiError
from review_tui.text import one_line


def parse_reviewer(text: str) -> tuple[str, str]:
    name, colon, role = text.rpartition(":")
    if not colon:  # a bare name: the person running a review is most often its supervisor
        name, role = role, "supervisor"
    # A name goes into the review file and onto colleagues' screens: no control bytes in it.
    name, role = one_line(name), one_line(role).lower()
    if not name:
        raise ReviewTuiError(f"reviewer {text!r}: give a name, as \"Name:role\"")
    if role not in ROLES:
        raise ReviewTuiError(f"reviewer {text!r}: role must be one of {', '.join(ROLES)}")
    return name, role


def resolve_reviewer(store, given: str | None) -> Reviewer | None:
    """Who tags: ``--reviewer``, else REVIEW_TUI_REVIEWER or the config (``given``), else the
    one the app remembered last time; None means the app asks. A remembered reviewer that no
    longer parses is forgotten rather than fatal: the app simply asks again."""
    from review_tui.config import remembered_reviewer

    if given:
        return store.reviewer(*parse_reviewer(given))
    remembered = remembered_reviewer()
    if remembered is None:
        return None
    try:
        return store.reviewer(*parse_reviewer(remembered))
    except ReviewTuiError:
        return None


def load_codebook_for(args: argparse.Namespace, config) -> Codebook:
    from review_tui.codebook import load_codebook

    path = getattr(args, "codebook", None) or config.codebook
    return load_codebook(path)


def open_store(session, review_override: Path | None, codebook: Codebook):
    """Open (or create) the session's review file; notices become session warnings."""
    from review_tui.store import ReviewStore, review_path_for

    review_path, notice = review_path_for(session.anchor, review_override)
    if notice is not None:
        session.warnings.append(notice)
    media_fingerprint, transcript_fingerprint = session.fingerprints()
    store = ReviewStore.open(
        review_path,
        media_fingerprint=media_fingerprint,
        transcript_fingerprint=transcript_fingerprint,
        codebook=codebook,
    )
    session.warnings.extend(store.warnings)
    if session.transcript is not None:  # the reviewer's names for diarised speakers (SPEAKER_00)
        from review_tui.transcript.renames import apply_renames, load_renames

        try:
            session.transcript = apply_renames(session.transcript, load_renames(store))
        except ReviewTuiError:
            pass  # a review file that cannot be read is said by whatever reads it next, in its words
    return store
