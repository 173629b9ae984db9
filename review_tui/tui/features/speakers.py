"""Diarised speakers (SPEAKER_00, Speaker 1) named once per review, as the session opens.

The names are kept in the review file (transcript/renames.py); the CLI applies them when it
opens a session, so the transcript pane, the tags' quotes, the agreement and the reports all
say "Therapist" rather than SPEAKER_00. Here: the offer, and the pane told of the answer.
"""

from __future__ import annotations

from functools import partial

from review_tui.model import ReviewTuiError
from review_tui.transcript.renames import Rename, apply_renames
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error


def offer_names(host: ReviewHost) -> None:
    from review_tui.tui.screens.rename_speakers import offer_speaker_names

    transcript = host.session.transcript
    if transcript is None:
        return
    try:
        offer_speaker_names(host, transcript, host.store, partial(renamed, host))
    except ReviewTuiError as error:
        store_error(host, error, consequence="the speakers keep their numbers")


def renamed(host: ReviewHost, renames: dict[str, Rename]) -> None:
    host.session.transcript = apply_renames(host.session.transcript, renames)
    host.show_speakers()
    host.notify(", ".join(f"{r.original} is {r.label}" for r in renames.values()), title="Speakers named", timeout=5, markup=False)
