"""The reconcile pass on a real review file holding the demo's two sample reviews."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review_tui.analysis.episodes import build_episodes
from review_tui.analysis.reconcile import (
    DROP,
    KEEP_A,
    KEEP_B,
    KEEP_BOTH,
    NEW_CODE,
    ReconcileError,
    ReconcilePass,
    consensus_reviewers,
    outcomes,
)
from review_tui.analysis.reviewers import choose_pair
from review_tui.codebook import load_codebook
from review_tui.store import ReviewStore

DEMO = Path(__file__).resolve().parents[1] / "examples" / "formulaic"
CODEBOOK = load_codebook()


def open_store(path: Path) -> ReviewStore:
    return ReviewStore.open(path, media_fingerprint=None, transcript_fingerprint=None, codebook=CODEBOOK)


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "formulaic.review.sqlite")
    for name in ("sample_review.json", "sample_review_second.json"):
        store.import_review(json.loads((DEMO / name).read_text(encoding="utf-8")), source=name)
    yield store
    store.close()


def raters(store):
    okafor, haddad = store.reviewers()[:2]
    return okafor, haddad


def snapshot(store, reviewer):
    return [
        (t.id, t.start_ms, t.end_ms, t.code_id, t.rating, t.note) for t in store.tags(author_id=reviewer.id)
    ]


def test_opening_keeps_kappa_before_and_copies_the_agreed_pairs(store):
    okafor, haddad = raters(store)
    before = snapshot(store, okafor), snapshot(store, haddad)

    pass_ = ReconcilePass.open(store, okafor, haddad)

    assert (pass_.consensus.name, pass_.consensus.role) == (
        "Consensus of Dr. M. Okafor and R. Haddad",
        "rater",
    )
    assert consensus_reviewers(store) == {pass_.consensus.id: (okafor.id, haddad.id)}
    assert [item.kind for item in pass_.items] == ["only_a", "code"]
    assert pass_.position == 0 and pass_.current.a.code_id == "withdrawal.minimal_response"
    assert pass_.kappa_before["kappa"] == pytest.approx(600 / 681)
    copied = store.tags(author_id=pass_.consensus.id)
    assert len(copied) == 12  # the 13 pairs less the one whose codes differ
    assert (snapshot(store, okafor), snapshot(store, haddad)) == before
    # Agreement still finds the two raters, not the consensus, when none are named.
    assert [r.id for r in choose_pair(store, None, None)] == [okafor.id, haddad.id]


def test_deciding_every_item_writes_consensus_tags_and_kappa_after(store):
    okafor, haddad = raters(store)
    pass_ = ReconcilePass.open(store, okafor, haddad)

    (kept,) = pass_.decide(KEEP_A, note="We both hear the run of minimal answers now.")
    assert kept.code_id == "withdrawal.minimal_response" and kept.author_id == pass_.consensus.id
    assert kept.note.endswith("We both hear the run of minimal answers now.")
    both = pass_.decide(KEEP_BOTH)

    assert pass_.done and pass_.current is None and pass_.position == 2
    assert [tag.code_id for tag in both] == ["intervention.clarify_defense", "intervention.challenge_defense"]
    after = pass_.kappa_after
    # The consensus took the supervisor's spans and codes, plus the rater's challenge: against
    # the supervisor 14 pairs agree and the challenge is unmatched (N = 29, p_o = 28/29).
    assert after["Dr. M. Okafor"]["pairs"] == 14 and after["Dr. M. Okafor"]["agreed"] == 14
    assert after["R. Haddad"]["pairs"] == 13 and after["R. Haddad"]["agreed"] == 13
    assert pass_.kappa_before["kappa"] == pytest.approx(600 / 681)
    (outcome,) = outcomes(store)
    assert outcome.decided == {KEEP_A: 1, KEEP_BOTH: 1} and outcome.agreed_copied == 12
    assert outcome.kappa_after == after


def test_the_consensus_keeps_the_formulaic_episode_through_to_the_insight(store):
    okafor, haddad = raters(store)
    pass_ = ReconcilePass.open(store, okafor, haddad)
    pass_.decide(KEEP_A)
    pass_.decide(KEEP_A)

    tags = store.tags(author_id=pass_.consensus.id)
    episodes = build_episodes(tags, store.links(), store.codebook)

    formulaic = next(e for e in episodes if e.rupture.code_id == "confrontation.criticises_therapist")
    assert [t.code_id for t in formulaic.responses] == [
        "intervention.moves_against",
        "intervention.clarify_defense",
    ]
    assert [t.code_id for t in formulaic.repairs] == [
        "repair.invites_talk_about_interaction",
        "repair.links_session_pattern",
        "alliance.links_people",
        "alliance.sees_defense_cost",
    ]


def test_the_pass_resumes_where_it_stopped_after_closing_the_file(store, tmp_path):
    okafor, haddad = raters(store)
    ReconcilePass.open(store, okafor, haddad).decide(DROP)
    count = len(store.tags())
    store.close()

    with open_store(tmp_path / "formulaic.review.sqlite") as again:
        resumed = ReconcilePass.open(again, *raters(again))
        assert resumed.position == 1 and resumed.current.kind == "code"
        assert len(again.tags()) == count  # nothing copied twice
        assert [d.decision for d in resumed.decisions] == [DROP]


def test_undo_takes_back_one_decision_at_a_time(store):
    okafor, haddad = raters(store)
    pass_ = ReconcilePass.open(store, okafor, haddad)
    start = len(store.tags())
    pass_.decide(KEEP_A)
    (new,) = pass_.decide(
        NEW_CODE, code_id="intervention.transference_resistance", note="Neither: it is the transference"
    )
    assert new.code_id == "intervention.transference_resistance" and pass_.done

    assert pass_.undo() and store.tag(new.id) is None and pass_.position == 1
    assert pass_.kappa_after == {}
    assert pass_.undo() and pass_.position == 0 and len(store.tags()) == start
    assert not pass_.undo()


def test_undo_leaves_an_edit_made_after_the_decision(store):
    okafor, haddad = raters(store)
    pass_ = ReconcilePass.open(store, okafor, haddad)
    (kept,) = pass_.decide(KEEP_A)
    other = store.add_tag(start_ms=5000, end_ms=None, code_id="intervention.question", author=okafor)

    assert pass_.undo()

    assert store.tag(kept.id) is None and store.tag(other.id) is not None


def test_impossible_decisions_are_refused_with_a_clear_message(store):
    okafor, haddad = raters(store)
    pass_ = ReconcilePass.open(store, okafor, haddad)
    with pytest.raises(ReconcileError, match="R. Haddad has no tag here"):
        pass_.decide(KEEP_B)
    with pytest.raises(ReconcileError, match="unknown decision 'maybe'"):
        pass_.decide("maybe")
    with pytest.raises(ReconcileError, match="a new code needs the code"):
        pass_.decide(NEW_CODE)
    pass_.decide(DROP)
    pass_.decide(KEEP_B)
    with pytest.raises(ReconcileError, match="every disagreement is settled"):
        pass_.decide(KEEP_A)


def test_a_damaged_saved_pass_is_one_clear_error(store):
    okafor, haddad = raters(store)
    ReconcilePass.open(store, okafor, haddad)
    store.set_state(f"reconcile:{okafor.id}:{haddad.id}", '{"a": 1}')
    with pytest.raises(ReconcileError, match=r"formulaic.review.sqlite: the saved reconcile pass is damaged"):
        ReconcilePass.open(store, okafor, haddad)
