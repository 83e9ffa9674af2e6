"""`pressroom export`: one release as wire text, ninjs or JSON lines; the archive as a backup."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pressroom.api.ninjs import release_to_ninjs
from pressroom.importer.backup import backup_lines, backup_queryset
from pressroom.releases.languages import from_user_input
from pressroom.releases.models import Release
from pressroom.releases.wire_text import MissingLanguageError, wire_text

FORMATS = ("wire", "ninjs", "jsonl")


class Command(BaseCommand):
    help = (
        "Print a release (REF: its reference or a language document's source reference) as "
        "wire text, IPTC ninjs 2.2 JSON or a JSON lines record; or, with --all --format jsonl, "
        "stream the whole archive as a backup that `pressroom import` restores. Image files "
        "are not in the backup: back up the media folder alongside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference", nargs="?", metavar="REF", help="release reference")
        parser.add_argument("--all", action="store_true", help="every release (jsonl only)")
        parser.add_argument("--format", choices=FORMATS, default="wire")
        parser.add_argument(
            "--lang",
            metavar="LANG",
            help="en, zh-Hant or zh-Hans (default: the release's first language)",
        )
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument(
            "--base-url",
            metavar="URL",
            help="site address for ninjs links (default: PRESSROOM_BASE_URL)",
        )

    def handle(self, *args, **options):
        if options["all"]:
            if options["reference"]:
                raise CommandError("give either REF or --all, not both")
            if options["format"] != "jsonl":
                raise CommandError("--all writes the whole archive: use it with --format jsonl")
            with self._output(options["output"]) as write:
                for line in backup_lines():
                    write(line)
            return
        if not options["reference"]:
            raise CommandError("give a release reference (REF) or --all")
        release = _find_release(options["reference"])
        with self._output(options["output"]) as write:
            if options["format"] == "jsonl":
                for line in backup_lines(backup_queryset().filter(pk=release.pk)):
                    write(line)
                return
            language = _language(release, options["lang"])
            try:
                if options["format"] == "wire":
                    write(wire_text(release, language).rstrip("\n"))
                else:
                    base_url = (options["base_url"] or settings.PRESSROOM_BASE_URL).rstrip("/")
                    document = release_to_ninjs(release, language, base_url)
                    write(json.dumps(document, ensure_ascii=False, indent=2))
            except MissingLanguageError as error:
                raise CommandError(str(error)) from None

    @contextmanager
    def _output(self, path: str | None):
        """Write line by line, to a file or stdout, so nothing is held in memory."""
        if path is None:
            yield lambda line: self.stdout.write(line)
            return
        try:
            handle = Path(path).open("w", encoding="utf-8", newline="\n")
        except OSError as error:
            raise CommandError(f"--output {path}: {error.strerror or error}") from None
        with handle:
            yield lambda line: handle.write(line + "\n")


def _find_release(reference: str) -> Release:
    release = (
        Release.objects.by_reference(reference.strip())
        .select_related("department")
        .prefetch_related("versions", "categories", "photos__texts")
        .first()
    )
    if release is None:
        raise CommandError(f"no release with reference {reference}")
    return release


def _language(release: Release, requested: str | None) -> str:
    if requested is None:
        return release.default_language()
    language = from_user_input(requested)
    if language is None:
        raise CommandError(f"--lang {requested}: expected en, zh-Hant or zh-Hans")
    if language not in release.languages():
        available = ", ".join(release.languages()) or "none"
        raise CommandError(
            f"release {release.reference} has no {language} version (it has: {available})"
        )
    return language.value
