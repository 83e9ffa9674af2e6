import pytest

from pressroom.api.tokens import issue_token
from tests.support.environment import BASE_URL


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PRESSROOM_BASE_URL = BASE_URL


@pytest.fixture
def bearer(people):
    """Authorization headers for a person of `people`: bearer("writer")."""
    secrets = {}

    def headers(who: str) -> dict:
        if who not in secrets:
            secrets[who] = issue_token(people[who])[1]
        return {"Authorization": f"Bearer {secrets[who]}"}

    return headers
