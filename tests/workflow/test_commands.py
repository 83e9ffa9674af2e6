"""pressroom adddepartment, adduser and workflow: scripted set-up with the same rules."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from pressroom.releases.models import Department
from pressroom.workflow.roles import Role, roles_of
from tests.support.factories import draft

pytestmark = pytest.mark.django_db


def test_adddepartment_adds_then_renames(capsys):
    call_command(
        "adddepartment", "sample", "--name-en", "Sample Department", "--name-zh", "樣本部門"
    )
    call_command("adddepartment", "sample", "--name-en", "Sample Bureau", "--name-zh", "樣本局")
    department = Department.objects.get(code="sample")
    assert (department.name_en, department.name_zh_hant) == ("Sample Bureau", "樣本局")
    assert "added department sample" in capsys.readouterr().out


def test_adddepartment_refuses_a_bad_code():
    with pytest.raises(CommandError, match="department code"):
        call_command("adddepartment", "Not A Code", "--name-en", "X", "--name-zh", "X")


def test_adduser_with_password_from_the_environment(monkeypatch, sample_department):
    monkeypatch.setenv("PRESSROOM_PASSWORD", "Sample-desk-pass-2024")
    call_command("adduser", "wendy", "--role", "writer", "--department", "sample")
    user = get_user_model().objects.get(username="wendy")
    assert user.check_password("Sample-desk-pass-2024")
    assert roles_of(user) == {Role.WRITER} and user.desk_membership.department == sample_department
    assert not user.is_staff  # only administrators enter /admin/


def test_adduser_admin_is_staff_with_the_administrators_group(monkeypatch):
    monkeypatch.setenv("PRESSROOM_PASSWORD", "Sample-desk-pass-2024")
    call_command("adduser", "ada", "--role", "admin")
    user = get_user_model().objects.get(username="ada")
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("releases.change_department") and user.has_perm("auth.add_user")
    assert user.has_perm("releases.view_release") and not user.has_perm("releases.change_release")


@pytest.mark.parametrize("password,message", [("12345678", "too common"), ("short", "too short")])
def test_adduser_applies_the_password_validators(monkeypatch, sample_department, password, message):
    monkeypatch.setenv("PRESSROOM_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("adduser", "weak", "--role", "writer", "--department", "sample")
    assert not get_user_model().objects.filter(username="weak").exists()


def test_adduser_refuses_unknown_departments_and_writers_without_one(monkeypatch):
    monkeypatch.setenv("PRESSROOM_PASSWORD", "Sample-desk-pass-2024")
    with pytest.raises(CommandError, match="no department 'nowhere'"):
        call_command("adduser", "x", "--role", "writer", "--department", "nowhere")
    with pytest.raises(CommandError, match="needs a department"):
        call_command("adduser", "x", "--role", "approver")


def test_workflow_command_follows_the_same_rules(people, sample_department, capsys):
    release = draft(people["writer"], sample_department)
    call_command("workflow", release.reference, "submit", "--user", "wanda")
    with pytest.raises(CommandError, match="you cannot approve"):
        call_command("workflow", release.reference, "approve", "--user", "wanda")
    call_command("workflow", release.reference, "approve", "--user", "arthur")
    assert f"{release.reference}: approved" in capsys.readouterr().out
