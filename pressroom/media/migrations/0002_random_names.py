"""Media files get random names, and the image name an index (every request looks it up).

Photos were stored as `photos/<year>/<reference>/01.jpg` (renditions `01.thumb.webp`,
`01.page.webp` beside it): anyone could work out the address of a release not yet public. Each
photo's files are renamed to `photos/<ab>/<ab + 30 hex digits>.<ext>` (pressroom.media.names),
one photo at a time: its files get the new name beside the old one (a hard link), its row is
saved, then the old names go. The migration is not atomic, so each photo is done for good once
its row is saved: a crash leaves at most one photo whose files have both names, never a row
naming a file that is not there. Run again, it carries on with the photos still named the old
way; backwards, every photo gets its old name back (`migrate media 0001_initial`).

A photo whose file is not in the media folder keeps its name (its row is not changed): the
route never sends a name of the old form, so it is not served until the migration is run again
(backwards and forwards) with the file in place.

Self-contained on purpose: it must rename the same way however pressroom.media changes later.
"""

import re
import secrets
import sys
from pathlib import Path

from django.conf import settings
from django.db import migrations

import pressroom.media.models

RENDITIONS = ("thumb", "page")
RANDOM = re.compile(r"photos/([0-9a-f]{2})/\1[0-9a-f]{30}\.(jpg|png|webp)")


def _renditions(name: str) -> list[str]:
    stem = name.rsplit(".", 1)[0]
    return [f"{stem}.{rendition}.webp" for rendition in RENDITIONS]


def _rename(Photo, root: Path, pk: int, old: str, new: str) -> bool:
    """Give one photo's files and row the name `new`; False (nothing done) without its file."""
    if not (root / old).is_file():
        return False
    pairs = [(root / a, root / b) for a, b in zip([old, *_renditions(old)], [new, *_renditions(new)])]
    for source, target in pairs:
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # a leftover of an interrupted run
            try:
                target.hardlink_to(source)
            except OSError:  # a file system without hard links
                target.write_bytes(source.read_bytes())
    Photo.objects.filter(pk=pk, image=old).update(image=new)
    for source, _ in pairs:
        source.unlink(missing_ok=True)
    folder = (root / old).parent
    while folder != root and folder != root / "photos":
        try:
            folder.rmdir()  # the old per-release and per-year folders, once empty
        except OSError:
            break
        folder = folder.parent
    return True


def _report(kept: int) -> None:
    if kept:
        sys.stderr.write(
            f"\n  media: {kept} photo(s) kept their names: their files are not in {settings.MEDIA_ROOT}\n"
        )


def to_random_names(apps, schema_editor):
    Photo = apps.get_model("media", "Photo")
    root = Path(settings.MEDIA_ROOT)
    kept = 0
    for pk, name in Photo.objects.exclude(image="").values_list("pk", "image").iterator():
        if RANDOM.fullmatch(name):
            continue
        token = secrets.token_hex(16)
        extension = name.rsplit(".", 1)[-1].lower()
        kept += not _rename(Photo, root, pk, name, f"photos/{token[:2]}/{token}.{extension}")
    _report(kept)


def to_reference_names(apps, schema_editor):
    Photo = apps.get_model("media", "Photo")
    root = Path(settings.MEDIA_ROOT)
    kept = 0
    rows = Photo.objects.exclude(image="").values_list("pk", "image", "position", "release__reference")
    for pk, name, position, reference in rows.iterator():
        extension = name.rsplit(".", 1)[-1].lower()
        old_form = f"photos/{reference[1:5]}/{reference}/{position:02d}.{extension}"
        if name != old_form:
            kept += not _rename(Photo, root, pk, name, old_form)
    _report(kept)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="photo",
            name="image",
            field=pressroom.media.models.PhotoImageField(
                blank=True,
                db_index=True,
                height_field="height",
                upload_to=pressroom.media.models.photo_upload_path,
                width_field="width",
            ),
        ),
        migrations.RunPython(to_random_names, to_reference_names, elidable=False),
    ]
