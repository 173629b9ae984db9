"""What the feature modules need from the app, typed: a small surface instead of the app class.

The features (tui/features/) act on a ``ReviewHost``; ReviewApp is one. Nothing under tui/
imports the app, so the import picture has no circle, and a feature is read against this
page rather than against the whole app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from review_tui.config import Config
from review_tui.model import Codebook, Reviewer
from review_tui.review.state import ReviewState, TagsView
from review_tui.session import Session


class PlayerLike(Protocol):
    """The player as the UI uses it: a clock it can read and steer, and the latest picture.
    media.player.Player is the real one; a clock-only stand-in serves tests that need time
    but no decoded picture."""

    @property
    def playing(self) -> bool: ...
    @property
    def speed(self) -> float: ...
    @property
    def loop(self) -> tuple[int, int | None] | None: ...
    @property
    def duration_ms(self) -> int: ...
    @property
    def audio_status(self) -> str: ...
    @property
    def frame_serial(self) -> int: ...

    error: str | None

    def position_ms(self) -> int: ...
    def latest_frame(self) -> Any: ...
    def level(self) -> float: ...
    def toggle(self) -> None: ...
    def seek(self, ms: int) -> None: ...
    def seek_relative(self, delta_ms: int) -> None: ...
    def step_frame(self, direction: int) -> None: ...
    def set_speed(self, speed: float) -> None: ...
    def cycle_loop(self) -> tuple[int, int | None] | None: ...
    def replay(self, back_ms: int = 5000) -> None: ...
    def set_video_size(self, width_px: int, height_px: int) -> None: ...
    def set_likely_targets(self, targets_ms: Iterable[int]) -> None: ...
    def close(self) -> None: ...


class ReviewHost(Protocol):
    session: Session
    store: Any  # store.ReviewStore
    player: PlayerLike
    codebook: Codebook
    reviewer: Reviewer | None
    config: Config
    keymap: dict[str, str]
    state: ReviewState
    tags_view: TagsView
    duration_ms: int

    # --- Textual's own, as the features use them ---
    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None, markup: bool = True) -> None: ...
    def push_screen(self, screen: Any, callback: Callable[[Any], Any] | None = None) -> Any: ...
    def post_message(self, message: Any) -> bool: ...
    def bell(self) -> None: ...
    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> Any: ...

    # --- the app's ---
    def publish_tags(self, *, reread: bool = True) -> None:
        """Hand the panes one new TagsView, from the store (``reread``) or, when only the
        selection or the filter changed, from the tags already read."""

    def show_marks(self) -> None:
        """Say under the transport what the next tag will cover."""

    def tick(self, *, force: bool = False) -> None:
        """Read the player now, so the screen answers a key at once."""

    def seek_to(self, position_ms: int, *, follow: bool = False) -> None:
        """Seek, answer on screen at once; ``follow`` brings the transcript back along."""

    def show_speakers(self) -> None:
        """The transcript pane shows the session transcript's speaker names again (renamed)."""

    def clear_line_selection(self) -> None: ...
    def show_hits(self) -> None: ...
    def run_worker(self, work: Callable[[], Any], **options: Any) -> Any: ...
