import pytest

from review_tui.config import ConfigError, load_config
from review_tui.doctor import colour_depth


def test_file_settings_and_environment_overrides(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text('reviewer = "Ana Ruiz:therapist"\naudio = "null"\n[keymap]\nplay-pause = "p"\n')
    monkeypatch.delenv("REVIEW_TUI_REVIEWER", raising=False)
    monkeypatch.setenv("REVIEW_TUI_AUDIO", "off")
    config = load_config(path)
    assert config.reviewer == "Ana Ruiz:therapist"
    assert config.audio == "off"  # the environment wins
    assert config.keymap == {"play-pause": "p"}


def test_missing_file_gives_defaults(tmp_path, monkeypatch):
    for name in ("REVIEW_TUI_AUDIO", "REVIEW_TUI_REVIEWER", "REVIEW_TUI_VIDEO", "REVIEW_TUI_CODEBOOK"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(tmp_path / "absent.toml")
    assert (config.audio, config.reviewer, config.keymap) == ("auto", None, {})


@pytest.mark.parametrize(
    ("text", "message"),
    [("audio = ", "cannot read config"), ("colour = 1", "unknown setting"), ('audio = "loud"', "audio must be")],
)
def test_bad_config_is_one_line_naming_the_file(tmp_path, monkeypatch, text, message):
    monkeypatch.delenv("REVIEW_TUI_AUDIO", raising=False)
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as error:
        load_config(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_colour_depth_reads_colorterm_then_term():
    assert colour_depth({"COLORTERM": "truecolor", "TERM": "xterm"}, True).startswith("24-bit")
    assert colour_depth({"TERM": "screen-256color"}, True).startswith("256")
    assert colour_depth({"TERM": "dumb"}, False).startswith("no colour")


@pytest.mark.parametrize("text", ["reviewer = 5", "codebook = 5", "video = true", "audio = []", 'reviewer = ""', "codebook = {a = 1}"])
def test_a_setting_of_the_wrong_type_is_one_line_naming_the_file(tmp_path, monkeypatch, text):
    for name in ("REVIEW_TUI_AUDIO", "REVIEW_TUI_REVIEWER", "REVIEW_TUI_VIDEO", "REVIEW_TUI_CODEBOOK"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="must be a quoted text") as error:
        load_config(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)
