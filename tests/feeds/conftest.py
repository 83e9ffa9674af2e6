import pytest

from tests.site.factories import hong_kong

NOW = hong_kong(2023, 11, 3, 18, 0)
BASE_URL = "https://press.example.test"


@pytest.fixture
def clock(time_machine):
    """The clock stopped at 18:00 HKT on Friday, 3 November 2023."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PRESSROOM_BASE_URL = BASE_URL
