"""Resolve what the user asked to open into a session: media, transcript, review file.

`review-tui open session.mp4` finds `session.srt`, `session.vtt` or `session.<lang>.srt`
beside it; a transcript with no media and media with no transcript are both sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from review_tui.model import MediaInfo, Problem, ReviewTuiError, Transcript, format_ms
from review_tui.files import check_readable_file

TRANSCRIPT_SUFFIXES = (".srt", ".vtt", ".webvtt", ".txt")
# Names that may hold notes rather than a transcript: taken only when the content says so.
_SNIFFED_SUFFIXES = (".webvtt", ".txt")
MEDIA_SUFFIXES = (
    ".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi",
    ".m4a", ".mp3", ".wav", ".aac", ".ogg", ".opus", ".flac",
)
# A transcript that runs on this long after its recording ends belongs to another recording,
# or its times are off: the tail would be unreachable by playback. A few seconds of overhang
# (a closing caption) are normal.
OVERHANG_WARN_MS = 60_000


@dataclass(slots=True)
class Session:
    """What was opened: the recording and the transcript, each as far as it could be read."""

    media_path: Path | None
    transcript_path: Path | None
    media: MediaInfo | None
    transcript: Transcript | None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def anchor(self) -> Path:
        """The file the review is named after: the recording, else the transcript."""
        path = self.media_path or self.transcript_path
        assert path is not None  # a session always has one of them
        return path

    @property
    def title(self) -> str:
        return self.anchor.stem

    def fingerprints(self) -> tuple[str | None, str | None]:
        """(media, transcript) fingerprints, for the review file to notice either changed."""
        from review_tui.media.fingerprint import fingerprint

        return (
            fingerprint(self.media_path) if self.media_path else None,
            fingerprint(self.transcript_path) if self.transcript_path else None,
        )

    @property
    def duration_ms(self) -> int:
        media_ms = self.media.duration_ms if self.media else 0
        transcript_ms = self.transcript.span_ms[1] if self.transcript else 0
        return max(media_ms, transcript_ms)


def find_transcript(media_path: Path) -> Path | None:
    """The transcript beside a recording: exact stem first, then `stem.<lang>.srt|vtt`."""
    for suffix in TRANSCRIPT_SUFFIXES:
        candidate = media_path.with_suffix(suffix)
        if candidate.is_file() and (suffix not in _SNIFFED_SUFFIXES or _holds_transcript(candidate)):
            return candidate
    # Subtitles named by language (session.en.srt, session.de-DE.vtt); sorted for stability.
    for suffix in TRANSCRIPT_SUFFIXES:
        matches = sorted(media_path.parent.glob(f"{glob_escape(media_path.stem)}.*{suffix}"))
        if matches:
            return matches[0]
    return None


def find_media(transcript_path: Path) -> Path | None:
    stem = transcript_path.stem
    stems = [stem]
    if "." in stem:  # session.en.srt belongs to session.mp4
        stems.append(stem.rsplit(".", 1)[0])
    for candidate_stem in stems:
        for suffix in MEDIA_SUFFIXES:
            candidate = transcript_path.with_name(candidate_stem + suffix)
            if candidate.is_file():
                return candidate
    return None


def _holds_transcript(path: Path) -> bool:
    from review_tui.transcript import is_transcript_file

    return is_transcript_file(path)


def glob_escape(text: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in text)


def resolve_paths(path: Path, transcript: Path | None = None) -> tuple[Path | None, Path | None]:
    """(media, transcript) for what the user named; raises for a path that cannot be read."""
    # Checked before anything reads the file: a FIFO would hang the content sniffing below.
    check_readable_file(path)
    if transcript is not None:
        check_readable_file(transcript, "transcript file")
    suffix = path.suffix.lower()
    if (suffix in TRANSCRIPT_SUFFIXES and suffix not in _SNIFFED_SUFFIXES) or (
        suffix not in MEDIA_SUFFIXES and _holds_transcript(path)
    ):
        return find_media(path), path
    return path, transcript or find_transcript(path)


def load_session(path: Path, transcript: Path | None = None) -> Session:
    """Probe the media and read the transcript. Raises ReviewTuiError with one line when
    neither is usable; problems that leave something to review become warnings."""
    from review_tui.media.probe import probe

    media_path, transcript_path = resolve_paths(path, transcript)
    warnings: list[Problem] = []
    media = probe(media_path) if media_path else None
    if media is not None:
        warnings.extend(media.warnings)
    loaded_transcript = None
    if transcript_path is not None:
        from review_tui.transcript.loader import load_transcript

        try:
            media_end_ms = media.duration_ms if media is not None else None
            loaded_transcript = load_transcript(transcript_path, media_end_ms=media_end_ms)
        except ReviewTuiError as error:
            if media is None:
                raise
            # The recording is still worth reviewing without its transcript.
            warnings.append(Problem(transcript_path.name, f"transcript not loaded: {error}"))
            transcript_path = None
    if loaded_transcript is not None:
        warnings.extend(loaded_transcript.warnings)
        overhang = overhang_warning(media, loaded_transcript)
        if overhang is not None:
            warnings.append(overhang)
    return Session(media_path, transcript_path, media, loaded_transcript, warnings)


def overhang_warning(media: MediaInfo | None, transcript: Transcript) -> Problem | None:
    """A warning when the transcript runs on well past the end of its recording."""
    if media is None or media.duration_ms <= 0 or not transcript.cues:
        return None
    end_ms = transcript.span_ms[1]
    if end_ms - media.duration_ms < OVERHANG_WARN_MS:
        return None
    name = transcript.source.name if transcript.source else "transcript"
    return Problem(
        name,
        f"runs to {format_ms(end_ms, millis=False)} but the recording ends at "
        f"{format_ms(media.duration_ms, millis=False)}: is it this recording's transcript? "
        "Lines after the end cannot be played",
    )
