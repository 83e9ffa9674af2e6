"""Smaller copies of a photo for the desk's thumbnails and for pages, made with Pillow.

Renditions sit beside the original with a fixed name (`01.thumb.webp`, `01.page.webp`), so no
table has to track them: a photo's renditions are found from its image name.
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


def rendition_url(photo, rendition: str) -> str | None:
    """The rendition's URL, or the original's when the rendition was never made."""
    if not photo.image:
        return None
    name = rendition_name(photo.image.name, rendition)
    storage = photo.image.storage
    return storage.url(name) if storage.exists(name) else photo.image.url
