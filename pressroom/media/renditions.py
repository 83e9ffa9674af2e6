"""Smaller copies of a photo for the desk's thumbnails and for pages, made with Pillow.

Renditions sit beside the original, named after it (`<random>.thumb.webp`, `<random>.page.webp`,
see pressroom.media.names), so no table has to track them: a photo's renditions are found from
its image name, and are sent under the same rule as the original (pressroom.media.access).
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image

RENDITIONS = {"thumb": (320, 320), "page": (1200, 1200)}


def rendition_name(image_name: str, rendition: str) -> str:
    stem = image_name.rsplit(".", 1)[0]
    return f"{stem}.{rendition}.webp"


def make_renditions(photo) -> dict[str, str]:
    """(Re)make every rendition of the photo; returns storage names by rendition."""
    storage = photo.image.storage
    made = {}
    with photo.image.open("rb") as handle, Image.open(handle) as original:
        original.load()
        for rendition, box in RENDITIONS.items():
            copy = original.copy()
            copy.thumbnail(box, Image.Resampling.LANCZOS)
            if copy.mode not in ("RGB", "RGBA", "L", "LA"):
                copy = copy.convert("RGBA" if "A" in copy.getbands() else "RGB")
            buffer = io.BytesIO()
            copy.save(buffer, format="WEBP", quality=82)
            name = rendition_name(photo.image.name, rendition)
            if storage.exists(name):
                storage.delete(name)
            made[rendition] = storage.save(name, ContentFile(buffer.getvalue()))
    return made


def rendition_file(photo, rendition: str | None) -> str | None:
    """The stored name of the photo's rendition (None: the original), or of the original when
    that rendition was never made; None while the photo awaits its image."""
    if not photo.image:
        return None
    if rendition is None:
        return photo.image.name
    name = rendition_name(photo.image.name, rendition)
    return name if photo.image.storage.exists(name) else photo.image.name


def delete_with_renditions(storage, name: str) -> None:
    """Delete an original and its renditions (a file already gone is no error)."""
    for each in (name, *(rendition_name(name, rendition) for rendition in RENDITIONS)):
        storage.delete(each)
