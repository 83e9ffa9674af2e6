"""Stored names of media files: random, so that an address says nothing and cannot be guessed.

An original is stored as `photos/<2 hex digits>/<32 hex digits>.<jpg|png|webp>` (128 random
bits; the first two digits again as a folder keep each folder to a few thousand files), its
renditions beside it as `<same stem>.<rendition>.webp` (pressroom.media.renditions). Nothing in
a name comes from the release: not its reference, its date, nor the photo's position. Files
used to be named `photos/<year>/<reference>/01.jpg`, which anyone could work out for a release
not yet public; the media app's migration 0002 renamed them.

The routes that send files (pressroom.media.views, the desk's) accept these names and nothing
else, so a request can never name a path outside the media folder or a file that is not a
photo.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from pathlib import Path, PurePosixPath

from django.db import transaction

from pressroom.media.renditions import RENDITIONS, rendition_name

FOLDER = "photos"
EXTENSIONS = ("jpg", "png", "webp")
_STORED = re.compile(
    rf"{FOLDER}/(?P<fan>[0-9a-f]{{2}})/(?P<stem>(?P=fan)[0-9a-f]{{30}})"
    rf"(?:\.(?P<rendition>{'|'.join(RENDITIONS)})\.webp|\.(?P<extension>{'|'.join(EXTENSIONS)}))"
)


def new_name(extension: str) -> str:
    """A fresh random name for an original with this extension."""
    token = secrets.token_hex(16)
    return f"{FOLDER}/{token[:2]}/{token}.{extension}"


def is_random(name: str) -> bool:
    """Whether `name` is an original's random name (the form new_name makes)."""
    match = _STORED.fullmatch(name)
    return match is not None and match["extension"] is not None


def originals_of(name: str) -> list[str]:
    """The original names a requested file may belong to: itself for an original, the three
    possible originals for a rendition; [] for any name of another form."""
    match = _STORED.fullmatch(name)
    if match is None:
        return []
    stem = f"{FOLDER}/{match['fan']}/{match['stem']}"
    if match["extension"]:
        return [name]
    return [f"{stem}.{extension}" for extension in EXTENSIONS]


def adopt(name: str, media_root: Path) -> str:
    """A stored name of an older form (from a backup written before names were random) made
    random: the file and its renditions, when they are in the media folder, get the new name,
    and lose the old one once the transaction commits (a restore that rolls back leaves the
    files as they were). "" (a photo awaiting its image) and random names are kept.

    Raises ValueError for a name that is not a photo file inside the media folder.
    """
    if not name or is_random(name):
        return name
    path = PurePosixPath(name)
    extension = path.suffix.lstrip(".").lower()
    if (path.is_absolute() or "\\" in name or ".." in path.parts or path.parts[0] != FOLDER
            or extension not in EXTENSIONS):  # fmt: skip
        raise ValueError(f"image {name!r} is not a photo file inside the media folder")
    if not (media_root / name).is_file():
        return name  # not there (yet): kept, and never served until it has a random name
    new = new_name(extension)
    pairs = [(name, new), *((rendition_name(name, r), rendition_name(new, r)) for r in RENDITIONS)]
    for old, fresh in pairs:
        link(media_root / old, media_root / fresh)
    transaction.on_commit(lambda: [unlink(media_root / old) for old, _ in pairs])
    return new


def link(source: Path, target: Path) -> None:
    """Give a file (if it exists) a second name in the same media folder."""
    if source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copy2(source, target)


def unlink(path: Path) -> None:
    """Remove a file's old name, and its folder once empty (the old per-release folders)."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    with contextlib.suppress(OSError):
        path.parent.rmdir()
