"""What an import did, one result per file (or per backup record), and the tally at the end.

Shaped after django-import-export's results: every input gets a status, a failure names the file,
the line and what is wrong, and nothing is lost in a log nobody reads.
"""

from __future__ import annotations

import enum
import json
from collections import Counter
from dataclasses import dataclass, field


def belongs_to_the_desk(reference: str, release) -> str:
    """Why a document (or backup record) carrying `reference` may not change `release`."""
    other = f"{release.reference}, " if release.reference != reference else ""
    return (
        f"reference {reference} belongs to a release on the desk ({other}{release.state}): "
        "an import changes only the archive's own releases"
    )


class ImportStatus(str, enum.Enum):
    IMPORTED = "imported"  # a new release, or a new language version or caption of one
    UPDATED = "updated"  # content that was there before, now changed
    UNCHANGED = "unchanged"  # the same content again: nothing written
    FAILED = "failed"  # nothing stored for this input


@dataclass
class ImportResult:
    file: str
    status: ImportStatus
    reference: str | None = None
    language: str | None = None
    url: str | None = None
    error: str | None = None
    # JSON lines backups: which line of the file this record came from.
    line: int | None = None
    # Things the parser noticed but accepted ("line 4: rule is shorter than the title").
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.status is ImportStatus.FAILED

    def to_record(self) -> dict:
        """The machine-readable record `import --json` prints, one per line."""
        record = {
            "file": self.file,
            "status": self.status.value,
            "reference": self.reference,
            "language": self.language,
            "url": self.url,
            "error": self.error,
        }
        if self.line is not None:
            record["line"] = self.line
        if self.warnings:
            record["warnings"] = list(self.warnings)
        return record

    def to_json(self) -> str:
        return json.dumps(self.to_record(), ensure_ascii=False)

    def describe(self) -> str:
        """One line for people: where, what happened and, for failures, why."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.failed:
            return f"{where}: failed: {self.error}"
        subject = " ".join(part for part in (self.reference, self.language) if part)
        return f"{where}: {self.status.value} {subject}".rstrip()


@dataclass
class ImportSummary:
    counts: Counter = field(default_factory=Counter)

    def add(self, result: ImportResult) -> None:
        self.counts[result.status] += 1

    @property
    def failed(self) -> int:
        return self.counts[ImportStatus.FAILED]

    def line(self, dry_run: bool = False) -> str:
        parts = ", ".join(f"{self.counts[status]} {status.value}" for status in ImportStatus)
        prefix = "Dry run (nothing stored): " if dry_run else ""
        return f"{prefix}{parts}"
