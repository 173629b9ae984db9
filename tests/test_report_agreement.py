"""The report's issue-10 parts on the demo with both sample reviews: the Agreement section,
the consensus outcome and episodes, one reviewer's report, and the session details."""

from __future__ import annotations

import datetime
import json

import pytest

from review_tui.analysis.reconcile import KEEP_A, KEEP_BOTH, ReconcilePass
from review_tui.codebook import load_codebook
from review_tui.report import build_report, render_markdown
from review_tui.review_details import DetailsError, read_details, update_details
from review_tui.session import load_session
from review_tui.store import ReviewStore
from tests.test_cli_info import DEMO, assert_one_line_error, run_cli
from tests.test_report import rendered_text, section

DAY = datetime.date(2026, 12, 1)
SRT = DEMO / "formulaic.srt"


@pytest.fixture
def demo(tmp_path):
    """The demo transcript as the session, and a review file with both sample reviews."""
    srt = tmp_path / "formulaic.srt"
    srt.write_bytes(SRT.read_bytes())
    store = ReviewStore.open(
        tmp_path / "formulaic.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    )
    for name in ("sample_review.json", "sample_review_second.json"):
        store.import_review(json.loads((DEMO / name).read_text(encoding="utf-8")), source=name)
    yield store, load_session(srt)
    store.close()


def markdown_of(store, session, **options) -> str:
    return render_markdown(build_report(store, session, date=DAY, **options))


def test_the_agreement_section_has_kappa_counts_and_quoted_disagreements(demo):
    store, session = demo
    agreement = section(markdown_of(store, session), "Agreement between reviewers")
    assert "### Dr. M. Okafor and R. Haddad" in agreement
    # 600/681 worked out in tests/test_cli_agreement.py.
    assert "| All groups | 0.88 | 89% | 14 | 13 | 12 | 1 | 0 |" in agreement
    assert "| Therapist intervention | 0.33 | 50% | 2 | 2 | 1 | 0 | 0 |" in agreement
    assert "#### Disagreements (2)" in agreement
    seen = rendered_text(agreement)
    assert "only Dr. M. Okafor: 02:41.091–02:57.047 Minimal response, rated 3" in seen
    assert "Patient (02:41.091): Nothing much." in seen
    assert "codes differ: Dr. M. Okafor 04:14.229–04:53.477 Clarify a defense" in seen


def test_after_a_reconcile_pass_the_report_shows_before_after_and_one_formulaic_episode(demo):
    store, session = demo
    okafor, haddad = store.reviewers()[:2]
    pass_ = ReconcilePass.open(store, okafor, haddad)
    pass_.decide(KEEP_A)
    pass_.decide(KEEP_BOTH)

    markdown = markdown_of(store, session)

    agreement = rendered_text(section(markdown, "Agreement between reviewers"))
    assert "Consensus: Consensus of Dr. M. Okafor and R. Haddad" in agreement
    assert "Before consensus: kappa 0.88, raw agreement 89%, 14 events" in agreement
    assert "After consensus, Dr. M. Okafor against the consensus: kappa" in agreement
    assert "After consensus, R. Haddad against the consensus: kappa" in agreement
    assert "Disagreements settled: 1 kept the first reviewer's tag; 1 kept both tags" in agreement
    assert "Agreed moments taken as they were: 12" in agreement
    episodes = section(markdown, "Rupture–repair episodes")
    assert "From the consensus coding" in rendered_text(episodes)
    formulaic = [
        part for part in episodes.split("### Episode")[1:] if "Criticises therapist" in part.splitlines()[0]
    ]
    assert len(formulaic) == 1  # not one per rater plus the consensus
    (episode,) = formulaic
    assert "Therapist response:** 03:32.032–03:55.521 Therapist moves against" in episode
    assert "- **Therapist response:** 04:14.229–04:53.477 Clarify a defense" in episode
    assert "- **Therapist response:** 04:14.229–04:53.477 Challenge a defense" in episode
    assert "- **Repair:** 04:07.279 Invites talk about the interaction, degree of resolution 4/5" in episode
    assert "- **Repair:** 07:07.199–07:19.234 Links therapist, current and past people" in episode


def test_a_report_of_one_reviewer_keeps_only_their_tags(demo):
    store, session = demo
    markdown = markdown_of(store, session, only_reviewer="r. haddad")
    assert "- **Tags of:** R. Haddad (rater) only" in markdown
    assert "- **Reviewers:** R. Haddad (rater)" in markdown
    log = section(markdown, "Appendix")
    assert "R. Haddad (rater)" in log and "Okafor" not in log
    assert "## Agreement between reviewers" not in markdown


def test_the_report_command_takes_a_reviewer_and_refuses_an_unknown_one(demo, tmp_path):
    store, _ = demo
    store.close()
    out_file = tmp_path / "haddad.md"
    code, out, err = run_cli(
        "report", str(tmp_path / "formulaic.srt"), "--reviewer", "R. Haddad", "-o", str(out_file)
    )
    assert code == 0, err
    assert "Tags of:** R. Haddad (rater) only" in out_file.read_text(encoding="utf-8")
    code, out, err = run_cli("report", str(tmp_path / "formulaic.srt"), "--reviewer", "Nobody")
    assert_one_line_error(code, out, err, "no reviewer 'Nobody'")


def test_session_details_from_the_cli_reach_the_header_and_focus(demo, tmp_path):
    store, session = demo
    store.close()
    code, out, err = run_cli(
        "details",
        str(tmp_path / "formulaic.srt"),
        "--therapist",
        "T. Rivera",
        "--client",
        "Daniel (pseudonym)",
        "--session-date",
        "2026-11-03",
        "--session-number",
        "7",
        "--supervisor",
        "Dr. M. Okafor",
        "--focus",
        "The sarcasm at 03:26 and my answer",
        "--goal",
        "Meet sarcasm without a debate",
    )
    assert code == 0, err
    assert "Therapist:      T. Rivera" in out and "Session number: 7" in out
    code, out, err = run_cli("details", str(tmp_path / "formulaic.srt"))
    assert code == 0 and "Client:         Daniel (pseudonym)" in out

    with ReviewStore.open(
        tmp_path / "formulaic.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    ) as reopened:
        markdown = markdown_of(reopened, session)
    header = markdown.split("\n## ")[0]
    for row in (
        "- **Therapist:** T. Rivera",
        "- **Supervisor:** Dr. M. Okafor",
        "- **Client:** Daniel (pseudonym)",
        "- **Session date:** 2026-11-03",
        "- **Session number:** 7",
    ):
        assert row in header
    focus = section(markdown, "Focus")
    assert "**Moments to discuss:** The sarcasm at 03:26 and my answer" in focus
    assert "**Learning goal:** Meet sarcasm without a debate" in focus


def test_bad_details_are_one_clear_line_and_change_nothing(demo, tmp_path):
    store, _ = demo
    update_details(store, therapist="T. Rivera")
    store.close()
    code, out, err = run_cli("details", str(tmp_path / "formulaic.srt"), "--session-date", "3 Nov")
    assert_one_line_error(code, out, err, "formulaic.review.sqlite", "session date must be YYYY-MM-DD")
    code, out, err = run_cli("details", str(tmp_path / "formulaic.srt"), "--session-number", "seven")
    assert_one_line_error(code, out, err, "session number must be a whole number")
    with ReviewStore.open(
        tmp_path / "formulaic.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    ) as reopened:
        assert read_details(reopened).therapist == "T. Rivera"


def test_details_are_cleaned_cleared_and_an_old_goal_is_still_read(demo):
    store, session = demo
    store.set_state("focus", "An old learning goal")
    assert read_details(store).goal == "An old learning goal"
    details = update_details(store, therapist="T.\x1b[2J Rivera *x* | y", goal="New goal")
    assert details.therapist == "T. Rivera *x* | y" and details.goal == "New goal"
    assert "- **Therapist:** T. Rivera \\*x\\* \\| y" in markdown_of(store, session)
    assert update_details(store, therapist="").therapist is None
    with pytest.raises(DetailsError, match="session number must be 1 or more"):
        update_details(store, session_number="0")
    store.set_state("session.details", "{not json")
    assert read_details(store).therapist is None  # a damaged value never stops a report


def test_after_a_reconcile_pass_each_key_moment_is_told_once_and_the_tag_log_keeps_every_tag(demo):
    store, session = demo
    okafor, haddad = store.reviewers()[:2]
    pass_ = ReconcilePass.open(store, okafor, haddad)
    pass_.decide(KEEP_A)  # the rupture only Dr. Okafor coded
    pass_.decide(KEEP_BOTH)  # the two codes for one intervention
    assert pass_.current is None
    consensus = [reviewer for reviewer in store.reviewers() if reviewer.name.startswith("Consensus of")]
    assert len(consensus) == 1
    consensus_tags = store.tags(author_id=consensus[0].id)

    markdown = markdown_of(store, session)

    moments = section(markdown, "Key moments")
    assert "From the consensus coding (Consensus of Dr. M. Okafor and R. Haddad)" in rendered_text(moments)
    # One heading per consensus tag: not the two raters' tags and the consensus copy of each.
    assert moments.count("\n### ") == len(consensus_tags) < len(store.tags())
    assert "**Author:** Dr. M. Okafor" not in moments and "**Author:** R. Haddad" not in moments
    appendix = markdown[markdown.index("\n## Appendix\n"):]
    log = appendix[appendix.index("### Tag log"):]
    assert "Dr. M. Okafor" in log and "R. Haddad" in log and "Consensus of" in log
