"""The limits door: every text and list a release holds is checked at every entrance.

Single-line fields (titles, alt texts, names) take no line breaks or control characters, since
a stored line break once stopped every e-mail of a release; every list and text has the limit
`pressroom.releases.limits` documents, so one writer's draft cannot hold the day's reference
counter (or the feeds, search and ninjs) hostage.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from pressroom.api.tokens import issue_token
from pressroom.media.models import Photo, PhotoText
from pressroom.media.photos import ensure_photos
from pressroom.releases import limits
from pressroom.releases.limits import TextRefused
from pressroom.releases.models import (
    Category,
    Department,
    ReferenceCounter,
    Release,
    ReleaseVersion,
    allocate_reference,
)  # fmt: skip
from pressroom.releases.services import (
    write_caption,
    write_captions,
    write_version,
)  # fmt: skip
from pressroom.wire.model import Block, BlockKind, Language, ParsedRelease
from pressroom.wire.render import render
from pressroom.workflow import actions
from pressroom.workflow.people import add_department
from tests.support.factories import content, draft

pytestmark = pytest.mark.django_db

BROKEN_TITLES = [
    pytest.param("Sample: harbour\nBcc: everyone@example.org", id="line-feed"),
    pytest.param("Sample: harbour\rclean-up", id="carriage-return"),
    pytest.param("Sample: harbour\x00clean-up", id="nul"),
    pytest.param("Sample: harbour\x1b[2Jclean-up", id="escape"),
    pytest.param("Sample: harbour\u2028clean-up", id="line-separator"),
]
DESK_DRAFT = {
    "title_en": "Sample: library opens late", "body_en": "The sample library opens late.",
    "title_zh": "樣本：圖書館延長開放", "body_zh": "樣本圖書館延長開放時間。", "base_revision": "0",
    "intent": "save",
}  # fmt: skip
API_DRAFT = {
    "department": "sample",
    "en": {"title": "Sample: harbour clean-up", "body": "The Sample Department will clean."},
    "zh-Hant": {"title": "樣本：海港清潔", "body": "樣本部門將進行清潔。"},
}


def nothing_stored():
    assert not Release.objects.exists()
    assert not ReleaseVersion.objects.exists()
    assert not Photo.objects.exists()


def api(client, method, url, user, body):
    token = issue_token(user)[1]
    send = getattr(client, method)
    return send(
        url, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )


def api_draft(**english):
    return {**API_DRAFT, "en": {**API_DRAFT["en"], **english}}


def errors_where(response) -> str:
    return " ".join(error["where"] for error in response.json().get("errors") or [])


# Point 8: single-line fields ---------------------------------------------------------------


@pytest.mark.parametrize("title", BROKEN_TITLES)
def test_the_desk_refuses_a_title_with_a_line_break_or_control_character(
    client, people, sample_department, title
):
    client.force_login(people["writer"])
    response = client.post(
        "/desk/new/", {**DESK_DRAFT, "department": sample_department.pk, "title_en": title}
    )
    assert response.status_code == 200
    assert "title_en" in response.context["form"].errors
    nothing_stored()


def test_the_desk_refuses_an_alt_text_with_a_line_break_and_a_caption_with_a_control_character(
    client, people, sample_department
):
    release = draft(people["writer"], sample_department, captions=[("Volunteers.", "義工。")])
    client.force_login(people["writer"])
    response = client.post(f"/desk/r/{release.pk}/", {
        **DESK_DRAFT, "department": sample_department.pk, "base_revision": "1",
        "caption_en_1": "Volunteers\x07 at work.", "alt_en_1": "Volunteers\nBcc: x@example.org",
    })  # fmt: skip
    errors = response.context["form"].errors
    assert "alt_en_1" in errors and "caption_en_1" in errors
    assert PhotoText.objects.get(photo__release=release, language="en").alt_text == "Volunteers."


@pytest.mark.parametrize("title", BROKEN_TITLES)
def test_the_api_refuses_a_draft_whose_title_breaks_its_line(client, people, title):
    response = api(client, "post", "/api/v1/releases", people["writer"], api_draft(title=title))
    assert response.status_code == 422
    assert "en.title" in response.json()["detail"]
    nothing_stored()


def test_the_api_refuses_an_edit_whose_title_or_alt_text_breaks_its_line(
    client, people, sample_department
):
    release = draft(people["writer"], sample_department)
    patch = {"zh-Hant": {"title": "樣本：海港\r清潔", "body": "樣本。"}}
    response = api(
        client, "patch", f"/api/v1/releases/{release.reference}", people["writer"], patch
    )
    assert response.status_code == 422, response.content
    assert "title" in errors_where(response) and "zh-Hant" in errors_where(response)
    patch = {
        "en": {"title": "Sample", "captions": [{"caption": "Volunteers.", "alt_text": "A\nB"}]}
    }
    response = api(
        client, "patch", f"/api/v1/releases/{release.reference}", people["writer"], patch
    )
    assert response.status_code == 422 and "alt_text" in errors_where(response)
    assert release.version("zh-Hant").title == "樣本：海港節開幕"
    assert not Photo.objects.exists()


def test_the_api_refuses_a_comment_with_control_characters(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    actions.SubmitRelease(release, people["writer"]).execute()
    body = {"comment": "Fix the date.\x1b[2J"}
    response = api(
        client, "post", f"/api/v1/releases/{release.reference}/return", people["approver"], body
    )
    assert response.status_code == 422 and "comment" in response.json()["detail"]
    assert Release.objects.get().state == "submitted"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(
        "archivist", "a@example.invalid", "x-pass-1234"
    )
    client.force_login(user)
    return client


def admin_errors(response) -> dict:
    assert response.status_code == 200, "the admin saved what it should refuse"
    adminform = response.context["adminform"]
    errors = dict(adminform.form.errors)
    for formset in response.context.get("inline_admin_formsets", []):
        for form in formset.formset.forms:
            errors.update(
                {f"{formset.formset.prefix}.{name}": e for name, e in form.errors.items()}
            )
    return errors


def archive_release(release):
    """The release as a published archive release: the only kind the admin edits (releases
    on their way through the desk are read-only there)."""
    issued = release.created_at - dt.timedelta(days=1)
    Release.objects.filter(pk=release.pk).update(
        state="published", issue_instant=issued, origin="import"
    )
    release.refresh_from_db()
    return release


@pytest.mark.parametrize("title", BROKEN_TITLES)
def test_the_admin_refuses_a_version_title_that_breaks_its_line(
    admin_client, people, sample_department, title
):
    release = archive_release(draft(people["writer"], sample_department))
    versions = {version.language: version for version in release.versions.all()}
    data = {
        "reference": release.reference, "kind": "release", "department": str(sample_department.pk),
        "versions-TOTAL_FORMS": "2", "versions-INITIAL_FORMS": "2",
        "versions-MIN_NUM_FORMS": "0", "versions-MAX_NUM_FORMS": "2",
        "versions-0-id": str(versions["en"].pk), "versions-0-release": str(release.pk),
        "versions-0-language": "en", "versions-0-title": title,
        "versions-0-body_text": "The Sample Department opened a festival.",
        "versions-1-id": str(versions["zh-Hant"].pk), "versions-1-release": str(release.pk),
        "versions-1-language": "zh-Hant", "versions-1-title": "樣本：海港節開幕",
        "versions-1-body_text": "樣本部門今日為海港節揭幕。",
        "versions-2-TOTAL_FORMS": "0", "versions-2-INITIAL_FORMS": "1",
        "versions-2-MIN_NUM_FORMS": "0", "versions-2-MAX_NUM_FORMS": "0",
        "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0", "photos-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = admin_client.post(f"/admin/releases/release/{release.pk}/change/", data)
    assert "versions.title" in admin_errors(response)
    assert release.version("en").title == "Sample: harbour festival opens"


@pytest.mark.parametrize("model, key", [(Department, "code"), (Category, "slug")])
@pytest.mark.parametrize("name", BROKEN_TITLES)
def test_the_admin_refuses_a_department_or_category_name_that_breaks_its_line(
    admin_client, model, key, name
):
    path = f"/admin/releases/{model._meta.model_name}/add/"
    response = admin_client.post(
        path, {key: "newly-added", "name_en": name, "name_zh_hant": "新增"}
    )
    assert "name_en" in admin_errors(response)
    assert not model.objects.filter(**{key: "newly-added"}).exists()


def test_the_admin_refuses_a_caption_with_control_characters(
    admin_client, people, sample_department
):
    release = archive_release(
        draft(people["writer"], sample_department, captions=[("Volunteers.", "義工。")])
    )
    photo = release.photos.get()
    texts = {text.language: text for text in photo.texts.all()}
    data = {
        "release": str(release.pk), "position": "1",
        "texts-TOTAL_FORMS": "2", "texts-INITIAL_FORMS": "2",
        "texts-MIN_NUM_FORMS": "0", "texts-MAX_NUM_FORMS": "2",
        "texts-0-id": str(texts["en"].pk), "texts-0-photo": str(photo.pk), "texts-0-language": "en",
        "texts-0-caption": "Volunteers\x00 at work.", "texts-0-alt_text": "Volunteers\r\nat work",
        "texts-1-id": str(texts["zh-Hant"].pk), "texts-1-photo": str(photo.pk),
        "texts-1-language": "zh-Hant", "texts-1-caption": "義工。", "texts-1-alt_text": "義工。",
    }  # fmt: skip
    response = admin_client.post(f"/admin/media/photo/{photo.pk}/change/", data)
    errors = admin_errors(response)
    assert "texts.caption" in errors and "texts.alt_text" in errors
    assert PhotoText.objects.get(pk=texts["en"].pk).caption == "Volunteers."


def test_the_write_path_refuses_broken_single_lines_as_the_last_guard(people, sample_department):
    release = draft(people["writer"], sample_department, captions=[("Volunteers.", "義工。")])
    with pytest.raises(TextRefused, match="must be a single line") as refused:
        write_version(release, "en", title="Sample\nBcc: x@example.org", body=[])
    assert refused.value.field == "en.title"
    with pytest.raises(TextRefused, match="alt_text"):
        write_caption(release, "en", 1, "Volunteers.", "Volunteers\rat work")
    with pytest.raises(TextRefused, match="caption"):
        write_captions(release, "zh-Hant", ["義工\x1b。"])
    with pytest.raises(TextRefused, match="body"):
        write_version(
            release, "en", title="Sample", body=[Block(BlockKind.PARAGRAPH, text="a\x07b")]
        )
    with pytest.raises(TextRefused, match="name_en"):
        add_department("another", "Another\nDepartment", "另一部門")
    release.refresh_from_db()
    assert release.version("en").title == "Sample: harbour festival opens"
    assert PhotoText.objects.get(photo__release=release, language="en").alt_text == "Volunteers."
    assert not Department.objects.filter(code="another").exists()


# Point 9: every list and text has a limit --------------------------------------------------


def test_the_api_refuses_5000_captions_at_once_naming_the_limit(
    client, people, django_assert_max_num_queries
):
    captions = [{"caption": f"Photo {n}."} for n in range(5000)]
    with django_assert_max_num_queries(10):
        response = api(
            client, "post", "/api/v1/releases", people["writer"], api_draft(captions=captions)
        )
    assert response.status_code == 422
    assert "captions" in errors_where(response) and "100" in response.json()["detail"]
    nothing_stored()


def test_the_api_refuses_101_photos_and_takes_100(client, people):
    captions = [{"caption": f"Photo {n}."} for n in range(limits.PHOTOS_MAX + 1)]
    response = api(
        client, "post", "/api/v1/releases", people["writer"], api_draft(captions=captions)
    )
    assert response.status_code == 422 and "captions" in errors_where(response)
    nothing_stored()
    response = api(
        client, "post", "/api/v1/releases", people["writer"], api_draft(captions=captions[:-1])
    )
    assert response.status_code == 201
    assert Photo.objects.count() == limits.PHOTOS_MAX


def test_the_desk_refuses_5000_pasted_captions_naming_the_limit(client, people, sample_department):
    pasted = ParsedRelease(
        language=Language.EN, title="Sample: photo day", issue_date=dt.date(2024, 3, 1),
        issue_time=dt.time(16, 30),
        body=(Block(BlockKind.PARAGRAPH, text="The Sample Department took photos."),),
        captions=tuple(f"Photo {n}." for n in range(5000)),
    )  # fmt: skip
    client.force_login(people["writer"])
    response = client.post("/desk/new/", {**DESK_DRAFT, "department": sample_department.pk,
                                          "intent": "paste", "wire_text": render(pasted)})  # fmt: skip
    assert "the limit is 100" in response.content.decode()
    nothing_stored()


def test_the_desk_refuses_a_caption_for_photo_5000(
    client, people, sample_department, django_assert_max_num_queries
):
    client.force_login(people["writer"])
    with django_assert_max_num_queries(20):
        response = client.post("/desk/new/", {**DESK_DRAFT, "department": sample_department.pk,
                                              "caption_en_5000": "The last of many."})  # fmt: skip
    assert response.status_code == 200
    assert "the limit is 100" in response.content.decode()
    nothing_stored()


def test_the_write_path_refuses_photo_101(people, sample_department):
    release = draft(people["writer"], sample_department)
    with pytest.raises(TextRefused, match="the limit is 100"):
        ensure_photos(release, limits.PHOTOS_MAX + 1)
    with pytest.raises(TextRefused, match="the limit is 100"):
        write_caption(release, "en", limits.PHOTOS_MAX + 1, "One too many.")
    with pytest.raises(TextRefused, match="the limit is 100"):
        write_captions(release, "en", ["A photo."] * (limits.PHOTOS_MAX + 1))
    assert not release.photos.exists()


def test_the_desk_refuses_to_upload_photo_101(client, people, sample_department):
    from django.core.files.base import ContentFile

    from tests.support.factories import png_bytes

    release = draft(people["writer"], sample_department)
    write_captions(release, "en", ["A photo."] * limits.PHOTOS_MAX)
    client.force_login(people["writer"])
    upload = ContentFile(png_bytes(), name="101.png")
    response = client.post(
        f"/desk/r/{release.pk}/photos/", {"image": upload, "base_revision": "1"}, follow=True
    )
    assert "the limit is 100" in response.content.decode()
    assert release.photos.count() == limits.PHOTOS_MAX


def test_an_api_token_name_is_one_line(people):
    with pytest.raises(TextRefused, match="name"):
        issue_token(people["writer"], "Sample system\nsecond line")


def test_a_600_character_title_is_refused_on_sqlite_as_on_postgresql(people, sample_department):
    release = draft(people["writer"], sample_department)
    with pytest.raises(TextRefused, match="is 600 characters long; the limit is 500") as refused:
        write_version(release, "en", title="x" * 600, body=[])
    assert refused.value.field == "en.title"
    assert release.version("en").title == "Sample: harbour festival opens"


def test_the_desk_refuses_a_body_over_the_limit(client, people, sample_department):
    client.force_login(people["writer"])
    body = "The sample library opens late. " * (limits.BODY_MAX_CHARS // 31 + 1)
    response = client.post(
        "/desk/new/", {**DESK_DRAFT, "department": sample_department.pk, "body_en": body}
    )
    assert "body_en" in response.context["form"].errors
    assert f"the limit is {limits.BODY_MAX_CHARS:,}" in response.content.decode()
    nothing_stored()


def test_the_desk_and_the_api_refuse_a_body_of_too_many_blocks(client, people, sample_department):
    body = "\n\n".join(f"Paragraph {n}." for n in range(limits.BODY_MAX_BLOCKS + 1))
    client.force_login(people["writer"])
    response = client.post(
        "/desk/new/", {**DESK_DRAFT, "department": sample_department.pk, "body_en": body}
    )
    assert f"the limit is {limits.BODY_MAX_BLOCKS:,}" in response.content.decode()
    response = api(client, "post", "/api/v1/releases", people["writer"], api_draft(body=body))
    assert (
        response.status_code == 422
        and f"the limit is {limits.BODY_MAX_BLOCKS:,}" in response.json()["detail"]
    )
    nothing_stored()


def test_the_api_refuses_a_body_over_the_limit(client, people):
    body = "x" * (limits.BODY_MAX_CHARS + 1)
    response = api(client, "post", "/api/v1/releases", people["writer"], api_draft(body=body))
    assert response.status_code == 422 and "en.body" in response.json()["detail"]
    nothing_stored()


def test_the_write_path_refuses_a_body_over_the_limit(people, sample_department):
    release = draft(people["writer"], sample_department)
    half = "x" * (limits.BODY_MAX_CHARS // 2 + 1)
    body = [Block(BlockKind.PARAGRAPH, text=half), Block(BlockKind.LINES, lines=(half,))]
    with pytest.raises(TextRefused, match=f"the limit is {limits.BODY_MAX_CHARS:,}"):
        write_version(release, "en", title="Sample", body=body)
    assert release.version("en").title == "Sample: harbour festival opens"


def test_the_desk_refuses_a_caption_over_the_limit(client, people, sample_department):
    client.force_login(people["writer"])
    response = client.post("/desk/new/", {**DESK_DRAFT, "department": sample_department.pk,
                                          "caption_en_1": "x" * (limits.CAPTION_MAX_CHARS + 1)})  # fmt: skip
    assert "caption_en_1" in response.context["form"].errors
    nothing_stored()


def test_the_desk_refuses_a_comment_over_the_limit_and_the_actions_a_reason_with_controls(
    client, people, sample_department
):
    release = draft(people["writer"], sample_department)
    actions.SubmitRelease(release, people["writer"]).execute()
    client.force_login(people["approver"])
    response = client.post(
        f"/desk/r/{release.pk}/move/return/", {"comment": "x" * (limits.NOTE_MAX_CHARS + 1)}
    )
    assert response.status_code == 302
    assert Release.objects.get().state == "submitted"
    with pytest.raises(TextRefused, match="comment"):
        actions.ReturnToDraft(release, people["approver"], comment="Fix it.\x1b[2J").execute()
    assert Release.objects.get().state == "submitted"


# Linear caption writes ---------------------------------------------------------------------


def _queries_to_write(release, count: int) -> int:
    captions = [f"樣本相片{n}。" for n in range(count)]
    with CaptureQueriesContext(connection) as queries:
        write_captions(release, "zh-Hant", captions)  # zh-Hans follows: two languages written
    assert PhotoText.objects.filter(photo__release=release).count() == 2 * count
    return len(queries)


def test_writing_10_or_100_captions_costs_the_same_queries(
    people, sample_department, django_assert_max_num_queries
):
    ten = _queries_to_write(draft(people["writer"], sample_department), 10)
    hundred = _queries_to_write(draft(people["writer"], sample_department), 100)
    assert ten == hundred
    rewrite = draft(people["writer"], sample_department, captions=[("Old.", "舊。")] * 100)
    with django_assert_max_num_queries(ten):
        write_captions(rewrite, "zh-Hant", ["新。"] * 100)  # every text updated, none created
    assert set(PhotoText.objects.filter(photo__release=rewrite, language="zh-Hans")
               .values_list("caption", flat=True)) == {"新。"}  # fmt: skip


def test_a_draft_with_10_or_100_captions_costs_the_same_queries(client, people):
    counts = []
    for count in (0, 10, 100):  # the first draft of the day also makes the day's counter
        captions = [{"caption": f"Photo {n}.", "alt_text": f"Photo {n}"} for n in range(count)]
        body = {
            **api_draft(captions=captions),
            "zh-Hant": {**API_DRAFT["zh-Hant"], "captions": captions},
        }
        token = issue_token(people["writer"])[1]
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/api/v1/releases", body, content_type="application/json",
                                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        assert response.status_code == 201, response.content
        counts.append(len(queries))
    assert counts[1] == counts[2]


# The reference counter's lock --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_reference_counter_is_not_locked_while_content_is_written(people, sample_department):
    """A second writer can take the day's counter while the first one's content is written."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the whole database is the lock there")
    assert not connection.in_atomic_block  # each transaction commits, as in production
    first = allocate_reference()  # the day's counter row exists, committed, for both writers
    seen = []

    def take_the_counter():
        try:
            with transaction.atomic():
                list(ReferenceCounter.objects.select_for_update(nowait=True))
            seen.append("free")
        except DatabaseError as error:
            seen.append(f"locked: {error}")
        finally:
            connections.close_all()

    def while_writing(sender, instance, **kwargs):
        if not seen:
            other_writer = threading.Thread(target=take_the_counter)
            other_writer.start()
            other_writer.join()

    post_save.connect(while_writing, sender=ReleaseVersion, dispatch_uid="limits-test")
    try:
        release = actions.create_release(people["writer"], sample_department, content())
    finally:
        post_save.disconnect(dispatch_uid="limits-test", sender=ReleaseVersion)
    assert seen == ["free"]
    assert int(release.reference[-5:]) == int(first[-5:]) + 1


