"""A real review to export: a transcript with named speakers, two reviewers, linked episodes,
hostile text in notes and quotes. Built through the real store and session loader."""

from __future__ import annotations

from pathlib import Path

from review_tui.analysis.suggestions import DISMISSED_STATE_KEY, dismissed_to_state
from review_tui.codebook import load_codebook
from review_tui.session import load_session
from review_tui.store import ReviewStore

HOSTILE = "=cmd|' /C calc'!A0 <script>alert(1)</script> & {\\an8} --> \x1b[31mred\x1b[0m \u202eevil"
TRANSCRIPT = """\
1
00:00:01,000 --> 00:00:04,000
Dr Rivera: How do you experience this anger toward Marcus, Daniel?

2
00:00:07,000 --> 00:00:10,000
Daniel Brooks: [laughs] That sounds formulaic. <b>Really</b> & {\\an8}

3
00:00:10,500 --> 00:00:14,000
Dr Rivera: It isn't formulaic.

4
00:00:15,000 --> 00:00:18,000
Daniel Brooks: +1 for a lecture, I suppose. Marcus would laugh.

5
00:00:20,000 --> 00:00:24,000
Dr Rivera: That's fair. Could we look at what just happened between us?
"""
NAMES_TOML = '"Daniel Brooks" = "Client D"\n"Marcus" = "the brother"\n'


def make_review(folder: Path, *, stem: str = "daniel-brooks-03", names: bool = True):
    """(store, session) for a tagged session in ``folder``; the caller closes the store."""
    srt = folder / f"{stem}.srt"
    srt.write_text(TRANSCRIPT, encoding="utf-8")
    session = load_session(srt)
    store = ReviewStore.open(
        folder / f"{stem}.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    )
    if names:
        (folder / f"{stem}.names.toml").write_text(NAMES_TOML, encoding="utf-8")
    supervisor = store.reviewer("Dr Okafor", "supervisor")
    therapist = store.reviewer("Sam Lee", "therapist")

    def add(code_id, start_ms, end_ms=None, rating=None, note="", author=supervisor):
        return store.add_tag(
            start_ms=start_ms, end_ms=end_ms, code_id=code_id, rating=rating, note=note, author=author
        )

    rupture = add("confrontation.criticises_therapist", 8_000, rating=4, note=HOSTILE)
    debate = add("intervention.moves_against", 9_500, 15_500, note="Defends the method\nagainst Daniel")
    repair = add("repair.acknowledges_own_part", 20_000, rating=3, note="Owns the debate")
    add("confrontation.rejects_intervention", 9_000, 12_000, rating=2, note="overlaps the first")
    add("supervision.practice_clip", 20_000, 24_000, note="Practise this with Marcus in mind")
    add("supervision.discussion_question", 8_000, note="@SUM(1) How to meet sarcasm, Dr Okafor?", author=therapist)
    store.link(rupture.id, debate.id, "response")
    store.link(rupture.id, repair.id, "repair")
    store.set_state("focus", "Meeting Daniel's sarcasm without a debate")
    store.set_state(DISMISSED_STATE_KEY, dismissed_to_state({(1000, 4000, "withdrawal.abstract_talk")}))
    return store, session


def empty_review(folder: Path, stem: str = "empty"):
    srt = folder / f"{stem}.srt"
    srt.write_text(TRANSCRIPT, encoding="utf-8")
    session = load_session(srt)
    store = ReviewStore.open(
        folder / f"{stem}.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    )
    return store, session
