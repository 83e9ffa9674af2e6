"""Edge copies (pressroom.edge): the files the web processes leave for nginx, one folder per
second. A file must hold only what the app answered in that second, only for a page the
micro-cache could keep to the end of it, and only with the headers nginx sends it with."""

from __future__ import annotations

import datetime as dt
import math
import os

import pytest

from pressroom import edge
from tests.frontdoor.wsgi import Door
from tests.site.factories import FOUR_PM, hong_kong, morning_and_four_pm


def at(year, month, day, hour, minute, second, microsecond) -> dt.datetime:
    return hong_kong(year, month, day, hour, minute, second) + dt.timedelta(
        microseconds=microsecond
    )


@pytest.fixture
def edge_settings(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.PRESSROOM_EDGE_COPIES = True
    settings.PRESSROOM_MICROCACHE_SECONDS = 1
    return tmp_path / "edge"


@pytest.fixture
def door(edge_settings):
    with Door() as running:
        yield running


def copy_at(root, when, path="/en/"):
    return (
        root
        / str(math.floor(when.timestamp()))
        / "http"
        / "127.0.0.1"
        / path.lstrip("/")
        / "index.html"
    )


def test_a_page_answered_leaves_its_file_for_that_second(door, edge_settings, time_machine, db):
    morning, _ = morning_and_four_pm(time_machine, clock_at=at(2023, 11, 3, 15, 59, 57, 300_000))
    now = at(2023, 11, 3, 15, 59, 57, 300_000)
    for path in ("/en/", morning.get_absolute_url("en")):
        through_django = door.get(path)
        assert through_django.status == "200 OK"
        assert copy_at(edge_settings, now, path).read_bytes() == through_django.body
    # The next second: the door answers (Django does not run) and writes that second's copy.
    time_machine.move_to(at(2023, 11, 3, 15, 59, 58, 100_000), tick=False)
    requests = door.django_requests
    at_the_door = door.get("/en/")
    assert door.django_requests == requests
    later = hong_kong(2023, 11, 3, 15, 59, 58)
    assert copy_at(edge_settings, later).read_bytes() == at_the_door.body


def test_no_file_ever_holds_a_release_before_its_instant(door, edge_settings, time_machine, db):
    """The second before 16:00:00 has its copy (kept to 16:00:00, as X-Accel-Expires says),
    without the four o'clock release; the copy of 16:00:00 has it."""
    _, due = morning_and_four_pm(time_machine, clock_at=at(2023, 11, 3, 15, 59, 59, 600_000))
    before = door.get("/en/")
    assert before.headers["X-Accel-Expires"] == f"@{math.floor(FOUR_PM.timestamp()) - 1}"
    last_second = copy_at(edge_settings, hong_kong(2023, 11, 3, 15, 59, 59))
    assert "Sample: at four" not in last_second.read_text()
    assert not copy_at(edge_settings, FOUR_PM, due.get_absolute_url("en")).exists()
    time_machine.move_to(at(2023, 11, 3, 16, 0, 0, 50_000), tick=False)
    after = door.get("/en/")
    assert "Sample: at four" in after.text
    assert "Sample: at four" in copy_at(edge_settings, FOUR_PM).read_text()
    assert "Sample: at four" not in last_second.read_text()  # the old second's file is untouched


def test_only_pages_any_reader_may_share_are_written(door, edge_settings, time_machine, db):
    morning_and_four_pm(time_machine, clock_at=hong_kong(2023, 11, 3, 15, 59, 57))
    door.get("/en/", QUERY_STRING="page=1")
    door.get("/en/", HTTP_COOKIE="sessionid=someone")
    door.get("/en/feeds/releases.rss")  # not HTML: the micro-cache keeps it, with its own headers
    door.get("/en/", HTTP_HOST="evil.example")  # refused by ALLOWED_HOSTS: never kept
    written = (
        [path for path in edge_settings.rglob("*") if path.is_file()]
        if edge_settings.exists()
        else []
    )
    assert written == []


def test_nothing_is_written_with_edge_copies_off(settings, tmp_path, time_machine, db):
    settings.DATA_DIR = tmp_path
    settings.PRESSROOM_EDGE_COPIES = False
    morning_and_four_pm(time_machine, clock_at=hong_kong(2023, 11, 3, 15, 59, 57))
    with Door() as door:
        assert door.get("/en/").status == "200 OK"
    assert not (tmp_path / "edge").exists()


def test_the_app_sends_exactly_the_headers_nginx_gives_the_files(door, time_machine, db):
    """If the app's headers on a public page change (a new security header, another policy),
    the rendered nginx.conf must change with them (pressroom.edge.edge_headers): until then no
    page is written at all, and this test says why."""
    morning_and_four_pm(time_machine, clock_at=hong_kong(2023, 11, 3, 15, 59, 57))
    answer = door.get("/en/")
    assert edge.has_edge_headers(list(answer.headers.items())), answer.headers


def test_a_page_with_other_headers_is_not_written(edge_settings, time_machine):
    time_machine.move_to(at(2023, 11, 3, 12, 0, 0, 500_000), tick=False)
    second = math.floor(hong_kong(2023, 11, 3, 12, 0, 0).timestamp())
    copies = edge.EdgeCopies(edge_settings)
    kept = [("Content-Type", edge.HTML), ("X-Accel-Expires", f"@{second}"), *edge.edge_headers()]
    assert not copies.offer("http/h/a/index.html", [*kept, ("Link", "</x>; rel=preload")], b"a")
    assert not copies.offer(
        "http/h/b/index.html", [("Content-Type", "application/json"), *kept[1:]], b"b"
    )
    policy = [(n, v + "; script-src *" if n == "Content-Security-Policy" else v) for n, v in kept]
    assert not copies.offer("http/h/c/index.html", policy, b"c")
    # Kept only to the second before: an instant falls within this one.
    assert not copies.offer(
        "http/h/d/index.html", [*kept[:1], ("X-Accel-Expires", f"@{second - 1}"), *kept[2:]], b"d"
    )
    assert not copies.offer(
        "http/h/e/index.html", [kept[0], *kept[2:]], b"e"
    )  # not to be kept at all
    assert copies.offer("http/h/f/index.html", kept, b"f")
    assert not copies.offer("http/h/f/index.html", kept, b"f again")  # once a second
    assert [p.name for p in (edge_settings / str(second)).rglob("*") if p.is_file()] == [
        "index.html"
    ]


@pytest.mark.parametrize(
    "scheme, host, path, expected",
    [
        ("http", "127.0.0.1:8000", "/en/", "http/127.0.0.1/en/index.html"),
        (
            "https",
            "Press.Example.ORG",
            "/zh-hant/2023/11/03/",
            "https/press.example.org/zh-hant/2023/11/03/index.html",
        ),
        ("http", "127.0.0.1", "/en/feed.xml", None),  # a file name nginx never looks for
        ("http", "127.0.0.1", "/en/../secret/", None),
        ("http", "127.0.0.1", "/en/./", None),
        ("http", "[::1]:8000", "/en/", None),
        ("http", "../..", "/en/", None),
        ("ftp", "127.0.0.1", "/en/", None),
        ("http", "127.0.0.1", "/en/a b/", None),
    ],
)
def test_where_a_copy_goes(tmp_path, scheme, host, path, expected):
    assert edge.EdgeCopies(tmp_path).relative_path(scheme, host, path) == expected


def test_folders_of_past_seconds_are_removed(edge_settings, time_machine):
    copies = edge.EdgeCopies(edge_settings)
    kept_headers = [("Content-Type", edge.HTML), *edge.edge_headers()]
    for offset in range(8):
        time_machine.move_to(at(2023, 11, 3, 12, 0, offset, 200_000), tick=False)
        second = math.floor(hong_kong(2023, 11, 3, 12, 0, offset).timestamp())
        assert copies.offer(
            "http/h/en/index.html", [*kept_headers, ("X-Accel-Expires", f"@{second}")], b"x"
        )
    left = sorted(int(name) for name in os.listdir(edge_settings))
    assert left == list(range(second - 3, second + 1))


def test_a_folder_that_cannot_be_written_costs_only_the_copy(edge_settings, time_machine, caplog):
    edge_settings.parent.mkdir(parents=True, exist_ok=True)
    edge_settings.write_text("a file where the folder should be")
    time_machine.move_to(at(2023, 11, 3, 12, 0, 0, 200_000), tick=False)
    second = math.floor(hong_kong(2023, 11, 3, 12, 0, 0).timestamp())
    headers = [("Content-Type", edge.HTML), ("X-Accel-Expires", f"@{second}"), *edge.edge_headers()]
    assert edge.EdgeCopies(edge_settings).offer("http/h/en/index.html", headers, b"x") is False
    assert "edge copies not written" in caplog.text
