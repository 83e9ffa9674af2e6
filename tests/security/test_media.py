"""A media file follows its release (issue 22, point 1), tried as an attacker would.

A photo of a draft or of a release scheduled for later is not served, whatever the name asked
for: not at the guessable address the files used to have (`photos/<year>/<reference>/01.jpg`),
not at its real name, not as a rendition. A scheduled release's photo appears at its issue
instant and not a second before; a withdrawn release's photo stops being served, and no answer
lets a cache keep it past that. Unpublished photos reach the desk and preview links through
routes that check who asks, and never a shared cache. Names are random, and no path leaves the
media folder.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings

from pressroom.media.renditions import rendition_name
from pressroom.publiccache.generation import MAX_AGE_SECONDS
from pressroom.releases.models import Release, ReleaseState
from pressroom.workflow.actions import MOVE_ACTIONS
from tests.support.clock import NOW, hong_kong
from tests.support.factories import add_photos, draft, make_release

pytestmark = pytest.mark.django_db

LATER = hong_kong(2023, 11, 3, 20, 0)
RENDITIONS = ("thumb", "page")


def with_photo(release: Release) -> Release:
    add_photos(release, ["Sample: the harbour at dusk"], ["樣本：黃昏海港"], with_images=1)
    return release


def stored_names(release: Release) -> list[str]:
    """The original's storage name and its renditions', as they are on disk."""
    name = release.photos.get(position=1).image.name
    return [name, *(rendition_name(name, rendition) for rendition in RENDITIONS)]


def guessable_paths(release: Release) -> list[str]:
    """Where the photo files of a release used to be, made from its reference and position."""
    folder = f"photos/{release.reference[1:5]}/{release.reference}"
    return [f"{folder}/01.png", f"{folder}/01.thumb.webp", f"{folder}/01.page.webp"]


def shared_lifetime(response) -> int:
    """How long a shared cache may keep the answer (its s-maxage, else max-age; 0 if neither)."""
    control = response.get("Cache-Control", "")
    for directive in ("s-maxage", "max-age"):
        found = re.search(rf"(?:^|[ ,]){directive}=(\d+)", control)
        if found:
            return int(found.group(1))
    return 0


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def withdraw(release: Release, editor) -> None:
    MOVE_ACTIONS["withdraw"](Release.objects.get(pk=release.pk), editor,
                             reason="Sample reason: issued in error.").execute()  # fmt: skip


@pytest.fixture
def unpublished(clock, people):
    """A draft, a release scheduled for later today, and a published release since withdrawn,
    each with one photo."""
    releases = {
        "draft": with_photo(make_release(LATER, state=ReleaseState.DRAFT, title="Sample: a draft")),
        "scheduled": with_photo(
            make_release(LATER, state=ReleaseState.SCHEDULED, title="Sample: later")
        ),
        "withdrawn": with_photo(
            make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: withdrawn")
        ),
    }
    withdraw(releases["withdrawn"], people["editor"])
    return releases


# -- Unpublished photos are not served to anyone ---------------------------------------------


@pytest.mark.parametrize("kind", ["draft", "scheduled", "withdrawn"])
def test_the_old_guessable_addresses_serve_nothing(client, unpublished, kind):
    release = unpublished[kind]
    for path in guessable_paths(release):
        response = client.get(settings.MEDIA_URL + path)
        assert response.status_code == 404, f"{kind} photo served at its guessable address {path}"


@pytest.mark.parametrize("kind", ["draft", "scheduled", "withdrawn"])
def test_the_real_names_of_unpublished_photos_serve_nothing(client, unpublished, kind):
    for name in stored_names(unpublished[kind]):
        response = client.get(settings.MEDIA_URL + name)
        assert response.status_code == 404, f"{kind} photo served at {name}"
        assert shared_lifetime(response) <= MAX_AGE_SECONDS


def test_an_unpublished_photo_looks_exactly_like_a_missing_one(client, unpublished):
    """The same answer for a draft's photo and for a name nobody ever stored: nothing learned."""
    draft_name = stored_names(unpublished["draft"])[0]
    folder, file_name = draft_name.rsplit("/", 1)
    missing_name = f"{folder}/{'0' * len(file_name.split('.')[0])}.png"
    draft_answer = client.get(settings.MEDIA_URL + draft_name)
    missing_answer = client.get(settings.MEDIA_URL + missing_name)
    assert draft_answer.status_code == missing_answer.status_code == 404
    assert body(draft_answer) == body(missing_answer)
    assert draft_answer.get("Cache-Control") == missing_answer.get("Cache-Control")


