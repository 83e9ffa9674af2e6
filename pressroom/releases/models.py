"""Releases, their language versions, departments, categories and reference numbers."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from pressroom.releases import limits, visibility
from pressroom.releases.chinese import to_simplified
from pressroom.releases.languages import Language, url_slug
from pressroom.releases.states import PUBLIC_STATES, ReleaseState  # noqa: F401 (imported from here)
from pressroom.wire.model import Block

HONG_KONG = zoneinfo.ZoneInfo("Asia/Hong_Kong")


class NamedInTwoLanguages(models.Model):
    """A name written in English and Traditional Chinese; Simplified is derived when shown.

    A name is vocabulary, as the site's labels are: converted for display with the same
    converter that derives stored release text (`chinese.to_simplified`), not stored, so a
    renamed department is never shown with a stale Simplified name (decision 0007)."""

    # The admin's forms run the validators; the write paths call pressroom.releases.limits.
    name_en = models.CharField("name (English)", max_length=limits.NAME_MAX_CHARS,
                               validators=[limits.SingleLine(limits.NAME_MAX_CHARS)])  # fmt: skip
    name_zh_hant = models.CharField("name (Traditional Chinese)", max_length=limits.NAME_MAX_CHARS,
                                    validators=[limits.SingleLine(limits.NAME_MAX_CHARS)])  # fmt: skip

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_en

    def name(self, language: str) -> str:
        if language == Language.EN:
            return self.name_en
        if language == Language.ZH_HANS:
            return to_simplified(self.name_zh_hant)
        return self.name_zh_hant


class Department(NamedInTwoLanguages):
    """A bureau or department that issues releases."""

    code = models.SlugField(max_length=32, unique=True, help_text="Short code, e.g. ISD.")

    class Meta:
        ordering = ["name_en"]


class Category(NamedInTwoLanguages):
    slug = models.SlugField(max_length=64, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "categories"


class ReleaseOrigin(models.TextChoices):
    """Who made a release: the desk (and the admin, the API, the demo), or an import."""

    DESK = "desk", "Made on the desk"
    IMPORT = "import", "Imported from an archive"


def is_archive_release(origin: str, state: str) -> bool:
    """Whether an import may change this release: one an import made and nobody on the desk
    has moved since (a correction or withdrawal makes it the desk's). Everything else is the
    desk's, and an import never changes it (issue 22: a wire file once made a scheduled
    release public at once)."""
    return origin == ReleaseOrigin.IMPORT and state == ReleaseState.PUBLISHED


class ReleaseKind(models.TextChoices):
    PRESS_RELEASE = "release", "Press release"
    WEATHER_BULLETIN = "weather", "Weather bulletin"


class ReleaseQuerySet(models.QuerySet):
    def public(self, now: dt.datetime | None = None) -> ReleaseQuerySet:
        """Releases anyone may see at `now`: the one rule every public path goes through."""
        now = timezone.now() if now is None else now
        return self.filter(visibility.public_at(now))

    def issued_on(self, day: dt.date) -> ReleaseQuerySet:
        """Releases whose issue instant falls on `day` in Hong Kong time."""
        start = dt.datetime.combine(day, dt.time.min, tzinfo=HONG_KONG)
        return self.filter(issue_instant__gte=start, issue_instant__lt=start + dt.timedelta(days=1))

    def by_reference(self, reference: str) -> ReleaseQuerySet:
        """A release by its own reference or by a language document's source reference."""
        return self.by_references([reference])

    def by_references(self, references: list[str]) -> ReleaseQuerySet:
        """Releases carrying any of `references`, as their own or a document's source reference.

        The two look-ups run apart, each on its own index: an OR across the two tables (as a
        join or a subquery) made SQLite and PostgreSQL scan every release.
        """
        references = list(references)
        own = Release.objects.filter(reference__in=references).values_list("pk", flat=True)
        documents = ReleaseVersion.objects.filter(source_reference__in=references)
        ids = set(own) | set(documents.values_list("release_id", flat=True))
        return self.filter(pk__in=ids)


class ReferenceCounter(models.Model):
    """The last serial handed out for one day, so references are unique without guessing."""

    day = models.DateField(primary_key=True)
    last_serial = models.PositiveIntegerField(default=0)


def allocate_reference(day: dt.date | None = None) -> str:
    """A new reference: P + the Hong Kong date + a five-digit serial, e.g. P2023110300543."""
    day = day or timezone.localtime(timezone.now(), HONG_KONG).date()
    with transaction.atomic():
        counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(day=day)
        while True:
            counter.last_serial += 1
            reference = f"P{day:%Y%m%d}{counter.last_serial:05d}"
            # Imported releases keep their own references, which may already use a serial.
            if not Release.objects.by_reference(reference).exists():
                break
        counter.save(update_fields=["last_serial"])
    return reference


