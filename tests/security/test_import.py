"""The import door: wire files and JSON lines backups, tried as an attacker would.

An import never changes a release the desk owns, changes an archive release only with a
revision and an audit entry naming the file, and refuses a file or a backup record that
breaks a limit or holds a field the desk would refuse, alone, naming the line and the field.
Both ways a file is stored are tried: the command (`use_bulk`: new pages in bulk) and every
file written at once (`Importer(use_bulk=False)`, as the command writes everything else).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from pressroom.importer.services import Importer
from pressroom.media.models import Photo
from pressroom.releases.models import HONG_KONG, Release
from pressroom.workflow import actions
from pressroom.workflow.models import AuditEntry, Revision
from tests.support.factories import draft
from tests.support.importer import CHINESE, ENGLISH, FIXTURES, run_command, run_import

pytestmark = pytest.mark.django_db

TITLE = "Sample: Sample Department opens harbourfront reading garden (with photos)"


def _scheduled(people, department, instant=None, **content):
    """A release made on the desk, through the workflow's own actions, scheduled ahead."""
    release = draft(people["writer"], department, **content)
    actions.SubmitRelease(release, people["writer"]).execute()
    actions.ApproveRelease(release, people["approver"]).execute()
    instant = instant or timezone.now() + dt.timedelta(hours=2)
    actions.ScheduleRelease(release, people["editor"], issue_instant=instant).execute()
    release.refresh_from_db()
    return release


def _as_stored(release: Release) -> dict:
    """Everything an import could change of a release, and its history."""
    release = Release.objects.get(pk=release.pk)
    return {
        "release": (release.state, release.issue_instant, release.issue_time_stated,
                    release.kind, release.department_id, release.updated_at),
        "versions": sorted(release.versions.values_list(
            "language", "title", "body", "source_reference", "source_digest")),
        "photos": list(Photo.objects.filter(release=release).values_list("position", "image")),
        "revisions": Revision.objects.filter(release_id=release.pk).count(),
        "audit": AuditEntry.objects.filter(release_id=release.pk).count(),
    }  # fmt: skip


