"""Two reviewers coding one session (issue 10): a rater codes blind by default, each reviewer
resumes where they left, L reaches any later tag (from the main screen and the episodes
list), the session details dialog, and diarised speakers named once as the session opens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, SelectionList

from review_tui import cli
from review_tui.review_details import read_details
from review_tui.tui.features.playback import POSITION_KEY
from review_tui.tui.screens.episode_links import EpisodeLinks
from review_tui.tui.screens.episodes import EpisodesScreen
from review_tui.tui.screens.rename_speakers import RenameSpeakersScreen
from review_tui.tui.screens.session_details import SessionDetailsDialog
from review_tui.tui.widgets.tag_list import TagList
from review_tui.tui.widgets.transcript import TranscriptView
from tests.tui.conftest import notices, wait_for
from tests.tui.reconcile_sessions import HADDAD, OKAFOR, SIZE, Opener, demo_copy

DIARISED = Path(__file__).resolve().parents[1] / "data" / "transcripts" / "diarised.srt"
RUPTURE = "confrontation.criticises_therapist"
INSIGHT = "alliance.links_people"
INTERVENTION = "intervention.challenge_defense"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture
def opener(folder):
    opener = Opener(demo_copy(folder))
    yield opener
    opener.close()


@pytest.fixture
def empty_opener(folder):
    opener = Opener(demo_copy(folder, samples=False))
    yield opener
    opener.close()


def authors(app) -> set[str]:
    names = {reviewer.id: reviewer.name for reviewer in app.store.reviewers()}
    return {names[tag.author_id] for tag in app.query_one(TagList).rows}


# --- blind coding by default -----------------------------------------------------------


async def test_a_rater_starts_blind_and_the_status_bar_says_so(opener):
    app = opener(HADDAD)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert authors(app) == {HADDAD[0]}
        assert {tag.author_id for tag in app.tags_view.visible} == {app.reviewer.id}  # timeline, marks too
        assert "BLIND" in str(app.query_one("#coding").render())
        await pilot.press("B")
        assert authors(app) == {OKAFOR[0], HADDAD[0]}
        assert str(app.query_one("#coding").render()) == ""
    again = opener(HADDAD)  # the rater's own choice is remembered for them
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert authors(again) == {OKAFOR[0], HADDAD[0]}


async def test_a_supervisor_sees_everyone_by_default(opener):
    app = opener(OKAFOR)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert authors(app) == {OKAFOR[0], HADDAD[0]}
        assert str(app.query_one("#coding").render()) == ""
        await pilot.press("B")
        assert authors(app) == {OKAFOR[0]} and "BLIND" in str(app.query_one("#coding").render())


# --- a resume point per reviewer --------------------------------------------------------


async def leave_at(app, position_ms: int) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.seek_to(position_ms)
        await pilot.press("q")


async def test_each_reviewer_resumes_where_they_left(opener):
    await leave_at(opener(OKAFOR), 100_000)
    await leave_at(opener(HADDAD), 250_000)
    for reviewer, where in ((OKAFOR, 100_000), (HADDAD, 250_000)):
        app = opener(reviewer)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.player.position_ms() == where


async def test_the_old_shared_resume_point_is_read_until_a_reviewer_has_their_own(opener):
    app = opener(HADDAD)
    app.store.set_state(POSITION_KEY, "90000")  # left by a version with one point for everyone
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.player.position_ms() == 90_000
        app.seek_to(200_000)
        await pilot.press("q")
    app = opener(HADDAD)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.player.position_ms() == 200_000


# --- L: any later tag, from the main screen and the episodes list ------------------------


async def test_l_offers_every_later_tag_nearest_first_beyond_three_minutes(empty_opener):
    app = empty_opener(OKAFOR)
    store, me = app.store, app.reviewer
    rupture = store.add_tag(start_ms=60_000, end_ms=None, code_id=RUPTURE, author=me)
    near = store.add_tag(start_ms=90_000, end_ms=None, code_id=INTERVENTION, author=me)
    second_rupture = store.add_tag(start_ms=120_000, end_ms=None, code_id=RUPTURE, author=me)
    far = store.add_tag(start_ms=60_000 + 5 * 60_000, end_ms=None, code_id=INSIGHT, author=me)  # 5 min on
    async with app.run_test(size=SIZE) as pilot:
        app.seek_to(61_000)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, EpisodeLinks), what="the link dialog")
        dialog = app.screen
        assert dialog.rupture.id == rupture.id
        assert [link.tag_id for link in dialog.proposals] == [near.id, far.id]  # past the next rupture too
        assert dialog.checked == [dialog.proposals[0]]  # only the likely answer comes checked
        options = dialog.query_one("#proposals", SelectionList)
        options.highlighted = 1
        await pilot.press("space", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, EpisodeLinks), what="the links made")
    linked = {(link.rupture_id, link.tag_id) for link in store.links()}
    assert linked == {(rupture.id, near.id), (rupture.id, far.id)}
    assert second_rupture.id not in {tag_id for _, tag_id in linked}


async def test_l_in_the_episodes_list_links_the_highlighted_rupture_and_comes_back(empty_opener):
    app = empty_opener(OKAFOR)
    store, me = app.store, app.reviewer
    rupture = store.add_tag(start_ms=60_000, end_ms=None, code_id=RUPTURE, author=me)
    insight = store.add_tag(start_ms=5 * 60_000, end_ms=None, code_id=INSIGHT, author=me)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EpisodesScreen), what="the episodes list")
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, EpisodeLinks), what="the link dialog")
        assert app.screen.rupture.id == rupture.id
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EpisodesScreen), what="back in the list")
        assert app.screen.episodes[0].repairs == (store.tag(insight.id),)
    assert {(link.rupture_id, link.tag_id) for link in store.links()} == {(rupture.id, insight.id)}


async def test_the_link_hint_names_the_rupture_keys_of_the_reviews_codebook(empty_opener):
    app = empty_opener(OKAFOR)
    ruptures = [group for group in app.codebook.groups if group.role == "rupture"]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L")
        said = "\n".join(notices(app))
        assert all(f"({group.key})" in said and group.label.lower() in said for group in ruptures)


# --- session details ------------------------------------------------------------------------


async def test_the_details_dialog_keeps_them_in_the_review_file_and_the_report_shows_them(empty_opener, folder):
    app = empty_opener(OKAFOR)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionDetailsDialog), what="the details dialog")
        dialog = app.screen
        for name, value in (("therapist", "T. Ruiz"), ("client", "Daniel"), ("session_date", "2026-13-40")):
            dialog.query_one(f"#detail-{name}", Input).value = value
        dialog.query_one("#detail-session_number", Input).value = "7"
        dialog.query_one("#detail-goal", Input).value = "Stay with the anger"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SessionDetailsDialog)  # a bad date keeps the dialog and the typing
        assert "YYYY-MM-DD" in str(dialog.query_one("#details-error").render())
        assert dialog.query_one("#detail-session_date", Input).has_focus
        assert read_details(app.store).therapist is None
        await pilot.press(*["backspace"] * 10, *"2026-11-03", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionDetailsDialog), what="saved")
    details = read_details(app.store)
    assert (details.therapist, details.client, details.session_date, details.session_number, details.goal) == (
        "T. Ruiz", "Daniel", "2026-11-03", 7, "Stay with the anger"
    )
    app.store.close()
    report = folder / "out.md"
    assert cli.main(["report", str(folder / "formulaic.mp4"), "-o", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    assert "T. Ruiz" in text and "2026-11-03" in text and "Stay with the anger" in text


# --- diarised speakers named once ---------------------------------------------------------


async def test_diarised_speakers_are_named_once_and_kept_for_every_later_opening(folder):
    transcript = shutil.copy(DIARISED, folder / "talk.srt")
    opener = Opener(Path(transcript))
    try:
        app = opener(OKAFOR)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, RenameSpeakersScreen), what="the offer")
            await pilot.press(*"therapist", "enter", *"patient", "enter")
            await wait_for(pilot, lambda: not isinstance(app.screen, RenameSpeakersScreen), what="named")
            labels = {speaker.label for speaker in app.session.transcript.speakers.values()}
            assert {"Therapist", "Patient"} <= labels
            view = app.query_one(TranscriptView)
            shown = [view.render_line(y).text for y in range(view.scrollable_content_region.height)]
            assert any("Therapist" in line for line in shown) and not any("SPEAKER_00" in line for line in shown)
        again = opener(OKAFOR)  # opened as the CLI opens it: the names applied, no second offer
        assert {"Therapist", "Patient"} <= {s.label for s in again.session.transcript.speakers.values()}
        async with again.run_test(size=SIZE) as pilot:
            await pilot.pause(0.2)
            assert not isinstance(again.screen, RenameSpeakersScreen)
    finally:
        opener.close()


CUSTOM_CODEBOOK = """
id = "mine"
version = "1"
label = "A codebook of our own"

