"""Files named after their release (`photos/<year>/<reference>/01.jpg`) get random names: the
media app's migration renames those already stored (and back), a restore those of an older
backup, and every new file is born with one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pressroom.importer.backup import release_record, restore_lines
from pressroom.media.models import Photo
from pressroom.releases.models import ReleaseState
from tests.support.clock import hong_kong
from tests.support.factories import add_photos, make_release

RANDOM = re.compile(r"photos/([0-9a-f]{2})/\1[0-9a-f]{30}\.(jpg|png|webp)")
BEFORE = [("media", "0001_initial")]
AFTER = [("media", "0002_random_names")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def write_files(root: Path, name: str) -> dict[str, bytes]:
    """An original and its two renditions, each with its own bytes."""
    stem = name.rsplit(".", 1)[0]
    files = {
        name: b"original " + name.encode(),
        f"{stem}.thumb.webp": b"thumb",
        f"{stem}.page.webp": b"page",
    }
    for each, data in files.items():
        (root / each).parent.mkdir(parents=True, exist_ok=True)
        (root / each).write_bytes(data)
    return files


def image_of(release, position: int = 1) -> str:
    """The stored name (read without loading the model, whose image has no real pixels here)."""
    return (
        Photo.objects.filter(release=release, position=position)
        .values_list("image", flat=True)
        .get()
    )


def contents(root: Path, name: str) -> list[bytes]:
    stem = name.rsplit(".", 1)[0]
    return [
        (root / each).read_bytes() for each in (name, f"{stem}.thumb.webp", f"{stem}.page.webp")
    ]


@pytest.fixture
def at_the_old_names(transactional_db, settings):
    """Two photos named the old way at media 0001, one of them without its file on disk;
    the database is migrated to the end again afterwards."""
    root = Path(settings.MEDIA_ROOT)
    release = make_release(hong_kong(2023, 11, 3, 16, 0), reference="P2023110300042",
                           state=ReleaseState.SCHEDULED)  # fmt: skip
    add_photos(release, ["Sample: one", "Sample: two"])
    migrate(BEFORE)
    Photo.objects.filter(release=release, position=1).update(
        image="photos/2023/P2023110300042/01.jpg"
    )
    Photo.objects.filter(release=release, position=2).update(
        image="photos/2023/P2023110300042/02.png"
    )
    files = write_files(root, "photos/2023/P2023110300042/01.jpg")
    yield root, release, files
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_migration_renames_stored_files_and_back(at_the_old_names, capfd):
    root, release, files = at_the_old_names
    migrate(AFTER)
    first = image_of(release, 1)
    assert RANDOM.fullmatch(first) and first.endswith(".jpg")
    assert contents(root, first) == list(files.values())
    assert not (root / "photos" / "2023").exists(), "the old folders are left behind"
    # Without its file, a photo keeps its name (never served), and the migration says so.
    assert image_of(release, 2) == "photos/2023/P2023110300042/02.png"
    assert "1 photo(s) kept their names" in capfd.readouterr().err

    migrate(BEFORE)
    assert image_of(release, 1) == "photos/2023/P2023110300042/01.jpg"
    assert contents(root, "photos/2023/P2023110300042/01.jpg") == list(files.values())
    assert not (root / first).exists()

    migrate(AFTER)  # and forwards again: a new random name
    again = image_of(release, 1)
    assert RANDOM.fullmatch(again) and again != first
    assert contents(root, again) == list(files.values())


def test_an_interrupted_migration_carries_on(at_the_old_names):
    """A photo already renamed is left alone when the migration runs again."""
    root, release, files = at_the_old_names
    done = "photos/ab/ab" + "0" * 30 + ".jpg"
    write_files(root, done)
    Photo.objects.filter(release=release, position=2).update(image=done)
    migrate(AFTER)
    assert image_of(release, 2) == done
    assert RANDOM.fullmatch(image_of(release, 1))


@pytest.mark.django_db
def test_new_files_are_born_random(settings):
    release = make_release(hong_kong(2023, 11, 3, 16, 0), state=ReleaseState.DRAFT)
    add_photos(release, ["Sample: one"], with_images=1)
    name = release.photos.get().image.name
    assert RANDOM.fullmatch(name)
    stem = name.rsplit(".", 1)[0]
    assert (Path(settings.MEDIA_ROOT) / f"{stem}.thumb.webp").is_file()


@pytest.mark.django_db
def test_a_restore_gives_an_older_backups_files_random_names(
    settings, django_capture_on_commit_callbacks
):
    root = Path(settings.MEDIA_ROOT)
    # An archive release (a backup restores only those over what is already there).
    release = make_release(
        hong_kong(2023, 11, 3, 16, 0), reference="P2023110300077", origin="import"
    )
    add_photos(release, ["Sample: one"])
    record = release_record(release)
    record["photos"][0]["image"] = "photos/2023/P2023110300077/01.jpg"
    files = write_files(root, "photos/2023/P2023110300077/01.jpg")
    backup = ('{"pressroom_backup": 1}\n' + json.dumps(record) + "\n").encode()

    with django_capture_on_commit_callbacks(execute=True):
        [result] = list(restore_lines("old.jsonl", backup))
    assert result.status.value != "failed", result.error
    name = image_of(release)
    assert RANDOM.fullmatch(name)
    assert contents(root, name) == list(files.values())
    assert not (root / "photos/2023/P2023110300077/01.jpg").exists()
    # Restored again, the old name finds no file: the photo keeps its random one.
    list(restore_lines("old.jsonl", backup))
    assert image_of(release) == name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "image", ["../../secret_key", "/etc/passwd", "photos/../../secret_key.jpg", "static/x.png"]
)
def test_a_restore_refuses_an_image_outside_the_photos(image):
    release = make_release(hong_kong(2023, 11, 3, 16, 0), reference="P2023110300078")
    add_photos(release, ["Sample: one"])
    record = release_record(release)
    record["photos"][0]["image"] = image
    backup = ('{"pressroom_backup": 1}\n' + json.dumps(record) + "\n").encode()
    [result] = list(restore_lines("hostile.jsonl", backup))
    assert result.status.value == "failed"
    assert "photos[0].image" in result.error and "media folder" in result.error
