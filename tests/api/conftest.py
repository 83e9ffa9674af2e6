import pytest

from pressroom.api.tokens import issue_token
from pressroom.workflow.people import add_department, add_user
from pressroom.workflow.roles import Role
from tests.site.factories import hong_kong

NOW = hong_kong(2023, 11, 3, 18, 0)
BASE_URL = "https://press.example.test"


@pytest.fixture(autouse=True)
def _base_url_and_fast_passwords(settings):
    settings.PRESSROOM_BASE_URL = BASE_URL
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(time_machine):
    """The clock stopped at 18:00 HKT on Friday, 3 November 2023."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def people(db):
    """A writer and an approver of the Sample Department, a duty editor, an outside writer."""
    sample = add_department("sample", "Sample Department", "樣本部門")[0]
    other = add_department("other", "Other Sample Bureau", "其他樣本局")[0]
    return {
        "writer": add_user("wanda", Role.WRITER, sample, "Sample-pass-2024"),
        "approver": add_user("arthur", Role.APPROVER, sample, "Sample-pass-2024"),
        "editor": add_user("edith", Role.EDITOR, None, "Sample-pass-2024"),
        "other_writer": add_user("oscar", Role.WRITER, other, "Sample-pass-2024"),
    }


@pytest.fixture
def bearer(people):
    """Authorization headers for a person: bearer("writer")."""
    secrets = {}

    def headers(who: str) -> dict:
        if who not in secrets:
            secrets[who] = issue_token(people[who])[1]
        return {"Authorization": f"Bearer {secrets[who]}"}

    return headers
