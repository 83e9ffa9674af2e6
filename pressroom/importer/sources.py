"""Which files an import reads, in which order, and which image files belong to a release.

Conventions (documented for people who prepare an archive for import):

- A path given on the command line is always read, whatever its name. Inside folders (walked
  recursively, hidden files and folders skipped) the importer reads `*.txt`, `*.text`,
  `*.wire` (wire text) and `*.jsonl` (Pressroom backups); anything else is left alone.
- Order: backups first, then release pages, then photo pop-ups (`..._photo_<n>.txt`), each
  group sorted by path. Pop-ups name their release only by reference and photo number, so the
  release page must already be stored when its pop-up is read.
- Image files sit beside the text file and share its name (its stem) or the release reference,
  followed by the photo number: `P2023110300392_1.jpg` or `P2023110300392_photo_1.jpg` for
  photo 1 of `P2023110300392.txt` (`.jpg`, `.jpeg`, `.png`, `.gif`, `.webp`, any case). A
  pop-up page's image is the file with the pop-up's own stem (`..._photo_1.jpg`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

WIRE_SUFFIXES = frozenset({".txt", ".text", ".wire"})
BACKUP_SUFFIXES = frozenset({".jsonl"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
_IMPORTED = WIRE_SUFFIXES | BACKUP_SUFFIXES

_POPUP_STEM = re.compile(r"_photo_\d+$", re.IGNORECASE)


def is_backup_name(path: Path) -> bool:
    return path.suffix.lower() in BACKUP_SUFFIXES


def is_popup_name(path: Path) -> bool:
    return bool(_POPUP_STEM.search(path.stem))


def _import_order(path: Path) -> tuple[int, str]:
    if is_backup_name(path):
        group = 0
    elif is_popup_name(path):
        group = 2
    else:
        group = 1
    return group, str(path)


def _files_in(folder: Path) -> Iterable[os.DirEntry]:
    """The importable files under `folder`, hidden files and folders left out; a folder reached
    through a symbolic link is not walked (as with Path.rglob)."""
    pending = [str(folder)]
    while pending:
        try:
            with os.scandir(pending.pop()) as listing:
                entries = list(listing)
        except OSError:
            continue  # an unreadable folder: left out, as rglob leaves it
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif os.path.splitext(entry.name)[1].lower() in _IMPORTED and entry.is_file():
                yield entry


def _identity(file: os.DirEntry | Path) -> tuple[int, int] | str:
    """What makes two names one file (a path given twice, a symbolic link, a hard link): one
    stat, where resolving the path costs one per folder in it."""
    try:
        status = file.stat() if isinstance(file, os.DirEntry) else os.stat(file)
    except OSError:
        return os.path.abspath(file)  # missing: kept, to fail later with its name
    return status.st_dev, status.st_ino


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every file to read, once each, in import order. Missing paths are kept: they fail later,
    with their name, instead of stopping the others."""
    seen: set = set()
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        found = _files_in(path) if path.is_dir() else [path]
        for file in found:
            key = _identity(file)
            if key not in seen:
                seen.add(key)
                files.append(Path(file.path) if isinstance(file, os.DirEntry) else file)
    return sorted(files, key=_import_order)


_NUMBERED_STEM = re.compile(r"^(?P<stem>.+)_(?P<number>\d{1,3})$")
_PHOTO_TAIL = "_photo"


def _photo_stems(image_stem: str) -> list[tuple[str, int]]:
    """(text stem, photo number) pairs an image's stem may belong to: `p1_2` -> ("p1", 2);
    `p1_photo_2` -> ("p1_photo", 2) and ("p1", 2)."""
    match = _NUMBERED_STEM.match(image_stem)
    if not match or int(match.group("number")) < 1:
        return []
    stem, number = match.group("stem"), int(match.group("number"))
    pairs = [(stem, number)]
    if stem.endswith(_PHOTO_TAIL) and len(stem) > len(_PHOTO_TAIL):
        pairs.append((stem[: -len(_PHOTO_TAIL)], number))
    return pairs


class _Folder:
    """One folder's image files, by stem and by the text stem and photo number they name."""

    def __init__(self, folder: Path) -> None:
        try:
            # Images only, then sorted: an archive folder may hold 100,000 text files.
            listing = folder.iterdir()
            images = sorted(path for path in listing if path.suffix.lower() in IMAGE_SUFFIXES)
        except OSError:
            images = []
        self.by_stem: dict[str, Path] = {}
        for image in images:
            if image.is_file():
                self.by_stem.setdefault(image.stem.lower(), image)
        # text stem -> photo number -> (place in the listing, image file)
        self.numbered: dict[str, dict[int, tuple[int, Path]]] = {}
        for order, (stem, path) in enumerate(self.by_stem.items()):
            for text_stem, number in _photo_stems(stem):
                self.numbered.setdefault(text_stem, {}).setdefault(number, (order, path))


class ImageFinder:
    """Finds the image files beside a text file, listing each folder only once per import."""

    def __init__(self) -> None:
        self._folders: dict[str, _Folder] = {}  # by the folder's name as given

    def _folder(self, folder: str) -> _Folder:
        if folder not in self._folders:
            self._folders[folder] = _Folder(Path(folder))
        return self._folders[folder]

    def for_release(self, text_file: Path, reference: str | None) -> dict[int, Path]:
        """Photo number -> image file, for a release page."""
        numbered = self._folder(os.path.dirname(text_file)).numbered
        stems = {text_file.stem.lower()}
        if reference:
            stems.add(reference.lower())
        # The first image in the listing wins a number, whichever stem it names.
        found: dict[int, tuple[int, Path]] = {}
        for stem in stems:
            for number, (order, path) in numbered.get(stem, {}).items():
                if number not in found or order < found[number][0]:
                    found[number] = (order, path)
        return {number: path for number, (order, path) in sorted(found.items())}

    def for_popup(self, text_file: Path) -> Path | None:
        """The image of a photo pop-up page: the file with the pop-up's own stem."""
        return self._folder(os.path.dirname(text_file)).by_stem.get(text_file.stem.lower())
