"""A press-release site the stock Wagtail way: a ReleasePage per release (title, issue date and
time, a StreamField of paragraphs, photos as an inline panel) under a ReleaseIndexPage that lists
the day's releases, newest first."""

import datetime as dt
import zoneinfo

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

HONG_KONG = zoneinfo.ZoneInfo("Asia/Hong_Kong")


class ReleaseIndexPage(Page):
    intro = models.CharField(max_length=250, blank=True)
    subpage_types = ["comparison.ReleasePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = dt.datetime.now(HONG_KONG).date()
        context["day"] = today
        context["releases"] = (
            ReleasePage.objects.live()
            .public()
            .child_of(self)
            .filter(date=today)
            .order_by("-issued_at", "-reference")
        )
        return context


class ReleasePage(Page):
    reference = models.CharField(max_length=20, unique=True)
    date = models.DateField(db_index=True)
    issued_at = models.DateTimeField()
    body = StreamField([("paragraph", blocks.TextBlock())], blank=True)
    parent_page_types = ["comparison.ReleaseIndexPage"]


class ReleasePhoto(Orderable):
    page = ParentalKey(ReleasePage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, null=True, blank=True
    )
    caption = models.CharField(max_length=500, blank=True)
