"""The demo's picture: two labelled panels, the speaker's lit while they talk, and a
running timecode, encoded with the session's audio into a small, quickly seekable mp4."""

from __future__ import annotations

from pathlib import Path

import ffmpeg as ffmpeg_python

from review_tui.media import ffmpeg

FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MONO_FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
WIDTH, HEIGHT, FPS = 640, 360, 25
BACKGROUND = "0x1b1f24"
IDLE_PANEL = "0x2a3038"
PANEL_Y, PANEL_W, PANEL_H = 62, 260, 196
# speaker -> (panel title, subtitle, left edge, colour while speaking)
PANELS = {
    "Th": ("Therapist", "Th", 40, "0x2f6f8f"),
    "Pt": ("Patient", "Pt - Daniel", 340, "0x9a6a2c"),
}


def _seconds(ms: int) -> str:
    return f"{ms / 1000:.3f}"


def speaking_expression(turns: list[tuple[str, int, int]], speaker: str) -> str:
    """An ffmpeg ``enable`` expression true while ``speaker`` talks."""
    spans = [
        f"between(t,{_seconds(start)},{_seconds(end)})"
        for who, start, end in turns
        if who == speaker
    ]
    return "+".join(spans) if spans else "0"


def _text(stream, text: str, *, x: str, y: int, size: int, colour: str = "white", **extra):
    return stream.drawtext(
        text=text, fontfile=FONT_FILE, fontsize=size, fontcolor=colour, x=x, y=y, **extra
    )


def _panel(stream, speaker: str, enable: str):
    title, subtitle, left, colour = PANELS[speaker]
    centred = f"{left}+({PANEL_W}-text_w)/2"
    box = {"x": left, "y": PANEL_Y, "w": PANEL_W, "h": PANEL_H}
    stream = stream.filter("drawbox", color=IDLE_PANEL, t="fill", **box)
    stream = stream.filter("drawbox", color=colour, t="fill", enable=enable, **box)
    stream = stream.filter("drawbox", color="white", t=4, enable=enable, **box)
    stream = _text(stream, title, x=centred, y=PANEL_Y + 62, size=30)
    stream = _text(stream, subtitle, x=centred, y=PANEL_Y + 106, size=18, colour="0xc8ccd2")
    return _text(
        stream, "speaking", x=centred, y=PANEL_Y + 150, size=16, colour="0xffe9a8", enable=enable
    )


def write_video(
    session_wav: Path, turns: list[tuple[str, int, int]], total_ms: int, out: Path
) -> None:
    """Encode ``out``: the panels over ``total_ms`` of picture, with the WAV as AAC mono."""
    picture = ffmpeg_python.input(
        f"color=c={BACKGROUND}:s={WIDTH}x{HEIGHT}:r={FPS}:d={_seconds(total_ms)}", f="lavfi"
    )
    picture = _text(
        picture,
        "review_tui demo - a fictional session, synthetic voices",
        x="(w-text_w)/2",
        y=22,
        size=16,
        colour="0x9aa3ad",
    )
    for speaker in PANELS:
        picture = _panel(picture, speaker, speaking_expression(turns, speaker))
    picture = picture.drawtext(
        text="%{pts:hms}",
        escape_text=False,  # ffmpeg-python would otherwise escape the % and show it literally
        fontfile=MONO_FONT_FILE,
        fontsize=26,
        fontcolor="white",
        x="(w-text_w)/2",
        y=294,
    )
    sound = ffmpeg_python.input(str(session_wav))
    stream = ffmpeg_python.output(
        picture,
        sound,
        str(out),
        vcodec="libx264",
        preset="medium",
        tune="stillimage",
        crf=30,
        g=FPS * 2,  # a keyframe every 2 s keeps seeking quick
        pix_fmt="yuv420p",
        r=FPS,
        acodec="aac",
        ac=1,
        ar=44100,
        audio_bitrate="64k",
        movflags="+faststart",
        fflags="+bitexact",
        shortest=None,
    )
    result = ffmpeg.run(stream, timeout=1800)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"ffmpeg failed writing {out.name}: {message}")
