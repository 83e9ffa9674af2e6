"""The shipped nginx configuration: rendered by `pressroom nginxconf`, accepted by `nginx -t`,
and the example in deploy/ is what the template renders."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command

from pressroom.ops.nginx import example, render
from tests.support.environment import IN_CI, REPO_ROOT


def nginx() -> str:
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if binary is None:
        if IN_CI:
            pytest.fail("nginx is not installed (.ci/run installs Debian's nginx)")
        pytest.skip("nginx is not installed")
    return binary


def test_deploy_example_is_what_the_template_renders():
    shipped = (REPO_ROOT / "deploy" / "pressroom.nginx.conf").read_text()
    assert shipped == render(example()), (
        "re-render it: python -m pressroom.ops.nginx > deploy/pressroom.nginx.conf"
    )


def test_standalone_configuration_passes_nginx_check(tmp_path, settings, capsys):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("nginxconf", "--standalone", str(tmp_path / "nginx"), "--listen",
                 "127.0.0.1:18081", "--upstream", "127.0.0.1:18082",
                 "--upstream", "127.0.0.1:18083", "-o", str(tmp_path / "nginx.conf"))  # fmt: skip
    text = (tmp_path / "nginx.conf").read_text()
    assert "server 127.0.0.1:18082" in text and "server 127.0.0.1:18083" in text
    assert f"alias {tmp_path / 'static'}/;" in text
    (tmp_path / "nginx").mkdir()
    checked = subprocess.run(
        [nginx(), "-t", "-p", str(tmp_path / "nginx"), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "nginx" / "error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


def test_http_context_file_for_conf_d_has_no_main_blocks(capsys):
    call_command("nginxconf", "--server-name", "press.example.org")
    text = capsys.readouterr().out
    assert "server_name press.example.org;" in text
    assert "events {" not in text and "pid " not in text


def test_cache_obeys_the_application():
    text = "\n".join(line.split("#")[0] for line in render(example()).splitlines())
    # A stale copy while its successor is fetched, and in place of an error (never of a 404).
    stale = [line.strip() for line in text.splitlines() if "proxy_cache_use_stale" in line]
    assert stale == [
        "proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;"
    ]
    assert "proxy_ignore_headers" not in text
    assert "proxy_cache_revalidate on" not in text
    # The only fallback lifetime is for permanent redirects.
    assert [line.strip() for line in text.splitlines() if "proxy_cache_valid" in line] == [
        "proxy_cache_valid 301 308 10m;"
    ]


def _directives(capsys) -> list[str]:
    call_command("nginxconf")
    return [line.split("#")[0].strip() for line in capsys.readouterr().out.splitlines()]


def test_no_stale_copies_when_the_settings_turn_them_off(capsys, settings):
    settings.PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS = 0
    settings.PRESSROOM_STALE_IF_ERROR = False
    assert not [line for line in _directives(capsys) if "proxy_cache_use_stale" in line]


def test_each_stale_setting_alone(capsys, settings):
    settings.PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS = 0
    assert (
        "proxy_cache_use_stale error timeout http_500 http_502 http_503 http_504;"
        in _directives(capsys)
    )
    settings.PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS = 1
    settings.PRESSROOM_STALE_IF_ERROR = False
    assert "proxy_cache_use_stale updating;" in _directives(capsys)


@pytest.mark.parametrize("listen", ["80; evil", "host:port", ""])
def test_bad_listen_value_is_refused(listen):
    with pytest.raises(CommandError, match="not an nginx address"):
        call_command("nginxconf", "--listen", listen)


def test_a_read_whose_worker_dies_can_be_tried_read_attempts_times():
    """nginx tries each listed server once: the addresses are listed again as backups, in
    turn, so a GET whose web worker was killed under it is tried READ_ATTEMPTS times in all
    (tests/stack/test_worker_death.py shows why one retry is not enough)."""

    from pressroom.ops.nginx import READ_ATTEMPTS

    def servers(options):
        return [
            line.strip()
            for line in render(options).splitlines()
            if line.strip().startswith("server 127.")
        ]

    one = servers(example())
    assert len(one) == READ_ATTEMPTS > 2
    assert one[0] == "server 127.0.0.1:8000 max_fails=0;"
    assert set(one[1:]) == {"server 127.0.0.1:8000 max_fails=0 backup;"}
    two = servers(dataclasses.replace(example(), upstreams=("127.0.0.1:8000", "127.0.0.1:8001")))
    assert two[:4] == [
        "server 127.0.0.1:8000 max_fails=0;",
        "server 127.0.0.1:8001 max_fails=0;",
        "server 127.0.0.1:8000 max_fails=0 backup;",
        "server 127.0.0.1:8001 max_fails=0 backup;",
    ]
    assert len(two) == READ_ATTEMPTS


def test_the_cache_bypass_follows_the_share_policy_and_its_cookie_name(capsys, settings):
    """nginx shares no copy with a request the app's share policy calls personal: the session
    cookie's name comes from settings, not from the template."""
    call_command("nginxconf")
    assert 'map "$cookie_sessionid$http_authorization" $pressroom_skip_cache {' in (
        capsys.readouterr().out
    )
    settings.SESSION_COOKIE_NAME = "pressroom_session"
    call_command("nginxconf")
    rendered = capsys.readouterr().out
    assert 'map "$cookie_pressroom_session$http_authorization" $pressroom_skip_cache {' in rendered
    assert "proxy_cache_methods GET HEAD;" in rendered
    assert "edge" not in rendered and "try_files" not in rendered


def test_a_session_cookie_nginx_cannot_read_is_refused(settings):
    settings.SESSION_COOKIE_NAME = "pressroom-session"
    with pytest.raises(CommandError, match="nginx cannot read a cookie named"):
        call_command("nginxconf")


def _location(text: str, path: str) -> str:
    """The directives of one `location PATH { ... }` block (comments dropped)."""
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    start = lines.index(f"location {path} {{")
    return "\n".join(lines[start + 1 : lines.index("}", start)])


def test_photos_are_sent_by_nginx_only_after_the_app_decided():
    """/media/ goes to the application, which decides each request (pressroom.media.access);
    the folder is reachable only through the internal location its X-Accel-Redirect names,
    never straight from a client, and nothing sets a lifetime of its own."""
    text = render(example())
    media = _location(text, "/media/")
    assert "proxy_pass http://pressroom_app;" in media
    assert "alias" not in media and "expires" not in media and "proxy_cache" not in media
    internal = _location(text, "/internal-media/")
    assert "internal;" in internal and "alias /srv/pressroom/data/media/;" in internal
    assert "expires" not in internal
    assert text.count("/srv/pressroom/data/media") == 1
