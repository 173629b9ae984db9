"""The import picture has no circle (issue 8): no module of review_tui reaches itself again
through what it imports (lazy imports inside functions included), and nothing but the CLI
imports the app class."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "review_tui"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every review_tui module ``path`` imports, at any depth of the file (lazy imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from package import submodule`` depends on the submodule; anything else
            # imported from a module depends on that module.
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known else node.module for alias in node.names]
        found |= {name for name in names if name in known}
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    known = set(files)
    return {name: imports_of(path, known) - {name} for name, path in files.items()}


def cycle_through(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for after in sorted(edges.get(node, ())):
            if state.get(after) == 1:
                return stack[stack.index(after) :] + [after]
            if after not in state and (found := visit(after)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


UI = ("review_tui.tui", "review_tui.review")


def test_no_ui_module_imports_itself_again():
    edges = graph()
    ui = {name: {after for after in imported if after.startswith(UI)} for name, imported in edges.items() if name.startswith(UI)}
    assert cycle_through(ui) is None


def test_no_module_of_review_tui_imports_itself_again():
    assert cycle_through(graph()) is None


def test_only_the_cli_opens_the_app_class():
    importers = {name for name, imported in graph().items() if "review_tui.tui.app" in imported}
    assert importers <= {"review_tui.cli"}


def test_the_checker_finds_a_circle():
    assert cycle_through({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
