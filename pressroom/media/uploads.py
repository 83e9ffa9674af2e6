"""Photo uploads: only real JPEG, PNG and WebP images within the size and pixel limits, stored
re-encoded (every kind of metadata gone, orientation applied, colours in sRGB), never as the
bytes sent.

The content decides, not the file name or the browser's content type: a file whose name or type
says one thing while its bytes are another is refused, as are decompression bombs (a small file
that decodes to a huge picture), which are caught from the header before any pixel is decoded.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from pressroom.media.photos import ensure_photos

# Pillow's format name -> the extensions and content types that may honestly claim it.
ALLOWED_FORMATS = {
    "JPEG": ({"jpg", "jpeg"}, {"image/jpeg", "image/pjpeg"}),
    "PNG": ({"png"}, {"image/png", "image/x-png"}),
    "WEBP": ({"webp"}, {"image/webp"}),
}
STORED_EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALLOWED_TEXT = "JPEG, PNG or WebP"


class UploadRefused(ValueError):
    """An upload that is not stored; the message names the file and says why."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return STORED_EXTENSION[self.format]


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def clean_upload(upload) -> CleanImage:
    """Check an uploaded file (Django's UploadedFile or any object with name/size/read) and
    return the image re-encoded without metadata, or raise UploadRefused."""
    name = getattr(upload, "name", None) or "the file"
    max_bytes = settings.PRESSROOM_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRefused(
            f"{name} is {_megabytes(size)}; photos may be at most {_megabytes(max_bytes)}"
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(f"{name} is larger than {_megabytes(max_bytes)}, the limit for photos")
    if not data:
        raise UploadRefused(f"{name} is empty")
    image_format = _check_header(name, data)
    _check_claims(name, image_format, getattr(upload, "content_type", None))
    return _reencode(name, data, image_format)


def _check_header(name: str, data: bytes) -> str:
    max_pixels = settings.PRESSROOM_UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(
            f"{name} decodes to far more pixels than any photo (a decompression bomb)"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRefused(
            f"{name} is not an image Pressroom can read: upload a {ALLOWED_TEXT} file"
        ) from None
    if image_format not in ALLOWED_FORMATS:
        raise UploadRefused(
            f"{name} is a {image_format} image: only {ALLOWED_TEXT} photos are accepted"
        )
    if width * height > max_pixels:
        raise UploadRefused(
            f"{name} is {width} x {height} pixels ({width * height / 1e6:.1f} megapixels); "
            f"the limit is {max_pixels / 1e6:.1f} megapixels"
        )
    return image_format


def _check_claims(name: str, image_format: str, content_type: str | None) -> None:
    extensions, content_types = ALLOWED_FORMATS[image_format]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in extensions:
        raise UploadRefused(
            f"{name} is named as {'.' + extension if extension else 'no image type'} but its content "
            f"is a {image_format} image: rename it .{STORED_EXTENSION[image_format]} if that is right"
        )
    if content_type and content_type.split(";")[0].strip().lower() not in content_types | {
        "application/octet-stream"
    }:
        raise UploadRefused(
            f"{name} was sent as {content_type} but its content is a {image_format} image"
        )


_SRGB = ImageCms.createProfile("sRGB")


def _in_srgb(image: Image.Image) -> Image.Image:
    """The pixels converted from the image's colour profile to sRGB, the colours browsers give
    an image without one: a wide-gamut photo (a phone's Display P3, Adobe RGB) keeps its colours
    although the stored file carries no profile. An unreadable profile is ignored, as browsers
    do."""
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    mode = "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if image.mode not in ("RGB", "RGBA", "CMYK") or "transparency" in image.info:
            image = image.convert(mode)
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _reencode(name: str, data: bytes, image_format: str) -> CleanImage:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = _in_srgb(ImageOps.exif_transpose(image))
    except (OSError, SyntaxError, ValueError) as error:
        raise UploadRefused(f"{name} is damaged and cannot be decoded ({error})") from None
    # Only the pixels go on. Pillow writes some of what it read back out when saving (a JPEG's
    # comment, a PNG's colour profile), so the image forgets all of it but transparency, which
    # is part of the picture: no comment, EXIF (GPS position, camera serial), XMP, IPTC, text
    # chunk or profile reaches the stored file.
    upright.info = {key: value for key, value in upright.info.items() if key == "transparency"}
    output = io.BytesIO()
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(output, format="JPEG", quality=90, optimize=True)
    elif image_format == "PNG":
        upright.save(output, format="PNG", optimize=True)
    else:
        upright.save(output, format="WEBP", quality=90)
    return CleanImage(output.getvalue(), image_format, upright.width, upright.height)


def store_photo(release, position: int, clean: CleanImage):
    """Store a cleaned image as photo `position` of the release, with its renditions, under a
    new random name (pressroom.media.names)."""
    from pressroom.media.renditions import delete_with_renditions, make_renditions

    photo = ensure_photos(release, position)[position - 1]
    replaced = photo.image.name if photo.image else None
    photo.image.save(f"photo.{clean.extension}", ContentFile(clean.data), save=True)
    if replaced and replaced != photo.image.name:
        # The old files go only once the new one is committed.
        storage = photo.image.storage
        transaction.on_commit(lambda: delete_with_renditions(storage, replaced))
    make_renditions(photo)
    return photo


def attach_image(release, position: int, image_file: Path):
    """Store an image file as photo `position` of the release (created if missing).

    The file goes through the same checks and re-encoding as a desk upload (real JPEG, PNG or
    WebP within the limits; metadata stripped; renditions made): an archive is no more trusted
    than a browser. Raises `UploadRefused` with the file's name and the reason.
    Writes into MEDIA_ROOT at once: callers inside a transaction that may roll back delete the
    new `photo.image` themselves if it does.
    """
    with image_file.open("rb") as handle:
        clean = clean_upload(File(handle, name=image_file.name))
    return store_photo(release, position, clean)
