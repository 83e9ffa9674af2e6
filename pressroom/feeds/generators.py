"""How a feed is written: RSS 2.0 with Media RSS, Atom 1.0, and JSON Feed 1.1.

Each generator receives Django's item dictionaries plus `entry`, the `FeedEntry` they were made
from, for what a format can say beyond Django's common fields.

Where they depart from Django's stock generators:
- RSS 2.0 allows one `<enclosure>` per item: the first photo is the enclosure and every photo
  is also a `<media:content>` (Media RSS) with its caption; a corrected or withdrawn item
  carries `<atom:updated>`, RSS having no element for it.
- JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) has no generator in Django: this one
  writes it, with the release reference and state under the `_pressroom` extension object.
"""

from __future__ import annotations

import json

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date

MEDIA_RSS_NAMESPACE = "http://search.yahoo.com/mrss/"


class RssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "enclosures": item["enclosures"][:1]})
        entry = item["entry"]
        if entry.updated != entry.published:
            handler.addQuickElement("atom:updated", rfc3339_date(entry.updated))
        for photo in entry.photos:
            attributes = {
                "url": photo.url,
                "type": photo.mime_type,
                "medium": "image",
                "fileSize": str(photo.size_in_bytes),
            }
            if photo.width and photo.height:
                attributes.update(width=str(photo.width), height=str(photo.height))
            handler.startElement("media:content", attributes)
            if photo.caption:
                handler.addQuickElement("media:description", photo.caption, {"type": "plain"})
            handler.endElement("media:content")


class AtomFeed(Atom1Feed):
    """Django's Atom 1.0 generator: entries keep their id and say when they were updated."""


class JsonFeed(SyndicationFeed):
    content_type = "application/feed+json; charset=utf-8"
    VERSION = "https://jsonfeed.org/version/1.1"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.document(), ensure_ascii=False, indent=1).encode(encoding))

    def document(self) -> dict:
        feed = self.feed
        document = {
            "version": self.VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "authors": [{"name": feed["author_name"]}] if feed.get("author_name") else [],
            "items": [self._item(item) for item in self.items],
        }
        if feed.get("language"):
            document["language"] = feed["language"]
        return {key: value for key, value in document.items() if value not in (None, [])}

    def _item(self, item: dict) -> dict:
        entry = item["entry"]
        document = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html,
            "date_published": rfc3339_date(entry.published),
            "date_modified": rfc3339_date(entry.updated),
            "language": entry.language_tag,
            "tags": entry.tags,
            "authors": [{"name": entry.department_name}] if entry.department_name else [],
            "attachments": [
                {
                    "url": photo.url,
                    "mime_type": photo.mime_type,
                    "size_in_bytes": photo.size_in_bytes,
                    **({"title": photo.caption} if photo.caption else {}),
                }
                for photo in entry.photos
            ],
            "_pressroom": {
                "reference": entry.release.reference,
                "state": entry.state,
                "withdrawn": entry.is_withdrawn,
            },
        }
        if entry.photos:
            document["image"] = entry.photos[0].url
        return {key: value for key, value in document.items() if value not in (None, [])}
