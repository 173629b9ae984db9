"""The frame ring's bound is a setting: config file `frame_ring_mb`, or REVIEW_TUI_FRAME_RING_MB."""

import pytest

from review_tui.config import ConfigError, load_config


def test_the_bound_comes_from_the_file_and_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.delenv("REVIEW_TUI_FRAME_RING_MB", raising=False)
    path = tmp_path / "config.toml"
    path.write_text("frame_ring_mb = 40\n")
    assert load_config(path).frame_ring_mb == 40.0
    monkeypatch.setenv("REVIEW_TUI_FRAME_RING_MB", "0")  # 0: no ring at all
    assert load_config(path).frame_ring_mb == 0.0


def test_unset_leaves_the_players_default(tmp_path, monkeypatch):
    monkeypatch.delenv("REVIEW_TUI_FRAME_RING_MB", raising=False)
    assert load_config(tmp_path / "absent.toml").frame_ring_mb is None


@pytest.mark.parametrize("text", ['frame_ring_mb = "lots"', "frame_ring_mb = -1", "frame_ring_mb = true", "frame_ring_mb = nan"])
def test_a_bad_bound_is_one_line_naming_the_file(tmp_path, monkeypatch, text):
    monkeypatch.delenv("REVIEW_TUI_FRAME_RING_MB", raising=False)
    path = tmp_path / "config.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError, match="frame_ring_mb must be") as error:
        load_config(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)
