"""The content digest (what "unchanged" is recognised by) keeps its one definition: the
SHA-256 of json.dumps of the whole content, keys sorted, characters as they are. It is now
put together from pieces (the body's JSON made once for storing and digesting); digests
stored by earlier imports must still match."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.importer.documents import StoredText, content_digest, parse_wire
from pressroom.releases.services import stored_json
from pressroom.wire.model import Language
from tests.support.strategies import chinese_releases, english_releases, weather_bulletins


def _digest_as_defined(parsed, images) -> str:
    content = {
        "language": parsed.language.value,
        "kind": parsed.kind.value,
        "title": parsed.title,
        "body": [block.to_dict() for block in parsed.body],
        "issue_date": parsed.issue_date.isoformat(),
        "issue_time": parsed.issue_time.isoformat() if parsed.issue_time else None,
        "captions": list(parsed.captions),
        "videos": list(parsed.videos),
        "images": {
            str(position): hashlib.sha256(path.read_bytes()).hexdigest()
            for position, path in images.items()
        },
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


@settings(max_examples=150, deadline=None)
@given(st.one_of(english_releases(), chinese_releases(), weather_bulletins()))
def test_the_digest_is_the_one_of_the_whole_content(parsed):
    expected = _digest_as_defined(parsed, {})

    assert content_digest(parsed, {}) == expected
    # The body's JSON as the write path stores it, made once for storing and digesting.
    body_json = stored_json([block.to_dict() for block in parsed.body])
    assert content_digest(parsed, {}, body_json=body_json) == expected
    if parsed.language is not Language.ZH_HANS:  # Simplified pages are stored as Traditional
        assert StoredText.of(parsed).ready.body_json == body_json


def test_image_files_are_digested_with_the_text(tmp_path):
    page = Path(__file__).parent / "fixtures" / "pair" / "P2024031500411.txt"
    parsed = parse_wire(page.read_bytes(), str(page))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"sample image bytes")

    assert content_digest(parsed, {1: photo}) == _digest_as_defined(parsed, {1: photo})
    assert content_digest(parsed, {1: photo}) != content_digest(parsed, {})
