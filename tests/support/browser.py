"""Checks of a page in the browser that more than one browser test makes."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# The impacts of an axe-core violation that fail a test.
BLOCKING_IMPACTS = {"serious", "critical"}


def assert_accessible(page) -> None:
    results = Axe().run(page)
    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page.url}: " + "; ".join(blocking)
