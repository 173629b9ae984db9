"""The reconcile pass (R) on the demo with both sample reviews: the supervisor tagged a
withdrawal the rater missed, and they coded one intervention differently. Each place is
settled with one key, written as the consensus reviewer's tags, and the raters' own tags are
never touched."""

from __future__ import annotations

import pytest

from review_tui.analysis.agreement import agreement_in
from review_tui.analysis.reconcile import consensus_name, consensus_reviewers, outcomes
from review_tui.analysis.reviewers import find_reviewer
from review_tui.tui.screens.code_picker import CodePicker
from review_tui.tui.screens.reconcile import ReconcileScreen, ReviewerPairDialog
from tests.tui.conftest import notices, wait_for
from tests.tui.reconcile_sessions import HADDAD, OKAFOR, SIZE, Opener, demo_copy

MISSED_WITHDRAWAL_MS = 2 * 60_000 + 41_091  # "Nothing much." — only Okafor tagged it
INTERVENTION_MS = 4 * 60_000 + 14_229  # clarify (Okafor) or challenge (Haddad) the defense
CHALLENGE = "intervention.challenge_defense"


@pytest.fixture
def opener(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    opener = Opener(demo_copy(tmp_path))
    yield opener
    opener.close()


def raters_tags(store) -> dict[str, list]:
    return {name: store.tags(author_id=find_reviewer(store, name).id) for name in (OKAFOR[0], HADDAD[0])}


def consensus_tags(store) -> list:
    [consensus_id] = consensus_reviewers(store)
    return store.tags(author_id=consensus_id)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def open_pass(pilot, app) -> ReconcileScreen:
    await pilot.press("R")
    await wait_for(pilot, lambda: isinstance(app.screen, ReconcileScreen), what="the reconcile pass")
    return app.screen


async def test_the_pair_settles_every_disagreement_with_one_key_each(opener):
    app = opener(OKAFOR)
    before = raters_tags(app.store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_pass(pilot, app)  # exactly two coders: no question who
        # The first place: seeked to, both sides shown, the words spoken there quoted.
        assert app.player.position_ms() == MISSED_WITHDRAWAL_MS
        assert "1 of 2" in text_of(screen, "#reconcile-title") and "before: kappa 0.88" in text_of(screen, "#reconcile-title")
        assert "Minimal response" in text_of(screen, "#a-tag") and "no tag here" in text_of(screen, "#b-tag")
        assert "Nothing much." in text_of(screen, "#quote")
        agreed = len(consensus_tags(app.store))  # the undisputed pairs were copied on opening
        assert agreed == 12

        await pilot.press("a")  # keep Okafor's withdrawal
        kept = [tag for tag in consensus_tags(app.store) if tag.start_ms == MISSED_WITHDRAWAL_MS]
        [okafors] = [tag for tag in before[OKAFOR[0]] if tag.start_ms == MISSED_WITHDRAWAL_MS]
        assert [(tag.code_id, tag.end_ms, tag.rating) for tag in kept] == [(okafors.code_id, okafors.end_ms, okafors.rating)]
        assert {tag.id for tag in kept} <= {tag.id for tag in app.tags_view.tags}  # the one tags view has it
        assert app.player.position_ms() == INTERVENTION_MS and "2 of 2" in text_of(screen, "#reconcile-title")
        assert "Clarify a defense" in text_of(screen, "#a-tag") and "Challenge a defense" in text_of(screen, "#b-tag")

        await pilot.press("c")  # a new code: the code picker, for this item's group
        await wait_for(pilot, lambda: isinstance(app.screen, CodePicker), what="the code picker")
        digit = app.codebook.code(CHALLENGE).digit
        await pilot.press(digit)
        await wait_for(pilot, lambda: app.screen is screen, what="back in the pass")
        assert "Every disagreement settled" in "\n".join(notices(app))
        assert "after:" in text_of(screen, "#reconcile-title")

    store = app.store
    assert raters_tags(store) == before  # the raters' own tags untouched
    new = [tag for tag in consensus_tags(store) if tag.start_ms == INTERVENTION_MS and tag.code_id == CHALLENGE]
    assert len(new) == 1
    [outcome] = outcomes(store)
    assert outcome.consensus.name == consensus_name(outcome.a, outcome.b)
    assert outcome.decided == {"keep_a": 1, "new_code": 1}
    assert outcome.kappa_before["kappa"] == pytest.approx(0.88, abs=0.005)
    consensus = find_reviewer(store, outcome.consensus.name)
    assert agreement_in(store, outcome.a, consensus).overall.kappa == pytest.approx(outcome.kappa_after[OKAFOR[0]]["kappa"])
    assert not agreement_in(store, outcome.b, consensus).disagreements[0].kind == "only_a"


async def test_leaving_keeps_the_place_and_ctrl_z_takes_decisions_back(opener):
    app = opener(OKAFOR)
    async with app.run_test(size=SIZE) as pilot:
        await open_pass(pilot, app)
        await pilot.press("a", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ReconcileScreen), what="the pass left")
        assert any("1 left" in note for note in notices(app))
        screen = await open_pass(pilot, app)  # R again: where it stopped
        assert "2 of 2" in text_of(screen, "#reconcile-title")
        assert app.player.position_ms() == INTERVENTION_MS
        await pilot.press("ctrl+z")  # inside the pass: the decision, not a tag edit
        assert "1 of 2" in text_of(screen, "#reconcile-title") and "0 settled" in text_of(screen, "#reconcile-title")
        assert app.player.position_ms() == MISSED_WITHDRAWAL_MS
        assert not [tag for tag in consensus_tags(app.store) if tag.start_ms == MISSED_WITHDRAWAL_MS]
        assert not [tag for tag in app.tags_view.tags if tag.start_ms == MISSED_WITHDRAWAL_MS and tag.author_id in consensus_reviewers(app.store)]
        await pilot.press("ctrl+z")
        assert "nothing decided yet" in text_of(screen, "#reconcile-error")


async def test_a_decision_that_cannot_be_made_is_said_and_writes_nothing(opener):
    app = opener(OKAFOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_pass(pilot, app)
        written = len(app.store.tags())
        await pilot.press("b")  # the rater has no tag at the missed withdrawal
        assert "R. Haddad has no tag here" in text_of(screen, "#reconcile-error")
        await pilot.press("n")  # browse ahead: the next one is decided in order only
        assert "2 of 2" in text_of(screen, "#reconcile-title")
        await pilot.press("k")
        assert "p goes back to number 1" in text_of(screen, "#reconcile-error")
        assert len(app.store.tags()) == written
        await pilot.press("p", "d")  # back, and drop it: no consensus tag there
        assert "2 of 2" in text_of(screen, "#reconcile-title")
        assert not [tag for tag in consensus_tags(app.store) if tag.start_ms == MISSED_WITHDRAWAL_MS]


async def test_with_more_than_two_coders_the_pair_is_chosen(opener):
    app = opener(OKAFOR)
    third = app.store.reviewer("Third Rater", "rater")
    app.store.add_tag(start_ms=60_000, end_ms=None, code_id=CHALLENGE, author=third)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewerPairDialog), what="the choice of two")
        await pilot.press("enter")  # Okafor; then the first one left is highlighted
        await pilot.press("down", "enter")  # past Haddad to the third
        await wait_for(pilot, lambda: isinstance(app.screen, ReconcileScreen), what="the pass")
        pass_ = app.screen.in_app.pass_
        assert (pass_.a.name, pass_.b.name) == (OKAFOR[0], "Third Rater")


def test_the_palette_reaches_the_pass_and_the_details():
    from review_tui.tui.commands import tagging_commands

    commands = {command.title: (command.action, command.help) for command in tagging_commands({})}
    assert commands["Reconcile two reviewers"] == ("reconcile", "key: R")
    assert commands["Session details"] == ("session_details", "key: D")
    assert commands["Reconcile between…"][0] == "reconcile_between"


async def test_a_damaged_saved_pass_is_one_clear_line_and_no_pass(opener):
    app = opener(OKAFOR)
    okafor, haddad = (find_reviewer(app.store, name) for name in (OKAFOR[0], HADDAD[0]))
    app.store.set_state(f"reconcile:{okafor.id}:{haddad.id}", "{not json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert not isinstance(app.screen, ReconcileScreen)
        assert any("No reconcile pass" in note and "damaged" in note for note in notices(app))
