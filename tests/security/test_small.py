"""The small doors: odd values at the API's edges, preview lifetimes, request bodies beyond the
limit, HEAD, and metadata hidden in uploaded photos.

Each test is an attack as it was reproduced: a date at the calendar's end in a filter, a cursor
or `since`; a preview link for 10^20 hours; a 10 MB body; HEAD on a read; a JPEG comment. The
answer must be a clear refusal (JSON naming the parameter, for the API), never a 500 or HTML.
(`pressroom serve`'s workers dying with it is tested with the command, in tests/core/test_cli.py.)
"""

from __future__ import annotations

import base64
import io
import json
import struct

import pytest
from django.test import override_settings
from PIL import Image, ImageCms, PngImagePlugin

from pressroom.api.app import api
from pressroom.api.tokens import issue_token
from pressroom.desk.models import PreviewLink
from pressroom.media.uploads import clean_upload
from pressroom.workflow import actions
from tests.support.clock import hong_kong
from tests.support.factories import draft, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(clock):
    return make_release(hong_kong(2023, 11, 3, 9, 0), reference="P2023110300001")


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)[1]}"}


def cursor(*parts) -> str:
    """A cursor as the API writes them, holding whatever a client put in it."""
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def assert_json_error(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    for word in words:
        assert word in body["detail"], body
    return body


# --- Dates and other values at Python's limits ----------------------------------------------

OUT_OF_SPAN_DAYS = ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"]
DAY_PARAMETERS = [
    ("/api/v1/releases", "from"),
    ("/api/v1/releases", "to"),
    ("/api/v1/search", "from"),
    ("/api/v1/search", "to"),
]


@pytest.mark.parametrize("day", OUT_OF_SPAN_DAYS)
@pytest.mark.parametrize(("path", "parameter"), DAY_PARAMETERS)
def test_a_day_outside_the_archive_span_is_a_422_naming_the_parameter(
    client, published, path, parameter, day
):
    response = client.get(path, {parameter: day})
    assert_json_error(response, 422, f"query.{parameter}", "1900-01-01", "2200-12-31")


@pytest.mark.parametrize(("path", "parameter"), DAY_PARAMETERS)
def test_the_span_s_own_ends_are_taken(client, published, path, parameter):
    for day in ("1900-01-01", "2200-12-31"):
        assert client.get(path, {parameter: day}).status_code == 200


@pytest.mark.parametrize(
    "since",
    [
        "0001-01-01T00:00:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-12:00",
        "2201-01-01T00:00:00+08:00",
    ],
)
def test_since_outside_the_archive_span_is_a_422_naming_it(client, published, since):
    response = client.get("/api/v1/changes", {"since": since})
    assert_json_error(response, 422, "query.since", "1900-01-01")


BAD_CURSORS = {
    "/api/v1/releases": [
        cursor("0001-01-01T00:00:00+08:00", "P2023110300001"),
        cursor("9999-12-31T23:59:59-12:00", "P2023110300001"),
        cursor("2023-11-03T09:00:00+08:00", "P\u0000"),
        cursor("2023-11-03T09:00:00+08:00", "P" * 100),
    ],
    "/api/v1/changes": [
        cursor("0001-01-01T00:00:00+08:00", "P2023110300001", 0),
        cursor("9999-12-31T23:59:59-12:00", "P2023110300001", 2),
        cursor("2023-11-03T09:00:00+08:00", "P\u0000", 0),
        cursor("2023-11-03T09:00:00+08:00", "P2023110300001", 10**30),
    ],
}


@pytest.mark.parametrize(
    ("path", "value"), [(p, v) for p, values in BAD_CURSORS.items() for v in values]
)
def test_a_forged_cursor_is_a_422_naming_the_cursor(client, published, path, value):
    assert_json_error(client.get(path, {"cursor": value}), 422, "cursor")


def test_cursors_the_api_gives_out_still_work(client, clock):
    for day in (1, 2, 3):
        make_release(hong_kong(2023, 11, day, 9, 0))
    first = client.get("/api/v1/releases", {"limit": 1}).json()
    second = client.get("/api/v1/releases", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert second["items"][0]["reference"] != first["items"][0]["reference"]
    # With no events, the changes feed hands out a cursor "after everything at this instant".
    empty = client.get("/api/v1/changes").json()
    assert client.get("/api/v1/changes", {"cursor": empty["next_cursor"]}).status_code == 200


@pytest.fixture
def approved(people, sample_department, clock):
    release = draft(people["writer"], sample_department)
    actions.SubmitRelease(release, people["writer"]).execute()
    actions.ApproveRelease(release, people["approver"]).execute()
    return release


@pytest.mark.parametrize(
    "instant",
    ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-12:00", "2500-01-01T09:00:00+08:00"],
)
def test_scheduling_outside_the_archive_span_is_a_422_naming_the_field(
    client, people, approved, instant
):
    response = client.post(
        f"/api/v1/releases/{approved.reference}/schedule",
        {"issue_instant": instant},
        content_type="application/json",
        **bearer(people["editor"]),
    )
    assert_json_error(response, 422, "issue_instant", "2200-12-31")
    approved.refresh_from_db()
    assert approved.state == "approved"


def test_a_revision_beyond_any_integer_is_a_422(client, people, sample_department, clock):
    release = draft(people["writer"], sample_department)
    response = client.patch(
        f"/api/v1/releases/{release.reference}",
        {"revision": 10**30, "en": {"title": "Sample: new title"}},
        content_type="application/json",
        **bearer(people["writer"]),
    )
    assert response.status_code in (409, 422), response.content
    assert response["Content-Type"].startswith("application/json")


# --- Preview links ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hours", [str(10**20), "0", "-5", "337", "1e9", pytest.param("9" * 5000, id="5000 digits")]
)
def test_a_preview_lifetime_outside_one_hour_to_14_days_is_refused_in_words(
    client, people, sample_department, hours
):
    release = draft(people["writer"], sample_department)
    client.force_login(people["editor"])
    response = client.post(f"/desk/r/{release.pk}/share/", {"hours": hours}, follow=True)
    assert response.status_code == 200
    assert "between 1 and 336 hours" in response.content.decode()
    assert not PreviewLink.objects.exists()


# --- Every API answer is JSON -------------------------------------------------------------


def test_a_body_over_the_limit_is_a_413_in_json_naming_the_limit(client, people, settings):
    body = b'{"department": "sample", "en": {"title": "' + b"x" * 10_000_000 + b'"}}'
    response = client.post(
        "/api/v1/releases", body, content_type="application/json", **bearer(people["editor"])
    )
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"
    assert_json_error(response, 413, limit, "bytes")


def test_an_unknown_api_path_is_a_404_in_json_with_the_site_s_headers(client):
    response = client.get("/api/v1/no-such-thing")
    assert_json_error(response, 404, "/api/v1/no-such-thing")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response
    assert_json_error(client.get("/api/v2/releases"), 404)


def test_a_method_the_path_does_not_take_is_a_405_in_json_with_allow(client, published):
    response = client.delete("/api/v1/releases")
    assert_json_error(response, 405, "DELETE")
    assert "GET" in response["Allow"]


@override_settings(ROOT_URLCONF="tests.support.failing_urls")
def test_a_server_error_in_the_api_is_a_500_in_json_without_a_traceback(client):
    client.raise_request_exception = False
    body = assert_json_error(client.get("/api/failing"), 500)
    assert "Traceback" not in json.dumps(body) and "RuntimeError" not in json.dumps(body)
    # The site's own pages keep their HTML error page.
    response = client.get("/failing")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")


# --- HEAD on every read --------------------------------------------------------------------


def read_paths(reference: str) -> list[str]:
    """Every GET operation of the OpenAPI document, with a real reference, and the documents."""
    paths = ["/api/openapi.json", "/api/docs"]
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "get" in operations:
            paths.append(path.replace("{reference}", reference))
    return paths


def test_every_read_answers_head_with_the_headers_of_get(client, published):
    paths = read_paths(published.reference)
    assert len(paths) >= 7
    for path in paths + ["/api/v1/releases/P1999010100001", "/api/v1/releases?limit=0"]:
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == got.status_code, path
        assert head.content == b""
        for header in ("Content-Type", "Content-Length", "ETag", "Cache-Control", "Last-Modified"):
            assert head.get(header) == got.get(header), (path, header)


def test_head_is_not_listed_twice_in_the_openapi_document():
    operation_ids = [
        operation["operationId"]
        for operations in api.get_openapi_schema()["paths"].values()
        for operation in operations.values()
    ]
    assert len(operation_ids) == len(set(operation_ids))


# --- Photo metadata ------------------------------------------------------------------------

SECRET = b"sample-secret-4711"


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str, content_type: str):
        super().__init__(data)
        self.name, self.size, self.content_type = name, len(data), content_type