# What the largest release costs a feed -----------------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_a_feed_item_is_bounded_whatever_its_release_holds(client, fmt):
    from pressroom.feeds import entries
    from tests.support.clock import hong_kong
    from tests.support.factories import add_photos, make_release

    paragraph = "The Sample Department reports on its sample programme. " * 54  # 2,970 characters
    body = tuple(Block(BlockKind.PARAGRAPH, text=f"{n}. {paragraph}") for n in range(100))
    assert sum(len(block.text) for block in body) > limits.BODY_MAX_CHARS - 5_000
    release = make_release(hong_kong(2023, 11, 3, 16), body=body)
    caption = "A sample photo of the sample programme. " * 50  # 2,000 characters
    add_photos(release, [caption] * 12, with_images=12)
    response = client.get(f"/en/feeds/releases.{fmt}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "The release continues on its page." in page
    assert "2. The Sample" in page and "4. The Sample" not in page
    assert caption[: entries.FEED_CAPTION_MAX_CHARS] not in page
    if fmt == "rss":
        assert page.count("<media:content") == entries.FEED_PHOTOS_MAX
    if fmt == "json":
        assert len(response.json()["items"][0]["attachments"]) == entries.FEED_PHOTOS_MAX
    assert len(response.content) < 4 * (entries.FEED_BODY_MAX_CHARS + entries.FEED_PHOTOS_MAX * 500)


def test_a_release_at_every_text_limit_fits_in_one_request_body(settings):
    """The request body limit (DATA_UPLOAD_MAX_MEMORY_SIZE) must not refuse what the text
    limits allow: both written languages at their longest, as the desk's form encodes them."""
    from urllib.parse import urlencode

    chinese = "政" * limits.BODY_MAX_CHARS
    english = "a," * (limits.BODY_MAX_CHARS // 2)
    fields = {
        "title_en": "T" * limits.TITLE_MAX_CHARS,
        "body_en": english,
        "title_zh": "標" * limits.TITLE_MAX_CHARS,
        "body_zh": chinese,
    }
    for position in range(1, 11):  # a release with ten photos captioned at length
        fields[f"caption_en_{position}"] = "c" * limits.CAPTION_MAX_CHARS
        fields[f"caption_zh_{position}"] = "說" * limits.CAPTION_MAX_CHARS
    assert len(urlencode(fields).encode()) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.parametrize("name", BROKEN_TITLES)
def test_the_admin_refuses_a_persons_name_that_breaks_its_line(client, people, name):
    """Names go into e-mail headers and pages: an administrator's edit of one is checked too."""
    writer = people["writer"]
    client.force_login(people["admin"])
    url = f"/admin/auth/user/{writer.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if isinstance(value, str)}
    data.update({"username": writer.username, "first_name": name, "last_name": "Sample",
                 "desk_membership-TOTAL_FORMS": "0", "desk_membership-INITIAL_FORMS": "0"})  # fmt: skip
    response = client.post(url, data)
    assert "first_name" in admin_errors(response)
    writer.refresh_from_db()
    assert writer.first_name != name
