"""The admin screens for the archive load and save, with zh-Hans kept derived."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from pressroom.releases.models import HONG_KONG, Department, Release, ReleaseState
from pressroom.releases.services import write_captions, write_version
from pressroom.search.models import SearchDocument
from pressroom.wire.model import Block, BlockKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(
        "archivist", "a@example.invalid", "x-pass-1234"
    )
    client.force_login(user)
    return client


@pytest.fixture
def bilingual_release():
    department = Department.objects.create(
        code="sample", name_en="Sample Department", name_zh_hant="樣本部門"
    )
    release = Release.objects.create(
        reference="P2024030100001",
        state=ReleaseState.PUBLISHED,
        issue_instant=dt.datetime(2024, 3, 1, 16, 0, tzinfo=HONG_KONG),
        department=department,
    )
    write_version(
        release,
        "en",
        title="Sample: harbour clean-up day",
        body=[Block(BlockKind.PARAGRAPH, text="Volunteers cleaned the sample harbour today.")],
    )
    write_version(
        release,
        "zh-Hant",
        title="樣本：海港清潔日",
        body=[Block(BlockKind.PARAGRAPH, text="義工今日清潔樣本海港。")],
    )
    write_captions(release, "en", ["Volunteers at work."])
    return release


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/releases/release/",
        "/admin/releases/release/add/",
        "/admin/releases/department/",
        "/admin/releases/category/add/",
        "/admin/media/photo/",
    ],
)
def test_admin_screens_load(admin_client, bilingual_release, path):
    assert admin_client.get(path).status_code == 200


def test_release_change_page_shows_wire_body_and_derived_simplified(
    admin_client, bilingual_release
):
    response = admin_client.get(f"/admin/releases/release/{bilingual_release.pk}/change/")
    page = response.content.decode()
    assert "Volunteers cleaned the sample harbour today." in page
    assert "样本：海港清洁日" in page  # derived, shown read-only


def _change_form(release, **changes) -> dict:
    """The release's change form as the admin posts it, with `changes` applied."""
    versions = {v.language: v for v in release.versions.all()}
    data = {
        "reference": release.reference,
        "kind": "release",
        "state": "published",
        "issue_instant_0": "2024-03-01",
        "issue_instant_1": "16:00:00",
        "issue_time_stated": "on",
        "department": str(release.department_id),
        "versions-TOTAL_FORMS": "2",
        "versions-INITIAL_FORMS": "2",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "2",
        "versions-0-id": str(versions["en"].pk),
        "versions-0-release": str(release.pk),
        "versions-0-language": "en",
        "versions-0-title": versions["en"].title,
        "versions-0-body_text": "Volunteers cleaned the sample harbour today.",
        "versions-1-id": str(versions["zh-Hant"].pk),
        "versions-1-release": str(release.pk),
        "versions-1-language": "zh-Hant",
        "versions-1-title": versions["zh-Hant"].title,
        "versions-1-body_text": "義工今日清潔樣本海港。",
        "versions-2-TOTAL_FORMS": "0",
        "versions-2-INITIAL_FORMS": "1",
        "versions-2-MIN_NUM_FORMS": "0",
        "versions-2-MAX_NUM_FORMS": "0",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "1",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-id": str(release.photos.get().pk),
        "photos-0-release": str(release.pk),
        "photos-0-position": "1",
    }
    data.update(changes)
    return data


def test_editing_traditional_body_in_admin_rederives_simplified(admin_client, bilingual_release):
    release = bilingual_release
    data = _change_form(
        release,
        **{
            "versions-0-body_text": "Volunteers cleaned the sample harbour today."
            "\n\n- Bags: 40\n- Bottles: 300",
            "versions-1-title": "樣本：海港清潔日（更新）",
            "versions-1-body_text": "義工今日清潔樣本海港，並舉辦講座。",
        },
    )
    response = admin_client.post(f"/admin/releases/release/{release.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    english = release.versions.get(language="en")
    assert english.body[1] == {"kind": "list", "lines": ["- Bags: 40", "- Bottles: 300"]}
    simplified = release.versions.get(language="zh-Hans")
    assert simplified.title == "样本：海港清洁日（更新）"
    assert simplified.body == [{"kind": "paragraph", "text": "义工今日清洁样本海港，并举办讲座。"}]


def test_removing_traditional_in_admin_takes_its_simplified_twin_along(
    admin_client, bilingual_release
):
    """A zh-Hans version without the zh-Hant it is derived from would stay public, and no
    screen edits it."""
    release = bilingual_release
    data = _change_form(release, **{"versions-1-DELETE": "on"})

    response = admin_client.post(f"/admin/releases/release/{release.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert release.languages() == ["en"]
    assert not SearchDocument.objects.filter(release=release, language="zh-Hant").exists()


def test_captions_edited_in_admin_are_derived_and_removed_with_traditional(
    admin_client, bilingual_release
):
    release = bilingual_release
    photo = release.photos.get()
    form = {
        "release": release.pk,
        "position": 1,
        "texts-TOTAL_FORMS": "2",
        "texts-INITIAL_FORMS": "1",
        "texts-0-id": photo.texts.get(language="en").pk,
        "texts-0-photo": photo.pk,
        "texts-0-language": "en",
        "texts-0-caption": "Volunteers at work.",
        "texts-0-alt_text": "Volunteers",
        "texts-1-photo": photo.pk,
        "texts-1-language": "zh-Hant",
        "texts-1-caption": "義工工作中。",
        "texts-1-alt_text": "義工",
    }
    response = admin_client.post(f"/admin/media/photo/{photo.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert photo.text("zh-Hans").caption == "义工工作中。"
    assert photo.text("zh-Hans").alt_text == "义工"

    traditional = photo.texts.get(language="zh-Hant")
    form.update({
        "texts-TOTAL_FORMS": "2", "texts-INITIAL_FORMS": "2", "texts-1-id": traditional.pk,
        "texts-1-DELETE": "on",
    })  # fmt: skip
    response = admin_client.post(f"/admin/media/photo/{photo.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(photo.texts.values_list("language", flat=True)) == ["en"]
