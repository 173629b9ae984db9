"""Agreement between two reviewers, checked against kappas worked out by hand.

Tables are written rows = reviewer A, columns = reviewer B, "nothing" last; a matched pair
counts 2 (ELAN's doubling), an unmatched tag 1.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review_tui.analysis.agreement import (
    NOTHING,
    compute_agreement,
    fitted_diagonal,
    icc_absolute,
    match_tags,
    modified_kappa,
)
from review_tui.codebook import load_codebook
from review_tui.model import Cue, Reviewer, Speaker, Tag, Transcript

CODEBOOK = load_codebook()
A = Reviewer(1, "Dr. M. Okafor", "supervisor")
B = Reviewer(2, "R. Haddad", "rater")
QUESTION, EMPATHY = "intervention.question", "intervention.empathy"
_ids = itertools.count(1)


def tag(author: Reviewer, code_id: str, start_s: float, end_s: float | None = None, rating=None) -> Tag:
    return Tag(
        id=next(_ids),
        start_ms=round(start_s * 1000),
        end_ms=None if end_s is None else round(end_s * 1000),
        code_id=code_id,
        rating=rating,
        note="",
        author_id=author.id,
        created_at="2026-01-01T00:00:00.000Z",
        updated_at="2026-01-01T00:00:00.000Z",
    )


def agree(tags_a, tags_b, **options):
    return compute_agreement(tags_a, tags_b, a=A, b=B, codebook=CODEBOOK, **options)


def test_perfect_agreement_is_kappa_one():
    tags_a = [tag(A, QUESTION, 10), tag(A, QUESTION, 50), tag(A, EMPATHY, 90)]
    tags_b = [tag(B, QUESTION, 10), tag(B, QUESTION, 50), tag(B, EMPATHY, 90)]
    result = agree(tags_a, tags_b)
    table = result.overall
    # [[4, 0, 0], [0, 2, 0], [0, 0, 0]]: p_o = 6/6. Fitted diagonal R_i*C_i*P/(R'*C') with
    # P = 6, R' = C' = 6: 4*4*6/36 + 2*2*6/36 = 20/6, so p_e = 20/36 and kappa = 1.
    assert table.labels == (QUESTION, EMPATHY, NOTHING)
    assert table.counts == ((4, 0, 0), (0, 2, 0), (0, 0, 0))
    assert table.kappa == pytest.approx(1.0)
    assert table.raw_agreement == 1.0
    assert (table.events, table.pairs, table.agreed) == (3, 3, 3)
    assert result.disagreements == ()


def test_chance_agreement_is_kappa_zero():
    # Four matched pairs: question/question, question/empathy, empathy/question, empathy/empathy.
    codes = [(QUESTION, QUESTION), (QUESTION, EMPATHY), (EMPATHY, QUESTION), (EMPATHY, EMPATHY)]
    tags_a = [tag(A, code_a, 60 * n) for n, (code_a, _) in enumerate(codes)]
    tags_b = [tag(B, code_b, 60 * n) for n, (_, code_b) in enumerate(codes)]
    table = agree(tags_a, tags_b).overall
    # [[2, 2, 0], [2, 2, 0], [0, 0, 0]]: p_o = 4/8; p_e = (4*4*8/64 + 4*4*8/64)/8 = 1/2.
    assert table.counts == ((2, 2, 0), (2, 2, 0), (0, 0, 0))
    assert table.raw_agreement == 0.5
    assert table.kappa == pytest.approx(0.0)


def test_no_agreement_beyond_chance_is_negative():
    tags_a = [tag(A, QUESTION, 10), tag(A, EMPATHY, 70)]
    tags_b = [tag(B, EMPATHY, 10), tag(B, QUESTION, 70)]
    result = agree(tags_a, tags_b)
    # [[0, 2, 0], [2, 0, 0], [0, 0, 0]]: p_o = 0, p_e = (2*2*4/16 + 2*2*4/16)/4 = 1/2,
    # kappa = (0 - 1/2)/(1 - 1/2) = -1 (ELAN would print it as "0").
    assert result.overall.kappa == pytest.approx(-1.0)
    assert [item.kind for item in result.disagreements] == ["code", "code"]


def test_unmatched_tags_count_against_nothing():
    tags_a = [tag(A, QUESTION, 10), tag(A, EMPATHY, 60), tag(A, QUESTION, 120)]
    tags_b = [tag(B, QUESTION, 11), tag(B, EMPATHY, 60.5), tag(B, QUESTION, 200)]
    result = agree(tags_a, tags_b)
    table = result.overall
    # [[2, 0, 1], [0, 2, 0], [1, 0, 0]]; N = 6, R = C = (3, 2, 1), P = 6 - 1 - 1 = 4, R' = C' = 5.
    # Fitted diagonal: 3*3*4/25 + 2*2*4/25 = 52/25, p_e = 52/150 = 26/75, p_o = 4/6 = 50/75,
    # kappa = (50/75 - 26/75) / (49/75) = 24/49.
    assert table.counts == ((2, 0, 1), (0, 2, 0), (1, 0, 0))
    assert table.kappa == pytest.approx(24 / 49)
    assert table.raw_agreement == pytest.approx(4 / 6)
    assert (table.events, table.only_a, table.only_b) == (4, 1, 1)
    # kappa_max: sum of min(R_i, C_i) over codes = 5, (5/6 - 26/75)/(49/75) = 73/98.
    assert table.kappa_max == pytest.approx(73 / 98)
    assert table.kappa_matched == pytest.approx(1.0)
    assert [(item.kind, item.start_ms) for item in result.disagreements] == [
        ("only_a", 120_000),
        ("only_b", 200_000),
    ]


def _elan_ipf_diagonal(counts, rounds=20):
    """ELAN's IPFUtil, written out independently: seed of ones, 0.001 for the zero cell."""
    size = len(counts)
    rows = [sum(row) or 0.001 for row in counts]
    cols = [sum(counts[i][j] for i in range(size)) or 0.001 for j in range(size)]
    table = [[0.001 if i == j == size - 1 else 1.0 for j in range(size)] for i in range(size)]
    for _ in range(rounds):
        for i in range(size):
            total = sum(table[i])
            table[i] = [cell / total * rows[i] for cell in table[i]]
        for j in range(size):
            total = sum(table[i][j] for i in range(size))
            for i in range(size):
                table[i][j] = table[i][j] / total * cols[j]
    return [table[i][i] for i in range(size - 1)]


