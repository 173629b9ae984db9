"""The once-only offer to name diarised speakers, driven with Textual Pilot over a real
review file."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from review_tui.codebook import load_codebook
from review_tui.store import ReviewStore
from review_tui.transcript import load_transcript
from review_tui.transcript.renames import apply_renames, load_renames
from review_tui.tui.screens.rename_speakers import RenameSpeakersScreen, offer_speaker_names

DATA = Path(__file__).parent / "data" / "transcripts"


class Host(App):
    """The smallest app that offers the names when it starts, as the review app would."""

    def __init__(self, transcript, store) -> None:
        super().__init__()
        self.transcript = transcript
        self.store = store
        self.offered = False

    def on_mount(self) -> None:
        self.offered = offer_speaker_names(self, self.transcript, self.store, self.renamed)

    def renamed(self, renames) -> None:
        self.transcript = apply_renames(self.transcript, renames)


def open_store(path: Path) -> ReviewStore:
    return ReviewStore.open(
        path, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook(None)
    )


async def test_names_typed_once_are_kept_and_not_asked_again(tmp_path):
    review = tmp_path / "session.review.sqlite"
    store = open_store(review)
    try:
        app = Host(load_transcript(DATA / "diarised.srt"), store)
        async with app.run_test() as pilot:
            assert app.offered and isinstance(app.screen, RenameSpeakersScreen)
            await pilot.press(*"therapist", "enter")
            await pilot.press(*"Jo [b]Park[/b]", "enter")
            await pilot.pause()
            assert not isinstance(app.screen, RenameSpeakersScreen)
        assert app.transcript.speakers["speaker-00"].label == "Therapist"
        assert app.transcript.speakers["speaker-01"].label == "Jo [b]Park[/b]"  # literal
    finally:
        store.close()

    store = open_store(review)
    try:
        assert set(load_renames(store)) == {"speaker-00", "speaker-01"}
        again = Host(load_transcript(DATA / "diarised.srt"), store)
        async with again.run_test():
            assert not again.offered and not isinstance(again.screen, RenameSpeakersScreen)
    finally:
        store.close()


async def test_escape_declines_and_is_remembered(tmp_path):
    store = open_store(tmp_path / "r.sqlite")
    try:
        app = Host(load_transcript(DATA / "diarised.srt"), store)
        async with app.run_test() as pilot:
            assert isinstance(app.screen, RenameSpeakersScreen)
            await pilot.press("escape")
            await pilot.pause()
        assert app.transcript.speakers["speaker-00"].label == "SPEAKER_00"
        again = Host(load_transcript(DATA / "diarised.srt"), store)
        async with again.run_test():
            assert not again.offered
    finally:
        store.close()


async def test_no_offer_when_the_speakers_have_names(tmp_path):
    store = open_store(tmp_path / "r.sqlite")
    try:
        app = Host(load_transcript(DATA / "session.srt"), store)
        async with app.run_test():
            assert not app.offered
    finally:
        store.close()
