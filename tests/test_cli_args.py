import pytest

from review_tui.cli import parse_args
from review_tui.opening import parse_reviewer
from review_tui.model import ReviewTuiError


def test_a_bare_path_means_open():
    args = parse_args(["session.mp4", "--audio", "null"])
    assert args.command == "open" and str(args.path) == "session.mp4" and args.audio == "null"


def test_subcommands_are_not_taken_for_paths():
    assert parse_args(["doctor"]).command == "doctor"
    assert parse_args(["info", "x.srt"]).command == "info"


def test_reviewer_text_is_name_and_role():
    assert parse_reviewer("Dr. M. Okafor:supervisor") == ("Dr. M. Okafor", "supervisor")
    assert parse_reviewer("Ana Ruiz: Therapist") == ("Ana Ruiz", "therapist")
    assert parse_reviewer("Sam") == ("Sam", "supervisor")


@pytest.mark.parametrize("text", [":rater", "Sam:boss"])
def test_bad_reviewer_is_a_clear_error(text):
    with pytest.raises(ReviewTuiError, match="reviewer"):
        parse_reviewer(text)


def test_a_reviewer_name_loses_its_control_characters_before_it_is_stored():
    from review_tui.opening import parse_reviewer

    assert parse_reviewer("Ann\x1b]0;PWNED\x07 Lee\u202e:rater") == ("Ann Lee", "rater")
