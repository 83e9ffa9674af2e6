"""Writing a release's text: the one path every writer takes (the desk, the API, the admin, the
importer in bulk or one file at a time, a restore, the demo).

A write has two steps (docs/decisions/0007-one-write-path.md):

1. `prepare_text`: pure, no database. The text is checked against its limits, put in its
   stored form, and the zh-Hans text is derived from zh-Hant (`chinese.derive_simplified`,
   called here and nowhere else). The import runs this step in its parse workers.
2. `ContentWriter.write`: the rows stored, at once or, with `use_bulk`, collected for new
   releases and stored together by `flush`; then `signals.content_written` announces what was
   stored, and search and HTTP caching follow it, the same way for both.

The functions below the writer (`write_version`, `write_captions`, ...) are the same two steps
for one text, written at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from pressroom.releases import limits
from pressroom.releases.bulk import insert_releases, insert_rows
from pressroom.releases.chinese import Texts, derive_simplified
from pressroom.releases.languages import WRITTEN_LANGUAGES, Language
from pressroom.releases.limits import TextRefused
from pressroom.releases.models import Release, ReleaseVersion
from pressroom.releases.signals import content_written
from pressroom.utils.binary_copy import Encoded
from pressroom.wire.model import Block


class DerivedLanguageError(ValueError):
    """Simplified Chinese is derived from Traditional Chinese; nobody writes it directly."""


def _written_language(language: str) -> Language:
    language = Language(language)
    if language not in WRITTEN_LANGUAGES:
        raise DerivedLanguageError(
            f"{language} is derived from zh-Hant and cannot be written directly"
        )
    return language


def with_derived(language: str) -> list[str]:
    """A written language and the one derived from it: what goes when its text goes."""
    languages = [_written_language(language).value]
    if language == Language.ZH_HANT:
        languages.append(Language.ZH_HANS.value)
    return languages


# Step 1: the text, checked and derived ---------------------------------------------------------


@dataclass(frozen=True)
class LanguageText:
    """What one write says of one written language (en or zh-Hant): a version (title and
    body), photo texts, or both."""

    language: str
    title: str | None = None  # None: the version is left as it is
    # Blocks; or stored blocks (dicts), kept exactly as given (a backup's own)
    body: Sequence[Block | Mapping] = ()
    # By photo position (1-based): (caption, alt text); an alt text of None starts from its
    # caption, "" is stored as given.
    photos: Mapping[int, tuple[str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadyText:
    """A language's text checked and in its stored form, with the zh-Hans text derived from
    zh-Hant: the rows a writer stores. Plain values, so another process may make it."""

    language: str  # the written one
    # (language, title, body as JSON text): the written version, then the derived one; none
    # when only photo texts are written.
    versions: tuple[tuple[str, str, str], ...] = ()
    # (position, language, caption, alt text), the derived language's after the written one's.
    photo_texts: tuple[tuple[int, str, str, str], ...] = ()

    @property
    def body_json(self) -> str:
        """The written version's body as stored (`stored_json`)."""
        return self.versions[0][2]


def stored_json(body: Sequence[Mapping]) -> str:
    """A body (its blocks as dicts) as JSON text: keys sorted, characters as they are. The
    import's content digests are made of the same text (`importer.documents.content_digest`)."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def prepare_text(text: LanguageText) -> ReadyText:
    """Step 1 of every write: check, store, derive.

    Raises `TextRefused` (naming e.g. "en.title" or "zh-Hant.captions.3.alt_text") for a text
    past its limit or holding characters its field does not take: the last guard behind every
    entrance's own checks. Nothing is written here, so nothing is half-written after it.
    """
    language = _written_language(text.language)
    photos = _checked_photos(language, text.photos)
    body: list[dict] = []
    if text.title is not None:
        limits.single_line(f"{language}.title", text.title, limits.TITLE_MAX_CHARS)
        blocks = [
            block if isinstance(block, Block) else Block.from_dict(block) for block in text.body
        ]
        limits.body(f"{language}.body", blocks)
        body = [block.to_dict() if isinstance(block, Block) else dict(block) for block in text.body]
    by_language = {language.value: Texts(text.title, body, photos)}
    if language == Language.ZH_HANT:
        # The one derivation of stored Simplified Chinese, for every writer.
        by_language[Language.ZH_HANS.value] = derive_simplified(by_language[language.value])
    return ReadyText(
        language.value,
        versions=tuple(
            (name, texts.title, stored_json(texts.body))
            for name, texts in by_language.items()
            if texts.title is not None
        ),
        photo_texts=tuple(
            (position, name, caption, alt_text)
            for name, texts in by_language.items()
            for position, (caption, alt_text) in sorted(texts.photos.items())
        ),
    )


def _checked_photos(
    language: str, photos: Mapping[int, tuple[str, str | None]]
) -> dict[int, tuple[str, str]]:
    checked = {}
    for position, (caption, alt_text) in sorted(photos.items()):
        where = f"{language}.captions.{position}"
        if position < 1:
            raise TextRefused(where, "photos are numbered from 1")
        caption = limits.multi_line(f"{where}.caption", caption, limits.CAPTION_MAX_CHARS)
        alt_text = _alt_from_caption(caption) if alt_text is None else alt_text
        limits.single_line(f"{where}.alt_text", alt_text, limits.ALT_TEXT_MAX_CHARS)
        checked[position] = (caption, alt_text)
    if checked:
        limits.photos(f"{language}.captions", max(checked))
    return checked


def _alt_from_caption(caption: str) -> str:
    """A caption's start, on one line, as an alt text: alt text must say what the picture
    shows, and a caption's first sentence is a fair start."""
    return limits.one_line(caption[: 2 * limits.ALT_TEXT_MAX_CHARS]).strip()[
        : limits.ALT_TEXT_MAX_CHARS
    ]


