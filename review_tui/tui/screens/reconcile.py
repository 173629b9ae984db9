"""The reconcile pass's screen: one disagreement at a time, both reviewers' tags side by side
with their notes and the words spoken there, and one key per decision.

It sits along the bottom without dimming the rest, so the picture and the transcript above
stay in view, and the timeline and clock below it, while the pair watches the moment (space plays, r replays it). Every key goes
to the pass (tui/features/reconciling.py); this file only shows what the pass says.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from review_tui.analysis.agreement import Disagreement
from review_tui.analysis.reconcile import DROP, KEEP_A, KEEP_B, KEEP_BOTH, NEW_CODE
from review_tui.model import Codebook, Reviewer, Tag
from review_tui.text import one_line
from review_tui.tui import palette
from review_tui.tui.bindings import RECONCILE_BINDINGS
from review_tui.tui.screens.code_picker import CodePicker
from review_tui.tui.screens.dialog import Dialog
from review_tui.tui.textual_leaks import Footer

QUOTE_LINES = 4
KIND_WORDS = {
    "only_a": "only {a} tagged this",
    "only_b": "only {b} tagged this",
    "code": "the codes differ",
    "rating": "the ratings differ by 2 or more",
}


class ReconcileScreen(Dialog[None]):
    BINDINGS = RECONCILE_BINDINGS

    DEFAULT_CSS = """
    ReconcileScreen {
        align: center bottom;
        background: transparent;
        & > #dialog { width: 100%; max-width: 100%; padding: 0 1; }
        & #reconcile-item { height: auto; margin-bottom: 1; }
        & #sides { height: auto; }
        & .side { width: 1fr; height: auto; min-height: 4; padding: 0 1; border: round $panel; }
        & .side-title { text-style: bold; }
        & .side-note { color: $text-muted; }
        & #quote { height: auto; color: $text-muted; margin-top: 1; }
        & #decided { height: auto; margin-top: 1; text-style: bold; }
    }
    """

    def __init__(self, in_app: Any, codebook: Codebook | None) -> None:
        """``in_app``: a features.reconciling.PassInApp (the pass and the host)."""
        super().__init__()
        self.in_app = in_app
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="reconcile-title", classes="dialog-title", markup=False)
            yield Static(id="reconcile-item")
            with Horizontal(id="sides"):
                with Vertical(classes="side", id="side-a"):
                    yield Static(classes="side-title", id="a-title")
                    yield Static(id="a-tag")
                    yield Static(classes="side-note", id="a-note", markup=False)
                with Vertical(classes="side", id="side-b"):
                    yield Static(classes="side-title", id="b-title")
                    yield Static(id="b-tag")
                    yield Static(classes="side-note", id="b-note", markup=False)
            yield Static(id="quote", markup=False)
            yield Static(id="decided")
            yield Label(self._hint(), classes="dialog-hint", markup=False)
            yield Static(classes="dialog-error", id="reconcile-error", markup=False)
        yield Footer()  # the pass's own keys, over the main screen's (b keeps B's here)

    def on_mount(self) -> None:
        self._clear_transport()
        self.show()

    def _clear_transport(self) -> None:
        """Sit above the main screen's timeline, clock and footer: the pair watches the time
        and the tags of the moment while they decide."""
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        transport = below.query("#transport") if below is not None else None
        if transport:
            self.query_one("#dialog").styles.margin = (0, 0, transport.first().outer_size.height + 1, 0)

    def _hint(self) -> str:
        pass_ = self.in_app.pass_
        a, b = palette.short_name(pass_.a), palette.short_name(pass_.b)
        return (
            f"a keep {a}'s · b keep {b}'s · k keep both · c new code · d drop · "
            "n/p next/previous · space play · r replay · ctrl+z undo · Esc leave (resume with R)"
        )

    # --- what is shown -----------------------------------------------------------------------

    def show(self, error: str = "") -> None:
        in_app, pass_ = self.in_app, self.in_app.pass_
        item: Disagreement | None = in_app.shown
        names = {"a": one_line(pass_.a.name), "b": one_line(pass_.b.name)}
        settled = len(pass_.decisions)
        title = (
            f"Reconcile {names['a']} (A) and {names['b']} (B) · {in_app.viewing + 1} of {len(in_app.items)}"
            f" · {settled} settled · before: {kappa(pass_.kappa_before)}"
        )
        if pass_.done:
            title += " · after: " + ", ".join(f"{one_line(n)} {kappa(s)}" for n, s in pass_.kappa_after.items())
        self.query_one("#reconcile-title", Static).update(title)
        if item is None:
            return
        group = self.codebook.group(item.group) if self.codebook else None
        self.query_one("#reconcile-item", Static).update(
            Content.assemble(
                (palette.time_span(item.start_ms, item.end_ms), "bold"),
                "  ",
                (one_line(group.label) if group else item.group, "bold"),
                ": ",
                KIND_WORDS.get(item.kind, item.kind).format(**names),
            )
        )
        self._show_side("a", pass_.a, item.a)
        self._show_side("b", pass_.b, item.b)
        lines = [f"{one_line(line.speaker or '')}: {one_line(line.text)}" for line in item.quote[:QUOTE_LINES]]
        if len(item.quote) > QUOTE_LINES:
            lines.append(f"… {len(item.quote) - QUOTE_LINES} more lines")
        self.query_one("#quote", Static).update("\n".join(f"> {line}" for line in lines) or "(nothing said here)")
        decided = in_app.decision_of(item)
        if decided is not None:
            state = Content.styled(f"Settled: {decided}", "$text-success")
        elif in_app.on_current:
            state = Content.styled("Open: decide with one key", "$warning")
        else:
            state = Content.styled(f"Open: settled in order, number {pass_.position + 1} comes first", palette.MUTED)
        self.query_one("#decided", Static).update(state)
        self.query_one("#reconcile-error", Static).update(error)

    def _show_side(self, side: str, reviewer: Reviewer, tag: Tag | None) -> None:
        self.query_one(f"#{side}-title", Static).update(
            Content.assemble((f"{side.upper()}  ", "bold"), one_line(reviewer.name), (f" ({reviewer.role})", palette.MUTED))
        )
        if tag is None:
            self.query_one(f"#{side}-tag", Static).update(Content.styled("no tag here", f"italic {palette.MUTED}"))
            self.query_one(f"#{side}-note", Static).update("")
            return
        code = self.codebook.code(tag.code_id) if self.codebook else None
        self.query_one(f"#{side}-tag", Static).update(
            Content.assemble(
                palette.code_badge(code, self.codebook),
                " ",
                (one_line(code.label) if code else one_line(tag.code_id), f"bold {palette.code_colour(tag.code_id, self.codebook)}"),
                f"  {palette.tag_span(tag)}",
                ("  " + palette.stars(tag.rating), "$warning") if tag.rating else "",
            )
        )
        self.query_one(f"#{side}-note", Static).update(" ".join(tag.note.split()))

    # --- keys --------------------------------------------------------------------------------

    def action_decide(self, decision: str) -> None:
        if decision not in (KEEP_A, KEEP_B, KEEP_BOTH, DROP):
            return
        self._after(self.in_app.decide(decision))

    def action_new_code(self) -> None:
        item = self.in_app.shown
        if item is None or not self.in_app.on_current:
            self.show(self.in_app.decide(NEW_CODE) or "")
            return
        group = self.codebook.group(item.group) if self.codebook else None
        if group is None:
            self.show("this group is not in the review's codebook")
            return
        self.app.push_screen(CodePicker(self.codebook, group), self._code_picked)

    def _code_picked(self, code: Any) -> None:
        if code is not None:
            self._after(self.in_app.decide(NEW_CODE, code))

    def action_step(self, direction: int) -> None:
        if not self.in_app.step(direction):
            self.app.bell()
        self.show()

    def action_replay(self) -> None:
        self.in_app.seek()

    def action_undo(self) -> None:
        if not self.in_app.undo():
            self.show("nothing decided yet to take back")
            return
        self.show()

    def _after(self, refused: str | None) -> None:
        self.show(refused or "")


def kappa(summary: dict) -> str:
    value = summary.get("kappa") if summary else None
    return "n/a" if value is None else f"kappa {value:.2f}"


class ReviewerPairDialog(Dialog[tuple[Reviewer, Reviewer] | None]):
    """Choose the two reviewers of a pass: A first, then B (Enter each)."""

    DEFAULT_CSS = """
    ReviewerPairDialog {
        & #pair-list { height: auto; max-height: 12; border: none; padding: 0; }
    }
    """

    def __init__(self, reviewers: Iterable[Reviewer], *, coded: set[int] = frozenset()) -> None:
        super().__init__()
        self.reviewers = list(reviewers)
        self.coded = coded
        self.first: Reviewer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Reconcile: choose reviewer A", id="pair-title", classes="dialog-title")
            yield OptionList(*(Option(self._row(r), id=str(r.id)) for r in self.reviewers), id="pair-list")
            yield Label("Enter chooses · Esc cancels", classes="dialog-hint")

    def _row(self, reviewer: Reviewer) -> Content:
        coded = "" if reviewer.id in self.coded else "  (no codes yet)"
        return Content.assemble(one_line(reviewer.name), (f" ({reviewer.role}){coded}", palette.MUTED))

    @on(OptionList.OptionSelected, "#pair-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = next(r for r in self.reviewers if str(r.id) == event.option_id)
        if self.first is None:
            self.first = chosen
            options = self.query_one("#pair-list", OptionList)
            options.disable_option(str(chosen.id))
            options.highlighted = next(n for n, r in enumerate(self.reviewers) if r.id != chosen.id)
            self.query_one("#pair-title", Label).update(f"Reconcile {one_line(chosen.name)} with: choose reviewer B")
            return
        if chosen.id != self.first.id:
            self.close((self.first, chosen))