def test_stored_names_are_random_and_say_nothing_about_the_release(clock):
    first = with_photo(make_release(LATER, state=ReleaseState.DRAFT))
    second = with_photo(make_release(LATER, state=ReleaseState.DRAFT))
    names = stored_names(first) + stored_names(second)
    assert len(set(names)) == len(names)
    for release in (first, second):
        for name in stored_names(release):
            assert release.reference not in name and release.reference[1:9] not in name
            assert not re.search(r"/0?1\.", name), f"{name} names the photo's position"
            assert re.fullmatch(
                r"photos/[0-9a-f]{2}/[0-9a-f]{32}\.(png|thumb\.webp|page\.webp)", name
            ), name


# -- A scheduled photo appears at its instant, not a second before ---------------------------


def test_a_scheduled_photo_is_served_from_its_issue_instant_on(client, clock):
    release = with_photo(make_release(LATER, state=ReleaseState.SCHEDULED))
    names = stored_names(release)
    clock.move_to(LATER - dt.timedelta(seconds=1), tick=False)
    for name in names:
        response = client.get(settings.MEDIA_URL + name)
        assert response.status_code == 404, f"{name} served a second early"
        # A cache may keep "not found" only until the instant itself.
        assert shared_lifetime(response) <= 1
    clock.move_to(LATER, tick=False)
    for name in names:
        response = client.get(settings.MEDIA_URL + name)
        assert response.status_code == 200, f"{name} not served at its issue instant"
        with release.photos.get().image.storage.open(name) as stored:
            assert body(response) == stored.read()
        assert response["Content-Type"] in ("image/png", "image/webp")


