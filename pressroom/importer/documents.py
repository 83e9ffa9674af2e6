"""Reading import files: bytes, wire text parsed, and what identifies a document's content.

Everything here is pure (no database), so a batch's files can be read and parsed ahead of
storing them, in other processes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from pressroom import wire
from pressroom.importer import backup
from pressroom.importer.results import belongs_to_the_desk
from pressroom.importer.sources import is_backup_name
from pressroom.releases import limits
from pressroom.releases.chinese import Texts, traditional_from_simplified
from pressroom.releases.languages import WRITTEN_LANGUAGES
from pressroom.releases.models import HONG_KONG, ReleaseKind
from pressroom.releases.services import LanguageText, ReadyText, prepare_text, stored_json
from pressroom.search.backends import get_backend
from pressroom.search.indexing import AnalysedText, analysed_text
from pressroom.wire.model import Block, Language, PageKind, ParsedRelease, ParseError


class FileProblem(Exception):
    """A file that cannot be imported, with a message naming what is wrong."""


def desk_owned(reference: str, release) -> FileProblem:
    """The refusal for a document that would change a release the desk owns."""
    return FileProblem(belongs_to_the_desk(reference, release))


@dataclass(frozen=True)
class StoredText:
    """A release page's text as the write path stores it, made where the page is parsed (a
    worker process) so the process writing to the database only writes: the write path's first
    step (`services.prepare_text`: checked, in its stored form, zh-Hans derived from zh-Hant)
    and the text as the search index takes it."""

    ready: ReadyText
    # What the search backend works out ahead (BaseSearchBackend.analyse_ahead) is added by
    # `prepare_all_ahead`; without it, it is worked out as the text is written.
    search: AnalysedText

    @classmethod
    def of(cls, parsed: ParsedRelease) -> StoredText:
        body = [block.to_dict() for block in parsed.body]
        text = LanguageText(
            parsed.language.value,
            title=parsed.title,
            body=parsed.body,
            photos={n: (caption, None) for n, caption in enumerate(parsed.captions, start=1)},
        )
        try:
            ready = prepare_text(text)
        except limits.TextRefused as refused:
            raise FileProblem(str(refused)) from None
        return cls(ready, AnalysedText(*analysed_text(parsed.title, body)))


@dataclass(frozen=True)
class Prepared:
    """A file read and parsed, ready to store: wire text parsed, a backup's bytes, or why not."""

    path: Path
    parsed: ParsedRelease | None = None
    backup_data: bytes | None = None
    problem: str | None = None
    # content_digest(parsed, {}): the digest when no image files go with the page.
    text_digest: str = ""
    # For release pages in en or zh-Hant: their text as the write path stores it.
    stored: StoredText | None = None


def prepare(path: Path) -> Prepared:
    """Read and parse one file; never raises for a bad file (the problem is kept instead)."""
    try:
        # A backup holds a whole archive: its records are limited one by one instead.
        data = read_file(path, max_bytes=None if is_backup_name(path) else _max_bytes())
        if is_backup_name(path) or backup.looks_like_backup(data):
            return Prepared(path, backup_data=data)
        parsed = parse_wire(data, str(path))
        if parsed.kind == PageKind.PHOTO:
            return Prepared(path, parsed=parsed)  # a pop-up: no issue date, no digest
        stored = StoredText.of(parsed) if parsed.language.value in WRITTEN_LANGUAGES else None
        digest = content_digest(parsed, {}, body_json=stored.ready.body_json if stored else None)
        return Prepared(path, parsed=parsed, text_digest=digest, stored=stored)
    except FileProblem as problem:
        return Prepared(path, problem=str(problem))


# Reading and parsing ---------------------------------------------------------------------------


def prepare_all(paths: list[Path]) -> list[Prepared]:
    return [prepare(path) for path in paths]


def prepare_all_ahead(paths: list[Path]) -> list[Prepared]:
    """`prepare_all`, and the search backend's work on the texts that needs no transaction
    (`analyse_ahead`), done here in a parse worker rather than by the process storing them."""
    prepared = prepare_all(paths)
    written = [item for item in prepared if item.stored is not None]
    answers = get_backend().analyse_ahead(
        [(item.stored.search.title, item.stored.search.body) for item in written]
    )
    if answers is None:
        return prepared
    answer = iter(answers)
    return [
        dataclasses.replace(item, stored=_with_ahead(item.stored, next(answer)))
        if item.stored is not None
        else item
        for item in prepared
    ]


