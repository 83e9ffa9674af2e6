"""Storing one batch of read files: new releases together, everything else one file at a time.

An archive load is mostly release pages nobody has stored yet. Storing those one by one costs
a dozen queries and nested savepoints each; here a batch's new releases (and the other-language
documents that pair with them in the same batch) are written with a handful of bulk inserts,
and documents already stored with the same content are answered "unchanged" from one query.

Everything else goes through the importer's own one-file path, in the files' order, exactly as
if the batch did not exist: pop-ups, backups, pages with image files or without a reference,
pages whose release is already in the database and changed, and pages that join a release in
the database as its other language. Before each one-file store the pending new releases are
written, so it sees the database as a file-by-file import would; after it, the batch looks up
again the references that store may have changed, and after a flush it knows the releases it
wrote, so its picture of the database stays exact and the pages after a one-file store (a
page's neighbours, the next batch's first page) stay in bulk. Until 2026-12-04 any page whose
references were near a one-file store's went one by one too: on an archive whose days do not
end at a batch's edge, that spread through the rest of each day, and an import of 1,000
releases in batches of 100 stored half of them one by one.

Failure isolation: the pending releases are written in a savepoint; if that fails, it is rolled
back and each of their files is stored alone instead, so a bad file fails by itself with
nothing of it stored, and the others still go in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import DatabaseError, transaction

from pressroom.caching import forget_reading
from pressroom.importer.documents import (
    FileProblem,
    Prepared,
    issue_instant,
    keeps_written_text,
    release_kind,
    written_language,
)
from pressroom.importer.pairing import adjacent_references, partner_accepts
from pressroom.importer.results import ImportResult, ImportStatus
from pressroom.releases import services
from pressroom.releases.languages import Language
from pressroom.releases.models import (
    Release,
    ReleaseOrigin,
    ReleaseState,
    ReleaseVersion,
    is_archive_release,
)
from pressroom.search.indexing import NewText, analysed_text, index_new_versions
from pressroom.search.keys import filter_tags
from pressroom.wire.model import PageKind

if TYPE_CHECKING:
    from pressroom.importer.services import Importer

logger = logging.getLogger(__name__)


@dataclass
class _Document:
    """A release page that may be stored in bulk."""

    index: int  # its file's place in the batch
    item: Prepared
    language: str
    reference: str
    neighbours: list[str]
    digest: str
    issue: tuple  # (instant, time stated, kind), as pairing compares them

    @property
    def wanted(self) -> list[str]:
        return [self.reference, *self.neighbours]


@dataclass
class _NewRelease:
    """A release to create at the next flush, with its documents (one per language)."""

    release: Release
    documents: list[_Document] = field(default_factory=list)

    @property
    def languages(self) -> set[str]:
        return {document.language for document in self.documents}


@dataclass
class _Stored:
    """What a batch needs to know of a release already in the database."""

    reference: str
    issue_instant: object
    issue_time_stated: bool = True
    kind: str = ""
    digests: dict[str, str] = field(default_factory=dict)  # language -> source_digest
    carries: set[str] = field(default_factory=set)  # the versions' source references
    archive: bool = True  # is_archive_release: False for one the desk owns

    @property
    def issue(self) -> tuple:
        """(instant, time stated, kind), as pairing compares them."""
        return (self.issue_instant, self.issue_time_stated, self.kind)

    @property
    def references(self) -> set[str]:
        return self.carries | {self.reference}


class Batch:
    def __init__(self, importer: Importer, items: list[Prepared]):
        self.importer = importer
        self.items = items
        self.results: list[list[ImportResult]] = [[] for _ in items]
        self.pending: list[_NewRelease] = []
        self.pending_by_reference: dict[str, _NewRelease] = {}
        # References two stored releases carry: which one a page joins is the one-file path's.
        self.ambiguous: set[str] = set()
        self.stored: dict[str, _Stored] = {}
        self.addresses = _Addresses()

    def store(self) -> list[list[ImportResult]]:
        """Store every file of the batch; returns each file's results, in file order."""
        self.stored = self._snapshot(0)
        for index, item in enumerate(self.items):
            document = self._bulk_candidate(index, item)
            if document is None or not self._place(document):
                self._store_alone(index)
        self._flush()
        return self.results

    # Deciding ----------------------------------------------------------------------------------

    def _bulk_candidate(self, index: int, item: Prepared) -> _Document | None:
        """The page as a bulk document, or None when it must be stored by itself."""
        parsed = item.parsed
        if parsed is None or parsed.kind == PageKind.PHOTO or not parsed.reference:
            return None
        if self.importer.images.for_release(item.path, parsed.reference):
            return None
        try:
            language = written_language(parsed)
        except FileProblem:
            return None  # the one-file path reports it
        return _Document(
            index=index,
            item=item,
            language=language,
            reference=parsed.reference,
            neighbours=adjacent_references(parsed.reference, language),
            digest=item.text_digest,
            issue=(issue_instant(parsed), parsed.issue_time is not None, release_kind(parsed)),
        )

    def _place(self, document: _Document) -> bool:
        """Answer or queue a document; False when it needs the one-file path.

        The pairing rule (`pairing.place_document`) on what the batch knows: the neighbours in
        order, each either a stored release or one pending in this batch (which a file-by-file
        import would have stored by now); the first that takes the document has it. Joining a
        stored release is the one-file path's work.
        """
        if self.ambiguous.intersection(document.wanted):
            return False
        own = self.stored.get(document.reference)
        if own is not None:
            return self._answer_unchanged(document, own)
        if document.reference in self.pending_by_reference:
            return False  # the same reference twice in a batch
        for neighbour in document.neighbours:
            stored = self.stored.get(neighbour)
            if stored is not None:
                if stored.archive and partner_accepts(
                    set(stored.digests), stored.issue, document.language, document.issue
                ):
                    return False
                continue
            partner = self.pending_by_reference.get(neighbour)
            if partner is not None and partner_accepts(
                partner.languages, partner.documents[0].issue, document.language, document.issue
            ):
                self._queue(partner, document)
                return True
        self._queue(None, document)
        return True

    def _answer_unchanged(self, document: _Document, stored: _Stored) -> bool:
        """The same content again: nothing to write (unless assignments ask for a change).
        A release the desk owns is the one-file path's to refuse."""
        if not stored.archive:
            return False
        stored_digest = stored.digests.get(document.language)
        assignments = self.importer.assignments
        if stored_digest is None or assignments.department or assignments.category:
            return False
        if not keeps_written_text(stored_digest, document.item.parsed, document.digest):
            return False
        release = Release(reference=stored.reference, issue_instant=stored.issue_instant)
        self.results[document.index] = [self._result(document, ImportStatus.UNCHANGED, release)]
        return True

    def _queue(self, partner: _NewRelease | None, document: _Document) -> None:
        if partner is None:
            instant, time_stated, kind = document.issue
            department = self.importer.assignments.department
            partner = _NewRelease(
                Release(
                    reference=document.reference,
                    kind=kind,
                    state=ReleaseState.PUBLISHED,
                    origin=ReleaseOrigin.IMPORT,
                    issue_instant=instant,
                    issue_time_stated=time_stated,
                    department=department,
                )
            )
            self.pending.append(partner)
        partner.documents.append(document)
        self.pending_by_reference[document.reference] = partner

    # Storing -----------------------------------------------------------------------------------

    def _store_alone(self, index: int) -> None:
        """The one-file path, after writing what is pending so it sees the database as is."""
        self._flush()
        item = self.items[index]
        self.results[index] = self.importer.store_prepared(item)
        if item.backup_data is not None:
            # A backup may have changed any release: look the rest of the batch up again.
            self.stored = self._snapshot(index + 1)
            return
        changed = {result.reference for result in self.results[index] if result.reference}
        if item.parsed is not None and item.parsed.reference:
            reference = item.parsed.reference
            language = item.parsed.language.value
            changed.update([reference, *adjacent_references(reference, language)])
        self._look_up_again(changed)

    def _look_up_again(self, references: set[str]) -> None:
        """What the database now holds for `references` (and for every reference the releases
        carrying them carry), after a one-file store that may have written them."""
        if not references:
            return
        found = _stored_releases(sorted(references), self.ambiguous)
        for reference in references - set(found):
            self.stored.pop(reference, None)
        self.stored.update(found)

    def _flush(self) -> None:
        """Write the pending new releases in a savepoint; on failure, store each file alone."""
        pending, self.pending, self.pending_by_reference = self.pending, [], {}
        if not pending:
            return
        try:
            with transaction.atomic():
                self._create(pending)
        except (DatabaseError, ValueError) as error:
            logger.debug("a batch of new releases failed (%s); storing its files one by one", error)
            documents = sorted(
                (document for new in pending for document in new.documents),
                key=lambda document: document.index,
            )
            for document in documents:
                self._store_alone(document.index)
            return
        for new in pending:
            for document in new.documents:
                result = self._result(document, ImportStatus.IMPORTED, new.release)
                self.results[document.index] = [result]
            self._know_written(new)

    def _know_written(self, new: _NewRelease) -> None:
        """A release this batch has just written, as a look-up would now find it."""
        release = new.release
        stored = _Stored(
            release.reference,
            release.issue_instant,
            release.issue_time_stated,
            release.kind,
            digests={document.language: document.digest for document in new.documents},
            carries={d.reference for d in new.documents if d.reference != release.reference},
        )
        if Language.ZH_HANT in stored.digests:
            stored.digests[Language.ZH_HANS] = ""  # derived with it (create_content_in_bulk)
        for reference in stored.references:
            self.stored[reference] = stored

    def _create(self, pending: list[_NewRelease]) -> None:
        releases = _insert_releases([new.release for new in pending])
        documents = [(new.release, document) for new in pending for document in new.documents]
        services.create_content_in_bulk(
            [_new_content(release, document) for release, document in documents]
        )
        category = self.importer.assignments.category
        if category is not None:
            Release.categories.through.objects.bulk_create(
                Release.categories.through(release_id=release.pk, category_id=category.pk)
                for release in releases
            )
        category_ids = [category.pk] if category is not None else []
        tags = {
            release.pk: filter_tags(release.department_id, category_ids) for release in releases
        }
        index_new_versions([_new_text(release, document) for release, document in documents], tags)
        # Rows written without Release.save(): tell this process's publication reading, as a
        # save would (pressroom.caching.current_state).
        transaction.on_commit(forget_reading)

    def _result(self, document: _Document, status: ImportStatus, release: Release):
        parsed = document.item.parsed
        return ImportResult(
            str(document.item.path),
            status,
            reference=release.reference,
            language=document.language,
            url=self.addresses.url(release, document.language),
            warnings=tuple(parsed.warnings),
        )

    # Looking up --------------------------------------------------------------------------------

    def _snapshot(self, start: int) -> dict[str, _Stored]:
        """Stored releases by every reference they carry, for the batch's pages from `start`."""
        wanted: set[str] = set()
        for item in self.items[start:]:
            parsed = item.parsed
            if parsed is not None and parsed.reference and parsed.kind != PageKind.PHOTO:
                wanted.add(parsed.reference)
                wanted.update(adjacent_references(parsed.reference, parsed.language.value))
        if not wanted:
            return {}
        return _stored_releases(sorted(wanted), self.ambiguous)


