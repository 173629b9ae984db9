"""The reconcile pass in the app (R, or the palette): two reviewers step through where they
differ, on the recording, and settle each place with one key.

analysis/reconcile.py decides and writes (a consensus reviewer's tags, the raters' own tags
untouched, kappa before and after kept); this module wires it to the player, the one tags
view and the pass's screen. Leaving with Esc loses nothing: every decision is in the review
file already, and R opens the pass again where it stopped.
"""

from __future__ import annotations

from functools import cache, partial
from typing import TYPE_CHECKING

from review_tui.model import Code, Reviewer, ReviewTuiError
from review_tui.text import one_line
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error

if TYPE_CHECKING:
    from review_tui.analysis.agreement import Disagreement
    from review_tui.analysis.reconcile import ReconcilePass

# The agreement and reconcile analysis is imported when a pass is first opened: the first
# screen needs none of it (~10 ms of imports).


@cache
def decided_as() -> dict[str, str]:
    """Each decision in words, by the pass's decision names."""
    from review_tui.analysis.reconcile import DROP, KEEP_A, KEEP_B, KEEP_BOTH, NEW_CODE

    return {
        KEEP_A: "kept {a}'s",
        KEEP_B: "kept {b}'s",
        KEEP_BOTH: "kept both",
        NEW_CODE: "a new code",
        DROP: "dropped",
    }


class PassInApp:
    """One open pass as its screen drives it: which item is shown, and each key's effect.

    ``viewing`` may differ from the pass's position (p/n browse decided and later items), but
    a decision is always for the pass's current item, in order, as the pass keeps them."""

    def __init__(self, host: ReviewHost, pass_: ReconcilePass) -> None:
        self.host = host
        self.pass_ = pass_
        self.viewing = min(pass_.position, max(len(pass_.items) - 1, 0))

    @property
    def items(self) -> tuple[Disagreement, ...]:
        return self.pass_.items

    @property
    def shown(self) -> Disagreement | None:
        return self.items[self.viewing] if self.items else None

    @property
    def on_current(self) -> bool:
        return not self.pass_.done and self.viewing == self.pass_.position

    def decision_of(self, item: Disagreement) -> str | None:
        """How ``item`` was settled, in words, or None while it is open."""
        found = next((d for d in self.pass_.decisions if d.key == item.key), None)
        if found is None:
            return None
        return decided_as()[found.decision].format(a=one_line(self.pass_.a.name), b=one_line(self.pass_.b.name))

    def seek(self) -> None:
        item = self.shown
        if item is not None:
            self.host.seek_to(item.start_ms, follow=True)

    def step(self, direction: int) -> bool:
        target = self.viewing + direction
        if not 0 <= target < len(self.items):
            return False
        self.viewing = target
        self.seek()
        return True

    def decide(self, decision: str, code: Code | None = None) -> str | None:
        """Settle the current item; returns a reason it was not settled, or None."""
        if not self.on_current:
            return self._not_here()
        try:
            self.pass_.decide(decision, code_id=code.id if code else None)
        except ReviewTuiError as error:
            return str(error).split(": ", 1)[-1]
        self.host.publish_tags()
        if self.pass_.done:
            self.host.notify(kappa_after_text(self.pass_), title="Every disagreement settled", timeout=10, markup=False)
        else:
            self.viewing = self.pass_.position
            self.seek()
        return None

    def undo(self) -> bool:
        try:
            undone = self.pass_.undo()
        except ReviewTuiError as error:
            store_error(self.host, error, title="Not undone")
            return False
        if undone:
            self.viewing = self.pass_.position
            self.host.publish_tags()
            self.seek()
        return undone

    def _not_here(self) -> str:
        if self.pass_.done:
            return "every disagreement is settled; ctrl+z takes back the last decision"
        if self.viewing < self.pass_.position:
            return "this one is settled; ctrl+z takes decisions back, n goes on"
        return f"settled in order: p goes back to number {self.pass_.position + 1}"


def kappa_text(summary: dict) -> str:
    kappa = summary.get("kappa")
    raw = summary.get("raw_agreement")
    shown = "n/a" if kappa is None else f"{kappa:.2f}"
    agree = "" if raw is None else f", {raw:.0%} agree"
    return f"kappa {shown}{agree} over {summary.get('events', 0)} events"


def kappa_after_text(pass_: ReconcilePass) -> str:
    before = f"Before: {pass_.a.name} and {pass_.b.name}, {kappa_text(pass_.kappa_before)}"
    after = [f"{name} against the consensus: {kappa_text(summary)}" for name, summary in pass_.kappa_after.items()]
    return "\n".join([one_line(before), *map(one_line, after), "review-tui report shows both"])


# --- opening the pass --------------------------------------------------------------------


def reconcile(host: ReviewHost) -> None:
    """R: the two coders when there are exactly two, else ask which two."""
    from review_tui.analysis.reviewers import coders_of

    try:
        coders = coders_of(host.store)
    except ReviewTuiError as error:
        store_error(host, error)
        return
    if len(coders) == 2:
        open_pass(host, coders[0], coders[1])
    else:
        reconcile_between(host)


def reconcile_between(host: ReviewHost) -> None:
    """The palette's "Reconcile between…": choose the two reviewers."""
    from review_tui.analysis.reconcile import consensus_reviewers
    from review_tui.analysis.reviewers import coders_of
    from review_tui.tui.screens.reconcile import ReviewerPairDialog

    try:
        consensus = consensus_reviewers(host.store)
        everyone = [reviewer for reviewer in host.store.reviewers() if reviewer.id not in consensus]
        coders = {reviewer.id for reviewer in coders_of(host.store)}
    except ReviewTuiError as error:
        store_error(host, error)
        return
    if len(everyone) < 2:
        host.notify("A reconcile pass needs two reviewers who coded this session", timeout=5)
        return
    dialog = ReviewerPairDialog(everyone, coded=coders)
    host.push_screen(dialog, lambda pair: open_pass(host, *pair) if pair else None)


def open_pass(host: ReviewHost, a: Reviewer, b: Reviewer) -> None:
    from review_tui.analysis.reconcile import ReconcilePass
    from review_tui.tui.screens.reconcile import ReconcileScreen

    try:
        pass_ = ReconcilePass.open(host.store, a, b, transcript=host.session.transcript)
    except ReviewTuiError as error:
        store_error(host, error, title="No reconcile pass")
        return
    host.publish_tags()  # the pairs they agreed on are in the consensus now
    if not pass_.items:
        host.notify(
            f"{one_line(a.name)} and {one_line(b.name)} agree everywhere: nothing to reconcile", timeout=6, markup=False
        )
        return
    in_app = PassInApp(host, pass_)
    in_app.seek()
    host.push_screen(ReconcileScreen(in_app, host.codebook), partial(left, host, in_app))


def left(host: ReviewHost, in_app: PassInApp, _result: object) -> None:
    pass_ = in_app.pass_
    if not pass_.done:
        remaining = len(pass_.items) - pass_.position
        host.notify(f"Reconcile pass kept: {remaining} left · R goes on where you stopped", timeout=5, markup=False)


ACTIONS = {"reconcile": reconcile, "reconcile_between": reconcile_between}
