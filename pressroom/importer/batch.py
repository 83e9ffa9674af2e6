"""Storing a batch of read files: each file the same way, in order; bulk is an option.

Every release page takes one path (`Batch._store_page`): where it goes (its own release, the
partner it joins, or a release of its own: `pairing.place`), whether it changes anything
(the same content again is "unchanged"), then the write through the write path
(`pressroom.releases.services.ContentWriter`), which derives the zh-Hans text, and announces
what it stored, on which search indexes and HTTP caching takes a new reading. A page is never
written twice or by another route: the option only says when its rows are stored.

With `use_bulk` (the `import` command), a page that makes a new release or joins one made
earlier in the same batch, carries a reference and has no image files beside it waits in the
writer, and the waiting releases are stored together, in a few statements. Everything else (a
change to a stored release, a page joining one, a page with image files or without a
reference, a pop-up, a backup) is written at once, after what waits, in a savepoint of its
own: it meets the database as a file-by-file import would. The batch reads the releases its
pages may concern once (`pairing.look_up`), keeps that picture exact as it writes (what waits,
what a write at once may have changed), and places each page from it. Without `use_bulk`
every page is written at once, and placed from what the database holds just then.

Failure isolation: what waits is stored in a savepoint; if that fails, it is rolled back and
each of its files is written at once instead, so a bad file fails by itself with nothing of it
stored, and the others still go in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import DatabaseError, transaction

from pressroom.importer import backup
from pressroom.importer.documents import (
    FileProblem,
    Prepared,
    content_digest,
    desk_owned,
    issue_instant,
    keeps_written_text,
    release_kind,
    written_language,
)
from pressroom.importer.pairing import Candidate, adjacent_references, look_up, place
from pressroom.importer.results import ImportResult, ImportStatus
from pressroom.media.uploads import UploadRefused, attach_image
from pressroom.releases import limits
from pressroom.releases.languages import Language
from pressroom.releases.models import (
    Release,
    ReleaseOrigin,
    ReleaseState,
    ReleaseVersion,
    allocate_reference,
)
from pressroom.releases.services import ContentWriter, LanguageText, prepare_text
from pressroom.wire.model import PageKind
from pressroom.workflow.audit import record_import_change

if TYPE_CHECKING:
    from pressroom.importer.services import Importer

logger = logging.getLogger(__name__)


class Batch:
    def __init__(self, importer: Importer, items: list[Prepared]):
        self.importer = importer
        self.items = items
        self.results: list[list[ImportResult]] = [[] for _ in items]
        self.writer = ContentWriter(use_bulk=importer.use_bulk)
        self.at_once = ContentWriter()
        self.known = _Known(items if importer.use_bulk else None)
        self.waiting: list[int] = []  # the files whose rows wait in the writer
        self.addresses = _Addresses()

    def store(self) -> list[list[ImportResult]]:
        """Store every file of the batch; returns each file's results, in file order."""
        for index in range(len(self.items)):
            self._store_file(index, bulk=self.writer.use_bulk)
        self._flush()
        return self.results

    def _store_file(self, index: int, bulk: bool) -> None:
        item = self.items[index]
        name = str(item.path)
        if item.problem is not None:
            self.results[index] = [ImportResult(name, ImportStatus.FAILED, error=item.problem)]
        elif item.backup_data is not None:
            self._flush()
            self.results[index] = list(backup.restore_lines(name, item.backup_data))
            self.known.forget()  # a backup may have changed any release
        else:
            try:
                if item.parsed.kind == PageKind.PHOTO:
                    result = self._store_popup(item)
                else:
                    result = self._store_page(index, item, bulk)
            except FileProblem as problem:
                result = ImportResult(name, ImportStatus.FAILED, error=str(problem))
            self.results[index] = [result]

    # Release pages -------------------------------------------------------------------------

    def _store_page(self, index: int, item: Prepared, bulk: bool) -> ImportResult:
        parsed = item.parsed
        language = written_language(parsed)
        reference = parsed.reference
        images = self.importer.images.for_release(item.path, reference)
        if max(images, default=0) > limits.PHOTOS_MAX:
            raise FileProblem(
                f"photos: an image file for photo {max(images)} beside it; a release has at "
                f"most {limits.PHOTOS_MAX} photos"
            )
        body_json = item.stored.ready.body_json
        digest = content_digest(parsed, images, body_json) if images else item.text_digest
        issue = (issue_instant(parsed), parsed.issue_time is not None, release_kind(parsed))
        if reference:
            target, is_own = self.known.place(reference, language, issue)
        else:
            self._flush()
            target, is_own = _by_digest(language, digest)
        if target is not None and not target.archive:
            raise desk_owned(reference or target.reference, target)
        own_digest = target.digests.get(language) if is_own else None
        if own_digest is not None and keeps_written_text(own_digest, parsed, digest):
            if not self.importer.assignments:
                stored = Release(reference=target.reference, issue_instant=target.issue[0])
                return self._result(item, ImportStatus.UNCHANGED, stored)
            write = lambda files: self._assign(item, target)  # noqa: E731
        else:
            status = ImportStatus.UPDATED if own_digest is not None else ImportStatus.IMPORTED
            waits = target is None or self.writer.is_pending(target.release)
            if bulk and waits and status is ImportStatus.IMPORTED and reference and not images:
                _, release = self._write(self.writer, item, target, status, issue, digest)
                self.waiting.append(index)
                self.known.waiting(release, target, language, digest, reference)
                return self._result(item, status, release)
            write = lambda files: self._write(  # noqa: E731
                self.at_once, item, target, status, issue, digest, images, files
            )
        if not self._flush():
            # What waited was stored another way, file by file: decide again from that.
            return self._store_page(index, item, bulk)
        concerns = [reference, *adjacent_references(reference, language)] if reference else []
        return self._at_once(item, write, concerns)

    def _write(
        self,
        writer: ContentWriter,
        item: Prepared,
        target: Candidate | None,
        status: ImportStatus,
        issue: tuple,
        digest: str,
        images: dict[int, Path] | None = None,
        files: _Files | None = None,
    ) -> tuple[ImportStatus, Release]:
        """The write itself, the same in bulk or at once (the writer decides when)."""
        parsed = item.parsed
        instant, time_stated, kind = issue
        assignments = self.importer.assignments
        stored = target is not None and not self.writer.is_pending(target.release)
        if target is None:
            release = writer.add_release(
                Release(
                    reference=parsed.reference or allocate_reference(parsed.issue_date),
                    kind=kind,
                    state=ReleaseState.PUBLISHED,
                    origin=ReleaseOrigin.IMPORT,
                    issue_instant=instant,
                    issue_time_stated=time_stated,
                    department=assignments.department,
                ),
                [assignments.category.pk] if assignments.category else [],
            )
        elif stored:
            release = Release.objects.get(pk=target.pk)
            _set_issue(release, instant, time_stated, kind)
        else:
            release = target.release
        reference = parsed.reference
        writer.write(
            release,
            item.stored.ready,
            source_reference="" if reference in (None, release.reference) else reference,
            source_digest=digest,
            search_text=item.stored.search,
        )
        if not self.importer.dry_run:
            for position, image_file in (images or {}).items():
                self._attach(release, position, image_file, files)
        if stored:
            assignments.apply(release)
        if status is ImportStatus.UPDATED:
            record_import_change(release, "import", f"imported from {item.path}")
        return status, release

    def _assign(self, item: Prepared, target: Candidate) -> tuple[ImportStatus, Release]:
        """The same content again, with department or category assignments to apply."""
        release = Release.objects.get(pk=target.pk)
        if not self.importer.assignments.apply(release):
            return ImportStatus.UNCHANGED, release
        record_import_change(release, "import", f"imported from {item.path}")
        return ImportStatus.UPDATED, release

    def _attach(self, release: Release, position: int, image_file: Path, files: _Files) -> None:
        """A refused image (a GIF from 2005, a damaged file) must not cost the release its text:
        the photo keeps its caption and waits for a usable image, and the record says why."""
        try:
            files.append(attach_image(release, position, image_file).image)
        except UploadRefused as refused:
            files.notes.append(f"photo {position} left awaiting its image: {refused}")

    # Photo pop-ups -------------------------------------------------------------------------

    def _store_popup(self, item: Prepared) -> ImportResult:
        parsed = item.parsed
        language = written_language(parsed)
        reference = parsed.reference
        if not reference:
            raise FileProblem("a photo pop-up needs its release's reference in the file name")
        if not parsed.photo_number:
            raise FileProblem("a photo pop-up needs its photo number (..._photo_<n>)")
        self._flush()
        return self._at_once(item, lambda files: self._write_popup(item, language, files))

    def _write_popup(self, item: Prepared, language: str, files: _Files):
        parsed = item.parsed
        reference = parsed.reference
        release = Release.objects.by_reference(reference).prefetch_related("photos__texts").first()
        if release is None:
            raise FileProblem(
                f"no release {reference} for this photo pop-up (import the release page first)"
            )
        if not release.is_archive_release:
            raise desk_owned(reference, release)
        caption = parsed.captions[0] if parsed.captions else ""
        image_file = self.importer.images.for_popup(item.path)
        photo = next((p for p in release.photos.all() if p.position == parsed.photo_number), None)
        text = photo.text(language) if photo else None
        status = ImportStatus.UNCHANGED
        if text is None or text.caption != caption:
            status = ImportStatus.IMPORTED if text is None else ImportStatus.UPDATED
            photos = {parsed.photo_number: (caption, None)}
            self.at_once.write(release, prepare_text(LanguageText(language, photos=photos)))
        if image_file and not self.importer.dry_run and (photo is None or photo.awaiting_image):
            self._attach(release, parsed.photo_number, image_file, files)
            status = ImportStatus.UPDATED if status is ImportStatus.UNCHANGED else status
        if self.importer.assignments.apply(release) and status is ImportStatus.UNCHANGED:
            status = ImportStatus.UPDATED
        if status is ImportStatus.UPDATED:
            record_import_change(release, "import", f"imported from {item.path}")
        return status, release

    # Writing -------------------------------------------------------------------------------

    def _at_once(
        self,
        item: Prepared,
        write: Callable[[_Files], tuple[ImportStatus, Release]],
        concerns: list[str] = (),
    ) -> ImportResult:
        """`write` in a savepoint of its own (after what waits is stored): a failure rolls it
        back (and removes the image files it wrote) and fails this file alone. The batch then
        looks up again what the write may have changed (`concerns`: references)."""
        name = str(item.path)
        try:
            with transaction.atomic(), _removed_on_failure() as files:
                status, release = write(files)
        except FileProblem as problem:
            return ImportResult(name, ImportStatus.FAILED, error=str(problem))
        except (DatabaseError, ValueError, OSError) as error:
            # Rolled back with its savepoint; the other files go on.
            logger.debug("importing %s failed", name, exc_info=True)
            return ImportResult(name, ImportStatus.FAILED, error=f"{type(error).__name__}: {error}")
        self.known.changed([*concerns, release.reference])
        return self._result(item, status, release, notes=files.notes)

    def _flush(self) -> bool:
        """Store what waits in the writer; on failure, write each of its files at once instead
        (False: what waited is not what was stored)."""
        waiting, self.waiting = self.waiting, []
        if not waiting:
            return True
        try:
            self.writer.flush()
        except (DatabaseError, ValueError) as error:
            logger.debug("a batch of new releases failed (%s); storing its files one by one", error)
            self.known.forget_waiting()
            for index in waiting:
                self._store_file(index, bulk=False)
            return False
        self.known.written()
        return True

    def _result(
        self, item: Prepared, status: ImportStatus, release, notes: tuple[str, ...] = ()
    ) -> ImportResult:
        parsed = item.parsed
        language = parsed.language.value
        return ImportResult(
            str(item.path),
            status,
            reference=release.reference,
            language=language,
            url=self.addresses.url(release, language),
            warnings=tuple(parsed.warnings) + tuple(notes),
        )


