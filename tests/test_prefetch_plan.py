"""What a paused player fetches ahead: the seek keys' targets and the lines and tags around
the position (core: no UI, no decode)."""

from __future__ import annotations

import pytest

from review_tui.media.pictures import SeekPictures
from review_tui.media import prefetch
from review_tui.media.prefetch import Prefetcher, planned_times
from review_tui.media.probe import probe
from review_tui.media.video import FrameGrid
from review_tui.model import Cue, MediaInfo, Tag, Transcript
from review_tui.tui.features.playback import likely_jumps

FPS = 25


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> MediaInfo:
    from tests.media_factory import make_video

    return probe(make_video(tmp_path_factory.mktemp("plan") / "long.mp4", seconds=60, size="64x48", fps=FPS, audio=False))


def transcript(*spans: tuple[int, int]) -> Transcript:
    return Transcript(None, "srt", "utf-8", [Cue(number, start, end, f"line {number}") for number, (start, end) in enumerate(spans)])


def tag(tag_id: int, start_ms: int) -> Tag:
    return Tag(tag_id, start_ms, None, "rupture", None, "", 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")


def prefetcher(clip: MediaInfo, keyframes_mb: float = 0) -> Prefetcher:
    return Prefetcher(clip, FrameGrid(FPS), SeekPictures(clip, ring_mb=1, keyframes_mb=keyframes_mb))


def test_the_lines_and_tags_around_the_position_most_likely_first() -> None:
    lines = transcript((1000, 3000), (7340, 9000), (27340, 29000))
    tags = [tag(1, 2000), tag(2, 15000), tag(3, 40000)]
    # Inside the second line: the next line, the start of this one, the next and previous tag.
    assert likely_jumps(8000, lines, tags, None) == [27340, 7340, 15000, 2000]
    # On a line's start (just jumped there): back means the line before.
    assert likely_jumps(7340, lines, tags, None) == [27340, 1000, 15000, 2000]
    # Before the first line; the tags wrap round as j and k do.
    assert likely_jumps(500, lines, tags, None) == [1000, 2000, 40000]
    # After the last line, no transcript, no tags.
    assert likely_jumps(50000, lines, [], None) == [27340]
    assert likely_jumps(50000, None, [], None) == []


def test_the_selected_tag_is_stepped_from_as_the_keys_do() -> None:
    twins = [tag(1, 5000), tag(2, 5000), tag(3, 9000)]
    # On tag 1 (selected, the playhead at its start): j goes to its twin at the same time,
    # which is the position itself and so not worth fetching; k wraps to the last tag.
    assert likely_jumps(5000, None, twins, twins[0]) == [9000]
    assert likely_jumps(5000, None, twins, twins[1]) == [9000]


def test_seek_keys_and_hints_are_taken_in_turn() -> None:
    assert planned_times(10000, [27340, 7340, 15000]) == [15000, 27340, 5000, 7340, 40000, 15000]
    assert planned_times(10000, []) == [15000, 5000, 40000]


def test_the_plan_holds_the_cue_and_tag_targets_as_grid_frames(clip: MediaInfo) -> None:
    fetch = prefetcher(clip)
    duration = clip.duration_ms
    hints = likely_jumps(8000, transcript((1000, 3000), (7340, 9000), (27340, 29000)), [tag(1, 45000)], None)
    fetch.plan(8000, duration, (64, 48), hints)
    grid = FrameGrid(FPS)
    assert fetch.targets == [grid.index_at(ms) for ms in (13000, 27340, 3000, 7340, 38000, 45000)]
    # Clamped to the file, and the position itself (on screen already) left out.
    fetch.plan(duration, duration, (64, 48), [0, duration])
    assert fetch.targets == [0, grid.index_at(duration - 5000)]


def test_a_fetch_under_way_goes_on_when_its_target_is_still_wanted(clip: MediaInfo) -> None:
    fetch = prefetcher(clip)
    try:
        fetch.plan(8000, clip.duration_ms, (64, 48), [27340])
        fetch.step()  # starts ffmpeg on the first target (+5 s)
        running = fetch.process
        assert running is not None and running.poll() is None
        fetch.plan(8000, clip.duration_ms, (64, 48), [27340, 50000])  # a new tag: re-planned
        assert fetch.process is running
        assert fetch.targets == [FrameGrid(FPS).index_at(ms) for ms in (27340, 3000, 50000, 38000)]
        fetch.plan(20000, clip.duration_ms, (64, 48), [])  # moved on: that fetch is no use
        assert fetch.process is None and running.poll() is not None
    finally:
        fetch.close()


def test_no_guess_is_decoded_while_the_keyframe_pictures_are(clip: MediaInfo) -> None:
    fetch = prefetcher(clip, keyframes_mb=1)
    fetch.pictures.ensure_strip((64, 48))  # a real strip, decoding in its thread
    strip = fetch.pictures.strip
    try:
        fetch.plan(8000, clip.duration_ms, (64, 48), [27340])
        while not strip.done.is_set():
            fetch.step()
            assert fetch.process is None  # one niced ffmpeg at a time
        fetch.step()
        assert fetch.process is not None  # then the guesses
    finally:
        fetch.close()
        fetch.pictures.close()


def test_held_pictures_start_no_background_decoding_until_released(clip: MediaInfo) -> None:
    # While the UI starts, neither the keyframe pictures nor a guess may take the cores.
    fetch = prefetcher(clip, keyframes_mb=1)
    fetch.pictures.hold()
    try:
        fetch.pictures.ensure_strip((64, 48))
        fetch.plan(8000, clip.duration_ms, (64, 48), [27340])
        for _ in range(5):
            fetch.step()
        assert fetch.pictures.strip is None and fetch.process is None
        fetch.pictures.release()  # the strip asked for while held starts now
        assert fetch.pictures.strip is not None and fetch.pictures.strip.size == (64, 48)
    finally:
        fetch.close()
        fetch.pictures.close()


class StoppedClock:
    """Stands in for the prefetcher's ``time`` module: the hold is measured on it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_a_plan_starts_nothing_until_the_command_s_picture_is_out(clip: MediaInfo, monkeypatch) -> None:
    clock = StoppedClock()
    monkeypatch.setattr(prefetch, "time", clock)
    fetch = prefetcher(clip)
    try:
        fetch.plan(8000, clip.duration_ms, (64, 48), [27340])
        assert fetch.held_s() == pytest.approx(prefetch.HOLD_AFTER_PLAN_S)
        clock.now += prefetch.HOLD_AFTER_PLAN_S / 2
        assert fetch.held_s() == pytest.approx(prefetch.HOLD_AFTER_PLAN_S / 2)
        clock.now += prefetch.HOLD_AFTER_PLAN_S / 2
        assert fetch.held_s() == 0
        fetch.step()
        assert fetch.process is not None
        # A fetch under way is not held back by a new plan that keeps it.
        fetch.plan(8000, clip.duration_ms, (64, 48), [27340, 50000])
        assert fetch.held_s() == 0
        # Nothing left to fetch: nothing to hold either.
        fetch.close()
        assert fetch.held_s() == 0
    finally:
        fetch.close()