# Step 2: the rows stored -----------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    """A version a writer stored, as `content_written` announces it."""

    release: Release
    language: str
    title: str
    body_json: str
    created: bool  # no row before: nothing of it to replace (in the search index, say)
    # What the writer's caller worked out ahead for listeners (the import's parse workers
    # analyse the text for the search index), passed on as it is; None: listeners work it out.
    search_text: object = None

    @property
    def body(self) -> list[dict]:
        return json.loads(self.body_json)


@dataclass(frozen=True)
class _Pending:
    """Text written to a release that waits in a bulk writer."""

    release: Release
    ready: ReadyText
    source_reference: str
    source_digest: str
    search_text: object


class ContentWriter:
    """Stores releases' text (step 2), and announces what it stored (`content_written`).

    One at a time by default: each write is stored at once, in a savepoint of its own. With
    `use_bulk` (as django-import-export's option of that name), new releases and the text
    written to them wait in the writer until `flush` stores them together in a few statements
    (COPY on PostgreSQL), and are announced together; text written to a release already
    stored is stored at once in either mode. The rows stored are the same either way.
    """

    def __init__(self, *, use_bulk: bool = False):
        self.use_bulk = use_bulk
        self._releases: dict[int, tuple[Release, list[int]]] = {}  # id() -> (release, categories)
        self._texts: list[_Pending] = []

    def add_release(self, release: Release, category_ids: Sequence[int] = ()) -> Release:
        """A new release (not saved yet) in its categories; its text follows by `write`."""
        if not self.use_bulk:
            with transaction.atomic():
                release.save()
                if category_ids:
                    release.categories.add(*category_ids)
            return release
        self._releases[id(release)] = (release, list(category_ids))
        return release

    def is_pending(self, release: Release) -> bool:
        """Whether the release waits in this writer for `flush` (and has no id yet)."""
        return id(release) in self._releases

    def write(
        self,
        release: Release,
        ready: ReadyText,
        *,
        source_reference: str = "",
        source_digest: str = "",
        search_text: object = None,
    ) -> None:
        """Store a language's text (`prepare_text`). The source reference and digest (what an
        import read) go with the written version; the derived one carries the reference."""
        pending = _Pending(release, ready, source_reference, source_digest, search_text)
        if self.is_pending(release):
            self._texts.append(pending)
        elif ready.versions or ready.photo_texts:
            _store_at_once(pending)

    def flush(self) -> None:
        """Store the new releases waiting here and their text, in a savepoint: on failure
        nothing of them is stored, and the error is raised (nothing waits any more)."""
        releases, texts = list(self._releases.values()), self._texts
        self._releases, self._texts = {}, []
        if not releases:
            return
        with transaction.atomic():
            insert_releases([release for release, _ in releases])
            Release.categories.through.objects.bulk_create(
                Release.categories.through(release_id=release.pk, category_id=category_id)
                for release, category_ids in releases
                for category_id in category_ids
            )
            written = []
            rows = []
            for text in texts:
                for language, title, body_json in text.ready.versions:
                    derived = language != text.ready.language
                    digest = "" if derived else text.source_digest
                    rows.append((text.release.pk, language, title, Encoded(body_json),
                                 text.source_reference, digest))  # fmt: skip
                    search_text = None if derived else text.search_text
                    written.append(
                        Written(text.release, language, title, body_json, True, search_text)
                    )
            columns = ["release", "language", "title", "body", "source_reference", "source_digest"]
            insert_rows(ReleaseVersion, columns, rows)
            _photo_texts().create(
                [(text.release, text.ready.photo_texts) for text in texts if text.ready.photo_texts]
            )
            content_written.send(sender=ContentWriter, written=written)


