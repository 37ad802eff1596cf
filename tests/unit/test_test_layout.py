"""The test suite's own layout: no module under tests/ imports a test module (shared
worlds and helpers live in tests/worlds/, objects come from tests/factories), and no
module under tests/ grows past 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def find_test_imports(source: str) -> list[str]:
    """The imported modules (or names imported from a package) whose last dotted part
    starts with ``test_``, anywhere in ``source``, function-local imports included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            # ``from tests.unit import test_x`` imports the module test_x itself.
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [
            f"line {node.lineno}: {name}"
            for name in names
            if name.rsplit(".", 1)[-1].startswith("test_")
        ]
    return found


def python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_scanner_flags_every_form_of_importing_a_test_module():
    source = "\n".join(
        [
            "import os",
            "import tests.unit.test_zone_pages",
            "from tests.unit.test_financing_pages import build_world",
            "from tests.unit import test_registry_pages as head",
            "from .test_claims import PDF",
            "from tests.worlds.zone import submit_claim",
            "def helper():",
            "    from tests.browser.test_zone_review import sign_in_as",
            "    return sign_in_as",
        ]
    )
    assert find_test_imports(source) == [
        "line 2: tests.unit.test_zone_pages",
        "line 3: tests.unit.test_financing_pages",
        "line 4: tests.unit.test_registry_pages",
        "line 5: .test_claims",
        "line 8: tests.browser.test_zone_review",
    ]


def test_the_scanner_sees_the_whole_suite():
    files = python_files()
    assert TESTS / "unit" / "test_test_layout.py" in files
    assert len(files) > 100, len(files)


def test_no_module_imports_a_test_module():
    offenders = [
        f"{path.relative_to(TESTS.parent)} {hit}"
        for path in python_files()
        for hit in find_test_imports(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, (
        "move what is shared into tests/worlds/ (or tests/factories) and import it from "
        "there:\n" + "\n".join(offenders)
    )


def test_no_module_is_longer_than_400_lines():
    offenders = [
        f"{path.relative_to(TESTS.parent)}: {lines} lines"
        for path in python_files()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not offenders, f"split by theme (at most {MAX_LINES} lines):\n" + "\n".join(offenders)
