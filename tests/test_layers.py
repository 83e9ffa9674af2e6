"""Imports run down the layers and never in a cycle: the contracts in pyproject.toml
([tool.importlinter]), drawn in docs/architecture.md, checked by import-linter's own command.

The second test breaks a copy of the package on purpose, so a contract that stopped checking
anything (a renamed root package, a layer list emptied) fails here too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` over the package and pyproject.toml in `root` (no cache written there)."""
    environment = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_app_imports_down_the_layers_without_cycles():
    result = lint_imports(REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contracts(tmp_path):
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(
        REPO_ROOT / "pressroom",
        tmp_path / "pressroom",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "locale"),
    )
    # The wire format, at the bottom, asking the public site at the top: up, and a cycle.
    wire = tmp_path / "pressroom" / "wire" / "lines.py"
    wire.write_text(wire.read_text(encoding="utf-8") + "\nimport pressroom.site.views\n")

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "pressroom.wire.lines -> pressroom.site.views" in result.stdout, result.stdout
    assert "No import cycles between the apps BROKEN" in result.stdout, result.stdout
