"""The `pressroom` command: Django's management commands with Pressroom's settings preset."""

from __future__ import annotations

import os
import sys

# The commands a person running Pressroom reaches for first, shown before Django's full list.
OVERVIEW = """\
Pressroom: press-release publishing and distribution.

Usage: pressroom <command> [options]      (pressroom help <command> for a command's options)

Running Pressroom
  serve [ADDR:PORT]   the site on a production-grade server (granian), default 127.0.0.1:8000
  worker              the distribution worker: e-mail and webhooks at each issue instant
  migrate             create or update the database tables
  check               check the configuration
  nginxconf           print an nginx configuration for this installation
  loaddemo            load the sample releases (fictional, marked as samples)

People and the desk
  createsuperuser     create an administrator account for /admin/
  adddepartment CODE  add a bureau or department (--name-en, --name-zh)
  adduser USERNAME    add a person (--role writer|approver|editor|admin --department CODE)
  workflow REF MOVE   move a release through the workflow from the command line
  token USERNAME      issue an API token that acts as that person

The archive
  import PATH...      read releases in the plain-text wire format or JSON lines (files, folders)
  export REF          print a release (--format wire|ninjs|jsonl, --lang en|zh-Hant|zh-Hans)
  export --all        stream the whole archive as JSON lines (a backup that `import` restores)
  search-rebuild      rebuild the search index

Distribution
  subscribe EMAIL     add an e-mail subscriber (--department, --lang, --confirmed)
  webhook add URL     register a newsroom's webhook endpoint and print its signing secret

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
