"""The layering of the domain apps (docs/architecture.md) holds: import-linter's contracts
in pyproject.toml are kept. `make lint` runs the same check; this runs it with the suite,
so CI fails on a violation."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports() -> str:
    found = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    return found


def test_the_import_contracts_are_kept_and_would_catch_a_violation(tmp_path):
    result = subprocess.run(
        [_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout

    # The contracts are not vacuous: a module of core importing a domain app breaks them.
    # (One test, so no other test process runs the check while the probe exists.)
    config = (ROOT / "pyproject.toml").read_text()
    probe = ROOT / "ecosystem" / "core" / "_layering_probe.py"
    probe.write_text("import ecosystem.financing.models  # noqa: F401\n")
    try:
        copy = tmp_path / "pyproject.toml"
        copy.write_text(config)
        result = subprocess.run(
            [_lint_imports(), "--no-cache", str(copy)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert "ecosystem.core._layering_probe -> ecosystem.financing.models" in result.stdout