class _Files(list):
    """The image files a write stored (removed if it fails), and notes on those it refused."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []


@contextmanager
def _removed_on_failure() -> Iterator[_Files]:
    """Image files are written to MEDIA_ROOT at once; a rolled-back write removes them."""
    files = _Files()
    try:
        yield files
    except BaseException:
        for field_file in files:
            field_file.delete(save=False)
        raise


def _by_digest(language: str, digest: str) -> tuple[Candidate | None, bool]:
    """A page without a reference is its release's own when the same content is stored."""
    version = (
        ReleaseVersion.objects.filter(language=language, source_digest=digest)
        .select_related("release")
        .first()
    )
    if version is None:
        return None, False
    return look_up([version.release.reference])[version.release.reference], True


def _set_issue(release: Release, instant, time_stated: bool, kind: str) -> None:
    if (release.issue_instant, release.issue_time_stated, release.kind) != (
        instant,
        time_stated,
        kind,
    ):
        release.issue_instant = instant
        release.issue_time_stated = time_stated
        release.kind = kind
        release.save(update_fields=["issue_instant", "issue_time_stated", "kind", "updated_at"])


class _Known:
    """The releases a batch's pages may concern, by every reference they carry: read once for
    the whole batch in bulk (`items`), or asked of the database for each page (None)."""

    def __init__(self, items: list[Prepared] | None):
        self.items = items
        self.by_reference: dict[str, Candidate] = {}
        self.pending: list[Candidate] = []  # releases waiting in the writer
        self.forget()

    def forget(self) -> None:
        """Anything may have changed (a backup was restored): read everything again."""
        if self.items is None:
            return
        wanted: set[str] = set()
        for item in self.items:
            parsed = item.parsed
            if parsed is not None and parsed.reference and parsed.kind != PageKind.PHOTO:
                wanted.add(parsed.reference)
                wanted.update(adjacent_references(parsed.reference, parsed.language.value))
        self.by_reference = look_up(wanted)

    def place(self, reference: str, language: str, issue: tuple) -> tuple[Candidate | None, bool]:
        if self.items is None:
            self.look_up_again([reference, *adjacent_references(reference, language)])
        return place(reference, language, issue, self.by_reference)

    def waiting(
        self, release: Release, target: Candidate | None, language: str, digest: str, reference: str
    ) -> None:
        """A page written to a release waiting in the writer, as a look-up would find it."""
        if target is None:
            target = Candidate(
                release.reference,
                (release.issue_instant, release.issue_time_stated, release.kind),
                release.state,
                release=release,
            )
            self.pending.append(target)
        target.digests[language] = digest
        if language == Language.ZH_HANT:
            target.digests[Language.ZH_HANS.value] = ""  # derived with it
        if reference != target.reference:
            target.carries.add(reference)
        for carried in target.references:
            self.by_reference[carried] = target

    def written(self) -> None:
        """The releases that waited are stored: known by their ids from now on."""
        for candidate in self.pending:
            candidate.pk = candidate.release.pk
        self.pending = []

    def forget_waiting(self) -> None:
        """The releases that waited were not stored: what the database holds instead."""
        references = {carried for candidate in self.pending for carried in candidate.references}
        self.pending = []
        self.look_up_again(references)

    def changed(self, references) -> None:
        """A write at once may have changed the releases carrying `references`."""
        if self.items is not None:
            self.look_up_again(references)

    def look_up_again(self, references) -> None:
        """What the database now holds for `references` (and every reference the releases
        carrying them carry)."""
        references = set(references)
        if not references:
            return
        found = look_up(references)
        for reference in references - set(found):
            self.by_reference.pop(reference, None)
        self.by_reference.update(found)


class _Addresses:
    """The public URLs of a batch's results. A release page's address is its language and Hong
    Kong day followed by its reference (`Release._address`), and reverse() costs about as much
    as writing the release's rows: each language and day is reversed once, the other releases
    of that day follow from it, and where that shape does not hold every URL is reversed."""

    def __init__(self) -> None:
        self.prefixes: dict[tuple, str | None] = {}

    def url(self, release, language: str) -> str:
        day = (language, release.issue_date)
        prefix = self.prefixes.get(day)
        if prefix is not None:
            return f"{prefix}{release.reference}/"
        url = release.get_absolute_url(language)
        tail = f"{release.reference}/"
        if day not in self.prefixes:
            self.prefixes[day] = url[: -len(tail)] if url.endswith(tail) else None
        return url
