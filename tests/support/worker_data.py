"""A data folder of its own for each pytest-xdist worker, set before Django's settings load.

Loaded with `-p tests.support.worker_data` (pyproject.toml), so it runs before pytest-django imports
the settings. The workers of one run would otherwise share the data folder `dev.py test` makes,
and with it the Prometheus sample files there: one worker's requests would be counted in the
other's metrics test.
"""

from __future__ import annotations

import os
from pathlib import Path

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("PRESSROOM_DATA_DIR"):
    _shared = Path(os.environ["PRESSROOM_DATA_DIR"])
    _own = _shared / f"xdist-{_worker}"
    _own.mkdir(parents=True, exist_ok=True)
    os.environ["PRESSROOM_DATA_DIR"] = str(_own)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").startswith(str(_shared)):
        del os.environ["PROMETHEUS_MULTIPROC_DIR"]  # settings puts it in the data folder
