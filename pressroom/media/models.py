"""Photos of a release: ordered, each with a caption and alt text per language."""

from __future__ import annotations

from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.urls import reverse

from pressroom.media.names import new_name
from pressroom.releases import limits
from pressroom.releases.languages import Language
from pressroom.releases.models import Release


def photo_upload_path(photo: Photo, filename: str) -> str:
    """A random name (pressroom.media.names): only the extension comes from the file."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return new_name(extension)


class PhotoFile(ImageFieldFile):
    """A photo's stored file, whose `url` is the desk's media route: wherever a photo's address
    is written without a thought (the admin, a template), it goes through a route that checks
    who asks. Public outputs write the public route, for public releases only, on purpose
    (pressroom.media.links)."""

    @property
    def url(self) -> str:
        self._require_file()
        return reverse("desk:media", kwargs={"name": self.name})


class PhotoImageField(models.ImageField):
    attr_class = PhotoFile


class Photo(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(help_text="1 for the first photo.")
    # Empty while a caption imported from the archive waits for its image file. Indexed: every
    # request for a file finds its photo by this name (pressroom.media.access).
    image = PhotoImageField(
        upload_to=photo_upload_path,
        blank=True,
        width_field="width",
        height_field="height",
        db_index=True,
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["release", "position"]
        constraints = [
            models.UniqueConstraint(fields=["release", "position"], name="one_photo_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.release.reference} photo {self.position}"

    @property
    def awaiting_image(self) -> bool:
        return not self.image

    def text(self, language: str) -> PhotoText | None:
        for text in self.texts.all():
            if text.language == language:
                return text
        return None


class PhotoText(models.Model):
    """A photo's caption and alt text in one language; zh-Hans is derived from zh-Hant by the
    write path (`pressroom.releases.services`), not by saving a row here."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=8, choices=Language.choices)
    # The admin's forms run the validators; pressroom.releases.services checks the same.
    caption = models.TextField(blank=True, validators=[limits.MultiLine(limits.CAPTION_MAX_CHARS)])
    alt_text = models.CharField(max_length=limits.ALT_TEXT_MAX_CHARS, blank=True,
                                validators=[limits.SingleLine(limits.ALT_TEXT_MAX_CHARS)])  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["photo", "language"], name="one_text_per_language")
        ]
