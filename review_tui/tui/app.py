"""The review app: owns playback state on the main thread and lays out the panes.

The Player decodes in threads of its own; a timer here reads its clock and latest frame at
the display rate and sets reactives the panes are bound to. Panes send messages up and the
app decides: no pane talks to the player or to another pane.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from review_tui.config import Config
from review_tui.model import ReviewTuiError, format_ms, parse_time
from review_tui.screenshots import save_screenshot
from review_tui.session import Session
from review_tui.text import visible
from review_tui.tui.bindings import (
    APP_BINDINGS,
    TAGGING_BINDINGS,
    group_bindings,
    next_speed,
)
from review_tui.tui.commands import PlaybackCommands, TaggingCommands
from review_tui.tui.exporting import ExportMixin
from review_tui.tui.graphics import choose_video_mode
from review_tui.tui.keymap_check import checked_keymap
from review_tui.tui.linking import EpisodesMixin
from review_tui.tui.reviewers import ReviewersMixin
from review_tui.tui.screens.help import HelpScreen
from review_tui.tui.screens.prompt import PromptScreen
from review_tui.tui.searching import SearchMixin
from review_tui.tui.suggesting import SuggestingMixin
from review_tui.tui.tagging import TaggingMixin
from review_tui.tui.widgets.graphics_video import GraphicsVideoView
from review_tui.tui.widgets.level_meter import LevelMeter
from review_tui.tui.widgets.seekbar import SeekBar
from review_tui.tui.widgets.tag_list import TagList
from review_tui.tui.widgets.timeline import Timeline
from review_tui.tui.widgets.transcript import TranscriptView
from review_tui.tui.widgets.transport import TransportBar
from review_tui.tui.widgets.video import VideoView

# Twice a 30 fps video's rate: polling only at the frame rate beats against it and skips
# frames; a poll with no new frame costs next to nothing.
PLAYING_FPS = 60
POSITION_EVERY_S = 1 / 32  # the clock, seek bar and transcript need no more than this
PAUSED_FPS = 8  # while nothing happens
# After a command (and at start) poll at the playing rate for a moment, so the frame a seek
# or step lands on shows as soon as it is decoded, not up to 1/PAUSED_FPS later.
FAST_AFTER_COMMAND_S = 0.6
SAVE_EVERY_S = 5.0
NARROW_BELOW = 120  # columns: below this the transcript goes under the picture
SHORT_BELOW = 36  # rows: below this the timeline and the tag list wait for T to be shown
POSITION_KEY = "position_ms"
REPLAY_MS = 5000
WARNINGS_SHOWN = 6


class ReviewApp(
    TaggingMixin, ReviewersMixin, EpisodesMixin, SuggestingMixin, ExportMixin, SearchMixin, App[None]
):
    CSS_PATH = "app.tcss"
    BINDINGS = APP_BINDINGS + TAGGING_BINDINGS
    COMMANDS = App.COMMANDS | {PlaybackCommands, TaggingCommands}

    # Playback state the panes are bound to. `var`: a change repaints only the panes bound
    # to it; a plain reactive on the App would repaint the whole screen thirty times a second.
    position_ms: var[int] = var(0, init=False)
    playing: var[bool] = var(False, init=False)
    speed: var[float] = var(1.0, init=False)
    loop: var[tuple[int, int | None] | None] = var(None, init=False)
    frame: var[Any] = var(None, always_update=True, init=False)
    level: var[float] = var(0.0, init=False)
    audio_status: var[str] = var("", init=False)

    def __init__(
        self,
        session: Session,
        store: Any,
        player: Any,
        codebook: Any,
        reviewer: Any,
        config: Config,
        *,
        ask_reviewer: bool = False,
    ) -> None:
        """``codebook`` is the review's own (store.codebook); with no ``reviewer``, one is
        asked for at startup when ``ask_reviewer``, else at the first tag."""
        super().__init__()
        self.session = session
        self.store = store
        self.player = player
        self.codebook = codebook
        self.reviewer = reviewer
        self.ask_reviewer = ask_reviewer
        self.config = config
        # The group keys come from the codebook the review was made with: BINDINGS is fixed per
        # class, a codebook per review, so they join this instance's own bindings.
        for binding in group_bindings(codebook):
            self._bindings.key_to_bindings.setdefault(binding.key, []).append(binding)
        self.keymap, self._keymap_problems = checked_keymap(config.keymap, codebook)
        self.set_keymap(self.keymap)
        self.init_tagging()
        self.init_suggesting()
        self.title = f"review_tui · {visible(session.title)}"
        self.crashed: BaseException | None = None  # an error of ours that ended the app
        self.duration_ms = player.duration_ms
        media = session.media
        self.has_video = media is not None and media.video is not None
        self.audio_only = media is not None and media.audio_only
        self.search_query = ""
        self.hits: list[int] = []
        self._tick_timer: Timer | None = None
        self._tick_fps = 0
        self._frame_serial = -1
        self._ticked_at = 0.0
        self._fast_until = 0.0
        self.video_mode = "halfblock"
        self._video_notice: str | None = None
        self._saved_position: int | None = None
        self._saved_at = 0.0
        self._store_failed = False
        self._player_error: str | None = None

    # --- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):  # a session without media has no #media: the transcript fills it
            if self.has_video:
                with Container(id="media"):
                    yield self._video_view().data_bind(ReviewApp.frame)
            elif self.audio_only:
                with Container(id="media", classes="audio-only"):
                    yield LevelMeter(id="level").data_bind(ReviewApp.level, ReviewApp.playing)
            hours = self.duration_ms >= 3_600_000
            with Vertical(id="side"):
                yield TranscriptView(self.session.transcript, hours=hours, id="transcript").data_bind(
                    ReviewApp.position_ms
                )
                yield TagList(id="tags")
        with Vertical(id="transport"):
            yield Timeline(self.duration_ms, id="timeline").data_bind(ReviewApp.position_ms)
            yield SeekBar(self.duration_ms, id="seekbar").data_bind(ReviewApp.position_ms, ReviewApp.loop)
            with Horizontal(id="status-row"):
                yield TransportBar(self.duration_ms, id="status").data_bind(
                    ReviewApp.position_ms, ReviewApp.playing, ReviewApp.speed, ReviewApp.loop, ReviewApp.audio_status
                )
                yield Static(id="marks")
        yield Footer()

    def on_mount(self) -> None:
        media_pane = self.query("#media")
        if media_pane:
            media_pane.first().border_title = self._media_title()
        transcript = self.query_one(TranscriptView)
        cues = len(transcript.cues)
        transcript.border_title = f"Transcript · {cues} cue{'s' if cues != 1 else ''}" if cues else "Transcript"
        transcript.focus()
        self.mount_tagging()
        self._resume()
        self._show_start_warnings()
        self._tick(force=True)

    def _video_view(self) -> VideoView:
        """Half blocks, unless the config asks for a graphics protocol this terminal speaks."""
        self.video_mode, self._video_notice = choose_video_mode(self.config.video, os.environ)
        if self.video_mode == "halfblock":
            return VideoView(id="video")
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

    # --- the clock ---------------------------------------------------------------

    def _tick(self, force: bool = False) -> None:
        """Read the player; ``force`` after a command, so the screen answers the key at once."""
        player = self.player
        serial = player.frame_serial
        new_frame = serial != self._frame_serial
        now = time.monotonic()
        if not (new_frame or force) and now - self._ticked_at < POSITION_EVERY_S:
            return  # polled early for the next frame: nothing else needs telling yet
        self._ticked_at = now
        if force:
            self._fast_until = now + FAST_AFTER_COMMAND_S
        self.position_ms = player.position_ms()
        if new_frame:
            self._frame_serial = serial
            self.frame = player.latest_frame()
        self._sync(player)
        fast = self.playing or now < self._fast_until
        self._schedule_ticks(PLAYING_FPS if fast else PAUSED_FPS)
        self._save_position(force=False)

    def _sync(self, player: Any) -> None:
        """Copy the player's slower-changing state; a reactive is only set when it changed,
        since every set runs the bindings' machinery."""
        audio_status = player.audio_status if self.session.media is not None else "transcript only"
        state = {"playing": player.playing, "speed": player.speed, "loop": player.loop, "audio_status": audio_status}
        if self.audio_only:
            state["level"] = player.level()
        for name, value in state.items():
            if getattr(self, name) != value:
                setattr(self, name, value)
        self._report_player_error(getattr(player, "error", None))

    def _report_player_error(self, error: str | None) -> None:
        if error and error != self._player_error:
            self.notify(error, title="Playback", severity="error", markup=False)
        self._player_error = error

    def _schedule_ticks(self, fps: int) -> None:
        if fps != self._tick_fps:
            if self._tick_timer is not None:
                self._tick_timer.stop()
            self._tick_fps = fps
            self._tick_timer = self.set_interval(1 / fps, self._tick)

    # --- resume ------------------------------------------------------------------

    def _resume(self) -> None:
        try:
            saved = self.store.get_state(POSITION_KEY)
        except ReviewTuiError as error:
            self.notify(str(error), title="Review file", severity="error", markup=False)
            return
        if saved is None:
            return
        try:
            position = int(saved)
        except ValueError:
            return  # an unreadable bookmark is not worth a complaint: start at the top
        if 0 < position <= self.duration_ms:
            self.player.seek(position)
            self._saved_position = position
            self.notify(f"Resumed at {format_ms(position, millis=False)}", timeout=3, markup=False)

    def _save_position(self, *, force: bool) -> None:
        position = self.position_ms
        now = time.monotonic()
        if position == self._saved_position or self._store_failed:
            return
        if not force and now - self._saved_at < SAVE_EVERY_S:
            return
        self._saved_at = now
        try:
            self.store.set_state(POSITION_KEY, str(position))
        except ReviewTuiError as error:
            self._store_failed = True  # say it once, not every five seconds
            self.notify(f"{error} (the resume point is not saved)", title="Review file", severity="error", markup=False)
            return
        self._saved_position = position

    def on_unmount(self) -> None:
        self._save_position(force=True)

    # --- notifications -----------------------------------------------------------

    def notify(self, message: str, *, title: str = "", markup: bool = True, **options: Any) -> None:
        """Any control character in a message is shown, not sent to the terminal. Messages that
        quote outside text pass markup=False (a "[/x]" in a path is text, not a tag; the test
        tests/test_notify_plain.py holds every caller to it); Textual's own keep their markup."""
        super().notify(visible(message, keep_lines=True), title=visible(title), markup=markup, **options)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None, time_format: str | None = None) -> str | None:
        """The palette's Screenshot, saved privately (review_tui/screenshots.py says why)."""
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

    def _show_start_warnings(self) -> None:
        warnings = [str(problem) for problem in self.session.warnings]
        if self._video_notice:
            warnings.append(self._video_notice)
        source = self.config.source or "config"
        warnings.extend(f"{source}: [keymap] {problem}" for problem in self._keymap_problems)
        if not warnings:
            return
        shown = warnings[:WARNINGS_SHOWN]
        if len(warnings) > WARNINGS_SHOWN:
            shown.append(f"… and {len(warnings) - WARNINGS_SHOWN} more (review-tui info lists them all)")
        title = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
        self.notify("\n".join(shown), title=title, severity="warning", timeout=12, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The one place a failed background job is reported; workers are started with
        # exit_on_error=False so a failure never takes the session down.
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, ReviewTuiError) else f"{type(error).__name__}: {error}"
            self.notify(message, title=f"{event.worker.name or 'background task'} failed", severity="error", markup=False)

    # --- messages from the panes -------------------------------------------------

    @on(TranscriptView.CueSelected)
    def play_from_cue(self, event: TranscriptView.CueSelected) -> None:
        event.stop()
        self.player.seek(event.cue.start_ms)
        self.query_one(TranscriptView).follow_playback()
        self._tick(force=True)

    @on(SeekBar.SeekRequested)
    def seek_from_bar(self, event: SeekBar.SeekRequested) -> None:
        event.stop()
        self.action_seek_to(event.position_ms)

    @on(VideoView.SizeWanted)
    def decode_at_size(self, event: VideoView.SizeWanted) -> None:
        event.stop()
        self.player.set_video_size(event.width_px, event.height_px)

    # --- actions (keys and commands) -----------------------------------------------

    def action_toggle_play(self) -> None:
        self.player.toggle()
        self._tick(force=True)

    def action_seek_by(self, delta_ms: int) -> None:
        self.player.seek_relative(delta_ms)
        self._tick(force=True)

    def action_seek_to(self, position_ms: int) -> None:
        self.player.seek(position_ms)
        self._tick(force=True)

    def action_seek_to_end(self) -> None:
        self.action_seek_to(self.duration_ms)

    def action_step(self, direction: int) -> None:
        self.player.step_frame(direction)
        self._tick(force=True)

    def action_slower(self) -> None:
        self.action_set_speed(next_speed(self.player.speed, -1))

    def action_faster(self) -> None:
        self.action_set_speed(next_speed(self.player.speed, +1))

    def action_normal_speed(self) -> None:
        self.action_set_speed(1.0)

    def action_set_speed(self, speed: float) -> None:
        self.player.set_speed(speed)
        self._tick(force=True)

    def action_replay(self) -> None:
        self.player.replay(REPLAY_MS)
        self._tick(force=True)

    def action_cycle_loop(self) -> None:
        loop = self.player.cycle_loop()
        if loop is None:
            message = "Loop cleared"
        elif loop[1] is None:
            message = f"Loop A at {format_ms(loop[0])} · press l again at B"
        else:
            message = f"Looping {format_ms(loop[0])} → {format_ms(loop[1])} · l clears"
        self.notify(message, timeout=3, markup=False)
        self._tick(force=True)

    def action_goto(self) -> None:
        def check(text: str) -> int:
            position = parse_time(text)
            if position > self.duration_ms:
                raise ValueError(f"beyond the end ({format_ms(self.duration_ms, millis=False)})")
            return position

        def go(position: int | None) -> None:
            if position is not None:
                self.action_seek_to(position)

        self.push_screen(PromptScreen("Go to time", "12:34, 1:02:03.5 or 90s", check), go)

    def action_follow(self) -> None:
        self.query_one(TranscriptView).follow_playback()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.keymap, codebook=self.codebook))

    async def action_quit(self) -> None:
        self._save_position(force=True)
        self.exit()
