"""The review app: routing and layout. It lays out the panes, binds them to its reactives, and
routes keys, messages and actions to the feature modules (tui/features/), which act on it
through the ReviewHost protocol (tui/host.py); the rules live in review/.

The Player decodes in threads of its own; a timer (tui/clock.py) reads its clock and latest frame at
the display rate and sets the reactives the panes are bound to. The tags reach the panes the
same way: one TagsView, set from the store once per change. Panes send messages up and the
app decides: no pane talks to the player or to another pane, and no pane is read for state.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from review_tui import startup_mode
from review_tui.config import Config
from review_tui.model import ReviewTuiError
from review_tui.review import rules
from review_tui.review.state import ReviewState, TagsView
from review_tui.review.wording import plural
from review_tui.session import Session
from review_tui.text import visible
from review_tui.tui.bindings import APP_BINDINGS, TAGGING_BINDINGS
from review_tui.tui import direct_keys
from review_tui.tui.commands import PlaybackCommands, TaggingCommands
from review_tui.tui.actions import all_actions
from review_tui.tui.features import reviewers, speakers, suggesting, tagging
from review_tui.tui.features.playback import ResumePoint
from review_tui.tui.first_picture import NARROW_BELOW, SHORT_BELOW  # the layout's breakpoints, guessed from too
from review_tui.tui.graphics import choose_video_mode
from review_tui.tui.host import PlayerLike
from review_tui.tui.keyfeed import KeyFeed
from review_tui.tui.keymap_check import checked_keymap
from review_tui.tui.main_screen import main_screen
from review_tui.tui.clock import PlayerClock
from review_tui.tui.notices import start_warnings, store_error
from review_tui.tui.textual_leaks import Footer, mend_styles_cache
from review_tui.tui.widgets.seekbar import SeekBar
from review_tui.tui.widgets.suggestions import SuggestionsView
from review_tui.tui.widgets.tag_list import TagList
from review_tui.tui.widgets.timeline import Timeline
from review_tui.tui.widgets.transcript import TranscriptView
from review_tui.tui.widgets.transport import TransportBar
from review_tui.tui.widgets.video import VideoView



class ReviewApp(App[None]):
    CSS_PATH = "app.tcss"
    BINDINGS = APP_BINDINGS + TAGGING_BINDINGS
    COMMANDS = App.COMMANDS | {PlaybackCommands, TaggingCommands}

    # Playback state the panes are bound to. `var`: a change repaints only the panes bound
    # to it; a plain reactive on the App would repaint the whole screen thirty times a second.
    position_ms: var[int] = var(0, init=False)
    # The position the transcript, timeline and seek bar show: position_ms, except that after
    # a command's new picture it follows one screen update later (tui/clock.py).
    side_position_ms: var[int] = var(0, init=False)
    playing: var[bool] = var(False, init=False)
    speed: var[float] = var(1.0, init=False)
    loop: var[tuple[int, int | None] | None] = var(None, init=False)
    frame: var[Any] = var(None, always_update=True, init=False)
    level: var[float] = var(0.0, init=False)
    audio_status: var[str] = var("", init=False)
    tags_view: var[TagsView] = var(TagsView, init=False)

    def __init__(
        self,
        session: Session,
        store: Any,
        player: PlayerLike,
        codebook: Any,
        reviewer: Any,
        config: Config,
        *,
        ask_reviewer: bool = False,
    ) -> None:
        """``codebook`` is the review's own (store.codebook); with no ``reviewer``, one is
        asked for at startup when ``ask_reviewer``, else at the first tag."""
        super().__init__()
        mend_styles_cache()  # before the first widget draws (textual_leaks.py says why)
        self.session = session
        self.store = store
        self.player = player
        self.codebook = codebook
        self.reviewer = reviewer
        self.ask_reviewer = ask_reviewer
        self.config = config
        self.state = ReviewState()
        self.keymap, self._keymap_problems = checked_keymap(config.keymap, codebook)
        self.set_keymap(self.keymap)
        self.title = f"review_tui · {visible(session.title)}"
        self.crashed: BaseException | None = None  # an error of ours that ended the app
        self.duration_ms = player.duration_ms
        media = session.media
        self.has_video = media is not None and media.video is not None
        self.audio_only = media is not None and media.audio_only
        self.video_mode = "halfblock"
        self._video_notice: str | None = None
        self._resume_point = ResumePoint()
        self._clock = PlayerClock(self, self._resume_point)
        self._tags: tuple = ()
        self._reviewers: tuple = ()
        self._keys = KeyFeed(self, self._route_key)

    # --- layout --------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return main_screen(self.codebook)  # the group keys of this review's codebook

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):  # a session without media has no #media: the transcript fills it
            if self.has_video:
                with Container(id="media"):
                    yield self._video_view().data_bind(ReviewApp.frame, ReviewApp.playing)
            elif self.audio_only:
                from review_tui.tui.widgets.level_meter import LevelMeter  # the panes each session lacks: not imported

                with Container(id="media", classes="audio-only"):
                    yield LevelMeter(id="level").data_bind(ReviewApp.level, ReviewApp.playing)
            hours = self.duration_ms >= 3_600_000
            with Vertical(id="side"):
                transcript = TranscriptView(self.session.transcript, self.codebook, hours=hours, id="transcript")
                yield transcript.data_bind(ReviewApp.tags_view, position_ms=ReviewApp.side_position_ms)
                yield TagList(self.codebook, id="tags").data_bind(ReviewApp.tags_view)
        with Vertical(id="transport"):
            timeline = Timeline(self.duration_ms, self.codebook, id="timeline")
            yield timeline.data_bind(ReviewApp.tags_view, position_ms=ReviewApp.side_position_ms)
            yield SeekBar(self.duration_ms, id="seekbar").data_bind(ReviewApp.loop, position_ms=ReviewApp.side_position_ms)
            with Horizontal(id="status-row"):
                yield TransportBar(self.duration_ms, id="status").data_bind(
                    ReviewApp.position_ms, ReviewApp.playing, ReviewApp.speed, ReviewApp.loop, ReviewApp.audio_status
                )
                yield Static(id="marks")
                yield Static(id="coding", markup=False)  # blind coding, said while it is on
        yield Footer()

    def on_mount(self) -> None:
        media_pane = self.query("#media")
        if media_pane:
            media_pane.first().border_title = self._media_title()
        video = self.query(VideoView)
        hook = getattr(self.player, "set_ready_frame_hook", None)
        if video and hook is not None:
            hook(video.first().prepare_soon)  # frames ready for a likely seek are drawn ahead
        transcript = self.query_one(TranscriptView)
        cues = len(transcript.cues)
        transcript.border_title = f"Transcript · {plural(cues, 'cue')}" if cues else "Transcript"
        self.screen.set_focus(transcript)
        reviewers.load_blind(self)
        self.publish_tags()
        self.show_marks()
        tagging.watch_pending(self)
        if self.reviewer is None and self.ask_reviewer:
            from review_tui.tui.screens.reviewer_prompt import ReviewerPrompt

            self.push_screen(ReviewerPrompt(), lambda answer: reviewers.reviewer_given(self, answer))
        speakers.offer_names(self)  # once per review, when speech recognition numbered them
        self._resume_point.resume(self)
        start_warnings(self, self._video_notice, self._keymap_problems)
        self.tick(force=True)
        self.call_after_refresh(self._first_screen_painted)

    def _first_screen_painted(self) -> None:
        # The keyframe pictures and the prefetch wait for the first screen, and the
        # interpreter's start-up mode lasts until it (review_tui/startup_mode.py).
        self.player.release_background()
        startup_mode.settle()

    def _video_view(self) -> VideoView:
        """Half blocks, unless the config asks for a graphics protocol this terminal speaks."""
        self.video_mode, self._video_notice = choose_video_mode(self.config.video, os.environ)
        if self.video_mode == "halfblock":
            return VideoView(id="video")
        from review_tui.tui.widgets.graphics_video import GraphicsVideoView

        return GraphicsVideoView(id="video", protocol=self.video_mode)

    def _media_title(self) -> str:
        media = self.session.media
        name = visible(self.session.media_path.name) if self.session.media_path else ""
        if media is not None and media.video is not None:
            width, height = media.video.display_size
            return f"{name} · {width}×{height}"
        return f"{name} · audio only"

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_BELOW, "-narrow")
        self.set_class(event.size.height < SHORT_BELOW, "-short")

    def action_toggle_tag_list(self) -> None:
        tag_list = self.query_one(TagList)
        if not tag_list.display:
            tag_list.display = True
            self.screen.set_focus(tag_list)
        elif tag_list.has_focus:
            tag_list.display = False
            self.screen.set_focus(self.query_one(TranscriptView))
        else:
            self.screen.set_focus(tag_list)

    def action_follow(self) -> None:
        self.query_one(TranscriptView).follow_playback()

    def action_help(self) -> None:
        from review_tui.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.keymap, codebook=self.codebook))

    def notify(self, message: str, *, title: str = "", markup: bool = True, **options: Any) -> None:
        """Any control character in a message is shown, not sent to the terminal. Messages that
        quote outside text pass markup=False (a "[/x]" in a path is text, not a tag; the test
        tests/test_notify_plain.py holds every caller to it); Textual's own keep their markup."""
        super().notify(visible(message, keep_lines=True), title=visible(title), markup=markup, **options)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None, time_format: str | None = None) -> str | None:
        """The palette's Screenshot, saved privately (review_tui/screenshots.py says why)."""
        from review_tui.screenshots import save_screenshot

        try:
            saved = save_screenshot(self.export_screenshot(), Path(path) if path else None)
        except OSError as error:
            self.notify(f"Not saved: {error}", title="Screenshot", severity="error", markup=False)
            return None
        self.notify(str(saved), title="Screenshot saved (only you can read it)", timeout=8, markup=False)
        return None

    def _handle_exception(self, error: Exception) -> None:
        # Textual would print this traceback with each frame's local variables once the screen
        # is restored, and locals can hold what a patient said. Keep the error for the command
        # line to write to a 0600 crash log instead, and drop what Textual meant to print.
        if self.crashed is None:
            self.crashed = error
        super()._handle_exception(error)
        self._exit_renderables.clear()

    async def action_quit(self) -> None:
        self._resume_point.save(self, self.position_ms, force=True)
        self._keys.stop()
        self.exit()

    # --- the host's side (tui/host.py) ---------------------------------------------

    def publish_tags(self, *, reread: bool = True) -> None:
        if reread:
            try:
                self._tags, self._reviewers = tuple(self.store.tags()), tuple(self.store.reviewers())
            except ReviewTuiError as error:
                store_error(self, error)
                return
        state = self.state
        blind_id = self.reviewer.id if state.blind and self.reviewer is not None else None
        view = TagsView(self._tags, self._reviewers, blind_id, state.tag_filter, state.selected_tag_id)
        suggestions = rules.open_suggestions(state.suggestions, view.visible, state.dismissed_keys)
        self.tags_view = replace(view, suggestions=tuple(suggestions))
        self.query_one("#coding", Static).update(reviewers.coding_text(self))

    def show_marks(self) -> None:
        self.query_one("#marks", Static).update(tagging.marks_text(self))

    def seek_to(self, position_ms: int, *, follow: bool = False) -> None:
        self.player.seek(position_ms)
        self.tick(force=True)
        if follow:
            # After the screen update that carries the new picture, as the rest of the side
            # pane's changes are (tui/clock.py): bringing the transcript back to following
            # redraws its cursor line, its border and often its scroll, and in the same
            # update made a cue jump's picture ~3 ms later than an arrow key's.
            self.call_after_refresh(self.query_one(TranscriptView).follow_playback)

    def show_speakers(self) -> None:
        self.query_one(TranscriptView).show_speakers(self.session.transcript)

    def clear_line_selection(self) -> None:
        self.query_one(TranscriptView).clear_selection()

    def show_hits(self) -> None:
        state = self.state
        self.query_one(TranscriptView).show_hits(state.search_query, frozenset(state.hits), whole_words=state.search_words)

    # --- keys, one at a time (tui/keyfeed.py) ----------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not self.screen_stack:
                # Closing: a key still travelling up from a widget (typed with or just before
                # the quit) has no screen left, and Textual would end on an error looking for one.
                return
            if not event.is_forwarded:
                self._keys.put(event)
                return
        await super().on_event(event)

    async def _route_key(self, key: events.Key) -> None:
        if not await direct_keys.run_binding(self, key):  # a seek's picture does not wait for the focus chain
            await App.on_event(self, key)

    # --- the clock (tui/clock.py) ---------------------------------------------------

    def tick(self, force: bool = False) -> None:
        self._clock.tick(force=force)

    def on_unmount(self) -> None:
        self._resume_point.save(self, self.position_ms, force=True)
        hook = getattr(self.player, "set_ready_frame_hook", None)
        if hook is not None:
            hook(None)

    # --- notifications -----------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The one place a failed background job is reported; workers are started with
        # exit_on_error=False so a failure never takes the session down.
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, ReviewTuiError) else f"{type(error).__name__}: {error}"
            self.notify(message, title=f"{event.worker.name or 'background task'} failed", severity="error", markup=False)

    # --- messages from the panes, routed to the features ------------------------------

    @on(TranscriptView.CueSelected)
    def _cue_selected(self, event: TranscriptView.CueSelected) -> None:
        event.stop()
        self.seek_to(event.cue.start_ms, follow=True)

    @on(TranscriptView.SelectionChanged)
    def _lines_selected(self, event: TranscriptView.SelectionChanged) -> None:
        event.stop()
        tagging.lines_selected(self, event.selection)

    @on(SeekBar.SeekRequested)
    @on(Timeline.SeekRequested)
    def _seek_requested(self, event: SeekBar.SeekRequested | Timeline.SeekRequested) -> None:
        event.stop()
        self.seek_to(event.position_ms)

    @on(VideoView.SizeWanted)
    def _size_wanted(self, event: VideoView.SizeWanted) -> None:
        event.stop()
        self.player.set_video_size(event.width_px, event.height_px)

    @on(TagList.TagSelected)
    def _tag_selected(self, event: TagList.TagSelected) -> None:
        event.stop()
        tagging.tag_chosen(self, event.tag_id)

    @on(TagList.TagHighlighted)
    def _tag_highlighted(self, event: TagList.TagHighlighted) -> None:
        event.stop()
        tagging.tag_highlighted(self, event.tag_id)

    @on(TagList.FilterWanted)
    def _filter_wanted(self, event: TagList.FilterWanted) -> None:
        event.stop()
        wanted = event.tag_filter
        reviewers.set_filter(self, group=wanted.group, code=wanted.code, author_id=wanted.author_id)

    @on(suggesting.SuggestionsFound)
    def _suggestions_found(self, message: suggesting.SuggestionsFound) -> None:
        suggesting.found(self, message.suggestions)

    @on(SuggestionsView.SuggestionDismissed)
    def _suggestion_dismissed(self, event: SuggestionsView.SuggestionDismissed) -> None:
        event.stop()
        suggesting.judged(self, event.suggestion, dismissed=True)

    @on(SuggestionsView.SuggestionRestored)
    def _suggestion_restored(self, event: SuggestionsView.SuggestionRestored) -> None:
        event.stop()
        suggesting.judged(self, event.suggestion, dismissed=False)


# The features' actions become the app's own (``action_<name>``), so bindings and the palette
# reach them by name; each is a function of the host, which the app is.
for _name, _action in all_actions().items():
    setattr(ReviewApp, f"action_{_name}", _action)
del _name, _action
