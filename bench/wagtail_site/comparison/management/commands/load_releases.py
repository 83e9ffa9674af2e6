"""Load Pressroom's export (`pressroom export --all --format jsonl`) as ReleasePages.

    python manage.py load_releases export.jsonl

The pages are written the way Wagtail stores them (a treebeard path under one index page, a
live page row and its ReleasePage row), in bulk: adding 100,000 pages one `add_child` at a
time would take longer than the whole benchmark. The index page becomes the site's root.
"""

import datetime as dt
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from comparison.models import HONG_KONG, ReleaseIndexPage, ReleasePage

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def step(number: int) -> str:
    text = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        text = ALPHABET[digit] + text
    return text


def releases(path):
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            english = row.get("versions", {}).get("en")
            if row.get("reference") and english and row.get("issue_instant"):
                yield row, english


class Command(BaseCommand):
    help = "Load releases exported by Pressroom as ReleasePages under one index page."

    def add_arguments(self, parser):
        parser.add_argument("export")

    @transaction.atomic
    def handle(self, export, **options):
        root = Page.get_first_root_node()
        index = root.add_child(instance=ReleaseIndexPage(title="Press releases", slug="releases"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "127.0.0.1",
                "port": 80,
                "root_page": index,
                "site_name": "Sample",
            },
        )
        page_type = ContentType.objects.get_for_model(ReleasePage)
        locale = Locale.get_default()
        pages, details = [], []
        for number, (row, english) in enumerate(releases(export), 1):
            issued = dt.datetime.fromisoformat(row["issue_instant"])
            slug = slugify(row["reference"])
            pages.append(Page(
                path=index.path + step(number), depth=index.depth + 1, numchild=0,
                title=english["title"], draft_title=english["title"], slug=slug,
                content_type=page_type, live=True, has_unpublished_changes=False,
                url_path=f"{index.url_path}{slug}/", first_published_at=issued,
                last_published_at=issued, locale=locale, translation_key=uuid.uuid4(),
            ))  # fmt: skip
            body = [{"type": "paragraph", "value": block.get("text") or "\n".join(block.get("lines", [])),
                     "id": str(uuid.uuid4())} for block in english.get("body", [])]  # fmt: skip
            details.append(
                (row["reference"], issued.astimezone(HONG_KONG).date(), issued, json.dumps(body))
            )
        created = Page.objects.bulk_create(pages, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ReleasePage._meta.db_table} (page_ptr_id, reference, date, issued_at, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(page.pk, *detail) for page, detail in zip(created, details)],
            )
        Page.objects.filter(pk=index.pk).update(numchild=len(created))
        self.stdout.write(f"{len(created)} release pages under {index.url_path}")