def test_the_exact_fit_is_what_elans_fitting_rounds_approach():
    counts = [[6, 1, 0, 2], [2, 4, 1, 1], [0, 1, 2, 3], [1, 2, 2, 0]]
    rows = [sum(row) for row in counts]
    cols = [sum(column) for column in zip(*counts, strict=True)]
    assert fitted_diagonal(rows, cols) == pytest.approx(_elan_ipf_diagonal(counts), abs=2e-3)


def test_no_tags_at_all_gives_no_kappa():
    result = agree([], [])
    assert result.overall.kappa is None and result.overall.raw_agreement is None
    assert result.overall.events == 0 and result.groups == () and result.disagreements == ()
    assert result.ratings.icc is None


def test_one_reviewer_only_agrees_with_nothing():
    tags_a = [tag(A, QUESTION, 10), tag(A, "repair.changes_task", 20)]
    result = agree(tags_a, [])
    # Each group is [[0, 1], [0, 0]]: P = 0, so p_e = 0 = p_o and kappa = 0.
    assert result.overall.kappa == 0.0 and result.overall.raw_agreement == 0.0
    assert [item.kind for item in result.disagreements] == ["only_a", "only_a"]
    assert [table.scope for table in result.groups] == ["repair", "intervention"]


def test_tags_at_the_very_start_and_end_and_the_tolerance_edge():
    end = 479_999 / 1000
    tags_a = [tag(A, QUESTION, 0), tag(A, EMPATHY, end), tag(A, "repair.changes_task", 100)]
    tags_b = [
        tag(B, QUESTION, 1.5),  # 1.5 s after the very first moment
        tag(B, EMPATHY, end - 2, end),  # a range that ends on the last millisecond
        tag(B, "repair.changes_task", 102.001),  # 2.001 s on: outside the tolerance
    ]
    result = agree(tags_a, tags_b)
    assert [(pair.a.start_ms, pair.b.start_ms) for pair in result.pairs] == [(0, 1500), (479_999, 477_999)]
    assert [item.kind for item in result.disagreements] == ["only_a", "only_b"]
    wider = agree(tags_a, tags_b, tolerance_ms=2001)
    assert len(wider.pairs) == 3 and wider.disagreements == ()


