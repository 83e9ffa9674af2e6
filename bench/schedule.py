"""Schedule fictional sample releases through the workflow actions, as the desk would.

    python -m bench.schedule --at 2026-01-01T16:00:05+08:00 [--at ...] [--photo]
    python -m bench.schedule --in 5 [--photo]

Run with the environment of the installation to write to (DATABASE_URL, PRESSROOM_DATA_DIR).
Each release goes draft -> submitted -> approved -> scheduled by duty editors (one writes,
submits and schedules it, a second approves it: the four-eyes rule), so its distribution
events and audit entries are the real ones. `--in SECONDS` schedules one release for the first
whole second at least that long after the command has started up and is about to write it,
so that a test's lead before the instant does not depend on how long starting Python and
Django took. Prints one JSON line per release:
reference, issue instant (UTC ISO), English title and page address; with --photo, each release
has a photo (uploaded as the desk does), and the line gives the public addresses of its files
(original, then each rendition), which answer from the issue instant on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import secrets
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()


def bench_editors():
    """Two duty editors for the benchmarks, the writer and the approver (created once, with
    random passwords nobody needs), and their department."""
    from django.contrib.auth import get_user_model

    from pressroom.workflow.people import add_department, add_user
    from pressroom.workflow.roles import Role

    department, _ = add_department("bench", "Sample Benchmark Department", "樣本基準部門")
    editors = []
    for username in ("bench-editor", "bench-approver"):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = add_user(username, Role.EDITOR, None, secrets.token_urlsafe(24))
        editors.append(user)
    return editors[0], editors[1], department


def sample_photo(serial: int):
    """A small fictional photo as a browser would upload it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (30 + serial % 200, 90, 140)).save(buffer, format="JPEG")
    return SimpleUploadedFile(f"sample-{serial}.jpg", buffer.getvalue(), "image/jpeg")


def schedule_release(
    user, approver, department, issue_instant: dt.datetime, serial: int, photo: bool = False
) -> dict:
    from pressroom.media.links import public_url
    from pressroom.media.renditions import RENDITIONS
    from pressroom.workflow.actions import MOVE_ACTIONS, AttachPhoto, create_release
    from pressroom.workflow.content import LanguageContent, ReleaseContent

    title = f"Sample: scheduled benchmark release {serial} at {issue_instant:%H:%M:%S}"
    content = ReleaseContent(
        languages={
            "en": LanguageContent(
                title=title,
                body="The Sample Benchmark Department issued this fictional sample release "
                "to measure how soon a scheduled release becomes visible.",
            ),
            "zh-Hant": LanguageContent(
                title=f"樣本：基準測試稿件 {serial}", body="樣本基準部門發出這份虛構的樣本新聞稿。"
            ),
        }
    )
    release = create_release(user, department, content)
    if photo:
        AttachPhoto(release, user, upload=sample_photo(serial)).execute()
        release.refresh_from_db()
    for move, person in (("submit", user), ("approve", approver)):
        MOVE_ACTIONS[move](release, person).execute()
        release.refresh_from_db()
    MOVE_ACTIONS["schedule"](release, user, issue_instant=issue_instant).execute()
    release.refresh_from_db()
    scheduled = {
        "reference": release.reference,
        "issue_instant": release.issue_instant.astimezone(dt.UTC).isoformat(),
        "title": title,
        "url": release.get_absolute_url("en"),
    }
    if photo:
        stored = release.photos.get()
        scheduled["photo_urls"] = [public_url(stored), *(public_url(stored, r) for r in RENDITIONS)]
    return scheduled


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--at", action="append", help="ISO instant with zone")
    when.add_argument(
        "--in", dest="lead", type=float, help="seconds from now, once started up (one release)"
    )
    parser.add_argument("--photo", action="store_true", help="give each release a photo")
    args = parser.parse_args(argv)
    instants = []
    for text in args.at or []:
        instant = dt.datetime.fromisoformat(text)
        if instant.tzinfo is None:
            sys.exit(f"--at {text!r}: give the zone, e.g. +08:00 or Z")
        instants.append(instant)
    _setup_django()
    user, approver, department = bench_editors()
    if args.lead is not None:
        first = math.ceil(dt.datetime.now(dt.UTC).timestamp() + args.lead)
        instants = [dt.datetime.fromtimestamp(first, dt.UTC)]
    for serial, instant in enumerate(instants, 1):
        scheduled = schedule_release(user, approver, department, instant, serial, args.photo)
        print(json.dumps(scheduled), flush=True)


if __name__ == "__main__":
    main()