class Release(models.Model):
    # Unique by a constraint in Meta rather than unique=True: the same check and message, but
    # no second index for LIKE patterns, which nothing asks of a reference (each index is paid
    # for on every insert, an archive load's hundred thousand of them included).
    reference = models.CharField(
        max_length=20,
        help_text="P + the date it was created + a serial, e.g. P2023110300543.",
    )
    kind = models.CharField(
        max_length=16, choices=ReleaseKind.choices, default=ReleaseKind.PRESS_RELEASE
    )
    # Indexed with the issue instant (Meta.indexes), the two every public query asks together.
    state = models.CharField(
        max_length=16, choices=ReleaseState.choices, default=ReleaseState.DRAFT
    )
    issue_instant = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the release is issued (Hong Kong time on screen, UTC in the database). "
        "Nothing shows it before this instant.",
    )
    # The desk's unless an import made it: whatever forgets to say so is protected from imports.
    origin = models.CharField(
        max_length=8, choices=ReleaseOrigin.choices, default=ReleaseOrigin.DESK
    )
    # Some department sites printed no "Issued at" line: the date is known, the minute is not.
    issue_time_stated = models.BooleanField(default=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="releases"
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="releases")
    correction_note = models.TextField(
        blank=True, validators=[limits.MultiLine(limits.NOTE_MAX_CHARS)]
    )
    corrected_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(
        blank=True, validators=[limits.MultiLine(limits.NOTE_MAX_CHARS)]
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: HTTP caching asks for the newest change among public releases on every request.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_instant", "-reference"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="release_reference_unique")
        ]
        indexes = [models.Index(fields=["state", "issue_instant"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def local_issue_instant(self) -> dt.datetime | None:
        if self.issue_instant is None:
            return None
        return timezone.localtime(self.issue_instant, HONG_KONG)

    @property
    def issue_date(self) -> dt.date | None:
        local = self.local_issue_instant
        return local.date() if local else None

    def is_public(self, now: dt.datetime | None = None) -> bool:
        now = timezone.now() if now is None else now
        return visibility.is_public(self.state, self.issue_instant, now)

    @property
    def is_archive_release(self) -> bool:
        return is_archive_release(self.origin, self.state)

    def version(self, language: str) -> ReleaseVersion | None:
        for version in self.versions.all():
            if version.language == language:
                return version
        return None

    def get_absolute_url(self, language: str | None = None) -> str:
        return reverse("site:release", kwargs=self._address(language))

    def get_wire_url(self, language: str | None = None) -> str:
        return reverse("site:release-wire", kwargs=self._address(language))

    def _address(self, language: str | None) -> dict[str, str]:
        """The parts of a public address: language, Hong Kong issue date and reference."""
        day = self.issue_date
        return {
            "lang": url_slug(language or self.default_language()),
            "year": f"{day:%Y}",
            "month": f"{day:%m}",
            "day": f"{day:%d}",
            "reference": self.reference,
        }

    def languages(self) -> list[str]:
        order = [Language.EN, Language.ZH_HANT, Language.ZH_HANS]
        present = {version.language for version in self.versions.all()}
        return [language.value for language in order if language in present]

    def default_language(self) -> str:
        languages = self.languages()
        return languages[0] if languages else Language.EN.value


class ReleaseVersion(models.Model):
    """One language version of a release. zh-Hans is derived from zh-Hant by the write path
    (`pressroom.releases.services`), the one way text is stored: saving a version here derives
    nothing and indexes nothing (docs/decisions/0007-one-write-path.md)."""

    # No index of its own: one_version_per_language (release, language) serves it.
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    language = models.CharField(max_length=8, choices=Language.choices)
    title = models.CharField(max_length=limits.TITLE_MAX_CHARS,
                             validators=[limits.SingleLine(limits.TITLE_MAX_CHARS)])  # fmt: skip
    # The one stored form of the body: a list of wire blocks (`pressroom.wire.model.Block`).
    body = models.JSONField(default=list, blank=True)
    # The reference this language's document carried in the source archive, when it differs
    # from the release's own (the archive gives English and Chinese adjacent references).
    # Indexed in Meta (looked up by equality only: no LIKE-pattern index beside it).
    source_reference = models.CharField(max_length=20, blank=True)
    # A digest of the imported content, so importing the same file again changes nothing.
    source_digest = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["release", "language"]
        constraints = [
            models.UniqueConstraint(fields=["release", "language"], name="one_version_per_language")
        ]
        indexes = [models.Index(fields=["source_reference"], name="version_source_reference")]

    def __str__(self) -> str:
        return f"{self.release.reference} [{self.language}] {self.title}"

    @property
    def blocks(self) -> list[Block]:
        return [Block.from_dict(data) for data in self.body]

    def captions(self) -> list[str]:
        """This language's captions, in photo order ("" where a photo has none)."""
        texts = []
        for photo in self.release.photos.all():
            text = photo.text(self.language)
            texts.append(text.caption if text else "")
        return texts
