"""Session details kept in the review file: who, when, and what the therapist wants help with.

The therapist (a name or a pseudonym), the client's pseudonym, the session's date and number,
the supervisor, the focus ("the moments I want help with") and the learning goal. They are
kept as one JSON value in the review file's state, so they travel with the review and are
shown in the report's header and Focus section. Set from the CLI (``review-tui details``) or
the app; no Textual here.

A learning goal written before details existed was kept under the state key "focus"; it is
still read as the goal until a goal is set.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, fields, replace

from review_tui.model import ReviewTuiError
from review_tui.text import clean, one_line

DETAILS_KEY = "session.details"
LEGACY_GOAL_KEY = "focus"
MAX_LENGTH = 2000
# Field, what a person calls it: in the order a report shows them.
LABELS = {
    "therapist": "Therapist",
    "client": "Client",
    "session_date": "Session date",
    "session_number": "Session number",
    "supervisor": "Supervisor",
    "focus": "Focus",
    "goal": "Learning goal",
}
_MULTILINE = frozenset({"focus", "goal"})


class DetailsError(ReviewTuiError):
    """A detail that cannot be kept as given."""


@dataclass(frozen=True, slots=True)
class SessionDetails:
    """Facts about the session kept in the review file (who, when, the therapist's goal)."""

    therapist: str | None = None
    client: str | None = None
    session_date: str | None = None  # ISO date, YYYY-MM-DD
    session_number: int | None = None
    supervisor: str | None = None
    focus: str | None = None  # the moments the therapist wants help with
    goal: str | None = None  # the learning goal

    def shown(self) -> list[tuple[str, str]]:
        """(label, text) of every detail that is set, in LABELS order."""
        return [
            (label, str(getattr(self, name)))
            for name, label in LABELS.items()
            if getattr(self, name) not in (None, "")
        ]


def check(name: str, value: object, where: str) -> object:
    """The value as kept, or DetailsError naming ``where`` (a file) and the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if name == "session_number":
        try:
            number = int(str(value).strip())
        except ValueError:
            raise DetailsError(
                f"{where}: session number must be a whole number, not {one_line(str(value))!r}"
            ) from None
        if number < 1:
            raise DetailsError(f"{where}: session number must be 1 or more, not {number}")
        return number
    if not isinstance(value, str):
        raise DetailsError(f"{where}: {LABELS[name].lower()} must be text")
    text = clean(value).strip() if name in _MULTILINE else one_line(value)
    if len(text) > MAX_LENGTH:
        raise DetailsError(f"{where}: {LABELS[name].lower()} is longer than {MAX_LENGTH} characters")
    if name == "session_date" and text:
        try:
            text = datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            raise DetailsError(f"{where}: session date must be YYYY-MM-DD, not {one_line(value)!r}") from None
    return text or None


def read_details(store) -> SessionDetails:
    """The details kept in an open review file (a ReviewStore); damaged fields are skipped
    rather than fatal, since the report must still be written."""
    raw = store.get_state(DETAILS_KEY)
    values: dict[str, object] = {}
    if raw is not None:
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        if isinstance(data, dict):
            for field in fields(SessionDetails):
                try:
                    values[field.name] = check(field.name, data.get(field.name), str(store.path))
                except DetailsError:
                    continue
    details = SessionDetails(**values)
    if details.goal is None:
        legacy = store.get_state(LEGACY_GOAL_KEY)
        if legacy and legacy.strip():
            details = replace(details, goal=clean(legacy).strip())
    return details


def update_details(store, **changes: object) -> SessionDetails:
    """Set the given details (None leaves one as it is, "" clears it) and keep them at once."""
    unknown = set(changes) - set(LABELS)
    if unknown:
        raise TypeError(f"update_details() has no field {', '.join(sorted(unknown))}")
    current = read_details(store)
    kept = {name: value for name, value in changes.items() if value is not None}
    checked = {name: check(name, value, str(store.path)) for name, value in kept.items()}
    details = replace(current, **checked)
    store.set_state(DETAILS_KEY, json.dumps(asdict(details), ensure_ascii=False))
    return details
