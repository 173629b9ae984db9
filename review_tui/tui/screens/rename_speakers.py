"""Asked once per review when speech recognition numbered the speakers: who is SPEAKER_00?

One line per diarised speaker, with the first thing they say as a reminder. An answer of
"therapist"/"patient" (or th, pt, client) gives the role; anything else is taken as a name;
a blank line keeps the label. Esc declines, which is remembered too, so the offer is made
once. The screen returns the answers; transcript/renames.py keeps them in the review.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from review_tui.model import Speaker, Transcript
from review_tui.text import one_line
from review_tui.transcript.renames import LABEL_MAX, Rename, diarised_speakers, rename_from_answer
from review_tui.tui.bindings import PROMPT_BINDINGS
from review_tui.tui.screens.dialog import Dialog

QUOTE_WIDTH = 40


class RenameSpeakersScreen(Dialog[dict[str, Rename] | None]):
    """Dismisses with the renames by speaker id (empty when every line was left blank), or
    None when declined with Esc."""

    BINDINGS = PROMPT_BINDINGS
    DEFAULT_CSS = """
    RenameSpeakersScreen { align: center middle; background: $background 60%; }
    RenameSpeakersScreen #dialog {
        width: 94%; max-width: 110; height: auto; max-height: 90%;
        padding: 1 2; border: round $accent; background: $surface;
    }
    RenameSpeakersScreen .speaker-quote { color: $text-muted; }
    RenameSpeakersScreen #rename-title { text-style: bold; margin-bottom: 1; }
    RenameSpeakersScreen #rename-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, transcript: Transcript) -> None:
        super().__init__()
        self.speakers: list[Speaker] = diarised_speakers(transcript)
        first_words: dict[str, str] = {}
        for cue in transcript.cues:
            if cue.speaker is not None and cue.speaker not in first_words and cue.text:
                first_words[cue.speaker] = one_line(cue.text)
            if len(first_words) == len(transcript.speakers):
                break
        self.first_words = first_words

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Who is who? The transcript numbers its speakers.", id="rename-title")
            for number, speaker in enumerate(self.speakers):
                quote = self.first_words.get(speaker.id, "")
                if len(quote) > QUOTE_WIDTH:
                    quote = quote[: QUOTE_WIDTH - 1] + "…"
                # Plain text: a transcript's words are never read as markup.
                yield Label(f"{speaker.label}: “{quote}”", classes="speaker-quote", markup=False)
                yield Input(
                    placeholder="therapist, patient, or a name",
                    max_length=LABEL_MAX,
                    id=f"rename-{number}",
                )
            yield Label(
                "Enter: next / save · blank keeps the label · Esc: not now (not asked again)",
                id="rename-hint",
            )

    @on(Input.Submitted)
    def next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        position = inputs.index(event.input)
        if position + 1 < len(inputs):
            self.move_focus(inputs[position + 1])
            return
        renames: dict[str, Rename] = {}
        for speaker, field in zip(self.speakers, inputs, strict=True):
            rename = rename_from_answer(speaker, field.value)
            if rename is not None:
                renames[speaker.id] = rename
        self.close(renames)

    def action_cancel(self) -> None:
        self.close(None)


def offer_speaker_names(app, transcript: Transcript, store, on_renamed) -> bool:
    """Push the screen when the review has never been asked (see renames.should_offer); the
    answer, or the refusal, is saved in ``store`` and ``on_renamed(renames)`` is called with
    what was given. Returns whether the screen was pushed."""
    from review_tui.transcript.renames import save_renames, should_offer

    if not should_offer(transcript, store):
        return False

    def answered(renames: dict[str, Rename] | None) -> None:
        save_renames(store, renames or {})
        if renames:
            on_renamed(renames)

    app.push_screen(RenameSpeakersScreen(transcript), answered)
    return True
