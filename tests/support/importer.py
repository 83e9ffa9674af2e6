"""The importer's fictional sample files (tests/importer/fixtures) and a way to run the
import and export commands through call_command."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

FIXTURES = Path(__file__).resolve().parents[1] / "importer" / "fixtures"
ENGLISH = FIXTURES / "pair" / "P2024031500412.txt"
CHINESE = FIXTURES / "pair" / "P2024031500411.txt"


@dataclass
class Run:
    stdout: str
    stderr: str
    error: CommandError | None = None
    records: list[dict] = field(default_factory=list)

    def by_file(self, name: str) -> dict:
        matches = [record for record in self.records if Path(record["file"]).name == name]
        assert len(matches) == 1, (name, self.records)
        return matches[0]

    @property
    def statuses(self) -> list[str]:
        return [record["status"] for record in self.records]


def run_command(name: str, *args) -> Run:
    """Run a command through call_command; a CommandError is kept, not raised."""
    stdout, stderr = StringIO(), StringIO()
    error = None
    try:
        call_command(name, *[str(arg) for arg in args], stdout=stdout, stderr=stderr)
    except CommandError as raised:
        error = raised
    run = Run(stdout.getvalue(), stderr.getvalue(), error)
    if "--json" in args:
        run.records = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return run


def run_import(*args) -> Run:
    return run_command("import", "--json", *args)
