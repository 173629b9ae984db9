"""The status line under the seek bar: play state, time, speed, A–B loop, audio."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from review_tui.model import format_ms


def clock_text(ms: int, *, hours: bool, millis: bool = False) -> str:
    """MM:SS, or H:MM:SS for sessions of an hour or more (so the width never jumps); with
    ``millis`` MM:SS.mmm, for a reviewer stepping frames."""
    text = format_ms(ms, millis=millis)
    if hours and text.count(":") == 1:
        text = "0:" + text
    return text


def speed_text(speed: float) -> str:
    return f"{speed:g}×"


class TransportBar(Widget):
    DEFAULT_CSS = """
    TransportBar {
        height: 1;
        width: 1fr;
    }
    """

    position_ms: reactive[int] = reactive(0, repaint=False)
    playing: reactive[bool] = reactive(False)
    speed: reactive[float] = reactive(1.0)
    loop: reactive[tuple[int, int | None] | None] = reactive(None)
    audio_status: reactive[str] = reactive("")

    def __init__(self, duration_ms: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.duration_ms = duration_ms
        self.hours = duration_ms >= 3_600_000
        self._drawn_clock = ""

    def clock(self) -> str:
        # Paused, the exact moment matters (frame steps are 40 ms apart); playing, it would flicker.
        now = clock_text(self.position_ms, hours=self.hours, millis=not self.playing)
        return f"{now} / {clock_text(self.duration_ms, hours=self.hours)}"

    def watch_position_ms(self) -> None:
        if self.clock() != self._drawn_clock:
            self.refresh()

    def render(self) -> Content:
        self._drawn_clock = self.clock()
        state = ("▶ Playing", "bold $success") if self.playing else ("‖ Paused ", "bold $warning")
        speed_style = "$text" if self.speed == 1.0 else "bold $accent"
        parts: list[tuple[str, str] | str] = [
            state, "  ", (self._drawn_clock, "bold"), "   ", ("speed ", "$text-muted"), (speed_text(self.speed), speed_style),
        ]
        if self.loop:
            start, end = self.loop
            loop_text = f"A {clock_text(start, hours=self.hours)}"
            loop_text += f" → B {clock_text(end, hours=self.hours)}" if end is not None else " → B ?"
            parts += ["   ", ("loop ", "$text-muted"), (loop_text, "bold $warning")]
        if self.audio_status:
            parts += ["   ", (self.audio_status, "$text-muted")]
        return Content.assemble(*parts)
