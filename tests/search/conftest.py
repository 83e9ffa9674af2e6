import pytest

from tests.site.factories import hong_kong

# The afternoon of Friday, November 3, 2023 in Hong Kong: "now" in these tests.
NOW = hong_kong(2023, 11, 3, 18, 0)


@pytest.fixture
def clock(time_machine):
    """A controllable clock stopped at NOW; tests move it with clock.move_to(...)."""
    time_machine.move_to(NOW, tick=False)
    return time_machine
