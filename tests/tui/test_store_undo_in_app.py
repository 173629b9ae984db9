"""The store's undo as the reviewer meets it in the app: one tag, one ctrl+z; another
reviewer's tag is never taken back; a rating for a tag deleted elsewhere says so."""

from __future__ import annotations

from pathlib import Path

from review_tui.tui.screens.tag_details import TagDetails
from review_tui.tui.widgets.tag_list import TagList
from tests.tui.conftest import notices, wait_for
from tests.tui.test_tagging_flow import CRITICISES, FORMULAIC_MS, SIZE, demo, go_to, keys, open_demo, tag  # noqa: F401 - fixtures

__all__ = ["demo", "open_demo"]


async def test_tag_rate_note_then_one_ctrl_z_leaves_no_tag(open_demo):  # noqa: F811
    app = open_demo()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, app, FORMULAIC_MS)
        await tag(pilot, app, "c", "1", rating="4", note="formulaic")
        [made] = store.tags()
        assert (made.rating, made.note) == (4, "formulaic")
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: store.tags() == [], what="the whole tag to be undone")
        assert any("Undone: add" in text for text in notices(app))
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: len(store.tags()) == 1, what="the tag to come back")
        assert (store.tags()[0].rating, store.tags()[0].note) == (4, "formulaic")


async def test_ctrl_z_leaves_another_reviewers_tag_alone(open_demo):  # noqa: F811
    app = open_demo()
    store = app.store
    lind = store.reviewer("Lind", "therapist")
    theirs = store.add_tag(start_ms=1000, end_ms=None, code_id="confrontation.criticises_therapist", author=lind)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z")
        await pilot.pause(0.1)
        assert store.tags() == [theirs]
        assert any("Nothing to undo" in text for text in notices(app))


async def test_a_rating_for_a_tag_deleted_meanwhile_is_reported(open_demo):  # noqa: F811
    app = open_demo()
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, app, FORMULAIC_MS)
        await pilot.press("c", "1")
        await wait_for(pilot, lambda: isinstance(app.screen, TagDetails), what="the details dialog")
        [made] = store.tags()
        store.delete_tag(made.id)  # as another window would, while the dialog is open
        await pilot.press("4", "enter", *keys("late"), "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, TagDetails), what="the dialog to close")
        await wait_for(
            pilot,
            lambda: any(f"tag {made.id} is no longer in this review" in text for text in notices(app)),
            what="the refusal to be shown",
        )


async def test_a_tag_made_while_the_review_is_locked_shows_as_pending_then_lands(open_demo):  # noqa: F811
    import sqlite3

    app = open_demo()
    store = app.store
    other = sqlite3.connect(store.path, isolation_level=None)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, app, FORMULAIC_MS)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE session SET created_at = created_at")
        await tag(pilot, app, "c", "1", rating="4", note="formulaic")
        assert any("pending: formulaic.review.sqlite is locked by another program" in text for text in notices(app))
        assert [(shown.rating, shown.note) for shown in app.query_one(TagList).shown] == [(4, "formulaic")]
        other.execute("COMMIT")
        other.close()
        await wait_for(pilot, lambda: store.pending_count() == 0, what="the pending tag to land")
        await wait_for(
            pilot, lambda: any("written to the review file" in text for text in notices(app)), what="the landing notice"
        )
        await wait_for(pilot, lambda: all(shown.id > 0 for shown in app.query_one(TagList).shown), what="the refresh")
        assert app.selected_tag_id == store.tags()[0].id  # the selection follows the tag into the file
    check = sqlite3.connect(store.path)
    assert check.execute("SELECT code_id, rating, note FROM tags").fetchall() == [
        ("confrontation.criticises_therapist", 4, "formulaic")
    ]
    check.close()


async def test_start_up_warns_of_a_copy_that_holds_tags_the_review_lacks(demo, tmp_path, codebook, monkeypatch):  # noqa: F811
    import shutil

    from review_tui.cli import open_store
    from review_tui.config import Config
    from review_tui.media.player import Player
    from review_tui.session import load_session
    from review_tui.store import ReviewStore
    from review_tui.store.paths import beside_path, fallback_path
    from review_tui.tui.app import ReviewApp

    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "recording"
    folder.mkdir()
    media = Path(shutil.copy(demo, folder / demo.name))
    shutil.copy(demo.with_suffix(".srt"), folder / "formulaic.srt")
    beside, copy = beside_path(media), fallback_path(media)
    with ReviewStore.open(beside, media_fingerprint=None, transcript_fingerprint=None, codebook=codebook) as store:
        store.add_tag(start_ms=1000, end_ms=None, code_id=CRITICISES, author=store.reviewer("Okafor", "supervisor"))
    copy.parent.mkdir(parents=True)
    shutil.copy(beside, copy)
    with ReviewStore.open(copy, media_fingerprint=None, transcript_fingerprint=None, codebook=codebook) as store:
        store.add_tag(start_ms=9000, end_ms=None, code_id=CRITICISES, author=store.reviewer("Okafor", "supervisor"))
    session = load_session(media)
    store = open_store(session, None, codebook)
    player = Player(session.media, duration_ms=session.duration_ms, audio="null")
    try:
        app = ReviewApp(session, store, player, store.codebook, store.reviewer("Okafor", "supervisor"), Config(audio="null"))
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: any("holds 1 tag this review lacks" in text for text in notices(app)),
                           what="the start-up warning")  # fmt: skip
            [warning] = [text for text in notices(app) if "holds 1 tag" in text]
            assert "the copy kept while it was read-only is newer" in warning
            assert f"review-tui merge {media}" in warning
    finally:
        player.close()
        store.close()