def test_pairs_are_taken_closest_first_and_only_within_a_group():
    tags_a = [tag(A, QUESTION, 10), tag(A, "repair.changes_task", 30)]
    near, far = tag(B, QUESTION, 10.5), tag(B, QUESTION, 11.9)
    other_group = tag(B, "alliance.takes_lead", 30)
    pairs, only_a, only_b = match_tags(tags_a, [far, near, other_group], CODEBOOK)
    assert [(pair.a.id, pair.b.id) for pair in pairs] == [(tags_a[0].id, near.id)]
    assert only_a == [tags_a[1]] and only_b == [far, other_group]


def test_overlapping_ranges_match_whatever_the_gap_between_their_starts():
    range_a = tag(A, "phase.pressure", 98, 202)
    range_b = tag(B, "phase.pressure", 110, 190)
    pairs, only_a, only_b = match_tags([range_a], [range_b], CODEBOOK)
    assert len(pairs) == 1 and only_a == only_b == []


def test_groups_get_their_own_kappa_and_supervision_notes_are_left_out():
    tags_a = [tag(A, QUESTION, 10), tag(A, "repair.changes_task", 20), tag(A, "supervision.strength", 30)]
    tags_b = [tag(B, QUESTION, 10), tag(B, "repair.explains_rationale", 20)]
    result = agree(tags_a, tags_b)
    assert result.left_out == ("supervision",)
    by_scope = {table.scope: table for table in result.groups}
    assert set(by_scope) == {"intervention", "repair"}
    assert by_scope["intervention"].counts == ((2, 0), (0, 0))
    # One code used by both and matched: chance agreement is 1, so kappa cannot be computed.
    assert by_scope["intervention"].kappa is None and by_scope["intervention"].raw_agreement == 1.0
    assert by_scope["repair"].agreed == 0 and by_scope["repair"].raw_agreement == 0.0
    assert [item.kind for item in result.disagreements] == ["code"]


def test_ratings_agreement_is_icc_and_big_rating_gaps_are_listed():
    rupture = "confrontation.criticises_therapist"
    tags_a = [tag(A, rupture, 10, rating=4), tag(A, rupture, 100, rating=3), tag(A, rupture, 200, rating=2)]
    tags_b = [tag(B, rupture, 10, rating=3), tag(B, rupture, 100, rating=3), tag(B, rupture, 200, rating=1)]
    result = agree(tags_a, tags_b)
    # (4,3), (3,3), (2,1): grand mean 8/3; SS subjects 13/3, SS raters 2/3, SS total 16/3,
    # SS error 1/3; MS 13/6, 2/3, 1/6; ICC = (13/6 - 1/6) / (13/6 + 1/6 + 2*(2/3 - 1/6)/3) = 3/4.
    assert result.ratings.pairs == 3
    assert result.ratings.icc == pytest.approx(0.75)
    assert result.disagreements == ()  # the ratings differ by 1 at most
    apart = agree([tag(A, rupture, 10, rating=5)], [tag(B, rupture, 10.4, rating=3)])
    assert [item.kind for item in apart.disagreements] == ["rating"]


def test_icc_needs_two_pairs_and_some_variance():
    assert icc_absolute([(3, 4)]) is None
    assert icc_absolute([(3, 3), (3, 3)]) is None
    assert icc_absolute([(1, 1), (5, 5)]) == pytest.approx(1.0)


