import pytest

from pressroom.workflow.roles import Role
from tests.workflow.factories import department, person


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sample_department(db):
    return department()


@pytest.fixture
def other_department(db):
    return department("other", "Other Sample Bureau", "其他樣本局")


@pytest.fixture
def people(sample_department, other_department):
    """One person per role in the sample department, and a writer and approver elsewhere."""
    return {
        "writer": person("wanda", Role.WRITER, sample_department),
        "approver": person("arthur", Role.APPROVER, sample_department),
        "editor": person("edith", Role.EDITOR, None),
        "admin": person("adam", Role.ADMIN, None),
        "other_writer": person("oscar", Role.WRITER, other_department),
        "other_approver": person("olga", Role.APPROVER, other_department),
    }
