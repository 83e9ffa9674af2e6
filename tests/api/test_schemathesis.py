"""The live OpenAPI schema, exercised by schemathesis through the WSGI app: no server errors
and no response that breaks the schema, for reads and (with a duty editor's token) writes."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from pressroom.releases.models import ReleaseState
from tests.support.clock import hong_kong
from tests.support.factories import add_category, add_photos, make_release

# Dates at the calendar's ends and just outside the archive's span, as often as any other:
# year 1 or 9999 once overflowed when converted to UTC (500s in filters, `since` and schedules),
# and hypothesis's own dates reach them too rarely for a dozen examples.
_EDGE_DAYS = ["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2200-12-31", "2201-01-01"]
_EDGE_TIMES = ["00:00:00+14:00", "23:59:59-12:00", "12:00:00Z"]
schemathesis.openapi.format("date", st.sampled_from(_EDGE_DAYS) | st.dates().map(str))
schemathesis.openapi.format(
    "date-time",
    st.builds("{}T{}".format, st.sampled_from(_EDGE_DAYS), st.sampled_from(_EDGE_TIMES))
    | st.datetimes(timezones=st.timezones()).map(lambda instant: instant.isoformat()),
)

# An app for the schema to drive in-process (no server, no network).
_APP = get_wsgi_application()


@pytest.fixture
def api_schema(db):
    # Requests go straight to the WSGI app, so Django would close the test's database
    # connection after each one; keep it, as Django's own test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", _APP)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def archive(clock, people):
    """Public, corrected, withdrawn and scheduled releases for the generated requests to hit."""
    published = make_release(hong_kong(2023, 11, 3, 9, 0), reference="P2023110300001")
    add_category(published)
    add_photos(published, ["Sample: one"], ["樣本：一"], with_images=1)
    make_release(hong_kong(2023, 11, 2, 9, 0), reference="P2023110200001", state=ReleaseState.CORRECTED,
                 corrected_at=hong_kong(2023, 11, 2, 12, 0), correction_note="Sample: fixed.")  # fmt: skip
    make_release(hong_kong(2023, 11, 1, 9, 0), reference="P2023110100001", state=ReleaseState.WITHDRAWN,
                 withdrawn_at=hong_kong(2023, 11, 1, 12, 0), withdrawal_reason="Sample: error.")  # fmt: skip
    make_release(
        hong_kong(2023, 11, 4, 9, 0), reference="P2023110400001", state=ReleaseState.SCHEDULED
    )


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, archive, bearer):
    # Every check but one: "a schema-valid request must be accepted" cannot hold for opaque
    # cursors (any string is schema-valid; only those the API gave out are accepted, others
    # get a 422 naming the parameter) or references of releases that do not exist (404).
    case.call_and_validate(headers=bearer("editor"), excluded_checks=[positive_data_acceptance])
