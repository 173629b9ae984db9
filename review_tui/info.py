"""`review-tui info`: what the app reads from a session, as plain text."""

from __future__ import annotations

from pathlib import Path

from review_tui.model import MediaInfo, Transcript, format_ms
from review_tui.session import Session, load_session

CHANNEL_NAMES = {1: "mono", 2: "stereo", 6: "5.1"}


def describe_media(media: MediaInfo) -> list[str]:
    lines = [f"Media:      {media.path.name} ({media.container}), {format_ms(media.duration_ms)}"]
    if media.video is not None:
        video = media.video
        shown_w, shown_h = video.display_size
        extras = []
        if video.rotation:
            extras.append(f"rotated {video.rotation}°")
        if video.sample_aspect != 1:
            extras.append(f"SAR {video.sample_aspect.numerator}:{video.sample_aspect.denominator}")
        extra = f" ({', '.join(extras)}; shown {shown_w}x{shown_h})" if extras else ""
        lines.append(
            f"  video:    {video.codec} {video.width}x{video.height} @ {video.fps:g} fps{extra}"
        )
    else:
        lines.append("  video:    none (audio-only session)" if media.audio else "  video:    none")
    if media.audio is not None:
        audio = media.audio
        channels = CHANNEL_NAMES.get(audio.channels, f"{audio.channels} channels")
        lines.append(f"  audio:    {audio.codec} {audio.sample_rate} Hz {channels}")
    else:
        lines.append("  audio:    none")
    return lines


def describe_transcript(transcript: Transcript) -> list[str]:
    from review_tui.transcript import summarise

    summary = summarise(transcript)
    start, end = summary.span_ms
    name = transcript.source.name if transcript.source else "transcript"
    lines = [
        f"Transcript: {name} ({summary.format.upper()}, {summary.encoding}), "
        f"{summary.cue_count} cues, {format_ms(start)}–{format_ms(end)}"
    ]
    for speaker in summary.speakers:
        lines.append(
            f"  {speaker.label:<22} {speaker.cue_count:>4} cues, "
            f"{format_ms(speaker.talk_ms, millis=False)} talk ({speaker.share:.0%})"
        )
    return lines


def describe_review(session: Session, review: Path | None) -> list[str]:
    from review_tui.store import ReviewStore, review_path_for

    path, notice = review_path_for(session.anchor, review)
    note = [f"  note:     {notice.message}"] if notice else []  # where it is, a newer copy
    if not path.exists():
        return [f"Review:     {path} (not created yet)", *note]
    from review_tui.codebook import load_codebook

    media_fingerprint, transcript_fingerprint = session.fingerprints()
    store = ReviewStore.open(
        path,
        media_fingerprint=media_fingerprint,
        transcript_fingerprint=transcript_fingerprint,
        codebook=load_codebook(None),
    )
    try:
        tags = store.tags()
        reviewers = store.reviewers()
        lines = [
            f"Review:     {path}",
            f"  {len(tags)} tags by {len(reviewers)} reviewer(s)"
            + (": " + ", ".join(f"{r.name} ({r.role})" for r in reviewers) if reviewers else ""),
            f"  codebook: {store.codebook.label} {store.codebook.version}",
        ]
        lines.extend(f"  warning:  {problem.message}" for problem in store.warnings)
        return [*lines, *note]
    finally:
        store.close()


def describe(path: Path, *, transcript: Path | None = None, review: Path | None = None) -> str:
    session = load_session(path, transcript)
    lines: list[str] = []
    lines.extend(describe_media(session.media) if session.media else ["Media:      none (transcript only)"])
    if session.transcript is not None:
        lines.extend(describe_transcript(session.transcript))
    else:
        lines.append("Transcript: none found beside the recording")
    lines.extend(describe_review(session, review))
    if session.warnings:
        lines.append(f"Warnings ({len(session.warnings)}):")
        lines.extend(f"  {problem}" for problem in session.warnings)
    return "\n".join(lines)
