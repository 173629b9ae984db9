"""fingerprint(): same bytes give the same identity; a change in a sampled region does not."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from review_tui.media.fingerprint import SAMPLE_BYTES, fingerprint
from review_tui.model import ReviewTuiError

LARGE_SIZE = 5 * SAMPLE_BYTES + 12345  # big enough that head, middle and tail are apart


@pytest.fixture(scope="module")
def large_bytes() -> bytes:
    return random.Random(7).randbytes(LARGE_SIZE)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0xFF
    return bytes(changed)


def test_same_content_same_identity(tmp_path: Path, large_bytes: bytes) -> None:
    first = fingerprint(_write(tmp_path / "session.mp4", large_bytes))
    second = fingerprint(_write(tmp_path / "copy-of-session.mp4", large_bytes))
    assert first == second
    size, _, digest = first.partition("-")
    assert size == str(LARGE_SIZE)
    assert len(digest) == 64 and int(digest, 16) >= 0


@pytest.mark.parametrize(
    "offset",
    [0, SAMPLE_BYTES - 1, LARGE_SIZE // 2, LARGE_SIZE - SAMPLE_BYTES, LARGE_SIZE - 1],
    ids=["first byte", "end of head", "middle", "start of tail", "last byte"],
)
def test_changed_byte_in_a_sample_changes_identity(
    tmp_path: Path, large_bytes: bytes, offset: int
) -> None:
    original = fingerprint(_write(tmp_path / "a.mp4", large_bytes))
    changed = fingerprint(_write(tmp_path / "b.mp4", _flip(large_bytes, offset)))
    assert changed != original
    assert changed.split("-")[0] == original.split("-")[0]


def test_change_between_samples_goes_unseen(tmp_path: Path, large_bytes: bytes) -> None:
    # The price of speed: a byte outside head, middle and tail is not read.
    between = SAMPLE_BYTES + (LARGE_SIZE // 2 - SAMPLE_BYTES) // 2
    original = fingerprint(_write(tmp_path / "a.mp4", large_bytes))
    assert fingerprint(_write(tmp_path / "b.mp4", _flip(large_bytes, between))) == original


def test_appended_byte_changes_size(tmp_path: Path, large_bytes: bytes) -> None:
    original = fingerprint(_write(tmp_path / "a.mp4", large_bytes))
    longer = fingerprint(_write(tmp_path / "b.mp4", large_bytes + b"\0"))
    assert longer.startswith(f"{LARGE_SIZE + 1}-")
    assert longer != original


@pytest.mark.parametrize("data", [b"", b"WEBVTT\n", random.Random(3).randbytes(2 * SAMPLE_BYTES)])
def test_small_files_hash_whole(tmp_path: Path, data: bytes) -> None:
    path = _write(tmp_path / "small.vtt", data)
    assert fingerprint(path) == f"{len(data)}-{hashlib.sha256(data).hexdigest()}"
    if data:
        other = _write(tmp_path / "other.vtt", _flip(data, len(data) // 3))
        assert fingerprint(other) != fingerprint(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReviewTuiError) as error:
        fingerprint(tmp_path / "session.mp4")
    assert str(error.value) == "session.mp4: no such file"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ReviewTuiError) as error:
        fingerprint(tmp_path)
    assert str(error.value) == f"{tmp_path.name}: is a folder, not a file"
