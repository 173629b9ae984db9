"""Suggested moments from timing and wording, on real SRT files read by the transcript loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_tui.analysis.stats import find_roles
from review_tui.analysis.suggestions import (
    MAX_PER_MINUTE,
    MIN_SCORE,
    MINUTE_MS,
    SUGGESTED_CODES,
    suggest_moments,
)
from review_tui.codebook import load_codebook
from review_tui.transcript import load_transcript

DEMO_SRT = Path(__file__).resolve().parent.parent / "examples" / "formulaic" / "formulaic.srt"
NATURAL_GAP_MS = 600


def write_srt(folder: Path, turns: list[tuple[str | None, str] | tuple[str | None, str, int]]) -> Path:
    """An SRT of one cue per turn: (speaker label or None, text[, silence before in ms]).
    Each cue lasts as long as its words take to say; turns are NATURAL_GAP_MS apart."""
    blocks, clock = [], 1_000
    for number, turn in enumerate(turns, start=1):
        label, text = turn[0], turn[1]
        if number > 1:
            clock += turn[2] if len(turn) > 2 else NATURAL_GAP_MS
        length = 400 + 330 * len(text.split())
        start, end = clock, clock + length
        clock = end
        shown = f"{label}: {text}" if label else text
        blocks.append(f"{number}\n{_srt_time(start)} --> {_srt_time(end)}\n{shown}\n")
    path = folder / "session.srt"
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def _srt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d},{rest % 1000:03d}"


def suggest(tmp_path: Path, turns, **options):
    return suggest_moments(load_transcript(write_srt(tmp_path, turns)), **options)


def cue_start(tmp_path: Path, index: int) -> int:
    return load_transcript(tmp_path / "session.srt").cues[index].start_ms


def test_every_code_a_rule_can_suggest_is_in_the_default_codebook():
    codebook = load_codebook()
    assert len(SUGGESTED_CODES) == 7
    assert sorted(code for code in SUGGESTED_CODES if codebook.code(code) is None) == []


# --- the demo session ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    if not DEMO_SRT.exists():
        pytest.skip("examples/formulaic/formulaic.srt is not built")
    transcript = load_transcript(DEMO_SRT)
    return transcript, suggest_moments(transcript)


def test_demo_surfaces_the_formulaic_moment_as_confrontation(demo):
    transcript, suggestions = demo
    formulaic = next(
        cue for cue in transcript.cues if cue.speaker == "patient" and "formulaic" in cue.text
    )
    at_cue = [s for s in suggestions if s.start_ms <= formulaic.start_ms < s.end_ms]
    assert [s.code_id for s in at_cue] == ["confrontation.criticises_therapist"]
    assert at_cue[0].start_ms == formulaic.start_ms
    assert formulaic.index in at_cue[0].cue_indexes
    assert "formulaic" in at_cue[0].reason


def test_demo_patient_quoting_his_own_sarcasm_later_is_not_criticism(demo):
    transcript, suggestions = demo
    # "And with you, just now. "That sounds formulaic." That's his voice": insight, not attack.
    quoted = [cue for cue in transcript.cues if '"That sounds formulaic."' in cue.text.replace("\n", " ")]
    assert quoted, "the demo no longer has the quoted line this test is about"
    assert not any(s.start_ms <= quoted[0].start_ms < s.end_ms for s in suggestions)


def test_demo_suggestions_are_few_valid_and_in_time_order(demo):
    transcript, suggestions = demo
    codebook = load_codebook()
    assert suggestions == sorted(suggestions, key=lambda s: s.start_ms)
    assert all(codebook.code(s.code_id) is not None for s in suggestions)
    assert all(s.score >= MIN_SCORE for s in suggestions)
    for item in suggestions:  # any minute-long window, opening at a suggestion
        window = [s for s in suggestions if 0 <= s.start_ms - item.start_ms < MINUTE_MS]
        assert len(window) <= MAX_PER_MINUTE
    minutes = transcript.span_ms[1] / MINUTE_MS
    assert 2 <= len(suggestions) <= minutes


# --- (a) silence ----------------------------------------------------------------------------


def test_a_long_silence_before_a_hedging_answer_is_suggested(tmp_path):
    found = suggest(tmp_path, [
        ("Th", "What did you feel when she left?"),
        ("Pt", "I don't know.", 4_000),
    ])
    assert [(s.kind, s.code_id) for s in found] == [("silence", "withdrawal.minimal_response")]
    transcript = load_transcript(tmp_path / "session.srt")
    assert found[0].start_ms == transcript.cues[0].end_ms
    assert "4.0 s of silence" in found[0].reason


def test_a_longer_silence_scores_higher(tmp_path):
    def score(gap_ms: int) -> float:
        (found,) = suggest(tmp_path, [("Th", "How was that for you?"), ("Pt", "Not really sure.", gap_ms)])
        return found.score

    assert score(2_600) < score(4_000) < score(6_000)


def test_the_therapist_pausing_before_their_own_turn_is_not_a_patient_silence(tmp_path):
    assert suggest(tmp_path, [
        ("Th", "How was the week?"),
        ("Pt", "Busy, and mostly good. I saw my sister on Sunday and we cooked together."),
        ("Th", "That sounds like a warm afternoon.", 5_000),
        ("Th", "What was it like to be with her?", 4_000),
        ("Pt", "Easy. We laughed a lot, more than we have in years."),
    ]) == []


def test_a_short_gap_is_not_a_silence(tmp_path):
    assert suggest(tmp_path, [("Th", "What comes up?"), ("Pt", "I don't know.", 2_000)]) == []


def test_a_pause_before_a_full_answer_is_not_suggested(tmp_path):
    # The quiet before a memory: ISTDP expects it, and it is no withdrawal.
    assert suggest(tmp_path, [
        ("Th", "Laughed at by whom?"),
        ("Pt", "It's odd. I just had a picture of my dad, in our kitchen at home.", 3_200),
    ]) == []


def test_without_speakers_only_a_silence_after_a_question_is_suggested(tmp_path):
    found = suggest(tmp_path, [
        (None, "And how do you feel about that?"),
        (None, "Not sure.", 3_500),
        (None, "You don't get it, and this isn't helping."),
        (None, "Okay, let us look at the week then.", 3_500),
    ])
    assert [s.kind for s in found] == ["silence"]
    assert "next speaker" in found[0].reason


# --- (b) minimal answers --------------------------------------------------------------------


def test_a_run_of_minimal_answers_is_suggested(tmp_path):
    found = suggest(tmp_path, [
        ("Th", "What did you feel toward him?"),
        ("Pt", "Nothing much."),
        ("Th", "Nothing much."),
        ("Pt", "No."),
        ("Th", "And that evening?"),
        ("Pt", "Fine. I went home."),
    ])
    assert [(s.kind, s.code_id) for s in found] == [("minimal_answers", "withdrawal.minimal_response")]
    assert found[0].start_ms == cue_start(tmp_path, 1)
    assert found[0].cue_indexes == (1, 3, 5)
    assert "3 minimal answers" in found[0].reason


def test_two_minimal_answers_are_not_a_run(tmp_path):
    assert suggest(tmp_path, [
        ("Th", "What did you feel toward him?"),
        ("Pt", "Nothing much."),
        ("Th", "Nothing much."),
        ("Pt", "No."),
        ("Th", "And then?"),
        ("Pt", "Then I drove to my mother's and we talked about the garden for an hour."),
    ]) == []


def test_a_long_answer_starting_with_i_dont_know_is_not_minimal(tmp_path):
    assert suggest(tmp_path, [
        ("Th", "What would it be like if she moved away?"),
        ("Pt", "Hard."),
        ("Th", "Hard?"),
        ("Pt", "I don't know what I'd do without my sister."),
        ("Th", "She matters a great deal to you."),
        ("Pt", "Yes."),
    ]) == []


def test_listening_noises_after_statements_are_not_minimal_answers(tmp_path):
    assert suggest(tmp_path, [
        ("Th", "Let me say a little about how we could work today."),
        ("Pt", "Yeah."),
        ("Th", "We will stay close to one recent moment and look at it slowly."),
        ("Pt", "Right."),
        ("Th", "And whenever something feels too fast, you can say so."),
        ("Pt", "Okay."),
        ("Th", "Good. Where would you like to start?"),
        ("Pt", "With Thursday, I think, the meeting with my boss and how it left me shaking."),
    ]) == []


def test_short_answers_to_closed_questions_are_not_withdrawal(tmp_path):
    assert suggest(tmp_path, [
        ("Th", "Did you sleep this week?"),
        ("Pt", "Mostly, yes."),
        ("Th", "Did you see your sister?"),
        ("Pt", "On Sunday."),
        ("Th", "Was your son there?"),
        ("Pt", "He was."),
    ]) == []


# --- (c) criticism ------------------------------------------------------------------------------


def test_criticism_of_the_therapist_is_suggested_at_its_cue(tmp_path):
    found = suggest(tmp_path, [
        ("Th", "How do you experience this anger in your body?"),
        ("Pt", "That sounds a bit formulaic, doesn't it? Like something out of a textbook."),
    ])
    assert [(s.kind, s.code_id) for s in found] == [("criticism", "confrontation.criticises_therapist")]
    assert found[0].start_ms == cue_start(tmp_path, 1)
    assert '"formulaic", "textbook"' in found[0].reason


@pytest.mark.parametrize(
    ("said", "code_id"),
    [
        ("You don't get it, do you.", "confrontation.criticises_therapist"),
        ("Oh sure, because that always works.", "confrontation.criticises_therapist"),
        ("That's not what I said at all.", "confrontation.rejects_intervention"),
        ("Why do you keep asking me that?", "confrontation.objects_to_tasks"),
        ("Honestly, this isn't helping.", "confrontation.therapy_not_working"),
        ("We keep going round in circles every week.", "confrontation.therapy_not_working"),
    ],
)
def test_each_confrontation_marker_suggests_its_code(tmp_path, said, code_id):
    found = suggest(tmp_path, [("Th", "What do you notice in yourself right now?"), ("Pt", said)])
    assert [s.code_id for s in found] == [code_id]


@pytest.mark.parametrize(
    "said",
    [
        'My boss said my report was "formulaic" and I laughed it off.',
        "It wasn't formulaic at all, it helped me see it.",
        "You always make me feel heard here, and I appreciate that.",
        "My job feels pointless some days, but this work matters to me.",
    ],
)
def test_quoted_negated_and_warm_wording_is_not_criticism(tmp_path, said):
    assert suggest(tmp_path, [("Th", "What comes up as you say that?"), ("Pt", said)]) == []


def test_the_therapist_saying_the_words_or_the_patient_describing_himself_is_no_criticism(tmp_path):
    assert suggest(tmp_path, [
        ("Pt", "I wonder whether I sound formulaic when I talk about my mother."),
        ("Th", "It isn't formulaic; it sounds careful. What do you feel as you say it?"),
        ("Pt", "Sad, and a bit tender toward her."),
    ]) == []


# --- (d) topic shift --------------------------------------------------------------------------


def test_a_topic_shift_after_pressure_toward_feeling_is_suggested(tmp_path):
    found = suggest(tmp_path, [
        ("Th", "How do you feel toward your father, right now?"),
        ("Pt", "Anyway, did I tell you the car broke down on Monday on the ring road?"),
    ])
    assert [(s.kind, s.code_id) for s in found] == [("topic_shift", "withdrawal.storytelling")]
    assert '"anyway"' in found[0].reason


def test_another_persons_story_after_pressure_is_a_topic_shift(tmp_path):
    found = suggest(tmp_path, [
        ("Th", "What is the feeling toward him, as you picture it?"),
        ("Pt", "My neighbour once had a dog that barked all night, and the whole street complained."),
    ])
    assert [s.code_id for s in found] == ["withdrawal.storytelling"]


def test_answering_the_feeling_question_is_not_a_topic_shift(tmp_path):
    assert suggest(tmp_path, [
        ("Th", "How do you feel toward your father, right now?"),
        ("Pt", "Anyway, my father... I feel angry with him, really angry, when I picture it."),
        ("Th", "How was the week?"),
        ("Pt", "By the way, thank you for moving the appointment, that helped a lot."),
    ]) == []


# --- (e) abstract talk ------------------------------------------------------------------------


def test_abstract_talk_after_pressure_is_suggested(tmp_path):
    found = suggest(tmp_path, [
        ("Th", "When you say annoyed, how do you experience that toward him?"),
        ("Pt", (
            "If you think about it, organisations reward visibility. There are studies on that. "
            "Whoever presents gets the credit; it's a structural thing, that's just how it works."
        )),
    ])
    assert [(s.kind, s.code_id) for s in found] == [("abstract_talk", "withdrawal.abstract_talk")]
    assert "invitation to feel" in found[0].reason


def test_one_general_phrase_in_personal_talk_is_not_abstract(tmp_path):
    assert suggest(tmp_path, [
        ("Th", "How have you been?"),
        ("Pt", (
            "In general I've been sleeping better, and I feel I can breathe again when I'm "
            "with my kids in the evening."
        )),
    ]) == []


# --- roles, merging, capping, codebook -------------------------------------------------------


def test_the_speaker_who_asks_most_is_taken_as_therapist(tmp_path):
    turns = [
        ("Anna", "What brings you here today?"),
        ("Ben", "My sleep, and work, and my brother."),
        ("Anna", "Which of those weighs most?"),
        ("Ben", "Hard to say.", 3_000),
    ]
    transcript = load_transcript(write_srt(tmp_path, turns))
    assert find_roles(transcript).therapist == "anna"
    assert [s.kind for s in suggest_moments(transcript)] == ["silence"]
    # Told otherwise, Ben's question-free turns cannot be silences before a patient answer.
    assert suggest_moments(transcript, therapist_id="ben") == []


def test_a_silence_inside_a_run_merges_with_it(tmp_path):
    found = suggest(tmp_path, [
        ("Th", "What do you feel toward him?"),
        ("Pt", "I suppose nothing."),
        ("Th", "Nothing."),
        ("Pt", "Nothing much.", 3_400),
        ("Th", "And that evening?"),
        ("Pt", "Not really."),
    ])
    assert len(found) == 1
    assert found[0].kind == "minimal_answers"
    assert "3 minimal answers" in found[0].reason and "3.4 s of silence" in found[0].reason


def test_no_more_than_two_suggestions_a_minute_and_the_strongest_kept(tmp_path):
    found = suggest(tmp_path, [
        ("Th", "What comes up?"),
        ("Pt", "This is a waste of time."),
        ("Th", "Tell me more?"),
        ("Pt", "You don't get it."),
        ("Th", "What do I miss?"),
        ("Pt", "That sounds formulaic and scripted."),
    ])
    assert len(found) == MAX_PER_MINUTE
    assert {s.code_id for s in found} == {
        "confrontation.criticises_therapist", "confrontation.therapy_not_working"
    }
    assert all("You don't get it" not in s.reason for s in found)


def test_codes_missing_from_the_given_codebook_are_left_out(tmp_path):
    turns = [("Th", "How do you feel?"), ("Pt", "Honestly, this isn't helping.")]
    assert suggest(tmp_path, turns, codebook=load_codebook())
    custom = tmp_path / "mine.toml"
    custom.write_text(
        'id = "mine"\nversion = "1"\nlabel = "Mine"\n[[groups]]\nid = "note"\nkey = "w"\n'
        'label = "Note"\n[[groups.codes]]\nid = "note.any"\nlabel = "Any"\n',
        encoding="utf-8",
    )
    assert suggest(tmp_path, turns, codebook=load_codebook(custom)) == []


def test_a_warm_collaborative_session_gets_no_suggestions(tmp_path):
    assert suggest(tmp_path, [
        ("Th", "Good to see you. How has the week been?"),
        ("Pt", "Better than last week, honestly. I called my sister and we talked for an hour."),
        ("Th", "What was that like?"),
        ("Pt", "Warm. She listened, and I told her I had been scared about the tests."),
        ("Th", "You let her in on the fear."),
        ("Pt", "Yeah."),
        ("Th", "How do you feel toward her, as you tell me this?"),
        ("Pt", "Grateful. I don't know what I'd do without my sister.", 3_000),
        ("Th", "Notice what happens in your body as you say that."),
        ("Pt", "My chest is warm, and my eyes sting a little. It's a good feeling, though."),
        ("Th", "Let's stay with it for a moment."),
        ("Pt", "Okay."),
        ("Th", "What do you notice now?"),
        ("Pt", "I feel sad that we lost so many years, and glad we have this now.", 2_900),
        ("Th", "Both at once."),
        ("Pt", "Both at once. You always make this feel possible, you know."),
        ("Th", "In general, how have you been sleeping?"),
        ("Pt", "Much better. I go to bed earlier and I feel rested in the morning."),
    ]) == []
