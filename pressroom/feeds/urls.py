"""Feed, sitemap and discovery addresses, mounted before the site's own.

    /feeds/releases.<fmt>                              every language version of all releases
    /<lang>/feeds/releases.<fmt>                       all releases in one language
    /<lang>/feeds/departments/<code>.<fmt>             one department's
    /<lang>/feeds/categories/<slug>.<fmt>              one category's
    /sitemap.xml, /sitemap-<section>.xml, /sitemap-news.xml

`<fmt>` is rss, atom or json.
"""

from django.urls import path, register_converter

from pressroom.feeds import news_sitemap, sitemaps, views
from pressroom.publiccache.decorators import public_cache
from pressroom.releases.languages import LanguageConverter


class FeedFormatConverter:
    regex = "rss|atom|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FeedFormatConverter, "feed_format")
register_converter(LanguageConverter, "feed_lang")

app_name = "feeds"

urlpatterns = [
    path("feeds/releases.<feed_format:fmt>", views.all_languages_feed, name="all"),
    path("<feed_lang:lang>/feeds/releases.<feed_format:fmt>", views.language_feed, name="language"),
    path(
        "<feed_lang:lang>/feeds/departments/<slug:code>.<feed_format:fmt>",
        views.department_feed,
        name="department",
    ),
    path(
        "<feed_lang:lang>/feeds/categories/<slug:slug>.<feed_format:fmt>",
        views.category_feed,
        name="category",
    ),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-news.xml", news_sitemap.news_sitemap, name="news-sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        public_cache(sitemaps.sitemap_section),
        name="sitemap-section",
    ),
]
