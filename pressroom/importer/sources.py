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

import re
from collections.abc import Iterable
from pathlib import Path

WIRE_SUFFIXES = frozenset({".txt", ".text", ".wire"})
BACKUP_SUFFIXES = frozenset({".jsonl"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})

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


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _files_in(folder: Path) -> Iterable[Path]:
    for path in folder.rglob("*"):
        if _is_hidden(path, folder) or not path.is_file():
            continue
        if path.suffix.lower() in WIRE_SUFFIXES | BACKUP_SUFFIXES:
            yield path


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every file to read, once each, in import order. Missing paths are kept: they fail later,
    with their name, instead of stopping the others."""
    seen: set[Path] = set()
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        found = _files_in(path) if path.is_dir() else [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return sorted(files, key=_import_order)


class ImageFinder:
    """Finds the image files beside a text file, listing each folder only once per import."""

    def __init__(self) -> None:
        self._listings: dict[Path, dict[str, Path]] = {}

    def _images_in(self, folder: Path) -> dict[str, Path]:
        if folder not in self._listings:
            images = {}
            try:
                entries = sorted(folder.iterdir())
            except OSError:
                entries = []
            for entry in entries:
                if entry.suffix.lower() in IMAGE_SUFFIXES and entry.is_file():
                    images.setdefault(entry.stem.lower(), entry)
            self._listings[folder] = images
        return self._listings[folder]

    def for_release(self, text_file: Path, reference: str | None) -> dict[int, Path]:
        """Photo number -> image file, for a release page."""
        images = self._images_in(text_file.parent)
        stems = {text_file.stem.lower()}
        if reference:
            stems.add(reference.lower())
        found: dict[int, Path] = {}
        pattern = re.compile(
            r"^(?:%s)_(?:photo_)?(\d{1,3})$" % "|".join(re.escape(stem) for stem in sorted(stems))
        )
        for stem, path in images.items():
            match = pattern.match(stem)
            if match and int(match.group(1)) >= 1:
                found.setdefault(int(match.group(1)), path)
        return dict(sorted(found.items()))

    def for_popup(self, text_file: Path) -> Path | None:
        """The image of a photo pop-up page: the file with the pop-up's own stem."""
        return self._images_in(text_file.parent).get(text_file.stem.lower())