def _new_content(release: Release, document: _Document) -> services.NewContent:
    parsed, stored = document.item.parsed, document.item.stored
    simplified = (stored.simplified_title, stored.simplified_body_json) if stored else None
    return services.NewContent(
        release=release,
        language=document.language,
        title=parsed.title,
        body=parsed.body,
        source_reference="" if document.reference == release.reference else document.reference,
        source_digest=document.digest,
        captions=parsed.captions,
        body_json=stored.body_json if stored else "",
        simplified=simplified if document.language == Language.ZH_HANT else None,
    )


def _new_text(release: Release, document: _Document) -> NewText:
    stored = document.item.stored
    if stored is not None:
        return NewText(
            release, document.language, stored.index_title, stored.index_body, stored.index_ahead
        )
    parsed = document.item.parsed
    title, body = analysed_text(parsed.title, [block.to_dict() for block in parsed.body])
    return NewText(release, document.language, title, body)


def _insert_releases(releases: list[Release]) -> list[Release]:
    """Insert new releases, then read their ids back by reference (unique): bulk_create's
    work per field costs more than the rows themselves."""
    columns = [
        "reference", "kind", "state", "origin", "issue_instant", "issue_time_stated", "department"
    ]  # fmt: skip
    services.insert_rows(
        Release,
        columns,
        (
            (
                release.reference,
                release.kind,
                release.state,
                release.origin,
                release.issue_instant,
                release.issue_time_stated,
                release.department_id,
            )
            for release in releases
        ),
    )
    by_reference = {release.reference: release for release in releases}
    found = Release.objects.filter(reference__in=list(by_reference)).order_by()
    for reference, pk in found.values_list("reference", "pk"):
        by_reference[reference].pk = by_reference[reference].id = pk
    for release in releases:
        release._state.adding = False
    return releases


