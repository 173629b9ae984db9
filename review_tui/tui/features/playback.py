"""Playback keys: play, seek, step, speed, loop, go to a time, the resume point, and the
jumps the player should get ready for while paused."""

from __future__ import annotations

import time
from collections.abc import Sequence

from review_tui.model import ReviewTuiError, Tag, Transcript, format_ms, parse_time
from review_tui.review import rules
from review_tui.tui.bindings import next_speed
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error
from review_tui.tui.screens.prompt import PromptScreen

POSITION_KEY = "position_ms"  # the shared resume point of old; now + ":<reviewer id>"
REPLAY_MS = 5000
SAVE_EVERY_S = 5.0


def toggle_play(host: ReviewHost) -> None:
    host.player.toggle()
    host.tick(force=True)


def seek_by(host: ReviewHost, delta_ms: int) -> None:
    host.player.seek_relative(delta_ms)
    host.tick(force=True)


def seek_to(host: ReviewHost, position_ms: int) -> None:
    host.seek_to(position_ms)


def seek_to_end(host: ReviewHost) -> None:
    host.seek_to(host.duration_ms)


def step(host: ReviewHost, direction: int) -> None:
    host.player.step_frame(direction)
    host.tick(force=True)


def set_speed(host: ReviewHost, speed: float) -> None:
    host.player.set_speed(speed)
    host.tick(force=True)


def slower(host: ReviewHost) -> None:
    set_speed(host, next_speed(host.player.speed, -1))


def faster(host: ReviewHost) -> None:
    set_speed(host, next_speed(host.player.speed, +1))


def normal_speed(host: ReviewHost) -> None:
    set_speed(host, 1.0)


def replay(host: ReviewHost) -> None:
    host.player.replay(REPLAY_MS)
    host.tick(force=True)


def cycle_loop(host: ReviewHost) -> None:
    loop = host.player.cycle_loop()
    if loop is None:
        message = "Loop cleared"
    elif loop[1] is None:
        message = f"Loop A at {format_ms(loop[0])} · press l again at B"
    else:
        message = f"Looping {format_ms(loop[0])} → {format_ms(loop[1])} · l clears"
    host.notify(message, timeout=3, markup=False)
    host.tick(force=True)


def goto(host: ReviewHost) -> None:
    def check(text: str) -> int:
        position = parse_time(text)
        if position > host.duration_ms:
            raise ValueError(f"beyond the end ({format_ms(host.duration_ms, millis=False)})")
        return position

    def go(position: int | None) -> None:
        if position is not None:
            host.seek_to(position, follow=True)  # the transcript comes along, following or not

    host.push_screen(PromptScreen("Go to time", "12:34, 1:02:03.5 or 90s", check), go)


# --- the resume point --------------------------------------------------------------------


def position_key(reviewer) -> str:
    """Each reviewer resumes where they left, not where the other one did."""
    return POSITION_KEY if reviewer is None else f"{POSITION_KEY}:{reviewer.id}"


class ResumePoint:
    """Where the session was left: read once at start, written every few seconds and at exit."""

    def __init__(self) -> None:
        self.saved: int | None = None
        self.saved_at = 0.0
        self.failed = False

    def resume(self, host: ReviewHost) -> None:
        try:
            saved = host.store.get_state(position_key(host.reviewer))
            if saved is None and host.reviewer is not None:
                saved = host.store.get_state(POSITION_KEY)  # left before each reviewer had one
        except ReviewTuiError as error:
            store_error(host, error)
            return
        if saved is None:
            self.saved = 0  # the start needs no bookmark: no write before the first screen
            return
        try:
            position = int(saved)
        except ValueError:
            return  # an unreadable bookmark is not worth a complaint: start at the top
        if 0 < position <= host.duration_ms:
            host.player.seek(position)
            self.saved = position
            host.notify(f"Resumed at {format_ms(position, millis=False)}", timeout=3, markup=False)

    def save(self, host: ReviewHost, position: int, *, force: bool) -> None:
        now = time.monotonic()
        if position == self.saved or self.failed:
            return
        if not force and now - self.saved_at < SAVE_EVERY_S:
            return
        self.saved_at = now
        try:
            host.store.set_state(position_key(host.reviewer), str(position))
        except ReviewTuiError as error:
            self.failed = True  # say it once, not every five seconds
            store_error(host, error, consequence="the resume point is not saved")
            return
        self.saved = position


# --- where the reviewer may jump next -----------------------------------------------------


def likely_jumps(
    position_ms: int, transcript: Transcript | None, tags: Sequence[Tag], selected: Tag | None
) -> list[int]:
    """The times of the next and previous transcript line (Enter on the line below or on
    this one) and of the next and previous tag (j, k: the same rule as the keys), most
    likely first."""
    found: list[int] = []
    if transcript is not None and transcript.cues:
        index = transcript.index_at(position_ms)
        cues = transcript.cues
        if index is None:
            found.append(cues[0].start_ms)
        else:
            if index + 1 < len(cues):
                found.append(cues[index + 1].start_ms)
            back = index if cues[index].start_ms < position_ms else index - 1
            if back >= 0:
                found.append(cues[back].start_ms)
    for direction in (+1, -1):
        tag = rules.step_tag(tags, position_ms, selected, direction)
        if tag is not None:
            found.append(tag.start_ms)
    return list(dict.fromkeys(ms for ms in found if ms != position_ms))


class LikelyJumps:
    """Tells a paused player the lines and tags around the position (its prefetch), once per
    position and tags: the clock calls this at every tick."""

    def __init__(self) -> None:
        self._position_ms: int | None = None
        self._tags_view: object = None  # compared by identity: the app replaces it on change

    def tell(self, host: ReviewHost, position_ms: int) -> None:
        view = host.tags_view
        if host.player.playing or (position_ms == self._position_ms and view is self._tags_view):
            return
        self._position_ms, self._tags_view = position_ms, view
        shown = rules.shown_tags(host.tags_view, host.codebook)
        selected = next((tag for tag in host.tags_view.visible if tag.id == host.state.selected_tag_id), None)
        host.player.set_likely_targets(likely_jumps(position_ms, host.session.transcript, shown, selected))


ACTIONS = {
    "toggle_play": toggle_play,
    "seek_by": seek_by,
    "seek_to": seek_to,
    "seek_to_end": seek_to_end,
    "step": step,
    "set_speed": set_speed,
    "slower": slower,
    "faster": faster,
    "normal_speed": normal_speed,
    "replay": replay,
    "cycle_loop": cycle_loop,
    "goto": goto,
}
