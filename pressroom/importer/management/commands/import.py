"""`pressroom import PATH...`: wire text files, folders of them and JSON lines backups."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pressroom.importer.results import ImportSummary
from pressroom.importer.services import Assignments, Importer, fewer_collections
from pressroom.importer.sources import collect_files
from pressroom.releases.models import Category, Department


class Command(BaseCommand):
    help = (
        "Import releases from wire text files and folders (read recursively), or restore a "
        "JSON lines backup made by `export --all --format jsonl`. Importing the same content "
        "again changes nothing. Image files beside a text file (P2023110300392_1.jpg or "
        "<name>_photo_1.jpg) become its photos."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        parser.add_argument(
            "--department", metavar="CODE", help="assign imported releases to this department"
        )
        parser.add_argument(
            "--category", metavar="SLUG", help="add this category to imported releases"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON record per file (file, status, reference, language, url, "
            "error) instead of the progress bar",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read and check everything, then roll back: nothing is stored, no image copied",
        )

    def handle(self, *args, **options):
        assignments = Assignments(
            department=_department(options["department"]),
            category=_category(options["category"]),
        )
        importer = Importer(assignments, dry_run=options["dry_run"], use_bulk=True)
        files = collect_files(options["paths"])
        summary = ImportSummary()
        progress = self._progress(len(files), quiet=options["json"])
        with fewer_collections(), progress as (advance, say):
            for result in importer.run_files(files, on_file=advance):
                summary.add(result)
                if options["json"]:
                    self.stdout.write(result.to_json())
                elif result.failed:
                    say(result.describe())
                elif options["verbosity"] >= 2:
                    say(result.describe())
        self.stderr.write(summary.line(dry_run=options["dry_run"]))
        if summary.failed:
            raise CommandError(f"{summary.failed} failed (see above)", returncode=1)

    @contextmanager
    def _progress(self, total: int, quiet: bool):
        """A progress bar on stderr, only when a person watches a terminal."""
        console = Console(file=sys.stderr)
        if quiet or not console.is_terminal:
            yield (lambda path: None), self.stderr.write
            return
        columns = (
            TextColumn("Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("import", total=total)

            def say(message: str) -> None:
                progress.console.print(message, markup=False, highlight=False)

            yield (lambda path: progress.advance(task)), say


def _department(code: str | None) -> Department | None:
    if code is None:
        return None
    department = Department.objects.filter(code=code).first()
    if department is None:
        known = ", ".join(Department.objects.values_list("code", flat=True)) or "none yet"
        raise CommandError(f"--department {code}: no such department (known: {known})")
    return department


def _category(slug: str | None) -> Category | None:
    if slug is None:
        return None
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        known = ", ".join(Category.objects.values_list("slug", flat=True)) or "none yet"
        raise CommandError(f"--category {slug}: no such category (known: {known})")
    return category