def _with_ahead(stored: StoredText, ahead: object) -> StoredText:
    return dataclasses.replace(stored, search=dataclasses.replace(stored.search, ahead=ahead))


# Processes reading and parsing ahead of the one storing (and making the search backend's
# vectors, `analyse_ahead`). Three keep the storing process from waiting on two cores
# (bench/wire_files.py measures it; docs/performance.md has the figures).
PARSE_WORKERS = 3


def prepared_batches(files: list[Path], size: int) -> Iterator[tuple[list[Path], list[Prepared]]]:
    """The files in batches of `size`, each read and parsed, the next ones while the caller
    stores this one: PARSE_WORKERS other processes parse ahead (parsing is pure), one batch
    each at most, so memory stays flat whatever the number of files."""
    batches = [files[start : start + size] for start in range(0, len(files), size)]
    if len(batches) < 2:
        yield from ((batch, prepare_all(batch)) for batch in batches)
        return
    # fork: the workers start at once with everything imported; they never touch the
    # database connections they inherit, and leave through os._exit without closing them.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=PARSE_WORKERS, mp_context=context) as pool:
        ahead = deque(_submit(pool, batch) for batch in batches[:PARSE_WORKERS])
        for number, batch in enumerate(batches):
            try:
                prepared = ahead.popleft().result()
            except BrokenProcessPool:
                prepared = prepare_all(batch)  # a worker died (killed?): read here instead
            if number + PARSE_WORKERS < len(batches):
                ahead.append(_submit(pool, batches[number + PARSE_WORKERS]))
            yield batch, prepared


def _submit(pool: ProcessPoolExecutor, batch: list[Path]) -> Future:
    try:
        return pool.submit(prepare_all_ahead, batch)
    except BrokenProcessPool:
        done: Future = Future()
        done.set_result(prepare_all(batch))
        return done


def _max_bytes() -> int:
    return settings.PRESSROOM_IMPORT_MAX_BYTES


