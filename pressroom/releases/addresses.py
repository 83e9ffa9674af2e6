"""The public addresses of day and month pages, by the site's URL names, as
`Release.get_absolute_url` gives a release's: every output that links them (pages, sitemaps,
the desk's preview) asks here."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse


def day_url(language: str, day: dt.date) -> str:
    return reverse(
        "site:day",
        kwargs={"lang": language, "year": f"{day:%Y}", "month": f"{day:%m}", "day": f"{day:%d}"},
    )


def month_url(language: str, first_day: dt.date) -> str:
    return reverse(
        "site:month",
        kwargs={"lang": language, "year": f"{first_day:%Y}", "month": f"{first_day:%m}"},
    )
