"""The video half of the player's engine: which picture goes on screen, from where.

:class:`VideoPipeline` is mixed into :class:`~review_tui.media.player.Player` and runs on its
engine thread, except :meth:`_answer_from_memory`, which a seek calls in the caller's thread
with the player's lock held. It keeps the decoder where the next needed frame is:

* paused, a seek shows the frame ring's exact frame if it holds it (no ffmpeg at all), else
  the decoder fetches the exact frame (starting a little before it, so frame-back is in the
  ring too) and it replaces the stand-in the seek put up — never the other way round, since
  a stale request's picture is dropped by ``_publish``;
* playing, the frame due is taken from the ring when it holds it (a replay), the decoder
  resuming where the ring's unbroken run ends; every frame taken from the decoder goes into
  the ring.

:meth:`set_likely_targets` is the caller's too (the UI's hints for the prefetch).

It uses the player's state: ``media``, ``_grid``, ``_pictures``, ``_size``, ``_decoder``,
``_frame``, ``_prefetcher``, ``_likely_ms``, ``_duration_ms``, ``_playing``, ``_speed``, ``_video_request``,
``_closed``, ``_hints_request``, ``_wake``, ``_clock``, ``_audio_request``, ``stats``,
``error``, ``_clamp()``, ``position_ms()`` and ``_publish()``.
"""

from __future__ import annotations

import queue
from collections.abc import Iterable

from review_tui.media.keyframes import restore_priority
from review_tui.media.malloc import give_back_free_memory
from review_tui.media.video import QUEUE_FRAMES, Frame, VideoDecoder
from review_tui.model import format_ms

# Longest the engine sleeps while playing: loop ends and the end of media are noticed
# within this, and a frame is never later than this.
TICK_S = 0.01
# How long a paused seek waits for its frame before giving up (a broken file).
STILL_TIMEOUT_S = 10.0
# Frames before a paused seek's target that are decoded into the frame ring too.
STILL_LEAD_FRAMES = 12
# How long a paused player keeps its decoder open after the last command: a frame step
# forward goes on from it, but a paused ffmpeg holds its queues of full-size decoded
# pictures (measured: a 720p decoder blocked on its pipe ~50 MB, half of it its own; the
# whole ffmpeg binary's pages when it is the only one left).
KEEP_WARM_S = 3.0
# Playing on from the frame ring (a replay), a decoder is wanted only where the ring's run of
# frames ends: it starts this many seconds (of wall time) before then, not at the replay's
# key, where starting an ffmpeg beside the sound's held up the replayed picture's screen
# update (traced in a 160x45 pty) and kept a decoder's ~45 MB alive for nothing. A cold
# exact decode takes 0.15-0.25 s on the 10-s-keyframe 720p file (bench_seek.py).
DECODER_LEAD_S = 1.5
# A decoder this far behind the frame due starts again there rather than decode its way up,
# dropping every frame and filling the ring with them: it is left behind when a paused seek
# was answered from the ring (measured: play after a prefetched shift+right decoded and
# dropped ~590 frames).
CATCH_UP_S = 2.0


