"""Starting the production stack (bench/stack.py) for a test: once, in the PostgreSQL pass;
skipped locally without what it needs, failed under CI=true."""

from __future__ import annotations

import os

import pytest

from bench.stack import Stack, StackOptions, postgres_bin, services_missing
from tests.support.environment import skip_or_fail


def running_stack(tmp_path, test: str, options: StackOptions):
    """Yield a started Stack for the fixture of `test` ("the stack test"), stopped after."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip(f"{test} runs once, in the PostgreSQL pass")
    missing = services_missing()
    if options.private_postgres and not postgres_bin():
        missing.append("initdb and pg_ctl (postgresql)")
    if missing:
        skip_or_fail(f"{test} needs " + ", ".join(missing))
    with Stack(tmp_path / "stack", options) as running:
        yield running