def picture(mode="RGB") -> Image.Image:
    image = Image.new(mode, (64, 48), (200, 40, 40) if mode == "RGB" else (200, 40, 40, 255))
    image.paste((20, 90, 200) if mode == "RGB" else (20, 90, 200, 128), (0, 0, 32, 48))
    return image


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()  # Make
    exif[0x0110] = "Sample camera"  # Model
    exif[0x8825] = {2: (22.0, 17.0, 0.0)}  # GPS latitude
    return exif


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>'
    + SECRET
    + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def icc_profile() -> bytes:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return profile.tobytes()


def with_jpeg_segment(data: bytes, marker: int, payload: bytes) -> bytes:
    """`data` with one more segment right after the start of image (e.g. APP13 for IPTC)."""
    segment = struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG's segments before its image data."""
    markers, position = [], 2
    while position < len(data):
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: image data follows
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunks.append(data[position + 4 : position + 8])
        position += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 12
    while position < len(data):
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        chunks.append(data[position : position + 4])
        position += 8 + length + (length & 1)
    return chunks


def jpeg_with_everything() -> bytes:
    output = io.BytesIO()
    picture().save(
        output, "JPEG", comment=SECRET, exif=exif_with_gps(), xmp=XMP, icc_profile=icc_profile()
    )
    data = with_jpeg_segment(
        output.getvalue(), 0xED, b"Photoshop 3.0\x008BIM\x04\x04" + SECRET
    )  # IPTC
    return with_jpeg_segment(data, 0xEF, b"Sample vendor " + SECRET)  # APP15


