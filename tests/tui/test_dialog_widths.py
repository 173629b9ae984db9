"""Issue 8, defect 9: every dialog follows the terminal's width.

Each dialog is pushed over a small host at 80x24, 100x30 and 160x48. On the small sizes it must
fit on screen and use nearly all of it (a fixed 76-column panel left labels cut at 80x24 and
wasted a quarter of a 100-column terminal); on a large terminal it must grow past any
fixed width it had, so notes and quotes show whole.
"""

from __future__ import annotations

import pytest

from review_tui.analysis.episodes import episodes_in, propose_links
from review_tui.analysis.suggestions import suggest_moments
from review_tui.model import Reviewer
from review_tui.review_details import SessionDetails
from review_tui.transcript import load_transcript
from review_tui.tui.screens.code_picker import CodePicker
from review_tui.tui.screens.confirm import ConfirmScreen
from review_tui.tui.screens.episode_links import EpisodeLinks
from review_tui.tui.screens.episodes import EpisodesScreen
from review_tui.tui.screens.export_dialog import ExportDialog
from review_tui.tui.screens.help import HelpScreen
from review_tui.tui.screens.prompt import PromptScreen
from review_tui.tui.screens.reconcile import ReviewerPairDialog
from review_tui.tui.screens.rename_speakers import RenameSpeakersScreen
from review_tui.tui.screens.reviewer_prompt import ReviewerPrompt
from review_tui.tui.screens.session_details import SessionDetailsDialog
from review_tui.tui.screens.suggestions import SuggestionsScreen
from review_tui.tui.screens.tag_details import TagDetails
from tests.tui.conftest import wait_for
from tests.tui.tagging_hosts import DEMO, ScreenHost, first, sample_review_fixture

sample_store = sample_review_fixture("sample_store")

SIZES = [(80, 24), (100, 30), (160, 48)]
QUESTIONS = {"confirm", "prompt", "reviewer prompt", "reviewer pair"}  # kept compact
LISTS = {"code picker", "suggestions", "episodes", "episode links"}


def dialogs(store, codebook, transcript):
    tags = store.tags()
    rupture = first(tags, "confrontation.")
    return {
        "code picker": lambda: CodePicker(codebook, codebook.group_for_key("c")),
        "tag details": lambda: TagDetails(codebook, "confrontation.criticises_therapist", 206_451, 211_538),
        "confirm": lambda: ConfirmScreen("Delete the tag?", "The tag at 03:26 goes; ctrl+z brings it back."),
        "prompt": lambda: PromptScreen("Go to time", "MM:SS", str),
        "reviewer prompt": lambda: ReviewerPrompt(),
        "reviewer pair": lambda: ReviewerPairDialog([Reviewer(1, "M. Okafor", "rater"), Reviewer(2, "R. Haddad", "rater")]),
        "session details": lambda: SessionDetailsDialog(SessionDetails(therapist="Dr. Amy Chen"), lambda name, value: value),
        "suggestions": lambda: SuggestionsScreen(suggest_moments(transcript, codebook=codebook), codebook, transcript=transcript),
        "episodes": lambda: EpisodesScreen(episodes_in(store), codebook),
        "episode links": lambda: EpisodeLinks(
            rupture, propose_links(tags, codebook, links=store.links()), tags, codebook, linked=store.links()
        ),
        "rename speakers": lambda: RenameSpeakersScreen(transcript),
        "help": lambda: HelpScreen({}, codebook=codebook),
    }


async def dialog_width(make, size) -> int:
    host = ScreenHost(make)
    async with host.run_test(size=size) as pilot:
        await pilot.pause()
        panel = host.screen.query_one("#dialog")
        assert panel.region.x >= 0 and panel.region.right <= size[0], f"the panel leaves the screen at {size}"
        return panel.region.width


@pytest.fixture(scope="module")
def demo_transcript():
    return load_transcript(DEMO / "formulaic.srt")


@pytest.mark.parametrize(
    "name",
    [
        "code picker",
        "tag details",
        "confirm",
        "prompt",
        "reviewer prompt",
        "reviewer pair",
        "session details",
        "suggestions",
        "episodes",
        "episode links",
        "rename speakers",
        "help",
    ],
)
async def test_the_dialog_follows_the_terminal_width(name, sample_store, codebook, demo_transcript):
    make = dialogs(sample_store, codebook, demo_transcript)[name]
    small, medium, large = [await dialog_width(make, size) for size in SIZES]
    assert small >= min(72, large), f"{name}: {small} of 80 columns used"
    assert medium >= min(large, 90), f"{name}: {medium} of 100 columns used"
    assert small <= medium <= large
    if name in LISTS:
        # Rows of moments and quotes use a large terminal's width.
        assert large >= 120, f"{name}: {large} of 160 columns used"
    elif name not in QUESTIONS:
        assert large > 76, f"{name}: {large} of 160 columns used"


async def test_the_export_dialog_follows_the_terminal_width(open_app, transcript_only):
    widths = []
    for size in [(80, 24), (160, 48)]:
        app = open_app(transcript_only)
        async with app.run_test(size=size) as pilot:
            await pilot.press("ctrl+e")
            await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="the export dialog")
            await pilot.pause()
            widths.append(app.screen.query_one("#dialog").region.width)
    small, large = widths
    assert 72 <= small <= 80 and large > small
