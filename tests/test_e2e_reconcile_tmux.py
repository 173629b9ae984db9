"""Two reviewers in a real terminal (tmux, 160x48), keys alone, on the demo with both sample
reviews: the rater sees only their own tags and is told so; `review-tui agreement` lists
the disagreements; R steps through them and settles each with one key; `review-tui report`
then shows kappa before and after consensus, the consensus tags, and the "formulaic" rupture
through its repair to the later insight as one episode."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_e2e_tagging_tmux import DEMO, ROOT, Tmux, all_of, app_env, missing_piece

pytestmark = pytest.mark.e2e

RATER = "R. Haddad:rater"


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "review_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env={**os.environ, **app_env(tmp_path)},
    )


@pytest.fixture
def review(tmp_path) -> Path:
    reason = missing_piece()
    if reason:
        pytest.skip(reason)
    return tmp_path / "formulaic.review.sqlite"  # the demo's recording, a review of our own


def test_a_rater_codes_blind_then_the_pair_reconciles_by_single_keys(review, tmp_path):
    media = str(DEMO / "formulaic.mp4")
    demo = [sys.executable, "-m", "review_tui", "demo", "--sample-review", "--review", str(review), "--reviewer", RATER]
    term = Tmux(demo, app_env(tmp_path))
    try:
        screen = term.wait_for("BLIND · only R. Haddad's tags")
        screen = term.wait_for("Tags 13")  # the rater's 13, not the supervisor's too
        assert "Okafor" not in screen
        term.keys("q")
        term.wait_ended()
    finally:
        term.close()

    agreement = run_cli(tmp_path, "agreement", media, "--review", str(review))
    assert agreement.returncode == 0, agreement.stderr
    assert "Disagreements: 2" in agreement.stdout

    term = Tmux(demo, app_env(tmp_path))
    try:
        term.wait_for("BLIND")
        term.keys("R")
        # The dialog's title can be on screen a capture before its sides are (seen under a
        # loaded CI), so the wait is for all of it.
        screen = term.wait_for(all_of("1 of 2", "only Dr. M. Okafor tagged this", "no tag here"))
        assert re.search(r"Paused\s+02:41\.091 / ", screen)  # seeked to the moment
        term.keys("a")  # keep the supervisor's withdrawal
        term.wait_for(all_of("2 of 2", "Clarify a defense", "Challenge a defense"))
        term.keys("b")  # keep the rater's code
        term.wait_for("Every disagreement settled")
        term.keys("Escape")
        term.keys("q")
        term.wait_ended()
    finally:
        term.close()

    out = tmp_path / "report.md"
    report = run_cli(tmp_path, "report", media, "--review", str(review), "-o", str(out))
    assert report.returncode == 0, report.stderr
    text = out.read_text(encoding="utf-8")
    assert "Consensus of Dr. M. Okafor and R. Haddad" in text
    assert "**Before consensus:** kappa 0.88" in text
    after = re.findall(r"\*\*After consensus, (.+?) against the consensus:\*\* kappa (\d\.\d\d)", text)
    assert {name for name, _ in after} == {"Dr. M. Okafor", "R. Haddad"}
    assert all(float(kappa) > 0.88 for _, kappa in after)  # each rater now nearer the consensus
    assert "1 kept the first reviewer's tag; 1 kept the second reviewer's tag" in text
    # The episodes come from the consensus coding: the "formulaic" rupture, the repair and
    # the insight four minutes later are one episode.
    episodes = text.split("## Rupture–repair episodes", 1)[1].split("\n## ", 1)[0]
    assert "From the consensus coding" in episodes
    formulaic = [part for part in episodes.split("### Episode ") if "formulaic" in part]
    assert len(formulaic) == 1
    assert "Invites talk about the interaction" in formulaic[0]
    assert "Links therapist, current and past people" in formulaic[0]