[[groups]]
id = "strain"
key = "z"
label = "Strain"
role = "rupture"

[[groups.codes]]
id = "strain.silence"
label = "Silence"
meaning = "Goes quiet."
digit = "1"

[[groups]]
id = "mend"
key = "m"
label = "Mend"
role = "repair"

[[groups.codes]]
id = "mend.names_it"
label = "Names it"
meaning = "Names what happened between them."
digit = "1"
"""


async def test_hints_name_the_keys_a_custom_codebook_has(folder):
    from review_tui.codebook import load_codebook
    from review_tui.config import Config
    from review_tui.session import load_session
    from review_tui.store import ReviewStore
    from review_tui.tui.app import ReviewApp
    from tests.tui.conftest import CLIP_CUES, write_srt
    from tests.tui.fake_player import ClockPlayer

    path = folder / "mine.toml"
    path.write_text(CUSTOM_CODEBOOK, encoding="utf-8")
    session = load_session(write_srt(folder / "notes.srt", CLIP_CUES))
    store = ReviewStore.open(folder / "r.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook(path))
    try:
        app = ReviewApp(session, store, ClockPlayer(session.duration_ms), store.codebook, store.reviewer("A", "rater"), Config(audio="null"))
        async with app.run_test(size=SIZE) as pilot:
            assert "(z m)" in app.query_one(TagList)._empty_text()
            await pilot.press("L")
            assert any("tag a strain (z) first" in note for note in notices(app))
            await pilot.press("E")
            await wait_for(pilot, lambda: isinstance(app.screen, EpisodesScreen), what="the episodes list")
            assert "strain (z)" in app.screen.empty
    finally:
        store.close()


async def test_blind_coding_turned_on_before_each_reviewer_had_a_choice_stays_on(opener):
    from review_tui.tui.features.reviewers import BLIND_KEY

    app = opener(OKAFOR)
    app.store.set_state(BLIND_KEY, "1")  # the one shared switch of old
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert authors(app) == {OKAFOR[0]}