class VideoPipeline:
    def _target_index(self) -> int:
        assert self._grid is not None
        last = self._grid.last_index(self._duration_ms)
        return min(self._grid.index_at(self.position_ms()), last)

    def set_likely_targets(self, targets_ms: Iterable[int]) -> None:
        """Times the user may well seek to next besides the seek keys' targets, most likely
        first (the UI's next and previous transcript lines and tags). While paused, their
        frames are decoded ahead into the frame ring, so such a jump is answered exactly at
        once; an unchanged list costs nothing, so the UI may say it at every tick."""
        targets = tuple(dict.fromkeys(self._clamp(ms) for ms in targets_ms))
        with self._wake:
            if targets == self._likely_ms:
                return
            self._likely_ms = targets
            self._hints_request += 1
            self._wake.notify_all()

    def release_background(self) -> None:
        """Let the background decoding start (the keyframe pictures, then the prefetch), if
        the player was made with ``hold_background``: the UI says so once it has painted."""
        if self._pictures is not None:
            self._pictures.release()
        with self._wake:
            self._wake.notify_all()

    @property
    def likely_targets(self) -> tuple[int, ...]:
        return self._likely_ms

    def _stop_at_end(self) -> None:
        with self._wake:
            if not self._playing:
                return
            self._playing = False
            self._clock.pause()
            self._clock.seek(self._duration_ms)
            self._audio_request += 1
            frame = self._frame
            if self._grid is not None and (
                frame is None
                or self._grid.index_at(frame.pts_ms) < self._grid.last_index(self._duration_ms)
            ):
                self._video_request += 1  # show the last picture, not the last one we kept up with

    def _answer_from_memory(self) -> None:
        """Show at once the best picture held for the new position (caller holds the lock)."""
        if self._pictures is None or self._video_request == 0:
            return
        target = self._target_index()
        frame = self._pictures.exact(target, self._size)
        exact = frame is not None
        if frame is None:
            frame = self._pictures.stand_in(target, self._size)
        if frame is None:
            return
        self._frame = frame
        self._frame_serial += 1
        self.stats["answered_exact" if exact else "answered_stand_in"] += 1

    def _restart_video(self, request: int) -> None:
        if self._grid is None or self.media is None or self._pictures is None:
            return
        target = self._target_index()
        prefetcher = self._prefetcher
        adopted = None
        if prefetcher is not None:
            adopted = None if self._playing else prefetcher.take(target, self._size)
            prefetcher.close()
        held = self._pictures.exact(target, self._size)
        if held is not None:
            self._publish(held, dropped=0, request=request)
            if not self._playing:
                if adopted is not None:
                    adopted.close()
                self._plan_prefetch()
                return  # the exact frame came from memory: no ffmpeg at all
        if self._playing:
            # Play on from the ring; the decoder starts in time for where the ring's run ends.
            self._decoder_for_playback(target, self._pictures.decode_from(target, self._size))
            return
        if adopted is not None:  # a prefetch was already on its way to this very frame
            restore_priority(adopted.process)  # now it is what the user waits for
            old, self._decoder = self._decoder, adopted
            if old is not None:
                old.close()
        elif not self._can_reuse_decoder(target):
            # Start a little early: the frames before the target cost ffmpeg nothing more to
            # decode (it starts at a keyframe anyway), and the ring then answers frame-back.
            self._ensure_decoder(max(0, target - STILL_LEAD_FRAMES))
        self._show_still(target, request)
        self._pictures.ensure_strip(self._size)  # after the first picture, never before it
        self._plan_prefetch()

    def _rest_decoder(self) -> None:
        """Close the paused decoder, keeping the frames it had already decoded (the next
        few frame steps) in the ring."""
        decoder, self._decoder = self._decoder, None
        if decoder is None:
            return
        while decoder.size == self._size and self._pictures is not None:
            index = decoder.next_index
            try:
                frame = decoder.pop(timeout=0)
            except queue.Empty:
                break
            if frame is None:
                break
            self._pictures.keep(index, frame)
        decoder.close()
        give_back_free_memory()  # paused a while: what playback and seeks freed can go back

    def _plan_prefetch(self) -> None:
        if self._prefetcher is not None and not self._playing and not self._closed:
            self._prefetcher.plan(self.position_ms(), self._duration_ms, self._size, self._likely_ms)

    def _ensure_decoder(self, start: int) -> None:
        """A decoder whose next frame is ``start`` (or a few frames before it)."""
        assert self._grid is not None and self.media is not None
        if start > self._grid.last_index(self._duration_ms) or self._can_reuse_decoder(start):
            return
        old, self._decoder = self._decoder, None
        try:
            # The new ffmpeg starts first: stopping the old one overlaps its start-up.
            self._decoder = VideoDecoder(
                self.media, start_ms=self._grid.start_ms(start), size=self._size
            )
        finally:
            if old is not None:
                old.close()
        self.stats["video_starts"] += 1

    def _decoder_for_playback(self, due_index: int, needed: int) -> None:
        """Playing, with frame ``due_index`` due: a decoder whose next frame is ``needed``
        (the first the ring lacks), or none yet while the ring holds more than
        DECODER_LEAD_S of frames before it."""
        assert self._grid is not None
        fps = self._grid.fps
        decoder = self._decoder
        if not (
            decoder is None
            or decoder.ended
            or decoder.size != self._size
            or decoder.next_index > needed
            or needed - decoder.next_index > CATCH_UP_S * fps
        ):
            return  # it is where it must be, or decoding its way there
        if needed - due_index > DECODER_LEAD_S * fps * self._speed:
            if decoder is not None:  # of no use any more, and ~45 MB while it waits
                self._decoder = None
                decoder.close()
            return
        self._ensure_decoder(needed)

    def _can_reuse_decoder(self, target: int) -> bool:
        decoder = self._decoder
        if decoder is None or decoder.ended or decoder.size != self._size:
            return False
        on_screen = self._frame
        if target == decoder.next_index - 1:
            return on_screen is not None and self._grid.index_at(on_screen.pts_ms) == target
        return decoder.next_index <= target <= decoder.next_index + QUEUE_FRAMES

    def _show_still(self, target: int, request: int) -> None:
        """Take frames up to ``target`` and show the last: the picture at a paused seek."""
        decoder = self._decoder
        assert decoder is not None
        assert self._pictures is not None
        shown: Frame | None = None
        waited = 0.0
        while decoder.next_index <= target and waited < STILL_TIMEOUT_S:
            if self._video_request != request or self._closed:
                return  # superseded by a newer command: do not wait for a stale picture
            try:
                index = decoder.next_index
                frame = decoder.pop(timeout=0.02)
            except queue.Empty:
                waited += 0.02
                continue
            if frame is None:
                break
            self._pictures.keep(index, frame)
            shown = frame
        if shown is not None:
            self._publish(shown, dropped=0, request=request)
        elif waited >= STILL_TIMEOUT_S or decoder.next_index == decoder.first_index:
            # ffmpeg gave nothing (in time): say so rather than leave a blank picture or a
            # stand-in that is not the frame at the position.
            name = self.media.path.name if self.media is not None else "video"
            self.error = f"{name}: ffmpeg gave no picture at {format_ms(self.position_ms())}"

    def _advance_video(self, position: int) -> float:
        """Show the frame due at ``position``; returns the time until the next one is due."""
        assert self._grid is not None and self._pictures is not None
        grid, pictures, size = self._grid, self._pictures, self._size
        if self._prefetcher is not None and self._prefetcher.pending:
            self._prefetcher.close()  # playing: the paused guesses no longer apply
        due_index = min(grid.index_at(position), grid.last_index(self._duration_ms))
        held = pictures.exact(due_index, size)
        # The decoder must deliver the first frame after what the ring holds; one that is
        # past it (the ring lost a frame) or far behind it (a replay) starts again there.
        needed = pictures.decode_from(due_index, size)
        shown = self._frame
        if needed == due_index and shown is not None and grid.index_at(shown.pts_ms) == due_index:
            needed += 1  # on screen already, though the ring did not keep it (a ring of 0 MB)
        self._decoder_for_playback(due_index, needed)
        decoder = self._decoder
        due: Frame | None = None
        taken = 0
        while decoder is not None:
            try:
                upcoming = decoder.peek(timeout=0)
            except queue.Empty:
                break
            if upcoming is None or upcoming.pts_ms > position:
                break
            index = decoder.next_index
            due = decoder.pop(timeout=0)
            pictures.keep(index, due)
            taken += 1
        shown = self._frame
        picture = held if held is not None else due
        if picture is not None and (shown is None or shown.pts_ms != picture.pts_ms):
            self._publish(picture, dropped=max(0, taken - 1))
        elif taken:
            self.stats["frames_dropped"] += taken
        next_ms = grid.start_ms(due_index + 1)
        return min(TICK_S, max(0.0, (next_ms - position) / 1000.0 / self._speed))
