"""Rupture–repair episodes: confirmed links into episodes, proposed links, resolution."""

from __future__ import annotations

import itertools

from review_tui.analysis.episodes import (
    ProposedLink,
    build_episodes,
    episodes_in,
    is_rupture,
    linkable_after,
    proposals_for,
    propose_links,
    resolution,
)
from review_tui.codebook import load_codebook
from review_tui.model import Tag
from review_tui.store import Link, ReviewStore

CODEBOOK = load_codebook()
_ids = itertools.count(1)


def tag(code_id: str, start_s: float, end_s: float | None = None, rating: int | None = None) -> Tag:
    return Tag(
        id=next(_ids),
        start_ms=round(start_s * 1000),
        end_ms=None if end_s is None else round(end_s * 1000),
        code_id=code_id,
        rating=rating,
        note="",
        author_id=1,
        created_at="2025-01-01T00:00:00.000Z",
        updated_at="2025-01-01T00:00:00.000Z",
    )


def test_ruptures_are_the_withdrawal_and_confrontation_codes():
    assert is_rupture(tag("withdrawal.minimal_response", 1), CODEBOOK)
    assert is_rupture(tag("confrontation.criticises_therapist", 1), CODEBOOK)
    assert not is_rupture(tag("repair.acknowledges_own_part", 1), CODEBOOK)
    assert not is_rupture(tag("defense.tactical", 1), CODEBOOK)


def test_proposals_follow_the_rupture_however_far_until_the_next_one():
    rupture = tag("confrontation.criticises_therapist", 206, 211, rating=4)
    before = tag("intervention.question", 200)
    debate = tag("intervention.moves_against", 212, 235)
    note = tag("supervision.missed_opportunity", 212)
    repair = tag("repair.invites_talk_about_interaction", 240, rating=4)
    insight = tag("alliance.links_people", 380)
    much_later = tag("repair.explains_rationale", 395)  # over three minutes on: still proposed
    second = tag("withdrawal.minimal_response", 400)
    after_second = tag("repair.validates_self_protection", 410)
    tags = [after_second, second, much_later, insight, repair, note, debate, before, rupture]

    proposed = propose_links(tags, CODEBOOK)

    assert proposed == [
        ProposedLink(rupture.id, debate.id, "response"),
        ProposedLink(rupture.id, repair.id, "repair"),
        ProposedLink(rupture.id, insight.id, "repair"),
        ProposedLink(rupture.id, much_later.id, "repair"),
        ProposedLink(second.id, after_second.id, "repair"),
    ]
    # A window, when asked for, still limits the proposals.
    windowed = propose_links(tags, CODEBOOK, window_ms=180_000)
    assert ProposedLink(rupture.id, much_later.id, "repair") not in windowed
    assert ProposedLink(rupture.id, insight.id, "repair") in windowed


def test_the_next_rupture_closes_the_window():
    first = tag("withdrawal.denial", 10)
    second = tag("confrontation.rejects_intervention", 20)
    response = tag("intervention.clarify_defense", 25)
    assert propose_links([first, second, response], CODEBOOK) == [
        ProposedLink(second.id, response.id, "response")
    ]


def test_a_range_rupture_counts_its_window_from_its_end():
    rupture = tag("withdrawal.storytelling", 0, 300)
    repair = tag("repair.redirects_to_task", 400)
    assert propose_links([rupture, repair], CODEBOOK, window_ms=120_000) == [
        ProposedLink(rupture.id, repair.id, "repair")
    ]
    assert propose_links([rupture, repair], CODEBOOK, window_ms=60_000) == []


def test_links_already_made_are_not_proposed_again():
    rupture = tag("confrontation.criticises_therapist", 10)
    response = tag("intervention.empathy", 15)
    repair = tag("repair.acknowledges_own_part", 20)
    proposed = propose_links(
        [rupture, response, repair], CODEBOOK, links=[Link(rupture.id, response.id, "response")]
    )
    assert proposed == [ProposedLink(rupture.id, repair.id, "repair")]


def test_episodes_gather_confirmed_links_and_measure_time_to_repair():
    rupture = tag("confrontation.criticises_therapist", 206.451, 211.538, rating=4)
    debate = tag("intervention.moves_against", 212.032, 235.521)
    clarify = tag("repair.invites_talk_about_interaction", 239.904, rating=3)
    insight = tag("alliance.links_people", 380)
    later = tag("repair.links_outside_relationships", 300, rating=5)
    lonely = tag("withdrawal.minimal_response", 500)
    links = [
        Link(rupture.id, insight.id, "repair"),
        Link(rupture.id, debate.id, "response"),
        Link(rupture.id, later.id, "repair"),
        Link(rupture.id, clarify.id, "repair"),
        Link(rupture.id, 9_999, "repair"),  # a deleted tag
    ]

    episodes = build_episodes([lonely, insight, later, clarify, debate, rupture], links, CODEBOOK)

    assert [episode.rupture for episode in episodes] == [rupture, lonely]
    first, unrepaired = episodes
    assert first.responses == (debate,)
    assert first.repairs == (clarify, later, insight)
    assert first.repair_ms == 239_904 - 206_451
    # Resistance returns: the latest rated repair, not the best, says where it ended.
    assert resolution(first, CODEBOOK) == 5
    assert unrepaired.repairs == () and unrepaired.repair_ms is None
    assert resolution(unrepaired, CODEBOOK) is None


