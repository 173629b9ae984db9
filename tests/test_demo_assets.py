"""The bundled demo session as shipped: its transcript, recording and sample review agree
with each other and with the rest of the app (no re-synthesis: the files are read as they are)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pysrt
import pytest

from review_tui.codebook import load_codebook
from review_tui.media.probe import probe
from review_tui.model import parse_time
from review_tui.store import ReviewStore
from review_tui.transcript.loader import load_transcript

DEMO = Path(__file__).resolve().parents[1] / "examples" / "formulaic"
SRT = DEMO / "formulaic.srt"
MP4 = DEMO / "formulaic.mp4"
REVIEW = DEMO / "sample_review.json"
LABEL = re.compile(r"^(Th|Pt): ")
CRITICISES = "confrontation.criticises_therapist"


@pytest.fixture(scope="module")
def cues() -> list[pysrt.SubRipItem]:
    return list(pysrt.open(str(SRT), encoding="utf-8", error_handling=pysrt.ERROR_RAISE))


@pytest.fixture(scope="module")
def review() -> dict:
    return json.loads(REVIEW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def media():
    return probe(MP4)


def _speaker(cue: pysrt.SubRipItem) -> str:
    return cue.text[:2]


def _words(cue: pysrt.SubRipItem) -> list[str]:
    return re.sub(r"\[[^\]]*\]", "", LABEL.sub("", cue.text)).split()


def _formulaic_cue(cues: list[pysrt.SubRipItem]) -> pysrt.SubRipItem:
    return next(c for c in cues if _speaker(c) == "Pt" and "formulaic" in c.text)


def test_every_cue_is_labelled_and_both_speakers_talk(cues):
    assert all(LABEL.match(cue.text) for cue in cues)
    assert {_speaker(cue) for cue in cues} == {"Th", "Pt"}
    assert any("formulaic" in cue.text for cue in cues)


def test_cues_fit_two_short_lines(cues):
    for cue in cues:
        lines = cue.text.split("\n")
        assert len(lines) <= 2 and len(cue.text) <= 85, cue.text


def test_cue_times_increase_without_overlap(cues):
    previous_end = 0
    for cue in cues:
        assert previous_end <= cue.start.ordinal < cue.end.ordinal, cue.index
        previous_end = cue.end.ordinal


def test_session_length_and_where_the_rupture_falls(cues):
    assert 7 * 60_000 <= cues[-1].end.ordinal <= 9 * 60_000
    assert 3 * 60_000 <= _formulaic_cue(cues).start.ordinal <= 4 * 60_000


def test_script_has_long_silences_after_questions_and_runs_of_minimal_answers(cues):
    silences = [
        after.start.ordinal - before.end.ordinal
        for before, after in itertools.pairwise(cues)
        if _speaker(before) == "Th" and before.text.rstrip().endswith("?")
    ]
    assert sum(2000 <= gap <= 4000 for gap in silences) >= 4
    minimal = [cue for cue in cues if _speaker(cue) == "Pt" and len(_words(cue)) <= 3]
    assert len(minimal) >= 4


def test_transcript_loads_cleanly_with_therapist_and_patient(cues):
    transcript = load_transcript(SRT)
    assert transcript.warnings == []
    assert len(transcript.cues) == len(cues)
    assert {cue.speaker for cue in transcript.cues} == {"therapist", "patient"}
    assert {speaker.role for speaker in transcript.speakers.values()} == {"therapist", "patient"}


def test_recording_matches_the_transcript_and_stays_small(cues, media):
    last_end = cues[-1].end.ordinal
    assert 0 <= media.duration_ms - last_end <= 1500
    assert media.video is not None and media.video.display_size == (640, 360)
    assert round(media.video.fps) == 25
    assert media.audio is not None and media.audio.channels == 1
    assert MP4.stat().st_size <= 12 * 1024 * 1024


def test_sample_review_tags_sit_on_cue_times_inside_the_session(cues, review):
    starts = {cue.start.ordinal for cue in cues}
    ends = {cue.end.ordinal for cue in cues}
    assert 10 <= len(review["tags"]) <= 18
    for tag in review["tags"]:
        start = parse_time(tag["start"])
        assert start in starts, tag
        if tag["end"] is not None:
            assert parse_time(tag["end"]) in ends and parse_time(tag["end"]) > start, tag


def test_formulaic_tag_is_on_the_formulaic_cue(cues, review):
    rupture = next(tag for tag in review["tags"] if tag["code"] == CRITICISES)
    assert parse_time(rupture["start"]) == _formulaic_cue(cues).start.ordinal
    assert rupture["rating"] == 4 and rupture["note"]


def test_rupture_links_to_a_response_and_a_repair(review):
    rupture_index = next(i for i, tag in enumerate(review["tags"]) if tag["code"] == CRITICISES)
    kinds = {link["kind"] for link in review["links"] if link["rupture"] == rupture_index}
    assert kinds == {"response", "repair"}
    rupture_start = parse_time(review["tags"][rupture_index]["start"])
    for link in review["links"]:
        assert parse_time(review["tags"][link["tag"]]["start"]) > rupture_start


def test_sample_review_imports_with_the_default_codebook(tmp_path, review):
    with ReviewStore.open(
        tmp_path / "demo.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    ) as store:
        store.import_review(review, source=REVIEW.name)
        assert len(store.tags()) == len(review["tags"])
        assert len(store.links()) == len(review["links"])
        assert [reviewer.name for reviewer in store.reviewers()] == ["Dr. M. Okafor"]