def _page(folder: Path, name: str, text: str | None = None, title: str | None = None) -> Path:
    """An English wire page (the fixture's) saved as `name`, its title changed if asked."""
    text = text if text is not None else ENGLISH.read_text(encoding="utf-8")
    if title is not None:
        text = text.replace(TITLE, title, 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _import_one_by_one(path: Path) -> dict:
    """Written at once, as the command writes pages with images, pop-ups and changes."""
    (result,) = Importer(use_bulk=False).import_file(path)
    return result.to_record()


def _import_with_the_command(path: Path) -> dict:
    (record,) = run_import(path).records
    return record


IMPORT_PATHS = {"command": _import_with_the_command, "one-by-one": _import_one_by_one}


# Point 2: the desk's releases are the desk's -------------------------------------------------


@pytest.mark.parametrize("how", sorted(IMPORT_PATHS))
def test_a_wire_file_never_changes_a_scheduled_release_on_the_desk(
    how, people, sample_department, tmp_path
):
    release = _scheduled(people, sample_department)
    before = _as_stored(release)
    # The fixture's closing block says 15 March 2024: stored, it would make the release public.
    page = _page(tmp_path / "wire", f"{release.reference}.txt", title="Sample: overwritten")

    record = IMPORT_PATHS[how](page)

    assert record["status"] == "failed"
    assert f"reference {release.reference} belongs to a release on the desk" in record["error"]
    assert _as_stored(release) == before
    release.refresh_from_db()
    assert release.state == "scheduled" and not release.is_public()
    assert not Release.objects.public().filter(pk=release.pk).exists()


def test_a_wire_file_with_image_files_never_changes_a_desk_release(
    people, sample_department, tmp_path
):
    release = _scheduled(people, sample_department)
    before = _as_stored(release)
    page = _page(tmp_path / "wire", f"{release.reference}.txt", title="Sample: overwritten")
    Image.new("RGB", (64, 48), "red").save(tmp_path / "wire" / f"{release.reference}_1.jpg")

    run = run_import(page)

    assert run.statuses == ["failed"]
    assert "belongs to a release on the desk" in run.records[0]["error"]
    assert _as_stored(release) == before
    assert not list((tmp_path / "media").rglob("*.jpg"))


def test_a_photo_popup_never_changes_a_desk_release(people, sample_department, tmp_path):
    release = _scheduled(people, sample_department)
    before = _as_stored(release)
    popup = (FIXTURES / "popups" / "P2024031900318_photo_1.txt").read_text(encoding="utf-8")
    page = _page(tmp_path / "wire", f"{release.reference}_photo_1.txt", text=popup)

    run = run_import(page)

    assert run.statuses == ["failed"]
    assert (
        f"reference {release.reference} belongs to a release on the desk"
        in (run.records[0]["error"])
    )
    assert _as_stored(release) == before


@pytest.mark.parametrize("how", sorted(IMPORT_PATHS))
def test_a_document_an_archive_release_carries_never_changes_it_once_the_desk_corrected_it(
    how, people, tmp_path
):
    # The pair is one release, P2024031500411, whose English version carries P2024031500412.
    run_import(ENGLISH, CHINESE)
    release = Release.objects.get(reference=CHINESE.stem)
    actions.CorrectRelease(release, people["editor"], note="Sample: hours corrected.").execute()
    before = _as_stored(release)
    page = _page(tmp_path / "wire", ENGLISH.name, title="Sample: overwritten")

    record = IMPORT_PATHS[how](page)

    assert record["status"] == "failed"
    assert f"reference {ENGLISH.stem} belongs to a release on the desk" in record["error"]
    assert _as_stored(release) == before


def test_a_partner_document_never_joins_a_release_on_the_desk(people, sample_department, tmp_path):
    # An English-only desk release, and a Chinese page with the next reference issued at the
    # same minute: the archive's pairing rule would make it the desk release's Chinese version.
    instant = dt.datetime(2030, 3, 15, 16, 30, tzinfo=HONG_KONG)
    release = _scheduled(people, sample_department, instant=instant, title_zh="", body_zh="")
    before = _as_stored(release)
    serial = int(release.reference[9:])
    partner = f"{release.reference[:9]}{serial + 1:05d}"
    chinese = CHINESE.read_text(encoding="utf-8").replace("2024年3月15日", "2030年3月15日")
    page = _page(tmp_path / "wire", f"{partner}.txt", text=chinese)

    run = run_import(page)

    assert run.statuses == ["imported"]
    assert run.records[0]["reference"] == partner
    assert _as_stored(release) == before
    assert Release.objects.get(reference=partner).languages() == ["zh-Hant", "zh-Hans"]


def test_a_backup_record_never_changes_a_release_on_the_desk(people, sample_department, tmp_path):
    release = _scheduled(people, sample_department)
    exported = run_command("export", release.reference, "--format", "jsonl").stdout
    header, line = exported.splitlines()
    backup = tmp_path / "backup.jsonl"
    backup.write_text(f"{header}\n{line}\n", encoding="utf-8")
    # The same record again is the same release: nothing to change, nothing refused.
    assert run_import(backup).statuses == ["unchanged"]
    before = _as_stored(release)
    record = json.loads(line)
    record["versions"]["en"]["title"] = "Sample: overwritten"
    record["issue_instant"] = "2024-03-15T08:30:00+00:00"
    backup.write_text(f"{header}\n{json.dumps(record)}\n", encoding="utf-8")

    run = run_import(backup)

    assert run.statuses == ["failed"]
    assert run.records[0]["line"] == 2
    assert (
        f"reference {release.reference} belongs to a release on the desk"
        in (run.records[0]["error"])
    )
    assert _as_stored(release) == before
    assert not Release.objects.public().filter(pk=release.pk).exists()


def test_a_change_to_an_archive_release_writes_a_revision_and_an_audit_entry(tmp_path):
    page = _page(tmp_path / "wire", ENGLISH.name)
    run_import(page)
    release = Release.objects.get(reference=ENGLISH.stem)
    assert not Revision.objects.filter(release_id=release.pk).exists()
    _page(tmp_path / "wire", ENGLISH.name, title="Sample (revised): reading garden opens")

    assert run_import(page).statuses == ["updated"]

    revision = Revision.objects.get(release_id=release.pk)
    assert revision.author is None
    assert str(page) in revision.summary
    snapshot = revision.snapshot["languages"]["en"]
    assert snapshot["title"] == "Sample (revised): reading garden opens"
    entry = AuditEntry.objects.get(release_id=release.pk)
    assert (entry.action, entry.actor, entry.actor_name) == ("import", None, "import")
    assert str(page) in entry.message
    assert entry.revision_number == revision.number
    # The same file again changes nothing, and writes nothing either.
    assert run_import(page).statuses == ["unchanged"]
    assert Revision.objects.filter(release_id=release.pk).count() == 1


def test_a_restored_change_to_an_archive_release_writes_a_revision_and_an_audit_entry(tmp_path):
    run_import(ENGLISH, CHINESE)
    header, line = run_command("export", CHINESE.stem, "--format", "jsonl").stdout.splitlines()
    record = json.loads(line)
    record["versions"]["en"]["title"] = "Sample (restored): reading garden opens"
    backup = tmp_path / "backup.jsonl"
    backup.write_text(f"{header}\n{json.dumps(record)}\n", encoding="utf-8")

    assert run_import(backup).statuses == ["updated"]

    release = Release.objects.get(reference=CHINESE.stem)
    revision = Revision.objects.get(release_id=release.pk)
    assert f"{backup} line 2" in revision.summary
    entry = AuditEntry.objects.get(release_id=release.pk)
    assert (entry.action, entry.actor_name) == ("restore", "import")
    assert f"{backup} line 2" in entry.message


# Point 10: a hostile JSON lines backup --------------------------------------------------------


def _photo(record: dict, index: int = 0) -> dict:
    return record["photos"][index]


def _set(path: str, value):
    """A change to one field of a record, given as a dotted path ("photos.0.image")."""

    def change(record: dict) -> None:
        *parents, last = path.split(".")
        target = record
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[int(last) if isinstance(target, list) else last] = value

    return change


def _body(blocks: list) -> callable:
    return _set("versions.en.body", blocks)


def _photos(count: int):
    def change(record: dict) -> None:
        first = record["photos"][0]
        record["photos"] = [dict(first, position=position) for position in range(1, count + 1)]

    return change


def _twice(record: dict) -> None:
    record["photos"][1]["position"] = record["photos"][0]["position"]


DEPARTMENT = {"code": "SAMPLE", "name_en": "Sample Department", "name_zh_hant": "樣本署"}
CATEGORY = {"slug": "culture", "name_en": "Culture", "name_zh_hant": "文化"}

# (what, change to a good record, the field the failure must name first)
HOSTILE_RECORDS = [
    ("image up and out", _set("photos.0.image", "../../secret_key"), "photos[0].image"),
    ("image one up, a real file", _set("photos.0.image", "../secret_key"), "photos[0].image"),
    ("image absolute", _set("photos.0.image", "/etc/passwd"), "photos[0].image"),
    ("image not there", _set("photos.0.image", "photos/2024/none/01.jpg"), "photos[0].image"),
    ("image a folder", _set("photos.0.image", "photos"), "photos[0].image"),
    ("image backslashes", _set("photos.0.image", "..\\..\\secret_key"), "photos[0].image"),
    ("department code with spaces",
     _set("department", dict(DEPARTMENT, code="Sample Dept")), "department.code"),
    ("department name with a line break",
     _set("department", dict(DEPARTMENT, name_en="Sample\nBcc: x@example.org")),
     "department.name_en"),
    ("category slug with spaces",
     _set("categories", [dict(CATEGORY, slug="culture and arts")]), "categories[0].slug"),
    ("reference too short", _set("reference", "P2024"), "reference"),
    ("reference a path", _set("reference", "../../secret_key"), "reference"),
    ("reference too long", _set("reference", "P2024031500450123456789"), "reference"),
    ("reference not a date", _set("reference", "P2024139900450"), "reference"),
    ("reference a number", _set("reference", 2024031500450), "reference"),
    ("source reference not one",
     _set("versions.en.source_reference", "see P2024"), "versions.en.source_reference"),
    ("issue instant in year 1",
     _set("issue_instant", "0001-01-01T00:00:00+08:00"), "issue_instant"),
    ("issue instant in 9999",
     _set("issue_instant", "9999-12-31T23:59:59+00:00"), "issue_instant"),
    ("corrected after 2200", _set("corrected_at", "2201-01-01T00:00:00+00:00"), "corrected_at"),
    ("withdrawn without offset", _set("withdrawn_at", "2024-03-15T08:30:00"), "withdrawn_at"),
    ("position negative", _set("photos.0.position", -1), "photos[0].position"),
    ("position zero", _set("photos.0.position", 0), "photos[0].position"),
    ("position past the photo limit", _set("photos.0.position", 101), "photos[0].position"),
    ("position huge", _set("photos.0.position", 10**20), "photos[0].position"),
    ("position true", _set("photos.0.position", True), "photos[0].position"),
    ("position twice", _twice, "photos[1].position"),
    ("width huge", _set("photos.0.width", 10**20), "photos[0].width"),
    ("height negative", _set("photos.0.height", -5), "photos[0].height"),
    ("too many photos", _photos(101), "photos"),
    ("title with a line break",
     _set("versions.en.title", "Sample\nBcc: x@example.org"), "versions.en.title"),
    ("title with a line separator", _set("versions.en.title", "Sample\u2028more"),
     "versions.en.title"),
    ("title too long", _set("versions.en.title", "x" * 501), "versions.en.title"),
    ("title a list", _set("versions.en.title", ["Sample"]), "versions.en.title"),
    ("alt text with a line break",
     _set("photos.0.texts.en.alt_text", "a\rb"), "photos[0].texts.en.alt_text"),
    ("caption with an escape",
     _set("photos.0.texts.en.caption", "\x1b[31mred"), "photos[0].texts.en.caption"),
    ("caption too long",
     _set("photos.0.texts.en.caption", "x" * 2001), "photos[0].texts.en.caption"),
    ("correction note with NUL", _set("correction_note", "note\x00"), "correction_note"),
    ("block text a number", _body([{"kind": "paragraph", "text": 5}]), "versions.en.body[0].text"),
    ("block lines a string", _body([{"kind": "lines", "lines": "abc"}]),
     "versions.en.body[0].lines"),
    ("block rows of strings", _body([{"kind": "table", "lines": ["a  b"], "rows": ["ab"]}]),
     "versions.en.body[0].rows[0]"),
    ("block with an unknown key", _body([{"kind": "paragraph", "text": "x", "html": "<b>"}]),
     "versions.en.body[0].html"),
    ("block of an unknown kind", _body([{"kind": "sonnet", "text": "x"}]),
     "versions.en.body[0].kind"),
    ("block not an object", _body(["x"]), "versions.en.body[0]"),
    ("block text with a control", _body([{"kind": "paragraph", "text": "a\x07b"}]),
     "versions.en.body"),
    ("body of too many blocks", _body([{"kind": "paragraph", "text": "x"}] * 5001),
     "versions.en.body"),
    ("body too long", _body([{"kind": "paragraph", "text": "x" * 300_001}]), "versions.en.body"),
    ("version null", _set("versions.en", None), "versions.en"),
    ("versions of a derived language",
     lambda record: record["versions"].update({"zh-Hans": record["versions"]["en"]}),
     "versions.zh-Hans"),
    ("photo not an object", _set("photos", ["x"]), "photos[0]"),
    ("photo texts a string", _set("photos.0.texts.en", "x"), "photos[0].texts.en"),
    ("state a number", _set("state", 5), "state"),
    ("kind unknown", _set("kind", "sonnet"), "kind"),
    ("time stated a string", _set("issue_time_stated", "yes"), "issue_time_stated"),
    ("origin unknown", _set("origin", "wire"), "origin"),
    ("categories an object", _set("categories", {"slug": "x"}), "categories"),
]  # fmt: skip


@pytest.fixture
def good_records(tmp_path, settings) -> tuple[str, dict, dict]:
    """The header and two good records of a real backup, the database emptied again."""
    run_import(ENGLISH, CHINESE, FIXTURES / "big5")
    lines = run_command("export", "--all", "--format", "jsonl").stdout.splitlines()
    header, first, second = lines
    Release.objects.all().delete()
    # A file beside the media folder, as a server's secret key file sits beside its data.
    (Path(settings.MEDIA_ROOT).parent / "secret_key").write_text("not for feeds")
    (Path(settings.MEDIA_ROOT) / "photos").mkdir(parents=True)
    return header, json.loads(first), json.loads(second)


def _hostile(record: dict, change) -> dict:
    """A third release's record, made from a good one and then changed."""
    hostile = copy.deepcopy(record)
    hostile["reference"] = "P2024031500450"
    hostile["versions"]["en"]["source_reference"] = ""
    change(hostile)
    return hostile


def _restore(tmp_path: Path, header: str, *records: dict):
    backup = tmp_path / "backup.jsonl"
    lines = [header, *(json.dumps(record, ensure_ascii=False) for record in records)]
    backup.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return run_import(backup)


@pytest.mark.parametrize(
    "change, field", [case[1:] for case in HOSTILE_RECORDS], ids=[c[0] for c in HOSTILE_RECORDS]
)
def test_a_hostile_backup_record_fails_alone_naming_its_line_and_field(
    change, field, good_records, tmp_path
):
    header, first, second = good_records

    run = _restore(tmp_path, header, first, _hostile(first, change), second)

    assert run.statuses == ["imported", "failed", "imported"], run.records
    failed = run.records[1]
    assert failed["line"] == 3
    assert failed["error"].startswith(f"{field}: "), failed["error"]
    assert sorted(Release.objects.values_list("reference", flat=True)) == [
        first["reference"], second["reference"]
    ]  # fmt: skip
    assert not Photo.objects.exclude(image="").exists()


def test_a_restored_photo_may_point_at_a_file_of_the_media_folder(good_records, tmp_path, settings):
    header, first, second = good_records
    name = "photos/5e/5e" + ("0123456789abcdef" * 2)[:30] + ".jpg"  # a random name's form
    image = Path(settings.MEDIA_ROOT) / name
    image.parent.mkdir(parents=True)
    image.write_bytes(b"a photo")

    run = _restore(tmp_path, header, _hostile(first, _set("photos.0.image", name)))

    assert run.statuses == ["imported"]
    photo = Photo.objects.get(release__reference="P2024031500450", position=1)
    assert photo.image.name == name


def test_a_restored_body_may_hold_a_line_separator(good_records, tmp_path):
    # A backup is JSON lines: only "\n" ends a record, not the other line ends Python knows.
    header, first, second = good_records
    body = [{"kind": "paragraph", "text": "One\u2028two\x85three"}]

    run = _restore(tmp_path, header, _hostile(first, _body(body)), second)

    assert run.statuses == ["imported", "imported"]
    assert Release.objects.get(reference="P2024031500450").version("en").body == body


def test_a_backup_line_nested_too_deeply_fails_alone(good_records, tmp_path):
    header, first, second = good_records
    backup = tmp_path / "backup.jsonl"
    nested = "[" * 200_000 + "]" * 200_000
    lines = [header, json.dumps(first), nested, json.dumps(second)]
    backup.write_text("\n".join(lines) + "\n", encoding="utf-8")

    run = run_import(backup)

    assert run.statuses == ["imported", "failed", "imported"]
    assert (run.records[1]["line"], run.records[1]["error"]) == (
        3,
        "not a backup record: JSON nested too deeply",
    )


def test_a_desk_releases_reference_cannot_be_claimed_by_a_restored_record(
    people, sample_department, good_records, tmp_path
):
    header, first, second = good_records
    release = _scheduled(people, sample_department)
    claiming = _set("versions.en.source_reference", release.reference)

    run = _restore(tmp_path, header, _hostile(first, claiming))

    assert run.statuses == ["failed"]
    assert run.records[0]["error"].startswith(
        f"versions.en.source_reference: reference {release.reference} belongs to a release on "
        "the desk"
    )
    assert list(Release.objects.by_reference(release.reference)) == [release]


def test_a_backup_line_longer_than_a_record_may_be_fails_alone(good_records, tmp_path, settings):
    header, first, second = good_records
    settings.PRESSROOM_IMPORT_MAX_BYTES = 4000  # a record may be twice as long: 8,000
    long_body = _body([{"kind": "paragraph", "text": "x" * 9000}])

    run = _restore(tmp_path, header, first, _hostile(first, long_body), second)

    assert run.statuses == ["imported", "failed", "imported"]
    assert run.records[1]["line"] == 3
    assert "characters long" in run.records[1]["error"]
    assert "8,000" in run.records[1]["error"]


# Points 8 and 9: limits and single lines in wire files ----------------------------------------


@pytest.mark.parametrize("how", sorted(IMPORT_PATHS))
def test_an_oversized_wire_file_fails_unread_with_its_name_and_size(how, tmp_path, settings):
    text = ENGLISH.read_text(encoding="utf-8")
    padding = "\n".join(f"     Paragraph {n}: " + "sample text " * 80 for n in range(3200))
    big = text.replace("Ends/", padding + "\n\nEnds/", 1)
    page = _page(tmp_path / "wire", ENGLISH.name, text=big)
    size = page.stat().st_size
    assert size > settings.PRESSROOM_IMPORT_MAX_BYTES

    record = IMPORT_PATHS[how](page)

    assert record["status"] == "failed"
    assert ENGLISH.name in record["error"]
    assert f"{size:,} bytes" in record["error"]
    assert "PRESSROOM_IMPORT_MAX_BYTES" in record["error"]
    assert not Release.objects.exists()


@pytest.mark.parametrize(
    "title, what",
    [
        ("Sample: garden\u2028Bcc: x@example.org", "a line break"),
        ("Sample: garden\x85opens", "a line break"),
        ("Sample: garden \x1b[31mopens", "a control character (U+001B)"),
        ("Sample: garden\x07", "a control character (U+0007)"),
        ("Sample: " + "x" * 500, "the limit is 500"),
    ],
)
@pytest.mark.parametrize("how", sorted(IMPORT_PATHS))
def test_a_wire_title_with_a_line_break_or_control_fails_the_file(how, title, what, tmp_path):
    page = _page(tmp_path / "wire", ENGLISH.name, title=title)

    record = IMPORT_PATHS[how](page)

    assert record["status"] == "failed"
    assert record["error"].startswith("title: ")
    assert what in record["error"]
    assert not Release.objects.exists()


def test_a_wire_body_over_the_limit_fails_the_file(tmp_path):
    text = ENGLISH.read_text(encoding="utf-8")
    padding = "\n\n".join("     " + "x" * 999 for _ in range(301))  # 300,699 characters
    text = text.replace("Ends/", padding + "\n\nEnds/")
    page = _page(tmp_path / "wire", ENGLISH.name, text=text)

    run = run_import(page)

    assert run.statuses == ["failed"]
    assert run.records[0]["error"].startswith("body: ")
    assert "the limit is 300,000" in run.records[0]["error"]
    assert not Release.objects.exists()


def test_a_wire_file_with_more_captions_than_photos_allowed_fails(tmp_path):
    text = ENGLISH.read_text(encoding="utf-8").rstrip("\n")
    captions = "\n".join(f"Sample: photo {n}." for n in range(3, 102))
    page = _page(tmp_path / "wire", ENGLISH.name, text=f"{text}\n{captions}\n")

    run = run_import(page)

    assert run.statuses == ["failed"]
    assert "101 photo captions; the limit is 100" in run.records[0]["error"]
    assert not Photo.objects.exists()


def test_an_image_file_past_the_photo_limit_fails_its_page(tmp_path):
    page = _page(tmp_path / "wire", ENGLISH.name)
    Image.new("RGB", (64, 48), "red").save(tmp_path / "wire" / f"{ENGLISH.stem}_101.jpg")

    run = run_import(page)

    assert run.statuses == ["failed"]
    assert "photo 101" in run.records[0]["error"]
    assert not Release.objects.exists() and not Photo.objects.exists()


def test_a_photo_popup_past_the_photo_limit_fails(tmp_path):
    run_import(FIXTURES / "popups" / "P2024031900318.txt")
    popup = (FIXTURES / "popups" / "P2024031900318_photo_1.txt").read_text(encoding="utf-8")
    page = _page(tmp_path / "wire", "P2024031900318_photo_500.txt", text=popup)

    run = run_import(page)

    assert run.statuses == ["failed"]
    assert "photo 500" in run.records[0]["error"] and "100" in run.records[0]["error"]
    assert not Photo.objects.exists()
