"""The suite's own layout: what tests share lives in tests/support/, and no module imports a
test module or a conftest.py.

A test module imported by another is collected once by pytest and imported again by its
neighbour: its module-level state exists twice, its tests and fixtures come along, and moving
or deleting it breaks tests elsewhere. pytest imports conftest.py files itself and documents
them as not for importing. So shared code has one home, tests/support/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, importer: str, is_package: bool = False) -> set[str]:
    """Every module the source imports or may import: `from a.b import c` counts a.b and a.b.c
    (c may be a module); relative imports are resolved against `importer`'s package."""
    package = importer if is_package else importer.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def is_test_module(name: str) -> bool:
    last = name.rpartition(".")[2]
    return name.startswith("tests.") and (last.startswith("test_") or last == "conftest")


def imported_test_modules(source: str, importer: str, is_package: bool = False) -> list[str]:
    return sorted(filter(is_test_module, imported_modules(source, importer, is_package)))


def python_files() -> list[Path]:
    return sorted(
        path
        for folder in (TESTS, ROOT / "bench")
        for path in folder.rglob("*.py")
        if "fixtures" not in path.relative_to(ROOT).parts
    )


def test_no_module_imports_a_test_module_or_a_conftest():
    offences = []
    for path in python_files():
        source = path.read_text(encoding="utf-8")
        for name in imported_test_modules(source, module_name(path), path.name == "__init__.py"):
            offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == [], "move what they share to tests/support/:\n" + "\n".join(offences)


def test_helpers_shared_by_tests_live_in_tests_support():
    elsewhere = [
        str(path.relative_to(ROOT))
        for path in TESTS.rglob("*.py")
        if not path.name.startswith("test_")
        and path.name not in ("conftest.py", "__init__.py")
        and TESTS / "support" not in path.parents
        and "fixtures" not in path.relative_to(TESTS).parts
    ]
    assert elsewhere == [], "helpers belong in tests/support/: " + ", ".join(sorted(elsewhere))


@pytest.mark.parametrize(
    ("source", "importer", "caught"),
    [
        ("from tests.wire.test_round_trip_properties import english_releases",
         "tests.importer.test_digest", ["tests.wire.test_round_trip_properties"]),
        ("from tests.search.test_search import body", "tests.search.test_sqlite_ranking",
         ["tests.search.test_search"]),
        ("from .test_search import body", "tests.search.test_sqlite_ranking",
         ["tests.search.test_search"]),
        ("from . import test_search", "tests.search.test_page", ["tests.search.test_search"]),
        ("from ..workflow import test_permission_matrix as matrix", "tests.desk.test_desk_moves",
         ["tests.workflow.test_permission_matrix"]),
        ("import tests.e2e.test_site_in_browser", "tests.e2e.test_desk_in_browser",
         ["tests.e2e.test_site_in_browser"]),
        ("def late():\n    from tests.distribution.test_worker_process import database_url",
         "tests.distribution.test_commands", ["tests.distribution.test_worker_process"]),
        ("importlib.import_module('tests.site.test_pages')", "tests.x", ["tests.site.test_pages"]),
        ("from tests.api.conftest import BASE_URL", "tests.api.test_reading", ["tests.api.conftest"]),
        ("from tests.support.factories import make_release", "tests.site.test_pages", []),
        ("from tests.support import clock", "tests.site.test_pages", []),
        ("from pressroom.site import test_helpers", "tests.site.test_pages", []),
    ],
)  # fmt: skip
def test_the_scan_catches_every_way_of_importing_a_test_module(source, importer, caught):
    assert imported_test_modules(source, importer) == caught