def test_a_jpeg_is_stored_without_comment_exif_xmp_iptc_or_other_segments():
    sent = jpeg_with_everything()
    assert sent.count(SECRET) >= 5 and 0xFE in jpeg_markers(sent)
    stored = clean_upload(Upload(sent, "photo.jpg", "image/jpeg")).data
    assert SECRET not in stored
    # Only the JFIF header, tables, frame and scan: no COM (FE) and no APP1..APP15 (E1..EF).
    assert set(jpeg_markers(stored)) <= {0xD8, 0xE0, 0xDB, 0xC4, 0xC0, 0xC2, 0xDD, 0xDA}
    with Image.open(io.BytesIO(stored)) as image:
        assert (
            "comment" not in image.info
            and "exif" not in image.info
            and "icc_profile" not in image.info
        )
        assert image.getpixel((48, 24))[0] > 150  # still red on the right


def test_a_png_is_stored_without_text_exif_or_profile_chunks():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", SECRET.decode())
    text.add_text("Author", SECRET.decode(), zip=True)
    text.add_itxt("Description", SECRET.decode(), lang="en")
    output = io.BytesIO()
    picture("RGBA").save(
        output, "PNG", pnginfo=text, exif=exif_with_gps(), icc_profile=icc_profile()
    )
    sent = output.getvalue()
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"} <= set(png_chunks(sent))
    stored = clean_upload(Upload(sent, "photo.png", "image/png")).data
    assert SECRET not in stored
    assert set(png_chunks(stored)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    with Image.open(io.BytesIO(stored)) as image:
        assert image.mode == "RGBA" and image.getpixel((10, 10))[3] == 128  # transparency kept


def test_a_webp_is_stored_without_exif_xmp_or_profile_chunks():
    output = io.BytesIO()
    picture().save(output, "WEBP", exif=exif_with_gps(), xmp=XMP, icc_profile=icc_profile())
    sent = output.getvalue()
    assert {b"EXIF", b"XMP ", b"ICCP"} <= set(webp_chunks(sent))
    stored = clean_upload(Upload(sent, "photo.webp", "image/webp")).data
    assert SECRET not in stored
    assert set(webp_chunks(stored)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}


def swapped_primaries_profile() -> bytes:
    """An RGB profile whose red and blue primaries are swapped: its (200, 40, 40) is blue."""
    data = bytearray(icc_profile())
    (count,) = struct.unpack(">I", data[128:132])
    entries = {bytes(data[132 + 12 * n : 136 + 12 * n]): 132 + 12 * n for n in range(count)}
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    data[red + 4 : red + 12], data[blue + 4 : blue + 12] = (
        data[blue + 4 : blue + 12],
        data[red + 4 : red + 12],
    )
    return bytes(data)


def test_a_photo_with_a_colour_profile_is_stored_in_srgb_without_it():
    """Browsers show an untagged photo as sRGB, so a profile's colours are converted, not lost."""
    output = io.BytesIO()
    picture().save(output, "JPEG", quality=95, icc_profile=swapped_primaries_profile())
    stored = clean_upload(Upload(output.getvalue(), "photo.jpg", "image/jpeg")).data
    with Image.open(io.BytesIO(stored)) as image:
        assert "icc_profile" not in image.info
        red_as_tagged = image.getpixel((48, 24))
    assert red_as_tagged[2] > 120 and red_as_tagged[0] < 100  # shown blue, as its profile said
