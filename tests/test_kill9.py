"""A tag is on disk the moment its key is answered: kill -9 the real app straight after and
the review file still holds it."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time

import pytest

from tests import test_e2e_tagging_tmux as e2e
from tests.test_e2e_tagging_tmux import PAUSED, Tmux, app_env, ask, pick_code

pytestmark = pytest.mark.e2e

FORMULAIC_S = "3:26.5"
session_copy = e2e.session_copy  # the fixture: the demo copied into tmp_path


def stored_tags(review) -> list[tuple]:
    with sqlite3.connect(review) as db:
        return db.execute("SELECT code_id, start_ms, rating, note FROM tags ORDER BY id").fetchall()


def kill_hard(term: Tmux) -> None:
    os.kill(term.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not term.ended:
        time.sleep(0.05)
    assert term.ended


def start(session_copy, tmp_path) -> tuple[Tmux, object]:
    review = tmp_path / "killed.review.sqlite"
    command = [
        sys.executable, "-m", "review_tui", "open", str(session_copy),
        "--review", str(review), "--reviewer", "X:supervisor", "--audio", "null",
    ]  # fmt: skip
    term = Tmux(command, app_env(tmp_path))
    term.wait_for(PAUSED)
    ask(term, "g", "Go to time", FORMULAIC_S)
    term.wait_for("03:26 / ")
    return term, review


def test_a_tag_survives_kill_9_right_after_its_digit(session_copy, tmp_path):
    term, review = start(session_copy, tmp_path)
    try:
        pick_code(term, "c", "1")  # the digit has been answered: kill before anything else
        kill_hard(term)
    finally:
        term.close()
    assert stored_tags(review) == [("confrontation.criticises_therapist", 206_500, None, "")]


def test_a_rating_and_note_survive_kill_9_once_entered(session_copy, tmp_path):
    term, review = start(session_copy, tmp_path)
    try:
        pick_code(term, "c", "1")
        term.type("4")
        term.keys("Enter")
        term.type("formulaic")
        term.keys("Enter")
        term.wait_gone("New tag at")
        kill_hard(term)
    finally:
        term.close()
    assert stored_tags(review) == [("confrontation.criticises_therapist", 206_500, 4, "formulaic")]


STAGES = ("tag made", "rating typed", "note typed", "details saved")


def test_kill_9_at_random_moments_of_the_tagging_dialog_never_loses_a_shown_tag(session_copy, tmp_path):
    import random
    import shutil

    seed = int.from_bytes(os.urandom(4), "big")
    chance = random.Random(seed)
    review = tmp_path / "killed.review.sqlite"
    expected: list[tuple] = []
    for round_number in range(3):
        stage = chance.choice(STAGES)
        where = f"seed {seed}, round {round_number}, killed after: {stage}"
        term, _ = start(session_copy, tmp_path)  # opening the killed review again must work
        try:
            assert stored_tags(review) == expected, where
            seconds = 206 + 2 * round_number
            ask(term, "g", "Go to time", f"{seconds // 60}:{seconds % 60:02d}")
            term.wait_for(f"0{seconds // 60}:{seconds % 60:02d} / ")
            pick_code(term, "c", "1")  # the tag is shown: it must survive from here on
            rating, note = None, ""
            if stage != "tag made":
                term.type("3")
                term.keys("Enter")
            if stage in ("note typed", "details saved"):
                term.type(f"round {round_number}")
            if stage == "details saved":
                term.keys("Enter")
                term.wait_gone("New tag at")
                rating, note = 3, f"round {round_number}"
            time.sleep(chance.uniform(0, 0.3))
            kill_hard(term)
        finally:
            term.close()
        expected.append(("confrontation.criticises_therapist", seconds * 1000, rating, note))
        assert stored_tags(review) == expected, where
    carried = tmp_path / "carried"
    carried.mkdir()
    assert stored_tags(shutil.copy(review, carried / review.name)) == expected  # the file alone
