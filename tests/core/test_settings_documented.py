"""Every setting is documented, with the default the code really uses (Datasette's test_docs).

And a wrong value stops the `pressroom` command with the setting's name, not a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom.conf import SETTINGS

SETTINGS_DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def documented_sections() -> dict[str, str]:
    """The text under each `## \\`NAME\\`` heading of docs/settings.md, by NAME."""
    text = SETTINGS_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## `([A-Z0-9_]+)`\s*$", text, flags=re.MULTILINE)
    return {name: body for name, body in zip(parts[1::2], parts[2::2])}


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_setting_is_documented_with_its_default(setting):
    sections = documented_sections()
    assert setting.name in sections, f"add a `## `{setting.name}`` section to docs/settings.md"
    expected = "Default: unset" if setting.default is None else f"Default: `{setting.default}`"
    assert expected in sections[setting.name]


def test_docs_describe_no_setting_the_code_does_not_have():
    declared = {setting.name for setting in SETTINGS}
    assert set(documented_sections()) - declared == set()


def test_a_bad_value_stops_the_command_naming_the_setting(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(PRESSROOM_DATA_DIR=str(tmp_path), PRESSROOM_DEBUG="maybe")
    result = subprocess.run(
        [sys.executable, "-m", "pressroom", "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "PRESSROOM_DEBUG='maybe'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name, value, says", [
    ("PRESSROOM_MEDIA_SENDER", "apache", "PRESSROOM_MEDIA_SENDER='apache': expected app or nginx"),
    # Retired: an old deployment's nginx served /media/ from the folder; it must be re-rendered.
    ("PRESSROOM_SERVE_MEDIA", "false", "PRESSROOM_SERVE_MEDIA is gone"),
])  # fmt: skip
def test_media_sender_values_and_the_retired_serve_media(tmp_path, name, value, says):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(PRESSROOM_DATA_DIR=str(tmp_path), **{name: value})
    result = subprocess.run([sys.executable, "-m", "pressroom", "check"], env=environment,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode != 0
    assert says in result.stderr and "Traceback" not in result.stderr