def test_a_photo_answer_is_used_by_no_cache_without_asking_again(client, clock):
    """A withdrawal comes at an unplanned moment: browsers and shared caches alike must
    revalidate before each use (never the old hour), and a revalidation is a cheap 304."""
    published = with_photo(make_release(hong_kong(2023, 11, 3, 9, 0)))
    make_release(NOW + dt.timedelta(seconds=20), state=ReleaseState.SCHEDULED, title="Sample: soon")
    url = settings.MEDIA_URL + stored_names(published)[0]
    response = client.get(url)
    assert response.status_code == 200
    control = {directive.strip() for directive in response["Cache-Control"].split(",")}
    assert control == {"public", "no-cache"}
    assert shared_lifetime(response) == 0
    assert "Expires" not in response or response["Expires"] <= response["Date"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


# -- Withdrawal --------------------------------------------------------------------------------


def test_a_withdrawn_photo_is_gone_and_was_never_cacheable_past_the_withdrawal(
    client, clock, people
):
    release = with_photo(make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: to withdraw"))
    names = stored_names(release)
    page_url = release.get_absolute_url("en")
    before = {name: client.get(settings.MEDIA_URL + name) for name in names}
    for response in before.values():
        assert response.status_code == 200
        # Every cache must ask again before each use.
        assert "no-cache" in response["Cache-Control"] and shared_lifetime(response) == 0
    assert names[0] in client.get(page_url).content.decode()

    clock.move_to(NOW + dt.timedelta(seconds=5), tick=False)
    withdraw(release, people["editor"])
    for name, response in before.items():
        assert client.get(settings.MEDIA_URL + name).status_code == 404
        # A browser revalidating its copy learns that it is gone, not that it is still good.
        validators = {"HTTP_IF_NONE_MATCH": response["ETag"]} if response.has_header("ETag") else {}
        if response.has_header("Last-Modified"):
            validators["HTTP_IF_MODIFIED_SINCE"] = response["Last-Modified"]
        assert validators, "a photo answer carries a validator"
        assert client.get(settings.MEDIA_URL + name, **validators).status_code == 404
    page = client.get(page_url).content.decode()
    assert "This press release has been withdrawn." in page
    assert "/media/" not in page and not any(name in page for name in names)


# -- The desk and preview links ------------------------------------------------------------------


def desk_url(name: str) -> str:
    return f"/desk/media/{name}"


def test_the_desk_sees_unpublished_photos_of_releases_it_may_open(
    client, people, sample_department
):
    release = draft(people["writer"], sample_department)
    add_photos(release, ["Sample: a draft photo"], with_images=1)
    for who in ("writer", "approver", "editor"):
        client.force_login(people[who])
        for name in stored_names(release):
            response = client.get(desk_url(name))
            assert response.status_code == 200, f"{who} cannot see {name}"
            assert response["Cache-Control"] == "private, no-store"
    client.logout()


@pytest.mark.parametrize("who", ["anonymous", "other_writer", "other_approver"])
def test_the_desk_route_refuses_who_may_not_open_the_release(
    client, people, sample_department, who
):
    release = draft(people["writer"], sample_department)
    add_photos(release, ["Sample: a draft photo"], with_images=1)
    if who != "anonymous":
        client.force_login(people[who])
    for name in stored_names(release):
        response = client.get(desk_url(name))
        assert response.status_code in (403, 404), f"{who} got {name}: {response.status_code}"
        assert not body(response).startswith(b"\x89PNG") and b"WEBP" not in body(response)[:16]


def test_administrators_see_photos_where_the_admin_shows_them(client, people, sample_department):
    """The admin shows a release's photos to administrators (who may view them there, not on
    the desk): its thumbnails go through the same authorised route."""
    release = draft(people["writer"], sample_department)
    add_photos(release, ["Sample: a draft photo"], with_images=1)
    client.force_login(people["admin"])
    page = client.get(f"/admin/releases/release/{release.pk}/change/").content.decode()
    sources = [
        src for src in re.findall(r'<img src="([^"]+)"', page) if not src.startswith("/static/")
    ]
    assert sources and all(source.startswith("/desk/media/") for source in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200
    assert f'"{settings.MEDIA_URL}{stored_names(release)[0]}"' not in page


def make_link(client, people, release, hours=48) -> str:
    client.force_login(people["editor"])
    response = client.post(f"/desk/r/{release.pk}/share/", {"hours": hours}, follow=True)
    match = re.search(r"http://testserver(/desk/shared/[A-Za-z0-9_-]+/)", response.content.decode())
    assert match, response.content.decode()
    client.logout()
    return match.group(1)


def test_a_preview_link_shows_the_photos_and_an_expired_one_does_not(
    client, people, sample_department, time_machine
):
    release = draft(people["writer"], sample_department)
    add_photos(release, ["Sample: a draft photo"], with_images=1)
    link = make_link(client, people, release, hours=1)
    page = client.get(link).content.decode()
    sources = re.findall(r'<img src="([^"]+)"', page) + re.findall(
        r'class="photo-link" href="([^"]+)"', page
    )
    assert len(sources) == 2
    for source in sources:
        assert source.startswith(link + "media/"), source
        response = client.get(source)
        assert response.status_code == 200, source
        assert response["Cache-Control"] == "private, no-store"
    assert "/media/" not in page.replace(link + "media/", "")
    # Another release's link does not open this one's photos.
    other = draft(people["writer"], sample_department)
    other_link = make_link(client, people, other)
    assert client.get(other_link + "media/" + stored_names(release)[0]).status_code == 404
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
    for source in sources:
        assert client.get(source).status_code == 404


def test_the_desk_preview_shows_its_photo(client, people, sample_department):
    """The desk's preview of a release with a photo showed a broken image."""
    release = draft(people["writer"], sample_department)
    add_photos(release, ["Sample: a draft photo"], with_images=1)
    client.force_login(people["writer"])
    page = client.get(f"/desk/r/{release.pk}/preview/en/").content.decode()
    sources = re.findall(r'<img src="([^"]*)"', page) + re.findall(
        r'class="photo-link" href="([^"]*)"', page
    )
    assert len(sources) == 2 and all(sources), page
    for source in sources:
        assert source.startswith("/desk/media/")
        assert client.get(source).status_code == 200
    compose = client.get(f"/desk/r/{release.pk}/").content.decode()
    thumbnails = re.findall(r'<img src="([^"]*)"', compose)
    assert thumbnails and all(client.get(source).status_code == 200 for source in thumbnails)
    assert 'src="/media/' not in compose and 'src="/media/' not in page


# -- Public outputs list public addresses that work ----------------------------------------------


def test_public_outputs_give_addresses_that_answer(client, clock):
    release = with_photo(make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: with a photo"))
    page = client.get(release.get_absolute_url("en")).content.decode()
    larger = re.findall(r'class="photo-link" href="([^"]+)"', page)
    shown = re.findall(r'<img src="([^"]+)"', page)
    assert larger == [settings.MEDIA_URL + stored_names(release)[0]]
    assert shown == [settings.MEDIA_URL + stored_names(release)[2]]
    feed = client.get("/en/feeds/releases.rss").content.decode()
    base = settings.PRESSROOM_BASE_URL
    enclosures = re.findall(r'<enclosure [^>]*url="([^"]+)"', feed)
    ninjs = client.get(f"/api/v1/releases/{release.reference}?lang=en")
    assert ninjs.status_code == 200
    hrefs = [
        rendition["href"]
        for association in ninjs.json()["associations"]
        for rendition in association.get("renditions", [])
    ]
    assert enclosures and hrefs
    for url in [*larger, *shown, *(u.removeprefix(base) for u in enclosures + hrefs)]:
        assert client.get(url).status_code == 200, url


# -- Paths that try to leave the media folder ----------------------------------------------------


TRAVERSALS = [
    "../secret_key",
    "..%2fsecret_key",
    "%2e%2e/secret_key",
    "photos/../../secret_key",
    "photos/ab/..%2f..%2f..%2fsecret_key",
    "photos/%2e%2e/%2e%2e/secret_key",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "photos\\..\\..\\secret_key",
    "photos/ab/0123456789abcdef0123456789abcdef.png%00.txt",
    "photos/ab/0123456789abcdef0123456789abcdef.png/../../../secret_key",
]


@pytest.mark.parametrize("attempt", TRAVERSALS)
def test_no_path_leaves_the_media_folder(
    client, people, sample_department, settings, tmp_path, attempt
):
    secret = b"sample-secret-that-must-never-be-served"
    (tmp_path / "secret_key").write_bytes(secret)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "secret_key").write_bytes(secret)
    release = draft(people["writer"], sample_department)
    add_photos(release, ["Sample: a draft photo"], with_images=1)
    link = make_link(client, people, release)
    client.force_login(people["editor"])
    for prefix in ("/media/", "/desk/media/", link + "media/"):
        response = client.get(prefix + attempt)
        assert response.status_code in (400, 404), f"{prefix}{attempt}: {response.status_code}"
        assert secret not in body(response)


# -- With nginx in front: the app decides, nginx sends the bytes ---------------------------------


def test_with_nginx_the_app_answers_with_an_internal_redirect(
    client, clock, people, sample_department, settings
):
    settings.PRESSROOM_MEDIA_SENDER = "nginx"
    published = with_photo(make_release(hong_kong(2023, 11, 3, 9, 0)))
    name = stored_names(published)[2]
    response = client.get(settings.MEDIA_URL + name)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/internal-media/" + name
    assert response.content == b""
    assert response["Content-Type"] == "image/webp"
    assert "no-cache" in response["Cache-Control"]
    hidden = with_photo(make_release(LATER, state=ReleaseState.SCHEDULED))
    refused = client.get(settings.MEDIA_URL + stored_names(hidden)[0])
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
    client.force_login(people["editor"])
    desk = client.get(desk_url(stored_names(hidden)[0]))
    assert desk["X-Accel-Redirect"] == "/internal-media/" + stored_names(hidden)[0]
    assert desk["Cache-Control"] == "private, no-store"
