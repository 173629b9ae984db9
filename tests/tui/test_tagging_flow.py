"""The heart of the product, driven from the keyboard on the demo session: find the moment,
tag it, rate it, note it, tag the repair, link the episode, export, and read the report."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import OptionList

from review_tui.analysis.episodes import episodes_in, resolution
from review_tui.analysis.suggestions import suggest_moments
from review_tui.cli import resolve_reviewer
from review_tui.codebook import load_codebook
from review_tui.config import Config, remember_reviewer, remembered_reviewer
from review_tui.media.player import Player
from review_tui.report.markdown import duration
from review_tui.session import load_session
from review_tui.store import ReviewStore
from review_tui.tui.app import ReviewApp
from review_tui.tui.palette import stars
from review_tui.tui.screens.code_picker import CodePicker
from review_tui.tui.screens.episode_links import EpisodeLinks, spoken_duration
from review_tui.tui.screens.episodes import EpisodesScreen
from review_tui.tui.screens.reviewer_prompt import ReviewerPrompt
from review_tui.tui.screens.suggestions import SuggestionsScreen
from review_tui.tui.screens.tag_details import TagDetails
from review_tui.tui.widgets.tag_list import TagList
from review_tui.tui.widgets.timeline import Timeline
from review_tui.tui.widgets.transcript import TranscriptView
from tests.tui.conftest import notices, wait_for

DEMO = Path(__file__).resolve().parents[2] / "examples" / "formulaic"
SIZE = (160, 48)
FORMULAIC_MS = 3 * 60_000 + 26_451  # "That sounds a bit formulaic, doesn't it?"
REPAIR_MS = 4 * 60_000 + 2_229  # "I just started defending my question..."
CRITICISES = "confrontation.criticises_therapist"
OWN_PART = "repair.acknowledges_own_part"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("formulaic")
    for name in ("formulaic.mp4", "formulaic.srt"):
        shutil.copy(DEMO / name, folder / name)
    return folder / "formulaic.mp4"


@pytest.fixture
def open_demo(demo, tmp_path, codebook, monkeypatch) -> Callable[..., ReviewApp]:
    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    players: list[Player] = []
    stores: list[ReviewStore] = []

    def opener(reviewer: tuple[str, str] | None = ("Dr Okafor", "supervisor"), *, ask: bool = False) -> ReviewApp:
        session = load_session(demo)
        store = ReviewStore.open(
            tmp_path / "formulaic.review.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=codebook
        )
        stores.append(store)
        player = Player(session.media, duration_ms=session.duration_ms, audio="null")
        players.append(player)
        author = store.reviewer(*reviewer) if reviewer else None
        return ReviewApp(session, store, player, store.codebook, author, Config(audio="null"), ask_reviewer=ask)

    yield opener
    for player in players:
        player.close()
    for store in stores:
        store.close()


def keys(text: str) -> list[str]:
    return ["space" if char == " " else char for char in text]


async def go_to(pilot, app: ReviewApp, ms: int) -> None:
    seconds = f"{ms // 60_000}:{ms % 60_000 / 1000:06.3f}"
    await pilot.press("g", *seconds, "enter")
    await wait_for(pilot, lambda: app.position_ms == ms, what=f"the playhead at {ms}")


async def tag(pilot, app: ReviewApp, group_key: str, digit: str, *, rating: str = "", note: str = "") -> None:
    await pilot.press(group_key)
    await wait_for(pilot, lambda: isinstance(app.screen, CodePicker), what="the code picker")
    await pilot.press(digit)
    await wait_for(pilot, lambda: isinstance(app.screen, TagDetails), what="the details dialog")
    await pilot.press(*rating, "enter", *keys(note), "enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, TagDetails), what="the details dialog to close")


async def test_search_tag_rate_note_link_and_export_quote_the_moment(open_demo):
    app = open_demo()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"formulaic", "enter")
        await wait_for(pilot, lambda: app.position_ms == FORMULAIC_MS, what="the search to land on the line")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CodePicker), what="the code picker")
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, TagDetails), what="the details dialog")
        # Written before the details are asked: nothing is lost if the session dies here.
        [made] = store.tags()
        assert (made.code_id, made.start_ms, made.end_ms) == (CRITICISES, FORMULAIC_MS, None)
        assert made.author_id == app.reviewer.id
        await pilot.press("4", "enter", *keys("sarcasm: try naming the barrier"), "enter")
        await wait_for(pilot, lambda: store.tags()[0].rating == 4, what="the rating")
        assert store.tags()[0].note == "sarcasm: try naming the barrier"

        # The tag shows in the list, the timeline and beside its transcript line.
        tag_list = app.query_one(TagList)
        assert [shown.id for shown in tag_list.shown] == [made.id]
        assert [tagged.id for tagged in app.query_one(Timeline).tags] == [made.id]
        formulaic_cue = app.session.transcript.index_at(FORMULAIC_MS)
        assert app.query_one(TranscriptView).marks[formulaic_cue][0][0] == "c"

        await go_to(pilot, app, REPAIR_MS)
        await tag(pilot, app, "r", "5", rating="3")
        repair = store.tags()[1]
        assert repair.code_id == OWN_PART and repair.start_ms == REPAIR_MS
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, EpisodeLinks), what="the episode dialog")
        assert app.screen.rupture.id == made.id
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(store.links()), what="the link to be stored")
        [link] = store.links()
        assert (link.rupture_id, link.tag_id, link.kind) == (made.id, repair.id, "repair")
        assert any("rupture → first repair 36 s" in text for text in notices(app))

        await pilot.press("ctrl+e")  # the export dialog opens on Markdown, Export focused
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ExportDialog", what="the export dialog")
        await pilot.press("enter")
        report = store.path.with_name("formulaic.review.md")
        await wait_for(pilot, report.exists, what="the report file")
        assert any(str(report) in text for text in notices(app))
    text = report.read_text(encoding="utf-8")
    assert "**Patient** (03:26.451): That sounds a bit formulaic, doesn't it? Like something out of a textbook." in text
    assert "### Episode 1: 03:26.451 Criticises therapist (Confrontation rupture)" in text
    assert "sarcasm: try naming the barrier" in text
    assert f"- **Time to repair:** {duration(REPAIR_MS - FORMULAIC_MS)}" in text
    assert "- **Degree of resolution:** 3/5" in text


async def test_undo_redo_edit_and_delete(open_demo):
    app = open_demo()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, app, FORMULAIC_MS)
        await tag(pilot, app, "c", "1")
        [made] = store.tags()
        await pilot.press("ctrl+z")
        assert store.tags() == []
        assert any("Undone: add" in text for text in notices(app))
        assert app.query_one(TagList).shown == []
        await pilot.press("ctrl+y")
        assert [again.id for again in store.tags()] == [made.id]
        assert any("Redone: add" in text for text in notices(app))

        app.selected_tag_id = None
        await go_to(pilot, app, 0)
        await pilot.press("j")  # selects the tag and seeks to it
        assert app.selected_tag_id == made.id and app.position_ms == FORMULAIC_MS
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, TagDetails), what="the edit dialog")
        # Code stays; Enter walks start -> end -> rating -> note, and the note saves.
        await pilot.press("tab", "enter", *"3:31", "enter", "5", "enter", *keys("edited"), "enter")
        await wait_for(pilot, lambda: store.tag(made.id).note == "edited", what="the edit to be saved")
        edited = store.tag(made.id)
        assert (edited.end_ms, edited.rating) == (3 * 60_000 + 31_000, 5)

        await pilot.press("x")
        assert store.tags() == []
        assert any("ctrl+z brings it back" in text for text in notices(app))
        await pilot.press("ctrl+z")
        assert store.tag(made.id) == edited


async def test_in_and_out_marks_make_a_range_tag_and_then_clear(open_demo):
    app = open_demo()
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, app, FORMULAIC_MS)
        await pilot.press("i")
        await go_to(pilot, app, REPAIR_MS)
        await pilot.press("o")
        marks = app.query_one("#marks")
        assert "03:26–04:02" in str(marks.render())
        await tag(pilot, app, "s", "2")
        [made] = app.store.tags()
        assert (made.start_ms, made.end_ms) == (FORMULAIC_MS, REPAIR_MS)
        assert app.mark_in is None and app.mark_out is None
        assert str(marks.render()) == ""


async def test_selected_transcript_lines_make_a_range_and_phases_take_the_spoken_line(open_demo):
    app = open_demo()
    transcript = None
    async with app.run_test(size=SIZE) as pilot:
        transcript = app.session.transcript
        await go_to(pilot, app, FORMULAIC_MS)
        first = transcript.index_at(FORMULAIC_MS)
        await pilot.press("shift+down", "shift+down")
        await tag(pilot, app, "d", "2")
        [lines] = app.store.tags()
        assert (lines.start_ms, lines.end_ms) == (transcript.cues[first].start_ms, transcript.cues[first + 2].end_ms)
        assert app.query_one(TranscriptView).selection is None

        await go_to(pilot, app, REPAIR_MS + 1000)
        await tag(pilot, app, "p", "3")  # a phase with no marks: the line being spoken
        phase = next(tag for tag in app.store.tags() if tag.code_id.startswith("phase."))
        spoken = transcript.cue_at(REPAIR_MS + 1000)
        assert (phase.start_ms, phase.end_ms) == (spoken.start_ms, spoken.end_ms)


async def test_j_and_k_step_through_tags_in_time_order(open_demo):
    app = open_demo()
    store = app.store
    author = app.reviewer
    times = [30_000, FORMULAIC_MS, REPAIR_MS]
    made = [store.add_tag(start_ms=ms, end_ms=None, code_id=CRITICISES, author=author) for ms in times]
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, app, 60_000)
        await pilot.press("j")
        assert app.position_ms == FORMULAIC_MS and app.selected_tag_id == made[1].id
        await pilot.press("j")
        assert app.position_ms == REPAIR_MS and app.selected_tag_id == made[2].id
        await pilot.press("k", "k")
        assert app.position_ms == 30_000 and app.selected_tag_id == made[0].id
        assert app.query_one(TagList).highlighted_tag_id == made[0].id
        await pilot.press("T")  # into the tag list: Enter on a row plays from its tag
        assert app.query_one(TagList).has_focus
        await pilot.press("down", "enter")
        assert app.position_ms == FORMULAIC_MS and app.selected_tag_id == made[1].id
        await pilot.press("T")  # and T again puts it away
        assert not app.query_one(TagList).display and app.query_one(TranscriptView).has_focus


async def test_with_no_reviewer_the_app_asks_once_and_remembers(open_demo, tmp_path):
    app = open_demo(None, ask=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewerPrompt), what="the reviewer prompt")
        await pilot.press(*keys("Ana Reyes"), "down", "enter")
        await wait_for(pilot, lambda: app.reviewer is not None, what="the reviewer")
        assert (app.reviewer.name, app.reviewer.role) == ("Ana Reyes", "therapist")
        await go_to(pilot, app, FORMULAIC_MS)
        await tag(pilot, app, "c", "1")
        assert app.store.tags()[0].author_id == app.reviewer.id
    saved = tmp_path / "data" / "reviewer.toml"
    assert remembered_reviewer(saved) == "Ana Reyes:therapist"
    assert saved.stat().st_mode & 0o777 == 0o600


async def test_blind_coding_hides_the_other_reviewers_tags(open_demo):
    app = open_demo(("Rater One", "rater"))
    store = app.store
    other = store.reviewer("Rater Two", "rater")
    theirs = store.add_tag(start_ms=FORMULAIC_MS, end_ms=None, code_id=CRITICISES, author=other)
    mine = store.add_tag(start_ms=REPAIR_MS, end_ms=None, code_id=OWN_PART, author=app.reviewer)
    async with app.run_test(size=SIZE) as pilot:
        tag_list, timeline = app.query_one(TagList), app.query_one(Timeline)
        assert {tag.id for tag in tag_list.shown} == {theirs.id, mine.id}
        await pilot.press("B")
        assert [tag.id for tag in tag_list.shown] == [mine.id]
        assert [tag.id for tag in timeline.tags] == [mine.id]
        assert app.session.transcript.index_at(FORMULAIC_MS) not in app.query_one(TranscriptView).marks
        await pilot.press("B")
        assert {tag.id for tag in tag_list.shown} == {theirs.id, mine.id}


async def test_suggestions_accepted_become_tags_and_dismissed_ones_stay_dismissed(open_demo):
    app = open_demo()
    store = app.store
    expected = suggest_moments(app.session.transcript, codebook=store.codebook)
    assert len(expected) >= 2
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, SuggestionsScreen), what="the suggestions")
        assert store.tags() == []  # a suggestion is not a tag
        assert len(app.query_one(Timeline).suggestions) == len(expected)
        await pilot.press("delete")  # dismiss the first; the cursor moves on to the second
        await pilot.press("enter")  # accept the second
        await wait_for(pilot, lambda: isinstance(app.screen, TagDetails), what="the details of the accepted one")
        await pilot.press("enter", "enter")
        [accepted] = store.tags()
        assert (accepted.start_ms, accepted.end_ms, accepted.code_id) == (
            expected[1].start_ms,
            expected[1].end_ms,
            expected[1].code_id,
        )
        assert accepted.author_id == app.reviewer.id
        assert len(app.query_one(Timeline).suggestions) == len(expected) - 2
    # Another session of the same review still knows which one was dismissed.
    again = open_demo()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(again.screen, SuggestionsScreen), what="the suggestions again")
        assert expected[0] in again.screen.dismissed
        assert len(again.query_one(Timeline).suggestions) == len(expected) - 2


async def test_the_episodes_view_shows_each_episodes_duration_and_resolution(open_demo):
    app = open_demo()
    app.store.import_review(json.loads((DEMO / "sample_review.json").read_text(encoding="utf-8")))
    episodes = episodes_in(app.store)
    repaired = next(episode for episode in episodes if episode.repair_ms is not None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EpisodesScreen), what="the episodes view")
        rows = app.screen.query_one(OptionList)
        texts = [str(rows.get_option_at_index(index).prompt) for index in range(rows.option_count)]
        assert len(texts) == len(episodes)
        row = texts[episodes.index(repaired)]
        assert f"repair after {spoken_duration(repaired.repair_ms)}" in row
        assert f"resolution {stars(resolution(repaired, app.codebook))}" in row
        rows.highlighted = episodes.index(repaired)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.position_ms == repaired.rupture.start_ms, what="the jump to the rupture")
        assert app.selected_tag_id == repaired.rupture.id


async def test_every_tag_shows_its_author_and_the_palette_filters_by_reviewer(open_demo):
    app = open_demo(("Dr Okafor", "supervisor"))
    store = app.store
    other = store.reviewer("Sam Lee", "therapist")
    mine = store.add_tag(start_ms=FORMULAIC_MS, end_ms=None, code_id=CRITICISES, author=app.reviewer)
    store.add_tag(start_ms=REPAIR_MS, end_ms=None, code_id=OWN_PART, author=other)
    async with app.run_test(size=SIZE) as pilot:
        tag_list = app.query_one(TagList)
        rows = [str(tag_list.get_option_at_index(index).prompt) for index in range(tag_list.option_count)]
        assert "Okafor" in rows[0] and "Lee" in rows[1]
        await pilot.press("ctrl+p", *keys("Show tags by Dr Okafor"))
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(tag_list.shown) == 1, what="the reviewer filter")
        assert tag_list.shown[0].id == mine.id


async def test_the_group_keys_come_from_the_reviews_codebook(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    custom = tmp_path / "mine.toml"
    custom.write_text(
        'id = "mine"\nversion = "1"\nlabel = "Mine"\n\n[[groups]]\nid = "hope"\nkey = "h"\nlabel = "Hope"\n\n'
        '[[groups.codes]]\nid = "hope.spoken"\nlabel = "Hope spoken"\nmeaning = "Says what could be."\ndigit = "1"\n',
        encoding="utf-8",
    )
    session = load_session(demo)
    store = ReviewStore.open(
        tmp_path / "custom.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook(custom)
    )
    player = Player(session.media, duration_ms=session.duration_ms, audio="null")
    app = ReviewApp(session, store, player, store.codebook, store.reviewer("A B", "rater"), Config(audio="null"))
    try:
        async with app.run_test(size=SIZE) as pilot:
            active = app.screen.active_bindings
            assert active["h"].binding.id == "tag-group-hope"
            assert "c" not in active  # the default codebook's keys are not bound
            await go_to(pilot, app, FORMULAIC_MS)
            await tag(pilot, app, "h", "1")
            assert [tag.code_id for tag in store.tags()] == ["hope.spoken"]
            assert app.session.transcript.index_at(FORMULAIC_MS) in app.query_one(TranscriptView).marks
    finally:
        player.close()
        store.close()


async def test_the_reserved_keys_reach_only_tagging_actions(open_demo):
    app = open_demo()
    async with app.run_test(size=SIZE):
        active = app.screen.active_bindings
        for key in "wcrpdafuts":
            assert active[key].binding.action.startswith("tag_group("), key
        tagging = {"i": "mark_in", "o": "mark_out", "e": "edit_tag", "x": "delete_tag", "j": "next_tag", "k": "previous_tag"}
        for key, action in tagging.items():
            assert active[key].binding.action == action
        assert not set(active) & set("0123456789")  # digits belong to the code picker


def test_the_reviewer_comes_from_the_flag_else_the_remembered_one(tmp_path, monkeypatch, codebook):
    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    with ReviewStore.open(
        tmp_path / "r.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=codebook
    ) as store:
        assert resolve_reviewer(store, None) is None
        remember_reviewer("Ana Reyes", "therapist")
        assert (resolve_reviewer(store, None).name, resolve_reviewer(store, None).role) == ("Ana Reyes", "therapist")
        given = resolve_reviewer(store, "Dr Okafor:supervisor")
        assert (given.name, given.role) == ("Dr Okafor", "supervisor")
        remember_reviewer("Ana Reyes", "astronaut")  # a role that no longer parses: ask again
        assert resolve_reviewer(store, None) is None


async def test_a_group_key_moves_with_the_keymap(demo, tmp_path, codebook):
    session = load_session(demo)
    store = ReviewStore.open(tmp_path / "k.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=codebook)
    player = Player(session.media, duration_ms=session.duration_ms, audio="null")
    config = Config(audio="null", keymap={"tag-group-confrontation": "h"})
    app = ReviewApp(session, store, player, store.codebook, store.reviewer("A B", "rater"), config)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("h")
            await wait_for(pilot, lambda: isinstance(app.screen, CodePicker), what="the code picker")
            assert app.screen.group.id == "confrontation"
            assert not any("names no binding" in text for text in notices(app))
    finally:
        player.close()
        store.close()
