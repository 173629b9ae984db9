"""One tag, one undo step, in a real terminal: tag, rate, note, one ctrl+z, and the review
file holds no tag; ctrl+y brings the whole tag back."""

from __future__ import annotations

import pytest

from tests import test_e2e_tagging_tmux as e2e
from tests.test_e2e_tagging_tmux import tag_with_keys
from tests.test_kill9 import start, stored_tags

pytestmark = pytest.mark.e2e

session_copy = e2e.session_copy  # the fixture: the demo copied into tmp_path


def test_one_ctrl_z_takes_back_a_whole_tag_with_its_rating_and_note(session_copy, tmp_path):
    term, review = start(session_copy, tmp_path)
    try:
        tag_with_keys(term, "c", "1", "4", "formulaic")
        assert stored_tags(review) == [("confrontation.criticises_therapist", 206_500, 4, "formulaic")]
        term.keys("C-z")
        term.wait_for("Undone: add Criticises therapist")
        assert stored_tags(review) == []
        term.keys("C-y")
        term.wait_for("Redone: add Criticises therapist")
        assert stored_tags(review) == [("confrontation.criticises_therapist", 206_500, 4, "formulaic")]
    finally:
        term.close()
