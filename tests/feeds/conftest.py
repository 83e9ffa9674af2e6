import pytest

from tests.support.environment import BASE_URL


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PRESSROOM_BASE_URL = BASE_URL
