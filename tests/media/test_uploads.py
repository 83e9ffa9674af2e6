"""Photo uploads: only real JPEG, PNG and WebP within the limits; metadata stripped, orientation
applied, renditions made. Refusals say why, naming the file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pressroom.media.renditions import rendition_name
from pressroom.media.uploads import UploadRefused, clean_upload
from pressroom.releases.models import Release
from tests.support.factories import draft

pytestmark = pytest.mark.django_db


def image_bytes(fmt="JPEG", size=(64, 40), color=(200, 30, 30), exif=None) -> bytes:
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_jpeg_is_accepted_and_reencoded():
    clean = clean_upload(upload("harbour.jpg", image_bytes()))
    assert (clean.format, clean.width, clean.height, clean.extension) == ("JPEG", 64, 40, "jpg")


@pytest.mark.parametrize("fmt,name,content_type", [("PNG", "a.png", "image/png"),
                                                   ("WEBP", "a.webp", "image/webp")])  # fmt: skip
def test_png_and_webp_are_accepted(fmt, name, content_type):
    assert clean_upload(upload(name, image_bytes(fmt), content_type)).format == fmt


def test_exif_is_stripped_and_orientation_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    exif[0x010F] = "Sample Camera Maker"
    exif[0x8825] = {2: (22.0, 17.0, 0.0)}  # a GPS position
    data = image_bytes(size=(64, 40), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()[0x0112] == 6
    clean = clean_upload(upload("turned.jpg", data))
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.size == (40, 64)  # upright now
    assert dict(stored.getexif()) == {}
    assert b"Sample Camera Maker" not in clean.data


def test_too_big_is_refused(settings):
    settings.PRESSROOM_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadRefused, match=r"big.jpg is 0.0 MB; photos may be at most"):
        clean_upload(upload("big.jpg", image_bytes(size=(400, 400)) + b"\0" * 2000))


def test_too_many_pixels_is_refused(settings):
    settings.PRESSROOM_UPLOAD_MAX_PIXELS = 10_000
    with pytest.raises(
        UploadRefused, match=r"wide.png is 200 x 100 pixels .* the limit is 0.0 megapixels"
    ):
        clean_upload(upload("wide.png", image_bytes("PNG", size=(200, 100)), "image/png"))


def test_a_decompression_bomb_is_refused_before_decoding():
    # A 1-bit PNG of 30000 x 30000 pixels is a few kilobytes and would decode to 900 megapixels.
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, format="PNG")
    bomb = buffer.getvalue()
    assert len(bomb) < 200_000
    with pytest.raises(UploadRefused, match="decompression bomb|megapixels"):
        clean_upload(upload("bomb.png", bomb, "image/png"))


@pytest.mark.parametrize("name,data", [
    ("notes.jpg", b"These are sample notes, not a picture.\n" * 10),
    ("script.png", b"<script>alert(1)</script>"),
    ("empty.webp", b""),
])  # fmt: skip
def test_not_an_image_is_refused(name, data):
    with pytest.raises(UploadRefused, match=rf"{name} is (not an image|empty)"):
        clean_upload(upload(name, data))


def test_a_gif_is_refused_by_format():
    with pytest.raises(UploadRefused, match="is a GIF image: only JPEG, PNG or WebP"):
        clean_upload(upload("moving.gif", image_bytes("GIF"), "image/gif"))


def test_a_file_lying_about_its_type_is_refused():
    with pytest.raises(
        UploadRefused, match=r"photo.jpg is named as .jpg but its content is a PNG image"
    ):
        clean_upload(upload("photo.jpg", image_bytes("PNG"), "image/jpeg"))
    with pytest.raises(UploadRefused, match=r"sent as image/png but its content is a JPEG"):
        clean_upload(upload("photo.jpg", image_bytes("JPEG"), "image/png"))


def test_a_truncated_image_is_refused():
    data = image_bytes(size=(300, 300))
    with pytest.raises(UploadRefused, match="damaged|not an image"):
        clean_upload(upload("cut.jpg", data[: len(data) // 3]))


def test_desk_upload_stores_clean_photo_with_renditions(
    client, people, sample_department, settings
):
    release = draft(people["writer"], sample_department)
    client.force_login(people["writer"])
    response = client.post(
        f"/desk/r/{release.pk}/photos/",
        {"image": upload("stage.jpg", image_bytes(size=(1600, 900))), "base_revision": "1"},
        follow=True,
    )
    assert "Photo added" in response.content.decode()
    photo = Release.objects.get(pk=release.pk).photos.get()
    assert (photo.width, photo.height) == (1600, 900)
    storage = photo.image.storage
    with storage.open(rendition_name(photo.image.name, "thumb")) as thumb:
        assert max(Image.open(thumb).size) == 320
    with storage.open(rendition_name(photo.image.name, "page")) as page:
        assert Image.open(page).size == (1200, 675)
    assert release.audit_entries.filter(action="photo").exists()


def test_desk_upload_refusal_is_shown(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    client.force_login(people["writer"])
    response = client.post(f"/desk/r/{release.pk}/photos/",
                           {"image": upload("notes.jpg", b"not a picture at all")}, follow=True)  # fmt: skip
    assert "Photo not added: notes.jpg is not an image" in response.content.decode()
    assert not release.photos.exists()
