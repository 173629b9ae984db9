"""The core never imports Textual: only review_tui/tui/ may (DESIGN.md)."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "review_tui"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_modules_do_not_import_textual():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tui" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for name in imported_modules(path):
            if name == "textual" or name.startswith("textual."):
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert offenders == []


def test_importing_the_core_does_not_load_textual():
    # Catches indirect imports too (a core module importing a tui module).
    code = (
        "import sys, importlib, pkgutil, review_tui\n"
        "for info in pkgutil.walk_packages(review_tui.__path__, 'review_tui.'):\n"
        "    if info.name.startswith('review_tui.tui') or info.name == 'review_tui.__main__':\n"
        "        continue\n"
        "    importlib.import_module(info.name)\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_rule_checker_sees_a_textual_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from textual.app import App\nimport os\n")
    assert "textual.app" in imported_modules(sample)
