from review_tui.report import markdown
from review_tui.review.wording import duration, plural, whole_seconds


def test_plurals():
    assert [plural(n, "cue") for n in (0, 1, 2)] == ["0 cues", "1 cue", "2 cues"]
    assert plural(2, "reply") == "2 replies"
    assert plural(3, "person", "people") == "3 people"


def test_durations_as_people_say_them():
    assert [duration(ms) for ms in (0, 48_200, 245_000, 3_725_000)] == ["0.0 s", "48.2 s", "4 min 05 s", "1 h 02 min"]
    assert whole_seconds(245_000) == "4 min 05 s"
    assert whole_seconds(41_400) == "41 s"


def test_the_report_says_times_with_the_same_words():
    assert markdown.duration is duration


def test_the_app_says_a_time_to_repair_as_the_report_does():
    from review_tui.tui.screens.episode_links import spoken_duration

    assert spoken_duration(245_000) == markdown.duration(245_000) == "4 min 05 s"
