"""Every notification built from anything but a fixed string is plain text (issue 7 item 5):
such a message may quote a file name, a note or an error, and Textual would read "[/x]" in
it as a closing markup tag and end the app."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "review_tui"


def _is_plain(call: ast.Call) -> bool:
    return any(
        keyword.arg == "markup" and isinstance(keyword.value, ast.Constant) and keyword.value.value is False
        for keyword in call.keywords
    )


def _is_fixed_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    return isinstance(node, ast.IfExp) and _is_fixed_text(node.body) and _is_fixed_text(node.orelse)


def _is_super_call(call: ast.Call) -> bool:  # the app's own notify handing on to Textual's
    target = call.func.value if isinstance(call.func, ast.Attribute) else None
    return isinstance(target, ast.Call) and isinstance(target.func, ast.Name) and target.func.id == "super"


def test_every_notify_of_built_text_passes_markup_false():
    offenders = []
    for source in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "notify"):
                continue
            if not node.args or _is_super_call(node) or _is_fixed_text(node.args[0]) or _is_plain(node):
                continue
            offenders.append(f"{source.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []
