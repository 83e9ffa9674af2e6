"""Which files an import reads: each once, hidden ones and other kinds left alone."""

from __future__ import annotations

import os

from pressroom.importer.sources import collect_files


def test_each_file_is_read_once_whatever_names_lead_to_it_and_hidden_ones_never(tmp_path):
    archive = tmp_path / "archive"
    (archive / "2024" / "03").mkdir(parents=True)
    (archive / ".git").mkdir()
    page = archive / "2024" / "03" / "P2024031500420.txt"
    page.write_text("a page")
    (archive / "2024" / "P2024031500421.WIRE").write_text("another, in capitals")
    (archive / "backup.jsonl").write_text("{}")
    (archive / "notes.md").write_text("not wire text")
    (archive / ".draft.txt").write_text("hidden")
    (archive / ".git" / "P2024031500999.txt").write_text("in a hidden folder")
    (archive / "link.txt").symlink_to(page)
    os.link(page, archive / "hard.txt")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "P2024031500500.txt").write_text("behind a linked folder")
    (archive / "linked").symlink_to(outside, target_is_directory=True)
    missing = tmp_path / "missing.txt"

    files = collect_files([archive, page, missing, str(missing)])

    names = [path.relative_to(tmp_path).as_posix() for path in files]
    assert names[0] == "archive/backup.jsonl"  # backups first, then pages by path
    assert "archive/2024/P2024031500421.WIRE" in names
    assert "missing.txt" in names  # kept, to fail with its name; given twice, read once
    # One page under three names (its path, a symbolic link, a hard link): read once.
    page_names = {"archive/2024/03/P2024031500420.txt", "archive/link.txt", "archive/hard.txt"}
    assert len(page_names.intersection(names)) == 1
    assert len(names) == 4
