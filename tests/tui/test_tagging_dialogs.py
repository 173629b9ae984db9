"""The tagging stage's dialogs, each pushed over a small host app with the real default
codebook and real tags (the demo's sample review in a review file in tmp_path): keys go in
through Pilot, and what the dialog is dismissed with, or why it stays open, is checked.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, Static

from review_tui.analysis.episodes import propose_links
from review_tui.analysis.suggestions import suggest_moments
from review_tui.model import Episode, Tag
from review_tui.store import ReviewStore
from review_tui.transcript import load_transcript
from review_tui.tui import palette
from review_tui.tui.screens.code_picker import CodePicker
from review_tui.tui.screens.episode_links import EpisodeLinks, spoken_duration
from review_tui.tui.screens.reviewer_prompt import ReviewerPrompt
from review_tui.tui.screens.suggestions import SuggestionsScreen
from review_tui.tui.screens.tag_details import TagDetails, TagEdit
from review_tui.tui.widgets.suggestions import SuggestionsView
from tests.tui.tagging_hosts import (
    DEMO,
    UNSET,
    Recorder,
    ScreenHost,
    first,
    lines,
    open_store,
    sample_review_fixture,
)

sample_store = sample_review_fixture("sample_store")  # with the links its supervisor confirmed
# Without its links: every answer to the rupture is still a proposal.
unlinked = sample_review_fixture("unlinked", links=False)


@pytest.fixture(scope="module")
def demo_suggestions(codebook):
    transcript = load_transcript(DEMO / "formulaic.srt")
    return transcript, suggest_moments(transcript, codebook=codebook)


# --- CodePicker ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group_key", "keys", "picked"),
    [
        ("c", ["3"], ("c", "3")),
        ("r", ["0"], ("r", "0")),  # the tenth code is on 0
        ("c", ["r", "1"], ("r", "1")),  # another group key switches group
        ("d", ["down", "down", "enter"], ("d", "3")),
        ("w", ["escape"], None),
    ],
)
async def test_code_picker(codebook, group_key, keys, picked):
    host = ScreenHost(lambda: CodePicker(codebook, codebook.group_for_key(group_key)))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert host.result == (codebook.by_hotkey(*picked) if picked else None)


async def test_code_picker_shows_the_groups_codes_and_meaning(codebook):
    group = codebook.group_for_key("c")
    host = ScreenHost(lambda: CodePicker(codebook, group))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        await pilot.pause()
        text = "\n".join(lines(host.screen.query_one("#codes")))
        assert all(code.label[:20] in text for code in group.codes)
        assert group.codes[1].meaning in str(host.screen.query_one("#meaning", Static).render())
        await pilot.press("9")  # no ninth code here: nothing happens
        assert host.result is UNSET


# --- TagDetails ------------------------------------------------------------------------------


def details_host(codebook, **kwargs) -> ScreenHost:
    return ScreenHost(lambda: TagDetails(codebook, "confrontation.criticises_therapist", 206_451, 211_538, **kwargs))


async def test_details_enter_enter_skips_rating_and_note(codebook):
    host = details_host(codebook)
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert host.result == TagEdit("confrontation.criticises_therapist", 206_451, 211_538, None, "")


async def test_details_typed_rating_and_note_come_back(codebook):
    host = details_host(codebook)
    async with host.run_test(size=(80, 24)) as pilot:
        assert "significance" in str(host.screen.query_one("#stars", Static).render())
        await pilot.press("7", "4")  # 7 is no rating: refused
        assert host.screen.query_one("#rating", Input).value == "4"
        await pilot.press("enter", *"sarcasm at my phrasing", "enter")
        await pilot.pause()
        assert host.result == TagEdit("confrontation.criticises_therapist", 206_451, 211_538, 4, "sarcasm at my phrasing")


async def test_edit_mode_bad_time_shows_an_error_and_stays(codebook, sample_store):
    tag = first(sample_store.tags(), "confrontation.")
    host = ScreenHost(lambda: TagDetails.for_tag(tag, codebook))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", *"3:2x", "enter")  # Tab: from the code to the start
        await pilot.pause()
        error = str(host.screen.query_one("#range-error", Label).render())
        assert "not a time" in error and "3:2x" in error
        assert host.result is UNSET and isinstance(host.screen, TagDetails)
        await pilot.press(*"3:20", "enter", *"3:10", "enter")  # the field was selected: retyped
        await pilot.pause()
        assert "before the start" in str(host.screen.query_one("#range-error", Label).render())  # 3:10 < 3:20
        assert host.result is UNSET
        await pilot.press(*"3:35", "enter", "enter", "enter")
        await pilot.pause()
        assert host.result == TagEdit(tag.code_id, 200_000, 215_000, tag.rating, tag.note)


async def test_edit_mode_keeps_what_is_not_touched_and_can_change_the_code(codebook, sample_store):
    tag = first(sample_store.tags(), "defense.tactical")  # a point tag
    host = ScreenHost(lambda: TagDetails.for_tag(tag, codebook))
    async with host.run_test(size=(80, 24)) as pilot:
        host.screen.query_one("#code").value = "defense.projection"
        await pilot.press("tab", "enter", "enter", "enter", "enter")
        await pilot.pause()
        assert host.result == TagEdit("defense.projection", tag.start_ms, None, tag.rating, tag.note)
        sample_store_codes = {code.id for code in codebook.codes}
        assert host.result.code_id in sample_store_codes


async def test_details_escape_cancels(codebook):
    host = details_host(codebook)
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "escape")
        await pilot.pause()
        assert host.result is None


# --- EpisodeLinks ------------------------------------------------------------------------------


def episode_host(store: ReviewStore) -> tuple[ScreenHost, Tag, list]:
    tags = store.tags()
    rupture = first(tags, "confrontation.")
    proposals = propose_links(tags, store.codebook, links=store.links())
    host = ScreenHost(lambda: EpisodeLinks(rupture, proposals, tags, store.codebook, linked=store.links()))
    return host, rupture, [link for link in proposals if link.rupture_id == rupture.id]


def duration_text(host: ScreenHost) -> str:
    return str(host.screen.query_one("#duration", Static).render())


def expected_repair(store: ReviewStore, rupture: Tag, links) -> str:
    by_id = {tag.id: tag for tag in store.tags()}
    episode = Episode(rupture, repairs=tuple(by_id[link.tag_id] for link in links if link.kind == "repair"))
    return spoken_duration(episode.repair_ms)


async def test_episode_links_all_checked_then_toggling_changes_result_and_duration(unlinked):
    host, rupture, proposals = episode_host(unlinked)
    async with host.run_test(size=(80, 24)) as pilot:
        assert len(proposals) >= 3 and {link.kind for link in proposals} == {"response", "repair"}
        assert host.dialog.checked == proposals  # every proposal starts checked
        before = duration_text(host)
        assert expected_repair(unlinked, rupture, proposals) in before
        first_repair = next(number for number, link in enumerate(proposals) if link.kind == "repair")
        await pilot.press(*["down"] * first_repair, "space")
        await pilot.pause()
        kept = [link for number, link in enumerate(proposals) if number != first_repair]
        assert expected_repair(unlinked, rupture, kept) in duration_text(host)
        assert duration_text(host) != before
        await pilot.press("enter")
        await pilot.pause()
        assert host.result == kept


async def test_episode_links_without_a_repair_says_so_and_escape_cancels(unlinked):
    host, _, proposals = episode_host(unlinked)
    async with host.run_test(size=(80, 24)) as pilot:
        for number, link in enumerate(proposals):
            if link.kind == "repair":
                host.screen.query_one("#proposals").deselect(number)
        await pilot.pause()
        assert "unrepaired" in duration_text(host)
        await pilot.press("escape")
        await pilot.pause()
        assert host.result is None


async def test_episode_links_count_the_links_already_made(sample_store):
    host, rupture, proposals = episode_host(sample_store)  # the sample links every one already
    async with host.run_test(size=(80, 24)):
        assert proposals == []
        linked = [link for link in sample_store.links() if link.rupture_id == rupture.id]
        assert expected_repair(sample_store, rupture, linked) in duration_text(host)


# --- ReviewerPrompt ------------------------------------------------------------------------------


async def test_reviewer_prompt_needs_a_name_and_takes_a_role(tmp_path, codebook):
    host = ScreenHost(lambda: ReviewerPrompt())
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert host.result is UNSET
        assert "name is needed" in str(host.screen.query_one("#name-error", Label).render())
        await pilot.press(*"  Dr  Ana Ruiz ", "down", "enter")
        await pilot.pause()
        assert host.result == ("Dr Ana Ruiz", "therapist")
    with open_store(tmp_path / "review.sqlite", codebook) as store:
        reviewer = store.reviewer(*host.result)
        assert (reviewer.name, reviewer.role) == host.result


async def test_reviewer_prompt_keeps_what_it_was_given(tmp_path):
    host = ScreenHost(lambda: ReviewerPrompt("M. Okafor", "rater"))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert host.result == ("M. Okafor", "rater")


# --- suggestions ------------------------------------------------------------------------------


async def test_suggestions_dismiss_restore_and_accept(codebook, demo_suggestions):
    demo_transcript, suggestions = demo_suggestions
    assert len(suggestions) >= 3
    host = ScreenHost(lambda: SuggestionsScreen(suggestions, codebook, transcript=demo_transcript))
    record = Recorder(SuggestionsView.SuggestionDismissed, SuggestionsView.SuggestionRestored)
    async with host.run_test(size=(100, 30), message_hook=record) as pilot:
        view = host.screen.query_one(SuggestionsView)
        why = str(host.screen.query_one("#why", Static).render())
        assert suggestions[0].reason in why
        quoted = demo_transcript.cues[suggestions[0].cue_indexes[0]].text.split()[0]
        assert quoted in why  # the words the suggestion rests on
        await pilot.press("j", "delete")
        await pilot.pause()
        assert [message.suggestion for message in record.of(SuggestionsView.SuggestionDismissed)] == [suggestions[1]]
        assert host.dialog.dismissed == {suggestions[1]}
        assert "1 dismissed" in str(host.screen.query_one("#suggestions-title", Label).render())
        assert view.highlighted == 2  # on to the next one
        await pilot.press("k", "backspace")
        await pilot.pause()
        assert [message.suggestion for message in record.of(SuggestionsView.SuggestionRestored)] == [suggestions[1]]
        assert host.dialog.dismissed == set()
        await pilot.press("enter")
        await pilot.pause()
        assert host.result == suggestions[1]


async def test_suggestions_remember_dismissed_ones_and_escape(codebook, demo_suggestions):
    _, suggestions = demo_suggestions
    host = ScreenHost(lambda: SuggestionsScreen(suggestions, codebook, dismissed=[suggestions[0]]))
    async with host.run_test(size=(100, 30)) as pilot:
        rows = lines(host.screen.query_one(SuggestionsView))
        assert rows[0].lstrip().startswith("✕") and rows[1].lstrip().startswith(palette.SUGGESTION_POINT)
        await pilot.press("escape")
        await pilot.pause()
        assert host.result is None and host.dialog.dismissed == {suggestions[0]}