@transaction.atomic
def _store_at_once(text: _Pending) -> None:
    release, ready = text.release, text.ready
    written = []
    for language, title, body_json in ready.versions:
        derived = language != ready.language
        _, created = ReleaseVersion.objects.update_or_create(
            release=release,
            language=language,
            defaults={
                "title": title,
                "body": json.loads(body_json),
                "source_reference": text.source_reference,
                "source_digest": "" if derived else text.source_digest,
            },
        )
        search_text = None if derived else text.search_text
        written.append(Written(release, language, title, body_json, created, search_text))
    if ready.photo_texts:
        _photo_texts().update(release, ready.photo_texts)
    # What a public page shows has changed: the release counts as saved (the public cache's
    # generation key and the sitemaps read its updated_at), however it was written.
    release.updated_at = timezone.now()
    Release.objects.filter(pk=release.pk).update(updated_at=release.updated_at)
    content_written.send(sender=ContentWriter, written=written)


# Photo texts are rows of the media app (pressroom.media), which stands above this one: it
# hands the write path the two functions that store them when Django starts (MediaConfig.ready),
# and the writer calls them inside its own transaction, beside the versions. A row is
# (position, language, caption, alt text), as `ReadyText.photo_texts` holds them.
PhotoTextRow = tuple[int, str, str, str]


@dataclass(frozen=True)
class PhotoTextRows:
    # Write one release's photo texts, making its photos 1..n that are missing.
    update: Callable[[Release, Sequence[PhotoTextRow]], None]
    # Create photos 1..n of new releases (awaiting their images) with each language's texts.
    create: Callable[[Sequence[tuple[Release, Sequence[PhotoTextRow]]]], None]


_photo_text_rows: PhotoTextRows | None = None


def store_photo_texts_with(rows: PhotoTextRows) -> None:
    global _photo_text_rows
    _photo_text_rows = rows


def _photo_texts() -> PhotoTextRows:
    if _photo_text_rows is None:
        raise ImproperlyConfigured("photo texts are stored by pressroom.media: install it")
    return _photo_text_rows


# One text, written at once -------------------------------------------------------------------


def write_text(release: Release, text: LanguageText, **sources) -> None:
    """Both steps for one language's text, stored at once (`ContentWriter.write`'s keywords:
    the source reference and digest an import read)."""
    ContentWriter().write(release, prepare_text(text), **sources)


def write_version(
    release: Release,
    language: str,
    *,
    title: str,
    body: Sequence[Block | Mapping],
    source_reference: str = "",
    source_digest: str = "",
) -> None:
    """Create or replace the title and body of one written language version (zh-Hans follows
    zh-Hant)."""
    write_text(
        release,
        LanguageText(language, title=title, body=body),
        source_reference=source_reference,
        source_digest=source_digest,
    )


def write_captions(
    release: Release,
    language: str,
    captions: Sequence[str],
    alt_texts: Sequence[str] | None = None,
) -> None:
    """Set one written language's captions (and alt texts) for photos 1..len(captions).

    An alt text that is missing or empty starts from its caption."""
    alt_texts = alt_texts or ()
    write_photo_texts(release, language, {
        position: (caption, (alt_texts[position - 1] if position <= len(alt_texts) else "") or None)
        for position, caption in enumerate(captions, start=1)
    })  # fmt: skip


def write_caption(
    release: Release, language: str, position: int, caption: str, alt_text: str | None = None
) -> None:
    """Set one photo's caption in one written language (a photo pop-up page carries one).

    Without `alt_text` the caption's start stands in; "" stores an empty alt text as given.
    """
    write_photo_texts(release, language, {position: (caption, alt_text)})


def write_photo_texts(
    release: Release, language: str, texts: Mapping[int, tuple[str, str | None]]
) -> None:
    """Set captions and alt texts by photo position (1-based) in one written language; the
    zh-Hans texts follow zh-Hant. An alt text of None starts from its caption.

    Every text is checked first (TextRefused names the first bad one, nothing is written),
    then the photos and texts are read once and written in bulk: a constant number of queries
    however many texts."""
    write_text(release, LanguageText(language, photos=texts))


@transaction.atomic
def remove_version(release: Release, language: str) -> None:
    """A written language version goes, and with zh-Hant its derived Simplified twin."""
    ReleaseVersion.objects.filter(release=release, language__in=with_derived(language)).delete()
