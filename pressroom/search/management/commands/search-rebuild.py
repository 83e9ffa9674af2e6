"""`pressroom search-rebuild`: index the whole archive again, with a progress bar."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pressroom.search.backends import backend_path
from pressroom.search.indexing import rebuild, versions_to_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the archive (English and Traditional Chinese versions; "
        "Simplified Chinese is found through them). Search keeps answering from the old index "
        "until the new one is committed. Needed only after restoring a database by hand or "
        "changing PRESSROOM_SEARCH_BACKEND: saves index themselves."
    )

    def handle(self, *args, **options):
        # The bar goes to stderr, like the importer's, so stdout stays a clean summary.
        console = Console(file=sys.stderr)
        total = versions_to_index().count()
        started = time.monotonic()
        columns = (
            TextColumn("Indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("index", total=total)
            written = rebuild(on_progress=lambda done: progress.advance(task, done))
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Indexed {written} language version(s) in {seconds:.1f}s "
            f"with {backend_path().rsplit('.', 1)[-1]}."
        )