def test_disagreements_come_in_time_order_with_the_transcript_quote():
    transcript = Transcript(
        source=None,
        format="srt",
        encoding="utf-8",
        cues=[
            Cue(0, 205_000, 209_000, "That sounds a bit formulaic.", "patient"),
            Cue(1, 209_500, 212_000, "Like something out of a textbook.", "patient"),
            Cue(2, 212_500, 215_000, "It isn't formulaic.", "therapist"),
        ],
        speakers={
            "patient": Speaker("patient", "Daniel", "patient"),
            "therapist": Speaker("therapist", "Th", "therapist"),
        },
    )
    tags_a = [
        tag(A, "intervention.moves_against", 213),
        tag(A, "confrontation.criticises_therapist", 206, 211),
    ]
    tags_b = [tag(B, "intervention.moves_away", 213.5)]
    result = agree(tags_a, tags_b, transcript=transcript)
    first, second = result.disagreements
    assert (first.kind, first.a.code_id, first.b) == ("only_a", "confrontation.criticises_therapist", None)
    assert [(line.speaker, line.text) for line in first.quote] == [
        ("Daniel", "That sounds a bit formulaic."),
        ("Daniel", "Like something out of a textbook."),
    ]
    assert second.kind == "code" and [line.text for line in second.quote] == ["It isn't formulaic."]


def test_modified_kappa_of_an_empty_table_and_exact_fractions():
    assert modified_kappa([[0, 0], [0, 0]]) == (None, None, None)
    kappa, _, raw = modified_kappa([[2, 0, 1], [0, 2, 0], [1, 0, 0]])
    assert Fraction(kappa).limit_denominator(100) == Fraction(24, 49)
    assert raw == pytest.approx(2 / 3)


def test_between_equally_close_tags_the_same_code_is_paired():
    clarify = tag(A, "intervention.clarify_defense", 254, 293)
    challenge = tag(A, "intervention.challenge_defense", 254, 293)
    theirs = tag(B, "intervention.challenge_defense", 254, 293)
    pairs, only_a, _ = match_tags([clarify, challenge], [theirs], CODEBOOK)
    assert [(pair.a.id, pair.b.id) for pair in pairs] == [(challenge.id, theirs.id)] and only_a == [clarify]


_codes = st.sampled_from([QUESTION, EMPATHY, "repair.changes_task", "phase.pressure"])
_moments = st.tuples(_codes, st.integers(0, 600_000), st.one_of(st.none(), st.integers(0, 30_000)))


def _tags(author, moments):
    return [
        tag(author, code, start / 1000, None if length is None else (start + length) / 1000)
        for code, start, length in moments
    ]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(_moments, max_size=12), st.lists(_moments, max_size=12), st.integers(0, 5000))
def test_agreement_is_symmetric_and_counts_every_tag_once(moments_a, moments_b, tolerance_ms):
    tags_a, tags_b = _tags(A, moments_a), _tags(B, moments_b)
    forward = compute_agreement(tags_a, tags_b, a=A, b=B, codebook=CODEBOOK, tolerance_ms=tolerance_ms)
    backward = compute_agreement(tags_b, tags_a, a=B, b=A, codebook=CODEBOOK, tolerance_ms=tolerance_ms)
    table = forward.overall
    assert table.total == len(tags_a) + len(tags_b) == sum(map(sum, table.counts))
    assert table.events == len(tags_a) + len(tags_b) - table.pairs
    assert (backward.overall.only_a, backward.overall.only_b) == (table.only_b, table.only_a)
    if table.kappa is None:
        assert backward.overall.kappa is None
    else:
        assert backward.overall.kappa == pytest.approx(table.kappa)
        assert table.kappa <= 1 + 1e-9
    used_a = [pair.a.id for pair in forward.pairs]
    used_b = [pair.b.id for pair in forward.pairs]
    assert len(set(used_a)) == len(used_a) and len(set(used_b)) == len(used_b)
