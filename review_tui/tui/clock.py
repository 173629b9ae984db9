"""The bridge from the player's threads to the panes: a timer reads the player's clock and
latest frame at the display rate and sets the app reactives the panes are bound to.

Fast while playing and just after a command (so a seek's frame shows the moment it is
decoded), slow while nothing happens; a reactive is set only when its value changed, since
every set runs the bindings' machinery.
"""

from __future__ import annotations

import time

from textual.timer import Timer

from review_tui.tui.features.playback import LikelyJumps

# Twice a 30 fps video's rate: polling only at the frame rate beats against it and skips
# frames; a poll with no new frame costs next to nothing.
PLAYING_FPS = 60
POSITION_EVERY_S = 1 / 32  # the clock, seek bar and transcript need no more than this
PAUSED_FPS = 8  # while nothing happens
# After a command (and at start) poll at the playing rate for a moment, so the frame a seek
# or step lands on shows as soon as it is decoded, not up to 1/PAUSED_FPS later.
FAST_AFTER_COMMAND_S = 0.6


class PlayerClock:
    def __init__(self, app, resume_point) -> None:
        self.app = app  # the ReviewApp: its reactives and set_interval
        self.resume_point = resume_point
        self._timer: Timer | None = None
        self._fps = 0
        self._frame_serial = -1
        self._ticked_at = 0.0
        self._fast_until = 0.0
        self._player_error: str | None = None
        self._likely_jumps = LikelyJumps()

    def tick(self, *, force: bool = False) -> None:
        """Read the player; ``force`` after a command, so the screen answers the key at once."""
        app, player = self.app, self.app.player
        serial = player.frame_serial
        new_frame = serial != self._frame_serial
        now = time.monotonic()
        if not (new_frame or force) and now - self._ticked_at < POSITION_EVERY_S:
            return  # polled early for the next frame: nothing else needs telling yet
        self._ticked_at = now
        if force:
            self._fast_until = now + FAST_AFTER_COMMAND_S
        app.position_ms = player.position_ms()
        if new_frame:
            self._frame_serial = serial
            app.frame = player.latest_frame()
        if force and new_frame:
            # A command's picture goes out in a screen update of its own, with the clock; the
            # transcript, timeline and seek bar follow in the next, so the one thing the
            # reviewer watches for is not held back by redrawing the rest (measured in a
            # 160x45 pty: those three were ~3 ms of a seek's 6-10 ms screen update). Playing
            # too: `b` seeks and plays, and its replayed moment is the picture to answer with.
            app.call_after_refresh(self._show_position_beside)
        else:
            app.side_position_ms = app.position_ms
        self._sync()
        fast = app.playing or now < self._fast_until
        self._schedule(PLAYING_FPS if fast else PAUSED_FPS)
        self.resume_point.save(app, app.position_ms, force=False)
        self._likely_jumps.tell(app, app.position_ms)

    def _show_position_beside(self) -> None:
        self.app.side_position_ms = self.app.position_ms

    def _sync(self) -> None:
        """Copy the player's slower-changing state, each only when it changed."""
        app, player = self.app, self.app.player
        audio_status = player.audio_status if app.session.media is not None else "transcript only"
        state = {"playing": player.playing, "speed": player.speed, "loop": player.loop, "audio_status": audio_status}
        if app.audio_only:
            state["level"] = player.level()
        for name, value in state.items():
            if getattr(app, name) != value:
                setattr(app, name, value)
        error = getattr(player, "error", None)
        if error and error != self._player_error:
            app.notify(error, title="Playback", severity="error", markup=False)
        self._player_error = error

    def _schedule(self, fps: int) -> None:
        if fps != self._fps:
            if self._timer is not None:
                self._timer.stop()
            self._fps = fps
            self._timer = self.app.set_interval(1 / fps, lambda: self.tick())
