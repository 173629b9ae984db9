"""`review-tui agreement` on the demo with both sample reviews, run as a user runs it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from review_tui import cli
from review_tui.codebook import load_codebook
from review_tui.store import ReviewStore
from tests.test_cli_info import DEMO, assert_one_line_error, run_cli

MEDIA = DEMO / "formulaic.mp4"


def demo_review(tmp_path: Path) -> Path:
    """The review `review-tui demo --sample-review` loads: both sample reviews."""
    review = tmp_path / "formulaic.review.sqlite"
    args = argparse.Namespace(review=review, transcript=None, codebook=None)
    cli.load_sample_review(DEMO, MEDIA, args)
    return review


@pytest.fixture(scope="module")
def review(tmp_path_factory) -> Path:
    return demo_review(tmp_path_factory.mktemp("agreement"))


def test_the_demo_loads_both_sample_reviewers(review):
    with ReviewStore.open(
        review, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook()
    ) as store:
        assert [(r.name, r.role) for r in store.reviewers()] == [
            ("Dr. M. Okafor", "supervisor"),
            ("R. Haddad", "rater"),
        ]
        assert len(store.tags(author_id=2)) == 13


def test_agreement_on_the_demo_shows_kappa_and_the_two_disagreements(review):
    code, out, err = run_cli("agreement", str(MEDIA), "--review", str(review))
    assert code == 0, err
    assert "Agreement between Dr. M. Okafor (supervisor) and R. Haddad (rater)" in out
    # Compared: the supervisor's 14 tags outside supervision notes, the rater's 13. Matched
    # 13 pairs (12 with the same code), one missed rupture: N = 2*13 + 1 = 27, p_o = 24/27.
    # Twelve codes with R_i = C_i = 2, P = 26, R' = 27, C' = 26: p_e = 12*4*26/(27*26)/27
    # = 48/729, kappa = (648/729 - 48/729)/(681/729) = 600/681 = 0.88.
    all_row = next(line for line in out.splitlines() if line.startswith("All groups"))
    assert all_row.split() == ["All", "groups", "0.88", "0.88", "89%", "14", "13", "12", "1", "0"]
    # Interventions: [[2,0,0,0],[0,0,2,0],[0,0,0,0],[0,0,0,0]]: p_o = 1/2, p_e = 1/4, kappa 1/3.
    intervention = next(line for line in out.splitlines() if line.startswith("Therapist intervention"))
    assert intervention.split()[2:5] == ["0.33", "0.33", "50%"]
    assert "Disagreements: 2" in out
    assert "02:41.091  Withdrawal rupture: only Dr. M. Okafor: Minimal response" in out
    assert "codes differ: Dr. M. Okafor Clarify a defense" in out and "R. Haddad Challenge a defense" in out
    assert "> Patient: Nothing much." in out
    assert "Left out (comments, not codes): Supervision note" in out


def test_agreement_as_json_has_the_numbers_and_the_shifted_rupture_matched(review):
    code, out, err = run_cli("agreement", str(MEDIA), "--review", str(review), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["overall"]["kappa"] == pytest.approx(600 / 681)
    assert data["overall"]["raw_agreement"] == pytest.approx(24 / 27)
    assert [item["kind"] for item in data["disagreements"]] == ["only_a", "code"]
    assert data["disagreements"][1]["a"]["code"] == "intervention.clarify_defense"
    assert data["disagreements"][1]["b"]["code"] == "intervention.challenge_defense"
    # The rater marked the rupture 1.4 s late; it matched, so it is no disagreement.
    confrontation = next(group for group in data["groups"] if group["scope"] == "confrontation")
    assert (confrontation["pairs"], confrontation["agreed"]) == (1, 1)
    assert data["ratings"]["pairs"] == 7 and 0 < data["ratings"]["icc"] < 1


def test_reviewers_can_be_named_in_either_order_and_any_case(review):
    code, out, err = run_cli(
        "agreement", str(MEDIA), "--review", str(review), "--between", "r. haddad", "--and", "dr. m. okafor"
    )
    assert code == 0, err
    assert "Agreement between R. Haddad (rater) and Dr. M. Okafor (supervisor)" in out
    assert "02:41.091  Withdrawal rupture: only Dr. M. Okafor" in out


def test_an_unknown_reviewer_is_one_clear_line(review):
    code, out, err = run_cli(
        "agreement", str(MEDIA), "--review", str(review), "--between", "Nobody", "--and", "R. Haddad"
    )
    assert_one_line_error(code, out, err, "no reviewer 'Nobody'", "Dr. M. Okafor, R. Haddad")


def test_a_bad_tolerance_is_one_clear_line(review):
    code, out, err = run_cli("agreement", str(MEDIA), "--review", str(review), "--tolerance", "soon")
    assert_one_line_error(code, out, err, "--tolerance 'soon'")


def test_fewer_than_two_reviewers_is_one_clear_line(tmp_path):
    review = tmp_path / "one.review.sqlite"
    with ReviewStore.open(
        review, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook()
    ) as store:
        store.import_review(json.loads((DEMO / "sample_review.json").read_text(encoding="utf-8")))
    code, out, err = run_cli("agreement", str(MEDIA), "--review", str(review))
    assert_one_line_error(code, out, err, "fewer than two reviewers", "Dr. M. Okafor")


def test_no_review_yet_is_one_clear_line(tmp_path):
    code, out, err = run_cli("agreement", str(MEDIA), "--review", str(tmp_path / "none.sqlite"))
    assert_one_line_error(code, out, err, "no review yet")


def test_names_and_notes_from_the_file_cannot_drive_the_terminal(tmp_path):
    review = tmp_path / "odd.review.sqlite"
    with ReviewStore.open(
        review, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook()
    ) as store:
        first = store.reviewer("Eve\x1b]0;owned\x07 Smith", "rater")
        second = store.reviewer("Bob\x9b2J", "rater")
        store.add_tag(
            start_ms=1000, end_ms=None, code_id="intervention.question", note="a\x1b[2Jb", author=first
        )
        store.add_tag(start_ms=1000, end_ms=None, code_id="intervention.empathy", author=second)
    code, out, err = run_cli("agreement", str(MEDIA), "--review", str(review), "--json")
    assert code == 0, err
    assert "\x1b" not in out and "\\u001b" not in out and "\x9b" not in out and "\\u009b" not in out
    data = json.loads(out)
    assert data["a"]["name"] == "Eve Smith" and data["disagreements"][0]["a"]["note"] == "ab"
    code, out, err = run_cli("agreement", str(MEDIA), "--review", str(review))
    assert code == 0 and "\x1b" not in out and "\x9b" not in out and "Eve Smith" in out


def test_supervision_notes_alone_do_not_make_a_second_coder(tmp_path):
    review = tmp_path / "notes.review.sqlite"
    with ReviewStore.open(
        review, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook()
    ) as store:
        store.import_review(json.loads((DEMO / "sample_review.json").read_text(encoding="utf-8")))
        therapist = store.reviewer("Sam Lee", "therapist")
        store.add_tag(start_ms=1000, end_ms=None, code_id="supervision.discussion_question", author=therapist)
    code, out, err = run_cli("agreement", str(MEDIA), "--review", str(review))
    assert_one_line_error(code, out, err, "fewer than two reviewers have coded", "(Dr. M. Okafor)")


def test_three_coders_must_be_narrowed_to_two(tmp_path):
    review = demo_review(tmp_path)
    with ReviewStore.open(
        review, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook()
    ) as store:
        third = store.reviewer("K. Ito", "rater")
        store.add_tag(
            start_ms=206_451, end_ms=None, code_id="confrontation.criticises_therapist", author=third
        )
    code, out, err = run_cli("agreement", str(MEDIA), "--review", str(review))
    assert_one_line_error(code, out, err, "3 reviewers tagged", "choose two with --between A --and B")
    code, out, err = run_cli(
        "agreement", str(MEDIA), "--review", str(review), "--between", "K. Ito", "--and", "R. Haddad"
    )
    assert code == 0, err
    assert "Agreement between K. Ito (rater) and R. Haddad (rater)" in out