def _stored_releases(wanted: list[str], ambiguous: set[str]) -> dict[str, _Stored]:
    """Plain rows, no models: a few indexed queries. (`Release.objects.by_references` ORs the
    two look-ups in one query, which PostgreSQL answers by scanning both tables; the models'
    default orderings would join and sort for nothing.) A reference two releases carry goes
    into `ambiguous`: which one a page joins is the one-file path's call."""
    versions = ReleaseVersion.objects.order_by()
    ids = set(Release.objects.filter(reference__in=wanted).order_by().values_list("pk", flat=True))
    ids.update(versions.filter(source_reference__in=wanted).values_list("release_id", flat=True))
    releases = {
        pk: _Stored(
            reference, instant, time_stated, kind, archive=is_archive_release(origin, state)
        )
        for pk, reference, instant, time_stated, kind, origin, state in Release.objects.filter(
            pk__in=ids
        )
        .order_by()
        .values_list(
            "pk", "reference", "issue_instant", "issue_time_stated", "kind", "origin", "state"
        )
    }
    rows = versions.filter(release_id__in=ids).values_list(
        "release_id", "language", "source_reference", "source_digest"
    )
    for release_id, language, source_reference, source_digest in rows:
        stored = releases[release_id]
        stored.digests[language] = source_digest
        if source_reference:
            stored.carries.add(source_reference)
    by_reference: dict[str, _Stored] = {}
    for stored in releases.values():
        for reference in stored.references:
            if by_reference.setdefault(reference, stored) is not stored:
                ambiguous.add(reference)
    return by_reference


class _Addresses:
    """The public URLs of a batch's results. A release page's address is its language and Hong
    Kong day followed by its reference (`Release._address`), and reverse() costs about as much
    as writing the release's rows: each language and day is reversed once, the other releases
    of that day follow from it, and where that shape does not hold every URL is reversed."""

    def __init__(self) -> None:
        self.prefixes: dict[tuple, str | None] = {}

    def url(self, release: Release, language: str) -> str:
        day = (language, release.issue_date)
        prefix = self.prefixes.get(day)
        if prefix is not None:
            return f"{prefix}{release.reference}/"
        url = release.get_absolute_url(language)
        tail = f"{release.reference}/"
        if day not in self.prefixes:
            self.prefixes[day] = url[: -len(tail)] if url.endswith(tail) else None
        return url