def read_file(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a file, or a FileProblem saying in plain words why they cannot be read.

    A file larger than `max_bytes` fails before it is read (a 50 MB wire file once became an
    80 MB feed); at most `max_bytes` + 1 bytes are read, should it grow meanwhile."""
    try:
        with path.open("rb") as handle:
            if max_bytes is None:
                data = handle.read()
            else:
                _check_size(path, os.fstat(handle.fileno()).st_size, max_bytes)
                data = handle.read(max_bytes + 1)
                _check_size(path, len(data), max_bytes)
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("is a folder, not a file") from None
    except PermissionError:
        raise FileProblem("cannot read the file: permission denied") from None
    except OSError as error:
        raise FileProblem(f"cannot read the file: {error.strerror or error}") from None
    if not data.strip():
        raise FileProblem("the file is empty")
    if b"\x00" in data[:65536]:
        raise FileProblem("binary data (NUL bytes), not wire text or a JSON lines backup")
    return data


def _check_size(path: Path, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileProblem(
            f"{path.name} is {size:,} bytes, more than the {max_bytes:,} an import file may "
            "hold (PRESSROOM_IMPORT_MAX_BYTES); a JSON lines backup must be named *.jsonl"
        )


def parse_wire(data: bytes, name: str) -> ParsedRelease:
    try:
        parsed = wire.parse_bytes(data, source=name)
    except ParseError as error:
        where = f"line {error.line}: " if error.line is not None else ""
        raise FileProblem(f"{where}{error.reason}") from None
    except UnicodeError as error:
        raise FileProblem(f"cannot decode the text: {error}") from None
    if parsed.language is Language.ZH_HANS:
        parsed = _traditional_from_simplified(parsed)
    check_limits(parsed)
    return parsed


def check_limits(parsed: ParsedRelease) -> None:
    """FileProblem naming the field when a parsed page breaks a limit or holds what its field
    does not take (`pressroom.releases.limits`): every parsed page passes here, whichever way
    it is stored afterwards (bulk, one by one, the desk's pasted text)."""
    try:
        limits.single_line("title", parsed.title, limits.TITLE_MAX_CHARS)
        limits.body("body", parsed.body)
        limits.at_most("photos", parsed.captions, limits.PHOTOS_MAX, "photo captions")
        for number, caption in enumerate(parsed.captions, start=1):
            limits.multi_line(f"caption {number}", caption, limits.CAPTION_MAX_CHARS)
    except limits.TextRefused as refused:
        raise FileProblem(str(refused)) from None
    if parsed.photo_number is not None and parsed.photo_number > limits.PHOTOS_MAX:
        raise FileProblem(
            f"photo {parsed.photo_number}: a release has at most {limits.PHOTOS_MAX} photos"
        )


SIMPLIFIED_MARK = "s2hk:"
_FROM_SIMPLIFIED_WARNING = (
    "only a Simplified Chinese page: its Traditional text was derived with OpenCC"
)


def is_from_simplified(parsed: ParsedRelease) -> bool:
    return _FROM_SIMPLIFIED_WARNING in parsed.warnings


def _traditional_from_simplified(parsed: ParsedRelease) -> ParsedRelease:
    """Some archives kept only a Simplified mirror of a Chinese release. Rather than lose it,
    keep it as the Traditional version (OpenCC s2hk), saying so; a real zh-Hant page imported
    later replaces it."""
    captions = {n: (caption, "") for n, caption in enumerate(parsed.captions, start=1)}
    body = [block.to_dict() for block in parsed.body]
    traditional = traditional_from_simplified(Texts(parsed.title, body, captions))
    return dataclasses.replace(
        parsed,
        language=Language.ZH_HANT,
        title=traditional.title,
        body=tuple(Block.from_dict(block) for block in traditional.body),
        captions=tuple(caption for _, (caption, _) in sorted(traditional.photos.items())),
        warnings=parsed.warnings + (_FROM_SIMPLIFIED_WARNING,),
    )


def written_language(parsed: ParsedRelease) -> str:
    language = parsed.language.value
    if language not in WRITTEN_LANGUAGES:
        raise FileProblem(
            f"{language} is derived from zh-Hant: import the Traditional Chinese page instead"
        )
    return language


def release_kind(parsed: ParsedRelease) -> str:
    if parsed.kind == PageKind.WEATHER:
        return ReleaseKind.WEATHER_BULLETIN
    return ReleaseKind.PRESS_RELEASE


def issue_instant(parsed: ParsedRelease) -> dt.datetime:
    """The closing block's Hong Kong date and time as an aware instant. Without an Issued line
    the release counts as issued at the start of its day (issue_time_stated is then False)."""
    time = parsed.issue_time or dt.time(0, 0)
    return dt.datetime.combine(parsed.issue_date, time, tzinfo=HONG_KONG)


def keeps_written_text(stored_digest: str, parsed: ParsedRelease, digest: str) -> bool:
    """Same content again, or a Simplified mirror of a page whose real Traditional text we hold
    (`stored_digest` is the stored version's `source_digest`)."""
    if stored_digest == digest:
        return True
    return is_from_simplified(parsed) and not stored_digest.startswith(SIMPLIFIED_MARK)


def content_digest(
    parsed: ParsedRelease, images: dict[int, Path], body_json: str | None = None
) -> str:
    """A digest of everything a release document stores, so the same content is recognised.

    The digested text is json.dumps of the whole content (keys sorted, characters as they are),
    the one definition stored digests were made with. It is put together from the body's JSON
    (`services.stored_json`, the same form: given when made already) and the rest's: "body"
    sorts first of the keys."""
    if body_json is None:
        body_json = stored_json([block.to_dict() for block in parsed.body])
    rest = {
        "language": parsed.language.value,
        "kind": parsed.kind.value,
        "title": parsed.title,
        "issue_date": parsed.issue_date.isoformat(),
        "issue_time": parsed.issue_time.isoformat() if parsed.issue_time else None,
        "captions": list(parsed.captions),
        "videos": list(parsed.videos),
        "images": {
            str(position): hashlib.sha256(path.read_bytes()).hexdigest()
            for position, path in images.items()
        },
    }
    rest_json = json.dumps(rest, ensure_ascii=False, sort_keys=True)
    encoded = ('{"body": ' + body_json + ", " + rest_json[1:]).encode()
    digest = hashlib.sha256(encoded).hexdigest()
    # Text derived from a Simplified mirror is marked, so the real Traditional page replaces it.
    return (
        SIMPLIFIED_MARK + digest[len(SIMPLIFIED_MARK) :] if is_from_simplified(parsed) else digest
    )