def test_alliance_markers_shorten_time_to_repair_but_carry_no_resolution():
    rupture = tag("withdrawal.abstract_talk", 100)
    insight = tag("alliance.sees_defense_cost", 160)
    (episode,) = build_episodes([rupture, insight], [(rupture.id, insight.id, "repair")], CODEBOOK)
    assert episode.repair_ms == 60_000
    assert resolution(episode, CODEBOOK) is None


def test_episodes_from_a_real_review_file(tmp_path):
    store = ReviewStore.open(
        tmp_path / "s.review.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=CODEBOOK
    )
    with store:
        author = store.reviewer("Dr Okafor", "supervisor")
        rupture = store.add_tag(start_ms=206_451, end_ms=None, code_id="confrontation.criticises_therapist", author=author)
        response = store.add_tag(start_ms=212_032, end_ms=235_521, code_id="intervention.moves_against", author=author)
        repair = store.add_tag(start_ms=239_904, end_ms=None, code_id="repair.acknowledges_own_part", rating=4, author=author)
        for link in proposals_for(store):
            store.link(link.rupture_id, link.tag_id, link.kind)

        (episode,) = episodes_in(store)

        assert proposals_for(store) == []
    assert episode.rupture == rupture
    assert episode.responses == (response,)
    assert episode.repairs == (repair,)
    assert episode.repair_ms == 33_453
    assert resolution(episode) == 4


def test_linkable_after_reaches_every_later_tag_nearest_first_past_later_ruptures():
    rupture = tag("confrontation.criticises_therapist", 206)
    earlier = tag("repair.changes_task", 100)
    debate = tag("intervention.moves_against", 212)
    linked = tag("repair.invites_talk_about_interaction", 240)
    second = tag("withdrawal.denial", 300)
    insight = tag("alliance.links_people", 450)
    phase = tag("phase.pressure", 460)
    tags = [phase, insight, second, linked, debate, earlier, rupture]

    offered = linkable_after(rupture, tags, CODEBOOK, links=[Link(rupture.id, linked.id, "repair")])

    assert offered == [
        ProposedLink(rupture.id, debate.id, "response"),
        ProposedLink(rupture.id, insight.id, "repair"),
    ]


def _custom_codebook(with_roles: bool):
    from review_tui.codebook import codebook_from_dict

    def group(group_id, key, role, *codes):
        entry = {"id": group_id, "key": key, "label": group_id.title(), "codes": [{"id": c, "label": c} for c in codes]}
        if with_roles:
            entry["role"] = role
        return entry

    return codebook_from_dict(
        {
            "id": "mine",
            "version": "1",
            "label": "A clinic's own",
            "groups": [
                group("strain", "y", "rupture", "cold", "sarcastic"),
                group("answer", "m", "response", "explains"),
                group("mend", "h", "repair", "owns_part"),
            ],
        },
        "mine.toml",
    )


def test_a_custom_codebook_gets_episodes_from_its_roles():
    codebook = _custom_codebook(with_roles=True)
    rupture = tag("strain.sarcastic", 10)
    answer = tag("answer.explains", 12)
    mend = tag("mend.owns_part", 400, rating=4)

    proposed = propose_links([rupture, answer, mend], codebook)
    (episode,) = build_episodes([rupture, answer, mend], proposed, codebook)

    assert proposed == [
        ProposedLink(rupture.id, answer.id, "response"),
        ProposedLink(rupture.id, mend.id, "repair"),
    ]
    assert episode.responses == (answer,) and episode.repairs == (mend,)
    assert resolution(episode, codebook) == 4
    # Without roles the custom groups mean nothing to episodes: no rupture is guessed.
    assert build_episodes([rupture, answer, mend], [], _custom_codebook(with_roles=False)) == []


def test_a_codebook_without_roles_is_read_with_the_default_roles():
    from dataclasses import replace

    old = replace(CODEBOOK, groups=tuple(replace(group, role=None) for group in CODEBOOK.groups))
    assert is_rupture(tag("confrontation.criticises_therapist", 1), old)
    assert not is_rupture(tag("repair.changes_task", 1), old)


def test_the_demo_formulaic_rupture_runs_through_the_repair_to_the_later_insight(tmp_path):
    import json
    from pathlib import Path

    sample = json.loads((Path(__file__).resolve().parents[1] / "examples/formulaic/sample_review.json").read_text("utf-8"))
    with ReviewStore.open(tmp_path / "demo.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=CODEBOOK) as store:
        store.import_review(sample)
        episodes = episodes_in(store)
        unlinked = [dict(sample, links=[])]
    (formulaic,) = [e for e in episodes if e.rupture.code_id == "confrontation.criticises_therapist"]
    assert [t.code_id for t in formulaic.responses] == ["intervention.moves_against", "intervention.clarify_defense"]
    assert [t.code_id for t in formulaic.repairs] == [
        "repair.invites_talk_about_interaction",
        "repair.links_session_pattern",
        "alliance.links_people",
        "alliance.sees_defense_cost",
    ]
    insight = formulaic.repairs[2]
    assert insight.start_ms - formulaic.rupture.start_ms > 180_000  # past the old three minutes

    # Unlinked, the same review gets every one of those links proposed.
    with ReviewStore.open(tmp_path / "bare.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=CODEBOOK) as store:
        store.import_review(unlinked[0])
        rupture = next(t for t in store.tags() if t.code_id == "confrontation.criticises_therapist")
        proposed = {(store.tag(p.tag_id).code_id, p.kind) for p in proposals_for(store) if p.rupture_id == rupture.id}
    assert ("alliance.links_people", "repair") in proposed
    assert ("intervention.clarify_defense", "response") in proposed
