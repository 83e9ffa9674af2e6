"""What the tests share, in one place (as Wagtail's `wagtail.test.utils`).

Test modules import helpers from here and never from one another or from a conftest.py
(tests/test_suite_layout.py checks both):

- `factories`: departments, people, drafts and published releases, built through the services
  the desk and the importer use.
- `clock`: Hong Kong instants, the tests' "now", and a manual clock for code that waits.
- `waiting`: waiting for an event (a row, an arrival, a page) with a bound that only catches
  a hang.
- `environment`: CI or not, where the repository and the shared archive are, loopback ports,
  the test database as another process reaches it.
- `receivers`: a real SMTP server and a real webhook receiver on 127.0.0.1.
- `distribution`: scheduling through the workflow and running the dispatcher in-process.
- `importer`, `wire`, `strategies`: sample files, running commands, Hypothesis strategies.
- `permissions`: the expected permission table; `browser`: accessibility checks;
  `stack`: starting the production stack; `failing_urls`: a URLconf with failing views.

Two pytest plugins live here too: `fixtures` (the shared fixtures, registered in
tests/conftest.py) and `worker_data` (loaded with `-p` before Django's settings, see
pyproject.toml).
"""
