"""The webhook body: the release's ninjs document (pressroom.api.ninjs), as exact bytes.

Where it goes beyond `release_to_ninjs`:
- An embargoed copy carries `embargoed` (the lift instant, Hong Kong time with its offset):
  ninjs 2.2's own property for "the date and time before which all versions of the news object
  are embargoed".
- A recall (an embargoed copy pulled back before its instant) is the same document with
  `pubstatus` "canceled" and an `ednote` saying so.
- The language is the endpoint's; a release without that version is sent in its first language.

Webhooks sign exactly the bytes they send, so this returns bytes (compact UTF-8 JSON).
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings

from pressroom.api.ninjs import release_to_ninjs
from pressroom.releases.models import HONG_KONG, Release

RECALL_NOTE = "Recalled: this embargoed release will not be issued at the stated time; do not use."


def webhook_body(
    release: Release,
    language: str,
    *,
    embargo_lifts_at: dt.datetime | None = None,
    recalled: bool = False,
) -> bytes:
    if release.version(language) is None:
        language = release.default_language()
    document = release_to_ninjs(release, language, settings.PRESSROOM_BASE_URL)
    if embargo_lifts_at is not None:
        document["embargoed"] = embargo_lifts_at.astimezone(HONG_KONG).isoformat()
    if recalled:
        document["pubstatus"] = "canceled"
        document["ednote"] = RECALL_NOTE
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
