"""The `pressroom` command: Django's management commands with Pressroom's settings preset."""

from __future__ import annotations

import os
import sys

# The commands a person running Pressroom reaches for first, shown before Django's full list.
OVERVIEW = """\
Pressroom: press-release publishing and distribution.

Usage: pressroom <command> [options]      (pressroom help <command> for a command's options)

Running the site
  serve [ADDR:PORT]   run the site on a production-grade server (granian), default 127.0.0.1:8000
  migrate             create or update the database tables
  createsuperuser     create an administrator account for /admin/
  loaddemo            load the sample releases (fictional, marked as samples)

The archive
  import PATH...      read releases in the plain-text wire format or JSON lines (files, folders)
  export REF          print a release (--format wire|ninjs|jsonl, --lang en|zh-Hant|zh-Hans)
  export --all        stream the whole archive as JSON lines (a backup that `import` restores)

Environment: PRESSROOM_DATA_DIR (data folder, default ./var), DATABASE_URL (postgres://...),
see docs/settings.md for every setting.

All commands:
"""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "pressroom"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    from django.core.management import execute_from_command_line

    if len(argv) == 1 or argv[1] in {"-h", "--help"}:
        sys.stdout.write(OVERVIEW)
        argv = [argv[0], "help", "--commands"]
    from pressroom.conf import SettingError

    try:
        execute_from_command_line(argv)
    except SettingError as error:
        # A wrong environment variable is the operator's to fix: name it, no traceback.
        sys.stderr.write(f"pressroom: {error} (see docs/settings.md)\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
