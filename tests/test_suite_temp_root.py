"""The suite's temporary root (tests/conftest.py): a RAM folder only where one is usable."""

from __future__ import annotations

from tests.conftest import ram_temp_root


def test_a_writable_folder_with_room_is_taken(tmp_path):
    assert ram_temp_root(tmp_path, needed=1) == tmp_path


def test_a_missing_folder_or_a_file_is_not(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert ram_temp_root(tmp_path / "absent", needed=1) is None
    assert ram_temp_root(tmp_path / "file", needed=1) is None


def test_a_folder_without_the_room_asked_for_is_not(tmp_path):
    assert ram_temp_root(tmp_path, needed=1 << 62) is None

